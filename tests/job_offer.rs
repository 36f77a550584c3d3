//! The bundled job offer against the hand calculation in its header, and
//! every command a class would run on it.

use std::path::Path;
use std::process::Command;

fn scenario() -> zopa::model::Scenario {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    zopa::scenario::load(&root.join("scenarios/job-offer.toml")).expect("the scenario loads")
}

#[test]
fn the_job_offer_zone_nash_point_and_logrolling_gain_match_its_header() {
    let sc = scenario();
    let tl = zopa::sim::run(&sc, 1);
    let s = &tl.steps[0];
    // Gap -5/36, the shortfalls meeting at s = 7/9 without remote work.
    assert!((s.gap + 5.0 / 36.0).abs() < 1e-9, "gap {}", s.gap);
    // Both options of remote work are in the zone.
    assert_eq!(s.options_in_zone[3], vec![0, 1]);
    // Nash: salary 74.375, start now, the full bonus, no remote work.
    assert!(s.point_is_nash);
    let nash = &s.point;
    for (k, want) in [74.375, 0.0, 10.0, 0.0].into_iter().enumerate() {
        assert!((nash[k] - want).abs() < 1e-6, "nash {nash:?}");
    }
    // Splitting every issue down the middle leaves 7/90 for both to gain.
    let split = [65.0, 6.0, 5.0, 0.0];
    let room = zopa::outcome::pareto_room(&sc, s, &split);
    assert!((room - 7.0 / 90.0).abs() < 1e-9, "room {room}");
    // Every deal lies in the zone and takes an option.
    for seed in 1..=20 {
        if let zopa::sim::Outcome::Deal { settlement, .. } = zopa::sim::run(&sc, seed).outcome {
            assert!(
                settlement[3] == 0.0 || settlement[3] == 1.0,
                "{settlement:?}"
            );
        }
    }
}

fn zopa(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{args:?}: {err}");
    assert!(!err.contains("panicked"));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_command_a_class_runs_works_on_the_job_offer() {
    let tmp = tempfile::tempdir().unwrap();
    let out = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let file = "scenarios/job-offer.toml";
    let run = zopa(&["run", file, "--out", &out("run")]);
    assert!(
        run.contains("remote: no") || run.contains("remote: yes"),
        "{run}"
    );
    zopa(&["mc", file, "--runs", "200", "--quiet", "--out", &out("mc")]);
    zopa(&[
        "sensitivity",
        file,
        "--runs",
        "20",
        "--quiet",
        "--out",
        &out("sens"),
    ]);
    zopa(&["report", file, "--out", &out("report.html")]);
    zopa(&["lesson", file, "--out", &out("lesson")]);
    for written in [
        "run/issues.png",
        "run/outcome.png",
        "mc",
        "sens",
        "report.html",
        "lesson",
    ] {
        assert!(tmp.path().join(written).exists(), "{written} written");
    }
}
