//! How numbers, settlements and gaps are said: the one home of the phrases
//! that `why`, the summary, the report, `explain`, the charts and the page
//! share.
//!
//! It sits beside the facts, below every view, so a view and the facts it
//! reads can both use it without either importing the other. Its contract:
//! one value is written one way everywhere (a gap never as `-0.0000` in one
//! place and `+0.0000` in another), and it reads only the model.

use crate::model::{Issue, Scenario};

/// A gap (or a zone's depth, negative) in utility, signed, four decimals.
/// A gap that rounds to zero is `+0.0000` whatever its sign, so a run at
/// the edge of a zone never reads as a negative nothing.
pub fn gap_text(g: f64) -> String {
    let s = format!("{g:+.4}");
    if s == "-0.0000" { "+0.0000".into() } else { s }
}

/// "12.50 % of Ukraine", or "12.50" for an issue without a unit; on a
/// discrete issue the option's name ("yes") when the value is one, quoted
/// as a list of options quotes it ("“day only”", "“or”"), else the value
/// ("0.40", between two options).
pub fn amount(issue: &Issue, x: f64) -> String {
    if let Some(name) = issue.option_at(x).filter(|_| (x - x.round()).abs() < 1e-6) {
        return option_in_words(name);
    }
    if issue.unit.is_empty() || issue.is_discrete() {
        format!("{x:.2}")
    } else {
        format!("{x:.2} {}", issue.unit)
    }
}

