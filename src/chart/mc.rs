//! Monte Carlo charts: the probability curves with their intervals, and the
//! fan of the gap's percentiles.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, Figure, INK, NO_ZONE, Ticks, ZONE};
use crate::mc::{Tally, wilson};
use crate::model::Scenario;

/// P(zone now), P(zone by now), P(deal by now) per step, with 95% bands.
pub struct McProbability<'a>(pub &'a Scenario, pub &'a Tally);
/// The gap's 5-25-50-75-95 percentiles per step.
pub struct McFan<'a>(pub &'a Scenario, pub &'a Tally);

const BLUE: RGBColor = RGBColor(0, 114, 178);
const PURPLE: RGBColor = RGBColor(123, 50, 148);

impl Figure for McProbability<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let (sc, t) = (self.0, self.1);
        root.fill(&WHITE)?;
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w - 320);
        let n = t.steps as f64;
        let most = (t.zone_by.iter().chain(&t.zone_now).chain(&t.deal_by))
            .map(|&k| wilson(k, t.runs).1)
            .fold(0.0, f64::max);
        let top = super::probability_top(most);
        let mut chart = super::titled(
            &main,
            &format!("{}: how likely is a zone? ({} runs)", sc.title, t.runs),
            28,
            86,
        )
        .build_cartesian_2d(-0.5..(n - 0.5), 0.0..top)?;
        let unit = format!("{} of the scenario", sc.step_unit);
        super::frame(
            &mut chart,
            (&unit, Ticks::Whole),
            ("probability", Ticks::Percent(top)),
        )?;
        let series: [(&[u64], RGBColor, &str, bool); 3] = [
            (&t.zone_by, ZONE, "Zone has existed by then", false),
            (&t.zone_now, BLUE, "Zone exists at the step", true),
            (&t.deal_by, PURPLE, "Deal reached by then", false),
        ];
        let mut entries = Vec::new();
        for (counts, colour, label, dashed) in series {
            let bounds: Vec<(f64, f64, f64)> = counts
                .iter()
                .enumerate()
                .map(|(s, &k)| {
                    let (lo, hi) = wilson(k, t.runs);
                    (s as f64, lo, hi)
                })
                .collect();
            let mut band: Vec<(f64, f64)> = bounds.iter().map(|&(x, _, hi)| (x, hi)).collect();
            band.extend(bounds.iter().rev().map(|&(x, lo, _)| (x, lo)));
            chart.draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.2).filled(),
            )))?;
            let line: Vec<(f64, f64)> = counts
                .iter()
                .enumerate()
                .map(|(s, &k)| (s as f64, k as f64 / t.runs.max(1) as f64))
                .collect();
            if dashed {
                chart.draw_series(DashedLineSeries::new(line, 10, 6, colour.stroke_width(3)))?;
            } else {
                chart.draw_series(LineSeries::new(line, colour.stroke_width(3)))?;
            }
            let mark = if dashed {
                Mark::Dashed(colour, 3)
            } else {
                Mark::Line(colour, 3)
            };
            entries.push((mark, label.to_string()));
        }
        entries.push((Mark::Band(INK, 0.15), "95% interval (Wilson)".into()));
        legend::draw(&side, "Legend", &entries)?;
        Ok(())
    }
}

impl Figure for McFan<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let (sc, t) = (self.0, self.1);
        root.fill(&WHITE)?;
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w - 320);
        let n = t.steps as f64;
        let qs = [0.05, 0.25, 0.5, 0.75, 0.95];
        let rows: Vec<[f64; 5]> = (0..t.steps)
            .map(|s| qs.map(|q| t.gap_quantile(s, q)))
            .collect();
        let (mut lo, mut hi) = rows
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), r| (a.min(r[0]), b.max(r[4])));
        let pad = ((hi - lo) * 0.1).max(0.01);
        lo -= pad;
        hi += pad;
        let mut chart = super::titled(
            &main,
            &format!("{}: spread of the gap ({} runs)", sc.title, t.runs),
            28,
            100,
        )
        .build_cartesian_2d(-0.5..(n - 0.5), lo..hi)?;
        super::gap_frame(&mut chart, &sc.step_unit, (lo, hi))?;
        let band = |a: usize, b: usize| -> Vec<(f64, f64)> {
            let mut pts: Vec<(f64, f64)> = rows
                .iter()
                .enumerate()
                .map(|(s, r)| (s as f64, r[b]))
                .collect();
            pts.extend(rows.iter().enumerate().rev().map(|(s, r)| (s as f64, r[a])));
            pts
        };
        chart.draw_series(std::iter::once(Polygon::new(
            band(0, 4),
            BLUE.mix(0.15).filled(),
        )))?;
        chart.draw_series(std::iter::once(Polygon::new(
            band(1, 3),
            BLUE.mix(0.35).filled(),
        )))?;
        chart.draw_series(LineSeries::new(
            rows.iter().enumerate().map(|(s, r)| (s as f64, r[2])),
            INK.stroke_width(3),
        ))?;
        chart.draw_series(LineSeries::new(
            [(-0.5, 0.0), (n - 0.5, 0.0)],
            NO_ZONE.stroke_width(2),
        ))?;
        legend::draw(
            &side,
            "Legend",
            &[
                (Mark::Line(INK, 3), "Median gap".into()),
                (
                    Mark::Band(BLUE, 0.35),
                    "Middle half of runs (25-75%)".into(),
                ),
                (Mark::Band(BLUE, 0.15), "90% of runs (5-95%)".into()),
                (Mark::Line(NO_ZONE, 2), "Zero: zone opens below".into()),
            ],
        )?;
        Ok(())
    }
}
