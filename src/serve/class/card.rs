//! What a student holds in their hand: the fields their party sets, each in
//! the issue's own units with one plain sentence, and the party's role card
//! (its goal in words, its red lines and ideal, the article's lines behind
//! them). Numbers here are the scenario's or the student's own, never a
//! classmate's.
//!
//! A bar is a utility in the model; a phone shows it through a settlement:
//! the value on the front issue at which the party's utility equals its bar
//! with every other issue at its ideal. The utility is `1 - sum_k w_k |y_k -
//! ideal_k|` on normalised issues, so with the others at their ideals the
//! bar `r` is met at `|y - ideal| = (1 - r) / w` on the front issue, towards
//! the far side of the range. Its sentence is the library's
//! (`text::bar_met`), so the phone says a bar as the story does.

use serde::Serialize;
use zopa::model::{Issue, Scenario, Target};
use zopa::scenario::edit::{Control, Kind, Value};
use zopa::text;

use super::Seat;

/// The suffix of the path a phone uses for the bar in units.
pub const SETTLEMENT: &str = "settlement";

/// How a party's bar reads as a settlement on the front issue.
#[derive(Debug, Clone, Copy)]
pub struct Settlement {
    pub issue: usize,
    /// The party's ideal on the issue, normalised (may lie beyond 0..1).
    ideal: f64,
    weight: f64,
    /// +1 when conceding means a larger value, -1 a smaller one.
    toward: f64,
}

impl Settlement {
    /// The front issue's settlement view of party `p`'s bar, if the issue
    /// matters to it at all.
    pub fn of(sc: &Scenario, p: usize) -> Option<Settlement> {
        let party = &sc.parties[p];
        let issue = sc.front_issue;
        let weight = party.weight[issue];
        if weight <= 1e-9 {
            return None;
        }
        let ideal = sc.issues[issue].normalise(party.ideal[issue]);
        let toward = if ideal >= 0.5 { -1.0 } else { 1.0 };
        Some(Settlement {
            issue,
            ideal,
            weight,
            toward,
        })
    }

    /// The settlement, in the issue's units, worth exactly `bar`, clamped
    /// to the issue's range.
    pub fn units(&self, sc: &Scenario, bar: f64) -> f64 {
        let y = self.ideal + self.toward * (1.0 - bar) / self.weight;
        sc.issues[self.issue].denormalise(y.clamp(0.0, 1.0))
    }

    /// Whether a settlement on the issue is worth exactly `bar` (else even
    /// the far end of the range is worth more).
    pub fn reaches(&self, sc: &Scenario, bar: f64) -> bool {
        let far = self.units(sc, bar);
        self.bar(sc, far) <= bar + 1e-9
    }

    /// The bar a settlement of `x` units stands for.
    pub fn bar(&self, sc: &Scenario, x: f64) -> f64 {
        let y = sc.issues[self.issue].normalise(x);
        1.0 - self.weight * (y - self.ideal).abs()
    }

    /// The settlement's range in units: from the far end (the lowest bar
    /// the control can express) to the ideal (a bar of 1).
    fn range(&self, sc: &Scenario) -> (f64, f64) {
        let issue = &sc.issues[self.issue];
        let ideal = issue.denormalise(self.ideal.clamp(0.0, 1.0));
        let (a, b) = if self.toward > 0.0 {
            (ideal, issue.max)
        } else {
            (issue.min, ideal)
        };
        (a.min(b), a.max(b))
    }
}

