//! Editing a scenario's text: every control the page offers changes exactly
//! its field, the rest of the file is kept, and the edited text reads back
//! as a valid scenario.

use std::path::{Path, PathBuf};

use zopa::model::{Scenario, Setting};
use zopa::scenario::edit::{Edit, Kind, Value};
use zopa::scenario::{self, edit};

fn bundled() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> (String, Scenario) {
    let text = std::fs::read_to_string(path).unwrap();
    let sc = scenario::parse(path, text.clone()).unwrap();
    (text, sc)
}

/// Another value for a control: the middle of its slider, or the other
/// switch position or option.
fn other(c: &edit::Control) -> Value {
    match (&c.kind, &c.value) {
        (Kind::Number { low, high, .. }, Value::Number(v)) => {
            let mid = (low + high) / 2.0;
            Value::Number(if (mid - v).abs() > 1e-9 { mid } else { *low })
        }
        (Kind::Switch, Value::Switch(on)) => Value::Switch(!on),
        (Kind::Choice { options }, Value::Name(n)) => {
            Value::Name(options.iter().find(|o| *o != n).unwrap().clone())
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_control_changes_its_own_field_and_nothing_else() {
    for path in bundled() {
        let (text, sc) = load(&path);
        for c in edit::controls(&sc) {
            let value = other(&c);
            let e = Edit {
                path: c.path.clone(),
                value: value.clone(),
            };
            let (edited, changes) =
                edit::apply(&text, &sc, &[e]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let after = match scenario::parse(&path, edited.clone()) {
                Ok(s) => s,
                // Switching off the only veto, say, is refused by the file's
                // own rules: the page shows that message.
                Err(_) if matches!(c.kind, Kind::Switch) => continue,
                Err(e) => panic!("{} {}: {e}\n{edited}", path.display(), c.path),
            };
            let now = edit::controls(&after);
            for (b, a) in edit::controls(&sc).iter().zip(&now) {
                if a.path == c.path {
                    if !c.path.contains(".weights.") {
                        assert_eq!(a.value, value, "{} {}", path.display(), c.path);
                    }
                } else if !c.path.contains(".weights.") || !a.path.contains(".weights.") {
                    assert_eq!(
                        a.value,
                        b.value,
                        "{} {} moved {}",
                        path.display(),
                        c.path,
                        a.path
                    );
                }
            }
            assert_eq!(changes.len(), 1, "{}", c.path);
            assert_eq!(changes[0].path, c.path);
            assert!(
                edited.contains("changed on the page"),
                "{}: no comment\n{edited}",
                c.path
            );
        }
    }
}

#[test]
fn an_edit_keeps_every_other_line_of_the_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/budapest-cancelled.toml");
    let (text, sc) = load(&path);
    let e = Edit {
        path: "parties.russia.breaking_pressure".into(),
        value: Value::Number(0.3),
    };
    let (edited, changes) = edit::apply(&text, &sc, &[e]).unwrap();
    let before: Vec<&str> = text.lines().collect();
    let after: Vec<&str> = edited.lines().collect();
    assert_eq!(before.len(), after.len());
    let differ: Vec<(&&str, &&str)> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
    assert_eq!(differ.len(), 1, "{differ:?}");
    assert!(
        differ[0].1.starts_with("breaking_pressure = 0.3"),
        "{}",
        differ[0].1
    );
    assert!(differ[0].1.contains("was 0.9"), "{}", differ[0].1);
    assert!(
        differ[0].1.contains("line 21"),
        "the author's comment stays: {}",
        differ[0].1
    );
    assert_eq!(changes[0].from, Setting::Number(0.9));
    assert_eq!(changes[0].to, Setting::Number(0.3));
}

#[test]
fn a_value_outside_its_range_is_refused_with_the_range() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/textbook.toml");
    let (text, sc) = load(&path);
    let e = Edit {
        path: "parties.seller.reservation".into(),
        value: Value::Number(1.5),
    };
    let err = edit::apply(&text, &sc, &[e]).unwrap_err();
    assert_eq!(err.path, "parties.seller.reservation");
    assert!(err.message.contains("0 to 1"), "{}", err.message);
    let e = Edit {
        path: "parties.nobody.reservation".into(),
        value: Value::Number(0.5),
    };
    let err = edit::apply(&text, &sc, &[e]).unwrap_err();
    assert!(err.message.contains("no party"), "{}", err.message);
    let e = Edit {
        path: "mediator.protocol".into(),
        value: Value::Name("auction".into()),
    };
    assert!(edit::apply(&text, &sc, &[e]).is_err());
}

#[test]
fn an_event_switched_off_keeps_the_other_events_draws() {
    // Switching an event off drops its effects, exactly as the counterfactual
    // of `explain` does, so the timelines agree.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/freeze-the-front.toml");
    let (text, sc) = load(&path);
    let e = sc
        .events
        .iter()
        .position(|e| !e.effects.is_empty())
        .unwrap();
    let ed = Edit {
        path: format!("events.{}.enabled", e + 1),
        value: Value::Switch(false),
    };
    let (edited, _) = edit::apply(&text, &sc, &[ed]).unwrap();
    let off = scenario::parse(&path, edited).unwrap();
    let mut by_hand = sc.clone();
    by_hand.events[e].effects.clear();
    for seed in 1..4 {
        let a = zopa::sim::run(&off, seed);
        let b = zopa::sim::run(&by_hand, seed);
        assert_eq!(
            zopa::output::timeline_csv(&off, &a).lines().count(),
            zopa::output::timeline_csv(&by_hand, &b).lines().count()
        );
        for (x, y) in a.steps.iter().zip(&b.steps) {
            assert_eq!(x.gap.to_bits(), y.gap.to_bits());
        }
    }
}
