//! From the file as written to the model: every check, every problem kept.
//!
//! Validation never stops at the first problem: a student fixing a file by
//! hand should see everything wrong with it at once. Each section of the
//! file has its own function below, in file order; a value that fails a
//! check is replaced by a harmless stand-in so later checks can go on.

mod bloc;

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::diagnostic::Diagnostic;
use super::problem::{Aim, EventProblem, Problem, ScenarioProblem, SyntaxProblem, ValueProblem};
use super::raw;
use crate::model::archetype::{self, ConflictAt};
use crate::model::params::{KNOBS, WORLD_VARS};
use crate::model::{
    Archetype, Assignment, Cite, Condition, Effect, Event, Field, Issue, IssueMark, Knob,
    MAX_PARTIES, MAX_STEPS, Observed, Op, Party, PathError, Protocol, Provenance, RedLine, Repeat,
    Scenario, SettlementMark, Target, Test, Trigger, Variant, WorldLabels, WorldVar,
};
use crate::zone::{Interval, MAX_COMBINATIONS, MAX_ISSUES, OptionValues, between_options};

#[derive(Default)]
struct Checker {
    problems: Vec<Diagnostic>,
    /// Parties whose archetype is unknown and resembles none: their knobs
    /// are checked against every archetype's and their values together
    /// not at all, so one misspelt name gives one problem, not an echo of
    /// it for every knob the stand-in archetype lacks.
    unknown_archetype: Vec<String>,
    /// Issues past the most a scenario may hold: refused once, by their
    /// count, not again wherever a party names them.
    beyond_limit: Vec<String>,
}

fn span<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

impl Checker {
    fn push(&mut self, problem: impl Into<Problem>, span: Option<Range<usize>>) {
        self.problems.push(Diagnostic::new(problem, span));
    }

    /// A finite number within `[low, high]`, or a problem reported and a
    /// stand-in inside the range returned.
    fn number(&mut self, v: &raw::Num, what: &str, low: f64, high: f64) -> f64 {
        let value = *v.get_ref();
        let what = what.to_string();
        if !value.is_finite() {
            self.push(
                ValueProblem::NotFinite {
                    what,
                    value,
                    low,
                    high,
                },
                span(v),
            );
            return low.max(f64::MIN).min(high);
        }
        if value < low || value > high {
            self.push(
                ValueProblem::OutOfRange {
                    what,
                    value,
                    low,
                    high,
                },
                span(v),
            );
            return value.clamp(low, high);
        }
        value
    }

    fn integer(&mut self, v: &raw::Int, what: &str, low: i64, high: i64) -> u32 {
        let value = *v.get_ref();
        if value < low || value > high {
            let what = what.to_string();
            self.push(
                ValueProblem::WholeOutOfRange {
                    what,
                    value,
                    low,
                    high,
                },
                span(v),
            );
        }
        value.clamp(low, high) as u32
    }

    fn unknown(&mut self, name: &Spanned<String>, what: &str, known: &[&str]) {
        let problem = ValueProblem::UnknownName {
            what: what.to_string(),
            name: name.get_ref().clone(),
            known: known.iter().map(|k| k.to_string()).collect(),
        };
        self.push(problem, span(name));
    }

    /// The issue an id names, or a problem reported.
    fn issue(&mut self, issues: &[Issue], id: &Spanned<String>) -> Option<usize> {
        let found = issues.iter().position(|i| i.id == *id.get_ref());
        if found.is_none() && !self.beyond_limit.contains(id.get_ref()) {
            let ids: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
            self.unknown(id, "issue", &ids);
        }
        found
    }
}

/// Checks a parsed file. `Err` holds every problem found, in file order.
pub fn validate(file: raw::File) -> Result<Scenario, Vec<Diagnostic>> {
    let mut c = Checker::default();
    let name = scenario_name(&mut c, &file.scenario.name);
    let steps_ok = (1..=i64::from(MAX_STEPS)).contains(file.time.steps.get_ref());
    let steps = c.integer(
        &file.time.steps,
        "time.steps (the horizon)",
        1,
        i64::from(MAX_STEPS),
    );
    let issues = issues(&mut c, &file.issues);
    let world = world(&mut c, &file.world, &issues);
    let parties = parties(&mut c, &file.parties, &issues, world.front_issue);
    let m = mediator(&mut c, file.mediator.as_ref(), &parties);
    discrete_limits(&mut c, &file, &issues, world.front_issue, m.protocol);
    let mut scenario = Scenario {
        name,
        title: file.scenario.title.clone(),
        description: file.scenario.description.clone(),
        source: file.scenario.source.clone(),
        assumptions: file.scenario.assumptions.clone(),
        stated: stated(&file),
        cites: Vec::new(),
        steps,
        step_unit: file.time.step_unit.clone(),
        issues,
        parties,
        front_issue: world.front_issue,
        world: world.values,
        has_front: world.has_front,
        labels: world.labels,
        mediator: m.party,
        perception_noise: m.perception_noise,
        protocol: m.protocol,
        learning: m.learning,
        forgetting: m.forgetting,
        events: Vec::new(),
        chart_y: None,
        chart_marks: Vec::new(),
        variants: Vec::new(),
    };
    let y_range = file.charts.as_ref().and_then(|c| c.y_range.as_ref());
    if let (Some(y), Some(front)) = (y_range, scenario.issues.get(scenario.front_issue)) {
        scenario.chart_y = chart_range(&mut c, y, front);
    }
    if let Some(charts) = &file.charts {
        scenario.chart_marks = (charts.marks.iter())
            .filter_map(|m| chart_mark(&mut c, m, &scenario.issues))
            .collect();
    }
    // With a broken horizon, step checks would only echo that one problem.
    let last_step = if steps_ok {
        i64::from(steps) - 1
    } else {
        i64::from(MAX_STEPS)
    };
    conflicts(&mut c, &file, &scenario);
    for re in &file.events {
        if let Some(e) = event(&mut c, re, &scenario, last_step) {
            scenario.events.push(e);
        }
    }
    // A variant's paths depend on the archetypes, and its values are
    // checked together with the others: with an archetype unknown or
    // values already in conflict, its checks would only echo those.
    if c.unknown_archetype.is_empty() && archetype::conflicts(&scenario).is_empty() {
        scenario.variants = variants(&mut c, &file.variants, &scenario);
    }
    scenario.cites = cites(&mut c, &file, &scenario);
    if c.problems.is_empty() {
        Ok(scenario)
    } else {
        // In file order, as a reader fixes them.
        c.problems
            .sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        Err(c.problems)
    }
}

fn scenario_name(c: &mut Checker, name: &Spanned<String>) -> String {
    let text = name.get_ref().clone();
    let safe = !text.is_empty()
        && text.len() <= 64
        && text
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_');
    if !safe {
        c.push(
            ScenarioProblem::UnsafeName { name: text.clone() },
            span(name),
        );
    }
    text
}

