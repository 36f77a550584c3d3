//! Changing a scenario's values in its own text.
//!
//! The classroom page varies a scenario the way an author would: by editing
//! the file. Every other byte, comment and layout of the file is kept, the
//! changed values carry a comment with their old value, and the edited text
//! goes through the same reader and validation as any scenario file. So the
//! file the page offers for download is exactly what the page ran, and
//! `zopa run` on it gives the same timeline byte for byte.
//!
//! A control's path is the `--set` path where there is one
//! (`parties.russia.breaking_pressure`), plus the switches and names that
//! only a file holds: `parties.<id>.veto`, `parties.<id>.weights.<issue>`,
//! `events.<n>.enabled`, `mediator.learning`, `mediator.protocol`.

use serde::{Deserialize, Serialize};
use toml_edit::{DocumentMut, InlineTable, Item, Table};

use crate::model::{Change, Field, Protocol, Scenario, Setting, Target, Trigger};

/// A value a control holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Switch(bool),
    Number(f64),
    Name(String),
}

/// One change the page asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    pub path: String,
    pub value: Value,
}

/// What kind of input a control is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// A number in `min..=max`; the slider covers `low..=high`, a window
    /// of the allowed range around the value where that range is vast.
    Number {
        min: f64,
        max: f64,
        low: f64,
        high: f64,
        step: f64,
    },
    Switch,
    Choice {
        options: Vec<String>,
    },
}

/// One input of the page, generated from the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control {
    pub path: String,
    /// The heading it sits under: a party's name, "World", "Events",
    /// "Mediator".
    pub group: String,
    pub label: String,
    pub unit: String,
    /// What the value means, for a tooltip.
    pub help: String,
    #[serde(flatten)]
    pub kind: Kind,
    pub value: Value,
}

/// Why an edit cannot be made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.path, self.message)
    }
}

/// Every control the page offers for a scenario, party by party, then the
/// world, the events and the mediator.
pub fn controls(sc: &Scenario) -> Vec<Control> {
    let mut out: Vec<Control> = (0..sc.parties.len())
        .flat_map(|p| party_controls(sc, p))
        .collect();
    out.extend(world_controls(sc));
    out.extend(event_controls(sc));
    // Alternating offers refuse discrete issues, which leaves no choice of
    // protocol to offer.
    let discrete = sc.issues.iter().any(|i| i.is_discrete());
    out.extend(
        mediator_controls(sc)
            .into_iter()
            .filter(|c| !(discrete && c.path == "mediator.protocol")),
    );
    out
}

