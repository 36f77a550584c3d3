//! `docs/outputs.md` names every column and field `zopa` writes, and
//! nothing else: each command is run on bundled scenarios, and the columns
//! of every CSV file and the field paths of every JSON document are matched
//! against the page's tables, in both directions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const DICTIONARY: &str = include_str!("../docs/outputs.md");

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

/// Each section of the page (keyed by the first name in backticks in its
/// heading) with the names in the first column of its table.
fn dictionary() -> BTreeMap<String, Vec<String>> {
    let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in DICTIONARY.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            // A heading without a file name (the changed columns) is prose.
            current = heading.split('`').nth(1).map(str::to_string);
            if let Some(key) = &current {
                sections.entry(key.clone()).or_default();
            }
        } else if let (Some(key), Some(rest)) = (&current, line.strip_prefix("| `")) {
            let name = rest.split('`').next().expect("a closing backtick");
            sections
                .get_mut(key)
                .expect("section")
                .push(name.to_string());
        }
    }
    sections
}

/// A documented name with its placeholders filled in every way the
/// scenario allows.
fn expand(name: &str, parties: &[String], issues: &[String], fields: &[String]) -> Vec<String> {
    let fill = |names: Vec<String>, hole: &str, ids: &[String]| -> Vec<String> {
        names
            .into_iter()
            .flat_map(|n| {
                if n.contains(hole) {
                    ids.iter().map(|id| n.replace(hole, id)).collect()
                } else {
                    vec![n]
                }
            })
            .collect()
    };
    let names = fill(vec![name.to_string()], "<party>", parties);
    let names = fill(names, "<issue>", issues);
    fill(names, "<field>", fields)
}

/// What one section expects of one file, and what the file holds.
struct Seen {
    section: &'static str,
    written: Vec<String>,
    parties: Vec<String>,
    issues: Vec<String>,
    fields: Vec<String>,
}

fn ids(path: &Path) -> (Vec<String>, Vec<String>) {
    let sc = zopa::scenario::load(path).expect("a bundled scenario loads");
    (
        sc.parties.iter().map(|p| p.id.clone()).collect(),
        sc.issues.iter().map(|i| i.id.clone()).collect(),
    )
}

fn csv_header(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the file was written");
    let header = text
        .lines()
        .find(|l| !l.starts_with('#'))
        .expect("a header line");
    header.split(',').map(str::to_string).collect()
}

