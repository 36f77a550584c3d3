//! A job estimated above two hours of one core is refused before any work,
//! and the estimate counts the issues and the parties: the same steps that
//! take moments with one issue and two parties take hours with twelve
//! issues and forty.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/crowded.rs"]
mod crowded;

use cli::zopa;
use std::path::{Path, PathBuf};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

/// Writes the textbook grown to `issues` x `parties` into `dir`.
fn scenario(dir: &Path, issues: usize, parties: usize) -> PathBuf {
    let path = dir.join(format!("crowded-{issues}-{parties}.toml"));
    std::fs::write(&path, crowded::crowded(TEXTBOOK, issues, parties)).unwrap();
    path
}

/// Each command that can ask for a long job, with arguments that ask for
/// 5,000,000 runs' worth of its scenario's 12 steps or more.
fn long_jobs(file: &str, out: &str) -> Vec<Vec<String>> {
    let jobs: [&[&str]; 4] = [
        &["mc", file, "--runs", "5000000", "--out", out],
        &[
            "sweep",
            file,
            "--vary",
            "world.pressure=0:1:3",
            "--runs",
            "2000000",
            "--out",
            out,
        ],
        &["sensitivity", file, "--runs", "200000", "--out", out],
        &["report", file, "--sensitivity-runs", "200000", "--out", out],
    ];
    (jobs.iter())
        .map(|j| j.iter().map(|a| a.to_string()).collect())
        .collect()
}

/// An output path under a regular file: a job given it stops when it
/// prepares its folder, after the limit is checked and before any run.
fn unusable_out(dir: &Path) -> PathBuf {
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    file.join("results").join("report.html")
}

fn run(args: &[String]) -> std::process::Output {
    zopa(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn twelve_issues_and_forty_parties_are_refused_with_the_limit_the_estimate_and_force() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path(), 12, 40);
    let out = tmp.path().join("results");
    for job in long_jobs(file.to_str().unwrap(), out.to_str().unwrap()) {
        let o = run(&job);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", job[0]);
        for says in [
            "this job would take about",
            "with 12 issues and 40 parties",
            "above the limit of 2.0 hours",
            "help: lower --",
            "or pass --force",
        ] {
            assert!(err.contains(says), "{}: says `{says}`\n{err}", job[0]);
        }
        assert!(!out.exists(), "{}: nothing written", job[0]);
        assert!(o.stdout.is_empty(), "{}: no summary", job[0]);
    }
}

#[test]
fn the_help_names_the_flag_that_sets_the_jobs_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path(), 12, 40);
    let out = tmp.path().join("results");
    let jobs = long_jobs(file.to_str().unwrap(), out.to_str().unwrap());
    let help = |job: &[String]| {
        let err = String::from_utf8_lossy(&run(job).stderr).to_string();
        err.contains("lower --sensitivity-runs")
    };
    assert!(!help(&jobs[0]), "mc sets its runs with --runs");
    assert!(help(&jobs[3]), "report sets them with --sensitivity-runs");
}

#[test]
fn the_same_jobs_with_one_issue_and_two_parties_pass_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path(), 1, 2);
    let out = unusable_out(tmp.path());
    for job in long_jobs(file.to_str().unwrap(), out.to_str().unwrap()) {
        let err = String::from_utf8_lossy(&run(&job).stderr).to_string();
        assert!(!err.contains("would take about"), "{}: {err}", job[0]);
        assert!(err.contains("cannot create"), "{}: {err}", job[0]);
    }
}

#[test]
fn force_lets_a_refused_job_through_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path(), 12, 40);
    let out = unusable_out(tmp.path());
    for mut job in long_jobs(file.to_str().unwrap(), out.to_str().unwrap()) {
        job.push("--force".into());
        let err = String::from_utf8_lossy(&run(&job).stderr).to_string();
        assert!(!err.contains("would take about"), "{}: {err}", job[0]);
        assert!(err.contains("cannot create"), "{}: {err}", job[0]);
    }
}
