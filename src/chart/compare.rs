//! Several scenarios' gap curves on one chart, for the report's comparison.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, PALETTE, Ticks};

/// The zero line's grey: every palette colour stays free for a scenario.
const ZERO: RGBColor = RGBColor(150, 150, 150);

/// One scenario's curves, step by step: how far its red lines cross, as a
/// share of the crossing issue's range (the worst issue; zero when they
/// leave room, however much), and how far apart its bars are, in utility. The two
/// walls are drawn on axes of their own: a share of a range and a utility
/// are different quantities, and one axis for both would compare them.
pub struct Curve {
    pub title: String,
    pub lines: Vec<(f64, f64)>,
    pub bars: Vec<(f64, f64)>,
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    step_unit: &str,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (main, side) = root.split_horizontally(w - 340);
    let n = curves
        .iter()
        .flat_map(|c| c.bars.iter().map(|p| p.0))
        .fold(1.0f64, f64::max)
        + 1.0;
    let crossing = curves.iter().any(|c| c.lines.iter().any(|p| p.1 > 0.0));
    let (top, bottom) = if crossing {
        let (a, b) = main.split_vertically(h * 2 / 5);
        (Some(a), b)
    } else {
        (None, main)
    };
    if let Some(top) = &top {
        let series: Vec<&[(f64, f64)]> = curves.iter().map(|c| c.lines.as_slice()).collect();
        panel(
            top,
            &series,
            "How far the red lines cross in each scenario",
            "lines cross (% of range)",
            Ticks::Percent(1.0),
            (n, step_unit, false),
        )?;
    }
    let series: Vec<&[(f64, f64)]> = curves.iter().map(|c| c.bars.as_slice()).collect();
    let title = if crossing {
        "How far apart the bars are (between the lines where they cross)"
    } else {
        "How far apart the bars are in each scenario"
    };
    panel(
        &bottom,
        &series,
        title,
        "bars apart (utility)",
        Ticks::Signed(1.0),
        (n, step_unit, true),
    )?;
    let mut entries = Vec::new();
    for (i, c) in curves.iter().enumerate() {
        entries.push((mark(i), super::shorten(&c.title, 26)));
    }
    entries.push((
        Mark::Line(ZERO, 2),
        "Zero: below it the wall is open".into(),
    ));
    legend::draw(&side, "Scenarios", &entries)?;
    Ok(())
}

/// Scenario `i`'s colour and dash: solid and dashed alternate so that
/// curves that coincide stay apart.
fn mark(i: usize) -> Mark {
    let colour = PALETTE[i % PALETTE.len()];
    if i.is_multiple_of(2) {
        Mark::Line(colour, 3)
    } else {
        Mark::Dashed(colour, 3)
    }
}

/// One wall's curves on an axis fitted to them, with the zero line.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[&[(f64, f64)]],
    title: &str,
    y_desc: &str,
    ticks: Ticks,
    (n, step_unit, x_axis): (f64, &str, bool),
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (mut lo, mut hi) = (series.iter())
        .flat_map(|c| c.iter().map(|p| p.1))
        .fold((0.0f64, 0.0f64), |(a, b), g| (a.min(g), b.max(g)));
    let pad = ((hi - lo) * 0.1).max(0.01);
    lo -= pad;
    hi += pad;
    let ticks = match ticks {
        Ticks::Signed(_) => Ticks::Signed(hi - lo),
        Ticks::Percent(_) => Ticks::Percent(hi - lo),
        other => other,
    };
    let mut chart =
        super::titled(area, title, 24, 110).build_cartesian_2d(-0.5..(n - 0.5), lo..hi)?;
    let x_desc = if x_axis {
        format!("{step_unit} of the scenario")
    } else {
        String::new()
    };
    super::frame(&mut chart, (&x_desc, Ticks::Whole), (y_desc, ticks))?;
    chart.draw_series(LineSeries::new(
        [(-0.5, 0.0), (n - 0.5, 0.0)],
        ZERO.stroke_width(2),
    ))?;
    for (i, points) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        if i.is_multiple_of(2) {
            chart.draw_series(LineSeries::new(
                points.iter().copied(),
                colour.stroke_width(3),
            ))?;
        } else {
            chart.draw_series(DashedLineSeries::new(
                points.iter().copied(),
                9,
                5,
                colour.stroke_width(3),
            ))?;
        }
    }
    Ok(())
}