fn json_paths(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(path.clone());
                json_paths(v, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                json_paths(v, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

fn json(text: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let mut out = Vec::new();
    json_paths(&value, "", &mut out);
    out
}

/// Runs every command that writes data and collects what each wrote.
fn everything_written(dir: &Path) -> Vec<Seen> {
    let mut seen = Vec::new();
    let scenarios = root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&scenarios)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let s = |p: &Path| p.to_str().expect("UTF-8 path").to_string();
    // The runs draw charts too; they go side by side.
    std::thread::scope(|scope| {
        let runs: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(n, file)| {
                let out = dir.join(format!("run-{n}"));
                scope.spawn(move || {
                    zopa(&["run", &s(file), "--quiet", "--out", &s(&out)]);
                    let (parties, issues) = ids(file);
                    ["timeline.csv", "parties.csv", "issues.csv", "events.csv"]
                        .into_iter()
                        .map(|section| Seen {
                            section,
                            written: csv_header(&out.join(section)),
                            parties: parties.clone(),
                            issues: issues.clone(),
                            fields: Vec::new(),
                        })
                        .chain(std::iter::once(Seen {
                            section: "summary.json",
                            written: json(
                                &std::fs::read_to_string(out.join("summary.json"))
                                    .expect("summary.json"),
                            ),
                            parties: parties.clone(),
                            issues: issues.clone(),
                            fields: Vec::new(),
                        }))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        seen.extend(runs.into_iter().flat_map(|r| r.join().expect("a run")));
    });
    // Aimed pressure and aid add columns only where a scenario aims them:
    // Europe's sanctions on Russia and its aid to Ukraine.
    let aimed = dir.join("aimed.toml");
    let europe = "veto = true                     # EU sanctions cannot be lifted without the EU\n";
    let text = std::fs::read_to_string(scenarios.join("sustained-pressure.toml")).expect("read");
    assert!(text.contains(europe));
    let text = text.replacen(
        europe,
        &format!("{europe}pressure_on = \"russia\"\naid_to = \"ukraine\"\n"),
        1,
    );
    std::fs::write(&aimed, text).expect("write");
    let out = dir.join("run-aimed");
    zopa(&[
        "run",
        &s(&aimed),
        "--quiet",
        "--no-charts",
        "--out",
        &s(&out),
    ]);
    let (parties, issues) = ids(&aimed);
    let written = csv_header(&out.join("timeline.csv"));
    for column in ["pressure_russia", "aid_ukraine"] {
        assert!(written.contains(&column.to_string()), "{column}");
    }
    seen.push(Seen {
        section: "timeline.csv",
        written,
        parties,
        issues,
        fields: Vec::new(),
    });
    let textbook = scenarios.join("textbook.toml");
    let baseline = scenarios.join("budapest-cancelled.toml");
    let (tb_parties, tb_issues) = ids(&textbook);
    let (bl_parties, bl_issues) = ids(&baseline);
    let plain = |section: &'static str, written: Vec<String>| Seen {
        section,
        written,
        parties: tb_parties.clone(),
        issues: tb_issues.clone(),
        fields: Vec::new(),
    };
    // A deal (textbook) and a walk-away under a variant (the baseline with
    // the US out of patience after ten weeks without a zone).
    let deal = zopa(&[
        "run",
        &s(&textbook),
        "--format",
        "json",
        "--out",
        &s(&dir.join("j1")),
    ]);
    seen.push(plain("summary.json", json(&deal)));
    let walk = zopa(&[
        "run",
        &s(&baseline),
        "--set",
        "parties.usa.patience=10",
        "--format",
        "json",
        "--out",
        &s(&dir.join("j2")),
    ]);
    assert!(
        walk.contains("\"walked_away\": [\n    {"),
        "the US walks away: {walk}"
    );
    seen.push(Seen {
        section: "summary.json",
        written: json(&walk),
        parties: bl_parties.clone(),
        issues: bl_issues.clone(),
        fields: Vec::new(),
    });

    let mc = dir.join("mc");
    let printed = zopa(&[
        "mc",
        &s(&textbook),
        "--runs",
        "40",
        "--per-run",
        "--format",
        "json",
        "--out",
        &s(&mc),
    ]);
    seen.push(plain("runs.csv", csv_header(&mc.join("runs.csv"))));
    seen.push(plain(
        "run-events.csv",
        csv_header(&mc.join("run-events.csv")),
    ));
    let events = dir.join("mc-events");
    zopa(&[
        "mc",
        &s(&baseline),
        "--runs",
        "20",
        "--per-run",
        "--quiet",
        "--out",
        &s(&events),
    ]);
    seen.push(Seen {
        section: "runs.csv",
        written: csv_header(&events.join("runs.csv")),
        parties: bl_parties.clone(),
        issues: bl_issues.clone(),
        fields: Vec::new(),
    });
    // A scenario with a yes/no issue: its options are named in every file.
    let job = scenarios.join("job-offer.toml");
    let (job_parties, job_issues) = ids(&job);
    let named = |section: &'static str, written: Vec<String>| Seen {
        section,
        written,
        parties: job_parties.clone(),
        issues: job_issues.clone(),
        fields: Vec::new(),
    };
    let job_mc = dir.join("job-mc");
    zopa(&[
        "mc",
        &s(&job),
        "--runs",
        "20",
        "--per-run",
        "--quiet",
        "--out",
        &s(&job_mc),
    ]);
    seen.push(named("runs.csv", csv_header(&job_mc.join("runs.csv"))));
    let job_summary =
        std::fs::read_to_string(job_mc.join("mc-summary.json")).expect("mc-summary.json");
    seen.push(named("mc-summary.json", json(&job_summary)));
    // Under a variant that gives the candidate's ideal an option by name.
    let job_run = zopa(&[
        "run",
        &s(&job),
        "--set",
        "parties.candidate.ideal.remote=no",
        "--format",
        "json",
        "--out",
        &s(&dir.join("job-run")),
    ]);
    seen.push(named("summary.json", json(&job_run)));
    let job_value = zopa(&[
        "value",
        &s(&job),
        "--at",
        "salary=70,start=1,bonus=5,remote=yes",
        "--format",
        "json",
    ]);
    seen.push(named("zopa value --format json", json(&job_value)));
    seen.push(plain("mc.csv", csv_header(&mc.join("mc.csv"))));
    let summary = std::fs::read_to_string(mc.join("mc-summary.json")).expect("mc-summary.json");
    seen.push(plain("mc-summary.json", json(&summary)));
    seen.push(plain("mc-summary.json", json(&printed)));

    let fields = vec![
        "parties.seller.reservation".to_string(),
        "world.pressure".to_string(),
    ];
    let sweep = dir.join("sweep");
    let printed = zopa(&[
        "sweep",
        &s(&textbook),
        "--vary",
        "parties.seller.reservation=0:1:2",
        "--vary",
        "world.pressure=0:1:2",
        "--runs",
        "4",
        "--per-run",
        "--format",
        "json",
        "--out",
        &s(&sweep),
    ]);
    for section in ["runs.csv", "run-events.csv"] {
        seen.push(Seen {
            fields: fields.clone(),
            ..plain(section, csv_header(&sweep.join(section)))
        });
    }
    seen.push(Seen {
        fields: fields.clone(),
        ..plain("sweep.csv", csv_header(&sweep.join("sweep.csv")))
    });
    seen.push(plain("zopa sweep --format json", json(&printed)));
    let shard = dir.join("shard");
    let printed = zopa(&[
        "sweep",
        &s(&textbook),
        "--vary",
        "parties.seller.reservation=0:1:2",
        "--runs",
        "4",
        "--shard",
        "1/2",
        "--format",
        "json",
        "--out",
        &s(&shard),
    ]);
    seen.push(plain(
        "sweep-shard-K-of-N.csv",
        csv_header(&shard.join("sweep-shard-1-of-2.csv")),
    ));
    seen.push(plain("zopa sweep --format json", json(&printed)));

    let sens = dir.join("sens");
    let printed = zopa(&[
        "sensitivity",
        &s(&textbook),
        "--runs",
        "4",
        "--format",
        "json",
        "--out",
        &s(&sens),
    ]);
    seen.push(plain(
        "sensitivity.csv",
        csv_header(&sens.join("sensitivity.csv")),
    ));
    let file = std::fs::read_to_string(sens.join("sensitivity.json")).expect("sensitivity.json");
    seen.push(plain("sensitivity.json", json(&file)));
    seen.push(plain("sensitivity.json", json(&printed)));
    let printed = zopa(&[
        "value",
        &s(&textbook),
        "--at",
        "price=3",
        "--format",
        "json",
    ]);
    seen.push(plain("zopa value --format json", json(&printed)));
    seen
}

#[test]
fn every_column_and_field_written_is_in_the_dictionary_and_every_entry_is_written() {
    let dictionary = dictionary();
    let tmp = tempfile::tempdir().expect("temp dir");
    let seen = everything_written(tmp.path());
    let mut found: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for s in &seen {
        let documented = dictionary
            .get(s.section)
            .unwrap_or_else(|| panic!("docs/outputs.md has no section for `{}`", s.section));
        let names: BTreeSet<String> = documented
            .iter()
            .flat_map(|n| expand(n, &s.parties, &s.issues, &s.fields))
            .collect();
        for w in &s.written {
            assert!(
                names.contains(w),
                "`{w}` is written to {} but docs/outputs.md does not name it",
                s.section
            );
        }
        let entry = found.entry(s.section).or_default();
        for n in documented {
            let concrete = expand(n, &s.parties, &s.issues, &s.fields);
            if concrete.iter().any(|c| s.written.contains(c)) {
                entry.insert(n.clone());
            }
        }
    }
    for (section, documented) in &dictionary {
        let written = found
            .get(section.as_str())
            .unwrap_or_else(|| panic!("nothing checked the section `{section}`"));
        for n in documented {
            assert!(
                written.contains(n),
                "docs/outputs.md names `{n}` under `{section}`, but no file holds it"
            );
        }
    }
}

#[test]
fn the_dictionary_states_type_unit_meaning_and_empty_cell_for_every_entry() {
    for line in DICTIONARY.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').collect();
        // Leading and trailing empty pieces around five cells.
        assert_eq!(cells.len(), 7, "five cells in `{line}`");
        for (n, cell) in cells[1..6].iter().enumerate() {
            // The unit may be empty for text, booleans and ids.
            if n != 2 {
                assert!(!cell.trim().is_empty(), "cell {n} empty in `{line}`");
            }
        }
    }
}