fn issues(c: &mut Checker, raw: &Spanned<Vec<raw::Issue>>) -> Vec<Issue> {
    let given = raw.get_ref().len();
    if given == 0 || given > MAX_ISSUES {
        c.push(
            ScenarioProblem::IssueCount {
                given,
                max: MAX_ISSUES,
            },
            span(raw),
        );
    }
    let beyond = raw.get_ref().iter().skip(MAX_ISSUES);
    c.beyond_limit = beyond.map(|ri| ri.id.get_ref().clone()).collect();
    let mut issues: Vec<Issue> = Vec::new();
    for ri in raw.get_ref().iter().take(MAX_ISSUES) {
        let id = ri.id.get_ref().clone();
        if issues.iter().any(|i| i.id == id) {
            let what = "issue";
            c.push(
                ScenarioProblem::Duplicate {
                    what,
                    id: id.clone(),
                },
                span(&ri.id),
            );
        }
        let options = issue_kind(c, ri, &id);
        let (min, max) = issue_range(c, ri, &id, &options);
        let marks = ri
            .marks
            .iter()
            .map(|m| {
                let v = c.number(&m.value, &format!("mark `{}`", m.label), min, max);
                IssueMark {
                    label: m.label.clone(),
                    value: v,
                }
            })
            .collect();
        let status_quo = ri
            .status_quo
            .as_ref()
            .map(|v| c.number(v, &format!("status_quo of `{id}`"), min, max));
        issues.push(Issue {
            status_quo,
            id,
            label: ri.label.clone(),
            unit: ri.unit.clone(),
            min,
            max,
            low_label: ri.low_label.clone(),
            high_label: ri.high_label.clone(),
            marks,
            options,
        });
    }
    combinations(c, raw, &issues);
    issues
}

/// The issue's kind, as its options: none for a continuous issue, `no` and
/// `yes` for a yes/no issue, the listed ones (2 to `MAX_OPTIONS`, each
/// named once) for an options issue.
fn issue_kind(c: &mut Checker, ri: &raw::Issue, id: &str) -> Vec<String> {
    let kind = ri
        .kind
        .as_ref()
        .map_or("continuous", |k| k.get_ref().as_str());
    let listed = |c: &mut Checker, options: &Spanned<Vec<raw::Text>>| {
        let given = options.get_ref().len();
        if !(2..=MAX_OPTIONS).contains(&given) {
            let problem = ScenarioProblem::OptionCount {
                issue: id.to_string(),
                given,
                max: MAX_OPTIONS,
            };
            c.push(problem, span(options));
        }
        let mut names: Vec<String> = Vec::new();
        for o in options.get_ref() {
            let name = o.get_ref().trim().to_string();
            if name.is_empty() || names.contains(&name) {
                let problem = ScenarioProblem::BadOption {
                    issue: id.to_string(),
                    option: name.clone(),
                };
                c.push(problem, span(o));
            } else if let Some(mark) = name.chars().find(|ch| OPTION_SEPARATORS.contains(*ch)) {
                let problem = ScenarioProblem::OptionSeparator {
                    issue: id.to_string(),
                    option: name.clone(),
                    mark,
                };
                c.push(problem, span(o));
            } else if name.chars().any(char::is_control) {
                let problem = ScenarioProblem::OptionLineBreak {
                    issue: id.to_string(),
                    option: name.clone(),
                };
                c.push(problem, span(o));
            } else if name == "more" || name == "less" {
                let problem = ScenarioProblem::OptionEnd {
                    issue: id.to_string(),
                    option: name.clone(),
                };
                c.push(problem, span(o));
            } else if name.parse::<f64>().is_ok() {
                let problem = ScenarioProblem::OptionNumber {
                    issue: id.to_string(),
                    option: name.clone(),
                };
                c.push(problem, span(o));
            }
            names.push(name);
        }
        names
    };
    match (kind, &ri.options) {
        ("continuous", None) => Vec::new(),
        ("yes_no", None) => vec!["no".to_string(), "yes".to_string()],
        ("options", Some(options)) => listed(c, options),
        ("options", None) => {
            let problem = ScenarioProblem::MissingOptions {
                issue: id.to_string(),
            };
            c.push(problem, ri.kind.as_ref().and_then(span));
            vec!["first".to_string(), "second".to_string()]
        }
        ("continuous" | "yes_no", Some(options)) => {
            let problem = ScenarioProblem::OptionsOfKind {
                issue: id.to_string(),
                kind: kind.to_string(),
            };
            c.push(problem, span(options));
            Vec::new()
        }
        _ => {
            if let Some(k) = &ri.kind {
                c.unknown(k, "issue kind", &ISSUE_KINDS);
            }
            Vec::new()
        }
    }
}

/// The kinds an issue may have.
const ISSUE_KINDS: [&str; 3] = ["continuous", "yes_no", "options"];

/// Most options one issue may list.
pub const MAX_OPTIONS: usize = 16;

/// A continuous issue's range as written (required, `max > min`); a
/// discrete issue's is its options' positions, `0` to `n - 1`, and a range
/// written for it is refused.
fn issue_range(c: &mut Checker, ri: &raw::Issue, id: &str, options: &[String]) -> (f64, f64) {
    if !options.is_empty() {
        for v in [&ri.min, &ri.max].into_iter().flatten() {
            let problem = ScenarioProblem::DiscreteRange {
                issue: id.to_string(),
                last: options.len() - 1,
            };
            c.push(problem, span(v));
        }
        return (0.0, (options.len() - 1) as f64);
    }
    let (Some(rmin), Some(rmax)) = (&ri.min, &ri.max) else {
        let problem = ScenarioProblem::MissingRange {
            issue: id.to_string(),
        };
        c.push(problem, span(&ri.id));
        return (0.0, 1.0);
    };
    let min = c.number(rmin, "issue min", f64::MIN, f64::MAX);
    let mut max = c.number(rmax, "issue max", f64::MIN, f64::MAX);
    if max <= min {
        let issue = id.to_string();
        c.push(ScenarioProblem::EmptyRange { issue, min, max }, span(rmax));
        max = min + 1.0;
    }
    (min, max)
}

/// What discrete issues cannot take part in: the front line, which moves
/// continuously, and alternating offers, which concede along straight
/// lines between the options.
fn discrete_limits(
    c: &mut Checker,
    file: &raw::File,
    issues: &[Issue],
    front_issue: usize,
    protocol: Protocol,
) {
    if let Some(front) = issues.get(front_issue).filter(|i| i.is_discrete()) {
        let at = (file.world.get_ref().iter())
            .find(|(k, _)| k.get_ref() == "front_issue")
            .map(|(_, v)| v.span());
        let issue = front.id.clone();
        c.push(ScenarioProblem::DiscreteFront { issue }, at);
    }
    let discrete: Vec<String> = (issues.iter())
        .filter(|i| i.is_discrete())
        .map(|i| i.id.clone())
        .collect();
    if protocol == Protocol::AlternatingOffers && !discrete.is_empty() {
        let at = file.mediator.as_ref().and_then(|m| m.protocol.as_ref());
        let problem = ScenarioProblem::DiscreteAlternating { issues: discrete };
        c.push(problem, at.and_then(span));
    }
}

/// The discrete issues' combinations are enumerated exactly, so there may
/// be at most `MAX_COMBINATIONS` of them.
fn combinations(c: &mut Checker, raw: &Spanned<Vec<raw::Issue>>, issues: &[Issue]) {
    let given: usize = (issues.iter()).map(|i| i.options.len().max(1)).product();
    if given > MAX_COMBINATIONS {
        let problem = ScenarioProblem::TooManyCombinations {
            given,
            max: MAX_COMBINATIONS,
            issues: (issues.iter())
                .filter(|i| i.is_discrete())
                .map(|i| format!("{} ({})", i.id, i.options.len()))
                .collect(),
        };
        c.push(problem, span(raw));
    }
}

/// The `[world]` table as checked: the front issue and every variable.
struct World {
    front_issue: usize,
    values: [f64; WORLD_VARS],
    has_front: bool,
    labels: WorldLabels,
}

type WorldTable = Spanned<std::collections::BTreeMap<raw::Text, Spanned<toml::Value>>>;