/// A settlement as "territory 19.26 % of Ukraine, sanctions 0.00 %": each
/// issue by id, its value in its own units (no unit, no trailing space);
/// a discrete issue by its option, "remote: yes".
pub fn settlement_text(sc: &Scenario, values: &[f64]) -> String {
    sc.issues
        .iter()
        .zip(values)
        .map(|(i, v)| issue_value(i, *v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One issue's value in a settlement: "price 5.00 thousand EUR", or
/// "remote: yes" on a discrete issue.
pub fn issue_value(issue: &Issue, x: f64) -> String {
    if issue.is_discrete() {
        format!("{}: {}", issue.id, amount(issue, x))
    } else {
        format!("{} {}", issue.id, amount(issue, x))
    }
}

/// Where the zone lies on one issue: "0.00 to 8.75 thousand EUR" on a
/// continuous issue; on a discrete one the options in it, "no or yes", or
/// "only yes" (an option named "day only" reads "only “day only”").
pub fn extent_text(issue: &Issue, low: f64, high: f64, options: &[usize]) -> String {
    if issue.is_discrete() && !options.is_empty() {
        let names: Vec<String> = options
            .iter()
            .map(|&o| option_in_words(&issue.options[o]))
            .collect();
        return match names.as_slice() {
            [one] => format!("only {one}"),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
            [] => String::new(),
        };
    }
    format!("{} to {}", amount(issue, low), amount(issue, high))
}

/// An option's name as a sentence says it: as it is when it is one word,
/// in quotes when it is several ("day only") or one of the words the
/// sentences put around it ("only", "or"), which would otherwise run into
/// the sentence.
pub fn option_in_words(name: &str) -> String {
    let one_word = !name.contains(char::is_whitespace);
    if one_word && !matches!(name, "only" | "or") {
        name.to_string()
    } else {
        format!("“{name}”")
    }
}

/// A utility figure's worth to one party in an issue's own units: how far
/// that issue alone would have to move, the rest fixed, to change the
/// party's utility by the figure (`docs/model.md`, "A utility's worth in
/// units"). The issue is the front issue, or the party's most weighted
/// issue when it gives the front none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worth {
    pub issue: usize,
    /// In the issue's units; larger than the issue's range when the issue
    /// alone could not move the party that far.
    pub amount: f64,
}

/// The worth of utility `u` to party `party`; `None` only for a party that
/// weighs no continuous issue at all.
pub fn worth(sc: &Scenario, party: usize, u: f64) -> Option<Worth> {
    let issue = units_issue(sc, party)?;
    let w = sc.parties[party].weight[issue];
    Some(Worth {
        issue,
        amount: u.abs() * sc.issues[issue].range() / w,
    })
}

/// The issue whose units a utility about `party` is said in: the front
/// issue, or the party's most weighted issue when it gives the front none;
/// `None` for a party that weighs no issue.
pub fn units_issue(sc: &Scenario, party: usize) -> Option<usize> {
    let weight = &sc.parties.get(party)?.weight;
    let issue = if weight[sc.front_issue] > 0.0 {
        sc.front_issue
    } else {
        // A utility's worth is a stretch of an issue, which a discrete
        // issue does not have (the front issue is always continuous).
        (0..sc.issues.len())
            .filter(|&k| !sc.issues[k].is_discrete())
            .max_by(|&a, &b| weight[a].total_cmp(&weight[b]))?
    };
    (weight[issue] > 0.0).then_some(issue)
}

/// "worth 1.05 % of Ukraine of territory to Russia", or "" when the party
/// weighs no issue; a worth beyond the issue's range says so.
pub fn worth_text(sc: &Scenario, party: usize, u: f64) -> String {
    let Some(w) = worth(sc, party, u) else {
        return String::new();
    };
    let issue = &sc.issues[w.issue];
    let name = &sc.parties[party].name;
    if w.amount > issue.range() {
        format!("more than all of {} could give {name}", issue.id)
    } else {
        format!(
            "worth {} of {} to {name}",
            amount(issue, w.amount),
            issue.id
        )
    }
}

/// A zone's depth said in the front issue's units: "worth at least 2.10 %
/// of Ukraine of territory to every party". Every party clears its bar by
/// the depth, so each could give up at least that much of the front issue
/// (the depth's worth to the party weighing the front most). "" when no
/// party weighs the front issue, or when even that worth exceeds its range.
pub fn depth_worth_text(sc: &Scenario, depth: f64) -> String {
    let front = sc.front_issue;
    let least = (0..sc.parties.len())
        .filter_map(|p| worth(sc, p, depth))
        .filter(|w| w.issue == front)
        .map(|w| w.amount)
        .min_by(f64::total_cmp);
    let issue = &sc.issues[front];
    match least {
        Some(a) if a <= issue.range() => format!(
            "worth at least {} of {} to every party",
            amount(issue, a),
            issue.id
        ),
        _ => String::new(),
    }
}

/// A bar said as a settlement: the values of one issue (the front issue,
/// or the party's most weighted issue when it gives the front none) whose
/// utility to the party, every other issue at its ideal, meets the bar.
/// The inverse of a reservation written as a settlement
/// (`reservation = { territory = 12 }`, `docs/model.md`, "A bar in
/// units"): with the others at the ideal `a`, `U = 1 - w |y - a|`, so the
/// bar `r` is met for `|y - a| <= (1 - r) / w`, cut to the issue's range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarSettlement {
    pub issue: usize,
    pub meets: BarMet,
}

/// Which values of the issue meet a bar, in the issue's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BarMet {
    /// Every value of the issue: the bar asks nothing of it.
    Any,
    /// From the issue's lower end up to this value.
    AtMost(f64),
    /// From this value up to the issue's upper end.
    AtLeast(f64),
    /// Between two values inside the range.
    Between(f64, f64),
    /// The ideal alone (a bar of 1).
    Only(f64),
    /// No value: the bar lies above what even the ideal is worth.
    None,
}