/// A party's bar, veto, red lines, knobs, ideal and weights.
fn party_controls(sc: &Scenario, p: usize) -> Vec<Control> {
    let party = &sc.parties[p];
    let mut out = Vec::new();
    let group = party.name.clone();
    let num = |path: String, label: String, unit: &str, help: &str, t: Target| {
        number(sc, path, group.clone(), label, unit, help, t)
    };
    let id = &party.id;
    // A field the party's archetype does not read is no control: moving it
    // would change nothing.
    // A bloc's bar is its members' (its own is refused in the file).
    if party.archetype.unread(Field::Reservation).is_none() && party.bloc.is_none() {
        out.push(num(
            format!("parties.{id}.reservation"),
            "bar (reservation)".into(),
            "utility",
            "The least a deal must be worth to the party, 0 to 1, at the start.",
            Target::Reservation(p),
        ));
    }
    out.push(Control {
        path: format!("parties.{id}.veto"),
        group: group.clone(),
        label: "consent needed (veto)".into(),
        unit: String::new(),
        help: "Whether no deal can be made without this party.".into(),
        kind: Kind::Switch,
        value: Value::Switch(party.veto),
    });
    out.extend(red_line_controls(sc, p));
    for k in party.archetype.knobs() {
        let spec = k.spec();
        out.push(num(
            format!("parties.{id}.{}", spec.name),
            spec.name.replace('_', " "),
            spec.unit,
            spec.meaning,
            Target::Knob { party: p, knob: *k },
        ));
    }
    for (i, issue) in sc.issues.iter().enumerate() {
        if party.values.as_deref().is_some_and(|v| v.has(i)) {
            // Its table of values, not an ideal, says what each option is
            // worth to it; the table is the file's to change.
            continue;
        }
        if issue.is_discrete() {
            let now = issue.denormalise(issue.normalise(party.ideal[i]));
            out.push(Control {
                path: format!("parties.{id}.ideal.{}", issue.id),
                group: group.clone(),
                label: format!("ideal: {}", issue.label),
                unit: String::new(),
                help: "The option the party would like best on this issue.".into(),
                kind: Kind::Choice {
                    options: issue.options.clone(),
                },
                value: Value::Name(issue.option_at(now).unwrap_or_default().to_string()),
            });
            continue;
        }
        out.push(num(
            format!("parties.{id}.ideal.{}", issue.id),
            format!("ideal: {}", issue.label),
            &issue.unit,
            "The settlement the party would like best on this issue.",
            Target::Ideal { party: p, issue: i },
        ));
    }
    if sc.issues.len() > 1 {
        for (i, issue) in sc.issues.iter().enumerate() {
            out.push(Control {
                path: format!("parties.{id}.weights.{}", issue.id),
                group: group.clone(),
                label: format!("weight: {}", issue.label),
                unit: "relative".into(),
                help: "How much the issue matters to the party; weights are divided by their sum."
                    .into(),
                kind: Kind::Number {
                    min: 0.0,
                    max: 1.0,
                    low: 0.0,
                    high: 1.0,
                    step: 0.01,
                },
                value: Value::Number(party.weight[i]),
            });
        }
    }
    out
}

/// One control per bound of each of a party's red lines.
fn red_line_controls(sc: &Scenario, p: usize) -> Vec<Control> {
    let party = &sc.parties[p];
    let id = &party.id;
    let mut out = Vec::new();
    let num = |path: String, label: String, unit: &str, help: &str, t: Target| {
        number(sc, path, party.name.clone(), label, unit, help, t)
    };
    for (line, rl) in party.red_lines.iter().enumerate() {
        let issue = &sc.issues[rl.issue];
        for (upper, bound) in [(false, rl.min), (true, rl.max)] {
            if bound.is_none() {
                continue;
            }
            let (name, word) = if upper {
                ("max", "at most")
            } else {
                ("min", "at least")
            };
            let label = if rl.follows_front {
                format!("red line: {} {word} (from the front)", issue.label)
            } else {
                format!("red line: {} {word}", issue.label)
            };
            out.push(num(
                format!("parties.{id}.red_lines.{}.{name}", issue.id),
                label,
                &issue.unit,
                "A bound the party never crosses, whatever the deal is worth.",
                Target::RedLine {
                    party: p,
                    line,
                    upper,
                },
            ));
        }
    }
    out
}

fn world_controls(sc: &Scenario) -> Vec<Control> {
    let moving = sc.has_front;
    crate::model::WorldVar::all()
        .into_iter()
        .filter(|w| moving || !matches!(w, crate::model::WorldVar::Front))
        .map(|w| {
            let spec = w.spec();
            let unit = if matches!(w, crate::model::WorldVar::Front) {
                sc.issues[sc.front_issue].unit.as_str()
            } else {
                spec.unit
            };
            number(
                sc,
                format!("world.{}", spec.name),
                "World".into(),
                sc.labels.name(w),
                unit,
                spec.meaning,
                Target::World(w),
            )
        })
        .collect()
}

