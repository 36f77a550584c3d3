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

type Chart<'a, DB> = super::Chart2d<'a, DB>;
type Entries = Vec<(Mark, String)>;
type Sides = (Option<Side>, Option<Side>);

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
        let sides: Vec<Sides> = tl
            .steps
            .iter()
            .map(|s| sides(s, issue.min, issue.max))
            .collect();
        // The bands go beneath the lines, but after them in the legend.
        let (mut entries, mut bands) = (Vec::new(), Vec::new());
        let any_zone = room(&mut chart, tl, &sides, (y_lo, y_hi), &mut bands)?;
        limits(&mut chart, sc, tl, &sides, &mut entries)?;
        entries.append(&mut bands);
        verdict(&mut chart, sc, tl, any_zone, (y_lo, y_hi), &mut entries)?;
        legend::row(&foot, &entries)
    }
}

/// The room between the lines at each step: the zone, room on this issue
/// only, or the crossing; returns whether the zone shows anywhere.
fn room<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    tl: &Timeline,
    sides: &[Sides],
    (y_lo, y_hi): (f64, f64),
    entries: &mut Entries,
) -> Result<bool, ChartError>
where
    DB::ErrorType: 'static,
{
    let (mut any_zone, mut any_room, mut any_cross) = (false, false, false);
    for (s, (low, high)) in tl.steps.iter().zip(sides) {
        let lo = low.map_or(y_lo, |l| l.value);
        let hi = high.map_or(y_hi, |h| h.value);
        let t = f64::from(s.step);
        let (from, to, fill) = if s.zone_exists() {
            any_zone = true;
            (lo, hi, ZONE.mix(0.55))
        } else if lo <= hi {
            any_room = true;
            (lo, hi, ROOM.mix(0.3))
        } else {
            any_cross = true;
            (hi, lo, NO_ZONE.mix(0.15))
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(t - 0.5, from), (t + 0.5, to)],
            fill.filled(),
        )))?;
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
    Ok(any_zone)
}

/// The two limits, a step at a time in the colour of the party that sets
/// each, the upper one wider and beneath, so where the two coincide both
/// show, as nested stripes.
fn limits<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    tl: &Timeline,
    sides: &[Sides],
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    for (upper, word, width) in [(true, "accepts at most", 11), (false, "needs at least", 5)] {
        let mut setters: Vec<usize> = Vec::new();
        for (s, side) in tl.steps.iter().zip(sides) {
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
    Ok(())
}

/// The deal, if any, and the verdict in words at the foot of the plot.
fn verdict<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    tl: &Timeline,
    any_zone: bool,
    (y_lo, y_hi): (f64, f64),
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let issue = &sc.issues[sc.front_issue];
    if let Outcome::Deal { step, settlement } = &tl.outcome {
        let at = (f64::from(*step), settlement[sc.front_issue]);
        chart.draw_series(std::iter::once(Circle::new(at, 9, WHITE.filled())))?;
        chart.draw_series(std::iter::once(Circle::new(at, 9, INK.stroke_width(3))))?;
        entries.push((Mark::Dot, "the deal".into()));
    }
    let first = tl.steps.iter().find(|s| s.zone_exists());
    let text = match (&tl.outcome, first) {
        (Outcome::Deal { step, settlement }, _) => format!(
            "Deal at {} {step}: {}",
            sc.step_unit,
            crate::text::amount(issue, settlement[sc.front_issue])
        ),
        (_, Some(s)) => format!("Zone from {} {}, no deal", sc.step_unit, s.step),
        (_, None) => "No zone at any step".into(),
    };
    let colour = if any_zone { ZONE } else { NO_ZONE };
    let n = f64::from(sc.steps);
    chart.draw_series(std::iter::once(Text::new(
        text,
        ((n - 1.0) / 2.0, y_lo + (y_hi - y_lo) * 0.04),
        (FONT, 30)
            .into_font()
            .color(&colour)
            .pos(Pos::new(HPos::Center, VPos::Bottom)),
    )))?;
    Ok(())
}
