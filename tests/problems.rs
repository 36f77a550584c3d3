//! Scenario problems are structured values: each bad input gives the
//! variant that describes it, with the facts a message needs, and the
//! rendered text puts the caret under the right characters even after a
//! tab or in wide characters.

use std::path::Path;

use zopa::scenario::{
    self, EventProblem, FileErrors, FileProblem, Problem, ScenarioProblem, SyntaxProblem,
    ValueProblem,
};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

fn replaced(from: &str, to: &str) -> String {
    assert!(TEXTBOOK.contains(from), "`{from}` not in the textbook");
    TEXTBOOK.replacen(from, to, 1)
}

fn problems(text: &str) -> FileErrors {
    scenario::parse(Path::new("case.toml"), text.to_string()).expect_err("the text is invalid")
}

fn first(text: &str) -> Problem {
    problems(text).problems.remove(0).problem
}

#[test]
fn a_value_outside_its_range_names_the_field_the_value_and_the_range() {
    let p = first(&replaced("reservation = 0.4", "reservation = 1.4"));
    assert_eq!(
        p,
        Problem::Value(ValueProblem::OutOfRange {
            what: "reservation of `seller`".into(),
            value: 1.4,
            low: 0.0,
            high: 1.0,
        })
    );
    assert_eq!(p.code(), "invalid-value");
    assert_eq!(
        p.message(),
        "reservation of `seller` is 1.4, outside [0, 1]"
    );
    assert_eq!(p.hint(), "use a value between 0 and 1");
}

#[test]
fn a_misspelled_field_keeps_the_fields_that_would_have_been_right() {
    let p = first(&replaced("reservation = 0.4", "reservaton = 0.4"));
    let Problem::Syntax(SyntaxProblem::UnknownField { field, expected }) = &p else {
        panic!("not an unknown field: {p:?}");
    };
    assert_eq!(field, "reservaton");
    assert!(expected.iter().any(|e| e == "reservation"), "{expected:?}");
    assert_eq!(p.hint(), "did you mean `reservation`?");
    assert_eq!(p.code(), "unknown-field");
}

#[test]
fn an_unknown_archetype_lists_the_known_ones_when_nothing_is_close() {
    let p = first(&replaced(
        "archetype = \"sustained_pressure\"",
        "archetype = \"hawk\"",
    ));
    let Problem::Value(ValueProblem::UnknownName { what, name, known }) = &p else {
        panic!("not an unknown name: {p:?}");
    };
    assert_eq!((what.as_str(), name.as_str()), ("archetype", "hawk"));
    // Every archetype there is, in the order the code declares them.
    let names: Vec<&str> = zopa::model::Archetype::ALL
        .iter()
        .map(|a| a.name())
        .collect();
    assert_eq!(known, &names);
    assert!(names.starts_with(&["quick_deal", "political_victory"]));
    let ticked: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    assert_eq!(p.hint(), format!("known: {}", ticked.join(", ")));
}

#[test]
fn a_knob_of_another_archetype_is_named_with_the_partys_own_knobs() {
    let p = first(&replaced(
        "ideal = { price = 10 }",
        "ideal = { price = 10 }\nknobs = { deadline = 4 }",
    ));
    let Problem::Scenario(ScenarioProblem::NotAKnob {
        name,
        archetype,
        knobs,
    }) = &p
    else {
        panic!("not a foreign knob: {p:?}");
    };
    assert_eq!(name, "deadline");
    assert_eq!(*archetype, "sustained_pressure");
    assert!(knobs.iter().any(|k| k == "resolve"), "{knobs:?}");
}

#[test]
fn a_party_id_used_twice_is_a_duplicate_of_a_party() {
    let p = first(&replaced("id = \"buyer\"", "id = \"seller\""));
    assert_eq!(
        p,
        Problem::Scenario(ScenarioProblem::Duplicate {
            what: "party",
            id: "seller".into()
        })
    );
    assert_eq!(p.hint(), "give each party its own id");
}

#[test]
fn event_problems_say_what_is_wrong_with_the_event() {
    let both = format!(
        "{TEXTBOOK}\n[[events]]\nlabel = \"x\"\nat_step = 2\nprobability = 0.5\neffects = [{{ target = \"world.pressure\", add = 0.1 }}]\n"
    );
    assert_eq!(
        first(&both),
        Problem::Event(EventProblem::BothTriggers { label: "x".into() })
    );
    let typo = format!(
        "{TEXTBOOK}\n[[events]]\nlabel = \"x\"\nat_step = 2\neffects = [{{ target = \"world.presure\", add = 0.1 }}]\n"
    );
    let p = first(&typo);
    let Problem::Event(EventProblem::UnknownTarget { suggestion, .. }) = &p else {
        panic!("not an unknown target: {p:?}");
    };
    assert_eq!(suggestion.as_deref(), Some("world.pressure"));
    assert_eq!(p.code(), "unknown-name");
}

#[test]
fn a_missing_file_cannot_be_opened() {
    let e = scenario::load(Path::new("no/such/scenario.toml")).unwrap_err();
    assert_eq!(
        e.problems[0].problem,
        Problem::File(FileProblem::CannotOpen {
            reason: "no such file".into()
        })
    );
    let text = e.to_string();
    assert!(text.starts_with("error[unreadable]: cannot open the file: no such file\n"));
    assert!(text.contains("no/such/scenario.toml"), "{text}");
    assert!(text.contains("help: check the path"), "{text}");
}

