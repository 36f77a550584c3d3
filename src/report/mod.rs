//! The classroom report and the terminal explanation of a run.
//!
//! Both are written from one [`Analysis`]: the run's headline facts, a
//! narrative generated from the timeline, the "what would open the zone"
//! table, and discussion questions derived from the results. The HTML and the
//! terminal renderers only lay these out, so they always tell the same story.

pub mod html;
pub mod lesson;
mod narrative;
pub mod text;

use crate::explain::{self, Openings, Reason};
use crate::facts::Facts;
use crate::model::{Change, Scenario};
use crate::sensitivity::Sensitivity;
use crate::sim::{Step, Timeline};
use crate::text::{amount, and_list, bar_aside, capitalise, in_units, value, worth_text};

/// Everything a report says about one scenario.
pub struct Analysis<'a> {
    pub scenario: &'a Scenario,
    pub timeline: Timeline,
    pub facts: Facts,
    /// One entry per paragraph or list item, in plain text.
    pub narrative: Vec<String>,
    pub openings: Option<Openings>,
    pub questions: Vec<String>,
    /// Which assumptions carry the result, when it was asked for (it takes
    /// Monte Carlo runs, so the caller decides).
    pub sensitivity: Option<Sensitivity>,
    /// The values `--set` changed from the file's, if any: a report of a
    /// variant says so wherever it is read, not only in the terminal that
    /// made it.
    pub variant: Vec<Change>,
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
    // Counterfactual runs, one per event that fired: computed once here,
    // read by the choice of step and by the questions.
    let effects = explain::event_effects(sc, &tl);
    let ask_at = match at {
        Some(step) => Some(explain::AskAt {
            step,
            reason: explain::Reason::Chosen,
        }),
        None => explain::default_step(&facts, &effects),
    };
    let openings = ask_at.map(|a| explain::openings_at(sc, &tl, a));
    let lines: Vec<&str> = source.map(|s| s.lines().collect()).unwrap_or_default();
    let narrative = narrative::story(sc, &tl, &facts, &lines);
    let mattered = explain::mattered_most(&effects);
    let questions = narrative::questions(sc, &tl, &facts, mattered, openings.as_ref());
    Analysis {
        scenario: sc,
        timeline: tl,
        facts,
        narrative,
        openings,
        questions,
        sensitivity: None,
        variant: Vec::new(),
    }
}

/// "A variant, not the file as written: parties.candidate.ideal.remote =
/// no (the file says yes)."; `None` for the file as written.
pub fn variant_sentence(changes: &[Change]) -> Option<String> {
    if changes.is_empty() {
        return None;
    }
    let each: Vec<String> = changes
        .iter()
        .map(|c| format!("{} = {} (the file says {})", c.path, c.to, c.from))
        .collect();
    Some(format!(
        "A variant, not the file as written: {}.",
        each.join("; ")
    ))
}

/// The Assumptions box's items: what the scenario says it chose, then the
/// parties' values it cites nothing from the source for, named in words.
pub fn assumptions(sc: &Scenario) -> Vec<String> {
    let mut out = sc.all_assumptions();
    let uncited: Vec<String> = sc.uncited().iter().map(|p| value_words(sc, p)).collect();
    if !uncited.is_empty() {
        out.push(format!(
            "Values the file cites no line of the article for ({}): {}.",
            uncited.len(),
            uncited.join(", ")
        ));
    }
    out
}

/// The values read from the source: "Russia's breaking pressure (line 21:
/// \"...\")", in file order.
pub fn cited(sc: &Scenario) -> Vec<String> {
    (sc.cites.iter())
        .map(|c| {
            format!(
                "{} (line {}: \"{}\")",
                capitalise(&value_words(sc, &c.path)),
                c.line,
                c.quote
            )
        })
        .collect()
}

