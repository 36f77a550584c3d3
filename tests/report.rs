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
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let first_zone = rows
        .iter()
        .find(|r| r[col("zone")] == "true")
        .map(|r| r[col("step")].to_string());
    // The smallest gap, and the first step within the zone's tolerance of
    // it (a plateau is named by its first step, whatever its last bits).
    let gaps: Vec<f64> = rows
        .iter()
        .map(|r| r[col("gap")].parse().unwrap())
        .collect();
    let best = gaps.iter().copied().fold(f64::INFINITY, f64::min);
    let at = rows[gaps.iter().position(|&g| g <= best + 1e-9).unwrap()][col("step")];
    let mut blocking = HashMap::new();
    for r in &rows {
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
        "--sensitivity-runs".into(),
        "40".into(),
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

    // A zone, a gap, a per-issue and a sensitivity chart per scenario,
    // plus the comparison chart.
    let figures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("figure"))
        .collect();
    assert_eq!(figures.len(), 4 * SCENARIOS.len() + 1);
    // Each sensitivity table lists the twelve largest effects.
    let tables: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("table") && n.attribute("class") == Some("sensitivity"))
        .collect();
    assert_eq!(tables.len(), SCENARIOS.len());
    for t in &tables {
        let rows = t.descendants().filter(|n| n.has_tag_name("tr")).count();
        assert_eq!(rows, 1 + zopa::chart::sensitivity::ROWS);
    }
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
                // One name, or tied ones: "Russia and Ukraine (tied)".
                let named = cells[4].trim_end_matches(" (tied)");
                for one in named.split(" and ").flat_map(|n| n.split(", ")) {
                    assert_eq!(
                        facts.blocking.get(name_to_id(one)).copied(),
                        Some(m),
                        "{name}: main blocker {}",
                        cells[4]
                    );
                }
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
            openings.is_some_and(|t| text_of(t).contains("all at once")),
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