#[test]
fn every_problem_of_a_file_is_kept_in_file_order() {
    let text = TEXTBOOK
        .replacen("steps = 12", "steps = 0", 1)
        .replacen("reservation = 0.4", "reservation = 1.4", 1)
        .replacen("colour = \"#cc79a7\"", "colour = \"pink\"", 1);
    let found: Vec<&'static str> = problems(&text)
        .problems
        .iter()
        .map(|d| match &d.problem {
            Problem::Value(ValueProblem::WholeOutOfRange { .. }) => "steps",
            Problem::Value(ValueProblem::OutOfRange { .. }) => "reservation",
            Problem::Scenario(ScenarioProblem::BadColour { .. }) => "colour",
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(found, ["steps", "reservation", "colour"]);
}

/// Display width of text as a terminal shows it: CJK ideographs, kana and
/// full-width forms take two columns, everything used here else one.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// In the rendered error, the source line holding `needle` and the caret
/// line under it: where the carets start and how many there are, and where
/// the needle starts, all in display columns.
fn caret_under(rendered: &str, needle: &str) -> (usize, usize, usize) {
    let lines: Vec<&str> = rendered.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(needle) && l.contains(" | "))
        .unwrap_or_else(|| panic!("no source line with `{needle}` in\n{rendered}"));
    let (source, carets) = (lines[at], lines[at + 1]);
    let needle_col = width(&source[..source.find(needle).unwrap()]);
    let caret_col = width(&carets[..carets.find('^').expect("a caret line")]);
    (caret_col, carets.matches('^').count(), needle_col)
}

#[test]
fn the_caret_sits_under_a_key_written_after_a_tab() {
    let text = replaced("reservation = 0.4", "\treservaton = 0.4");
    let rendered = problems(&text).to_string();
    let (caret, count, key) = caret_under(&rendered, "reservaton");
    assert_eq!(caret, key, "caret column\n{rendered}");
    assert_eq!(count, "reservaton".len(), "caret width\n{rendered}");
    // The location counts the tab as one character, as editors do.
    let line = text[..text.find("\treservaton").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        rendered.contains(&format!("case.toml:{line}:2")),
        "{rendered}"
    );
}

#[test]
fn the_caret_covers_a_key_written_in_wide_characters() {
    // Quoted, the key is read and named as an unknown issue.
    let text = replaced(
        "ideal = { price = 10 }",
        "ideal = { price = 10, \"価格\" = 3 }",
    );
    let e = problems(&text);
    assert!(matches!(
        &e.problems[0].problem,
        Problem::Value(ValueProblem::UnknownName { name, .. }) if name == "価格"
    ));
    let rendered = e.to_string();
    let (caret, count, key) = caret_under(&rendered, "\"価格\"");
    assert_eq!(caret, key, "caret column\n{rendered}");
    assert_eq!(count, width("\"価格\""), "one caret per column\n{rendered}");

    // Unquoted, TOML refuses the key itself; the caret still covers it.
    let text = replaced("ideal = { price = 10 }", "ideal = { price = 10, 価格 = 3 }");
    let e = problems(&text);
    assert!(matches!(
        &e.problems[0].problem,
        Problem::Syntax(SyntaxProblem::NotToml { .. })
    ));
    let rendered = e.to_string();
    let (caret, count, key) = caret_under(&rendered, "価格");
    assert_eq!(caret, key, "caret column\n{rendered}");
    assert_eq!(count, width("価格"), "one caret per column\n{rendered}");
}

#[test]
fn the_caret_sits_under_a_value_that_follows_wide_characters() {
    let text = replaced(
        "marks = [{ label = \"asking price\", value = 9 }]",
        "marks = [{ label = \"ドネツク\", value = 11 }]",
    );
    let rendered = problems(&text).to_string();
    assert!(rendered.contains("mark `ドネツク` is 11, outside [0, 10]"));
    let (caret, count, value) = caret_under(&rendered, "11 }");
    assert_eq!(caret, value, "caret column\n{rendered}");
    assert_eq!(count, 2, "{rendered}");
}

#[test]
fn a_wrong_type_does_not_hide_the_other_problems_of_the_file() {
    // The example of a slow class: one quoted number, and more wrong below.
    let text = TEXTBOOK
        .replacen("reservation = 0.4", "reservation = \"0.4 %\"", 1)
        .replacen("steps = 12", "steps = 0", 1)
        .replacen("colour = \"#cc79a7\"", "colour = 7", 1)
        .replacen("reservation = 0.3", "reservation = 1.3", 1);
    let found: Vec<(String, usize)> = problems(&text)
        .problems
        .iter()
        .map(|d| {
            let at = d.span.as_ref().unwrap().start;
            let line = text[..at].matches('\n').count() + 1;
            (d.problem.code().to_string(), line)
        })
        .collect();
    let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    assert_eq!(
        found,
        [
            ("invalid-value".to_string(), line_of("steps = 0")),
            ("syntax".to_string(), line_of("\"0.4 %\"")),
            ("syntax".to_string(), line_of("colour = 7")),
            ("invalid-value".to_string(), line_of("reservation = 1.3")),
        ],
        "in file order, each at its own line"
    );
    let shown = problems(&text).to_string();
    assert!(
        shown.contains("reservation of `seller` must be a number or a table of issue values"),
        "{shown}"
    );
    assert!(
        shown.contains("reservation of `buyer` is 1.3, outside [0, 1]"),
        "{shown}"
    );
}