fn world(c: &mut Checker, table: &WorldTable, issues: &[Issue]) -> World {
    let front_issue = front_issue(c, table, issues);
    let mut values = [0.0; WORLD_VARS];
    for w in WorldVar::all() {
        values[w as usize] = w.spec().default;
    }
    let (front_min, front_max) = issues
        .get(front_issue)
        .map_or((f64::MIN, f64::MAX), |i| (i.min, i.max));
    let names: Vec<&str> = ["front_issue", "labels"]
        .into_iter()
        .chain(WorldVar::all().iter().map(|w| w.spec().name))
        .collect();
    let mut labels = WorldLabels::default();
    for (key, value) in table.get_ref() {
        if key.get_ref() == "front_issue" {
            continue;
        }
        if key.get_ref() == "labels" {
            labels = world_labels(c, value);
            continue;
        }
        let Some(var) = WorldVar::from_name(key.get_ref()) else {
            c.unknown(key, "field in [world]", &names);
            continue;
        };
        let v = value.get_ref();
        let Some(x) = v.as_float().or(v.as_integer().map(|i| i as f64)) else {
            let problem = ValueProblem::NotA {
                field: format!("world.{}", key.get_ref()),
                expected: "a number",
                meaning: var.spec().meaning.into(),
            };
            c.push(problem, span(value));
            continue;
        };
        let s = var.spec();
        let (lo, hi) = if var == WorldVar::Front {
            (front_min, front_max)
        } else {
            (s.min, s.max)
        };
        let num = Spanned::new(value.span(), x);
        values[var as usize] = c.number(&num, &format!("world.{}", s.name), lo, hi);
    }
    let has_front = table.get_ref().keys().any(|k| k.get_ref() == "front");
    if !has_front {
        // No front given: it starts at the low end of its issue.
        values[WorldVar::Front as usize] = front_min;
    }
    World {
        front_issue,
        values,
        has_front,
        labels,
    }
}

/// `[world.labels]`: each of `front`, `pressure`, `aid` a non-empty name.
/// Its values carry no spans of their own, so a problem points at the
/// table and names the field.
fn world_labels(c: &mut Checker, table: &Spanned<toml::Value>) -> WorldLabels {
    let mut labels = WorldLabels::default();
    let Some(entries) = table.get_ref().as_table() else {
        let problem = ValueProblem::NotA {
            field: "world.labels".into(),
            expected: "a table",
            meaning:
                "names for the world's variables, e.g. labels = { front = \"Offer on the table\" }"
                    .into(),
        };
        c.push(problem, span(table));
        return labels;
    };
    for (key, value) in entries {
        let slot = match key.as_str() {
            "front" => &mut labels.front,
            "pressure" => &mut labels.pressure,
            "aid" => &mut labels.aid,
            _ => {
                let name = Spanned::new(table.span(), key.clone());
                let what = "label in [world.labels]";
                c.unknown(&name, what, &WorldLabels::FIELDS);
                continue;
            }
        };
        match value.as_str().map(str::trim) {
            Some(text) if !text.is_empty() => *slot = Some(text.to_string()),
            _ => {
                let field = format!("world.labels.{key}");
                c.push(ScenarioProblem::EmptyLabel { field }, span(table));
            }
        }
    }
    labels
}

fn front_issue(c: &mut Checker, table: &WorldTable, issues: &[Issue]) -> usize {
    let entry = table
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == "front_issue");
    let Some((_, value)) = entry else {
        c.push(ScenarioProblem::MissingFrontIssue, span(table));
        return 0;
    };
    let Some(text) = value.get_ref().as_str() else {
        let problem = ValueProblem::NotA {
            field: "world.front_issue".into(),
            expected: "a string",
            meaning: "name an issue id, e.g. front_issue = \"territory\"".into(),
        };
        c.push(problem, span(value));
        return 0;
    };
    let id = Spanned::new(value.span(), text.to_string());
    c.issue(issues, &id).unwrap_or(0)
}

fn parties(
    c: &mut Checker,
    raw: &Spanned<Vec<raw::Party>>,
    issues: &[Issue],
    front_issue: usize,
) -> Vec<Party> {
    let given = raw.get_ref().len();
    if !(2..=MAX_PARTIES).contains(&given) {
        let max = MAX_PARTIES;
        c.push(ScenarioProblem::PartyCount { given, max }, span(raw));
    }
    let mut parties: Vec<Party> = Vec::new();
    for rp in raw.get_ref().iter().take(MAX_PARTIES) {
        let p = party(c, rp, issues, front_issue, &parties);
        parties.push(p);
    }
    bloc::member_ids(c, raw.get_ref(), &parties);
    if !parties.is_empty() && !parties.iter().any(|p| p.veto) {
        c.push(ScenarioProblem::NoVeto, span(raw));
    }
    for (p, rp) in raw.get_ref().iter().take(MAX_PARTIES).enumerate() {
        parties[p].pressure_on = rp
            .pressure_on
            .as_ref()
            .and_then(|t| aim(c, t, p, &parties, Aim::Pressure));
        parties[p].aid_to = rp
            .aid_to
            .as_ref()
            .and_then(|t| aim(c, t, p, &parties, Aim::Aid));
    }
    parties
}

/// The party that party `p` aims `aim` at: another party, known, whose
/// archetype's terms read that lever (else the aim would change nothing).
fn aim(
    c: &mut Checker,
    target: &Spanned<String>,
    p: usize,
    parties: &[Party],
    aim: Aim,
) -> Option<usize> {
    let Some(t) = parties.iter().position(|q| q.id == *target.get_ref()) else {
        let ids: Vec<&str> = (parties.iter().enumerate())
            .filter(|&(q, _)| q != p)
            .map(|(_, q)| q.id.as_str())
            .collect();
        c.unknown(target, &format!("`{}` party", aim.field()), &ids);
        return None;
    };
    let party = parties[p].id.clone();
    if t == p {
        c.push(ScenarioProblem::AimedAtItself { party, aim }, span(target));
        return None;
    }
    let archetype = parties[t].archetype;
    // An archetype like none known is reported already; the stand-in read
    // in its place says nothing about what the author meant to aim at.
    if !aim.read_by(archetype) && !c.unknown_archetype.contains(&parties[t].id) {
        let problem = ScenarioProblem::AimedAtDeaf {
            party,
            aim,
            target: parties[t].id.clone(),
            archetype,
        };
        c.push(problem, span(target));
        return None;
    }
    Some(t)
}

