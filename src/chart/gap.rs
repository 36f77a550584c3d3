//! The gap over time, wall by wall, each in its own units: where the red
//! lines cross at some step, a panel of how far they cross in the issue's
//! own units above a panel of how far apart the bars are in utility (one
//! axis never carries both); else the bars' panel alone. Steps where the
//! zone exists are shaded; underneath, which parties block it. The legend
//! says what a round step of the bars' axis is worth in the front issue's
//! units to the parties that keep the bars apart most.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, FONT, INK, NO_ZONE, Ticks, ZONE};

/// The scenario as written, beneath a variant: a mid grey.
const AS_WRITTEN: RGBColor = RGBColor(140, 140, 140);

/// The bar gap's colour: a muted blue, apart from the lines' black.
const BARS: RGBColor = RGBColor(86, 140, 200);
use crate::model::Scenario;
use crate::sim::{Step, Timeline};
use crate::text::{and_list, depth_worth_text, worth_text, wrap};

/// Characters a legend line holds in the side panel.
const LEGEND_WIDTH: usize = 28;

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
    base: Option<(&Timeline, &str)>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (base, base_name) = (base.map(|b| b.0), base.map_or("", |b| b.1));
    let veto: Vec<usize> = (0..sc.parties.len())
        .filter(|&p| sc.parties[p].veto)
        .collect();
    // Past eight parties, a row each would run off the chart: the strip
    // names those with the largest share of the gap and sums up the rest.
    let rows = super::crowd::blockers_named(tl, &veto);
    let rest = rows.rest_text("that never block", "of them blocking less");
    let colours = super::crowd::colours(sc, &rows);
    let veto = rows.parties;
    let strip = 40 + 30 * veto.len() as u32 + if rest.is_empty() { 0 } else { 26 };
    let (w, h) = root.dim_in_pixel();
    let (upper, bottom) = root.split_vertically(h - strip - 20);
    let (top, side) = upper.split_horizontally(w - 300);

    let runs: Vec<&Timeline> = std::iter::once(tl).chain(base).collect();
    let crossing = Crossing::of(sc, &runs);
    let (lo, hi) = fitted(runs.iter().flat_map(|r| r.steps.iter().map(|s| s.bar_gap)));
    let unit = axis_unit(hi - lo);

    let mut entries = Vec::new();
    match &crossing {
        Some(c) => {
            let (_, top_h) = top.dim_in_pixel();
            let (lines_area, bars_area) = top.split_vertically(top_h * 2 / 5);
            lines_plot(&lines_area, sc, tl, base, c)?;
            bars_plot(&bars_area, sc, tl, (lo, hi), base, None)?;
            entries.push((Mark::Line(INK, 3), "Red lines: how far they".into()));
            entries.push((Mark::Blank, format!("cross ({})", c.unit_words(sc))));
        }
        None => {
            let title = format!("{}: the gap between the parties", sc.title);
            bars_plot(&top, sc, tl, (lo, hi), base, Some(&title))?;
        }
    }
    entries.push((Mark::Line(BARS, 3), "Bars: how far apart".into()));
    entries.push((Mark::Blank, "(utility)".into()));
    entries.push((Mark::Line(NO_ZONE, 2), "Zero: zone opens below".into()));
    entries.push((Mark::Band(ZONE, 0.3), "Steps with a zone".into()));
    if base.is_some() {
        entries.push((
            Mark::Dashed(AS_WRITTEN, 2),
            format!("Gap {base_name} (dashed)"),
        ));
    }
    let note = bar_worth_note(sc, tl, unit);
    if !note.is_empty() {
        entries.push((Mark::Blank, String::new()));
        for line in wrap(&note, "", 0, LEGEND_WIDTH).lines() {
            entries.push((Mark::Blank, line.to_string()));
        }
    }
    legend::draw(&side, "Legend", &entries)?;
    // Same width as the plot above, so the steps line up.
    let (strip_area, _) = bottom.split_horizontally(w - 300);
    if rest.is_empty() {
        return blocker_strip(root, &strip_area, sc, tl, (&veto, &colours));
    }
    let (_, strip_h) = strip_area.dim_in_pixel();
    let (strip_area, note) = strip_area.split_vertically(strip_h - 26);
    blocker_strip(root, &strip_area, sc, tl, (&veto, &colours))?;
    note.draw_text(&rest, &(FONT, 17).into_font().color(&INK), (156, 4))?;
    Ok(())
}