/// A label inside a sentence: its first letter in lower case, the rest as
/// written ("territory under Russian control").
pub fn lower_first(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A number in an issue's units, with as many decimals as its span needs.
pub fn amount(x: f64, span: f64) -> String {
    if span >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// A value on an issue as a phone says it: on a discrete issue the
/// option's name ("night"), elsewhere the number with the issue's unit, and
/// no unit (nor a space for one) where the issue has none.
pub fn issue_amount(issue: &Issue, x: f64) -> String {
    if issue.is_discrete() {
        return text::amount(issue, x);
    }
    format!("{}{}", amount(x, issue.range()), unit_suffix(&issue.unit))
}

/// One field of a student's phone: the control and its plain sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    #[serde(flatten)]
    pub control: Control,
    /// The sentence for the value shown: "the least share of ... Russia
    /// would settle for: 20.0 % of Ukraine".
    pub line: String,
    /// The model's reading in small print (the bar's utility).
    pub small: String,
    /// Whether the value is one the student submitted (a page sends back
    /// only these and the ones the student moves).
    pub mine: bool,
}

/// The issue an ideal or a red line is on.
pub fn issue_of(sc: &Scenario, seat: Seat) -> Option<&Issue> {
    match seat {
        Seat::Model(Target::Ideal { issue, .. }) => sc.issues.get(issue),
        Seat::Model(Target::RedLine { party, line, .. }) => {
            let rl = sc.parties.get(party)?.red_lines.get(line)?;
            sc.issues.get(rl.issue)
        }
        _ => None,
    }
}

/// The value a control holds as a number.
pub fn number(c: &Control) -> f64 {
    match c.value {
        Value::Number(v) => v,
        _ => f64::NAN,
    }
}

/// The value a field's control holds, in the model's units: an option's
/// name on a discrete issue's ideal as the option's value.
pub fn model_value(sc: &Scenario, seat: Seat, c: &Control) -> Option<f64> {
    match (&c.value, seat) {
        (Value::Number(v), _) => Some(*v),
        (Value::Name(name), Seat::Model(Target::Ideal { issue, .. })) => {
            sc.issues[issue].option_value(name)
        }
        _ => None,
    }
}

/// The control of a discrete issue's ideal holding `v` (an option's value)
/// as the option's name, as the page shows and sends it.
pub fn shown_value(sc: &Scenario, seat: Seat, v: f64) -> Value {
    if let Seat::Model(Target::Ideal { issue, .. }) = seat
        && let Some(name) = sc.issues[issue].option_exactly_at(v)
    {
        return Value::Name(name.to_string());
    }
    Value::Number(v)
}

/// A field's value in words: the line a phone shows, and the model's
/// reading in small print.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub line: String,
    pub small: String,
}

/// The bar in a sentence: the settlements that meet it, in the library's
/// words (`text::bar_met`, as the story and the explore page say it), the
/// party's other issues at its ideal as written; the utility in small
/// print.
pub fn bar_sentence(sc: &Scenario, p: usize, bar: f64) -> Sentence {
    let party = &sc.parties[p];
    let ideal = &party.ideal[..sc.issues.len()];
    let small = format!("its bar: {bar:.3} utility, from 0 (anything) to 1 (only its ideal)");
    match text::bar_met(sc, p, bar, ideal) {
        Some(met) => Sentence {
            line: format!("{} bar is {met}", text::possessive(&party.name)),
            small,
        },
        // A party that weighs no issue with units has no settlement to
        // name; its bar is all there is to say.
        None => Sentence {
            line: format!("the least a deal must be worth to {}: {bar:.3}", party.name),
            small,
        },
    }
}

/// The bar's sentence on a phone whose slider holds it as a settlement:
/// where no settlement on the issue is worth as little as the bar, the
/// small print says where the slider stops, what that end is worth, and
/// that left there the bar stays as it is.
pub fn settlement_sentence(sc: &Scenario, p: usize, bar: f64) -> Sentence {
    let mut said = bar_sentence(sc, p, bar);
    if let Some(st) = Settlement::of(sc, p)
        && !st.reaches(sc, bar)
    {
        let far = st.units(sc, bar);
        said.small = format!(
            "{}; the slider cannot go as low as this bar: its far end, {}, is worth {:.3} with other issues at its ideal; left there, the bar stays {bar:.3}",
            said.small,
            issue_amount(&sc.issues[st.issue], far),
            st.bar(sc, far)
        );
    }
    said
}

