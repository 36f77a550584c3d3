//! Every kind of bad scenario gets a clear, located error, exit code 2, and
//! nothing written.

use std::path::Path;
use std::process::{Command, Output};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

/// 1-based line and column of the first occurrence of `needle`.
fn locate(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the case's text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

struct Case {
    name: &'static str,
    text: String,
    /// Text the error must point at (its line and column are checked).
    at: Option<&'static str>,
    /// Substrings the message must contain.
    says: &'static [&'static str],
}

fn replaced(from: &str, to: &str) -> String {
    assert!(
        TEXTBOOK.contains(from),
        "`{from}` not in the textbook scenario"
    );
    TEXTBOOK.replacen(from, to, 1)
}

fn with_event(event: &str) -> String {
    format!("{TEXTBOOK}\n[[events]]\n{event}\n")
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "misspelled field",
            text: replaced("reservation = 0.4", "reservaton = 0.4"),
            at: Some("reservaton"),
            says: &["unknown field `reservaton`", "did you mean `reservation`?"],
        },
        Case {
            name: "misspelled knob",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nknobs = { resolv = 0.1 }",
            ),
            at: Some("resolv"),
            says: &[
                "`resolv` is not a knob of the sustained_pressure archetype",
                "did you mean `resolve`?",
            ],
        },
        Case {
            name: "wrong type",
            text: replaced("reservation = 0.4", "reservation = \"high\""),
            at: Some("\"high\""),
            says: &["invalid type", "expected f64"],
        },
        Case {
            name: "missing required field",
            text: replaced("label = \"Price\"\n", ""),
            at: None,
            says: &["missing field `label`", "add `label = ...`"],
        },
        Case {
            name: "negative weight",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nweights = { price = -1 }",
            ),
            at: Some("-1 }"),
            says: &["weights cannot be negative"],
        },
        Case {
            name: "all-zero weights",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nweights = { price = 0 }",
            ),
            at: Some("{ price = 0 }"),
            says: &["weights of `seller` are all zero", "positive weight"],
        },
        Case {
            name: "ideal outside the issue's range",
            text: replaced("ideal = { price = 10 }", "ideal = { price = 12 }"),
            at: Some("12 }"),
            says: &["ideal of `seller` on `price` is 12, outside [0, 10]"],
        },
        Case {
            name: "mark outside the issue's range",
            text: replaced("value = 9", "value = 11"),
            at: Some("11 }"),
            says: &["mark `asking price` is 11, outside [0, 10]"],
        },
        Case {
            name: "event naming an unknown party",
            text: with_event(
                "label = \"x\"\nat_step = 1\neffects = [{ target = \"parties.seler.reservation\", add = 0.1 }]",
            ),
            at: Some("\"parties.seler.reservation\""),
            says: &[
                "no party has the id `seler`",
                "did you mean `parties.seller.reservation`?",
            ],
        },
        Case {
            name: "event naming an unknown field",
            text: with_event(
                "label = \"x\"\nat_step = 1\neffects = [{ target = \"world.presure\", add = 0.1 }]",
            ),
            at: Some("\"world.presure\""),
            says: &[
                "`world.presure` is not a numeric field",
                "did you mean `world.pressure`?",
            ],
        },
        Case {
            name: "event beyond the horizon",
            text: with_event(
                "label = \"late\"\nat_step = 12\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("12\neffects"),
            says: &["beyond the horizon (steps 0 to 11)"],
        },
        Case {
            name: "NaN",
            text: replaced("reservation = 0.4", "reservation = nan"),
            at: Some("nan"),
            says: &["reservation of `seller` is NaN, not a finite number"],
        },
        Case {
            name: "infinity",
            text: replaced("perception_noise = 0.12", "perception_noise = inf"),
            at: Some("inf"),
            says: &["mediator.perception_noise is inf, not a finite number"],
        },
        Case {
            name: "horizon of zero steps",
            text: replaced("steps = 12", "steps = 0"),
            at: Some("0\nstep_unit"),
            says: &["time.steps (the horizon) is 0, outside 1..=100000"],
        },
        Case {
            name: "horizon beyond 100 000 steps",
            text: replaced("steps = 12", "steps = 100001"),
            at: Some("100001"),
            says: &["is 100001, outside 1..=100000"],
        },
        Case {
            name: "TOML syntax error",
            text: replaced("min = 0", "min = = 0"),
            at: None,
            says: &["not valid TOML here"],
        },
    ]
}

fn check(
    path: &Path,
    text_for_location: Option<&str>,
    case: &str,
    at: Option<&str>,
    says: &[&str],
) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results");
    let o = zopa(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{case}: exit code; stderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "{case}: no panic");
    assert!(
        err.contains(&path.display().to_string()),
        "{case}: names the file\n{err}"
    );
    for s in says {
        assert!(err.contains(s), "{case}: says `{s}`\n{err}");
    }
    assert!(err.contains("help:"), "{case}: says how to fix it\n{err}");
    if let (Some(text), Some(needle)) = (text_for_location, at) {
        let (line, col) = locate(text, needle);
        let place = format!("{}:{line}:{col}", path.display());
        assert!(err.contains(&place), "{case}: points at {place}\n{err}");
    }
    assert!(!out.exists(), "{case}: nothing written");
    assert!(o.stdout.is_empty(), "{case}: no summary printed");
}

#[test]
fn each_bad_scenario_gets_a_located_error_and_exit_code_2() {
    for case in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("case.toml");
        std::fs::write(&path, &case.text).unwrap();
        check(&path, Some(&case.text), case.name, case.at, case.says);
    }
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_its_position() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("latin1.toml");
    let mut bytes = b"# caf".to_vec();
    bytes.push(0xe9); // 'e' acute in Latin-1
    bytes.extend_from_slice(b"\n[scenario]\n");
    std::fs::write(&path, bytes).unwrap();
    check(
        &path,
        None,
        "not UTF-8",
        None,
        &["not UTF-8", "save the file as UTF-8"],
    );
    // The position is right after the valid prefix: line 1, column 6.
    let o = zopa(&["validate", path.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("latin1.toml:1:6"));
}

#[test]
fn a_directory_or_a_missing_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    check(
        tmp.path(),
        None,
        "directory",
        None,
        &["is a folder, not a scenario file"],
    );
    check(
        &tmp.path().join("nope.toml"),
        None,
        "missing",
        None,
        &["no such file"],
    );
}

#[test]
fn validate_reports_every_problem_not_only_the_first() {
    let text = TEXTBOOK
        .replacen("reservation = 0.4", "reservation = 1.4", 1)
        .replacen("ideal = { price = 0 }", "ideal = { price = -3 }", 1)
        .replacen("steps = 12", "steps = 0", 1);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("three.toml");
    std::fs::write(&path, &text).unwrap();
    let o = zopa(&["validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("error[").count(), 3, "{err}");
    // Reported in file order.
    let steps = err.find("time.steps").unwrap();
    let res = err.find("reservation of `seller`").unwrap();
    let ideal = err.find("ideal of `buyer`").unwrap();
    assert!(steps < res && res < ideal, "{err}");
}
