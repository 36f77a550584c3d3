//! Issue by issue at one step: on each issue, the values each party accepts
//! when the other issues are settled as at the best joint settlement (the
//! Nash point when there is a zone, else the settlement nearest to
//! agreement), the zone's extent, and which wall closes it. Because that
//! settlement minimises the largest shortfall, the parties' ranges on an
//! issue meet exactly when the zone exists: the picture and the verdict
//! always agree.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FONT, INK, NO_ZONE, ZONE, rgb, shorten};
use crate::model::Scenario;
use crate::sim::Step;
use crate::zone::Interval;

/// Each consenting party's range on `issue` (issue units) with the other
/// issues as in the step's recorded point; `None` where it accepts nothing.
pub fn ranges(sc: &Scenario, s: &Step, issue: usize) -> Vec<(usize, Option<Interval>)> {
    let dim = sc.issues.len();
    let y = normalised_point(sc, s);
    let i = &sc.issues[issue];
    s.consenting
        .iter()
        .map(|&p| {
            let r = s.terms[p].range_given(dim, issue, &y);
            (p, r.map(|r| r.map(|v| i.denormalise(v))))
        })
        .collect()
}

/// The rows a panel of issue `k` draws, and what it says of the rest
/// (" · and 34 more within the range", or ""): every consenting party up
/// to [`super::crowd::ALL_NAMED`]; beyond, those that accept nothing here
/// or whose range ends where the ranges' overlap does.
pub fn shown(sc: &Scenario, s: &Step, k: usize) -> (Vec<(usize, Option<Interval>)>, String) {
    let rows = ranges(sc, s, k);
    let parties: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let eps = sc.issues[k].range() * 1e-6;
    let top = (rows.iter().filter_map(|r| Some(r.1?.low))).fold(f64::NEG_INFINITY, f64::max);
    let bottom = (rows.iter().filter_map(|r| Some(r.1?.high))).fold(f64::INFINITY, f64::min);
    let score = |p: usize| match rows.iter().find(|r| r.0 == p).and_then(|r| r.1) {
        None => 2,
        Some(r) if r.low >= top - eps || r.high <= bottom + eps => 1,
        Some(_) => 0,
    };
    let named = super::crowd::Named::ranked(&parties, score);
    let rest = named.rest_text("within the range", "of them at its ends too");
    let rest = if rest.is_empty() {
        rest
    } else {
        format!(" · {rest}")
    };
    let rows = rows.into_iter().filter(|r| named.names(r.0)).collect();
    (rows, rest)
}

/// The step's recorded point on the normalised axes.
fn normalised_point(sc: &Scenario, s: &Step) -> Vec<f64> {
    (sc.issues.iter().zip(&s.point))
        .map(|(i, &v)| i.normalise(v))
        .collect()
}

/// Issues a page of the chart holds: at twelve issues a panel each on one
/// page was a strip too thin to read, so they fold onto pages of four.
pub const PER_PAGE: usize = 4;

/// Pages the chart takes for the scenario's issues: one up to
/// [`PER_PAGE`] issues.
pub fn pages(sc: &Scenario) -> usize {
    sc.issues.len().div_ceil(PER_PAGE).max(1)
}

/// The issues on page `page` (from 0).
pub fn on_page(sc: &Scenario, page: usize) -> std::ops::Range<usize> {
    let start = (page * PER_PAGE).min(sc.issues.len());
    start..(start + PER_PAGE).min(sc.issues.len())
}