/// A unit after a number: " % of Ukraine", or nothing for no unit.
pub fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    }
}

/// The settlement worth `bar`, in units ("7.2 % of Ukraine").
fn settlement_amount(sc: &Scenario, st: &Settlement, bar: f64) -> String {
    let issue = &sc.issues[st.issue];
    format!(
        "{} {}",
        amount(st.units(sc, bar), issue.range()),
        issue.unit
    )
}

/// A position's bar as the reveal's table shows it: the settlement, or
/// "anything, even ..." where the whole issue clears the bar, with the
/// utility in brackets.
pub fn bar_position(sc: &Scenario, p: usize, bar: f64) -> Option<String> {
    let st = Settlement::of(sc, p)?;
    let shown = settlement_amount(sc, &st, bar);
    let shown = if st.reaches(sc, bar) {
        shown
    } else {
        format!("anything, even {shown}")
    };
    Some(format!("{shown} (bar {bar:.3} utility)"))
}

/// What a field's value means, in a sentence; `value` in the control's
/// units (the bar as a utility, said as the settlements that meet it).
pub fn sentence(sc: &Scenario, p: usize, seat: Seat, value: f64) -> Sentence {
    let party = &sc.parties[p];
    match seat {
        Seat::Model(Target::Reservation(_)) => bar_sentence(sc, p, value),
        Seat::Model(Target::RedLine { line, upper, .. }) => {
            let Some(rl) = party.red_lines.get(line) else {
                return Sentence::default();
            };
            let i = &sc.issues[rl.issue];
            let front = party
                .red_lines
                .iter()
                .any(|l| l.issue == rl.issue && l.follows_front);
            let word = if upper { "most" } else { "least" };
            let beyond = if front {
                " beyond the current front"
            } else {
                ""
            };
            Sentence {
                line: format!(
                    "the {word} {} {} would ever accept: {}{beyond}",
                    lower_first(&i.label),
                    party.name,
                    issue_amount(i, value),
                ),
                small: "a red line: never crossed, whatever a deal is worth".into(),
            }
        }
        Seat::Model(Target::Ideal { issue, .. }) => {
            let i = &sc.issues[issue];
            Sentence {
                line: format!(
                    "what {} would like best on {}: {}",
                    party.name,
                    lower_first(&i.label),
                    issue_amount(i, value),
                ),
                small: String::new(),
            }
        }
        Seat::Weight { issue, .. } => {
            let i = &sc.issues[issue];
            Sentence {
                line: format!(
                    "how much {} matters to {}: {value:.2}",
                    lower_first(&i.label),
                    party.name
                ),
                small: "relative; weights are divided by their sum".into(),
            }
        }
        _ => Sentence::default(),
    }
}

/// The bar control turned into a settlement control on the front issue,
/// holding `bar` (a utility) as units.
pub fn settlement_control(sc: &Scenario, p: usize, bar: &Control) -> Option<Control> {
    let st = Settlement::of(sc, p)?;
    let issue = &sc.issues[st.issue];
    let (lo, hi) = st.range(sc);
    let value = st.units(sc, number(bar));
    Some(Control {
        path: format!("parties.{}.{SETTLEMENT}", sc.parties[p].id),
        group: bar.group.clone(),
        label: format!("your bar, as a settlement on {}", lower_first(&issue.label)),
        unit: issue.unit.clone(),
        help: bar.help.clone(),
        kind: Kind::Number {
            min: lo,
            max: hi,
            low: lo,
            high: hi,
            step: issue.range() / 200.0,
        },
        value: Value::Number(value),
    })
}

/// A line of the article a party's block in the scenario file cites.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub line: usize,
    /// What the scenario's comment says the line supports.
    pub note: String,
    pub text: String,
}

