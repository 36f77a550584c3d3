//! The summary of one run, as a person reads it in a terminal and as JSON.

use std::fmt::Write as _;

use serde::Serialize;

use crate::facts::Facts;
use crate::model::Scenario;
use crate::sim::{Outcome, Timeline};
use crate::text::{first_zone_text, gap_text, settlement_text, shorten, wrap};

/// The facts of a run a reader wants first, shared by the text and JSON
/// summaries.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    /// One run: the stream `(seed, 0)`.
    pub runs: u64,
    /// What `--set` changed (empty for the scenario as written).
    pub variant: Vec<super::VariantField>,
    pub steps_run: usize,
    pub step_unit: String,
    pub outcome: String,
    pub deal_step: Option<u32>,
    pub settlement: Option<Vec<IssueValue>>,
    pub first_zone_step: Option<u32>,
    pub smallest_gap: f64,
    pub smallest_gap_step: u32,
    pub blocking_steps: Vec<PartyCount>,
    /// The zone's extent on every issue at the first step with a zone.
    pub first_zone_extent: Option<Vec<IssueRange>>,
    /// The Nash and Kalai-Smorodinsky points of the first zone.
    pub first_zone_nash: Option<Vec<IssueValue>>,
    pub first_zone_kalai_smorodinsky: Option<Vec<IssueValue>>,
    /// For a deal: the largest gain every party could still have at once
    /// (0 on the Pareto frontier), and its distance to the Nash point, in
    /// utility.
    pub deal_pareto_room: Option<f64>,
    pub deal_nash_distance: Option<f64>,
    pub walked_away: Vec<PartyStep>,
}

#[derive(Debug, Serialize)]
pub struct IssueValue {
    pub issue: String,
    pub value: f64,
    pub unit: String,
    /// On a discrete issue, the option the value stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PartyCount {
    pub party: String,
    pub steps: u32,
    /// Steps at which its red lines crossed, and its bar kept the bars apart.
    pub line_steps: u32,
    pub bar_steps: u32,
}

#[derive(Debug, Serialize)]
pub struct IssueRange {
    pub issue: String,
    pub low: f64,
    pub high: f64,
    pub unit: String,
    /// On a discrete issue, the options in the zone, in order (between
    /// `low` and `high` lie options that may not be).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct PartyStep {
    pub party: String,
    pub step: u32,
}

pub fn summary(sc: &Scenario, tl: &Timeline, facts: &Facts) -> Summary {
    let values = |vs: Vec<f64>| -> Vec<IssueValue> {
        sc.issues
            .iter()
            .zip(vs)
            .map(|(i, v)| IssueValue {
                issue: i.id.clone(),
                value: v,
                unit: i.unit.clone(),
                option: i.option_at(v).map(String::from),
            })
            .collect()
    };
    let settlement = facts.settlement.as_ref().map(|s| values(s.values.clone()));
    let quality = facts.deal_quality;
    Summary {
        scenario: sc.name.clone(),
        title: sc.title.clone(),
        seed: tl.seed,
        runs: 1,
        variant: Vec::new(),
        steps_run: facts.steps_run,
        step_unit: sc.step_unit.clone(),
        outcome: facts.outcome.label().into(),
        deal_step: facts.settlement.as_ref().map(|s| s.step),
        settlement,
        first_zone_step: facts.first_zone,
        smallest_gap: facts.smallest_gap.gap,
        smallest_gap_step: facts.smallest_gap.step,
        blocking_steps: sc
            .parties
            .iter()
            .zip(&facts.blocking)
            .map(|(p, b)| PartyCount {
                party: p.id.clone(),
                steps: b.steps,
                line_steps: b.line_steps,
                bar_steps: b.bar_steps,
            })
            .collect(),
        first_zone_extent: first_zone_extent(sc, tl, facts),
        first_zone_nash: facts.first_zone_nash.clone().map(values),
        first_zone_kalai_smorodinsky: facts.first_zone_kalai_smorodinsky.clone().map(values),
        deal_pareto_room: quality.map(|q| q.pareto_room),
        deal_nash_distance: quality.and_then(|q| q.nash_distance),
        walked_away: facts
            .walked_away
            .iter()
            .map(|d| PartyStep {
                party: sc.parties[d.party].id.clone(),
                step: d.step,
            })
            .collect(),
    }
}

