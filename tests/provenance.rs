//! Every file says what made it: each CSV opens with a `# zopa {...}` line
//! naming the command, scenario, seed, runs and `--set` variant, and every
//! JSON document holds the same; `--format json --quiet` prints the JSON
//! and nothing else; interval ends are exactly 0 and 1.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn zopa(args: &[&str]) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the zopa binary runs");
    assert!(
        o.status.success(),
        "zopa {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn provenance(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("written");
    let first = text.lines().next().expect("a first line");
    let json = first
        .strip_prefix("# zopa ")
        .unwrap_or_else(|| panic!("{} opens with `{first}`", path.display()));
    serde_json::from_str(json).expect("the provenance is JSON")
}

const SET: &str = "parties.seller.reservation=0.35";

#[test]
fn every_csv_names_its_command_scenario_seed_runs_and_variant() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = |name: &str| tmp.path().join(name).display().to_string();
    let sc = "scenarios/textbook.toml";
    let set = ["--set", SET, "--seed", "9", "--quiet"];
    let with =
        |args: &[&str]| -> Vec<String> { args.iter().chain(&set).map(|s| s.to_string()).collect() };
    let run = with(&["run", sc, "--no-charts", "--out", &out("run")]);
    let mc = with(&["mc", sc, "--runs", "30", "--per-run", "--out", &out("mc")]);
    let vary = "world.pressure=0:1:2";
    let sweep = with(&["sweep", sc, "--vary", vary, "--runs", "20", "--per-run"]);
    let sweep: Vec<String> = sweep
        .into_iter()
        .chain(["--out".into(), out("sweep")])
        .collect();
    let sens = with(&["sensitivity", sc, "--runs", "10", "--out", &out("sens")]);
    for args in [&run, &mc, &sweep, &sens] {
        zopa(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let files = [
        (
            "run",
            "run",
            1,
            &["timeline.csv", "parties.csv", "issues.csv", "events.csv"][..],
        ),
        (
            "mc",
            "mc",
            30,
            &["mc.csv", "runs.csv", "run-events.csv"][..],
        ),
        (
            "sweep",
            "sweep",
            20,
            &["sweep.csv", "runs.csv", "run-events.csv"][..],
        ),
        ("sens", "sensitivity", 10, &["sensitivity.csv"][..]),
    ];
    for (dir, command, runs, names) in files {
        for name in names {
            let p = provenance(&tmp.path().join(dir).join(name));
            assert_eq!(p["command"], command, "{dir}/{name}");
            assert_eq!(p["scenario"], "textbook", "{dir}/{name}");
            assert_eq!(p["seed"], 9, "{dir}/{name}");
            assert_eq!(p["runs"], runs, "{dir}/{name}");
            assert_eq!(p["variant"][0]["path"], "parties.seller.reservation");
            assert_eq!(p["variant"][0]["to"], 0.35, "{dir}/{name}");
        }
    }
    for (dir, name) in [
        ("run", "summary.json"),
        ("mc", "mc-summary.json"),
        ("sens", "sensitivity.json"),
    ] {
        let text = std::fs::read_to_string(tmp.path().join(dir).join(name)).expect("written");
        let j: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(j["scenario"], "textbook", "{name}");
        assert_eq!(j["seed"], 9, "{name}");
        assert!(j["runs"].is_u64(), "{name}");
        assert_eq!(j["variant"][0]["from"], 0.4, "{name}");
    }
}

#[test]
fn json_with_quiet_prints_the_json_and_nothing_else() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = |name: &str| tmp.path().join(name).display().to_string();
    let sc = "scenarios/textbook.toml";
    let vary = "world.pressure=0:1:3";
    let cases: Vec<Vec<String>> = vec![
        vec!["run".into(), sc.into(), "--out".into(), out("r")],
        vec![
            "mc".into(),
            sc.into(),
            "--runs".into(),
            "20".into(),
            "--out".into(),
            out("m"),
        ],
        ["sweep", sc, "--vary", vary, "--runs", "5", "--out"]
            .iter()
            .map(|s| s.to_string())
            .chain([out("s")])
            .collect(),
        ["sensitivity", sc, "--runs", "5", "--out"]
            .iter()
            .map(|s| s.to_string())
            .chain([out("n")])
            .collect(),
    ];
    for args in cases {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--format", "json", "--quiet"]);
        let o = zopa(&args);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON alone: {e}"));
        assert!(v.is_object(), "{args:?}");
        assert!(o.stderr.is_empty(), "{args:?} wrote to stderr");
    }
}

#[test]
fn the_sweep_json_holds_each_cells_values_and_interval_ends_are_exact() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().display().to_string();
    let vary = "parties.seller.reservation=0:1:3";
    let o = zopa(&[
        "sweep",
        "scenarios/textbook.toml",
        "--vary",
        vary,
        "--runs",
        "50",
        "--format",
        "json",
        "--quiet",
        "--out",
        &out,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let values: Vec<f64> = v["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| c["values"][0].as_f64().expect("a value"))
        .collect();
    assert_eq!(values, [0.0, 0.5, 1.0]);
    // A bar of 0 leaves a deal in every run and a bar of 1 in none: the
    // Wilson interval ends there are exactly 1 and 0.
    let table = std::fs::read_to_string(tmp.path().join("sweep.csv")).expect("written");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(2)
        .map(|l| l.split(',').collect())
        .collect();
    let (all, none) = (&rows[0], &rows[2]);
    assert_eq!([all[5], all[7]], ["1", "1"]);
    assert_eq!([none[5], none[6]], ["0", "0"]);
    // With no success the upper end is z^2 / (n + z^2) in closed form.
    let z2 = 1.959_963_984_540_054_f64.powi(2);
    let upper: f64 = none[7].parse().expect("a number");
    assert!((upper - z2 / (50.0 + z2)).abs() < 1e-12, "{upper}");
    let lower: f64 = all[6].parse().expect("a number");
    assert!((lower - 50.0 / (50.0 + z2)).abs() < 1e-12, "{lower}");
}

#[test]
fn shards_of_different_variants_do_not_merge() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().display().to_string();
    let vary = "world.pressure=0:1:2";
    for (k, set) in [("1/2", "parties.seller.reservation=0.3"), ("2/2", SET)] {
        zopa(&[
            "sweep",
            "scenarios/textbook.toml",
            "--vary",
            vary,
            "--runs",
            "5",
            "--shard",
            k,
            "--set",
            set,
            "--quiet",
            "--out",
            &dir,
        ]);
    }
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["merge", "--out", &dir])
        .args(["sweep-shard-1-of-2.csv", "sweep-shard-2-of-2.csv"].map(|f| format!("{dir}/{f}")))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("different sweep"));
}
