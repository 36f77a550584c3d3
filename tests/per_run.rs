//! `--per-run` writes one row per run that agrees with the run replayed
//! alone, the same bytes for any thread count, and as many rows as runs.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn zopa(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .output()
        .expect("the zopa binary runs");
    assert!(
        o.status.success(),
        "zopa {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

fn s(p: &Path) -> String {
    p.to_str().expect("UTF-8 path").to_string()
}

/// The data rows of a CSV file (past its `#` line), split into cells, with
/// the header.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("the file was written");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let head = split(lines.next().expect("a header"));
    (head, lines.map(split).collect())
}

fn cell<'a>(head: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = head.iter().position(|h| h == name).expect("a column");
    &row[i]
}

#[test]
fn run_zero_of_each_seed_is_what_zopa_run_reports_for_that_seed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let baseline = root().join("scenarios/budapest-cancelled.toml");
    let textbook = root().join("scenarios/textbook.toml");
    for (sc, seed) in [(&baseline, "3"), (&textbook, "7"), (&textbook, "11")] {
        let mc = tmp.path().join(format!("mc-{seed}"));
        zopa(
            &["mc", &s(sc), "--runs", "5", "--seed", seed, "--per-run"]
                .into_iter()
                .chain(["--quiet", "--out", &s(&mc)])
                .collect::<Vec<_>>(),
        );
        let (head, rows) = table(&mc.join("runs.csv"));
        assert_eq!(rows.len(), 5);
        let run0 = &rows[0];
        assert_eq!(cell(&head, run0, "run"), "0");
        assert_eq!(cell(&head, run0, "seed"), seed);
        let printed = zopa(
            &["run", &s(sc), "--seed", seed, "--no-charts"]
                .into_iter()
                .chain([
                    "--format",
                    "json",
                    "--quiet",
                    "--out",
                    &s(&tmp.path().join(seed)),
                ])
                .collect::<Vec<_>>(),
        );
        let j: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::Null => String::new(),
            v => v.to_string(),
        };
        assert_eq!(cell(&head, run0, "deal_step"), text(&j["deal_step"]));
        assert_eq!(
            cell(&head, run0, "first_zone_step"),
            text(&j["first_zone_step"])
        );
        assert_eq!(
            cell(&head, run0, "smallest_gap_step"),
            text(&j["smallest_gap_step"])
        );
        let gap: f64 = cell(&head, run0, "smallest_gap").parse().expect("a number");
        assert_eq!(gap, j["smallest_gap"].as_f64().expect("a gap"));
        if let Some(settlement) = j["settlement"].as_array() {
            for v in settlement {
                let issue = v["issue"].as_str().expect("an issue id");
                let got: f64 = cell(&head, run0, &format!("settlement_{issue}"))
                    .parse()
                    .expect("a settlement");
                assert_eq!(got, v["value"].as_f64().expect("a value"), "{issue}");
            }
        }
    }
}

#[test]
fn later_runs_match_their_streams_replayed_alone() {
    let sc = zopa::scenario::load(&root().join("scenarios/budapest-cancelled.toml"))
        .expect("the baseline loads");
    let tmp = tempfile::tempdir().expect("temp dir");
    let mc = tmp.path().join("mc");
    let file = root().join("scenarios/budapest-cancelled.toml");
    zopa(
        &["mc", &s(&file), "--runs", "600", "--seed", "5", "--per-run"]
            .into_iter()
            .chain(["--quiet", "--out", &s(&mc)])
            .collect::<Vec<_>>(),
    );
    let (head, rows) = table(&mc.join("runs.csv"));
    let (_, events) = table(&mc.join("run-events.csv"));
    assert_eq!(rows.len(), 600);
    for run in [1u64, 299, 513, 599] {
        let tl = zopa::sim::run_stream(&sc, 5, &mut zopa::rng::stream(5, run));
        let row = &rows[run as usize];
        assert_eq!(cell(&head, row, "run"), run.to_string());
        let first = tl.first_zone().map(|s| s.to_string()).unwrap_or_default();
        assert_eq!(cell(&head, row, "first_zone_step"), first, "run {run}");
        let smallest = tl.steps.iter().map(|s| s.gap).fold(f64::INFINITY, f64::min);
        let got: f64 = cell(&head, row, "smallest_gap").parse().expect("a gap");
        assert_eq!(got, smallest, "run {run}");
        let fired: Vec<String> = tl
            .steps
            .iter()
            .flat_map(|s| s.events.iter().map(move |&e| (s.step, e)))
            .map(|(step, e)| format!("{step},{}", sc.events[e].id.clone().unwrap_or_default()))
            .collect();
        let written: Vec<String> = events
            .iter()
            .filter(|r| r[0] == run.to_string())
            .map(|r| format!("{},{}", r[1], r[2]))
            .collect();
        assert_eq!(written, fired, "run {run}");
    }
}