/// Which settlements of one issue meet party `party`'s bar `bar`, its
/// other issues at `ideal` (the party's ideal at that step, in issue
/// units); `None` only for a party that weighs no issue.
pub fn bar_settlement(
    sc: &Scenario,
    party: usize,
    bar: f64,
    ideal: &[f64],
) -> Option<BarSettlement> {
    let issue = units_issue(sc, party)?;
    let w = sc.parties[party].weight[issue];
    let i = &sc.issues[issue];
    let a = i.normalise(ideal[issue]).clamp(0.0, 1.0);
    let reach = (1.0 - bar) / w;
    // Bars are clamped to [0, 1]; the tolerance keeps a bar of exactly 1
    // (rounded) on its ideal.
    const EDGE: f64 = 1e-12;
    let (lo, hi) = (a - reach, a + reach);
    let meets = if reach < -EDGE {
        BarMet::None
    } else if reach <= EDGE {
        BarMet::Only(i.denormalise(a))
    } else if lo <= EDGE && hi >= 1.0 - EDGE {
        BarMet::Any
    } else if lo <= EDGE {
        BarMet::AtMost(i.denormalise(hi))
    } else if hi >= 1.0 - EDGE {
        BarMet::AtLeast(i.denormalise(lo))
    } else {
        BarMet::Between(i.denormalise(lo), i.denormalise(hi))
    };
    Some(BarSettlement { issue, meets })
}

/// " (met by territory of at least 12.00 % of Ukraine, other issues at
/// its ideal)" after a bar of party `party`, or "" when it weighs no
/// issue. `ideal` is its ideal at that step, in issue units.
pub fn bar_aside(sc: &Scenario, party: usize, bar: f64, ideal: &[f64]) -> String {
    bar_met(sc, party, bar, ideal).map_or_else(String::new, |met| format!(" ({met})"))
}

/// "met by territory of at least 12.00 % of Ukraine, other issues at its
/// ideal": the settlements that meet a bar of party `party` (see
/// [`bar_settlement`]), in words every view of a bar shares; `None` when
/// it weighs no issue. `ideal` is its ideal at that step, in issue units.
pub fn bar_met(sc: &Scenario, party: usize, bar: f64, ideal: &[f64]) -> Option<String> {
    let b = bar_settlement(sc, party, bar, ideal)?;
    let i = &sc.issues[b.issue];
    let id = &i.id;
    let met = match b.meets {
        BarMet::Any => format!("met by any {id}"),
        BarMet::AtMost(x) => format!("met by {id} of at most {}", amount(i, x)),
        BarMet::AtLeast(x) => format!("met by {id} of at least {}", amount(i, x)),
        BarMet::Between(x, y) => {
            format!("met by {id} between {} and {}", amount(i, x), amount(i, y))
        }
        BarMet::Only(x) => format!("met only by {id} at {}", amount(i, x)),
        BarMet::None => return Some("met by no settlement".into()),
    };
    Some(if sc.issues.len() > 1 {
        format!("{met}, other issues at its ideal")
    } else {
        met
    })
}

/// A settlement on the normalised axes (as a step's terms hold an ideal)
/// in the issues' own units.
pub fn in_units(sc: &Scenario, y: &[f64]) -> Vec<f64> {
    sc.issues
        .iter()
        .zip(y)
        .map(|(i, v)| i.denormalise(*v))
        .collect()
}

/// " (worth 1.05 % of Ukraine of territory to Russia)" after a utility
/// figure about one party, or "" when it has no worth to say.
pub fn worth_aside(sc: &Scenario, party: usize, u: f64) -> String {
    let w = worth_text(sc, party, u);
    if w.is_empty() { w } else { format!(" ({w})") }
}

/// When the first zone appeared: "week 16", or "never".
pub fn first_zone_text(first_zone: Option<u32>, unit: &str) -> String {
    first_zone.map_or("never".into(), |t| format!("{unit} {t}"))
}

