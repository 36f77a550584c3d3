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
    /// `(issue id, value in its units or an option's name)`, as given.
    pub at: Vec<(String, String)>,
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
fn settlement(sc: &Scenario, at: &[(String, String)]) -> Result<Vec<f64>, String> {
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
        let v = &value_of(issue, v)?;
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

/// A value as written for one issue: a number in its units, or on a
/// discrete issue an option's name or its value (0 to n - 1), never a
/// value between two options.
fn value_of(issue: &zopa::model::Issue, text: &str) -> Result<f64, String> {
    let id = &issue.id;
    if issue.is_discrete() {
        if let Some(i) = issue.options.iter().position(|o| o == text) {
            return Ok(i as f64);
        }
        let named = issue
            .options
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>();
        let hint = format!("`{id}` takes one of {}", named.join(", "));
        let v: f64 = text
            .parse()
            .map_err(|_| format!("`{text}` is no option of `{id}`; {hint}"))?;
        if v.fract() != 0.0 || v < 0.0 || v >= issue.options.len() as f64 {
            return Err(format!("{v} is no option of `{id}`; {hint}"));
        }
        return Ok(v);
    }
    (text.parse())
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("`{text}` is not a number; `{id}` takes a value in its units"))
}

/// ", worth ..." after a utility figure, or nothing when it has no worth.
fn comma(worth: String) -> String {
    if worth.is_empty() {
        worth
    } else {
        format!(", {worth}")
    }
}

/// A refusal in words, in the issue's units.
fn why_not(sc: &Scenario, party: usize, r: &Refusal) -> String {
    match *r {
        Refusal::Bar { short } => format!(
            "its bar: {short:.3} short in utility{}",
            comma(zopa::text::worth_text(sc, party, short))
        ),
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
    let _ = writeln!(
        o,
        "{}: the settlement {} at {} {step}",
        sc.title,
        zopa::text::settlement_text(sc, settlement),
        sc.step_unit
    );
    for v in vs {
        let name = &sc.parties[v.party].name;
        let answer = if v.accepts() {
            let spare = v.utility - v.bar;
            format!(
                "accepts, {spare:.3} above its bar{}",
                zopa::text::worth_aside(sc, v.party, spare)
            )
        } else {
            let why: Vec<String> = (v.refusals.iter())
                .map(|r| why_not(sc, v.party, r))
                .collect();
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
    /// The option each discrete issue's value stands for.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    options: serde_json::Map<String, serde_json::Value>,
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
        options: (sc.issues.iter().zip(settlement))
            .filter_map(|(i, &v)| Some((i.id.clone(), serde_json::json!(i.option_at(v)?))))
            .collect(),
        parties: vs
            .iter()
            .map(|v| PartyJson {
                party: sc.parties[v.party].id.clone(),
                utility: v.utility,
                bar: v.bar,
                consent_needed: v.consents,
                accepts: v.accepts(),
                why_not: v.refusals.iter().map(|r| why_not(sc, v.party, r)).collect(),
            })
            .collect(),
        agreed: vs.iter().filter(|v| v.consents).all(Verdict::accepts),
    }
}
