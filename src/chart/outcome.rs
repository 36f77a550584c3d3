//! The outcome space of two parties at one step: every settlement's pair
//! of utilities (a grid of settlements, as dots), the exact Pareto frontier,
//! both bars, the settlements in the zone, the Nash and Kalai-Smorodinsky
//! points, the proposal and the deal.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Mark};
use super::{ChartError, FONT, Figure, INK, Ticks, ZONE, rgb};
use crate::model::Scenario;
use crate::sim::{Outcome, Step, Timeline};
use crate::zone::{MAX_ISSUES, outcome::pareto_pair};

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

/// Settlements on a grid over every issue, at most a few thousand.
fn grid(dim: usize) -> Vec<[f64; MAX_ISSUES]> {
    let per = match dim {
        1 => 201,
        2 => 41,
        3 => 13,
        _ => 7,
    };
    let mut out = vec![[0.0; MAX_ISSUES]];
    for k in 0..dim {
        out = out
            .into_iter()
            .flat_map(|y| {
                (0..per).map(move |i| {
                    let mut y = y;
                    y[k] = i as f64 / (per - 1) as f64;
                    y
                })
            })
            .collect();
    }
    out
}

type Chart<'a, DB> = super::Chart2d<'a, DB>;
type Entries = Vec<(Mark, String)>;

impl Figure for OutcomeChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let sc = self.scenario;
        let s: &Step = &self.timeline.steps[self.step as usize];
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
        let mut entries = self.settlements(&mut chart, s)?;
        self.points(&mut chart, s, &mut entries)?;
        legend::draw(&side, "Legend", &entries)?;
        why_text(
            &side,
            &crate::why::zone_text(sc, s),
            80 + 30 * entries.len() as i32,
        )
    }
}

impl OutcomeChart<'_> {
    fn utilities(&self, s: &Step, y: &[f64]) -> (f64, f64) {
        let dim = self.scenario.issues.len();
        let [a, b] = self.pair;
        (s.terms[a].utility(dim, y), s.terms[b].utility(dim, y))
    }

    /// The grid of settlements, those in the zone, the Pareto frontier and
    /// both bars; returns their legend entries.
    fn settlements<DB: DrawingBackend>(
        &self,
        chart: &mut Chart<'_, DB>,
        s: &Step,
    ) -> Result<Entries, ChartError>
    where
        DB::ErrorType: 'static,
    {
        let sc = self.scenario;
        let dim = sc.issues.len();
        let [a, b] = self.pair;
        let (ta, tb) = (&s.terms[a], &s.terms[b]);
        let pts = grid(dim);
        let consenting: Vec<_> = s.consenting.iter().map(|&p| s.terms[p]).collect();
        chart.draw_series(
            pts.iter()
                .map(|y| Circle::new(self.utilities(s, &y[..dim]), 2, DOTS.filled())),
        )?;
        chart.draw_series(
            pts.iter()
                .filter(|y| consenting.iter().all(|t| t.accepts(dim, &y[..dim])))
                .map(|y| Circle::new(self.utilities(s, &y[..dim]), 4, ZONE.filled())),
        )?;
        chart.draw_series(LineSeries::new(
            pareto_pair(dim, ta, tb),
            PARETO.stroke_width(2),
        ))?;
        let (ca, cb) = (rgb(sc.parties[a].colour), rgb(sc.parties[b].colour));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(ta.reservation, 0.0), (ta.reservation, 1.02)],
            ca.stroke_width(2),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, tb.reservation), (1.02, tb.reservation)],
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

    /// The Nash and Kalai-Smorodinsky points, and the deal or the refused
    /// proposal, largest first so points that coincide show as rings.
    fn points<DB: DrawingBackend>(
        &self,
        chart: &mut Chart<'_, DB>,
        s: &Step,
        entries: &mut Entries,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let sc = self.scenario;
        let mut mark = |y: Option<Vec<f64>>, colour: RGBColor, label: &str, size: i32| {
            let Some(y) = y else {
                return Ok::<_, ChartError>(());
            };
            let n: Vec<f64> = sc
                .issues
                .iter()
                .zip(&y)
                .map(|(i, &v)| i.normalise(v))
                .collect();
            let at = self.utilities(s, &n);
            chart.draw_series(std::iter::once(Circle::new(at, size, colour.filled())))?;
            chart.draw_series(std::iter::once(Circle::new(at, size, INK.stroke_width(1))))?;
            entries.push((Mark::Block(colour), label.to_string()));
            Ok(())
        };
        mark(crate::outcome::nash(s), NASH, "Nash point", 12)?;
        mark(
            crate::outcome::kalai_smorodinsky(sc, s),
            KS,
            "Kalai-Smorodinsky point",
            8,
        )?;
        match &self.timeline.outcome {
            Outcome::Deal { step, settlement } if *step == s.step => {
                mark(Some(settlement.clone()), INK, "the deal", 5)
            }
            _ => {
                let proposal = s.proposal.as_ref().map(|p| p.point.clone());
                mark(
                    proposal,
                    RGBColor(240, 228, 66),
                    "the proposal (refused)",
                    5,
                )
            }
        }
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