fn first_zone_extent(sc: &Scenario, tl: &Timeline, facts: &Facts) -> Option<Vec<IssueRange>> {
    let step = &tl.steps[facts.first_zone? as usize];
    let extent = step.extent.as_ref()?;
    Some(
        sc.issues
            .iter()
            .zip(extent)
            .enumerate()
            .map(|(k, (i, e))| IssueRange {
                issue: i.id.clone(),
                low: e.low,
                high: e.high,
                unit: i.unit.clone(),
                options: i.is_discrete().then(|| {
                    let open = step.options_in_zone.get(k).map_or(&[][..], Vec::as_slice);
                    open.iter().map(|&o| i.options[o].clone()).collect()
                }),
            })
            .collect(),
    )
}

/// The summary as a person reads it in a terminal (fits 80 columns).
pub fn summary_text(sc: &Scenario, tl: &Timeline, facts: &Facts) -> String {
    let s = summary(sc, tl, facts);
    let unit = &sc.step_unit;
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", sc.title, sc.name);
    let _ = writeln!(
        o,
        "seed {}, {} {unit}s run of {}",
        s.seed, s.steps_run, sc.steps
    );
    let _ = writeln!(o);
    let outcome = match &tl.outcome {
        Outcome::Deal { step, settlement } => {
            format!("DEAL at {unit} {step}: {}", settlement_text(sc, settlement))
        }
        Outcome::Missed { first_zone } => {
            format!("ZONE APPEARED (first at {unit} {first_zone}) BUT WAS MISSED")
        }
        _ => "NO ZONE EVER APPEARED".into(),
    };
    let _ = writeln!(o, "outcome:       {outcome}");
    let _ = writeln!(
        o,
        "first zone:    {}",
        first_zone_text(s.first_zone_step, unit)
    );
    let _ = writeln!(
        o,
        "smallest gap:  {} at {unit} {} ({})",
        gap_text(s.smallest_gap),
        s.smallest_gap_step,
        if s.smallest_gap <= crate::zone::ZONE_TOL {
            "zone depth"
        } else {
            "parties apart"
        }
    );
    let step = &tl.steps[facts.telling_step() as usize];
    let why = format!("{unit} {}: {}", step.step, crate::why::zone_text(sc, step));
    o.push_str(&wrap(&why, "why:           ", 15, 78));
    let point = |vs: &[IssueValue]| -> String {
        let parts: Vec<String> = vs
            .iter()
            .map(|v| match sc.issue_index(&v.issue).map(|k| &sc.issues[k]) {
                Some(i) if i.is_discrete() => crate::text::issue_value(i, v.value),
                _ => format!("{} {:.2}", v.issue, v.value),
            })
            .collect();
        parts.join(", ")
    };
    if let (Some(n), Some(k)) = (&s.first_zone_nash, &s.first_zone_kalai_smorodinsky) {
        let _ = writeln!(o, "nash point:    {} (first zone)", point(n));
        let _ = writeln!(o, "kalai-smor.:   {} (first zone)", point(k));
    }
    if let Some(room) = s.deal_pareto_room {
        let nash = s
            .deal_nash_distance
            .map_or(String::new(), |d| format!("; {d:.4} from the Nash point"));
        let text = format!("{room:.4} of utility left for everyone (0: Pareto-efficient){nash}");
        o.push_str(&wrap(&text, "deal quality:  ", 15, 78));
    }
    o.push_str(&blocking_strip(sc, tl, &s));
    for w in &s.walked_away {
        let _ = writeln!(o, "walked away:   {} at {unit} {}", w.party, w.step);
    }
    o
}

/// Blockers over time: one column per step (or per group of steps when the
/// horizon is longer than the strip), `#` where the party blocked.
fn blocking_strip(sc: &Scenario, tl: &Timeline, s: &Summary) -> String {
    let mut o = String::new();
    let n = tl.steps.len();
    let width = n.clamp(1, 50);
    let _ = writeln!(o, "blocking:      steps  over time (# = blocks the zone)");
    for (p, party) in sc.parties.iter().enumerate() {
        let strip: String = (0..width)
            .map(|c| {
                let (from, to) = (c * n / width, ((c + 1) * n / width).max(c * n / width + 1));
                let blocks = tl.steps[from..to.min(n)].iter().any(|st| st.blocks(p));
                if blocks { '#' } else { '.' }
            })
            .collect();
        let _ = writeln!(
            o,
            "  {:<13} {:>5}  {strip}",
            shorten(&party.name, 13),
            s.blocking_steps[p].steps
        );
    }
    o
}
