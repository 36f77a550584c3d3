//! The gap over time: how far apart the parties are (above zero) or how deep
//! the zone is (below zero), with the steps where the zone exists shaded and,
//! underneath, which parties block it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, FONT, INK, NO_ZONE, ZONE, rgb};

/// The scenario as written, beneath a variant: a mid grey.
const AS_WRITTEN: RGBColor = RGBColor(140, 140, 140);

/// The bar gap's colour: a muted blue, apart from the gap's black.
const BARS: RGBColor = RGBColor(86, 140, 200);
use crate::model::Scenario;
use crate::sim::Timeline;

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
    let strip = 40 + 30 * veto.len() as u32;
    let (w, h) = root.dim_in_pixel();
    let (upper, bottom) = root.split_vertically(h - strip - 20);
    let (top, side) = upper.split_horizontally(w - 300);

    let shown = tl
        .steps
        .iter()
        .chain(base.iter().flat_map(|b| b.steps.iter()));
    let (mut lo, mut hi) = shown.fold((0.0f64, 0.0f64), |(a, b), s| {
        (a.min(s.gap).min(s.bar_gap), b.max(s.gap).max(s.bar_gap))
    });
    let pad = ((hi - lo) * 0.1).max(0.02);
    lo -= pad;
    hi += pad;

    let mut entries = vec![
        (Mark::Line(INK, 3), "Gap (lines' crossing if".into()),
        (Mark::Blank, "they cross, else bar gap)".into()),
        (Mark::Dashed(BARS, 2), "Bar gap (utility)".into()),
        (Mark::Line(NO_ZONE, 2), "Zero: zone opens below".into()),
        (Mark::Band(ZONE, 0.3), "Steps with a zone".into()),
    ];
    gap_plot(&top, sc, tl, (lo, hi), base)?;
    if base.is_some() {
        entries.push((
            Mark::Dashed(AS_WRITTEN, 2),
            format!("Gap {base_name} (dashed)"),
        ));
    }
    legend::draw(&side, "Legend", &entries)?;
    // Same width as the plot above, so the steps line up.
    let (strip_area, _) = bottom.split_horizontally(w - 300);
    blocker_strip(root, &strip_area, sc, tl, &veto)
}

/// The gap as a line over the steps, the zero line, and the steps with a
/// zone shaded.
fn gap_plot<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
    (lo, hi): (f64, f64),
    base: Option<&Timeline>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let n = sc.steps as f64;
    let mut chart = super::titled(
        top,
        &format!("{}: the gap between the parties", sc.title),
        30,
        140,
    )
    .build_cartesian_2d(-0.5..(n - 0.5), lo..hi)?;
    super::gap_frame(&mut chart, &sc.step_unit, (lo, hi))?;

    let zone_steps: Vec<f64> = tl
        .steps
        .iter()
        .filter(|s| s.zone_exists())
        .map(|s| f64::from(s.step))
        .collect();
    chart.draw_series(
        zone_steps
            .iter()
            .map(|&t| Rectangle::new([(t - 0.5, lo), (t + 0.5, hi)], ZONE.mix(0.22).filled())),
    )?;
    chart.draw_series(LineSeries::new(
        [(-0.5, 0.0), (n - 0.5, 0.0)],
        NO_ZONE.stroke_width(2),
    ))?;
    // The bar gap, dashed: where it lies below the gap, the red lines are
    // what keeps the zone shut (the gap is then their crossing, as a share
    // of the range).
    let bars: Vec<(f64, f64)> = tl
        .steps
        .iter()
        .map(|s| (f64::from(s.step), s.bar_gap))
        .collect();
    chart.draw_series(DashedLineSeries::new(bars, 8, 5, BARS.stroke_width(2)))?;
    if let Some(base) = base {
        let written = base.steps.iter().map(|s| (f64::from(s.step), s.gap));
        chart.draw_series(DashedLineSeries::new(
            written,
            10,
            6,
            AS_WRITTEN.stroke_width(2),
        ))?;
    }
    let line: Vec<(f64, f64)> = tl
        .steps
        .iter()
        .map(|s| (f64::from(s.step), s.gap))
        .collect();
    chart.draw_series(LineSeries::new(line.iter().copied(), INK.stroke_width(3)))?;
    chart.draw_series(line.iter().map(|&p| Circle::new(p, 3, INK.filled())))?;
    Ok(())
}

/// Who blocks: one row per veto party, a cell per step, its height the
/// party's share of the gap. Names are drawn on `root`, left of the strip.
fn blocker_strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    strip_area: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
    veto: &[usize],
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
        let colour = rgb(sc.parties[p].colour);
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