/// The axis from the values' least to their largest (and zero), with a
/// tenth of the span as margin.
fn fitted(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let pad = ((hi - lo) * 0.1).max(0.02);
    (lo - pad, hi + pad)
}

/// A round step of an axis of span `span`: the power of ten that fits
/// between three and thirty times into it, the step the legend prices.
pub fn axis_unit(span: f64) -> f64 {
    10f64.powf((span / 3.0).log10().floor())
}

/// What `unit` of the bars' axis is worth, in the front issue's units, to
/// the parties that keep the bars apart at the most steps (the first two
/// of those tied); where no party ever keeps them apart, what `unit` of
/// the zone's depth is worth at least to every party. "" when it has no
/// worth to say.
pub fn bar_worth_note(sc: &Scenario, tl: &Timeline, unit: f64) -> String {
    let mut steps = vec![0u32; sc.parties.len()];
    for s in &tl.steps {
        for b in &s.bar_blockers {
            steps[b.party] += 1;
        }
    }
    let most = steps.iter().copied().max().unwrap_or(0);
    if most == 0 {
        let w = depth_worth_text(sc, unit);
        return if w.is_empty() {
            w
        } else {
            format!("{unit} of the zone's depth is {w}.")
        };
    }
    let worths: Vec<String> = (0..sc.parties.len())
        .filter(|&p| steps[p] == most)
        .take(2)
        .map(|p| worth_text(sc, p, unit))
        .filter(|w| !w.is_empty())
        .collect();
    if worths.is_empty() {
        return String::new();
    }
    let who = if worths.len() > 1 {
        "to the two who keep the bars apart most"
    } else {
        "to the party that keeps the bars apart most"
    };
    format!("{unit} of bar gap is {} ({who}).", and_list(&worths))
}

/// The issues whose red lines cross at some step of the runs shown, and
/// how the lines' panel says it: in the issue's units when one issue
/// crosses, else in shares of each issue's range.
struct Crossing {
    issues: Vec<usize>,
}

impl Crossing {
    fn of(sc: &Scenario, runs: &[&Timeline]) -> Option<Crossing> {
        let issues: Vec<usize> = (0..sc.issues.len())
            .filter(|&k| (runs.iter().flat_map(|r| r.steps.iter())).any(|s| s.crossing(k) > 0.0))
            .collect();
        (!issues.is_empty()).then_some(Crossing { issues })
    }

    /// The lines' value at one step: the crossing on the one issue in its
    /// units (a step's lines are in issue units), or the worst crossing of
    /// the issues in percent of each one's range.
    fn value(&self, sc: &Scenario, s: &Step) -> f64 {
        match self.issues.as_slice() {
            [k] => s.crossing(*k),
            many => many
                .iter()
                .map(|&k| 100.0 * s.crossing(k) / sc.issues[k].range())
                .fold(f64::NEG_INFINITY, f64::max),
        }
    }

    fn unit_words(&self, sc: &Scenario) -> String {
        match self.issues.as_slice() {
            [k] if !sc.issues[*k].unit.is_empty() => sc.issues[*k].unit.clone(),
            [k] => format!("{} units", sc.issues[*k].id),
            _ => "% of the issue's range".into(),
        }
    }
}

/// How far the red lines cross over the steps (above zero) or the room
/// they leave (below), titled with the chart's title.
fn lines_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
    base: Option<&Timeline>,
    c: &Crossing,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let n = sc.steps as f64;
    let runs = std::iter::once(tl).chain(base);
    let values = runs.flat_map(|r| r.steps.iter().map(|s| c.value(sc, s)));
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let pad = ((hi - lo) * 0.1).max(0.02);
    let (lo, hi) = (lo - pad, hi + pad);
    let title = format!("{}: the gap, wall by wall", sc.title);
    let mut chart = super::titled(area, &title, 28, 140)
        .x_label_area_size(0)
        .build_cartesian_2d(-0.5..(n - 0.5), lo..hi)?;
    let y = format!("lines cross ({})", c.unit_words(sc));
    super::frame(&mut chart, ("", Ticks::Whole), (&y, Ticks::Signed(hi - lo)))?;
    shade_zone(&mut chart, tl, (lo, hi))?;
    curve(&mut chart, n, tl, base, INK, |s| c.value(sc, s))
}

