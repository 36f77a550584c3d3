//! `--threads` is bounded on every command that takes it: more than four
//! threads per core only adds switching between them, so a larger count is
//! refused before any work, with exit code 2 and a message that names the
//! machine's cores and the largest count allowed. The bound itself runs.

use std::path::Path;
use std::process::{Command, Output};

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/textbook.toml");

fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Each command that takes `--threads`, writing into `out`.
fn commands(out: &Path, threads: &str) -> Vec<Vec<String>> {
    let out = out.to_str().expect("a UTF-8 temporary path").to_string();
    let report = format!("{out}/report.html");
    let cases: [&[&str]; 4] = [
        &["mc", SCENARIO, "--runs", "4"],
        &[
            "sweep",
            SCENARIO,
            "--vary",
            "parties.seller.reservation=0:1:3",
            "--runs",
            "2",
        ],
        &["sensitivity", SCENARIO, "--runs", "2"],
        &[
            "report",
            SCENARIO,
            "--sensitivity-runs",
            "1",
            "--out",
            &report,
        ],
    ];
    cases
        .iter()
        .map(|c| {
            let mut args: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            if c[0] != "report" {
                args.extend(["--out".into(), out.clone()]);
            }
            args.extend(["--quiet".into(), "--threads".into(), threads.into()]);
            args
        })
        .collect()
}

#[test]
fn thousands_of_threads_are_refused_on_every_command_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let limit = 4 * cores();
    for args in commands(&out, "5000") {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = zopa(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("error: --threads 5000 is more than this machine can use"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(&format!("{} core(s), and at most {limit} threads", cores())),
            "{err}"
        );
        assert!(err.contains("help: pass --threads"), "{err}");
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
}

#[test]
fn the_largest_count_allowed_runs_and_one_more_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let limit = 4 * cores();
    let at = zopa(
        &commands(dir.path(), &limit.to_string())[0]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(
        at.status.success(),
        "{}",
        String::from_utf8_lossy(&at.stderr)
    );
    assert!(dir.path().join("mc.csv").exists());
    let over = (limit + 1).to_string();
    let above = zopa(
        &commands(dir.path(), &over)[0]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(above.status.code(), Some(2));
}