fn event_controls(sc: &Scenario) -> Vec<Control> {
    let mut out = Vec::new();
    for (e, ev) in sc.events.iter().enumerate() {
        let n = e + 1;
        let on = !ev.label.ends_with(SWITCHED_OFF);
        let label = ev.label.trim_end_matches(SWITCHED_OFF).to_string();
        out.push(Control {
            path: format!("events.{n}.enabled"),
            group: "Events".into(),
            label: format!("{n}. {label}"),
            unit: String::new(),
            help: "Off: the event is drawn as before but changes nothing.".into(),
            kind: Kind::Switch,
            value: Value::Switch(on),
        });
        if matches!(ev.trigger, Trigger::Chance { .. }) {
            out.push(number(
                sc,
                format!("events.{n}.probability"),
                "Events".into(),
                format!("{n}. chance per step"),
                "probability",
                "The chance that the event fires at each step of its window.",
                Target::EventProbability(e),
            ));
        }
    }
    out
}

fn mediator_controls(sc: &Scenario) -> Vec<Control> {
    let group = "Mediator".to_string();
    vec![
        Control {
            path: "mediator.protocol".into(),
            group: group.clone(),
            label: "who proposes".into(),
            unit: String::new(),
            help: "mediated: a mediator proposes; alternating_offers: the parties take turns."
                .into(),
            kind: Kind::Choice {
                options: Protocol::ALL.iter().map(|p| p.name().to_string()).collect(),
            },
            value: Value::Name(sc.protocol.name().into()),
        },
        number(
            sc,
            "mediator.perception_noise".into(),
            group.clone(),
            "perception noise".into(),
            "utility",
            "How far, typically, the mediator misjudges each party's bar.",
            Target::PerceptionNoise,
        ),
        Control {
            path: "mediator.learning".into(),
            group: group.clone(),
            label: "learns from refusals".into(),
            unit: String::new(),
            help: "Whether the mediator learns from the answers to its proposals.".into(),
            kind: Kind::Switch,
            value: Value::Switch(sc.learning),
        },
        number(
            sc,
            "mediator.forgetting".into(),
            group,
            "forgetting".into(),
            "share per step",
            "How fast what the mediator learnt fades, per step.",
            Target::Forgetting,
        ),
    ]
}

/// What validation appends to the label of an event switched off.
const SWITCHED_OFF: &str = " (switched off)";

fn number(
    sc: &Scenario,
    path: String,
    group: String,
    label: String,
    unit: &str,
    help: &str,
    t: Target,
) -> Control {
    let (min, max) = sc.target_range(t);
    let value = sc.get(t);
    let span = sc.target_span(t).max(f64::MIN_POSITIVE);
    let (low, high) = if max - min <= 2.0 * span {
        (min, max)
    } else {
        ((value - span).max(min), (value + span).min(max))
    };
    Control {
        path,
        group,
        label,
        unit: unit.into(),
        help: help.into(),
        kind: Kind::Number {
            min: min.max(-1e9),
            max: max.min(1e9),
            low,
            high,
            step: nice_step((high - low) / 200.0),
        },
        value: Value::Number(value),
    }
}

/// The largest of 1, 2 or 5 times a power of ten not above `x`.
fn nice_step(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s <= x)
        .unwrap_or(p)
}

/// The scenario text with `edits` made, and what each changed. Each value
/// is checked against the control's allowed range here; the caller then
/// reads the text as any scenario file, which checks everything again.
pub fn apply(
    text: &str,
    sc: &Scenario,
    edits: &[Edit],
) -> Result<(String, Vec<Change>), EditError> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| EditError {
        path: String::new(),
        message: format!("the scenario text does not parse: {}", e.message()),
    })?;
    let mut changes = Vec::new();
    for edit in edits {
        let change = apply_one(&mut doc, sc, edit)?;
        if change.from != change.to {
            changes.push(change);
        }
    }
    Ok((doc.to_string(), changes))
}