/// Knob and bar values with enough digits to tell small moves apart.
pub fn value(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// "a", "a and b", "a, b and c".
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => format!(
            "{} and {}",
            rest.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// The sentence with its first letter in capitals.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Shortens a label to `max` characters with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Wraps `text` at `width` columns, the first line led by `first`, every
/// other line indented by `hang`.
pub fn wrap(text: &str, first: &str, hang: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut line_len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if !empty && line_len + 1 + w > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(hang);
            line_len = hang;
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += w;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// "Russia's", "United States'".
pub fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// "Hungary's yes completes its qualified majority": whose yes decides a
/// bloc party's, when its bars keep it out (its pivotal member's, the one
/// member whose bar is the bloc's); `None` for a party that is no bloc.
pub fn bloc_pivot_aside(sc: &Scenario, party: usize) -> Option<String> {
    let bloc = sc.parties[party].bloc.as_ref()?;
    let pivot = &bloc.members[bloc.pivot_at_start()].name;
    Some(match bloc.rule {
        crate::model::Rule::Unanimity => {
            format!("{} yes is the last its unanimity needs", possessive(pivot))
        }
        crate::model::Rule::QualifiedMajority { .. } => {
            format!("{} yes completes its qualified majority", possessive(pivot))
        }
    })
}

/// Each bloc in words (see [`bloc_line`]), in party order.
pub fn bloc_lines(sc: &Scenario) -> Vec<String> {
    (0..sc.parties.len())
        .filter_map(|p| bloc_line(sc, p))
        .collect()
}

/// The step of bar whose worth a bloc's line states.
const BAR_STEP: f64 = 0.01;

/// A bloc in words: its rule, its pivotal member and every member's bar
/// (and votes, when they differ), lowest bar first, so a reader sees who
/// the bloc waits for; `None` for a party that is no bloc.
pub fn bloc_line(sc: &Scenario, party: usize) -> Option<String> {
    let p = &sc.parties[party];
    let bloc = p.bloc.as_ref()?;
    let pivot = &bloc.members[bloc.pivot_at_start()];
    let mut order: Vec<&crate::model::Member> = bloc.members.iter().collect();
    order.sort_by(|a, b| a.reservation.total_cmp(&b.reservation));
    let equal_votes = bloc
        .members
        .iter()
        .all(|m| m.votes == bloc.members[0].votes);
    let members: Vec<String> = (order.iter())
        .map(|m| match equal_votes {
            true => format!("{} {}", m.name, value(m.reservation)),
            false => format!("{} {} ({} votes)", m.name, value(m.reservation), m.votes),
        })
        .collect();
    // The bars are utilities: the pivot's is said in the issue it is met
    // on, and a step of them in that issue's units, so the list reads too.
    let step = worth_text(sc, party, BAR_STEP);
    let step = if step.is_empty() {
        step
    } else {
        format!(" Each {} of bar is {step}.", value(BAR_STEP))
    };
    Some(format!(
        "{} is a bloc of {} members deciding by {}; its bar is that of {}, {}{}. \
         Members by bar (lowest first): {}.{step}",
        p.name,
        bloc.members.len(),
        bloc.rule.words(),
        pivot.name,
        value(pivot.reservation),
        bar_aside(sc, party, pivot.reservation, &p.ideal),
        members.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_that_rounds_to_zero_is_positive_whatever_its_sign() {
        assert_eq!(gap_text(-0.00001), "+0.0000");
        assert_eq!(gap_text(0.00001), "+0.0000");
        assert_eq!(gap_text(-0.25), "-0.2500");
        assert_eq!(gap_text(0.125), "+0.1250");
    }

    #[test]
    fn a_list_reads_as_a_sentence() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn an_option_that_would_run_into_the_list_is_quoted() {
        assert_eq!(option_in_words("yes"), "yes");
        assert_eq!(option_in_words("6-months"), "6-months");
        assert_eq!(option_in_words("day only"), "“day only”");
        assert_eq!(option_in_words("only"), "“only”");
        assert_eq!(option_in_words("or"), "“or”");
    }

    #[test]
    fn a_long_label_is_cut_to_its_width_with_an_ellipsis() {
        assert_eq!(shorten("Ukraine", 7), "Ukraine");
        assert_eq!(shorten("Ukraine", 4), "Ukr…");
        assert_eq!(shorten("Ukraine", 4).chars().count(), 4);
    }

    #[test]
    fn wrapped_lines_fit_and_hang() {
        let w = wrap("one two three four", "> ", 2, 9);
        assert_eq!(w, "> one two\n  three\n  four\n");
    }
}