fn party(
    c: &mut Checker,
    rp: &raw::Party,
    issues: &[Issue],
    front_issue: usize,
    earlier: &[Party],
) -> Party {
    let id = rp.id.get_ref().clone();
    if earlier.iter().any(|p| p.id == id) {
        let what = "party";
        c.push(
            ScenarioProblem::Duplicate {
                what,
                id: id.clone(),
            },
            span(&rp.id),
        );
    }
    let archetype = Archetype::from_name(rp.archetype.get_ref()).unwrap_or_else(|| {
        let names: Vec<&str> = Archetype::ALL.iter().map(|a| a.name()).collect();
        c.unknown(&rp.archetype, "archetype", &names);
        // The archetype it most likely means stands in for it; with none
        // close, the party's other fields are read without an archetype.
        let meant = crate::model::closest(rp.archetype.get_ref(), names);
        meant.and_then(Archetype::from_name).unwrap_or_else(|| {
            c.unknown_archetype.push(id.clone());
            Archetype::QuickDeal
        })
    });
    let lenient = c.unknown_archetype.contains(&id);
    let colour = parse_colour(rp.colour.get_ref()).unwrap_or_else(|| {
        let text = rp.colour.get_ref().clone();
        c.push(ScenarioProblem::BadColour { text }, span(&rp.colour));
        [128, 128, 128]
    });
    let tables = option_values(c, rp, &id, issues);
    let ideal = ideal(c, rp, &id, issues, &tables);
    let weight = weights(c, rp, &id, issues);
    let own = Own {
        id: &id,
        ideal: &ideal,
        weight: &weight,
        tables: &tables,
    };
    let bloc = bloc::bloc(c, rp, &own, archetype, issues);
    let reservation = match (&rp.reservation, lenient) {
        // A bloc's bar is its pivotal member's (its own is refused).
        _ if rp.bloc.is_some() => bloc.as_ref().map_or(0.0, |b| b.1),
        (Some(v), true) => bar_of(c, v, &own, issues),
        (None, true) => 0.0,
        (_, false) => reservation(c, rp, &own, archetype, issues),
    };
    let red_lines = red_lines(c, rp, issues, front_issue);
    let knobs = knobs(c, rp, &id, archetype, lenient);
    let goal = rp.goal.as_ref().and_then(|g| {
        let text = g.get_ref().trim();
        if text.is_empty() {
            let party = id.clone();
            c.push(ScenarioProblem::EmptyGoal { party }, span(g));
        }
        (!text.is_empty()).then(|| text.to_string())
    });
    Party {
        id,
        name: rp.name.clone(),
        colour,
        archetype,
        goal,
        veto: rp.veto,
        reservation,
        ideal,
        weight,
        red_lines,
        knobs,
        pressure_on: None,
        aid_to: None,
        values: tables.iter().any(Option::is_some).then(|| {
            let mut v = OptionValues::default();
            for (k, t) in tables.iter().enumerate() {
                if let Some(t) = t {
                    v.set(k, t);
                }
            }
            Arc::new(v)
        }),
        bloc: bloc.map(|b| b.0),
    }
}

/// The party's tables of option values (`values = { issue = { option =
/// value } }`): per issue, each option's value in the options' order, every
/// option given, from 0 to 1, the best 1.
fn option_values(
    c: &mut Checker,
    rp: &raw::Party,
    id: &str,
    issues: &[Issue],
) -> [Option<Vec<f64>>; MAX_ISSUES] {
    let mut out: [Option<Vec<f64>>; MAX_ISSUES] = Default::default();
    for (key, table) in &rp.values {
        let Some(k) = c.issue(issues, key) else {
            continue;
        };
        let i = &issues[k];
        let (party, issue) = (id.to_string(), i.id.clone());
        if !i.is_discrete() {
            c.push(
                ScenarioProblem::ValuesNotDiscrete { party, issue },
                span(key),
            );
            continue;
        }
        let mut values = vec![None; i.options.len()];
        for (name, v) in table.get_ref() {
            let Some(o) = i.options.iter().position(|o| o == name.get_ref()) else {
                let names: Vec<&str> = i.options.iter().map(String::as_str).collect();
                c.unknown(name, &format!("option of `{}`", i.id), &names);
                continue;
            };
            let what = format!("value of \"{}\" to `{id}`", i.options[o]);
            values[o] = Some(c.number(v, &what, 0.0, 1.0));
        }
        let missing: Vec<String> = (i.options.iter().zip(&values))
            .filter(|(_, v)| v.is_none())
            .map(|(o, _)| o.clone())
            .collect();
        if !missing.is_empty() {
            let problem = ScenarioProblem::MissingOptionValues {
                party,
                issue,
                missing,
            };
            c.push(problem, span(table));
            continue;
        }
        let values: Vec<f64> = values.into_iter().flatten().collect();
        let best = values.iter().copied().fold(0.0, f64::max);
        if best != 1.0 {
            c.push(
                ScenarioProblem::NoBestOption { party, issue, best },
                span(table),
            );
            continue;
        }
        out[k] = Some(values);
    }
    out
}

/// The file's what-ifs, each title once and each assignment one `--set`
/// would take: applied in order to a copy of the scenario, so a value that
/// only conflicts with an earlier one of the same variant is refused too.
fn variants(c: &mut Checker, raw: &[raw::Variant], sc: &Scenario) -> Vec<Variant> {
    let mut out: Vec<Variant> = Vec::new();
    for rv in raw {
        let title = rv.title.get_ref().clone();
        let bad = |message: String, hint: String| ScenarioProblem::BadVariant {
            title: title.clone(),
            message,
            hint,
        };
        if out.iter().any(|v| v.title == title) {
            let hint = "give each variant its own title".to_string();
            c.push(bad("its title is used twice".into(), hint), span(&rv.title));
        }
        let mut trial = sc.clone();
        let mut set: Vec<Assignment> = Vec::new();
        for text in rv.set.get_ref() {
            let assigned = text
                .get_ref()
                .parse::<Assignment>()
                .map_err(|e| bad(e, "write \"PATH=VALUE\", as --set takes it".into()))
                .and_then(|a| match trial.assign(&a) {
                    Ok(_) => Ok(a),
                    Err(e) => {
                        let hint = e.hint().unwrap_or_else(|| "change the value".into());
                        Err(bad(e.headline(), hint))
                    }
                })
                .and_then(|a| {
                    // Each field once, as `--set` takes it.
                    let target = trial.quantity(&a.path).ok();
                    let twice = set
                        .iter()
                        .find(|b| target.is_some() && trial.quantity(&b.path).ok() == target);
                    match twice {
                        Some(b) => Err(bad(
                            format!(
                                "`{}={}` gives the field `{}={}` gave already",
                                a.path, a.value, b.path, b.value
                            ),
                            "keep the one assignment you mean".into(),
                        )),
                        None => Ok(a),
                    }
                });
            match assigned {
                Ok(a) => set.push(a),
                Err(problem) => c.push(problem, span(text)),
            }
        }
        out.push(Variant {
            title,
            question: rv.question.clone(),
            set,
        });
    }
    out
}

/// What a settlement written as a bar is measured against: the party's own
/// ideal and weights.
struct Own<'a> {
    id: &'a str,
    ideal: &'a [f64; MAX_ISSUES],
    weight: &'a [f64; MAX_ISSUES],
    tables: &'a [Option<Vec<f64>>; MAX_ISSUES],
}

/// The bar a party starts from: required where its archetype reads it,
/// refused where it does not (a value there would change nothing). Written
/// as a utility or as the worst settlement the party would still accept.
fn reservation(
    c: &mut Checker,
    rp: &raw::Party,
    own: &Own,
    archetype: Archetype,
    issues: &[Issue],
) -> f64 {
    let id = own.id;
    match (&rp.reservation, archetype.unread(Field::Reservation)) {
        (Some(v), None) => bar_of(c, v, own, issues),
        (None, None) => {
            let field = "reservation".to_string();
            c.push(SyntaxProblem::MissingField { field }, span(&rp.id));
            0.0
        }
        (Some(v), Some(unread)) => {
            let problem = ScenarioProblem::Unread {
                party: id.to_string(),
                archetype: archetype.name(),
                field: unread.field.name(),
                why: unread.why,
                instead: unread.instead.iter().map(|k| k.spec().name).collect(),
            };
            c.push(problem, span(v));
            0.0
        }
        (None, Some(_)) => 0.0,
    }
}