/// Draws page `page` (from 0) of the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    s: &Step,
    (unit, page): (&str, usize),
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    // Room for the title and three lines of why: with its worth in units
    // the sentence runs to three lines where a wall and the bars both close
    // the zone.
    let (head, body) = root.split_vertically(118);
    let issues = on_page(sc, page);
    let title = if pages(sc) > 1 {
        format!(
            "{}: issue by issue at {unit} {} (issues {} to {} of {})",
            sc.title,
            s.step,
            issues.start + 1,
            issues.end,
            sc.issues.len()
        )
    } else {
        format!("{}: issue by issue at {unit} {}", sc.title, s.step)
    };
    let key = "bars: what each party accepts · brackets: its red lines · dashed: the settlement · green: the zone";
    let (w, _) = head.dim_in_pixel();
    let grey = (FONT, 15).into_font().color(&RGBColor(90, 90, 90));
    // The title shares its line with the key: it fits the room the key
    // leaves.
    let key_width = head.estimate_text_size(key, &grey).map_or(0, |(k, _)| k);
    let room = f64::from(w) - f64::from(key_width) - 72.0;
    let (title, size) = super::fitted_within(&head, room, &title, 28);
    head.draw_text(&title, &(FONT, size).into_font().color(&INK), (24, 12))?;
    head.draw(&Text::new(
        key,
        (w as i32 - 24, 20),
        grey.pos(Pos::new(HPos::Right, VPos::Top)),
    ))?;
    let why = crate::why::zone_text(sc, s);
    for (row, line) in crate::text::wrap(&why, "", 0, 130)
        .lines()
        .take(3)
        .enumerate()
    {
        let colour = if s.zone_exists() { ZONE } else { NO_ZONE };
        let style = (FONT, 17).into_font().color(&colour);
        head.draw_text(line, &style, (24, 50 + 22 * row as i32))?;
    }
    // A short last page keeps the panels' height of the full ones.
    let panels = body.split_evenly((issues.len().max(PER_PAGE.min(sc.issues.len())), 1));
    for (k, panel) in issues.zip(&panels) {
        issue_panel(root, panel, sc, s, k)?;
    }
    Ok(())
}

/// One issue: a row per consenting party with the values it accepts, the
/// zone's extent behind them, and the settlement's value on this issue.
/// Party names go left of the panel's plot, in `root`'s pixel space.
fn issue_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    s: &Step,
    k: usize,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let issue = &sc.issues[k];
    if issue.is_discrete() {
        return options_panel(root, area, sc, s, k);
    }
    let (rows, rest) = shown(sc, s, k);
    let n = rows.len().max(1) as f64;
    let at = if s.point_is_nash {
        "at the Nash point"
    } else {
        "at the settlement nearest to agreement"
    };
    let unit = if issue.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", issue.unit)
    };
    let caption = format!("{}{unit}: the other issues {at}{rest}", issue.label);
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 18).into_font().color(&INK))
        .margin_left(16)
        .margin_right(24)
        .x_label_area_size(30)
        .y_label_area_size(150)
        .build_cartesian_2d(issue.min..issue.max, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .light_line_style(super::GRID.mix(0.5))
        .label_style((FONT, 15))
        .draw()?;
    if let Some(z) = s.extent_on(k) {
        let width = (issue.range() * 0.004).max(z.high - z.low);
        let mid = 0.5 * (z.low + z.high);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(mid - width / 2.0, 0.0), (mid + width / 2.0, n)],
            ZONE.mix(0.35).filled(),
        )))?;
    }
    party_rows(root, &mut chart, sc, s, k, &rows)?;
    let x = s.point[k];
    chart.draw_series(DashedLineSeries::new(
        [(x, 0.0), (x, n)],
        5,
        4,
        INK.stroke_width(2),
    ))?;
    Ok(())
}

/// A bar per party of what it accepts on issue `k` (or a note that it
/// accepts nothing) over a bracket of its red lines, with the party's name
/// left of the plot. The bracket is what the heading's red-line figures
/// name; where the bar stops short of it, the party's bar excludes the rest.
fn party_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut super::Chart2d<'_, DB>,
    sc: &Scenario,
    s: &Step,
    k: usize,
    rows: &[(usize, Option<crate::zone::Interval>)],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let issue = &sc.issues[k];
    let n = rows.len().max(1) as f64;
    for (row, (p, range)) in rows.iter().enumerate() {
        let base = n - 1.0 - row as f64;
        let colour = rgb(sc.parties[*p].colour);
        red_line_bracket(chart, sc, s, (*p, k), base)?;
        if let Some(r) = range {
            let width = (issue.range() * 0.004).max(r.high - r.low);
            let mid = 0.5 * (r.low + r.high);
            chart.draw_series(std::iter::once(Rectangle::new(
                [
                    (mid - width / 2.0, base + 0.3),
                    (mid + width / 2.0, base + 0.7),
                ],
                colour.filled(),
            )))?;
        } else {
            chart.draw_series(std::iter::once(Text::new(
                "accepts no value here",
                // Above its red lines' bracket, which runs along the middle.
                (issue.min, base + 0.78),
                (FONT, 14)
                    .into_font()
                    .color(&RGBColor(110, 110, 110))
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )))?;
        }
        let (px, py) = chart.backend_coord(&(issue.min, base + 0.5));
        root.draw(&Text::new(
            shorten(&sc.parties[*p].name, 16),
            (px - 8, py),
            (FONT, 15)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Party `p`'s red lines on issue `k` at the step: a thin line across the
/// values they allow, with a tall cap at each line the party draws (none
/// at an end of the issue it leaves open).
fn red_line_bracket<DB: DrawingBackend>(
    chart: &mut super::Chart2d<'_, DB>,
    sc: &Scenario,
    s: &Step,
    (p, k): (usize, usize),
    base: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let issue = &sc.issues[k];
    let t = &s.terms[p];
    let line = |v: f64| v.is_finite().then(|| issue.denormalise(v.clamp(0.0, 1.0)));
    let (lo, hi) = (line(t.lower[k]), line(t.upper[k]));
    let ink = super::darker(rgb(sc.parties[p].colour));
    let from = lo.unwrap_or(issue.min);
    let to = hi.unwrap_or(issue.max);
    if to < from {
        return Ok(());
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(from, base + 0.5), (to, base + 0.5)],
        ink.stroke_width(2),
    )))?;
    for v in [lo, hi].into_iter().flatten() {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(v, base + 0.12), (v, base + 0.88)],
            ink.stroke_width(3),
        )))?;
    }
    Ok(())
}