fn apply_one(doc: &mut DocumentMut, sc: &Scenario, edit: &Edit) -> Result<Change, EditError> {
    let fail = |message: String| EditError {
        path: edit.path.clone(),
        message,
    };
    let parts: Vec<&str> = edit.path.split('.').collect();
    match (parts.as_slice(), &edit.value) {
        (["parties", id, "veto"], Value::Switch(on)) => {
            let p = sc
                .party_index(id)
                .ok_or_else(|| fail("no such party".into()))?;
            let from = sc.parties[p].veto;
            let table = party_table(doc, p).ok_or_else(|| fail("no such party".into()))?;
            set(table, "veto", toml_edit::value(*on), &switch(from));
            Ok(change(
                &edit.path,
                Setting::Name(switch(from)),
                Setting::Name(switch(*on)),
            ))
        }
        (["parties", id, "ideal", issue], Value::Name(name)) => {
            let p = sc
                .party_index(id)
                .ok_or_else(|| fail("no such party".into()))?;
            let k = sc
                .issue_index(issue)
                .ok_or_else(|| fail("no such issue".into()))?;
            let i = &sc.issues[k];
            if !i.options.contains(name) {
                return Err(fail(format!(
                    "`{name}` is not an option of {}; choose one of {}",
                    i.id,
                    i.options.join(", ")
                )));
            }
            let from = i
                .option_at(sc.parties[p].ideal[k])
                .unwrap_or_default()
                .to_string();
            let table = party_table(doc, p).ok_or_else(|| fail("no such party".into()))?;
            set_nested(
                table,
                "ideal",
                issue,
                toml_edit::value(name.as_str()),
                &from,
            )
            .ok_or_else(|| fail("the file has no place for this field".into()))?;
            Ok(Change {
                values: i.option_value(name).map(|to| [sc.parties[p].ideal[k], to]),
                ..change(&edit.path, Setting::Name(from), Setting::Name(name.clone()))
            })
        }
        (["parties", id, "weights", issue], Value::Number(v)) => weight(doc, sc, id, issue, *v)
            .map(|from| change(&edit.path, Setting::Number(from), Setting::Number(*v)))
            .map_err(fail),
        (["events", n, "enabled"], Value::Switch(on)) => {
            let e = n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=sc.events.len()).contains(n));
            let e = e.ok_or_else(|| fail("no such event".into()))?;
            let from = !sc.events[e - 1].label.ends_with(SWITCHED_OFF);
            let events = doc.get_mut("events").and_then(Item::as_array_of_tables_mut);
            let table = events.and_then(|a| a.get_mut(e - 1));
            let table = table.ok_or_else(|| fail("no such event in the file".into()))?;
            set(table, "enabled", toml_edit::value(*on), &switch(from));
            Ok(change(
                &edit.path,
                Setting::Name(switch(from)),
                Setting::Name(switch(*on)),
            ))
        }
        (["mediator", "learning"], Value::Switch(on)) => {
            let from = sc.learning;
            set(
                mediator(doc),
                "learning",
                toml_edit::value(*on),
                &switch(from),
            );
            Ok(change(
                &edit.path,
                Setting::Name(switch(from)),
                Setting::Name(switch(*on)),
            ))
        }
        (["mediator", "protocol"], Value::Name(name)) => {
            if !Protocol::ALL.iter().any(|p| p.name() == name) {
                return Err(fail(format!(
                    "`{name}` is not a protocol; choose mediated or alternating_offers"
                )));
            }
            let from = sc.protocol.name().to_string();
            set(
                mediator(doc),
                "protocol",
                toml_edit::value(name.as_str()),
                &from,
            );
            Ok(change(
                &edit.path,
                Setting::Name(from),
                Setting::Name(name.clone()),
            ))
        }
        (_, Value::Number(v)) => number_edit(doc, sc, &edit.path, *v).map_err(fail),
        _ => Err(fail("this value is of the wrong kind for the field".into())),
    }
}

/// A change of a number (`Setting::Number` both sides) carries its
/// numbers; one of names (a switch, the protocol) none.
fn change(path: &str, from: Setting, to: Setting) -> Change {
    let values = match (&from, &to) {
        (Setting::Number(a), Setting::Number(b)) => Some([*a, *b]),
        _ => None,
    };
    Change {
        path: path.into(),
        from,
        to,
        values,
    }
}

fn switch(on: bool) -> String {
    (if on { "on" } else { "off" }).into()
}