/// A reservation as written: a utility in `[0, 1]`, or a table of issue
/// values whose utility to the party (issues not named at its ideal) is
/// the bar.
fn bar_of(c: &mut Checker, v: &Spanned<toml::Value>, own: &Own, issues: &[Issue]) -> f64 {
    let what = format!("reservation of `{}`", own.id);
    let number = |x: f64| Spanned::new(v.span(), x);
    match v.get_ref() {
        toml::Value::Float(x) => c.number(&number(*x), &what, 0.0, 1.0),
        toml::Value::Integer(x) => c.number(&number(*x as f64), &what, 0.0, 1.0),
        toml::Value::Table(t) => {
            let mut settlement = *own.ideal;
            for (key, x) in t {
                let Some(k) = c.issue(issues, &Spanned::new(v.span(), key.clone())) else {
                    continue;
                };
                let i = &issues[k];
                let what = format!("reservation of `{}` on `{}`", own.id, i.id);
                settlement[k] = match x {
                    toml::Value::Float(x) => c.number(&number(*x), &what, i.min, i.max),
                    toml::Value::Integer(x) => c.number(&number(*x as f64), &what, i.min, i.max),
                    _ => {
                        c.push(settlement_expected(what, i), span(v));
                        i.min
                    }
                };
            }
            settlement_utility(issues, own, &settlement)
        }
        _ => {
            let problem = ValueProblem::NotA {
                field: what,
                expected: "a number or a table of issue values",
                meaning: "write a utility in [0, 1], or the worst settlement the party would still accept, e.g. { price = 120 }".into(),
            };
            c.push(problem, span(v));
            0.0
        }
    }
}

fn settlement_expected(field: String, i: &Issue) -> ValueProblem {
    ValueProblem::NotA {
        field,
        expected: "a number",
        meaning: format!("write a value of `{}` in [{}, {}]", i.id, i.min, i.max),
    }
}

/// The party's utility of a settlement in issue units: the same `1 - sum
/// w_k |y_k - ideal_k|` on the normalised axes the zone solver uses (on an
/// issue valued by a table, `w_k` times one minus the option's value).
fn settlement_utility(issues: &[Issue], own: &Own, settlement: &[f64; MAX_ISSUES]) -> f64 {
    let loss: f64 = issues
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let by_position = || (i.normalise(settlement[k]) - i.normalise(own.ideal[k])).abs();
            let by_table = (own.tables[k].as_ref())
                .map(|t| 1.0 - between_options(t, i.normalise(settlement[k])));
            own.weight[k] * by_table.unwrap_or_else(by_position)
        })
        .sum();
    (1.0 - loss).clamp(0.0, 1.0)
}

/// The values that do not fit together (`model::archetype::conflicts`, the
/// same check every `--set` and `--vary` value passes), each located at
/// the field to fix.
fn conflicts(c: &mut Checker, file: &raw::File, sc: &Scenario) {
    let raw_parties = file.parties.get_ref();
    for conflict in archetype::conflicts(sc) {
        if c.unknown_archetype.iter().any(|id| id == conflict.party()) {
            continue;
        }
        let party = (sc.parties.iter()).position(|p| p.id == conflict.party());
        let Some(rp) = party.and_then(|p| raw_parties.get(p)) else {
            c.push(ScenarioProblem::Conflict(conflict), None);
            continue;
        };
        let at = match conflict.at() {
            ConflictAt::Knob(k) => rp
                .knobs
                .keys()
                .find(|key| key.get_ref() == k.spec().name)
                .and_then(span)
                .or_else(|| span(&rp.archetype)),
            ConflictAt::Archetype => span(&rp.archetype),
            ConflictAt::Issue(k) => file.issues.get_ref().get(k).and_then(|ri| span(&ri.id)),
            ConflictAt::RedLine(line) => rp.red_lines.get(line).and_then(|rl| span(&rl.issue)),
            ConflictAt::Ideal(k) => (file.issues.get_ref().get(k))
                .and_then(|ri| {
                    rp.ideal
                        .get_ref()
                        .keys()
                        .find(|key| *key.get_ref() == *ri.id.get_ref())
                })
                .and_then(span)
                .or_else(|| span(&rp.ideal)),
        };
        c.push(ScenarioProblem::Conflict(conflict), at);
    }
}

/// What an option's name may not hold: `--at` and `--set` separate values
/// by `,` and `=`, and the data's lists of options by `;`.
const OPTION_SEPARATORS: &str = ",;=";

/// One value per issue, inside its range.
/// On an issue the party values by a table, the ideal may be left out (it
/// is then the first option worth 1) and, written, must be worth 1.
fn ideal(
    c: &mut Checker,
    rp: &raw::Party,
    id: &str,
    issues: &[Issue],
    tables: &[Option<Vec<f64>>; MAX_ISSUES],
) -> [f64; MAX_ISSUES] {
    let mut ideal = [0.0; MAX_ISSUES];
    let mut given = [false; MAX_ISSUES];
    for (k, table) in tables.iter().enumerate() {
        if let Some(t) = table {
            ideal[k] = t.iter().position(|&v| v == 1.0).unwrap_or(0) as f64;
        }
    }
    // A table written for an issue stands for its ideal, even a table
    // refused for a mistake of its own (one problem, not a second one about
    // the ideal it would have given).
    for key in rp.values.keys() {
        if let Some(k) = issues.iter().position(|i| i.id == *key.get_ref()) {
            given[k] = issues[k].is_discrete();
        }
    }
    for (key, v) in rp.ideal.get_ref() {
        if let Some(k) = c.issue(issues, key) {
            let i = &issues[k];
            let what = format!("ideal of `{id}` on `{}`", i.id);
            let monotone =
                matches!(v.get_ref(), toml::Value::String(s) if s == "more" || s == "less");
            if i.is_discrete() && given[k] && monotone {
                let problem = ScenarioProblem::MonotoneTable {
                    party: id.to_string(),
                    issue: i.id.clone(),
                    given: v.get_ref().as_str().unwrap_or_default().to_string(),
                };
                c.push(problem, span(v));
                continue;
            }
            if i.is_discrete() {
                let before = c.problems.len();
                let written = discrete_ideal(c, v, id, i);
                let value = (tables[k].as_ref())
                    .filter(|_| c.problems.len() == before)
                    .map_or(1.0, |t| t[written as usize]);
                if value == 1.0 {
                    ideal[k] = written;
                } else {
                    let problem = ScenarioProblem::IdealNotBest {
                        party: id.to_string(),
                        issue: i.id.clone(),
                        ideal: i.options[written as usize].clone(),
                        value,
                    };
                    c.push(problem, span(v));
                }
                given[k] = true;
                continue;
            }
            ideal[k] = match v.get_ref() {
                // Monotone: more (or less) of the issue is simply better.
                toml::Value::String(s) if s == "more" => i.max,
                toml::Value::String(s) if s == "less" => i.min,
                toml::Value::Float(x) => c.number(&Spanned::new(v.span(), *x), &what, i.min, i.max),
                toml::Value::Integer(x) => {
                    c.number(&Spanned::new(v.span(), *x as f64), &what, i.min, i.max)
                }
                _ => {
                    let problem = ValueProblem::NotA {
                        field: what,
                        expected: "a number, \"more\" or \"less\"",
                        meaning: format!(
                            "write a value in [{}, {}], or \"more\" (or \"less\") where more (less) is simply better",
                            i.min, i.max
                        ),
                    };
                    c.push(problem, span(v));
                    i.min
                }
            };
            given[k] = true;
        }
    }
    for (k, i) in issues.iter().enumerate() {
        if !given[k] {
            let problem = ScenarioProblem::MissingIdeal {
                party: id.to_string(),
                issue: i.id.clone(),
                min: i.min,
                max: i.max,
                options: i.options.clone(),
            };
            c.push(problem, span(&rp.ideal));
        }
    }
    ideal
}

