//! `zopa run` as a user meets it: files written, numbers right, runs
//! reproducible.

use std::path::{Path, PathBuf};

#[path = "support/cli.rs"]
mod cli;
use cli::zopa;

fn scenario(name: &str) -> String {
    format!("scenarios/{name}.toml")
}

/// The timeline as header names and rows of fields.
fn read_timeline(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(dir.join("timeline.csv")).expect("timeline.csv exists");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let head = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (head, rows)
}

fn field<'a>(head: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = head
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

fn num(head: &[String], row: &[String], name: &str) -> f64 {
    field(head, row, name)
        .parse()
        .unwrap_or_else(|_| panic!("{name} is a number"))
}

fn run_into(name: &str, seed: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = zopa(&[
        "run",
        &scenario(name),
        "--seed",
        seed,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, out)
}

#[test]
fn textbook_zone_equals_the_hand_calculation() {
    // See the comments of scenarios/textbook.toml: zone [4, 7], gap -0.15,
    // Nash point 5.5, at every step.
    let (_tmp, out) = run_into("textbook", "1");
    let (head, rows) = read_timeline(&out);
    assert!(!rows.is_empty());
    for row in &rows {
        assert!((num(&head, row, "zone_low_price") - 4.0).abs() < 1e-6);
        assert!((num(&head, row, "zone_high_price") - 7.0).abs() < 1e-6);
        assert!((num(&head, row, "gap") + 0.15).abs() < 1e-6);
        assert_eq!(field(&head, row, "point"), "nash");
        assert!((num(&head, row, "point_price") - 5.5).abs() < 1e-6);
        assert!((num(&head, row, "range_low_seller") - 4.0).abs() < 1e-6);
        assert!((num(&head, row, "range_high_buyer") - 7.0).abs() < 1e-6);
    }
    // Any deal lies inside the zone.
    let last = rows.last().unwrap();
    if field(&head, last, "deal") == "true" {
        let price: f64 = field(&head, last, "proposal").parse().unwrap();
        assert!((4.0..=7.0).contains(&price));
    }
}

#[test]
fn baseline_writes_every_file_and_opens_with_russia_blocking() {
    let (_tmp, out) = run_into("budapest-cancelled", "1");
    for f in [
        "timeline.csv",
        "zone.svg",
        "zone.png",
        "gap.svg",
        "gap.png",
        "issues.svg",
        "issues.png",
        "outcome.svg",
        "outcome.png",
    ] {
        let bytes = std::fs::read(out.join(f)).unwrap_or_else(|_| panic!("{f} written"));
        assert!(bytes.len() > 1000, "{f} has content");
        if f.ends_with(".png") {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{f} is a PNG");
        }
        if f.ends_with(".svg") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("<svg") && text.trim_end().ends_with("</svg>"));
        }
    }
    // Nothing else is left behind (no temporary files).
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // Four charts in two formats, the timeline, its three long tables and
    // the summary.
    assert_eq!(names.len(), 13, "{names:?}");

    let (head, rows) = read_timeline(&out);
    assert_eq!(rows.len(), 52);
    let first = &rows[0];
    assert!(num(&head, first, "gap") > 0.0, "no zone at the first step");
    assert_eq!(field(&head, first, "zone"), "false");
    assert!(
        field(&head, first, "blockers")
            .split(';')
            .any(|b| b == "russia")
    );
}

#[test]
fn same_seed_gives_a_byte_identical_timeline_and_another_seed_does_not() {
    let (_a, out_a) = run_into("budapest-cancelled", "7");
    let (_b, out_b) = run_into("budapest-cancelled", "7");
    let (_c, out_c) = run_into("budapest-cancelled", "8");
    let read = |p: &Path| std::fs::read(p.join("timeline.csv")).unwrap();
    assert_eq!(read(&out_a), read(&out_b));
    assert_ne!(
        read(&out_a),
        read(&out_c),
        "the seed drives the front's noise"
    );
}

#[test]
fn json_summary_reports_the_outcome_and_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = zopa(&[
        "run",
        &scenario("textbook"),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["scenario"], "textbook");
    assert_eq!(v["first_zone_step"], 0);
    assert!((v["smallest_gap"].as_f64().unwrap() + 0.15).abs() < 1e-9);
    assert_eq!(v["files"].as_array().unwrap().len(), 13);
    // The same summary is written beside the files.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let mut printed = v.clone();
    printed.as_object_mut().unwrap().remove("files");
    assert_eq!(written, printed);
    // The first zone's bargaining solutions: the textbook's 5.5 for both.
    for point in ["first_zone_nash", "first_zone_kalai_smorodinsky"] {
        let price = v[point][0]["value"].as_f64().unwrap();
        assert!((price - 5.5).abs() < 1e-6, "{point}: {price}");
    }
    // Every price is efficient between two opposed ideals.
    assert!(v["deal_pareto_room"].as_f64().unwrap() < 1e-9);
}