/// A numeric field with a `--set` path, written where the file keeps it.
fn number_edit(doc: &mut DocumentMut, sc: &Scenario, path: &str, v: f64) -> Result<Change, String> {
    let target = sc.quantity(path).map_err(|e| e.to_string())?;
    let (lo, hi) = sc.target_range(target);
    if !(v.is_finite() && (lo..=hi).contains(&v)) {
        return Err(format!("{v} is outside the allowed range, {lo} to {hi}"));
    }
    let from = sc.get(target);
    let was = short(from);
    let missing = || "the file has no place for this field".to_string();
    match target {
        Target::World(w) => {
            let root = doc.as_table_mut();
            set_nested(root, "world", w.spec().name, number_item(v), &was).ok_or_else(missing)?;
        }
        Target::Reservation(p) => {
            let t = party_table(doc, p).ok_or_else(missing)?;
            set(t, "reservation", number_item(v), &was);
        }
        Target::Ideal { party, issue } => {
            let t = party_table(doc, party).ok_or_else(missing)?;
            let id = &sc.issues[issue].id;
            set_nested(t, "ideal", id, number_item(v), &was).ok_or_else(missing)?;
        }
        Target::Knob { party, knob } => {
            let t = party_table(doc, party).ok_or_else(missing)?;
            if !t.contains_key("knobs") {
                t.insert("knobs", Item::Value(InlineTable::new().into()));
            }
            let name = knob.spec().name;
            set_nested(t, "knobs", name, number_item(v), &was).ok_or_else(missing)?;
        }
        Target::RedLine { party, line, upper } => {
            let t = party_table(doc, party).ok_or_else(missing)?;
            let rl = &sc.parties[party].red_lines[line];
            let issue = &sc.issues[rl.issue].id;
            let bound = if upper { "max" } else { "min" };
            let lines = t.get_mut("red_lines").and_then(Item::as_array_mut);
            let entry = lines.ok_or_else(missing)?.iter_mut().find_map(|x| {
                let it = x.as_inline_table_mut()?;
                let same = it.get("issue").and_then(|i| i.as_str()) == Some(issue.as_str());
                (same && it.contains_key(bound)).then_some(it)
            });
            let entry = entry.ok_or_else(missing)?;
            entry.insert(bound, number_value(v));
            note(t, "red_lines", &format!("{issue} {bound} was {was}"));
        }
        Target::PerceptionNoise => set(mediator(doc), "perception_noise", number_item(v), &was),
        Target::Forgetting => set(mediator(doc), "forgetting", number_item(v), &was),
        Target::EventProbability(e) => {
            let events = doc.get_mut("events").and_then(Item::as_array_of_tables_mut);
            let t = events.and_then(|a| a.get_mut(e)).ok_or_else(missing)?;
            set(t, "probability", number_item(v), &was);
        }
        Target::Engaged(_) => return Err("a party's engagement is not a value to set".into()),
    }
    Ok(change(path, Setting::Number(from), Setting::Number(v)))
}

/// Writes a party's weights whole, the edited one changed; returns its old
/// share.
fn weight(
    doc: &mut DocumentMut,
    sc: &Scenario,
    id: &str,
    issue: &str,
    v: f64,
) -> Result<f64, String> {
    let p = sc.party_index(id).ok_or("no such party")?;
    let i = sc.issue_index(issue).ok_or("no such issue")?;
    if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
        return Err(format!("{v} is outside the allowed range, 0 to 1"));
    }
    let t = party_table(doc, p).ok_or("no such party in the file")?;
    // Weights already edited on this party are kept as written.
    let written: Vec<Option<f64>> = sc
        .issues
        .iter()
        .map(|iss| {
            let w = t.get("weights").and_then(Item::as_table_like);
            w.and_then(|w| w.get(&iss.id)).and_then(number_of)
        })
        .collect();
    let mut table = InlineTable::new();
    for (k, iss) in sc.issues.iter().enumerate() {
        let w = if k == i {
            v
        } else {
            written[k].unwrap_or(sc.parties[p].weight[k])
        };
        table.insert(&iss.id, number_value(w));
    }
    let from = sc.parties[p].weight[i];
    set(t, "weights", Item::Value(table.into()), "");
    note(t, "weights", &format!("{issue} was {}", short(from)));
    Ok(from)
}

