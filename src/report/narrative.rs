//! The story of a run, told from the timeline alone, and the questions it
//! raises. Every number in these sentences is read from the run.

use super::{gap_text, move_text, settlement_text, value};
use crate::explain::Openings;
use crate::model::Scenario;
use crate::output::shorten;
use crate::sim::{Outcome, Step, Timeline};

/// A bar change smaller than this is not worth a sentence.
const BAR_NOTICE: f64 = 0.005;

fn blockers_text(sc: &Scenario, s: &Step) -> String {
    let parts: Vec<String> = s
        .blockers
        .iter()
        .map(|&(p, w)| format!("{} ({:.0}%)", sc.parties[p].name, 100.0 * w))
        .collect();
    parts.join(", ")
}

fn zone_text(sc: &Scenario, s: &Step) -> String {
    let issue = &sc.issues[sc.front_issue];
    match s.extent {
        Some((lo, hi)) => format!(
            "the zone exists ({}); on {} it spans {:.2} to {:.2}{}",
            if -s.gap < 5e-5 {
                "only just: depth under 0.0001".to_string()
            } else {
                format!("depth {}", gap_text(-s.gap))
            },
            issue.label,
            lo,
            hi,
            if issue.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", issue.unit)
            }
        ),
        None => format!(
            "there is no zone: the parties are {} apart, blocked by {}",
            gap_text(s.gap),
            blockers_text(sc, s)
        ),
    }
}

pub fn story(sc: &Scenario, tl: &Timeline, source: &[&str]) -> Vec<String> {
    let unit = &sc.step_unit;
    let mut out = Vec::new();
    let Some(first) = tl.steps.first() else {
        return out;
    };
    let bars: Vec<String> = sc
        .parties
        .iter()
        .zip(&first.reservation)
        .map(|(p, r)| format!("{} {}", p.name, value(*r)))
        .collect();
    out.push(format!(
        "At {unit} 0 {}. The parties' bars (the utility each needs from a deal) are: {}.",
        zone_text(sc, first),
        bars.join(", ")
    ));

    let mut prev: &Step = first;
    for s in &tl.steps {
        let mut sentences = Vec::new();
        for &e in &s.events {
            let ev = &sc.events[e];
            let cite = match ev.source_line {
                Some(line) => match source
                    .get(line as usize - 1)
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty())
                {
                    Some(text) => format!(" (article line {line}: \"{}\")", shorten(text, 120)),
                    None => format!(" (article line {line})"),
                },
                None => String::new(),
            };
            sentences.push(format!("{}{cite}.", ev.label));
        }
        if s.step > 0 && !s.events.is_empty() {
            let moved: Vec<String> = (0..sc.parties.len())
                .filter(|&p| (s.reservation[p] - prev.reservation[p]).abs() >= BAR_NOTICE)
                .map(|p| {
                    format!(
                        "{} bar {} → {}",
                        possessive(&sc.parties[p].name),
                        value(prev.reservation[p]),
                        value(s.reservation[p])
                    )
                })
                .collect();
            let issue = &sc.issues[sc.front_issue];
            let notice = issue.range() * 0.01;
            let mut lines_moved = Vec::new();
            for p in 0..sc.parties.len() {
                if let (Some(a), Some(b)) = (prev.ranges[p], s.ranges[p]) {
                    if (a.0 - b.0).abs() >= notice && b.0 > issue.min {
                        lines_moved.push(format!(
                            "{} now accepts no less than {:.2} (was {:.2})",
                            sc.parties[p].name, b.0, a.0
                        ));
                    }
                    if (a.1 - b.1).abs() >= notice && b.1 < issue.max {
                        lines_moved.push(format!(
                            "{} now accepts no more than {:.2} (was {:.2})",
                            sc.parties[p].name, b.1, a.1
                        ));
                    }
                }
            }
            let mut effect = format!(
                "From {unit} {} to {unit} {} the gap went {} → {}",
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
            sentences.push(format!("{effect}."));
        }
        if s.step > 0 && s.zone_exists() != prev.zone_exists() {
            if s.zone_exists() {
                sentences.push(format!("The zone opens: {}.", zone_text(sc, s)));
            } else {
                sentences.push(format!("The zone closes: {}.", zone_text(sc, s)));
            }
        }
        for &p in &s.walked_away {
            sentences.push(format!(
                "{} walks away after too long without a zone; its consent is no longer needed.",
                sc.parties[p].name
            ));
        }
        if let Some(prop) = s.proposal.as_ref().filter(|p| p.deal) {
            sentences.push(format!(
                "The mediator proposes {} and every party accepts.",
                settlement_text(sc, &prop.point)
            ));
        }
        if !sentences.is_empty() {
            out.push(format!(
                "{} {}: {}",
                capitalise(unit),
                s.step,
                sentences.join(" ")
            ));
        }
        prev = s;
    }

    // Who blocked, and by how much.
    let counts = tl.blocking_steps(sc.parties.len());
    let n = tl.steps.len();
    let blocked: Vec<String> = (0..sc.parties.len())
        .filter(|&p| counts[p] > 0)
        .map(|p| {
            let share: f64 = tl
                .steps
                .iter()
                .flat_map(|s| s.blockers.iter())
                .filter(|b| b.0 == p)
                .map(|b| b.1)
                .sum();
            format!(
                "{} at {} of {n} {unit}s (average share {:.0}%)",
                sc.parties[p].name,
                counts[p],
                100.0 * share / f64::from(counts[p])
            )
        })
        .collect();
    let (gmax, tmax) = tl.steps.iter().fold((f64::NEG_INFINITY, 0), |(g, t), s| {
        if s.gap > g { (s.gap, s.step) } else { (g, t) }
    });
    let (gmin, tmin) = tl.smallest_gap();
    if blocked.is_empty() {
        out.push(format!(
            "Nobody blocked: the zone existed at every {unit} of the run."
        ));
    } else {
        out.push(format!(
            "Blocking: {}. The gap was largest at {unit} {tmax} ({}) and smallest at {unit} {tmin} ({}).",
            blocked.join("; "),
            gap_text(gmax),
            gap_text(gmin)
        ));
    }
    out.push(match &tl.outcome {
        Outcome::Deal { step, settlement } => format!("Outcome: a deal at {unit} {step}: {}.", settlement_text(sc, settlement)),
        Outcome::Missed { first_zone } => format!(
            "Outcome: a zone appeared (first at {unit} {first_zone}) but no proposal was accepted before the horizon: the zone was missed."
        ),
        Outcome::NoZone => format!("Outcome: no zone appeared in {n} {unit}s."),
    });
    out
}