/// The article's lines behind party `id`: every comment in its block of the
/// scenario file that cites "line N" (or "lines N-M", "lines N, M"), with
/// the first line cited quoted from the source, at most `max` of them.
pub fn quotes(file: &str, source: Option<&str>, id: &str, max: usize) -> Vec<Quote> {
    let Some(source) = source else {
        return Vec::new();
    };
    let article: Vec<&str> = source.lines().collect();
    let mut out: Vec<Quote> = Vec::new();
    for comment in party_comments(file, id) {
        let Some(n) = first_cited_line(&comment) else {
            continue;
        };
        let Some(text) = article.get(n.wrapping_sub(1)).map(|t| t.trim()) else {
            continue;
        };
        if text.is_empty() || out.iter().any(|q| q.line == n) {
            continue;
        }
        out.push(Quote {
            line: n,
            note: without_citation(&comment),
            text: shorten(text, 240),
        });
        if out.len() == max {
            break;
        }
    }
    out
}

/// The comments of the `[[parties]]` block whose `id` is `id`, each line's
/// comment on its own, in file order.
fn party_comments(file: &str, id: &str) -> Vec<String> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in file.lines() {
        let t = line.trim_start();
        if t.starts_with("[[") {
            blocks.push(Vec::new());
        }
        if let Some(b) = blocks.last_mut() {
            b.push(line);
        }
    }
    let wanted = format!("\"{id}\"");
    let block = blocks.into_iter().find(|b| {
        b.first().is_some_and(|h| h.trim() == "[[parties]]")
            && b.iter().any(|l| {
                let t = l.trim_start();
                t.starts_with("id") && t.split('#').next().is_some_and(|v| v.contains(&wanted))
            })
    });
    block
        .unwrap_or_default()
        .iter()
        .filter_map(|l| l.split_once('#').map(|(_, c)| c.trim().to_string()))
        .filter(|c| !c.is_empty())
        .collect()
}

/// The first line number a comment cites: "line 13", "lines 25-27".
fn first_cited_line(comment: &str) -> Option<usize> {
    let lower = comment.to_lowercase();
    let at = lower
        .find("line ")
        .map(|i| i + 5)
        .or_else(|| lower.find("lines ").map(|i| i + 6))?;
    let digits: String = lower[at..]
        .chars()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// A comment without its leading "line 13, 57:" (the quote says which line
/// it is).
fn without_citation(comment: &str) -> String {
    let lower = comment.to_lowercase();
    if !lower.starts_with("line") {
        return comment.to_string();
    }
    match comment.split_once(':') {
        Some((cited, rest))
            if cited
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " ,-".contains(c)) =>
        {
            rest.trim().to_string()
        }
        _ => comment.to_string(),
    }
}

/// `text` cut at a word boundary to at most `max` characters.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// A name as the projector shows it: control, bidirectional and zero-width
/// characters removed, runs of spaces made one, at most `max` characters.
pub fn clean_name(raw: &str, max: usize) -> String {
    let kept: String = raw
        .chars()
        .filter(|&c| !hidden(c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = kept.split(' ').filter(|w| !w.is_empty()).collect();
    words.join(" ").chars().take(max).collect()
}

/// Characters that draw nothing or reorder what follows them.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_what_draws_nothing_or_reorders() {
        assert_eq!(clean_name("\u{200B}\u{200B}", 40), "");
        assert_eq!(clean_name("Al\u{202E}ice\u{0}\u{1b}[31m", 40), "Alice[31m");
        assert_eq!(clean_name("  Ann   Lee ", 40), "Ann Lee");
    }

    #[test]
    fn a_comment_cites_its_first_line() {
        assert_eq!(first_cited_line("line 13: Trump wants"), Some(13));
        assert_eq!(first_cited_line("Lines 25-27: borders"), Some(25));
        assert_eq!(first_cited_line("illustrative"), None);
        assert_eq!(
            without_citation("line 13, 57: \"strategic\""),
            "\"strategic\""
        );
        assert_eq!(without_citation("Lines 25-27: borders"), "borders");
        assert_eq!(without_citation("deadline: soon"), "deadline: soon");
    }
}