/// A party's value in words: "Russia's bar", "Russia's ideal on territory",
/// "Russia's breaking pressure".
fn value_words(sc: &Scenario, path: &str) -> String {
    match path.split('.').collect::<Vec<_>>().as_slice() {
        ["parties", id, "ideal", issue] => {
            let name = sc
                .party_index(id)
                .map_or(id.to_string(), |p| sc.parties[p].name.clone());
            format!("{} ideal on {issue}", crate::text::possessive(&name))
        }
        _ => crate::sensitivity::words(sc, path),
    }
}

/// A lever's value in its own currency: a bar as a utility ("0.650"), a
/// red line or an ideal in its issue's units ("20.11 % of Ukraine").
pub fn lever_value(sc: &Scenario, lever: explain::Lever, x: f64) -> String {
    match lever.issue() {
        Some(k) => amount(&sc.issues[k], x),
        None => value(x),
    }
}

/// A move's size, signed, in the lever's currency ("-0.96 % of Ukraine").
pub fn change_text(sc: &Scenario, m: &explain::Move) -> String {
    match m.to {
        Some(to) => {
            let d = to - m.from;
            let sign = if d < 0.0 { "-" } else { "+" };
            // A bar's move is in utility: its worth to the party says it in units.
            let worth = match m.lever.issue() {
                Some(_) => String::new(),
                None => crate::text::worth_aside(sc, m.party, d),
            };
            format!("{sign}{}{worth}", lever_value(sc, m.lever, d.abs()))
        }
        None => "-".into(),
    }
}

/// A concession of two parties alike as a class reads it, with the bar's
/// part in the front issue's units to each.
pub fn concession_text(sc: &Scenario, parties: [usize; 2], d: f64) -> String {
    let worth: Vec<String> = (parties.iter())
        .map(|&p| worth_text(sc, p, d))
        .filter(|w| !w.is_empty())
        .collect();
    let worth = if worth.is_empty() {
        String::new()
    } else {
        format!(", {}", worth.join(", "))
    };
    format!(
        "{} (bar down by {}{worth}, every red line out by {:.1} % of its issue's range)",
        value(d),
        value(d),
        100.0 * d
    )
}

/// A bar lever's row said in units: "bar 0.645 (met by territory of at
/// least 8.68 % of Ukraine, other issues at its ideal); opens the zone at
/// 0.580 (met by ...)", each level at the party's ideal of `step` (the
/// openings' step). `None` for a lever that is not a bar: it is already in
/// its issue's units.
pub fn bar_row_note(sc: &Scenario, step: &Step, m: &explain::Move) -> Option<String> {
    if m.lever.issue().is_some() {
        return None;
    }
    let ideal = in_units(sc, &step.terms.get(m.party)?.ideal);
    let mut note = format!(
        "bar {}{}",
        value(m.from),
        bar_aside(sc, m.party, m.from, &ideal)
    );
    if let Some(to) = m.to {
        note.push_str(&format!(
            "; opens the zone at {}{}",
            value(to),
            bar_aside(sc, m.party, to, &ideal)
        ));
    }
    Some(note)
}

/// Two parties' joint concession as a table row gives it: "0.033 (worth
/// 1.96 % of Ukraine of territory to Russia, worth 1.96 % of Ukraine of
/// territory to Ukraine)", or "impossible".
pub fn joint_concession_text(sc: &Scenario, j: &explain::Joint) -> String {
    let Some(d) = j.concession else {
        return "impossible".into();
    };
    let worth: Vec<String> = (j.parties.iter())
        .map(|&p| worth_text(sc, p, d))
        .filter(|w| !w.is_empty())
        .collect();
    if worth.is_empty() {
        value(d)
    } else {
        format!("{} ({})", value(d), worth.join(", "))
    }
}

/// One party's concession d with its bar's part in the front issue's units:
/// "0.051, worth 1.20 % of Ukraine of territory to Russia".
pub fn party_concession_text(sc: &Scenario, party: usize, d: f64) -> String {
    let w = worth_text(sc, party, d);
    if w.is_empty() {
        value(d)
    } else {
        format!("{}, {w}", value(d))
    }
}

