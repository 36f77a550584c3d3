//! The classroom report and `zopa explain`: well-formed, complete, and
//! telling the same numbers as the run's timeline.csv.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

const SCENARIOS: [&str; 6] = [
    "budapest-cancelled",
    "freeze-the-front",
    "donetsk-split",
    "sustained-pressure",
    "pressure-eases",
    "us-steps-back",
];

fn zopa(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the zopa binary runs");
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The facts the report must repeat, read from `zopa run`'s timeline.csv.
struct CsvFacts {
    outcome: &'static str,
    first_zone: Option<String>,
    smallest_gap: String,
    smallest_gap_step: String,
    blocking: HashMap<String, usize>,
}

fn csv_facts(name: &str, dir: &Path) -> CsvFacts {
    let out = dir.join(name);
    zopa(&[
        "run",
        &format!("scenarios/{name}.toml"),
        "--seed",
        "1",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let text = std::fs::read_to_string(out.join("timeline.csv")).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let first_zone = rows
        .iter()
        .find(|r| r[col("zone")] == "true")
        .map(|r| r[col("step")].to_string());
    let (mut best, mut at) = (f64::INFINITY, "");
    let mut blocking = HashMap::new();
    for r in &rows {
        let g: f64 = r[col("gap")].parse().unwrap();
        if g < best {
            best = g;
            at = r[col("step")];
        }
        for b in r[col("blockers")].split(';').filter(|b| !b.is_empty()) {
            *blocking.entry(b.to_string()).or_insert(0) += 1;
        }
    }
    let deal = rows.last().unwrap()[col("deal")] == "true";
    CsvFacts {
        outcome: if deal {
            "deal"
        } else if first_zone.is_some() {
            "zone appeared but was missed"
        } else {
            "no zone ever appeared"
        },
        first_zone,
        smallest_gap: {
            let s = format!("{best:+.4}");
            if s == "-0.0000" { "+0.0000".into() } else { s }
        },
        smallest_gap_step: at.to_string(),
        blocking,
    }
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap())
        .collect::<String>()
}

#[test]
fn report_of_all_six_is_well_formed_complete_and_agrees_with_the_timelines() {
    let tmp = tempfile::tempdir().unwrap();
    let html_path = tmp.path().join("handout/report.html");
    let mut args = vec!["report".to_string()];
    args.extend(SCENARIOS.iter().map(|s| format!("scenarios/{s}.toml")));
    args.extend([
        "--seed".into(),
        "1".into(),
        "--out".into(),
        html_path.to_string_lossy().into_owned(),
        "-q".into(),
    ]);
    zopa(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(!html.contains("<script"), "no script needed to read it");
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "no network"
    );
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the report is well-formed");

    // One zone and one gap chart per scenario, plus the comparison chart.
    let figures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("figure"))
        .collect();
    assert_eq!(figures.len(), 2 * SCENARIOS.len() + 1);
    for f in &figures {
        assert_eq!(
            f.children().filter(|c| c.has_tag_name("svg")).count(),
            1,
            "one chart per figure"
        );
    }
    let sections: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("section") && n.attribute("class") == Some("scenario"))
        .collect();
    assert_eq!(sections.len(), SCENARIOS.len());

    let csv_dir = tmp.path().join("runs");
    let table = doc
        .descendants()
        .find(|n| n.has_tag_name("table") && n.attribute("class") == Some("comparison"))
        .expect("a comparison table");
    for name in SCENARIOS {
        let facts = csv_facts(name, &csv_dir);
        let row = table
            .children()
            .find(|r| r.attribute("data-scenario") == Some(name))
            .expect("a row per scenario");
        let cells: Vec<String> = row
            .children()
            .filter(|c| c.has_tag_name("td"))
            .map(text_of)
            .collect();
        assert_eq!(cells[1], facts.outcome, "{name}: outcome");
        assert_eq!(
            cells[2],
            facts
                .first_zone
                .as_ref()
                .map_or("never".into(), |s| format!("week {s}")),
            "{name}: first zone"
        );
        assert_eq!(
            cells[3],
            format!("{} (week {})", facts.smallest_gap, facts.smallest_gap_step),
            "{name}: smallest gap"
        );
        // The main blocker blocked at the most steps.
        let most = facts.blocking.values().copied().max();
        match most {
            None => assert_eq!(cells[4], "nobody"),
            Some(m) => {
                let id = name_to_id(&cells[4]);
                assert_eq!(
                    facts.blocking.get(id).copied(),
                    Some(m),
                    "{name}: main blocker {}",
                    cells[4]
                );
            }
        }

        // The narrative states the same smallest gap.
        let section = sections
            .iter()
            .find(|s| s.attribute("id") == Some(name))
            .unwrap();
        let narrative = section
            .descendants()
            .find(|n| n.attribute("class") == Some("narrative"))
            .map(text_of)
            .unwrap();
        if facts.blocking.is_empty() {
            continue;
        }
        let claim = format!(
            "smallest at week {} ({})",
            facts.smallest_gap_step, facts.smallest_gap
        );
        assert!(
            narrative.contains(&claim),
            "{name}: narrative says `{claim}`"
        );
        // The openings table names every consenting party's bar.
        let openings = section
            .descendants()
            .find(|n| n.attribute("class") == Some("openings"));
        assert!(
            openings.is_some_and(|t| text_of(t).contains("bar (reservation)")),
            "{name}: openings table"
        );
    }
}

