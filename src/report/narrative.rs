//! The story of a run, told from the timeline and its facts, and the
//! questions it raises. Every number in these sentences is read from the
//! run or from what the analysis layer computed of it (bar changes, event
//! effects, openings); nothing here simulates or ranks.

use super::openings_sentence;
use crate::explain::{EventEffect, Openings};
use crate::facts::{BAR_NOTICE, Facts, Turn};
use crate::model::archetype::Lever;
use crate::model::{Knob, Op, Provenance, Scenario, Target};
use crate::sim::{Outcome, Step, Timeline};
use crate::text::{
    amount, and_list, bar_aside, capitalise, gap_text, in_units, possessive, settlement_text,
    shorten, value,
};
use crate::why::zone_text;

/// The story of a run: where it starts, a paragraph per step where
/// something happened, who blocked, and how it ended.
pub fn story(sc: &Scenario, tl: &Timeline, facts: &Facts, source: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(first) = tl.steps.first() else {
        return out;
    };
    out.push(opening(sc, first));
    let mut prev: &Step = first;
    for s in &tl.steps {
        let sentences = step_sentences(sc, facts, prev, s, source);
        if !sentences.is_empty() {
            out.push(format!(
                "{} {}: {}",
                capitalise(&sc.step_unit),
                s.step,
                sentences.join(" ")
            ));
        }
        prev = s;
    }
    out.push(blocking_paragraph(sc, facts));
    out.push(outcome_sentence(sc, facts));
    out
}

fn opening(sc: &Scenario, first: &Step) -> String {
    let bars: Vec<String> = (sc.parties.iter().enumerate())
        .map(|(p, party)| {
            let r = first.reservation[p];
            format!(
                "{} {}{}",
                party.name,
                value(r),
                step_bar_aside(sc, first, p)
            )
        })
        .collect();
    format!(
        "At {} 0 {}. The parties' bars (the utility each needs from a deal, and the settlements that meet it) are: {}.",
        sc.step_unit,
        zone_text(sc, first),
        bars.join(", ")
    )
}

/// Party `p`'s bar at step `s` said as the settlements that meet it, its
/// other issues at its ideal of that step.
fn step_bar_aside(sc: &Scenario, s: &Step, p: usize) -> String {
    let ideal = in_units(sc, &s.terms[p].ideal);
    bar_aside(sc, p, s.reservation[p], &ideal)
}

/// What happened at step `s`, after step `prev`, sentence by sentence.
fn step_sentences(
    sc: &Scenario,
    facts: &Facts,
    prev: &Step,
    s: &Step,
    source: &[&str],
) -> Vec<String> {
    let mut sentences: Vec<String> = s
        .events
        .iter()
        .map(|&e| event_sentence(sc, e, source))
        .collect();
    if s.step > 0 && !s.events.is_empty() {
        sentences.push(effect_sentence(sc, prev, s));
    }
    if s.step > 0 && s.zone_exists() != prev.zone_exists() {
        if s.zone_exists() {
            sentences.push(format!("The zone opens: {}.", zone_text(sc, s)));
        } else {
            sentences.push(format!("The zone closes: {}.", zone_text(sc, s)));
        }
    }
    sentences.extend(
        facts
            .turns_at(s.step)
            .map(|t| turn_sentence(sc, prev, s, t)),
    );
    for &p in &s.walked_away {
        sentences.push(format!(
            "{} walks away after too long without a zone; its consent is no longer needed.{}",
            sc.parties[p].name,
            what_stops(sc, p)
        ));
    }
    for p in left_by_event(sc, s) {
        sentences.push(format!(
            "{} leaves the talks; its consent is no longer needed.{}",
            sc.parties[p].name,
            what_stops(sc, p)
        ));
    }
    if let Some(prop) = s.proposal.as_ref().filter(|p| p.deal) {
        sentences.push(format!(
            "The mediator proposes {} and every party accepts.",
            settlement_text(sc, &prop.point)
        ));
    }
    sentences
}