#[test]
fn per_run_files_are_the_same_bytes_for_one_and_two_threads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = root().join("scenarios/budapest-cancelled.toml");
    let textbook = root().join("scenarios/textbook.toml");
    for threads in ["1", "2", "7"] {
        let out = tmp.path().join(format!("mc-{threads}"));
        zopa(
            &[
                "mc",
                &s(&file),
                "--runs",
                "3000",
                "--per-run",
                "--threads",
                threads,
            ]
            .into_iter()
            .chain(["--quiet", "--out", &s(&out)])
            .collect::<Vec<_>>(),
        );
        let out = tmp.path().join(format!("sweep-{threads}"));
        let vary = "parties.seller.reservation=0.2:0.8:4";
        zopa(
            &["sweep", &s(&textbook), "--vary", vary, "--runs", "700"]
                .into_iter()
                .chain([
                    "--per-run",
                    "--threads",
                    threads,
                    "--quiet",
                    "--out",
                    &s(&out),
                ])
                .collect::<Vec<_>>(),
        );
    }
    for name in ["mc", "sweep"] {
        for f in ["runs.csv", "run-events.csv"] {
            let one = std::fs::read(tmp.path().join(format!("{name}-1")).join(f)).expect("1");
            for threads in ["2", "7"] {
                let other = std::fs::read(tmp.path().join(format!("{name}-{threads}")).join(f))
                    .expect("file");
                assert!(one == other, "{name}/{f} differs with {threads} threads");
            }
        }
    }
    let (head, rows) = table(&tmp.path().join("sweep-1/runs.csv"));
    assert_eq!(rows.len(), 4 * 700);
    let cells: Vec<&str> = rows.iter().map(|r| cell(&head, r, "cell")).collect();
    assert!(cells.windows(2).all(|w| w[0] <= w[1]), "rows in cell order");
}

#[test]
fn run_without_charts_writes_only_data() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = root().join("scenarios/textbook.toml");
    zopa(&[
        "run",
        &s(&file),
        "--no-charts",
        "--quiet",
        "--out",
        &s(tmp.path()),
    ]);
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("the folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected = [
        "events.csv",
        "issues.csv",
        "parties.csv",
        "summary.json",
        "timeline.csv",
    ];
    assert_eq!(names, expected);
}

