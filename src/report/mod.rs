//! The classroom report and the terminal explanation of a run.
//!
//! Both are written from one [`Analysis`]: the run's headline facts, a
//! narrative generated from the timeline, the "what would open the zone"
//! table, and discussion questions derived from the results. The HTML and the
//! terminal renderers only lay these out, so they always tell the same story.

pub mod html;
mod narrative;
pub mod text;

use crate::explain::{self, Openings};
use crate::facts::Facts;
use crate::model::Scenario;
use crate::sim::Timeline;

/// Everything a report says about one scenario.
pub struct Analysis<'a> {
    pub scenario: &'a Scenario,
    pub timeline: Timeline,
    pub facts: Facts,
    /// One entry per paragraph or list item, in plain text.
    pub narrative: Vec<String>,
    pub openings: Option<Openings>,
    pub questions: Vec<String>,
}

/// Analyses one run. `source` is the text of the scenario's source document,
/// if it could be read, so events can quote the lines they cite.
pub fn analyse<'a>(
    sc: &'a Scenario,
    tl: Timeline,
    source: Option<&str>,
    at: Option<u32>,
) -> Analysis<'a> {
    let facts = Facts::of(sc, &tl);
    let step = at.or_else(|| explain::default_step(&facts));
    let openings = step.map(|s| explain::openings(sc, &tl, s));
    let lines: Vec<&str> = source.map(|s| s.lines().collect()).unwrap_or_default();
    let narrative = narrative::story(sc, &tl, &facts, &lines);
    let questions = narrative::questions(sc, &tl, openings.as_ref());
    Analysis {
        scenario: sc,
        timeline: tl,
        facts,
        narrative,
        openings,
        questions,
    }
}

/// A gap as the report prints it everywhere (and as tests compare it).
pub fn gap_text(g: f64) -> String {
    let s = format!("{g:+.4}");
    if s == "-0.0000" { "+0.0000".into() } else { s }
}

/// A settlement as "territory 19.26 % of Ukraine, sanctions 0.00 %".
pub fn settlement_text(sc: &Scenario, values: &[f64]) -> String {
    sc.issues
        .iter()
        .zip(values)
        .map(|(i, v)| {
            if i.unit.is_empty() {
                format!("{} {v:.2}", i.id)
            } else {
                format!("{} {v:.2} {}", i.id, i.unit)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a move is written: "Russia: bar (reservation) 0.650 → 0.610".
pub fn move_text(sc: &Scenario, m: &explain::Move) -> String {
    let party = &sc.parties[m.party].name;
    match m.to {
        Some(to) => format!(
            "{party}: {} {} → {}",
            m.lever.name(sc),
            value(m.from),
            value(to)
        ),
        None => format!(
            "{party}: {} {} → no value opens it",
            m.lever.name(sc),
            value(m.from)
        ),
    }
}

/// Knob and bar values with enough digits to tell small moves apart.
pub fn value(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}
