//! The same facts as the HTML report, laid out for an 80-column terminal.

use std::fmt::Write as _;

use super::{Analysis, gap_text, move_text, value};
use crate::output::shorten;

const WIDTH: usize = 78;

/// Wraps `text` at the terminal's width, indenting every line after the
/// first by `hang`.
fn wrap(text: &str, first: &str, hang: usize) -> String {
    crate::output::wrap(text, first, hang, WIDTH)
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
    let _ = writeln!(o, "first zone:    {}", f.first_zone_text(unit));
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
    let _ = writeln!(o);
    let _ = writeln!(o, "What happened");
    let _ = writeln!(o, "-------------");
    for (i, p) in a.narrative.iter().enumerate() {
        let lead = format!("{:>2}. ", i + 1);
        o.push_str(&wrap(p, &lead, lead.len()));
    }
    if let Some(op) = &a.openings {
        o.push_str(&openings(sc, op));
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

/// The "what would open the zone" table, and its cheapest move.
fn openings(sc: &crate::model::Scenario, op: &crate::explain::Openings) -> String {
    let unit = &sc.step_unit;
    let mut o = String::new();
    let _ = writeln!(o);
    let title = format!("What would open the zone at {unit} {}", op.step);
    let _ = writeln!(o, "{title}\n{}", "-".repeat(title.chars().count()));
    let _ = writeln!(
        o,
        "{:<14} {:<26} {:>9} {:>10} {:>8}",
        "party", "what changes", "now", "opens at", "change"
    );
    for (i, m) in op.moves.iter().enumerate() {
        let mark = if op.cheapest == Some(i) { " <" } else { "" };
        let _ = writeln!(
            o,
            "{:<14} {:<26} {:>9} {:>10} {:>8}{mark}",
            shorten(&sc.parties[m.party].name, 14),
            shorten(&m.lever.name(sc), 26),
            value(m.from),
            m.to.map_or("none".into(), value),
            m.cost.map_or("-".into(), |c| format!("{:.1}%", 100.0 * c)),
        );
    }
    match op.cheapest.map(|i| &op.moves[i]) {
        Some(m) => o.push_str(&wrap(
            &format!("Cheapest single move (<): {}.", move_text(sc, m)),
            "",
            0,
        )),
        None => {
            let _ = writeln!(o, "No single move opens the zone at {unit} {}.", op.step);
        }
    }
    o.push_str(&wrap("(\"change\" is the move of a bar or knob as a share of its span; knobs are changed from the start of the run, with the same seed; red lines move at this step, in the issue's units, and are not ranked against the others.)", "", 0));
    o
}
