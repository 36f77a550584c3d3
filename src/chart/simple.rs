//! The plain teaching chart (`--style simple`): on the front issue, over
//! time, only the two limits that meet or fail to meet: the highest "at
//! least" and the lowest "at most" among the parties whose consent is
//! needed, each in the colour and with the name of the party that sets it.
//! The axis is the whole issue (or the scenario's fixed range), so two
//! slides compare. Green between the lines is the zone; where the lines
//! leave room but other issues or the bars keep the parties apart, the room
//! is grey and says so, and where the limits cross the gap between them is
//! shaded, so the picture never contradicts the verdict.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Mark};
use super::{ChartError, FONT, Figure, INK, NO_ZONE, Ticks, ZONE, rgb};
use crate::model::Scenario;
use crate::sim::{Outcome, Step, Timeline};

/// The simple zone chart of one run.
pub struct SimpleZone<'a>(pub &'a Scenario, pub &'a Timeline);

const ROOM: RGBColor = RGBColor(160, 160, 160);

/// The binding limit of one side at one step, and the party that sets it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    pub value: f64,
    pub party: usize,
}

/// At one step: the highest lower limit and the lowest upper limit on the
/// front issue among the consenting parties (`None` on a side no party
/// limits, or when a consenting party accepts nothing).
pub fn sides(s: &Step, issue_min: f64, issue_max: f64) -> (Option<Side>, Option<Side>) {
    let eps = (issue_max - issue_min) * 1e-6;
    let (mut low, mut high): (Option<Side>, Option<Side>) = (None, None);
    for &p in &s.consenting {
        let Some(r) = s.ranges[p] else {
            return (None, None);
        };
        if r.low > issue_min + eps && low.is_none_or(|l| r.low > l.value) {
            low = Some(Side {
                value: r.low,
                party: p,
            });
        }
        if r.high < issue_max - eps && high.is_none_or(|h| r.high < h.value) {
            high = Some(Side {
                value: r.high,
                party: p,
            });
        }
    }
    (low, high)
}

impl Figure for SimpleZone<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let (sc, tl) = (self.0, self.1);
        let issue = &sc.issues[sc.front_issue];
        root.fill(&WHITE)?;
        let (_, h) = root.dim_in_pixel();
        let (plot, foot) = root.split_vertically(h - 70);
        let (y_lo, y_hi) = sc
            .chart_y
            .map_or((issue.min, issue.max), |y| (y.low, y.high));
        let n = f64::from(sc.steps);
        let unit = if issue.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", issue.unit)
        };
        let mut chart = super::titled(
            &plot,
            &format!("{}: do the two limits meet?", sc.title),
            30,
            90,
        )
        .build_cartesian_2d(-0.5..(n - 0.5), y_lo..y_hi)?;
        let x_title = format!("{} of the scenario", sc.step_unit);
        let y_title = format!("{}{unit}", issue.label);
        super::frame(
            &mut chart,
            (&x_title, Ticks::Whole),
            (&y_title, Ticks::Plain),
        )?;
        let sides: Vec<_> = tl
            .steps
            .iter()
            .map(|s| sides(s, issue.min, issue.max))
            .collect();
        // The room between the lines: the zone, or room on this issue only.
        let mut any_zone = false;
        let mut any_room = false;
        let mut any_cross = false;
        for (s, (low, high)) in tl.steps.iter().zip(&sides) {
            let lo = low.map_or(y_lo, |l| l.value);
            let hi = high.map_or(y_hi, |h| h.value);
            let t = f64::from(s.step);
            if s.zone_exists() {
                any_zone = true;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(t - 0.5, lo), (t + 0.5, hi)],
                    ZONE.mix(0.55).filled(),
                )))?;
            } else if lo <= hi {
                any_room = true;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(t - 0.5, lo), (t + 0.5, hi)],
                    ROOM.mix(0.3).filled(),
                )))?;
            } else {
                any_cross = true;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(t - 0.5, hi), (t + 0.5, lo)],
                    NO_ZONE.mix(0.15).filled(),
                )))?;
            }
        }
        let mut entries = Vec::new();
        // The upper limit wider and beneath, so where the two coincide both
        // show, as nested stripes.
        for (upper, word, width) in [(true, "accepts at most", 11), (false, "needs at least", 5)] {
            let mut setters: Vec<usize> = Vec::new();
            for (s, side) in tl.steps.iter().zip(&sides) {
                let Some(side) = (if upper { side.1 } else { side.0 }) else {
                    continue;
                };
                let colour = rgb(sc.parties[side.party].colour);
                let t = f64::from(s.step);
                chart.draw_series(LineSeries::new(
                    [(t - 0.5, side.value), (t + 0.5, side.value)],
                    colour.stroke_width(width),
                ))?;
                if !setters.contains(&side.party) {
                    setters.push(side.party);
                }
            }
            for p in setters {
                let party = &sc.parties[p];
                entries.push((
                    Mark::Line(rgb(party.colour), width),
                    format!("{} {word}", party.name),
                ));
            }
        }
        if any_zone {
            entries.push((Mark::Band(ZONE, 0.55), "zone".into()));
        }
        if any_room {
            entries.push((
                Mark::Band(ROOM, 0.3),
                "room on this issue, but no zone (other issues, bars)".into(),
            ));
        }
        if any_cross {
            entries.push((Mark::Band(NO_ZONE, 0.15), "the limits cross: apart".into()));
        }
        if let Outcome::Deal { step, settlement } = &tl.outcome {
            let at = (f64::from(*step), settlement[sc.front_issue]);
            chart.draw_series(std::iter::once(Circle::new(at, 9, WHITE.filled())))?;
            chart.draw_series(std::iter::once(Circle::new(at, 9, INK.stroke_width(3))))?;
            entries.push((Mark::Dot, "the deal".into()));
        }
        let first = tl.steps.iter().find(|s| s.zone_exists());
        let verdict = match (&tl.outcome, first) {
            (Outcome::Deal { step, settlement }, _) => format!(
                "Deal at {} {step}: {}",
                sc.step_unit,
                crate::why::amount(issue, settlement[sc.front_issue])
            ),
            (_, Some(s)) => format!("Zone from {} {}, no deal", sc.step_unit, s.step),
            (_, None) => "No zone at any step".into(),
        };
        let colour = if any_zone { ZONE } else { NO_ZONE };
        chart.draw_series(std::iter::once(Text::new(
            verdict,
            ((n - 1.0) / 2.0, y_lo + (y_hi - y_lo) * 0.04),
            (FONT, 30)
                .into_font()
                .color(&colour)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))?;
        legend::row(&foot, &entries)
    }
}