pub fn questions(sc: &Scenario, tl: &Timeline, openings: Option<&Openings>) -> Vec<String> {
    let unit = &sc.step_unit;
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (tl.steps.first(), tl.steps.last()) else {
        return out;
    };
    // Who gave up the most: the largest fall of a bar over the run.
    let change: Vec<f64> = (0..sc.parties.len())
        .map(|p| last.reservation[p] - first.reservation[p])
        .collect();
    let (fell, drop) = change
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(p, d)| (p, *d))
        .unwrap_or((0, 0.0));
    if drop < -BAR_NOTICE {
        out.push(format!(
            "Who gave up the most? {} bar fell from {} to {} between {unit} 0 and {unit} {}. What made it give ground: pressure, time, or events?",
            possessive(&sc.parties[fell].name),
            value(first.reservation[fell]),
            value(last.reservation[fell]),
            last.step
        ));
    } else {
        let (rose, _) = change
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap_or((0, &0.0));
        out.push(format!(
            "Nobody's bar fell noticeably; {} rose from {} to {}. Why would a party harden its position during talks?",
            possessive(&sc.parties[rose].name),
            value(first.reservation[rose]),
            value(last.reservation[rose])
        ));
    }
    // Which event mattered most: the largest jump of the gap at an event step.
    let mut best: Option<(f64, &Step, usize)> = None;
    for w in tl.steps.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if let Some(&e) = b.events.first() {
            let d = b.gap - a.gap;
            if best.is_none_or(|(bd, _, _)| d.abs() > bd.abs()) {
                best = Some((d, b, e));
            }
        }
    }
    if let Some((d, s, e)) = best {
        out.push(format!(
            "Which event mattered most? The gap moved most at an event at {unit} {} (\"{}\"): the parties moved {} (gap {}). Why did it matter more than the others?",
            s.step,
            sc.events[e].label,
            if d > 0.0 { "apart" } else { "closer" },
            gap_text(d)
        ));
    }
    // What would have to change.
    if let Some(o) = openings {
        match o.cheapest.map(|i| &o.moves[i]) {
            Some(m) => out.push(format!(
                "What would have to change? The cheapest single move that opens a zone at {unit} {} is {}. Is that plausible, and what in the article speaks for or against it?",
                o.step,
                move_text(sc, m)
            )),
            None => out.push(format!(
                "What would have to change? No single change of one party's bar or knob opens a zone at {unit} {}. Which two parties would both have to move, and how?",
                o.step
            )),
        }
    }
    if let Outcome::Missed { first_zone } = tl.outcome {
        out.push(format!(
            "A zone existed from {unit} {first_zone} but no deal was made. What did the mediator misjudge, and what would a better mediator do?"
        ));
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// "Russia's", "United States'".
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}