/// A turning point in words, with the numbers that show it.
fn turn_sentence(sc: &Scenario, prev: &Step, s: &Step, turn: &Turn) -> String {
    let name = |p: usize| sc.parties[p].name.as_str();
    match turn {
        Turn::LinePassed {
            issue,
            upper,
            from,
            to,
            was,
            now,
        } => {
            let i = &sc.issues[*issue];
            let (says, said) = if *upper {
                ("gives at most", "gave at most")
            } else {
                ("needs at least", "needed at least")
            };
            format!(
                "{} line on {} passes {}: {} now holds the tightest line and {says} {}, where {} {said} {} at {} {}.",
                possessive(name(*from)),
                i.label,
                possessive(name(*to)),
                name(*to),
                amount(i, *now),
                name(*from),
                amount(i, *was),
                sc.step_unit,
                prev.step
            )
        }
        Turn::BarAtBound { party, bound } if *bound > 0.5 => format!(
            "{} bar reaches {}, the top of its range: only its ideal on every issue would satisfy it.",
            possessive(name(*party)),
            value(*bound)
        ),
        Turn::BarAtBound { party, bound } => format!(
            "{} bar reaches {}: any settlement its red lines allow would satisfy it.",
            possessive(name(*party)),
            value(*bound)
        ),
        Turn::WallChanged { lines_cross } => format!(
            "The wall changes: {} keep the zone shut; {}.",
            if *lines_cross {
                "the red lines now cross and"
            } else {
                "the red lines now leave room and the bars alone"
            },
            zone_text(sc, s)
        ),
        Turn::MainBlocker { from, to } => format!(
            "The main blocker changes: now {}, where it was {} at {} {}.",
            blocker_group(sc, to),
            blocker_group(sc, from),
            sc.step_unit,
            prev.step
        ),
    }
}

/// "Russia (50%) and Ukraine (50%), tied", or "Russia (100%)".
fn blocker_group(sc: &Scenario, group: &[crate::zone::Blocker]) -> String {
    let names = crate::why::blocker_names(sc, group);
    if group.len() > 1 {
        format!("{names}, tied")
    } else {
        names
    }
}

/// An event's label, with the words of the article it reports quoted in
/// full; a what-if (its label says so) names the line that prompted it
/// without quoting it, since the line does not report it.
fn event_sentence(sc: &Scenario, e: usize, source: &[&str]) -> String {
    let ev = &sc.events[e];
    let cite = match (&ev.provenance, ev.source_line) {
        (Provenance::Reported { quote }, Some(line)) => {
            format!(" (article line {line}: \"{quote}\")")
        }
        (Provenance::WhatIf, Some(line)) => format!(" (prompted by article line {line})"),
        (Provenance::Unstated, Some(line)) => match source
            .get(line as usize - 1)
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
        {
            Some(text) => format!(" (article line {line}: \"{}\")", shorten(text, 120)),
            None => format!(" (article line {line})"),
        },
        _ => String::new(),
    };
    format!("{}{cite}.", ev.label)
}

/// The parties an event of step `s` takes out of the talks.
fn left_by_event(sc: &Scenario, s: &Step) -> Vec<usize> {
    let mut out = Vec::new();
    for &e in &s.events {
        for fx in &sc.events[e].effects {
            if let (Target::Engaged(p), Op::Set(v)) = (fx.target, fx.op)
                && v < 0.5
                && !out.contains(&p)
            {
                out.push(p);
            }
        }
    }
    out
}

/// What stops when party `p` leaves, with the sign of each effect on the
/// world: a leaver that had withheld aid as leverage lets aid rise, which a
/// class would not expect unless told.
fn what_stops(sc: &Scenario, p: usize) -> String {
    let party = &sc.parties[p];
    let knob = |k: Knob| {
        if party.archetype.knobs().contains(&k) {
            party.knob(k)
        } else {
            0.0
        }
    };
    let lever_on = |l: Lever| {
        sc.parties
            .iter()
            .enumerate()
            .any(|(q, o)| q != p && o.archetype.lever() == l)
    };
    let (pressure, aid) = (sc.labels.pressure(), sc.labels.aid());
    let mut stops: Vec<String> = Vec::new();
    if knob(Knob::Leverage) > 0.0 && lever_on(Lever::Aid) {
        stops.push(format!(
            "the {aid} it withheld as leverage from a blocking party that relies on {aid} (so {aid} rises)",
        ));
    }
    if knob(Knob::Leverage) > 0.0 && lever_on(Lever::Pressure) {
        stops.push(format!(
            "the {pressure} it added as leverage on a blocking political victor (so {pressure} falls)",
        ));
    }
    if knob(Knob::PressurePerStep) > 0.0 {
        // "Sanctions" is the war's word; a labelled scenario says its own.
        let own = match &sc.labels.pressure {
            None => "its own sanctions".to_string(),
            Some(_) => format!("its own {pressure}"),
        };
        // Pressure aimed at a party falls on that party alone.
        stops.push(match party.pressure_on {
            None => format!("{own} (so {pressure} falls)"),
            Some(t) => {
                let on = &sc.parties[t].name;
                format!("{own} on {on} (so {} {pressure} falls)", possessive(on))
            }
        });
    }
    if knob(Knob::AidPerStep) > 0.0 {
        stops.push(match party.aid_to {
            None => format!("its own {aid} (so {aid} falls)"),
            Some(t) => {
                let to = &sc.parties[t].name;
                format!("its own {aid} to {to} (so {} {aid} falls)", possessive(to))
            }
        });
    }
    if sc.mediator == Some(p) {
        stops.push("its proposals: nobody mediates any more".into());
    }
    if stops.is_empty() {
        String::new()
    } else {
        format!(" What stops with it: {}.", stops.join("; "))
    }
}