/// The ideal on a discrete issue: one of its options, by name, or by its
/// value (`0` or `1` on a yes/no issue), or `"more"`/`"less"`; anything
/// between two options is refused.
fn discrete_ideal(c: &mut Checker, v: &Spanned<toml::Value>, party: &str, i: &Issue) -> f64 {
    let last = (i.options.len() - 1) as f64;
    let found = match v.get_ref() {
        toml::Value::String(s) if s == "more" => Some(last),
        toml::Value::String(s) if s == "less" => Some(0.0),
        toml::Value::String(s) => i.options.iter().position(|o| o == s).map(|p| p as f64),
        toml::Value::Integer(x) => (0..=last as i64).contains(x).then_some(*x as f64),
        toml::Value::Float(x) => (x.fract() == 0.0 && (0.0..=last).contains(x)).then_some(*x),
        _ => None,
    };
    found.unwrap_or_else(|| {
        let given = match v.get_ref() {
            toml::Value::String(s) => format!("\"{s}\""),
            other => other.to_string(),
        };
        let problem = ScenarioProblem::DiscreteIdeal {
            what: format!("ideal of `{party}` on `{}`", i.id),
            given,
            options: i.options.clone(),
        };
        c.push(problem, span(v));
        0.0
    })
}

/// Non-negative, not all zero; normalised to sum 1. Issues left out weigh
/// nothing; no table at all means equal weights.
fn weights(c: &mut Checker, rp: &raw::Party, id: &str, issues: &[Issue]) -> [f64; MAX_ISSUES] {
    let mut weight = [0.0; MAX_ISSUES];
    let before = c.problems.len();
    match &rp.weights {
        None => weight[..issues.len()].fill(1.0),
        Some(w) => {
            for (key, v) in w.get_ref() {
                let Some(k) = c.issue(issues, key) else {
                    continue;
                };
                let what = format!("weight of `{id}` on `{}`", issues[k].id);
                let value = *v.get_ref();
                if value < 0.0 {
                    c.push(ScenarioProblem::NegativeWeight { what, value }, span(v));
                } else {
                    weight[k] = c.number(v, &what, 0.0, 1e12);
                }
            }
        }
    }
    let total: f64 = weight.iter().sum();
    if total > 0.0 {
        weight.iter_mut().for_each(|w| *w /= total);
    } else if c.problems.len() == before {
        // (A negative weight has already been reported above.)
        let party = id.to_string();
        c.push(
            ScenarioProblem::ZeroWeights { party },
            rp.weights.as_ref().and_then(span),
        );
        weight[0] = 1.0;
    }
    weight
}

fn red_lines(c: &mut Checker, rp: &raw::Party, issues: &[Issue], front: usize) -> Vec<RedLine> {
    let mut red_lines = Vec::new();
    for rl in &rp.red_lines {
        let Some(k) = c.issue(issues, &rl.issue) else {
            continue;
        };
        let i = &issues[k];
        if rl.follows_front && k != front {
            let front_issue = issues[front].id.clone();
            c.push(
                ScenarioProblem::FrontLineOffFront { front_issue },
                span(&rl.issue),
            );
        }
        let (lo, hi) = if rl.follows_front {
            (-i.range(), i.range())
        } else {
            (i.min, i.max)
        };
        let min = rl.min.as_ref().map(|v| c.number(v, "red line min", lo, hi));
        let max = rl.max.as_ref().map(|v| c.number(v, "red line max", lo, hi));
        if min.is_none() && max.is_none() {
            c.push(ScenarioProblem::EmptyRedLine, span(&rl.issue));
        }
        red_lines.push(RedLine {
            issue: k,
            min,
            max,
            follows_front: rl.follows_front,
        });
    }
    red_lines
}

/// The knob and world paths the file writes (the rest are defaults it
/// never chose, which sensitivity leaves alone).
fn stated(file: &raw::File) -> Vec<String> {
    let world = (file.world.get_ref().keys())
        .filter(|k| k.get_ref() != "front_issue")
        .map(|k| format!("world.{}", k.get_ref()));
    let knobs = file.parties.get_ref().iter().flat_map(|p| {
        let id = p.id.get_ref().clone();
        p.knobs
            .keys()
            .map(move |k| format!("parties.{id}.{}", k.get_ref()))
    });
    world.chain(knobs).collect()
}

/// Only the knobs of the party's archetype, each within its range.
/// The party's knobs, each one its archetype has (any archetype's when
/// `lenient`: the archetype itself is unknown).
fn knobs(
    c: &mut Checker,
    rp: &raw::Party,
    id: &str,
    archetype: Archetype,
    lenient: bool,
) -> [f64; KNOBS] {
    let mut knobs = Knob::defaults();
    for (key, v) in &rp.knobs {
        let known = |k: &Knob| lenient || archetype.knobs().contains(k);
        match Knob::from_name(key.get_ref()).filter(known) {
            Some(k) => {
                let s = k.spec();
                knobs[k as usize] =
                    c.number(v, &format!("knob `{}` of `{id}`", s.name), s.min, s.max);
            }
            None => {
                let problem = ScenarioProblem::NotAKnob {
                    name: key.get_ref().clone(),
                    archetype: archetype.name(),
                    knobs: archetype
                        .knobs()
                        .iter()
                        .map(|k| k.spec().name.to_string())
                        .collect(),
                };
                c.push(problem, span(key));
            }
        }
    }
    knobs
}

fn parse_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The `[mediator]` table as checked.
struct Mediator {
    party: Option<usize>,
    protocol: Protocol,
    perception_noise: f64,
    learning: bool,
    forgetting: f64,
}

/// What the forgetting rate is when the file leaves it out: a tenth of what
/// was learnt about a bar fades each step.
pub const DEFAULT_FORGETTING: f64 = 0.1;

fn mediator(c: &mut Checker, m: Option<&raw::Mediator>, parties: &[Party]) -> Mediator {
    let mut out = Mediator {
        party: None,
        protocol: Protocol::Mediated,
        perception_noise: 0.0,
        learning: true,
        forgetting: DEFAULT_FORGETTING,
    };
    let Some(m) = m else {
        return out;
    };
    if let Some(p) = &m.party {
        out.party = parties.iter().position(|q| q.id == *p.get_ref());
        if out.party.is_none() {
            let ids: Vec<&str> = parties.iter().map(|q| q.id.as_str()).collect();
            c.unknown(p, "mediator party", &ids);
        }
    }
    if let Some(p) = &m.protocol {
        match Protocol::ALL.into_iter().find(|x| x.name() == p.get_ref()) {
            Some(protocol) => out.protocol = protocol,
            None => {
                let names: Vec<&str> = Protocol::ALL.iter().map(|x| x.name()).collect();
                c.unknown(p, "protocol", &names);
            }
        }
    }
    if let Some(n) = &m.perception_noise {
        out.perception_noise = c.number(n, "mediator.perception_noise", 0.0, 1.0);
    }
    if let Some(l) = m.learning {
        out.learning = l;
    }
    if let Some(f) = &m.forgetting {
        out.forgetting = c.number(f, "mediator.forgetting", 0.0, 1.0);
    }
    out
}

fn event(c: &mut Checker, re: &raw::Event, scenario: &Scenario, last: i64) -> Option<Event> {
    let label = re.label.get_ref().clone();
    let id = re.id.as_ref().map(|id| event_id(c, id, &scenario.events));
    let trigger = trigger(c, re, &label, last, scenario)?;
    let repeat = repeat(c, re, &label, trigger, last);
    let source_line = re
        .source_line
        .as_ref()
        .map(|l| c.integer(l, "source_line", 1, i64::from(u32::MAX)));
    let provenance = provenance(c, re, &label);
    if re.effects.get_ref().is_empty() {
        let label = label.clone();
        c.push(EventProblem::NoEffects { label }, span(&re.effects));
    }
    let mut effects: Vec<Effect> = re
        .effects
        .get_ref()
        .iter()
        .filter_map(|fx| effect(c, fx, scenario))
        .collect();
    // Every view shows the label, so a what-if says what it is wherever
    // it appears (narrative, charts' event list, report, page); first, so
    // a chart that shortens a long label still shows it.
    let label = if provenance == Provenance::WhatIf {
        format!("({}) {label}", Provenance::WHAT_IF)
    } else {
        label
    };
    let label = if re.enabled == Some(false) {
        // Switched off: drawn as before, changing nothing.
        effects.clear();
        format!("{label} (switched off)")
    } else {
        label
    };
    Some(Event {
        id,
        label,
        source_line,
        provenance,
        trigger,
        repeat,
        effects,
        muted_at: None,
    })
}

