//! Sweeps: shards merge into exactly the unsharded result, paths are
//! checked, and the probabilities move with the swept value as they must.

use std::path::Path;
use std::process::Output;

#[path = "support/cli.rs"]
mod cli;
use cli::zopa;

fn ok(args: &[&str]) -> Output {
    let o = zopa(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

const SCENARIO: &str = "scenarios/sustained-pressure.toml";
const VARY_A: &str = "parties.europe.pressure_per_step=0:0.06:4";
const VARY_B: &str = "parties.russia.pressure_sensitivity=0.2:0.6:3";

#[test]
fn shards_merge_into_exactly_the_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    let parts = tmp.path().join("parts");
    let common = [
        "--vary", VARY_A, "--vary", VARY_B, "--runs", "150", "--seed", "4", "--quiet",
    ];
    let mut args = vec!["sweep", SCENARIO, "--out", whole.to_str().unwrap()];
    args.extend(common);
    ok(&args);
    // Three shards, one of them on a different number of threads.
    let mut shard_files = Vec::new();
    for (k, threads) in [("1/3", "1"), ("2/3", "2"), ("3/3", "1")] {
        let mut args = vec![
            "sweep",
            SCENARIO,
            "--out",
            parts.to_str().unwrap(),
            "--shard",
            k,
            "--threads",
            threads,
        ];
        args.extend(common);
        ok(&args);
        let (k, n) = k.split_once('/').unwrap();
        shard_files.push(
            parts
                .join(format!("sweep-shard-{k}-of-{n}.csv"))
                .to_string_lossy()
                .into_owned(),
        );
    }
    // Shards write only their own file.
    assert_eq!(std::fs::read_dir(&parts).unwrap().count(), 3);
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge", "--out", merged.to_str().unwrap(), "-q"];
    args.extend(shard_files.iter().map(String::as_str));
    ok(&args);
    for f in ["sweep.csv", "sweep.svg"] {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f} of the merged shards equals the unsharded one"
        );
    }
    let table = std::fs::read_to_string(whole.join("sweep.csv")).unwrap();
    // The provenance line, the header, a row per cell.
    assert_eq!(table.lines().count(), 2 + 4 * 3);
    assert!(table.starts_with("# zopa {\"command\":\"sweep\""));
    assert!(table.lines().nth(1).unwrap().starts_with(
        "parties.europe.pressure_per_step,parties.russia.pressure_sensitivity,runs,p_zone"
    ));

    // A missing or doubled shard is refused.
    let o = zopa(&[
        "merge",
        "--out",
        merged.to_str().unwrap(),
        &shard_files[0],
        &shard_files[1],
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shard 3 of 3 is missing"));
    let o = zopa(&[
        "merge",
        "--out",
        merged.to_str().unwrap(),
        &shard_files[0],
        &shard_files[0],
        &shard_files[2],
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("given twice"));
}

#[test]
fn more_pressure_per_step_makes_a_zone_more_likely() {
    // Without the offensive that closeness triggers, so that pressure alone
    // decides (a --set variant of the scenario).
    let tmp = tempfile::tempdir().unwrap();
    ok(&[
        "sweep",
        SCENARIO,
        "--vary",
        "parties.europe.pressure_per_step=0:0.06:7",
        "--set",
        "events.offensive.probability=0",
        // The freeze reading of Ukraine's line, where pressure can open a zone.
        "--set",
        "parties.ukraine.red_lines.territory.max=0",
        "--runs",
        "300",
        "--out",
        tmp.path().to_str().unwrap(),
        "-q",
    ]);
    let table = std::fs::read_to_string(tmp.path().join("sweep.csv")).unwrap();
    let p: Vec<f64> = table
        .lines()
        .skip(2)
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(p.len(), 7);
    assert!(
        p[0] < 0.05,
        "no pressure added: almost never a zone ({})",
        p[0]
    );
    assert!(p[6] > 0.5, "much pressure: a zone in most runs ({})", p[6]);
    assert!(
        p.windows(2).all(|w| w[1] >= w[0] - 0.05),
        "rises with pressure: {p:?}"
    );
    assert!(tmp.path().join("sweep.png").exists());
}

#[test]
fn an_event_probability_can_be_swept() {
    // Zone by the end of the horizon rises with the chance of the event
    // that offers it; with probability 0 the baseline never opens.
    let tmp = tempfile::tempdir().unwrap();
    let o = ok(&[
        "sweep",
        "scenarios/budapest-cancelled.toml",
        "--vary",
        "events.7.probability=0:1:3",
        "--runs",
        "50",
        "--out",
        tmp.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cells"].as_array().unwrap().len(), 3);
    assert_eq!(v["meta"]["axes"][0]["path"], "events.7.probability");
}

#[test]
fn unknown_or_unsweepable_paths_are_clear_errors() {
    let cases = [
        (
            "parties.russia.pressure_sensitivty=0:1:3",
            "did you mean `parties.russia.pressure_sensitivity`?",
        ),
        (
            "parties.rusia.stall=0:1:3",
            "did you mean `parties.russia.stall`?",
        ),
        (
            "world.pressure=0:2:3",
            "outside the allowed range of `world.pressure`, 0 to 1",
        ),
        ("world.pressure=0:1", "is not FROM:TO:STEPS"),
        ("world.pressure", "has no `=`"),
        ("parties.usa.engaged=0:1:2", "is a switch"),
        ("scenario.name=0:1:2", "is not a numeric field"),
        // A sweep is a grid of numbers: options are swept by position.
        (
            "world.pressure=low:1:3",
            "FROM `low` is not a finite number (a sweep over a discrete issue's ideal gives options' positions, 0 to n - 1)",
        ),
    ];
    for (spec, says) in cases {
        let o = zopa(&[
            "sweep",
            SCENARIO,
            "--vary",
            spec,
            "--runs",
            "10",
            "--out",
            "/nonexistent/never",
        ]);
        assert_eq!(o.status.code(), Some(2), "{spec}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{spec}: expected `{says}` in\n{err}");
    }
    assert!(!Path::new("/nonexistent/never").exists());
}