/// A sentence audit of the questions: the numbers in "who gave up the most"
/// and "which event mattered most" are recomputed from the run and from
/// counterfactual runs, for every bundled scenario and three seeds.
#[test]
fn the_questions_numbers_are_recomputed_from_the_run_and_its_counterfactuals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let sc = zopa::scenario::load(&path).unwrap();
        for seed in [1, 2, 3] {
            let tl = zopa::sim::run(&sc, seed);
            let a = zopa::report::analyse(&sc, tl.clone(), None, None);
            for q in &a.questions {
                if let Some(rest) = q.strip_prefix("Which event mattered most? Without \"") {
                    let effects = zopa::explain::event_effects(&sc, &tl);
                    let best = effects
                        .iter()
                        .max_by(|x, y| x.mean_gap_change.abs().total_cmp(&y.mean_gap_change.abs()))
                        .unwrap();
                    let label = &sc.events[best.event].label;
                    assert!(rest.starts_with(label.as_str()), "{q}");
                    let amount = format!("{:.4}", best.mean_gap_change.abs());
                    assert!(
                        q.contains(&format!(" by {amount} on average")),
                        "{q} vs {amount}"
                    );
                    let way = if best.mean_gap_change > 0.0 {
                        "closer"
                    } else {
                        "further apart"
                    };
                    assert!(q.contains(way), "{q}");
                    // Recompute the effect by hand: the same seed without
                    // the event's effects at that step. A repeating event
                    // at fixed steps is cut in two around that firing, the
                    // firings after it an event of their own; any other
                    // event fires once, and loses its effects.
                    let mut without = sc.clone();
                    let ev = &mut without.events[best.event];
                    match (ev.trigger, ev.repeat) {
                        (zopa::model::Trigger::At(first), Some(r)) => {
                            let mut after = ev.clone();
                            after.trigger = zopa::model::Trigger::At(best.step + r.every);
                            ev.repeat = (best.step > first).then_some(zopa::model::Repeat {
                                every: r.every,
                                until: best.step - 1,
                            });
                            if best.step == first {
                                ev.effects.clear();
                            }
                            if best.step + r.every <= r.until {
                                without.events.push(after);
                            }
                        }
                        (_, None) => ev.effects.clear(),
                        (_, Some(_)) => panic!("a repeating chance event: {q}"),
                    }
                    // Its worth to the party that blocked most, recomputed
                    // from the weight it gives the front issue.
                    let main = zopa::facts::Facts::of(&sc, &tl)
                        .main_blockers
                        .first()
                        .copied();
                    if let Some(p) = main {
                        let k = sc.front_issue;
                        let w = sc.parties[p].weight[k];
                        let worth = best.mean_gap_change.abs() * sc.issues[k].range() / w;
                        if worth <= sc.issues[k].range() {
                            let said = format!("{:.2}", worth);
                            assert!(q.contains(&format!("worth {said}")), "{q} vs {said}");
                        }
                    }
                    let other = zopa::sim::run(&without, seed);
                    let from = best.step as usize;
                    let to = tl.steps.len().min(other.steps.len());
                    let mean = (from..to)
                        .map(|t| tl.steps[t].gap - other.steps[t].gap)
                        .sum::<f64>()
                        / (to - from) as f64;
                    assert!((mean - best.mean_gap_change).abs() < 1e-12);
                    checked += 1;
                }
                if let Some(rest) = q.strip_prefix("Who gave up the most? ") {
                    // "<Name>'s bar fell from A (met by ...) to B (met by
                    // ...) between week 0 and week T."
                    let p = sc
                        .parties
                        .iter()
                        .position(|p| rest.starts_with(p.name.as_str()))
                        .unwrap();
                    let between = format!(" between {} 0 and {} ", sc.step_unit, sc.step_unit);
                    let t: usize = rest
                        .split(&between)
                        .nth(1)
                        .unwrap()
                        .split(['.', ' '])
                        .next()
                        .unwrap()
                        .parse()
                        .unwrap();
                    assert!(tl.steps[t].engaged[p], "{q}: still at the table at {t}");
                    // Finding 11: asked only of a party that blocked.
                    assert!(tl.steps.iter().any(|s| s.blocks(p)), "{q}: never blocked");
                    let from = format!("{:.3}", tl.steps[0].reservation[p]);
                    let to = format!("{:.3}", tl.steps[t].reservation[p]);
                    // Each bar with the settlements that meet it (their
                    // numbers: `tests/sentences.rs`).
                    assert!(rest.contains(&format!("fell from {from} (met ")), "{q}");
                    assert!(rest.contains(&format!(") to {to} (met ")), "{q}");
                }
            }
        }
    }
    assert!(checked > 20, "checked {checked} event questions");
}

/// Finding 11: no question says a bar moved "from X to X".
#[test]
fn no_question_names_a_bar_that_did_not_move() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let sc = zopa::scenario::load(&path).unwrap();
        let tl = zopa::sim::run(&sc, 1);
        let a = zopa::report::analyse(&sc, tl, None, None);
        for q in &a.questions {
            let words: Vec<&str> = q.split_whitespace().collect();
            for w in words.windows(4) {
                if w[0] == "from" && w[2] == "to" {
                    assert_ne!(w[1], w[3].trim_end_matches(['.', ',']), "{q}");
                }
            }
        }
    }
}

#[test]
fn the_source_is_found_beside_the_scenario_file_from_any_folder_and_missed_aloud() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = repo.join("scenarios/budapest-cancelled.toml");
    let elsewhere = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["explain", scenario.to_str().unwrap()])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("(article line 5: \"Russia will not accept a freeze"),
        "quotes the article"
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A copy outside the checkout keeps working but says what it lost.
    let copy = elsewhere.path().join("mine.toml");
    std::fs::copy(&scenario, &copy).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["explain", copy.to_str().unwrap()])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let beside = elsewhere.path().join("../seeds/000_7613a11baa41623b.txt");
    assert!(err.starts_with("warning: the source `../seeds/"), "{err}");
    assert!(
        err.contains(&beside.display().to_string()),
        "names the place beside the file: {err}"
    );
    assert!(err.contains("from the working folder"), "{err}");
    // Its quotes were checked against the article where it was found; a
    // copy that lost it keeps them as written.
    let text = String::from_utf8_lossy(&o.stdout);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("(article line 5: \"Russia will not"),
        "{text}"
    );
}