/// `every = N` with an optional `until`: how the event repeats, if it does.
fn repeat(
    c: &mut Checker,
    re: &raw::Event,
    label: &str,
    trigger: Trigger,
    last: i64,
) -> Option<Repeat> {
    let label = label.to_string();
    let Some(every) = &re.every else {
        if let Some(u) = &re.until {
            c.push(EventProblem::UntilWithoutEvery { label }, span(u));
        }
        return None;
    };
    if *every.get_ref() == 0 {
        c.push(EventProblem::EveryZero { label }, span(every));
        return None;
    }
    let every = c.integer(every, "every (steps between repeats)", 1, last.max(1));
    let (start, end) = match trigger {
        Trigger::At(s) => (s, last as u32),
        Trigger::Chance { from, until, .. } => {
            if let Some(u) = &re.until {
                c.push(EventProblem::UntilWithoutEvery { label }, span(u));
                return None;
            }
            (from, until)
        }
    };
    let until = (re.until.as_ref()).map_or(end, |u| c.integer(u, "until", 0, last));
    if until < start {
        let problem = EventProblem::UntilBeforeStart {
            label,
            start,
            until,
        };
        c.push(problem, re.until.as_ref().and_then(span));
    }
    Some(Repeat { every, until })
}

/// Reported (a quote of its source line) or a what-if; the quote itself is
/// checked against the source text by [`check_quotes`], which alone can
/// read it.
fn provenance(c: &mut Checker, re: &raw::Event, label: &str) -> Provenance {
    let label = label.to_string();
    match (&re.quote, re.what_if) {
        (Some(q), Some(true)) => {
            c.push(EventProblem::QuoteOnWhatIf { label }, span(q));
            Provenance::WhatIf
        }
        (Some(q), _) => {
            if re.source_line.is_none() {
                c.push(EventProblem::QuoteWithoutLine { label }, span(q));
            }
            Provenance::Reported {
                quote: q.get_ref().clone(),
            }
        }
        (None, Some(true)) => Provenance::WhatIf,
        (None, _) => Provenance::Unstated,
    }
}

/// Every event's quote, found verbatim on the line it cites of `source`
/// (the scenario's source document), else a problem at the quote that shows
/// what the line says.
pub fn check_quotes(file: &raw::File, source: &str) -> Vec<Diagnostic> {
    let lines: Vec<&str> = source.lines().collect();
    let mut c = Checker::default();
    for re in &file.events {
        let (Some(q), Some(line)) = (&re.quote, &re.source_line) else {
            continue;
        };
        let n = *line.get_ref();
        let said = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| lines.get(i))
            .map(|l| l.trim().to_string());
        if said
            .as_deref()
            .is_some_and(|l| l.contains(q.get_ref().as_str()))
        {
            continue;
        }
        let problem = EventProblem::QuoteNotFound {
            label: re.label.get_ref().clone(),
            line: n,
            quote: q.get_ref().clone(),
            said,
        };
        c.push(problem, span(q));
    }
    for rp in file.parties.get_ref() {
        for (key, cite) in &rp.cite {
            let n = *cite.line.get_ref();
            let said = line_of(&lines, n);
            if said
                .as_deref()
                .is_some_and(|l| l.contains(cite.quote.get_ref().as_str()))
            {
                continue;
            }
            let problem = ScenarioProblem::CiteNotFound {
                path: format!("parties.{}.{}", rp.id.get_ref(), key.get_ref()),
                line: n,
                quote: cite.quote.get_ref().clone(),
                said,
            };
            c.push(problem, span(&cite.quote));
        }
    }
    c.problems
}

/// Line `n` (from 1) of the source, trimmed, if it has one.
fn line_of(lines: &[&str], n: i64) -> Option<String> {
    usize::try_from(n)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| lines.get(i))
        .map(|l| l.trim().to_string())
}

/// Every party's cites, each naming a value the party has (as `--set`
/// names it after `parties.<id>.`).
fn cites(c: &mut Checker, file: &raw::File, sc: &Scenario) -> Vec<Cite> {
    let mut out = Vec::new();
    for rp in file.parties.get_ref() {
        let id = rp.id.get_ref();
        let prefix = format!("parties.{id}.");
        let known: Vec<String> = (sc.target_paths().into_iter())
            .filter_map(|p| p.strip_prefix(&prefix).map(str::to_string))
            .filter(|p| p != "engaged")
            .collect();
        for (key, cite) in &rp.cite {
            if !known.contains(key.get_ref()) {
                let problem = ScenarioProblem::CiteField {
                    party: id.clone(),
                    field: key.get_ref().clone(),
                    known: known.clone(),
                };
                c.push(problem, span(key));
                continue;
            }
            let line = c.integer(&cite.line, "a cite's line", 1, i64::from(u32::MAX));
            out.push(Cite {
                path: format!("{prefix}{}", key.get_ref()),
                line,
                quote: cite.quote.get_ref().clone(),
            });
        }
    }
    out
}

/// A party's own pressure or aid as a condition's variable
/// (`pressure.<id>`, `aid.<id>`): only of a party something is aimed at,
/// since any other party's is the world's.
fn own_variable(c: &mut Checker, name: &Spanned<String>, sc: &Scenario) -> Option<Observed> {
    let text = name.get_ref();
    let own = |lever: &'static str| text.strip_prefix(lever)?.strip_prefix('.');
    let (lever, id) = match (own("pressure"), own("aid")) {
        (Some(id), _) => ("pressure", id),
        (None, Some(id)) => ("aid", id),
        (None, None) => {
            let mut known: Vec<String> = Observed::ALL.iter().map(|o| o.name().into()).collect();
            for (p, party) in sc.parties.iter().enumerate() {
                if sc.pressed(p) {
                    known.push(format!("pressure.{}", party.id));
                }
                if sc.aided(p) {
                    known.push(format!("aid.{}", party.id));
                }
            }
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            c.unknown(name, "condition variable", &known);
            return None;
        }
    };
    let Some(p) = sc.parties.iter().position(|q| q.id == id) else {
        let problem = ValueProblem::UnknownName {
            what: format!("party in `{lever}.<party>`"),
            name: id.to_string(),
            known: sc.parties.iter().map(|q| q.id.clone()).collect(),
        };
        c.push(problem, span(name));
        return None;
    };
    let aimed = if lever == "pressure" {
        sc.pressed(p)
    } else {
        sc.aided(p)
    };
    if !aimed {
        let problem = EventProblem::OwnUnaimed {
            party: id.to_string(),
            lever,
        };
        c.push(problem, span(name));
        return None;
    }
    Some(if lever == "pressure" {
        Observed::PressureOf(p)
    } else {
        Observed::AidOf(p)
    })
}

