//! Several scenarios' gap curves on one chart, for the report's comparison.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, PALETTE};

/// The zero line's grey: every palette colour stays free for a scenario.
const ZERO: RGBColor = RGBColor(150, 150, 150);

/// One scenario's curve: its title and `(step, gap)` points.
pub struct Curve {
    pub title: String,
    pub points: Vec<(f64, f64)>,
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
    let (w, _) = root.dim_in_pixel();
    let (main, side) = root.split_horizontally(w - 340);
    let n = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .fold(1.0f64, f64::max)
        + 1.0;
    let (mut lo, mut hi) = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .fold((0.0f64, 0.0f64), |(a, b), g| (a.min(g), b.max(g)));
    let pad = ((hi - lo) * 0.1).max(0.01);
    lo -= pad;
    hi += pad;
    let mut chart = super::titled(&main, "The gap in each scenario", 28, 100)
        .build_cartesian_2d(-0.5..(n - 0.5), lo..hi)?;
    super::gap_frame(&mut chart, step_unit, (lo, hi))?;
    chart.draw_series(LineSeries::new(
        [(-0.5, 0.0), (n - 0.5, 0.0)],
        ZERO.stroke_width(2),
    ))?;
    let mut entries = Vec::new();
    for (i, c) in curves.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        // Alternate solid and dashed so curves that coincide stay apart.
        if i % 2 == 0 {
            chart.draw_series(LineSeries::new(
                c.points.iter().copied(),
                colour.stroke_width(3),
            ))?;
        } else {
            chart.draw_series(DashedLineSeries::new(
                c.points.iter().copied(),
                9,
                5,
                colour.stroke_width(3),
            ))?;
        }
        let mark = if i % 2 == 0 {
            Mark::Line(colour, 3)
        } else {
            Mark::Dashed(colour, 3)
        };
        entries.push((mark, super::shorten(&c.title, 26)));
    }
    entries.push((Mark::Line(ZERO, 2), "Zero: zone opens below".into()));
    legend::draw(&side, "Scenarios", &entries)?;
    Ok(())
}
