//! The outcome space of two parties at one step, drawn: every settlement's
//! pair of utilities (a grid of settlements, as dots), the exact Pareto
//! frontier, both bars, the settlements in the zone, the Nash and
//! Kalai-Smorodinsky points, the proposal and the deal. Settlements a red
//! line forbids are greyed out, and the caption says whose lines and bars
//! exclude the rest. The points and who excludes them are computed by
//! [`crate::outcome::pair_space`]; this file only draws and words them.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, FONT, Figure, INK, Ticks, ZONE, rgb};
use crate::model::Scenario;
use crate::outcome::{PairSpace, UtilityPair, pair_space};
use crate::sim::{Step, Timeline};
use crate::text::{and_list, possessive};

/// The outcome chart of parties `pair` at `step` of a run.
pub struct OutcomeChart<'a> {
    pub scenario: &'a Scenario,
    pub timeline: &'a Timeline,
    pub step: u32,
    pub pair: [usize; 2],
}

/// Settlements every red line allows: achievable, if the bars agree.
const ALLOWED: RGBColor = RGBColor(166, 118, 29);
/// Settlements some red line forbids, greyed out.
const FORBIDDEN: RGBColor = RGBColor(215, 215, 215);
const PARETO: RGBColor = RGBColor(0, 0, 0);
const NASH: RGBColor = RGBColor(117, 112, 179);
const KS: RGBColor = RGBColor(86, 180, 233);

type Chart<'a, DB> = super::Chart2d<'a, DB>;
type Entries = Vec<(Mark, String)>;

impl Figure for OutcomeChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let sc = self.scenario;
        let s: &Step = &self.timeline.steps[self.step as usize];
        let space = pair_space(sc, self.timeline, self.step, self.pair);
        let [a, b] = self.pair;
        root.fill(&WHITE)?;
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w - 330);
        let (na, nb) = (&sc.parties[a].name, &sc.parties[b].name);
        let mut chart = super::titled(
            &main,
            &format!(
                "{}: what {na} and {nb} can get at {} {}",
                sc.title, sc.step_unit, s.step
            ),
            24,
            80,
        )
        .build_cartesian_2d(0.0..1.02, 0.0..1.02)?;
        super::frame(
            &mut chart,
            (&format!("{na}'s utility"), Ticks::Plain),
            (&format!("{nb}'s utility"), Ticks::Plain),
        )?;
        let mut entries = self.settlements(&mut chart, &space)?;
        points(&mut chart, &space, &mut entries)?;
        self.marks(&mut chart, s, &mut entries)?;
        legend::draw(&side, "Legend", &entries)?;
        let y = 80 + 30 * entries.len() as i32;
        let y = wrapped(&side, &caption(sc, &space), y)?;
        wrapped(&side, &crate::why::zone_text(sc, s), y + 12)?;
        Ok(())
    }
}

/// Whose red lines grey out settlements and whose bars keep the rest out
/// of the zone, in words: "Greyed out: what the red lines of Ukraine and
/// Europe forbid. The bars of Russia and Ukraine refuse all the rest: no
/// zone."
pub fn caption(sc: &Scenario, space: &PairSpace) -> String {
    // Past eight parties a list of names would fill the panel: a count.
    let names = |ps: &[usize]| {
        if ps.len() > super::crowd::ALL_NAMED {
            return format!("{} of the {} parties", ps.len(), sc.parties.len());
        }
        and_list(
            &ps.iter()
                .map(|&p| sc.parties[p].name.as_str())
                .collect::<Vec<_>>(),
        )
    };
    let lines = &space.excluded_by.red_lines;
    let bars = &space.excluded_by.bars;
    let mut out = match lines.as_slice() {
        [] => "No red line forbids any of these settlements.".to_string(),
        [p] => format!(
            "Greyed out: what {} red lines forbid.",
            possessive(&sc.parties[*p].name)
        ),
        ps => format!("Greyed out: what the red lines of {} forbid.", names(ps)),
    };
    let refuse = match bars.as_slice() {
        [] => None,
        [p] => Some(format!("{} bar refuses", possessive(&sc.parties[*p].name))),
        ps => Some(format!("The bars of {} refuse", names(ps))),
    };
    let any_allowed = space.settlements.iter().any(|g| g.within_red_lines);
    let rest = match (refuse, space.in_zone.is_empty()) {
        _ if !any_allowed => " No settlement keeps every red line: no zone.".to_string(),
        (None, _) => " Every other settlement is in the zone.".to_string(),
        (Some(r), true) if space.zone_exists => {
            format!(" {r} all the rest drawn: the zone lies between these settlements.")
        }
        (Some(r), true) => format!(" {r} all the rest: no zone."),
        (Some(r), false) => format!(" {r} the rest outside the zone."),
    };
    out.push_str(&rest);
    out
}