/// One discrete issue: a column per option and a row per consenting party,
/// a block where the party accepts the option (the other issues as in the
/// step's point), a grey one where its red line excludes it; the options in
/// the zone are banded green and the settlement's option is dashed.
fn options_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    s: &Step,
    k: usize,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let issue = &sc.issues[k];
    let (rows, rest) = shown(sc, s, k);
    let point = normalised_point(sc, s);
    let n = rows.len().max(1) as f64;
    let last = issue.max;
    let at = if s.point_is_nash {
        "at the Nash point"
    } else {
        "at the settlement nearest to agreement"
    };
    let caption = format!(
        "{}: the options each party accepts (grey: its red line excludes it), the other issues {at}{rest}",
        issue.label
    );
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 18).into_font().color(&INK))
        .margin_left(16)
        .margin_right(24)
        .x_label_area_size(30)
        .y_label_area_size(150)
        .build_cartesian_2d(-0.5..last + 0.5, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .draw()?;
    let in_zone = s.options_in_zone.get(k).map_or(&[][..], Vec::as_slice);
    chart.draw_series(in_zone.iter().map(|&o| {
        let x = o as f64;
        Rectangle::new([(x - 0.45, 0.0), (x + 0.45, n)], ZONE.mix(0.35).filled())
    }))?;
    for (row, (p, range)) in rows.iter().enumerate() {
        let base = n - 1.0 - row as f64;
        let t = &s.terms[*p];
        let colour = rgb(sc.parties[*p].colour);
        for o in 0..issue.options.len() {
            let x = o as f64;
            let y = issue.normalise(x);
            let excluded =
                y < t.lower[k] - crate::zone::ZONE_TOL || y > t.upper[k] + crate::zone::ZONE_TOL;
            // A table of values need not be single-peaked: the range is the
            // hull of the options the party accepts, so ask each one.
            let by_table = t.values.as_deref().is_some_and(|v| v.has(k));
            let accepts = range.is_some_and(|r| x >= r.low - 1e-9 && x <= r.high + 1e-9)
                && (!by_table || {
                    let mut at = point.clone();
                    at[k] = y;
                    t.bar_shortfall(point.len(), &at) <= crate::zone::ZONE_TOL
                });
            let fill = if excluded {
                RGBColor(200, 200, 200).filled()
            } else if accepts {
                colour.filled()
            } else {
                continue;
            };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.3, base + 0.3), (x + 0.3, base + 0.7)],
                fill,
            )))?;
        }
        let (px, py) = chart.backend_coord(&(-0.5, base + 0.5));
        root.draw(&Text::new(
            shorten(&sc.parties[*p].name, 16),
            (px - 8, py),
            (FONT, 15)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    for (o, name) in issue.options.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(o as f64, 0.0));
        root.draw(&Text::new(
            shorten(name, 24),
            (px, py + 6),
            (FONT, 15)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    let x = s.point[k];
    chart.draw_series(DashedLineSeries::new(
        [(x, 0.0), (x, n)],
        5,
        4,
        INK.stroke_width(2),
    ))?;
    Ok(())
}