fn number_of(item: &Item) -> Option<f64> {
    let v = item.as_value()?;
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

fn party_table(doc: &mut DocumentMut, p: usize) -> Option<&mut Table> {
    doc.get_mut("parties")?.as_array_of_tables_mut()?.get_mut(p)
}

fn mediator(doc: &mut DocumentMut) -> &mut Table {
    if !doc.contains_key("mediator") {
        doc.insert("mediator", Item::Table(Table::new()));
    }
    doc["mediator"].as_table_mut().expect("a [mediator] table")
}

/// A whole number as an integer (as authors write step counts), anything
/// else as a float; either reads back as the same `f64`.
fn number_value(v: f64) -> toml_edit::Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        (v as i64).into()
    } else {
        v.into()
    }
}

fn number_item(v: f64) -> Item {
    Item::Value(number_value(v))
}

fn short(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Sets `key` in the table `parent.container`, commenting the change on
/// the value's line, or on the container's line when it is an inline
/// table.
fn set_nested(parent: &mut Table, container: &str, key: &str, item: Item, was: &str) -> Option<()> {
    match parent.get_mut(container)? {
        Item::Table(t) => set_like(t, key, item, was),
        Item::Value(toml_edit::Value::InlineTable(t)) => {
            t.insert(key, item.into_value().ok()?);
            note(parent, container, &format!("{key} was {was}"));
        }
        _ => return None,
    }
    Some(())
}

/// Sets `key` in a table and comments the change on its line.
fn set(table: &mut Table, key: &str, item: Item, was: &str) {
    set_like(table, key, item, was);
}

fn set_like(table: &mut dyn toml_edit::TableLike, key: &str, item: Item, was: &str) {
    let old = table
        .get(key)
        .and_then(Item::as_value)
        .and_then(|v| v.decor().suffix())
        .and_then(|s| s.as_str())
        .map(str::to_string);
    table.insert(key, item);
    if was.is_empty() {
        return;
    }
    if let Some(v) = table.get_mut(key).and_then(Item::as_value_mut) {
        let comment = old
            .as_deref()
            .and_then(|s| s.trim_start().strip_prefix('#'))
            .map(str::trim);
        let suffix = match comment {
            Some(c) if c.starts_with("changed on the page") => c.to_string(),
            Some(c) if !c.is_empty() => format!("changed on the page, was {was} | {c}"),
            _ => format!("changed on the page, was {was}"),
        };
        v.decor_mut().set_suffix(format!("   # {suffix}"));
    }
}

/// Comments a change inside an inline table or array on the line of the
/// key that holds it (TOML has no comments inside inline tables); the
/// author's comment stays after a `|`.
fn note(table: &mut Table, key: &str, what: &str) {
    const MARK: &str = "changed on the page: ";
    let Some(v) = table.get_mut(key).and_then(Item::as_value_mut) else {
        return;
    };
    let old = v.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
    let old = old
        .trim_start()
        .strip_prefix('#')
        .map(str::trim)
        .unwrap_or("");
    let (mut notes, author): (Vec<String>, &str) = match old.strip_prefix(MARK) {
        Some(rest) => {
            let (ours, author) = rest.split_once(" | ").unwrap_or((rest, ""));
            (ours.split("; ").map(str::to_string).collect(), author)
        }
        None => (Vec::new(), old),
    };
    let key_of = |n: &str| n.split(" was ").next().unwrap_or("").to_string();
    if !notes.iter().any(|n| key_of(n) == key_of(what)) {
        notes.push(what.to_string());
    }
    let mut suffix = format!("   # {MARK}{}", notes.join("; "));
    if !author.is_empty() {
        suffix = format!("{suffix} | {author}");
    }
    v.decor_mut().set_suffix(suffix);
}
