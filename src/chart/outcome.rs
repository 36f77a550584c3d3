//! The outcome space of two parties at one step, drawn: every settlement's
//! pair of utilities (a grid of settlements, as dots), the exact Pareto
//! frontier, both bars, the settlements in the zone, the Nash and
//! Kalai-Smorodinsky points, the proposal and the deal. The points are
//! computed by [`crate::outcome::pair_space`]; this file only draws them.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, FONT, Figure, INK, Ticks, ZONE, rgb};
use crate::model::Scenario;
use crate::outcome::{PairSpace, UtilityPair, pair_space};
use crate::sim::{Step, Timeline};

/// The outcome chart of parties `pair` at `step` of a run.
pub struct OutcomeChart<'a> {
    pub scenario: &'a Scenario,
    pub timeline: &'a Timeline,
    pub step: u32,
    pub pair: [usize; 2],
}

const DOTS: RGBColor = RGBColor(170, 170, 170);
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
        why_text(
            &side,
            &crate::why::zone_text(sc, s),
            80 + 30 * entries.len() as i32,
        )
    }
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
        chart
            .draw_series((space.settlements.iter()).map(|&at| Circle::new(at, 2, DOTS.filled())))?;
        chart.draw_series((space.in_zone.iter()).map(|&at| Circle::new(at, 4, ZONE.filled())))?;
        chart.draw_series(LineSeries::new(
            space.frontier.iter().copied(),
            PARETO.stroke_width(2),
        ))?;
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
                Mark::Block(DOTS),
                "a settlement (a grid of them)".to_string(),
            ),
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

/// Why there is a zone or not, in words, wrapped under the legend from `y`.
fn why_text<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    why: &str,
    mut y: i32,
) -> Result<(), ChartError>
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
    Ok(())
}