/// How the gap, the bars and the limits on the front issue moved from
/// `prev` to `s`.
fn effect_sentence(sc: &Scenario, prev: &Step, s: &Step) -> String {
    let unit = &sc.step_unit;
    // A party that has walked away no longer negotiates: its numbers may
    // move, but it is not said to.
    let moved: Vec<String> = (0..sc.parties.len())
        .filter(|&p| s.engaged[p] && prev.engaged[p])
        .filter(|&p| (s.reservation[p] - prev.reservation[p]).abs() >= BAR_NOTICE)
        .map(|p| {
            format!(
                "{} bar {} → {}{}",
                possessive(&sc.parties[p].name),
                value(prev.reservation[p]),
                value(s.reservation[p]),
                step_bar_aside(sc, s, p)
            )
        })
        .collect();
    let lines_moved = limits_moved(sc, prev, s);
    let mut effect = format!(
        "From {unit} {} to {unit} {}, all causes together, the gap went {} → {}",
        prev.step,
        s.step,
        gap_text(prev.gap),
        gap_text(s.gap)
    );
    if !moved.is_empty() {
        effect.push_str(&format!("; {}", moved.join(", ")));
    }
    if !lines_moved.is_empty() {
        effect.push_str(&format!("; {}", lines_moved.join(", ")));
    }
    format!("{effect}.")
}

/// Each party's limit on the front issue that moved by at least 1% of its
/// range (and is a real limit, not the end of the axis).
fn limits_moved(sc: &Scenario, prev: &Step, s: &Step) -> Vec<String> {
    let issue = &sc.issues[sc.front_issue];
    let notice = issue.range() * 0.01;
    let mut out = Vec::new();
    for p in (0..sc.parties.len()).filter(|&p| s.engaged[p] && prev.engaged[p]) {
        let (Some(a), Some(b)) = (prev.ranges[p], s.ranges[p]) else {
            continue;
        };
        if (a.low - b.low).abs() >= notice && b.low > issue.min {
            out.push(format!(
                "{} now accepts no less than {:.2} (was {:.2})",
                sc.parties[p].name, b.low, a.low
            ));
        }
        if (a.high - b.high).abs() >= notice && b.high < issue.max {
            out.push(format!(
                "{} now accepts no more than {:.2} (was {:.2})",
                sc.parties[p].name, b.high, a.high
            ));
        }
    }
    out
}

/// Who blocked, and by how much; where the gap was largest and smallest.
fn blocking_paragraph(sc: &Scenario, facts: &Facts) -> String {
    let unit = &sc.step_unit;
    let n = facts.steps_run;
    if !facts.anyone_blocked() {
        return format!("Nobody blocked: the zone existed at every {unit} of the run.");
    }
    let blocked: Vec<String> = (0..sc.parties.len())
        .filter(|&p| facts.blocking[p].steps > 0)
        .map(|p| {
            let b = &facts.blocking[p];
            format!(
                "{} at {} of {n} {unit}s (average share {:.0}%)",
                sc.parties[p].name,
                b.steps,
                100.0 * b.average_share()
            )
        })
        .collect();
    format!(
        "Blocking: {}. The gap was largest at {unit} {} ({}) and smallest at {unit} {} ({}).",
        blocked.join("; "),
        facts.largest_gap.step,
        gap_text(facts.largest_gap.gap),
        facts.smallest_gap.step,
        gap_text(facts.smallest_gap.gap)
    )
}

fn outcome_sentence(sc: &Scenario, facts: &Facts) -> String {
    let unit = &sc.step_unit;
    match &facts.outcome {
        Outcome::Deal { step, settlement } => format!(
            "Outcome: a deal at {unit} {step}: {}.",
            settlement_text(sc, settlement)
        ),
        Outcome::Missed { first_zone } => format!(
            "Outcome: a zone appeared (first at {unit} {first_zone}) but no proposal was accepted before the horizon: the zone was missed."
        ),
        Outcome::NoZone => format!("Outcome: no zone appeared in {} {unit}s.", facts.steps_run),
    }
}