/// A wall's curve over the steps: the zero line, the run as written dashed
/// beneath (when `base` is given) and this run's line and points in
/// `colour`.
fn curve<DB: DrawingBackend>(
    chart: &mut super::Chart2d<'_, DB>,
    n: f64,
    tl: &Timeline,
    base: Option<&Timeline>,
    colour: RGBColor,
    value: impl Fn(&Step) -> f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    chart.draw_series(LineSeries::new(
        [(-0.5, 0.0), (n - 0.5, 0.0)],
        NO_ZONE.stroke_width(2),
    ))?;
    if let Some(base) = base {
        let written = base.steps.iter().map(|s| (f64::from(s.step), value(s)));
        chart.draw_series(DashedLineSeries::new(
            written,
            10,
            6,
            AS_WRITTEN.stroke_width(2),
        ))?;
    }
    let line: Vec<(f64, f64)> = (tl.steps.iter())
        .map(|s| (f64::from(s.step), value(s)))
        .collect();
    chart.draw_series(LineSeries::new(
        line.iter().copied(),
        colour.stroke_width(3),
    ))?;
    chart.draw_series(line.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    Ok(())
}

/// The steps with a zone, shaded over the whole height.
fn shade_zone<DB: DrawingBackend>(
    chart: &mut super::Chart2d<'_, DB>,
    tl: &Timeline,
    (lo, hi): (f64, f64),
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let zone_steps = (tl.steps.iter())
        .filter(|s| s.zone_exists())
        .map(|s| f64::from(s.step));
    chart.draw_series(
        zone_steps.map(|t| Rectangle::new([(t - 0.5, lo), (t + 0.5, hi)], ZONE.mix(0.22).filled())),
    )?;
    Ok(())
}

/// The bar gap over the steps (in utility; below zero, the zone's depth),
/// the zero line and the steps with a zone shaded; titled when it is the
/// only panel.
fn bars_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
    (lo, hi): (f64, f64),
    base: Option<&Timeline>,
    title: Option<&str>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let n = sc.steps as f64;
    let mut chart = match title {
        Some(t) => super::titled(area, t, 30, 140),
        None => {
            let mut b = ChartBuilder::on(area);
            b.margin(16).x_label_area_size(56).y_label_area_size(140);
            b
        }
    }
    .build_cartesian_2d(-0.5..(n - 0.5), lo..hi)?;
    let unit = format!("{} of the scenario", sc.step_unit);
    let y = "bars apart (utility)";
    super::frame(
        &mut chart,
        (&unit, Ticks::Whole),
        (y, Ticks::Signed(hi - lo)),
    )?;
    shade_zone(&mut chart, tl, (lo, hi))?;
    curve(&mut chart, n, tl, base, BARS, |s| s.bar_gap)
}

/// Who blocks: one row per veto party, a cell per step, its height the
/// party's share of the gap. Names are drawn on `root`, left of the strip.
fn blocker_strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    strip_area: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
    (veto, colours): (&[usize], &[RGBColor]),
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let n = sc.steps as f64;
    let mut strip_chart = ChartBuilder::on(strip_area)
        .margin_left(16)
        .margin_right(16)
        .x_label_area_size(0)
        .y_label_area_size(140)
        .caption(
            "Who blocks (cell height: share of the gap)",
            (FONT, 18).into_font().color(&INK),
        )
        .build_cartesian_2d(-0.5..(n - 0.5), 0.0..veto.len() as f64)?;
    for (row, &p) in veto.iter().enumerate() {
        let base = (veto.len() - 1 - row) as f64;
        let colour = colours[row];
        strip_chart.draw_series(std::iter::once(Rectangle::new(
            [(-0.5, base + 0.05), (n - 0.5, base + 0.95)],
            RGBColor(245, 245, 245).filled(),
        )))?;
        strip_chart.draw_series(tl.steps.iter().filter_map(|s| {
            let share = s.blockers.iter().find(|b| b.party == p)?.share;
            let t = f64::from(s.step);
            Some(Rectangle::new(
                [
                    (t - 0.5, base + 0.05),
                    (t + 0.5, base + 0.05 + 0.9 * share.min(1.0)),
                ],
                colour.filled(),
            ))
        }))?;
        // Names go left of the plotting area, in the root's pixel space.
        let (px, py) = strip_chart.backend_coord(&(-0.5, base + 0.5));
        root.draw(&Text::new(
            sc.parties[p].name.clone(),
            (px - 8, py),
            (FONT, 17)
                .into_font()
                .color(&INK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Right,
                    plotters::style::text_anchor::VPos::Center,
                )),
        ))?;
    }
    Ok(())
}
