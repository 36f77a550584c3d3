//! Sweep charts: probabilities against one swept value, or a heatmap over
//! two.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Mark};
use super::{ChartError, FONT, Figure, INK, Ticks, ZONE};
use crate::mc::wilson;
use crate::output::sweep::Meta;
use crate::sweep::{Axis, Cell, grid};

/// The heatmap's plot: grid cells on both axes.
type Heat<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// P(zone within the horizon) and P(deal) against one swept value.
pub struct SweepLine<'a>(pub &'a Meta, pub &'a [Cell]);
/// P(zone within the horizon) over two swept values.
pub struct SweepHeat<'a>(pub &'a Meta, pub &'a [Cell]);

const PURPLE: RGBColor = RGBColor(123, 50, 148);

impl Figure for SweepLine<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let (meta, cells) = (self.0, self.1);
        root.fill(&WHITE)?;
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w - 320);
        let values = grid(&meta.axes);
        let axis = &meta.axes[0];
        let (lo, hi) = (axis.from.min(axis.to), axis.from.max(axis.to));
        let pad = if hi > lo { 0.03 * (hi - lo) } else { 0.5 };
        let most = (cells.iter())
            .flat_map(|c| [wilson(c.zone, c.runs).1, wilson(c.deal, c.runs).1])
            .fold(0.0, f64::max);
        let top = super::probability_top(most);
        let mut chart = super::titled(
            &main,
            &format!(
                "{}: sweeping {} ({} runs a value)",
                meta.title, axis.path, meta.runs
            ),
            26,
            86,
        )
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..top)?;
        let y_title = format!("probability within {} {}s", meta.steps, meta.step_unit);
        super::frame(
            &mut chart,
            (&axis.path, Ticks::Plain),
            (&y_title, Ticks::Percent(top)),
        )?;
        for (count, colour) in [(0, ZONE), (1, PURPLE)] {
            let pts: Vec<(f64, f64, f64, f64)> = cells
                .iter()
                .map(|c| {
                    let k = if count == 0 { c.zone } else { c.deal };
                    let (l, h) = wilson(k, c.runs);
                    (values[c.index][0], k as f64 / c.runs.max(1) as f64, l, h)
                })
                .collect();
            let mut band: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.3)).collect();
            band.extend(pts.iter().rev().map(|p| (p.0, p.2)));
            chart.draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.2).filled(),
            )))?;
            chart.draw_series(LineSeries::new(
                pts.iter().map(|p| (p.0, p.1)),
                colour.stroke_width(3),
            ))?;
            chart.draw_series(
                pts.iter()
                    .map(|p| Circle::new((p.0, p.1), 4, colour.filled())),
            )?;
        }
        legend::draw(
            &side,
            "Legend",
            &[
                (Mark::Line(ZONE, 3), "Zone at some step".into()),
                (Mark::Line(PURPLE, 3), "Deal reached".into()),
                (Mark::Band(INK, 0.15), "95% interval (Wilson)".into()),
            ],
        )?;
        Ok(())
    }
}

/// A sequential colour scale from pale to dark green, readable in print.
fn scale(p: f64) -> RGBColor {
    let p = p.clamp(0.0, 1.0);
    let (a, b) = ((247.0, 252.0, 245.0), (0.0, 90.0, 50.0));
    let mix = |x: f64, y: f64| (x + (y - x) * p) as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl Figure for SweepHeat<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let (meta, cells) = (self.0, self.1);
        root.fill(&WHITE)?;
        let (w, h) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w - 220);
        let (ax, ay) = (&meta.axes[0], &meta.axes[1]);
        let (nx, ny) = (ax.steps, ay.steps);
        let mut chart = super::titled(
            &main,
            &format!(
                "{}: probability of a zone within {} {}s ({} runs a cell)",
                meta.title, meta.steps, meta.step_unit, meta.runs
            ),
            24,
            100,
        )
        .build_cartesian_2d(0.0..nx as f64, 0.0..ny as f64)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc(ax.path.clone())
            .y_desc(ay.path.clone())
            .axis_desc_style((FONT, 22))
            .draw()?;
        axis_values(root, &chart, ax, ay)?;
        heat_cells(&mut chart, cells, nx, ny)?;
        colour_scale(&side, h)
    }
}

/// Each cell's value written under its column and beside its row.
fn axis_values<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Heat<'_, DB>,
    ax: &Axis,
    ay: &Axis,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let short = |v: f64| {
        format!("{v:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    };
    let tick = (FONT, 16).into_font().color(&INK);
    for (i, v) in ax.values().into_iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            short(v),
            (x, y + 8),
            tick.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    for (j, v) in ay.values().into_iter().enumerate() {
        let (x, y) = chart.backend_coord(&(0.0, j as f64 + 0.5));
        root.draw(&Text::new(
            short(v),
            (x - 8, y),
            tick.pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// A cell per grid point, coloured by P(zone), with its percentage when
/// the grid is small enough to read.
fn heat_cells<DB: DrawingBackend>(
    chart: &mut Heat<'_, DB>,
    cells: &[Cell],
    nx: usize,
    ny: usize,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let show_numbers = nx * ny <= 300;
    for c in cells {
        let (i, j) = (c.index / ny, c.index % ny);
        let p = c.zone as f64 / c.runs.max(1) as f64;
        let (x, y) = (i as f64, j as f64);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x, y), (x + 1.0, y + 1.0)],
            scale(p).filled(),
        )))?;
        if show_numbers {
            let ink = if p > 0.55 { WHITE } else { INK };
            chart.draw_series(std::iter::once(Text::new(
                format!("{:.0}%", 100.0 * p),
                (x + 0.5, y + 0.5),
                (FONT, 15)
                    .into_font()
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            )))?;
        }
    }
    Ok(())
}

/// The colour scale, labelled.
fn colour_scale<DB: DrawingBackend>(side: &DrawingArea<DB, Shift>, h: u32) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (top, bottom) = (90i32, h as i32 - 110);
    side.draw(&Text::new(
        "P(zone)",
        (20, 50),
        (FONT, 20).into_font().color(&INK),
    ))?;
    let steps = 100;
    for s in 0..steps {
        let p = 1.0 - s as f64 / steps as f64;
        let y0 = top + (bottom - top) * s / steps;
        let y1 = top + (bottom - top) * (s + 1) / steps;
        side.draw(&Rectangle::new([(20, y0), (60, y1 + 1)], scale(p).filled()))?;
    }
    side.draw(&Rectangle::new(
        [(20, top), (60, bottom)],
        INK.stroke_width(1),
    ))?;
    for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = bottom - ((bottom - top) as f64 * p) as i32;
        side.draw(&PathElement::new(
            vec![(60, y), (68, y)],
            INK.stroke_width(1),
        ))?;
        side.draw(&Text::new(
            format!("{:.0}%", 100.0 * p),
            (74, y),
            (FONT, 16)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}
