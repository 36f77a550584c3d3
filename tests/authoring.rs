//! `docs/authoring.md`: its worked example runs as written, and every
//! number its hand calculation states is what `zopa` computes.

use std::process::{Command, Output};

const DOC: &str = include_str!("../docs/authoring.md");

fn zopa(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

/// The example's file, as the page shows it.
fn example() -> String {
    let start = DOC.find("```toml\n").expect("a TOML block") + "```toml\n".len();
    let len = DOC[start..].find("```").expect("its end");
    DOC[start..start + len].to_string()
}

/// The commands the page gives, each line of the indented block after
/// "Save it as".
fn commands() -> Vec<Vec<String>> {
    let after = &DOC[DOC.find("Save it as").expect("the commands")..];
    after
        .lines()
        .skip_while(|l| !l.starts_with("    zopa"))
        .take_while(|l| l.starts_with("    zopa"))
        .map(|l| l.split_whitespace().skip(1).map(str::to_string).collect())
        .collect()
}

#[test]
fn the_worked_example_runs_as_written_and_matches_its_hand_calculation() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("plant-strike.toml"), example()).expect("write");
    let cmds = commands();
    assert_eq!(cmds.len(), 3, "{cmds:?}");
    for c in &cmds {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        let o = zopa(tmp.path(), &args);
        assert!(
            o.status.success(),
            "{c:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = zopa(
        tmp.path(),
        &[
            "run",
            "plant-strike.toml",
            "--format",
            "json",
            "--quiet",
            "--no-charts",
        ],
    );
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(j["outcome"], "deal");
    assert_eq!(j["first_zone_step"], 10);
    assert_eq!(j["deal_step"], 10);
    let near = |v: &serde_json::Value, x: f64| (v.as_f64().expect("number") - x).abs() < 1e-6;
    let zone = &j["first_zone_extent"][0];
    assert!(
        near(&zone["low"], 15.0) && near(&zone["high"], 15.6),
        "{zone}"
    );
    assert!(near(&j["first_zone_nash"][0]["value"], 15.3), "{j}");
    let o = zopa(
        tmp.path(),
        &[
            "value",
            "plant-strike.toml",
            "--at",
            "wage=15.3",
            "--step",
            "10",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["agreed"], true, "{v}");
    assert!(near(&v["parties"][1]["bar"], 0.48), "{v}");
}
