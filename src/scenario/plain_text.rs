//! Scenario text reaches terminals and pages as written: a title, a label,
//! a party's name. A TOML escape such as `"\u001b[2J"` would put a control
//! sequence into that text, which a terminal obeys instead of showing (it
//! can retitle the window, clear the screen or hide what follows), and a
//! bidirectional override reorders what a reader sees. So every string and
//! every key of a file is checked here, once, before validation: one
//! located problem per offending string, and nothing after this point ever
//! holds such a character.
//!
//! Literal control characters never get this far: TOML refuses them, and
//! the error renderer shows them as visible symbols.

use std::ops::Range;

use toml_edit::{Document, InlineTable, Item, Table, Value};

use super::diagnostic::Diagnostic;
use super::problem::SyntaxProblem;

/// Whether `c` would act on a terminal or reorder text instead of showing:
/// the C0 and C1 controls (tab, line feed and carriage return excepted, as
/// a multi-line description may hold them), DEL, and the bidirectional
/// embeddings, overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Every string value and key of `text` that holds an unsafe character,
/// as located problems. Text that is not valid TOML yields nothing: the
/// parser reports it.
pub fn problems(text: &str) -> Vec<Diagnostic> {
    let Ok(doc) = Document::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    table(doc.as_table(), &mut found);
    found.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    found
}

fn check(s: &str, span: Option<Range<usize>>, key: bool, found: &mut Vec<Diagnostic>) {
    if let Some(c) = s.chars().find(|&c| is_unsafe(c)) {
        let problem = SyntaxProblem::ControlCharacter {
            code: u32::from(c),
            key,
        };
        found.push(Diagnostic::new(problem, span));
    }
}

fn table(t: &Table, found: &mut Vec<Diagnostic>) {
    for (name, it) in t.iter() {
        if let Some(k) = t.key(name) {
            check(k.get(), k.span(), true, found);
        }
        item(it, found);
    }
}

fn inline(t: &InlineTable, found: &mut Vec<Diagnostic>) {
    for (name, v) in t.iter() {
        if let Some(k) = t.key(name) {
            check(k.get(), k.span(), true, found);
        }
        value(v, found);
    }
}

fn item(it: &Item, found: &mut Vec<Diagnostic>) {
    match it {
        Item::Value(v) => value(v, found),
        Item::Table(t) => table(t, found),
        Item::ArrayOfTables(a) => a.iter().for_each(|t| table(t, found)),
        Item::None => {}
    }
}

fn value(v: &Value, found: &mut Vec<Diagnostic>) {
    match v {
        Value::String(s) => check(s.value(), v.span(), false, found),
        Value::Array(a) => a.iter().for_each(|x| value(x, found)),
        Value::InlineTable(t) => inline(t, found),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escaped_terminal_sequence_in_a_title_is_found_where_it_is_written() {
        let text = "[scenario]\nname = \"a\"\ntitle = \"\\u001b]0;PWNED\\u0007\"\n";
        let found = problems(text);
        assert_eq!(found.len(), 1);
        let span = found[0].span.clone().expect("located");
        assert_eq!(&text[span], "\"\\u001b]0;PWNED\\u0007\"");
    }

    #[test]
    fn keys_and_nested_strings_are_checked_and_plain_text_passes() {
        let text = "a = [\"ok\", { \"b\\u202e\" = \"x\" }]\n[[t]]\nc = \"line\\nbreak\\ttab\"\n";
        let found = problems(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(matches!(
            found[0].problem,
            crate::scenario::Problem::Syntax(SyntaxProblem::ControlCharacter {
                code: 0x202e,
                key: true
            })
        ));
    }

    #[test]
    fn line_breaks_and_tabs_are_safe_but_escape_and_delete_are_not() {
        assert!(!is_unsafe('\n') && !is_unsafe('\t') && !is_unsafe('\r'));
        assert!(is_unsafe('\u{1b}') && is_unsafe('\u{7f}') && is_unsafe('\u{9b}'));
        assert!(!is_unsafe('é') && !is_unsafe('—'));
    }
}