/// One sentence on what opens the zone at the openings' step: who could
/// alone, who cannot, and the smallest joint move of two parties.
pub fn openings_sentence(sc: &Scenario, o: &Openings) -> String {
    let name = |p: usize| sc.parties[p].name.as_str();
    let can: Vec<String> = o
        .alone
        .iter()
        .filter_map(|a| {
            a.concession.map(|d| {
                let d = party_concession_text(sc, a.party, d);
                format!("{} (conceding {d})", name(a.party))
            })
        })
        .collect();
    let cannot: Vec<&str> = o
        .alone
        .iter()
        .filter(|a| a.concession.is_none())
        .map(|a| name(a.party))
        .collect();
    let only = if cannot.is_empty() { "" } else { "only " };
    let mut s = match (can.is_empty(), cannot.is_empty()) {
        (true, _) => "no party can open it alone".to_string(),
        (false, true) => format!("each party could open it alone: {}", and_list(&can)),
        (false, false) => format!(
            "{only}{} could open it alone; {} cannot",
            and_list(&can),
            and_list(&cannot)
        ),
    };
    for g in &o.groups {
        s.push_str(&format!("; {}", group_sentence(sc, g)));
    }
    match o.smallest_joint() {
        Some(j) => s.push_str(&format!(
            "; the smallest joint move of two parties is {} and {} each conceding {}",
            name(j.parties[0]),
            name(j.parties[1]),
            concession_text(sc, j.parties, j.concession.unwrap_or_default())
        )),
        None if o.joint.is_empty() => {}
        None if o.joint.iter().any(|j| j.concession.is_some()) => {
            let alone: Vec<&str> = (o.alone.iter())
                .filter(|a| a.concession.is_some())
                .map(|a| name(a.party))
                .collect();
            s.push_str(&format!(
                "; no joint move of two parties needs both: {} alone suffices",
                or_list(&alone)
            ))
        }
        None => s.push_str("; no two parties can open it together"),
    }
    s
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items {
        [rest @ .., last] if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// "Ukraine and Europe hold the same line on territory (at most 19.27 % of
/// Ukraine): none of them alone opens anything by moving it; all moving it
/// to 19.70 % of Ukraine does".
pub fn group_sentence(sc: &Scenario, g: &explain::LineGroup) -> String {
    let names: Vec<&str> = g
        .parties
        .iter()
        .map(|&p| sc.parties[p].name.as_str())
        .collect();
    let i = &sc.issues[g.issue];
    let side = if g.upper { "at most" } else { "at least" };
    let (neither, both) = if names.len() == 2 {
        ("neither", "both")
    } else {
        ("none of them", "all")
    };
    let together = match g.to {
        Some(to) => format!("{both} moving it to {} does", amount(i, to)),
        None => format!("even {both} moving it together does not"),
    };
    format!(
        "{} hold the same line on {} ({side} {}): {neither} alone opens anything by moving it; {together}",
        and_list(&names),
        i.id,
        amount(i, g.at)
    )
}

/// Why openings are asked at their step, when the reader did not choose
/// it: "the last week of the run: ...".
pub fn reason_text(sc: &Scenario, o: &Openings) -> Option<String> {
    let unit = &sc.step_unit;
    Some(match o.reason {
        Reason::Chosen => return None,
        Reason::LastStep => format!(
            "the zone never opened, so this is the last {unit} of the run: every event has fired and the world has moved as far as it will"
        ),
        Reason::AfterEvent { event, opened } => format!(
            "the zone opened at {unit} {opened}; this is the {unit} \"{}\" took effect, the last event before then that changed the gap",
            sc.events[event].label
        ),
        Reason::Start { opened } => format!(
            "the zone opened at {unit} {opened} and no event before then changed the gap, so this is the start"
        ),
    })
}
