//! `zopa value`: what one settlement is worth to each party at a step, and
//! who accepts it. Checks every issue of the settlement and the step before
//! running anything; writes no file.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use zopa::model::Scenario;
use zopa::model::settlement::{Refusal, Verdict, verdicts};
use zopa::{rng, sim};

use super::{Format, Variant};
use crate::emit;
use crate::error::{ArgError, CliError};

/// What `zopa value` is asked to judge.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub scenario: PathBuf,
    /// `(issue id, value in its units)`, as given.
    pub at: Vec<(String, f64)>,
    pub step: u32,
    pub seed: u64,
    pub format: Format,
}

pub struct Job {
    sc: Scenario,
    settlement: Vec<f64>,
    step: u32,
    seed: u64,
    format: Format,
}

impl Job {
    pub fn plan(args: Config) -> Result<Job, CliError> {
        let sc = super::load(&args.scenario, &Variant::default())?.scenario;
        if args.step >= sc.steps {
            return Err(ArgError::StepFlag {
                step: args.step,
                scenario: sc.name.clone(),
                last: sc.steps - 1,
            }
            .into());
        }
        let settlement =
            settlement(&sc, &args.at).map_err(|reason| ArgError::Settlement { reason })?;
        Ok(Job {
            sc,
            settlement,
            step: args.step,
            seed: args.seed,
            format: args.format,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let sc = &self.sc;
        // The run is stepped on past any deal: the question is the terms
        // as they stand at the step, whatever was agreed before.
        let mut simulation = sim::Simulation::new(sc);
        let mut stream = rng::stream(self.seed, 0);
        let mut at = simulation.step(0, &mut stream);
        for t in 1..=self.step {
            at = simulation.step(t, &mut stream);
        }
        let vs = verdicts(sc, &at.terms, &at.consenting, &self.settlement);
        let text = match self.format {
            Format::Text => text(sc, self.step, &self.settlement, &vs),
            Format::Json => {
                let json = json(sc, self.step, self.seed, &self.settlement, &vs);
                let body = serde_json::to_string_pretty(&json).unwrap_or_default();
                format!("{body}\n")
            }
        };
        emit::say(&text);
        Ok(())
    }
}

/// The settlement in issue order: every issue once, each in its range.
fn settlement(sc: &Scenario, at: &[(String, f64)]) -> Result<Vec<f64>, String> {
    let mut values: Vec<Option<f64>> = vec![None; sc.issues.len()];
    for (id, v) in at {
        let Some(k) = sc.issue_index(id) else {
            let ids: Vec<&str> = sc.issues.iter().map(|i| i.id.as_str()).collect();
            let hint = zopa::model::closest(id, ids.iter().copied())
                .map_or(format!("the issues are {}", ids.join(", ")), |c| {
                    format!("did you mean `{c}`?")
                });
            return Err(format!("no issue has the id `{id}`; {hint}"));
        };
        let issue = &sc.issues[k];
        if values[k].is_some() {
            return Err(format!("`{id}` is given twice; give each issue once"));
        }
        if !(issue.min..=issue.max).contains(v) {
            return Err(format!(
                "{v} is outside the range of `{id}`, {} to {}",
                issue.min, issue.max
            ));
        }
        values[k] = Some(*v);
    }
    let missing: Vec<&str> = (sc.issues.iter().zip(&values))
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| i.id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "no value for {}: a settlement gives a value for every issue",
            missing.join(", ")
        ));
    }
    Ok(values.into_iter().flatten().collect())
}

/// A refusal in words, in the issue's units.
fn why_not(sc: &Scenario, r: &Refusal) -> String {
    match *r {
        Refusal::Bar { short } => format!("its bar: {short:.3} short in utility"),
        Refusal::RedLine {
            issue,
            bound,
            upper,
        } => {
            let i = &sc.issues[issue];
            let side = if upper { "at most" } else { "at least" };
            format!("its red line on {}: {side} {bound:.4} {}", i.id, i.unit)
                .trim_end()
                .to_string()
        }
    }
}

fn text(sc: &Scenario, step: u32, settlement: &[f64], vs: &[Verdict]) -> String {
    let mut o = String::new();
    let at: Vec<String> = (sc.issues.iter().zip(settlement))
        .map(|(i, v)| format!("{} = {v} {}", i.id, i.unit).trim_end().to_string())
        .collect();
    let _ = writeln!(
        o,
        "{}: the settlement {} at {} {step}",
        sc.title,
        at.join(", "),
        sc.step_unit
    );
    for v in vs {
        let name = &sc.parties[v.party].name;
        let answer = if v.accepts() {
            "accepts".to_string()
        } else {
            let why: Vec<String> = v.refusals.iter().map(|r| why_not(sc, r)).collect();
            format!("refuses ({})", why.join("; "))
        };
        let needed = if v.consents {
            ""
        } else {
            " (its consent is not needed)"
        };
        let _ = writeln!(
            o,
            "  {name}: utility {:.3}, bar {:.3}: {answer}{needed}",
            v.utility, v.bar
        );
    }
    let all = vs.iter().filter(|v| v.consents).all(Verdict::accepts);
    let _ = writeln!(
        o,
        "{}",
        if all {
            "Every party whose consent is needed accepts it."
        } else {
            "Not every party whose consent is needed accepts it."
        }
    );
    o
}

#[derive(Serialize)]
struct Json {
    scenario: String,
    step: u32,
    seed: u64,
    settlement: serde_json::Map<String, serde_json::Value>,
    parties: Vec<PartyJson>,
    agreed: bool,
}

#[derive(Serialize)]
struct PartyJson {
    party: String,
    utility: f64,
    bar: f64,
    consent_needed: bool,
    accepts: bool,
    why_not: Vec<String>,
}

fn json(sc: &Scenario, step: u32, seed: u64, settlement: &[f64], vs: &[Verdict]) -> Json {
    Json {
        scenario: sc.name.clone(),
        step,
        seed,
        settlement: (sc.issues.iter().zip(settlement))
            .map(|(i, v)| (i.id.clone(), serde_json::json!(v)))
            .collect(),
        parties: vs
            .iter()
            .map(|v| PartyJson {
                party: sc.parties[v.party].id.clone(),
                utility: v.utility,
                bar: v.bar,
                consent_needed: v.consents,
                accepts: v.accepts(),
                why_not: v.refusals.iter().map(|r| why_not(sc, r)).collect(),
            })
            .collect(),
        agreed: vs.iter().filter(|v| v.consents).all(Verdict::accepts),
    }
}
