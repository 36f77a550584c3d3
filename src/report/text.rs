//! The same facts as the HTML report, laid out for an 80-column terminal.

use std::fmt::Write as _;

use super::Analysis;
use crate::text::{capitalise, first_zone_text, gap_text, shorten, value};

const WIDTH: usize = 78;

/// Wraps `text` at the terminal's width, indenting every line after the
/// first by `hang`.
fn wrap(text: &str, first: &str, hang: usize) -> String {
    crate::text::wrap(text, first, hang, WIDTH)
}

pub fn render(a: &Analysis<'_>) -> String {
    let sc = a.scenario;
    let unit = &sc.step_unit;
    let f = &a.facts;
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", sc.title, sc.name);
    let _ = writeln!(
        o,
        "{}",
        "=".repeat(sc.title.chars().count() + sc.name.len() + 3)
            .chars()
            .take(WIDTH)
            .collect::<String>()
    );
    if !sc.description.is_empty() {
        o.push_str(&wrap(&sc.description, "", 0));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "outcome:       {}", f.outcome.label());
    let _ = writeln!(o, "first zone:    {}", first_zone_text(f.first_zone, unit));
    let _ = writeln!(
        o,
        "smallest gap:  {} at {unit} {}",
        gap_text(f.smallest_gap.gap),
        f.smallest_gap.step
    );
    let _ = writeln!(o, "main blocker:  {}", f.main_blocker_name(sc));
    let s = &a.timeline.steps[f.telling_step() as usize];
    let why = format!("{} {}: {}", unit, s.step, crate::why::zone_text(sc, s));
    o.push_str(&wrap(&why, "why:           ", 15));
    let assumed = super::assumptions(sc);
    let cited = super::cited(sc);
    if !assumed.is_empty() || !cited.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Assumptions");
        let _ = writeln!(o, "-----------");
    }
    if !assumed.is_empty() {
        let _ = writeln!(o, "Not in the article: chosen for this scenario.");
        for a in &assumed {
            o.push_str(&wrap(a, " - ", 3));
        }
    }
    if !cited.is_empty() {
        let _ = writeln!(o, "Read from the article:");
        for c in &cited {
            o.push_str(&wrap(c, " - ", 3));
        }
    }
    let blocs = crate::text::bloc_lines(sc);
    if !blocs.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Blocs");
        let _ = writeln!(o, "-----");
        for b in &blocs {
            o.push_str(&wrap(b, " - ", 3));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "What happened");
    let _ = writeln!(o, "-------------");
    for (i, p) in a.narrative.iter().enumerate() {
        let lead = format!("{:>2}. ", i + 1);
        o.push_str(&wrap(p, &lead, lead.len()));
    }
    if let Some(op) = &a.openings {
        o.push_str(&openings(sc, &a.timeline, op));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "Questions for discussion");
    let _ = writeln!(o, "------------------------");
    for (i, q) in a.questions.iter().enumerate() {
        let lead = format!("{:>2}. ", i + 1);
        o.push_str(&wrap(q, &lead, lead.len()));
    }
    o
}

/// The "what would open the zone" table: each party's levers alone, each
/// in its own currency, then what two parties could do together.
fn openings(
    sc: &crate::model::Scenario,
    tl: &crate::sim::Timeline,
    op: &crate::explain::Openings,
) -> String {
    let unit = &sc.step_unit;
    let step = tl.steps.get(op.step as usize);
    let mut o = String::new();
    let _ = writeln!(o);
    let title = format!("What would open the zone at {unit} {}", op.step);
    let _ = writeln!(o, "{title}\n{}", "-".repeat(title.chars().count()));
    if let Some(why) = super::reason_text(sc, op) {
        o.push_str(&wrap(&format!("Why {unit} {}: {why}.", op.step), "", 0));
    }
    o.push_str(&wrap(
        &format!("Each party alone, everything else as it is at {unit} {}: a bar in utility, a red line or an ideal in its issue's units.", op.step),
        "",
        0,
    ));
    let _ = writeln!(
        o,
        "{:<14} {:<38} {:>11} {:>11}",
        "party", "what changes (in what unit)", "now", "opens at"
    );
    for a in &op.alone {
        for m in &a.moves {
            let currency = m
                .lever
                .issue()
                .map_or("utility", |k| sc.issues[k].unit.as_str());
            let what = if currency.is_empty() {
                m.lever.name(sc)
            } else {
                format!("{} ({currency})", m.lever.name(sc))
            };
            // An ideal on a discrete issue is an option: said by its name.
            let show = |x: f64| match m.lever.issue().map(|k| &sc.issues[k]) {
                Some(i) if i.is_discrete() => shorten(&crate::text::amount(i, x), 11),
                _ => value(x),
            };
            let _ = writeln!(
                o,
                "{:<14} {:<38} {:>11} {:>11}",
                shorten(&sc.parties[m.party].name, 14),
                shorten(&what, 38),
                show(m.from),
                m.to.map_or("none alone".into(), show),
            );
            if let Some(note) = step.and_then(|s| super::bar_row_note(sc, s, m)) {
                o.push_str(&wrap(&note, &" ".repeat(15), 15));
            }
        }
        let all = match a.concession {
            Some(d) => format!(
                "all at once: concede {}",
                super::party_concession_text(sc, a.party, d)
            ),
            None => "impossible alone: the others have no zone without it".into(),
        };
        o.push_str(&wrap(&all, &" ".repeat(15), 15));
    }
    if !op.joint.is_empty() {
        let _ = writeln!(o, "Two parties together, each conceding alike:");
        for j in &op.joint {
            let pair = format!(
                "{} + {}",
                sc.parties[j.parties[0]].name, sc.parties[j.parties[1]].name
            );
            let d = super::joint_concession_text(sc, j);
            let note = op.suffices_alone(j).map_or(String::new(), |p| {
                format!(" ({} alone suffices)", sc.parties[p].name)
            });
            let lead = format!("  {:<34} ", shorten(&pair, 34));
            o.push_str(&wrap(&format!("{d}{note}"), &lead, 37));
        }
    }
    let sentence = capitalise(&super::openings_sentence(sc, op));
    o.push_str(&wrap(&format!("{sentence}."), "", 0));
    o.push_str(&wrap("(A concession d lowers a bar by d and moves every red line out by d of its issue's range. Which assumptions carry the result is a separate question: `zopa sensitivity`.)", "", 0));
    o
}
