//! Every pandas and R snippet of `docs/analysis.md` runs on files the
//! binary has just written, and its answer agrees with the CSV files
//! (read here independently: the blocker shares from `timeline.csv`'s
//! packed columns, the survival curve from `mc.csv`'s `p_zone_by`).
//!
//! Without pandas or R the test is skipped, unless `ZOPA_REQUIRE_ANALYSIS`
//! is set (as `.ci/run` does), when it fails instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const DOC: &str = include_str!("../docs/analysis.md");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fenced blocks of one language, in order.
fn blocks(lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    DOC.split(fence.as_str())
        .skip(1)
        .map(|rest| {
            rest.split("```")
                .next()
                .expect("a closing fence")
                .to_string()
        })
        .collect()
}

/// A command that runs `code` with `lang`'s interpreter, if one with the
/// packages the snippets need is installed.
fn interpreter(lang: &str) -> Option<Vec<String>> {
    let candidates: Vec<Vec<&str>> = match lang {
        "python" => vec![
            vec!["python3", "-c", "import pandas"],
            vec!["/usr/bin/python3", "-c", "import pandas"],
        ],
        _ => vec![vec![
            "Rscript",
            "-e",
            "library(readr); library(dplyr); library(tidyr)",
        ]],
    };
    candidates.into_iter().find_map(|c| {
        let ok = Command::new(c[0])
            .args(&c[1..])
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| vec![c[0].to_string(), c[1].to_string()])
    })
}

fn zopa(dir: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .arg("--quiet")
        .current_dir(dir)
        .output()
        .expect("the zopa binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A CSV text past its `#` lines, as rows of named cells (no cell the
/// checks read is quoted).
fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    let head: Vec<String> = lines
        .next()
        .expect("a header")
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            head.iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

fn file_rows(dir: &Path, name: &str) -> Vec<BTreeMap<String, String>> {
    rows(&std::fs::read_to_string(dir.join(name)).expect("written"))
}

fn number(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("`{s}` is not a number"))
}

/// An answer: (key in the first column, column) to value.
type Answer = BTreeMap<(String, String), f64>;

fn answer(text: &str) -> Answer {
    let key_col = text
        .lines()
        .next()
        .and_then(|h| h.split(',').next())
        .expect("a header with a first column");
    let mut out = Answer::new();
    for row in rows(text) {
        let key = format!("{}", number(&row[key_col]));
        for (col, v) in row.iter().filter(|(c, _)| c.as_str() != key_col) {
            out.insert((key.clone(), col.clone()), number(v));
        }
    }
    out
}

fn expected(dir: &Path) -> Vec<(Answer, f64)> {
    let key = |s: &str| format!("{}", number(s));
    // 1. Blocker shares, from timeline.csv's packed lists.
    let timeline = file_rows(dir, "run/timeline.csv");
    let parties = ["usa", "russia", "ukraine", "europe"];
    let mut shares = Answer::new();
    for r in &timeline {
        let blockers: Vec<&str> = r["blockers"].split(';').collect();
        let values: Vec<&str> = r["blocker_shares"].split(';').collect();
        for p in parties {
            let v = blockers
                .iter()
                .position(|b| *b == p)
                .map_or(0.0, |i| number(values[i]));
            shares.insert((key(&r["step"]), p.to_string()), v);
        }
    }
    // 2. P(zone) at each step, from mc.csv.
    let mc = file_rows(dir, "mc/mc.csv");
    let mut zone = Answer::new();
    let mut survival = Answer::new();
    for r in &mc {
        for c in ["p_zone_at", "p_zone_at_low", "p_zone_at_high"] {
            zone.insert((key(&r["step"]), c.to_string()), number(&r[c]));
        }
        // 4. The survival curve is 1 - P(zone by this step).
        let s = 1.0 - number(&r["p_zone_by"]);
        survival.insert((key(&r["step"]), "survival".to_string()), s);
    }
    // 3. The sweep curve, from sweep.csv.
    let mut curve = Answer::new();
    for r in file_rows(dir, "sweep/sweep.csv") {
        for c in ["p_deal", "p_deal_low", "p_deal_high"] {
            let k = key(&r["parties.seller.reservation"]);
            curve.insert((k, c.to_string()), number(&r[c]));
        }
    }
    vec![
        (shares, 1e-12),
        (zone, 1e-9),
        (curve, 1e-9),
        (survival, 1e-9),
    ]
}

fn agree(lang: &str, n: usize, got: &Answer, want: &Answer, tol: f64) {
    let keys = |a: &Answer| a.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(got),
        keys(want),
        "{lang} snippet {}: rows or columns",
        n + 1
    );
    for (k, w) in want {
        let g = got[k];
        assert!(
            (g - w).abs() <= tol,
            "{lang} snippet {} at {k:?}: {g} vs {w}",
            n + 1
        );
    }
}

#[test]
fn every_snippet_of_the_worked_analysis_answers_as_the_csv_files_do() {
    let required = std::env::var_os("ZOPA_REQUIRE_ANALYSIS").is_some();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let sc = |name: &str| root().join("scenarios").join(name).display().to_string();
    let baseline = sc("budapest-cancelled.toml");
    zopa(dir, &["run", &baseline, "--no-charts", "--out", "run"]);
    let sustained = sc("sustained-pressure.toml");
    zopa(
        dir,
        &[
            "mc",
            &sustained,
            "--runs",
            "2000",
            "--per-run",
            "--out",
            "mc",
        ],
    );
    let textbook = sc("textbook.toml");
    let vary = "parties.seller.reservation=0:1:6";
    zopa(
        dir,
        &[
            "sweep", &textbook, "--vary", vary, "--runs", "200", "--out", "sweep",
        ],
    );
    let want = expected(dir);
    for lang in ["python", "r"] {
        let code = blocks(lang);
        assert_eq!(code.len(), 4, "four {lang} snippets");
        for c in &code {
            assert!(c.lines().count() <= 4, "at most four lines:\n{c}");
        }
        let Some(cmd) = interpreter(lang) else {
            assert!(!required, "{lang} with its packages is needed here");
            eprintln!("skipped: no {lang} with the packages the snippets need");
            continue;
        };
        for (n, c) in code.iter().enumerate() {
            let o = Command::new(&cmd[0])
                .arg(&cmd[1])
                .arg(c)
                .current_dir(dir)
                .output()
                .expect("the interpreter runs");
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success(),
                "{lang} snippet {} failed:\n{}",
                n + 1,
                String::from_utf8_lossy(&o.stderr)
            );
            let (w, tol) = &want[n];
            agree(lang, n, &answer(&stdout), w, *tol);
        }
    }
}
