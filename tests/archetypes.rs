//! Everything an archetype means lives in its own file: no rule elsewhere
//! names an archetype, a field an archetype does not read is refused
//! everywhere a value can be given (and offered nowhere), knob tables are
//! one declaration, and `--set` and `--vary` values pass the same
//! cross-field checks as the file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zopa::model::params::{KNOB_SPECS, KNOBS};
use zopa::model::{Archetype, Assignment, Field, Knob, PathError, Scenario};
use zopa::scenario::edit;
use zopa::sensitivity;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

fn load(name: &str) -> Scenario {
    zopa::scenario::load(&scenario(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether a line of code states a rule about one archetype: compares a
/// party's archetype with one, matches on one, or tests for one.
fn names_a_rule(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    let Some(at) = code.find("Archetype::") else {
        return false;
    };
    let after = &code[at + "Archetype::".len()..];
    let variant: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let is_variant = Archetype::ALL.iter().any(|a| format!("{a:?}") == variant);
    let rest = after[variant.len()..].trim_start();
    is_variant
        && (code.contains("== ")
            || code.contains("!= ")
            || code.contains("matches!")
            || rest.starts_with("=>")
            || rest.starts_with('|'))
}

#[test]
fn no_rule_outside_the_archetype_module_names_an_archetype() {
    assert!(names_a_rule("if p.archetype != Archetype::WarBargaining {"));
    assert!(names_a_rule("    Archetype::QuickDeal => 1.0,"));
    assert!(!names_a_rule("let names = Archetype::ALL.iter();"));
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let module = root().join("src/model/archetype");
    let mut found = Vec::new();
    for f in files.iter().filter(|f| !f.starts_with(&module)) {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if names_a_rule(line) {
                found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "archetype rules outside src/model/archetype/:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_knob_name_round_trips_and_its_spec_is_its_own() {
    assert_eq!(Knob::ALL.len(), KNOBS);
    for (i, k) in Knob::ALL.into_iter().enumerate() {
        assert_eq!(Knob::from_name(k.spec().name), Some(k), "{k:?}");
        assert_eq!(k as usize, i, "{k:?} sits at its own place");
        assert_eq!(k.spec().name, KNOB_SPECS[i].name);
        let s = k.spec();
        assert!(s.min <= s.default && s.default <= s.max, "{}", s.name);
        assert!(!s.meaning.is_empty() && !s.unit.is_empty(), "{}", s.name);
    }
    let mut names: Vec<&str> = KNOB_SPECS.iter().map(|s| s.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), KNOBS, "knob names are unique");
}

#[test]
fn each_archetype_lists_the_knobs_declared_for_it_and_every_shared_one() {
    for a in Archetype::ALL {
        assert_eq!(Archetype::from_name(a.name()), Some(a));
        let mut listed: Vec<&str> = a.knobs().iter().map(|k| k.spec().name).collect();
        let mut declared: Vec<&str> = Knob::ALL
            .iter()
            .filter(|k| k.owner() == a.name() || k.owner() == "every")
            .map(|k| k.spec().name)
            .collect();
        listed.sort();
        declared.sort();
        assert_eq!(listed, declared, "{}", a.name());
    }
    for k in Knob::ALL {
        let owned = k.owner() == "every" || Archetype::from_name(k.owner()).is_some();
        assert!(owned, "{:?} belongs to no archetype", k);
    }
}

#[test]
fn a_war_bargaining_reservation_is_refused_by_set_with_the_reason_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results");
    let sc = scenario("rationalist-explanations.toml");
    let o = zopa(&[
        "run",
        sc.to_str().unwrap(),
        "--set",
        "parties.russia.reservation=0.95",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for says in [
        "--set parties.russia.reservation=0.95",
        "`parties.russia.reservation` is not read: `russia` is war_bargaining",
        "its bar is the value of fighting on",
        "set `parties.russia.lookahead` or `parties.russia.cost_per_step` instead",
    ] {
        assert!(err.contains(says), "says `{says}`:\n{err}");
    }
    assert!(!out.exists(), "nothing written");
    assert!(o.stdout.is_empty(), "no summary printed");
}

#[test]
fn a_war_bargaining_reservation_is_refused_by_vary_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let sc = scenario("rationalist-explanations.toml");
    let o = zopa(&[
        "sweep",
        sc.to_str().unwrap(),
        "--vary",
        "parties.ukraine.reservation=0:1:3",
        "--runs",
        "5",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--vary parties.ukraine.reservation=0:1:3"),
        "{err}"
    );
    assert!(
        err.contains("is not read: `ukraine` is war_bargaining"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_field_an_archetype_does_not_read_is_no_path_no_factor_and_no_control() {
    let sc = load("rationalist-explanations.toml");
    for p in &sc.parties {
        assert!(p.archetype.unread(Field::Reservation).is_some());
        let path = format!("parties.{}.reservation", p.id);
        let err = sc.quantity(&path).unwrap_err();
        assert!(matches!(err, PathError::NotRead { .. }), "{err:?}");
        assert!(!sc.target_paths().contains(&path), "{path} suggested");
        assert!(
            !sensitivity::factors(&sc).iter().any(|f| f.path == path),
            "sensitivity lists {path}"
        );
        assert!(
            !edit::controls(&sc).iter().any(|c| c.path == path),
            "the page offers {path}"
        );
    }
    // Where the archetype reads it, everything offers it.
    let sc = load("budapest-cancelled.toml");
    let path = "parties.russia.reservation";
    assert!(sc.quantity(path).is_ok());
    assert!(sensitivity::factors(&sc).iter().any(|f| f.path == path));
    assert!(edit::controls(&sc).iter().any(|c| c.path == path));
}

#[test]
fn an_event_on_a_reservation_that_is_not_read_is_a_located_error() {
    let text = std::fs::read_to_string(scenario("rationalist-explanations.toml")).unwrap()
        + "\n[[events]]\nlabel = \"x\"\nat_step = 1\neffects = [{ target = \"parties.russia.reservation\", add = 0.1 }]\n";
    let err = zopa::scenario::parse(Path::new("war.toml"), text.clone()).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("is not read: `russia` is war_bargaining"),
        "{shown}"
    );
    let line = text
        .lines()
        .position(|l| l.contains("target = \"parties.russia.reservation\""))
        .unwrap()
        + 1;
    assert!(shown.contains(&format!("war.toml:{line}:")), "{shown}");
}

#[test]
fn a_floor_above_the_bar_is_refused_by_set_as_the_file_refuses_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results");
    let sc = scenario("budapest-cancelled.toml");
    let o = zopa(&[
        "run",
        sc.to_str().unwrap(),
        "--set",
        "parties.usa.floor=0.9",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--set parties.usa.floor=0.9"), "{err}");
    assert!(
        err.contains("the floor of `usa` is 0.9, above its starting bar 0.55"),
        "{err}"
    );
    assert!(err.contains("set floor at or below reservation"), "{err}");
    assert!(!out.exists(), "nothing written");
    // The file says the same of the same value.
    let text = std::fs::read_to_string(&sc)
        .unwrap()
        .replacen("floor = 0.3 ", "floor = 0.9 ", 1);
    let file = zopa::scenario::parse(Path::new("b.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(
        file.contains("the floor of `usa` is 0.9, above its starting bar 0.55"),
        "{file}"
    );
}

#[test]
fn a_refused_assignment_leaves_the_scenario_as_it_was() {
    let mut sc = load("budapest-cancelled.toml");
    let before = sc.clone();
    let a: Assignment = "parties.usa.floor=0.9".parse().unwrap();
    assert!(matches!(sc.assign(&a), Err(PathError::Conflict { .. })));
    assert_eq!(sc, before);
    // A lower bar below the floor is the same conflict from the other side.
    let a: Assignment = "parties.usa.reservation=0.2".parse().unwrap();
    assert!(matches!(sc.assign(&a), Err(PathError::Conflict { .. })));
    assert_eq!(sc, before);
    let a: Assignment = "parties.usa.floor=0.5".parse().unwrap();
    assert!(sc.assign(&a).is_ok());
    // The lookahead a war needs within the horizon, and red lines the
    // right way round, as the file requires them.
    let mut war = load("rationalist-explanations.toml");
    let a: Assignment = "parties.russia.lookahead=500".parse().unwrap();
    let e = war.assign(&a).unwrap_err();
    assert!(e.to_string().contains("beyond the horizon"), "{e}");
}

#[test]
fn a_sweep_whose_grid_crosses_the_floor_is_refused_before_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let sc = scenario("budapest-cancelled.toml");
    let o = zopa(&[
        "sweep",
        sc.to_str().unwrap(),
        "--vary",
        "parties.usa.floor=0:0.9:4",
        "--runs",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--vary parties.usa.floor=0:0.9:4"), "{err}");
    assert!(
        err.contains("the floor of `usa` is 0.6, above its starting bar 0.55"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
    assert!(o.stdout.is_empty(), "nothing printed");
}

#[test]
fn two_axes_that_clash_at_one_cell_are_refused_naming_the_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let sc = scenario("budapest-cancelled.toml");
    // Each axis fits the scenario alone (floor 0.3, bar 0.55 as written);
    // the cell with floor 0.5 and bar 0.3 does not.
    let o = zopa(&[
        "sweep",
        sc.to_str().unwrap(),
        "--vary",
        "parties.usa.floor=0:0.5:3",
        "--vary",
        "parties.usa.reservation=0.3:0.6:3",
        "--runs",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("at the cell parties.usa.floor=0.5, parties.usa.reservation=0.3"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn sensitivity_moves_a_value_only_as_far_as_the_file_could_hold_it() {
    let mut sc = load("budapest-cancelled.toml");
    // The bar 0.05 above the floor of 0.3: a quarter-span move of either
    // would cross the other.
    let a: Assignment = "parties.usa.reservation=0.35".parse().unwrap();
    sc.assign(&a).unwrap();
    let factors = sensitivity::factors(&sc);
    let of = |path: &str| {
        factors
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} listed"))
    };
    let bar = of("parties.usa.reservation");
    assert!((bar.low - 0.3).abs() < 1e-9, "{bar:?}");
    let floor = of("parties.usa.floor");
    assert!((floor.high - 0.35).abs() < 1e-9, "{floor:?}");
    for f in &factors {
        for v in [f.low, f.high] {
            let mut moved = sc.clone();
            assert!(
                moved.try_value(&f.path, f.target, v).is_ok(),
                "{} at {v}",
                f.path
            );
        }
    }
}
