//! The tornado chart: for the fields that move the result most, how far
//! P(zone within the horizon), P(deal) and the mean smallest gap go when
//! each is moved down and up, against the scenario as written.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Mark};
use super::{ChartError, FONT, Figure, INK, Ticks};
use crate::mc::Counts;
use crate::model::{Scenario, Target, WorldVar};
use crate::sensitivity::{Row, Sensitivity, share};

/// The tornado chart of a sensitivity analysis.
pub struct Tornado<'a>(pub &'a Scenario, pub &'a Sensitivity);

/// Rows drawn: more would not be readable from the back of a room.
pub const ROWS: usize = 12;
const DOWN: RGBColor = RGBColor(0, 114, 178);
const UP: RGBColor = RGBColor(230, 159, 0);
const LABELS: u32 = 430;

/// Which probability a panel shows.
#[derive(Clone, Copy)]
enum Of {
    Zone,
    Deal,
    /// The mean smallest gap.
    Gap,
}

impl Of {
    fn p(self, c: &Counts) -> f64 {
        match self {
            Of::Zone => share(c.zone, c.runs),
            Of::Deal => share(c.deal, c.runs),
            Of::Gap => c.mean_smallest_gap(),
        }
    }

    /// The axis range around `lo..hi`: probabilities at least ten points
    /// wide within 0 to 1, so a small effect looks small; the gap with a
    /// margin on both sides.
    fn range(self, lo: f64, hi: f64) -> (f64, f64) {
        match self {
            Of::Zone | Of::Deal => {
                let pad = (0.1 - (hi - lo)).max(0.0) / 2.0 + 0.02;
                ((lo - pad).max(0.0), (hi + pad).min(1.0))
            }
            Of::Gap => {
                let pad = 0.1 * (hi - lo) + 0.002;
                (lo - pad, hi + pad)
            }
        }
    }

    fn ticks(self, lo: f64, hi: f64) -> Ticks {
        match self {
            Of::Zone | Of::Deal => Ticks::Percent(hi - lo),
            Of::Gap => Ticks::Signed(hi - lo),
        }
    }
}

impl Figure for Tornado<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let (sc, s) = (self.0, self.1);
        root.fill(&WHITE)?;
        let (w, h) = root.dim_in_pixel();
        let (top, bottom) = root.split_vertically(h - 70);
        let (title, size) = super::fitted_title(
            &top,
            &format!(
                "{}: which assumptions carry the result ({} runs each)",
                sc.title, s.runs
            ),
            26,
        );
        let top = top.titled(&title, (FONT, size).into_font().color(&INK))?;
        let rows: Vec<&Row> = s.rows.iter().take(ROWS).collect();
        let (labels, plots) = top.split_horizontally(LABELS);
        let third = (w - LABELS) / 3;
        let (zone, rest) = plots.split_horizontally(third);
        let (deal, gap) = rest.split_horizontally(third);
        let horizon = format!("P(zone within {} {}s)", sc.steps, sc.step_unit);
        let (yz, _) = panel(&zone, s, &rows, Of::Zone, &horizon)?;
        panel(&deal, s, &rows, Of::Deal, "P(deal)")?;
        let (_, (lo, hi)) = panel(&gap, s, &rows, Of::Gap, "mean smallest gap")?;
        row_labels(&labels, sc, &rows, &yz)?;
        // The gap is in utility: what a step of its axis is worth in the
        // front issue's units, to those who keep the bars apart as written.
        let (bottom, note) = bottom.split_vertically(44);
        let unit = super::gap::axis_unit(hi - lo);
        let worth = super::gap::bar_worth_note(sc, &crate::sim::run(sc, s.seed), unit);
        if !worth.is_empty() {
            note.draw(&Text::new(
                format!("Mean smallest gap, in utility: {worth}"),
                (w as i32 / 2, 4),
                (FONT, 15)
                    .into_font()
                    .color(&RGBColor(90, 90, 90))
                    .pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        legend::row(
            &bottom,
            &[
                (
                    Mark::Block(DOWN),
                    format!("field moved down by {:.0}% of its span", 100.0 * s.step),
                ),
                (
                    Mark::Block(UP),
                    format!("moved up by {:.0}%", 100.0 * s.step),
                ),
                (Mark::Line(INK, 2), "as written".into()),
            ],
        )?;
        Ok(())
    }
}

/// One panel: a bar from the scenario as written to each move's
/// probability, the move down above the move up. Returns the pixel centre
/// of each row, for the labels, and the axis's range.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Sensitivity,
    rows: &[&Row],
    of: Of,
    title: &str,
) -> Result<(Vec<i32>, (f64, f64)), ChartError>
where
    DB::ErrorType: 'static,
{
    let base = of.p(&s.base);
    let mut lo = base;
    let mut hi = base;
    for r in rows {
        for c in [&r.low, &r.high] {
            lo = lo.min(of.p(c));
            hi = hi.max(of.p(c));
        }
    }
    let (lo, hi) = of.range(lo, hi);
    let ticks = of.ticks(lo, hi);
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 22).into_font().color(&INK))
        .margin(12)
        .margin_right(36)
        .x_label_area_size(40)
        .build_cartesian_2d(lo..hi, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .light_line_style(TRANSPARENT)
        .bold_line_style(super::GRID)
        .x_labels(5)
        .x_label_formatter(&|v: &f64| ticks.label(*v))
        .label_style((FONT, 18))
        .draw()?;
    let mut centres = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        // Row 0 at the top.
        let y = n - i as f64 - 0.5;
        for (c, colour, dy) in [(&r.low, DOWN, 0.0), (&r.high, UP, -0.36)] {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(base, y + 0.36 + dy), (of.p(c), y + dy)],
                colour.filled(),
            )))?;
        }
        centres.push(chart.backend_coord(&(lo, y)).1);
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(base, 0.0), (base, n)],
        INK.stroke_width(2),
    )))?;
    Ok((centres, (lo, hi)))
}

