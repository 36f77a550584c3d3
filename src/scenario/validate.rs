//! From the file as written to the model: every check, every problem kept.
//!
//! Validation never stops at the first problem: a student fixing a file by
//! hand should see everything wrong with it at once.

use std::ops::Range;

use toml::Spanned;

use super::diagnostic::{Diagnostic, Kind};
use super::raw;
use crate::model::params::WORLD_VARS;
use crate::model::{
    Archetype, Effect, Event, Issue, Knob, MAX_PARTIES, MAX_STEPS, Op, Party, RedLine, Scenario,
    Target, Trigger, WorldVar, closest,
};
use crate::zone::MAX_ISSUES;

struct Checker {
    problems: Vec<Diagnostic>,
}

fn span<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

impl Checker {
    fn push(&mut self, d: Diagnostic) {
        self.problems.push(d);
    }

    /// A finite number within `[lo, hi]`, or a problem reported.
    fn number(&mut self, v: &raw::Num, what: &str, lo: f64, hi: f64) -> f64 {
        let x = *v.get_ref();
        if !x.is_finite() {
            self.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(v),
                    format!("{what} is {x}, not a finite number"),
                )
                .hint(format!(
                    "write a number between {} and {}",
                    show(lo),
                    show(hi)
                )),
            );
            return lo.max(f64::MIN).min(hi);
        }
        if x < lo || x > hi {
            self.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(v),
                    format!("{what} is {x}, outside {}", range(lo, hi)),
                )
                .hint(format!("use a value between {} and {}", show(lo), show(hi))),
            );
            return x.clamp(lo, hi);
        }
        x
    }

    fn integer(&mut self, v: &raw::Int, what: &str, lo: i64, hi: i64) -> u32 {
        let x = *v.get_ref();
        if x < lo || x > hi {
            self.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(v),
                    format!("{what} is {x}, outside {lo}..={hi}"),
                )
                .hint(format!("use a whole number from {lo} to {hi}")),
            );
        }
        x.clamp(lo, hi) as u32
    }

    fn unknown(&mut self, name: &Spanned<String>, what: &str, known: &[&str]) {
        let mut d = Diagnostic::new(
            Kind::UnknownName,
            span(name),
            format!("unknown {what} `{}`", name.get_ref()),
        );
        d = match closest(name.get_ref(), known.iter().copied()) {
            Some(c) => d.hint(format!("did you mean `{c}`?")),
            None => d.hint(format!("known: {}", list(known))),
        };
        self.push(d);
    }
}

fn show(x: f64) -> String {
    if x == f64::INFINITY {
        "infinity".into()
    } else if x == f64::NEG_INFINITY {
        "-infinity".into()
    } else {
        format!("{x}")
    }
}