fn name_to_id(name: &str) -> &'static str {
    match name {
        "United States" => "usa",
        "Russia" => "russia",
        "Ukraine" => "ukraine",
        "Europe" => "europe",
        other => panic!("unexpected party {other}"),
    }
}

#[test]
fn explain_tells_the_same_facts_in_80_columns() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["budapest-cancelled", "sustained-pressure"] {
        let facts = csv_facts(name, tmp.path());
        let out = zopa(&["explain", &format!("scenarios/{name}.toml"), "--seed", "1"]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.lines().all(|l| l.chars().count() <= 80),
            "{name}: fits 80 columns"
        );
        assert!(
            text.contains(&format!("outcome:       {}", facts.outcome)),
            "{text}"
        );
        assert!(text.contains(&format!(
            "smallest gap:  {} at week {}",
            facts.smallest_gap, facts.smallest_gap_step
        )));
        let first = facts
            .first_zone
            .map_or("never".into(), |s| format!("week {s}"));
        assert!(text.contains(&format!("first zone:    {first}")));
        assert!(text.contains("What would open the zone at week"));
        assert!(text.contains("Questions for discussion"));
    }
}

#[test]
fn the_cheapest_move_really_opens_the_zone() {
    // Apply the cheapest move the baseline's explanation names and check,
    // by running the changed scenario, that the zone exists at that week.
    use zopa::explain::{self, Lever};
    use zopa::model::Target;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/budapest-cancelled.toml");
    let sc = zopa::scenario::load(&path).unwrap();
    let tl = zopa::sim::run(&sc, 1);
    let step = explain::default_step(&zopa::facts::Facts::of(&sc, &tl)).unwrap();
    let openings = explain::openings(&sc, &tl, step);
    let m = &openings.moves[openings
        .cheapest
        .expect("some move opens the baseline's zone")];
    let Lever::Knob(knob) = m.lever else {
        panic!("expected a knob move")
    };
    let mut changed = sc.clone();
    changed.set(
        Target::Knob {
            party: m.party,
            knob,
        },
        m.to.unwrap(),
    );
    let after = zopa::sim::run(&changed, 1);
    let opened = after
        .steps
        .get(step as usize)
        .is_none_or(|s| s.zone_exists());
    assert!(opened, "the move opens the zone at week {step}");
    // And a move a little short of it does not.
    let short = m.from + 0.9 * (m.to.unwrap() - m.from);
    changed.set(
        Target::Knob {
            party: m.party,
            knob,
        },
        short,
    );
    let before = zopa::sim::run(&changed, 1);
    assert!(!before.steps[step as usize].zone_exists());
}