/// Each row's field and its values, right-aligned beside the first panel.
/// A field's words that do not fit one line take two, where the rows leave
/// room for them, so the class reads the whole field's name.
fn row_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    rows: &[&Row],
    centres: &[i32],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (x0, y0) = area.get_base_pixel();
    let grey = RGBColor(90, 90, 90);
    let pitch = centres.windows(2).map(|w| (w[1] - w[0]).abs()).min();
    let roomy = pitch.is_none_or(|p| p >= 46);
    for (r, &y) in rows.iter().zip(centres) {
        let f = &r.factor;
        let right = x0 + LABELS as i32 - 8 - x0;
        let lines = match name_lines(&f.words) {
            two if two.len() == 2 && roomy => two,
            _ => vec![super::shorten(&f.words, NAME_CHARS)],
        };
        let (size, tops): (u32, &[i32]) = match lines.len() {
            1 => (17, &[-9]),
            _ => (15, &[-21, -6]),
        };
        let name = (FONT, size).into_font().color(&INK);
        for (line, dy) in lines.iter().zip(tops) {
            area.draw(&Text::new(
                line.clone(),
                (right, y - y0 + dy),
                name.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        area.draw(&Text::new(
            format!(
                "{} (down {} / up {})",
                in_units(sc, f.target, f.base),
                in_units(sc, f.target, f.low),
                in_units(sc, f.target, f.high)
            ),
            (right, y - y0 + if lines.len() == 1 { 10 } else { 9 }),
            (FONT, if lines.len() == 1 { 15 } else { 14 })
                .into_font()
                .color(&grey)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Characters of a field's name on one line of the label column.
const NAME_CHARS: usize = 44;

/// A field's words on one line when they fit, else broken at the space
/// nearest the middle into two (each cut to fit if still too long).
fn name_lines(words: &str) -> Vec<String> {
    if words.chars().count() <= NAME_CHARS {
        return vec![words.to_string()];
    }
    let middle = words.len() / 2;
    let Some(at) = (words.match_indices(' ').map(|(i, _)| i)).min_by_key(|&i| i.abs_diff(middle))
    else {
        return vec![super::shorten(words, NAME_CHARS)];
    };
    // The smaller font of a two-line name holds a few more characters.
    let fit = |s: &str| super::shorten(s, NAME_CHARS + 4);
    vec![fit(&words[..at]), fit(&words[at + 1..])]
}

/// A field's value as a reader meets it: an ideal, a red line or the front
/// in its issue's units (an option by its name), anything else as written.
fn in_units(sc: &Scenario, target: Target, x: f64) -> String {
    let issue = match target {
        Target::Ideal { issue, .. } => Some(issue),
        Target::RedLine { party, line, .. } => Some(sc.parties[party].red_lines[line].issue),
        Target::World(WorldVar::Front) => Some(sc.front_issue),
        _ => None,
    };
    match issue {
        Some(k) => crate::text::amount(&sc.issues[k], x),
        None => crate::text::value(x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_field_name_breaks_near_its_middle_and_keeps_every_word() {
        let words =
            "Ford's, General Motors' and Stellantis' red line on wage (at most), moved together";
        let lines = name_lines(words);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.join(" "), words);
        assert!(lines.iter().all(|l| l.chars().count() <= NAME_CHARS + 4));
        assert_eq!(name_lines("UAW's bar"), ["UAW's bar"]);
    }
}