#[test]
fn sharded_per_run_files_merge_into_exactly_the_unsharded_sweeps() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = s(&root().join("scenarios/budapest-cancelled.toml"));
    let sweep = |extra: &[&str], out: &Path| {
        let mut args = vec![
            "sweep",
            file.as_str(),
            "--vary",
            "world.pressure=0.1:0.9:5",
            "--runs",
            "40",
            "--seed",
            "3",
            "--per-run",
            "--quiet",
        ];
        args.extend(extra);
        let out = s(out);
        args.extend(["--out", out.as_str()]);
        zopa(&args);
    };
    let whole = tmp.path().join("whole");
    sweep(&[], &whole);
    // Three shards of five cells (two, two and one), into one folder.
    let shards = tmp.path().join("shards");
    for (k, threads) in [("1/3", "1"), ("2/3", "2"), ("3/3", "1")] {
        sweep(&["--shard", k, "--threads", threads], &shards);
    }
    let (head, rows) = table(&shards.join("runs-shard-2-of-3.csv"));
    let cells: Vec<&str> = rows.iter().map(|r| cell(&head, r, "cell")).collect();
    assert_eq!(rows.len(), 2 * 40, "shard 2 holds cells 1 and 4");
    assert!(cells.iter().all(|c| *c == "1" || *c == "4"), "{cells:?}");
    let shard_files: Vec<String> = (1..=3)
        .map(|k| s(&shards.join(format!("sweep-shard-{k}-of-3.csv"))))
        .collect();
    // Given in any order.
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge", &shard_files[2], &shard_files[0], &shard_files[1]];
    let out = s(&merged);
    args.extend(["--out", out.as_str(), "--quiet"]);
    zopa(&args);
    for f in ["sweep.csv", "runs.csv", "run-events.csv"] {
        let a = std::fs::read(whole.join(f)).expect("unsharded");
        let b = std::fs::read(merged.join(f)).expect("merged");
        assert!(
            a == b,
            "{f} of the merged shards differs from the unsharded one"
        );
    }
    let (_, events) = table(&merged.join("run-events.csv"));
    assert!(
        !events.is_empty(),
        "events fired, so their order is checked"
    );

    // A shard without its per-run files, beside shards with them, is
    // refused by name rather than merged into a short file.
    std::fs::remove_file(shards.join("run-events-shard-3-of-3.csv")).expect("removed");
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["merge", &shard_files[0], &shard_files[1], &shard_files[2]])
        .args(["--out", &s(&tmp.path().join("refused")), "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("run-events-shard-3-of-3.csv is missing"),
        "{err}"
    );
    assert!(!tmp.path().join("refused/runs.csv").exists());
    // Without any per-run files the table alone is merged, as before.
    for k in 1..=3 {
        for f in [
            format!("runs-shard-{k}-of-3.csv"),
            format!("run-events-shard-{k}-of-3.csv"),
        ] {
            let _ = std::fs::remove_file(shards.join(f));
        }
    }
    let table_only = tmp.path().join("table-only");
    zopa(&[
        "merge",
        &shard_files[0],
        &shard_files[1],
        &shard_files[2],
        "--out",
        &s(&table_only),
        "--quiet",
    ]);
    assert!(table_only.join("sweep.csv").is_file());
    assert!(!table_only.join("runs.csv").exists());
}

#[test]
fn a_shards_per_run_file_from_another_sweep_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = s(&root().join("scenarios/textbook.toml"));
    let dir = tmp.path().join("shards");
    let out = s(&dir);
    for (k, seed) in [("1/2", "1"), ("2/2", "1")] {
        zopa(&[
            "sweep",
            &file,
            "--vary",
            "parties.seller.reservation=0:1:3",
            "--runs",
            "5",
            "--seed",
            seed,
            "--per-run",
            "--shard",
            k,
            "--quiet",
            "--out",
            &out,
        ]);
    }
    // Shard 2's per-run files replaced by those of a sweep with another seed.
    let other = tmp.path().join("other");
    zopa(&[
        "sweep",
        &file,
        "--vary",
        "parties.seller.reservation=0:1:3",
        "--runs",
        "5",
        "--seed",
        "2",
        "--per-run",
        "--shard",
        "2/2",
        "--quiet",
        "--out",
        &s(&other),
    ]);
    for f in ["runs-shard-2-of-2.csv", "run-events-shard-2-of-2.csv"] {
        std::fs::copy(other.join(f), dir.join(f)).expect("copied");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "merge",
            &s(&dir.join("sweep-shard-1-of-2.csv")),
            &s(&dir.join("sweep-shard-2-of-2.csv")),
        ])
        .args(["--out", &s(&tmp.path().join("merged")), "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("runs-shard-2-of-2.csv"), "{err}");
    assert!(err.contains("does not record this sweep"), "{err}");
}