/// When the event fires: at a step, or by chance in a window of steps.
fn trigger(
    c: &mut Checker,
    re: &raw::Event,
    label: &str,
    last: i64,
    sc: &Scenario,
) -> Option<Trigger> {
    let label = label.to_string();
    match (&re.at_step, &re.probability) {
        (Some(at), None) => {
            if re.from_step.is_some() || re.until_step.is_some() {
                c.push(EventProblem::WindowWithoutChance, span(at));
            }
            if let Some(w) = &re.when {
                c.push(EventProblem::ConditionWithoutChance, span(w));
            }
            let step = *at.get_ref();
            if step > last {
                let problem = EventProblem::BeyondHorizon {
                    label: label.clone(),
                    step,
                    last,
                };
                c.push(problem, span(at));
            }
            let what = format!("at_step of event `{label}`");
            Some(Trigger::At(c.integer(at, &what, 0, i64::from(u32::MAX))))
        }
        (None, Some(p)) => {
            let what = format!("probability of event `{label}`");
            let probability = c.number(p, &what, 0.0, 1.0);
            let from = (re.from_step.as_ref()).map_or(0, |v| c.integer(v, "from_step", 0, last));
            let until = (re.until_step.as_ref())
                .map_or(last as u32, |v| c.integer(v, "until_step", 0, last));
            if from > until {
                let problem = EventProblem::WindowInverted { label, from, until };
                c.push(problem, span(&re.label));
            }
            let when = re.when.as_ref().and_then(|w| condition(c, w, sc));
            Some(Trigger::Chance {
                probability,
                from,
                until,
                when,
            })
        }
        (Some(at), Some(_)) => {
            c.push(EventProblem::BothTriggers { label }, span(at));
            None
        }
        (None, None) => {
            c.push(EventProblem::NoTrigger { label }, span(&re.label));
            None
        }
    }
}

fn effect(c: &mut Checker, fx: &raw::Effect, scenario: &Scenario) -> Option<Effect> {
    let path = fx.target.get_ref();
    let target = match scenario.parse_target(path) {
        Ok(Target::EventProbability(_)) => {
            c.push(EventProblem::OnEvent, span(&fx.target));
            None
        }
        Ok(t) => Some(t),
        Err(e) => {
            let problem = match &e {
                PathError::Unknown {
                    suggestion,
                    examples,
                    ..
                } => EventProblem::UnknownTarget {
                    message: e.headline(),
                    suggestion: suggestion.clone(),
                    examples: examples.clone(),
                },
                _ => EventProblem::Unread {
                    message: e.headline(),
                    hint: e.hint().unwrap_or_default(),
                },
            };
            c.push(problem, span(&fx.target));
            None
        }
    };
    type MakeOp = fn(f64) -> Op;
    let ops: Vec<(&raw::Num, MakeOp)> = [
        (fx.set.as_ref(), Op::Set as MakeOp),
        (fx.add.as_ref(), Op::Add),
        (fx.scale.as_ref(), Op::Scale),
    ]
    .into_iter()
    .filter_map(|(v, f)| v.map(|v| (v, f)))
    .collect();
    let [(v, make)] = ops[..] else {
        let target = path.clone();
        c.push(EventProblem::EffectOps { target }, span(&fx.target));
        return None;
    };
    let target = target?;
    let x = match make(0.0) {
        Op::Set(_) => {
            let (lo, hi) = scenario.target_range(target);
            c.number(v, &format!("value set on `{path}`"), lo, hi)
        }
        _ => c.number(v, &format!("change to `{path}`"), -1e9, 1e9),
    };
    let op = make(x);
    if let Target::RedLine { party, line, upper } = target {
        red_line_effect(c, fx, scenario, (party, line, upper), op);
    }
    Some(Effect { target, op })
}

/// A red-line effect applied once to the line as the file writes it stays
/// in the issue's range and on its side of the line's other bound, so an
/// event cannot turn a limit into nonsense (the engine also keeps every
/// result in range).
fn red_line_effect(
    c: &mut Checker,
    fx: &raw::Effect,
    sc: &Scenario,
    (party, line, upper): (usize, usize, bool),
    op: Op,
) {
    let rl = &sc.parties[party].red_lines[line];
    let (mut low, mut high) = sc.target_range(Target::RedLine { party, line, upper });
    if upper {
        low = low.max(rl.min.unwrap_or(low));
    } else {
        high = high.min(rl.max.unwrap_or(high));
    }
    let Some(now) = (if upper { rl.max } else { rl.min }) else {
        return;
    };
    let value = op.apply(now);
    if !(low..=high).contains(&value) {
        let problem = EventProblem::RedLineOutOfRange {
            target: fx.target.get_ref().clone(),
            value,
            low,
            high,
        };
        c.push(problem, span(&fx.target));
    }
}

/// An event's id: a safe name, not a number, not used before.
fn event_id(c: &mut Checker, id: &Spanned<String>, earlier: &[Event]) -> String {
    let text = id.get_ref().clone();
    let safe = text
        .chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_lowercase())
        && text.len() <= 64
        && text
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_');
    if !safe {
        c.push(EventProblem::BadId { id: text.clone() }, span(id));
    } else if earlier.iter().any(|e| e.id.as_deref() == Some(&text)) {
        c.push(EventProblem::DuplicateId { id: text.clone() }, span(id));
    }
    text
}

/// `when = { variable = ..., below = ... }` or `above = ...`.
fn condition(c: &mut Checker, w: &Spanned<raw::Condition>, sc: &Scenario) -> Option<Condition> {
    let raw = w.get_ref();
    let name = raw.variable.get_ref();
    let variable = match Observed::from_name(name) {
        Some(v) => v,
        None => own_variable(c, &raw.variable, sc)?,
    };
    let what = format!("the condition on `{name}`");
    let test = match (&raw.below, &raw.above) {
        (Some(x), None) => Test::Below(c.number(x, &what, -1e9, 1e9)),
        (None, Some(x)) => Test::Above(c.number(x, &what, -1e9, 1e9)),
        _ => {
            let variable = name.clone();
            c.push(EventProblem::ConditionTest { variable }, span(w));
            return None;
        }
    };
    Some(Condition { variable, test })
}

/// A `[[charts.marks]]` settlement: a label, and a value in range for
/// every issue.
fn chart_mark(c: &mut Checker, m: &raw::ChartMark, issues: &[Issue]) -> Option<SettlementMark> {
    let label = m.label.get_ref().trim().to_string();
    if label.is_empty() {
        let field = "charts.marks.label".to_string();
        c.push(ScenarioProblem::EmptyLabel { field }, span(&m.label));
    }
    let mut at: Vec<Option<f64>> = vec![None; issues.len()];
    for (key, v) in m.at.get_ref() {
        let k = c.issue(issues, key)?;
        let i = &issues[k];
        at[k] = Some(c.number(v, &format!("mark `{label}` on `{}`", i.id), i.min, i.max));
    }
    for (k, i) in issues.iter().enumerate() {
        if at[k].is_none() {
            let problem = ScenarioProblem::MarkMissingIssue {
                label: label.clone(),
                issue: i.id.clone(),
                min: i.min,
                max: i.max,
            };
            c.push(problem, span(&m.at));
        }
    }
    Some(SettlementMark {
        label,
        at: at.into_iter().map(|v| v.unwrap_or(0.0)).collect(),
    })
}

/// `[charts] y_range = [low, high]`: within the front issue's range, low
/// below high.
fn chart_range(c: &mut Checker, y: &Spanned<Vec<f64>>, issue: &Issue) -> Option<Interval> {
    let [low, high] = y.get_ref()[..] else {
        c.push(
            ScenarioProblem::ChartRange {
                issue: issue.id.clone(),
            },
            span(y),
        );
        return None;
    };
    let inside = |v: f64| v >= issue.min && v <= issue.max;
    if !(low < high && inside(low) && inside(high)) {
        c.push(
            ScenarioProblem::ChartRange {
                issue: issue.id.clone(),
            },
            span(y),
        );
        return None;
    }
    Some(Interval::new(low, high))
}