/// What the run asks of a class: who gave up the most, which event
/// mattered most (`mattered`, found by the analysis), what would have to
/// change, and why a zone was missed.
pub fn questions(
    sc: &Scenario,
    tl: &Timeline,
    facts: &Facts,
    mattered: Option<&EventEffect>,
    openings: Option<&Openings>,
) -> Vec<String> {
    let unit = &sc.step_unit;
    let mut out = Vec::new();
    if tl.steps.is_empty() {
        return out;
    }
    out.push(gave_up_most(sc, tl, facts));
    if let Some(m) = mattered {
        out.push(mattered_most(sc, facts, m));
    }
    // What would have to change.
    if let Some(o) = openings.filter(|o| !o.alone.is_empty()) {
        out.push(format!(
            "What would have to change? At {unit} {}, {}. Is that plausible, and what in the article speaks for or against it?",
            o.step,
            openings_sentence(sc, o)
        ));
    }
    if let Outcome::Missed { first_zone } = tl.outcome {
        out.push(format!(
            "A zone existed from {unit} {first_zone} but no deal was made. What did the mediator misjudge, and what would a better mediator do?"
        ));
    }
    out
}

/// Who gave up the most: the largest fall of a bar while the party was
/// still at the table, or else the largest rise.
fn gave_up_most(sc: &Scenario, tl: &Timeline, facts: &Facts) -> String {
    let unit = &sc.step_unit;
    // Each end of the change said in units, at the ideal of its own step.
    let ends = |c: &crate::facts::BarChange| {
        let at = |t: u32| {
            tl.steps
                .get(t as usize)
                .map(|s| step_bar_aside(sc, s, c.party))
        };
        let (from, to) = (
            at(0).unwrap_or_default(),
            at(c.last_step).unwrap_or_default(),
        );
        (
            format!("{}{from}", value(c.from)),
            format!("{}{to}", value(c.to)),
        )
    };
    if let Some(c) = facts.largest_bar_fall() {
        let (from, to) = ends(c);
        return format!(
            "Who gave up the most? {} bar fell from {from} to {to} between {unit} 0 and {unit} {}. What made it give ground: {}, time, or events?",
            possessive(&sc.parties[c.party].name),
            c.last_step,
            sc.labels.pressure()
        );
    }
    match facts.largest_bar_rise() {
        Some(c) => {
            let (from, to) = ends(c);
            format!(
                "Of those who blocked, nobody's bar fell noticeably; {} rose from {from} to {to}. Why would a party harden its position during talks?",
                possessive(&sc.parties[c.party].name),
            )
        }
        None if facts.anyone_blocked() => {
            let names: Vec<&str> = (0..sc.parties.len())
                .filter(|&p| facts.blocking[p].steps > 0)
                .map(|p| sc.parties[p].name.as_str())
                .collect();
            format!(
                "The bars of those who blocked ({}) hardly moved: what kept each where it stood, and what in the article could move it?",
                and_list(&names)
            )
        }
        None => {
            "Nobody blocked, yet did every party get what it wanted? Who gained most from the deal?"
                .into()
        }
    }
}

/// Which event mattered most: `best`, the one whose absence (same seed,
/// all else equal) changes the gap most on average over the rest of the
/// run.
fn mattered_most(sc: &Scenario, facts: &Facts, best: &EventEffect) -> String {
    let unit = &sc.step_unit;
    let ev = &sc.events[best.event];
    let d = best.mean_gap_change;
    // A repeating event is measured firing by firing: say which one.
    let which = if ev.repeat.is_some() {
        format!("its firing at {unit} {} alone, the others kept", best.step)
    } else {
        format!("{unit} {}", best.step)
    };
    // The change's worth to the party that blocked most, in its units.
    let worth = (facts.main_blockers.first())
        .map(|&p| crate::text::worth_text(sc, p, d.abs()))
        .filter(|w| !w.is_empty())
        .map_or(String::new(), |w| format!("{w}; "));
    let mut q = format!(
        "Which event mattered most? Without \"{}\" ({which}), the same run would have had the parties {} by {} on average from then on ({worth}the gap's mean change; same seed, all else equal), more than any other event.",
        ev.label,
        if d > 0.0 { "closer" } else { "further apart" },
        gap_text(d.abs()).trim_start_matches('+')
    );
    if !best.same_step.is_empty() {
        let others: Vec<String> = (best.same_step.iter())
            .map(|&o| format!("\"{}\"", sc.events[o].label))
            .collect();
        q.push_str(&format!(
            " ({} fired at the same {unit}; each is measured apart.)",
            others.join(", ")
        ));
    }
    q.push_str(" Why did it matter more than the others?");
    q
}