fn range(lo: f64, hi: f64) -> String {
    format!("[{}, {}]", show(lo), show(hi))
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a parsed file. `Err` holds every problem found.
pub fn validate(file: raw::File) -> Result<Scenario, Vec<Diagnostic>> {
    let mut c = Checker {
        problems: Vec::new(),
    };

    // Metadata.
    let name = file.scenario.name.get_ref().clone();
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_');
    if !name_ok {
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                span(&file.scenario.name),
                format!("scenario name `{name}` cannot name a folder safely"),
            )
            .hint("use 1 to 64 lowercase letters, digits, `-` or `_`, e.g. `budapest-cancelled`"),
        );
    }
    let steps_ok = (1..=i64::from(MAX_STEPS)).contains(file.time.steps.get_ref());
    let steps = c.integer(
        &file.time.steps,
        "time.steps (the horizon)",
        1,
        i64::from(MAX_STEPS),
    );

    // Issues.
    let mut issues: Vec<Issue> = Vec::new();
    if file.issues.get_ref().is_empty() || file.issues.get_ref().len() > MAX_ISSUES {
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                span(&file.issues),
                format!("{} issues given", file.issues.get_ref().len()),
            )
            .hint(format!(
                "a scenario has 1 to {MAX_ISSUES} issues ([[issues]] tables)"
            )),
        );
    }
    for ri in file.issues.get_ref().iter().take(MAX_ISSUES) {
        let id = ri.id.get_ref().clone();
        if issues.iter().any(|i| i.id == id) {
            c.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(&ri.id),
                    format!("issue id `{id}` is used twice"),
                )
                .hint("give each issue its own id"),
            );
        }
        let min = c.number(&ri.min, "issue min", f64::MIN, f64::MAX);
        let mut max = c.number(&ri.max, "issue max", f64::MIN, f64::MAX);
        if max <= min {
            c.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(&ri.max),
                    format!("issue `{id}` has max {max} not above min {min}"),
                )
                .hint("an issue's range needs max > min"),
            );
            max = min + 1.0;
        }
        let mut marks = Vec::new();
        for m in &ri.marks {
            let v = c.number(&m.value, &format!("mark `{}`", m.label), min, max);
            marks.push((m.label.clone(), v));
        }
        issues.push(Issue {
            id,
            label: ri.label.clone(),
            unit: ri.unit.clone(),
            min,
            max,
            low_label: ri.low_label.clone(),
            high_label: ri.high_label.clone(),
            marks,
        });
    }
    let issue_ids: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
    let find_issue = |c: &mut Checker, id: &Spanned<String>| -> Option<usize> {
        let found = issue_ids.iter().position(|i| *i == id.get_ref());
        if found.is_none() {
            c.unknown(id, "issue", &issue_ids);
        }
        found
    };

    // The world: first the front issue, then the numeric variables.
    let mut world = [0.0; WORLD_VARS];
    for w in WorldVar::all() {
        world[w as usize] = w.spec().default;
    }
    let world_names: Vec<&str> = std::iter::once("front_issue")
        .chain(WorldVar::all().iter().map(|w| w.spec().name))
        .collect();
    let world_table = file.world.get_ref();
    let mut front_issue = 0;
    match world_table
        .iter()
        .find(|(k, _)| k.get_ref() == "front_issue")
    {
        None => c.push(
            Diagnostic::new(
                Kind::MissingField,
                span(&file.world),
                "missing field `front_issue` in [world]",
            )
            .hint("name the issue the front line moves on, e.g. front_issue = \"territory\""),
        ),
        Some((_, value)) => match value.get_ref().as_str() {
            Some(s) => {
                let text = Spanned::new(value.span(), s.to_string());
                if let Some(i) = find_issue(&mut c, &text) {
                    front_issue = i;
                }
            }
            None => c.push(
                Diagnostic::new(
                    Kind::Syntax,
                    span(value),
                    "world.front_issue must be a string",
                )
                .hint("name an issue id, e.g. front_issue = \"territory\""),
            ),
        },
    }
    let (front_min, front_max) = issues
        .get(front_issue)
        .map_or((f64::MIN, f64::MAX), |i| (i.min, i.max));
    for (key, value) in world_table {
        if key.get_ref() == "front_issue" {
            continue;
        }
        let Some(var) = WorldVar::from_name(key.get_ref()) else {
            c.unknown(key, "field in [world]", &world_names);
            continue;
        };
        let v = value.get_ref();
        let Some(x) = v.as_float().or(v.as_integer().map(|i| i as f64)) else {
            c.push(
                Diagnostic::new(
                    Kind::Syntax,
                    span(value),
                    format!("world.{} must be a number", key.get_ref()),
                )
                .hint(var.spec().meaning),
            );
            continue;
        };
        let num = Spanned::new(value.span(), x);
        let s = var.spec();
        let (lo, hi) = if var == WorldVar::Front {
            (front_min, front_max)
        } else {
            (s.min, s.max)
        };
        world[var as usize] = c.number(&num, &format!("world.{}", s.name), lo, hi);
    }
    if !world_table.iter().any(|(k, _)| k.get_ref() == "front") {
        // No front given: it starts at the low end of its issue.
        world[WorldVar::Front as usize] = front_min;
    }

    // Parties.
    let raw_parties = file.parties.get_ref();
    if raw_parties.len() < 2 || raw_parties.len() > MAX_PARTIES {
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                span(&file.parties),
                format!("{} parties given", raw_parties.len()),
            )
            .hint(format!(
                "a scenario has 2 to {MAX_PARTIES} parties ([[parties]] tables)"
            )),
        );
    }
    let mut parties: Vec<Party> = Vec::new();
    for rp in raw_parties.iter().take(MAX_PARTIES) {
        parties.push(party(
            &mut c,
            rp,
            &issues,
            &find_issue,
            front_issue,
            &parties,
        ));
    }
    if !parties.is_empty() && !parties.iter().any(|p| p.veto) {
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                span(&file.parties),
                "no party has a veto, so no deal needs anyone's consent",
            )
            .hint("set veto = true on the parties whose consent a deal needs"),
        );
    }
    let party_ids: Vec<&str> = parties.iter().map(|p| p.id.as_str()).collect();

    // The mediator.
    let mut mediator = None;
    let mut perception_noise = 0.0;
    if let Some(m) = &file.mediator {
        if let Some(p) = &m.party {
            mediator = party_ids.iter().position(|id| *id == p.get_ref());
            if mediator.is_none() {
                c.unknown(p, "mediator party", &party_ids);
            }
        }
        if let Some(n) = &m.perception_noise {
            perception_noise = c.number(n, "mediator.perception_noise", 0.0, 1.0);
        }
    }

    let mut scenario = Scenario {
        name,
        title: file.scenario.title.clone(),
        description: file.scenario.description.clone(),
        source: file.scenario.source.clone(),
        steps,
        step_unit: file.time.step_unit.clone(),
        issues,
        parties,
        front_issue,
        world,
        has_front: world_table.iter().any(|(k, _)| k.get_ref() == "front"),
        mediator,
        perception_noise,
        events: Vec::new(),
    };

    // Events, which may name any target of the scenario built so far.
    // With a broken horizon, step checks would only echo that one problem.
    let last_step = if steps_ok {
        i64::from(steps) - 1
    } else {
        i64::from(MAX_STEPS)
    };
    for re in &file.events {
        if let Some(e) = event(&mut c, re, &scenario, last_step) {
            scenario.events.push(e);
        }
    }

    if c.problems.is_empty() {
        Ok(scenario)
    } else {
        // In file order, as a reader fixes them.
        c.problems
            .sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        Err(c.problems)
    }
}

