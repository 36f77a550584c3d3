//! The bundled labour scenario, `scenarios/uaw-strike.toml`: the claim its
//! header makes holds over seeds 1-20, its quotes are the source's words, and
//! it runs end to end through every command a class uses.

use std::path::{Path, PathBuf};

use zopa::model::Provenance;
use zopa::scenario;
use zopa::sim::{self, Outcome};

const FILE: &str = "scenarios/uaw-strike.toml";

fn path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE)
}

#[path = "support/cli.rs"]
mod cli;
use cli::zopa;

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_zone_opens_after_the_fourth_wave_and_the_deal_is_near_25_percent() {
    let sc = scenario::load(&path()).unwrap_or_else(|e| panic!("{e}"));
    for seed in 1..=20 {
        let tl = sim::run(&sc, seed);
        // No zone through the third wave: the offer (22 %) is below the union's bar.
        assert_eq!(tl.first_zone(), Some(4), "seed {seed}");
        let at4 = &tl.steps[4];
        assert!(
            (at4.front - 26.0).abs() < 1e-9,
            "seed {seed}: {}",
            at4.front
        );
        let wage = at4.extent_on(0).expect("a zone at week 4");
        assert!(
            wage.low > 22.0 && wage.low < 25.0 && (wage.high - 26.0).abs() < 1e-6,
            "seed {seed}: {wage:?}"
        );
        match &tl.outcome {
            Outcome::Deal { step, settlement } => {
                assert!((4..10).contains(step), "seed {seed}: week {step}");
                assert!(
                    settlement[0] > 23.0 && settlement[0] <= 26.0 + 1e-6,
                    "seed {seed}: {settlement:?}"
                );
            }
            other => panic!("seed {seed}: {other:?}"),
        }
    }
}

#[test]
fn every_quote_and_cite_is_on_its_line_of_the_seed() {
    let sc = scenario::load(&path()).unwrap_or_else(|e| panic!("{e}"));
    let text = scenario::source::source_text(&path(), &sc)
        .expect("the source reads")
        .expect("the source is found");
    assert!(text.starts_with("# The 2023 UAW strike"));
    let lines: Vec<&str> = text.lines().collect();
    let mut quotes = 0;
    for ev in &sc.events {
        let Provenance::Reported { quote } = &ev.provenance else {
            panic!("{:?} is neither quoted nor a what-if", ev.label);
        };
        let line = ev.source_line.expect("a quote names its line") as usize;
        assert!(lines[line - 1].contains(quote.as_str()), "{quote}");
        quotes += 1;
    }
    assert_eq!(quotes, 2);
    // The seed's figures the header relies on are on the lines it names.
    assert!(lines[7].contains("about 40 % over four years"));
    assert!(lines[10].contains("about 25 % over a contract of about four and a half years"));
}

fn run_ok(args: &[&str]) -> String {
    let o = zopa(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn it_runs_end_to_end_run_mc_sensitivity_report_lesson() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = |name: &str| tmp.path().join(name);
    let s = |p: &PathBuf| p.to_str().expect("utf-8 path").to_string();

    let run = dir("run");
    let out = run_ok(&["run", FILE, "--out", &s(&run)]);
    assert!(out.contains("first zone:    week 4"), "{out}");
    let zone = std::fs::read(run.join("zone.png")).expect("zone.png");
    assert!(zone.starts_with(b"\x89PNG") && zone.len() > 10_000);
    let svg = read(&run, "zone.svg");
    assert!(svg.contains("Best offer on the table"), "the front's label");
    assert!(!svg.contains("Front line"));
    assert!(read(&run, "outcome.svg").contains("tentative agreements"));

    // The header's hand calculation, read back by `zopa value`.
    let at4 = run_ok(&["value", FILE, "--at", "wage=26,temps=30", "--step", "4"]);
    assert!(
        at4.contains("UAW: utility 0.580, bar 0.580: accepts"),
        "{at4}"
    );
    assert!(
        at4.contains("Ford: utility 0.490, bar 0.411: accepts"),
        "{at4}"
    );
    let at3 = run_ok(&["value", FILE, "--at", "wage=22,temps=70", "--step", "3"]);
    assert!(
        at3.contains("Stellantis: utility 0.390, bar 0.443: refuses"),
        "{at3}"
    );

    // The tentative agreements' mark lies in the zone once it opens.
    let mark = run_ok(&["value", FILE, "--at", "wage=25,temps=45", "--step", "4"]);
    assert!(
        mark.contains("Every party whose consent is needed accepts it."),
        "{mark}"
    );

    let mc = dir("mc");
    run_ok(&["mc", FILE, "--runs", "200", "--quiet", "--out", &s(&mc)]);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&mc, "mc-summary.json")).expect("mc-summary.json parses");
    assert_eq!(summary["scenario"], "uaw-strike");
    assert_eq!(summary["zone_within_horizon"]["p"], 1.0);
    assert_eq!(summary["first_zone_step"]["median"], 4);
    // One row per week after its two header lines.
    assert_eq!(read(&mc, "mc.csv").lines().count(), 2 + 10);

    let sens = dir("sens");
    run_ok(&[
        "sensitivity",
        FILE,
        "--runs",
        "50",
        "--quiet",
        "--out",
        &s(&sens),
    ]);
    let table = read(&sens, "sensitivity.csv");
    for field in [
        "world.front",
        "parties.union.reservation",
        "parties.ford.aid_dependence",
    ] {
        assert!(table.contains(field), "sensitivity moved no {field}");
    }

    let report = dir("report.html");
    run_ok(&[
        "report",
        FILE,
        "--sensitivity-runs",
        "20",
        "--out",
        &s(&report),
    ]);
    let html = std::fs::read_to_string(&report).expect("report.html");
    assert!(html.contains("The 2023 UAW strike"));
    assert!(html.contains("it called out more plants in waves"));
    assert!(html.contains("Assumptions"));

    let lesson = dir("lesson");
    run_ok(&["lesson", FILE, "--out", &s(&lesson)]);
    let deck = read(&lesson, "deck.html");
    for v in [
        "The union holds out for 30 %",
        "A better first offer",
        "Stopped plants cost the companies nothing",
    ] {
        assert!(deck.contains(v), "the deck lacks {v}");
    }
    let handout = read(&lesson, "handout.html");
    assert!(handout.contains("The 2023 UAW strike"));
    // The parties' goals are the scenario's words, not a war's: no company
    // "keeps up the pressure until the other side gives way".
    for text in [&deck, &handout] {
        assert!(
            text.contains("<b>Ford</b>: wants to hold down labour costs"),
            "the scenario's goal for Ford"
        );
        assert!(
            !text.contains("keep up the pressure"),
            "an archetype's goal"
        );
    }
    assert!(!read(&lesson, "teacher-notes.html").is_empty());
}
