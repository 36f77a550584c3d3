//! A scenario at the format's limits, 12 issues and 40 parties, one of them
//! a bloc of 30 members, goes through every command that runs a scenario:
//! each writes what it writes for a small scenario, sized to the large one.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/crowded.rs"]
mod crowded;

use cli::zopa;
use std::path::{Path, PathBuf};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");
const ISSUES: usize = 12;
const PARTIES: usize = 40;

/// The textbook at 12 issues with 39 parties, and a 40th: a bloc of 30
/// members deciding by two-thirds of their votes, the first member's bar
/// 0.20 and each next one 0.01 higher.
fn largest(dir: &Path) -> PathBuf {
    let text = crowded::crowded(TEXTBOOK, ISSUES, PARTIES - 1);
    let wants: String = (1..ISSUES).map(|k| format!(", extra{k} = 0.5")).collect();
    let members: Vec<String> = (1..=30)
        .map(|m| {
            format!(
                "{{ id = \"member{m}\", name = \"Member {m}\", reservation = {:.2} }}",
                0.19 + 0.01 * m as f64
            )
        })
        .collect();
    let bloc = format!(
        "[[parties]]\nid = \"bloc\"\nname = \"Bloc\"\ncolour = \"#56b4e9\"\n\
         archetype = \"sustained_pressure\"\nveto = true\n\
         ideal = {{ price = 0{wants} }}\n\n\
         [parties.bloc]\nrule = \"qualified_majority\"\nquota = 0.66\n\
         members = [\n  {}\n]\n\n",
        members.join(",\n  ")
    );
    let text = text.replacen("[world]", &format!("{bloc}[world]"), 1);
    let path = dir.join("largest.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn ok(args: &[&str]) -> String {
    let out = zopa(args);
    assert!(
        out.status.success(),
        "zopa {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn csv_header(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
    // A provenance comment (`# zopa {...}`) may come first.
    let header = (text.lines())
        .find(|l| !l.starts_with('#'))
        .expect("a header row");
    header.split(',').map(str::to_string).collect()
}

fn rows(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().filter(|l| !l.starts_with('#')).count() - 1
}

#[test]
fn twelve_issues_and_forty_parties_run_through_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let file = largest(dir.path());
    let file = file.to_str().unwrap();
    let out = |name: &str| dir.path().join(name);
    let at = |name: &str| out(name).to_str().unwrap().to_string();

    // run: one band per party and one column of the zone per issue.
    ok(&["run", file, "-q", "--out", &at("run")]);
    let header = csv_header(&out("run").join("timeline.csv"));
    let bands = header
        .iter()
        .filter(|h| h.starts_with("range_low_"))
        .count();
    assert_eq!(bands, PARTIES, "{header:?}");
    let zone_cols = header.iter().filter(|h| h.starts_with("zone_low_")).count();
    assert_eq!(zone_cols, ISSUES, "{header:?}");
    assert_eq!(rows(&out("run").join("issues.csv")), ISSUES);

    // explain names the member whose yes completes the bloc's majority:
    // the 20th of 30 (two-thirds of 30 votes is 19.8).
    let text = ok(&["explain", file]);
    assert!(text.contains("Member 20"), "{text}");

    // mc: a row per run, each settled issue a column.
    ok(&[
        "mc",
        file,
        "--runs",
        "3",
        "--per-run",
        "--force",
        "-q",
        "--out",
        &at("mc"),
    ]);
    assert_eq!(rows(&out("mc").join("runs.csv")), 3);
    let runs = csv_header(&out("mc").join("runs.csv"));
    let settled = runs.iter().filter(|h| h.starts_with("settlement_")).count();
    assert_eq!(settled, ISSUES, "{runs:?}");

    // sweep: one row per cell.
    ok(&[
        "sweep",
        file,
        "--vary",
        "world.pressure=0:1:2",
        "--runs",
        "2",
        "--force",
        "-q",
        "--out",
        &at("sweep"),
    ]);
    assert_eq!(rows(&out("sweep").join("sweep.csv")), 2);

    // sensitivity and the report: written, and the report lists the bloc.
    ok(&[
        "sensitivity",
        file,
        "--runs",
        "2",
        "--force",
        "-q",
        "--out",
        &at("sens"),
    ]);
    assert!(rows(&out("sens").join("sensitivity.csv")) > 0);
    ok(&[
        "report",
        file,
        "--sensitivity-runs",
        "2",
        "--force",
        "-q",
        "--out",
        &at("report.html"),
    ]);
    let html = std::fs::read_to_string(out("report.html")).unwrap();
    assert!(html.contains("Member 30"), "the report lists every member");
}