fn party(
    c: &mut Checker,
    rp: &raw::Party,
    issues: &[Issue],
    find_issue: &dyn Fn(&mut Checker, &Spanned<String>) -> Option<usize>,
    front_issue: usize,
    earlier: &[Party],
) -> Party {
    let id = rp.id.get_ref().clone();
    if earlier.iter().any(|p| p.id == id) {
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                span(&rp.id),
                format!("party id `{id}` is used twice"),
            )
            .hint("give each party its own id"),
        );
    }
    let archetype = Archetype::from_name(rp.archetype.get_ref()).unwrap_or_else(|| {
        let names: Vec<&str> = Archetype::ALL.iter().map(|a| a.name()).collect();
        c.unknown(&rp.archetype, "archetype", &names);
        Archetype::QuickDeal
    });
    let colour = parse_colour(rp.colour.get_ref()).unwrap_or_else(|| {
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                span(&rp.colour),
                format!("`{}` is not a colour", rp.colour.get_ref()),
            )
            .hint("write a hex colour such as \"#1f77b4\""),
        );
        [128, 128, 128]
    });
    let reservation = c.number(&rp.reservation, &format!("reservation of `{id}`"), 0.0, 1.0);

    // Ideal: one value per issue, inside its range.
    let mut ideal = [0.0; MAX_ISSUES];
    let mut given = [false; MAX_ISSUES];
    for (key, v) in rp.ideal.get_ref() {
        if let Some(k) = find_issue(c, key) {
            let i = &issues[k];
            ideal[k] = c.number(v, &format!("ideal of `{id}` on `{}`", i.id), i.min, i.max);
            given[k] = true;
        }
    }
    for (k, i) in issues.iter().enumerate() {
        if !given[k] {
            c.push(
                Diagnostic::new(
                    Kind::MissingField,
                    span(&rp.ideal),
                    format!("party `{id}` has no ideal on issue `{}`", i.id),
                )
                .hint(format!(
                    "add {} = <a value in [{}, {}]> to its ideal",
                    i.id, i.min, i.max
                )),
            );
        }
    }

    // Weights: non-negative, not all zero; normalised to sum 1. Issues left
    // out weigh nothing; no table at all means equal weights.
    let mut weight = [0.0; MAX_ISSUES];
    let before = c.problems.len();
    match &rp.weights {
        None => weight[..issues.len()].fill(1.0),
        Some(w) => {
            for (key, v) in w.get_ref() {
                if let Some(k) = find_issue(c, key) {
                    let what = format!("weight of `{id}` on `{}`", issues[k].id);
                    if *v.get_ref() < 0.0 {
                        c.push(
                            Diagnostic::new(
                                Kind::Invalid,
                                span(v),
                                format!(
                                    "{what} is {}, but weights cannot be negative",
                                    v.get_ref()
                                ),
                            )
                            .hint("use 0 for an issue the party does not care about"),
                        );
                    } else {
                        weight[k] = c.number(v, &what, 0.0, 1e12);
                    }
                }
            }
        }
    }
    let total: f64 = weight.iter().sum();
    if total > 0.0 {
        weight.iter_mut().for_each(|w| *w /= total);
    } else if c.problems.len() == before {
        // (A negative weight has already been reported above.)
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                rp.weights.as_ref().and_then(span),
                format!("the weights of `{id}` are all zero"),
            )
            .hint("give at least one issue a positive weight; they are normalised to sum to 1"),
        );
        weight[0] = 1.0;
    }

    let mut red_lines = Vec::new();
    for rl in &rp.red_lines {
        let Some(k) = find_issue(c, &rl.issue) else {
            continue;
        };
        let i = &issues[k];
        if rl.follows_front && k != front_issue {
            c.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(&rl.issue),
                    format!(
                        "a red line that follows the front must be on the front issue `{}`",
                        issues[front_issue].id
                    ),
                )
                .hint("set follows_front = false, or move the red line to the front issue"),
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
            c.push(
                Diagnostic::new(
                    Kind::MissingField,
                    span(&rl.issue),
                    "a red line needs min, max or both",
                )
                .hint("e.g. { issue = \"territory\", max = 19 }"),
            );
        }
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            c.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(&rl.issue),
                    format!("red line min {a} is above its max {b}"),
                )
                .hint("swap them"),
            );
        }
        red_lines.push(RedLine {
            issue: k,
            min,
            max,
            follows_front: rl.follows_front,
        });
    }

    // Knobs: only those of the party's archetype, each within its range.
    let mut knobs = Knob::defaults();
    let own: Vec<&str> = archetype.knobs().iter().map(|k| k.spec().name).collect();
    for (key, v) in &rp.knobs {
        match Knob::from_name(key.get_ref()).filter(|k| archetype.knobs().contains(k)) {
            Some(k) => {
                let s = k.spec();
                knobs[k as usize] =
                    c.number(v, &format!("knob `{}` of `{id}`", s.name), s.min, s.max);
            }
            None => {
                let mut d = Diagnostic::new(
                    Kind::UnknownField,
                    span(key),
                    format!(
                        "`{}` is not a knob of the {} archetype",
                        key.get_ref(),
                        archetype.name()
                    ),
                );
                d = match closest(key.get_ref(), own.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`? its knobs are {}", list(&own))),
                    None => d.hint(format!("its knobs are {}", list(&own))),
                };
                c.push(d);
            }
        }
    }

    Party {
        id,
        name: rp.name.clone(),
        colour,
        archetype,
        veto: rp.veto,
        reservation,
        ideal,
        weight,
        red_lines,
        knobs,
    }
}

fn parse_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn event(c: &mut Checker, re: &raw::Event, scenario: &Scenario, last: i64) -> Option<Event> {
    let label = re.label.get_ref().clone();
    let trigger = match (&re.at_step, &re.probability) {
        (Some(at), None) => {
            if re.from_step.is_some() || re.until_step.is_some() {
                c.push(
                    Diagnostic::new(
                        Kind::Invalid,
                        span(at),
                        "from_step/until_step only apply to events with a probability",
                    )
                    .hint("remove them, or replace at_step by probability"),
                );
            }
            if *at.get_ref() > last {
                c.push(
                    Diagnostic::new(
                        Kind::Invalid,
                        span(at),
                        format!(
                            "event `{label}` is at step {}, beyond the horizon (steps 0 to {last})",
                            at.get_ref()
                        ),
                    )
                    .hint("move the event into the horizon, or raise time.steps"),
                );
            }
            Trigger::At(c.integer(
                at,
                &format!("at_step of event `{label}`"),
                0,
                i64::from(u32::MAX),
            ))
        }
        (None, Some(p)) => {
            let probability = c.number(p, &format!("probability of event `{label}`"), 0.0, 1.0);
            let from = re
                .from_step
                .as_ref()
                .map_or(0, |v| c.integer(v, "from_step", 0, last));
            let until = re
                .until_step
                .as_ref()
                .map_or(last as u32, |v| c.integer(v, "until_step", 0, last));
            if from > until {
                c.push(
                    Diagnostic::new(
                        Kind::Invalid,
                        span(&re.label),
                        format!("event `{label}` has from_step {from} after until_step {until}"),
                    )
                    .hint("swap them"),
                );
            }
            Trigger::Chance {
                probability,
                from,
                until,
            }
        }
        (Some(at), Some(_)) => {
            c.push(
                Diagnostic::new(Kind::Invalid, span(at), format!("event `{label}` has both at_step and probability"))
                    .hint("an event fires either at a fixed step (at_step) or by chance (probability), not both"),
            );
            return None;
        }
        (None, None) => {
            c.push(
                Diagnostic::new(Kind::MissingField, span(&re.label), format!("event `{label}` says neither when (at_step) nor how likely (probability) it is"))
                    .hint("add at_step = <step> or probability = <0..1>"),
            );
            return None;
        }
    };
    let source_line = re
        .source_line
        .as_ref()
        .map(|l| c.integer(l, "source_line", 1, i64::from(u32::MAX)));
    if re.effects.get_ref().is_empty() {
        c.push(
            Diagnostic::new(
                Kind::Invalid,
                span(&re.effects),
                format!("event `{label}` changes nothing"),
            )
            .hint("add effects = [{ target = \"world.pressure\", add = 0.1 }]"),
        );
    }
    let mut effects = Vec::new();
    for fx in re.effects.get_ref() {
        let target = match scenario.parse_target(fx.target.get_ref()) {
            Ok(Target::EventProbability(_)) => {
                c.push(
                    Diagnostic::new(
                        Kind::Invalid,
                        span(&fx.target),
                        "an event cannot change another event's probability",
                    )
                    .hint("vary it with `zopa sweep --vary` instead"),
                );
                None
            }
            Ok(t) => Some(t),
            Err(e) => {
                let mut d = Diagnostic::new(Kind::UnknownName, span(&fx.target), e.message);
                d = match e.suggestion {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => {
                        let names: Vec<&str> = e.examples.iter().map(String::as_str).collect();
                        d.hint(format!(
                            "targets include {}; docs/scenario-format.md lists them all",
                            list(&names)
                        ))
                    }
                };
                c.push(d);
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
        if ops.len() != 1 {
            c.push(
                Diagnostic::new(
                    Kind::Invalid,
                    span(&fx.target),
                    format!(
                        "effect on `{}` must have exactly one of set, add, scale",
                        fx.target.get_ref()
                    ),
                )
                .hint("e.g. { target = \"world.pressure\", add = 0.1 }"),
            );
            continue;
        }
        let (v, make) = ops[0];
        let Some(target) = target else { continue };
        let x = match make(0.0) {
            Op::Set(_) => {
                let (lo, hi) = scenario.target_range(target);
                c.number(
                    v,
                    &format!("value set on `{}`", fx.target.get_ref()),
                    lo,
                    hi,
                )
            }
            _ => c.number(
                v,
                &format!("change to `{}`", fx.target.get_ref()),
                -1e9,
                1e9,
            ),
        };
        effects.push(Effect {
            target,
            op: make(x),
        });
    }
    Some(Event {
        label,
        source_line,
        trigger,
        effects,
    })
}
