//! The documentation lists every knob with its real default and range.

use zopa::model::params::{KNOB_SPECS, Spec, WORLD};

const FORMAT: &str = include_str!("../docs/scenario-format.md");

fn show(x: f64) -> String {
    if x.abs() >= 1e12 {
        "no limit".to_string()
    } else {
        format!("{x}")
    }
}

/// The table row a knob must have in docs/scenario-format.md.
fn row(s: &Spec) -> String {
    format!(
        "| `{}` | {} | {} | {} to {} |",
        s.name,
        s.unit,
        show(s.default),
        show(s.min),
        show(s.max)
    )
}

#[test]
fn every_knob_and_world_variable_is_documented_with_its_default_and_range() {
    // The front's range is its issue's, documented in prose.
    for s in KNOB_SPECS.iter().chain(WORLD.iter().skip(1)) {
        let expected = row(s);
        assert!(
            FORMAT.contains(&expected),
            "docs/scenario-format.md lacks the row\n{expected} {} |",
            s.meaning
        );
    }
}

#[test]
fn the_party_table_documents_cite_and_its_keys() {
    assert!(FORMAT.contains("| `cite` | table value → `{ line, quote }` |"));
    for key in [
        "`reservation`",
        "`ideal.<issue>`",
        "`red_lines.<issue>.min`",
    ] {
        assert!(FORMAT.contains(key), "{key}");
    }
}