impl OutcomeChart<'_> {
    /// The grid of settlements, those in the zone, the Pareto frontier and
    /// both bars; returns their legend entries.
    fn settlements<DB: DrawingBackend>(
        &self,
        chart: &mut Chart<'_, DB>,
        space: &PairSpace,
    ) -> Result<Entries, ChartError>
    where
        DB::ErrorType: 'static,
    {
        let sc = self.scenario;
        let [a, b] = self.pair;
        let dots = |within: bool, colour: RGBColor| {
            (space.settlements.iter())
                .filter(move |g| g.within_red_lines == within)
                .map(move |g| Circle::new(g.at, 2, colour.filled()))
        };
        // The frontier first: with one issue every settlement lies on it,
        // and the dots' colours must stay visible.
        chart.draw_series(LineSeries::new(
            space.frontier.iter().copied(),
            PARETO.stroke_width(2),
        ))?;
        chart.draw_series(dots(false, FORBIDDEN))?;
        chart.draw_series(dots(true, ALLOWED))?;
        chart.draw_series((space.in_zone.iter()).map(|&at| Circle::new(at, 4, ZONE.filled())))?;
        let (ca, cb) = (rgb(sc.parties[a].colour), rgb(sc.parties[b].colour));
        let (bar_a, bar_b) = space.bars;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(bar_a, 0.0), (bar_a, 1.02)],
            ca.stroke_width(2),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, bar_b), (1.02, bar_b)],
            cb.stroke_width(2),
        )))?;
        let (na, nb) = (&sc.parties[a].name, &sc.parties[b].name);
        Ok(vec![
            (
                Mark::Block(ALLOWED),
                "a settlement every red line allows".to_string(),
            ),
            (Mark::Block(FORBIDDEN), "one a red line forbids".into()),
            (Mark::Block(ZONE), "in the zone (all accept it)".into()),
            (Mark::Line(PARETO, 2), "Pareto frontier of the two".into()),
            (Mark::Line(ca, 2), format!("bar of {na}")),
            (Mark::Line(cb, 2), format!("bar of {nb}")),
        ])
    }
}

impl OutcomeChart<'_> {
    /// The file's reference settlements (`[[charts.marks]]`), each where
    /// its utilities to the two parties put it, with its label.
    fn marks<DB: DrawingBackend>(
        &self,
        chart: &mut Chart<'_, DB>,
        s: &Step,
        entries: &mut Entries,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let sc = self.scenario;
        let dim = sc.issues.len();
        for m in &sc.chart_marks {
            let y: Vec<f64> = (sc.issues.iter().zip(&m.at))
                .map(|(i, v)| i.normalise(*v))
                .collect();
            let at = (
                s.terms[self.pair[0]].utility(dim, &y),
                s.terms[self.pair[1]].utility(dim, &y),
            );
            chart.draw_series(std::iter::once(Cross::new(at, 9, MARK.stroke_width(3))))?;
            chart.draw_series(std::iter::once(Text::new(
                m.label.clone(),
                (at.0 + 0.015, at.1 + 0.015),
                (FONT, 16).into_font().color(&INK),
            )))?;
            entries.push((Mark::Line(MARK, 3), format!("mark: {}", m.label)));
        }
        Ok(())
    }
}

/// A reference settlement's cross.
const MARK: RGBColor = RGBColor(204, 121, 167);

/// The Nash and Kalai-Smorodinsky points, and the deal or the refused
/// proposal, largest first so points that coincide show as rings.
fn points<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    space: &PairSpace,
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let mut mark = |at: Option<UtilityPair>, colour: RGBColor, label: &str, size: i32| {
        let Some(at) = at else {
            return Ok::<_, ChartError>(());
        };
        chart.draw_series(std::iter::once(Circle::new(at, size, colour.filled())))?;
        chart.draw_series(std::iter::once(Circle::new(at, size, INK.stroke_width(1))))?;
        entries.push((Mark::Block(colour), label.to_string()));
        Ok(())
    };
    mark(space.nash, NASH, "Nash point", 12)?;
    mark(space.kalai_smorodinsky, KS, "Kalai-Smorodinsky point", 8)?;
    match space.on_table {
        Some(t) if t.deal => mark(Some(t.at), INK, "the deal", 5),
        other => mark(
            other.map(|t| t.at),
            RGBColor(240, 228, 66),
            "the proposal (refused)",
            5,
        ),
    }
}

/// Words wrapped under the legend from `y`; returns the line below them.
fn wrapped<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    why: &str,
    mut y: i32,
) -> Result<i32, ChartError>
where
    DB::ErrorType: 'static,
{
    let style = (FONT, 15).into_font().color(&INK);
    let mut line = String::new();
    for word in why.split_whitespace() {
        if line.chars().count() + word.chars().count() > 38 {
            side.draw(&Text::new(line.clone(), (10, y), style.clone()))?;
            line.clear();
            y += 20;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    side.draw(&Text::new(line, (10, y), style))?;
    Ok(y + 20)
}