#[test]
fn text_summary_names_outcome_first_zone_gap_and_blockers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = zopa(&[
        "run",
        &scenario("budapest-cancelled"),
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("outcome:") && text.contains("NO ZONE EVER APPEARED"),
        "{text}"
    );
    assert!(text.contains("first zone:    never"));
    assert!(text.contains("smallest gap:"));
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("Russia") && l.contains("52"))
    );
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "fits 80 columns"
    );
}

#[test]
fn run_refuses_an_out_path_that_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("taken");
    std::fs::write(&file, "keep me").unwrap();
    let o = zopa(&[
        "run",
        &scenario("textbook"),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is an existing file"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn every_bundled_scenario_validates() {
    let mut files: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path().to_string_lossy().into_owned())
            .filter(|p| p.ends_with(".toml"))
            .collect();
    files.sort();
    assert!(files.len() >= 2);
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let o = zopa(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| l.starts_with("ok: "))
            .count(),
        files.len()
    );
}

#[test]
fn a_set_variant_runs_exactly_as_the_edited_file_and_says_so() {
    // The same change made with --set and by editing the file.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(scenario("budapest-cancelled")),
    )
    .unwrap();
    let from = "breaking_pressure = 0.9";
    assert_eq!(text.matches(from).count(), 1, "one place to edit");
    let edited = tmp.path().join("edited.toml");
    std::fs::write(&edited, text.replacen(from, "breaking_pressure = 0.5", 1)).unwrap();
    let (by_file, by_set) = (tmp.path().join("file"), tmp.path().join("set"));
    let o = zopa(&[
        "run",
        edited.to_str().unwrap(),
        "--out",
        by_file.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = zopa(&[
        "run",
        &scenario("budapest-cancelled"),
        "--set",
        "parties.russia.breaking_pressure=0.5",
        "--out",
        by_set.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The table, after the provenance line (which names the --set variant).
    let timeline = |d: &Path| {
        let text = std::fs::read_to_string(d.join("timeline.csv")).unwrap();
        text.split_once('\n').unwrap().1.to_string()
    };
    assert_eq!(timeline(&by_file), timeline(&by_set));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with("variant: parties.russia.breaking_pressure = 0.5 (the file says 0.9)\n"),
        "{stdout}"
    );
    // And the variant differs from the scenario as written.
    let (_keep, plain) = run_into("budapest-cancelled", "1");
    assert_ne!(timeline(&plain), timeline(&by_set));
}

#[test]
fn the_summarys_why_line_agrees_with_the_timeline() {
    for name in [
        "budapest-cancelled",
        "sustained-pressure",
        "donetsk-split",
        "textbook",
    ] {
        let (_keep, dir) = run_into(name, "2");
        let o = zopa(&[
            "run",
            &scenario(name),
            "--seed",
            "2",
            "--out",
            dir.to_str().unwrap(),
        ]);
        let text = String::from_utf8_lossy(&o.stdout).to_string();
        let (head, rows) = read_timeline(&dir);
        // The why line joined back into one sentence.
        let why: String = text
            .lines()
            .skip_while(|l| !l.starts_with("why:"))
            .take_while(|l| l.starts_with("why:") || l.starts_with("    "))
            .map(|l| l.trim_start_matches("why:").trim())
            .collect::<Vec<_>>()
            .join(" ");
        let step: usize = why.split([' ', ':']).nth(1).unwrap().parse().unwrap();
        let row = &rows[step];
        if field(&head, row, "zone") == "true" {
            assert!(why.contains("the zone exists"), "{name}: {why}");
            continue;
        }
        let crosses: Vec<(&String, f64)> = head
            .iter()
            .filter(|h| h.starts_with("lines_cross_"))
            .map(|h| (h, num(&head, row, h)))
            .filter(|(_, c)| *c > 0.0)
            .collect();
        if crosses.is_empty() {
            let bars = format!("{:+.4}", num(&head, row, "bar_gap"));
            assert!(
                why.contains(&format!("the bars are {bars} apart")),
                "{name}: {why} vs {bars}"
            );
        } else {
            for (_, c) in crosses {
                assert!(
                    why.contains(&format!("{c:.2}")),
                    "{name}: {why} names the crossing {c:.2}"
                );
            }
        }
    }
}

#[test]
fn compare_draws_the_scenario_as_written_beneath_the_variant_and_changes_no_data() {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, versus) = (tmp.path().join("plain"), tmp.path().join("versus"));
    let set = "parties.russia.breaking_pressure=0.3";
    let sc = scenario("budapest-cancelled");
    for (dir, compare) in [(&plain, false), (&versus, true)] {
        let mut args = vec![
            "run",
            &sc,
            "--set",
            set,
            "--out",
            dir.to_str().unwrap(),
            "-q",
        ];
        if compare {
            args.push("--compare");
        }
        let o = zopa(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let read = |d: &Path, f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    assert_eq!(read(&plain, "timeline.csv"), read(&versus, "timeline.csv"));
    assert!(read(&versus, "zone.svg").contains("Dashed: as written"));
    assert!(read(&versus, "gap.svg").contains("Gap as written (dashed)"));
    assert!(!read(&plain, "zone.svg").contains("as written"));
    // Without a variant there is nothing to compare.
    let o = zopa(&[
        "run",
        &sc,
        "--compare",
        "--out",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--set"));
}