/// The report's comparison of several scenarios puts the red lines'
/// crossing (a share of a range) and the bars' gap (utility) on axes of
/// their own, never one axis for both; the crossing axis's top reads the
/// largest crossing any scenario has, as a share of its issue's range.
#[test]
fn the_comparison_chart_keeps_each_wall_on_its_own_axis() {
    let out = std::env::temp_dir().join(format!("zopa-compare-{}.html", std::process::id()));
    let o = zopa(&[
        "report",
        "scenarios/budapest-cancelled.toml",
        "scenarios/textbook.toml",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    let at = html
        .find("How far the red lines cross")
        .expect("the crossing panel");
    let start = html[..at].rfind("<svg").unwrap();
    let end = at + html[at..].find("</svg>").unwrap();
    let svg = &html[start..end];
    assert!(
        svg.contains("lines cross (% of range)"),
        "the crossing axis"
    );
    assert!(svg.contains("bars apart (utility)"), "the bars' axis");
    assert!(
        !svg.contains("gap (above 0: no zone)"),
        "one axis for both walls"
    );
    // Budapest's lines cross at week 0 by the article's reading: its
    // worst crossing, as a share of its range, is below the axis's top.
    let sc = zopa::scenario::load(Path::new("scenarios/budapest-cancelled.toml")).unwrap();
    let s0 = &zopa::sim::run(&sc, 1).steps[0];
    let worst = (0..sc.issues.len())
        .map(|k| s0.crossing(k) / sc.issues[k].range())
        .fold(0.0, f64::max);
    assert!(worst > 0.0, "the lines cross at week 0");
    let _ = std::fs::remove_file(&out);
}

#[test]
fn a_report_of_a_variant_says_so_and_names_each_change() {
    // `--set` changes what the report shows (the job offer settles remote
    // work the other way); a teacher projecting it must read that it is a
    // variant, not the file, in the page itself.
    let tmp = tempfile::tempdir().unwrap();
    let report = |name: &str, extra: &[&str]| {
        let out = tmp.path().join(name);
        let mut args = vec![
            "report",
            "scenarios/job-offer.toml",
            "-q",
            "--sensitivity-runs",
            "0",
            "--out",
        ];
        let out_s = out.to_string_lossy().into_owned();
        args.push(&out_s);
        args.extend_from_slice(extra);
        zopa(&args);
        std::fs::read_to_string(&out).unwrap()
    };
    let plain = report("plain.html", &[]);
    assert!(!plain.contains("class=\"variant\""), "the file as written");
    assert!(!plain.contains("(a variant)"));
    let variant = report(
        "variant.html",
        &[
            "--set",
            "parties.candidate.ideal.remote=no",
            "--set",
            "parties.employer.reservation=0.4",
        ],
    );
    assert!(
        variant.contains(
            "<p class=\"variant\">A variant, not the file as written: \
             parties.candidate.ideal.remote = no (the file says yes); \
             parties.employer.reservation = 0.4 (the file says 0.45).</p>"
        ),
        "{}",
        variant
            .lines()
            .find(|l| l.contains("variant"))
            .unwrap_or("")
    );
    assert!(variant.contains("A job offer (a variant)"));
    // The page is the variant's run, not the file's: its outcome differs.
    assert_ne!(
        plain.split("<table class=\"facts\">").nth(1),
        variant.split("<table class=\"facts\">").nth(1)
    );
}
