//! One value is said one way everywhere: the run summary writes the
//! settlement, the first zone and the smallest gap with the same phrases as
//! the report and `explain` (`zopa::text`), for every bundled scenario.

use std::path::Path;

use zopa::facts::Facts;
use zopa::model::Scenario;
use zopa::sim::{self, Outcome, Timeline};
use zopa::text;

fn bundled() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, zopa::scenario::load(p).unwrap())
        })
        .collect()
}

/// The value after `label` on the summary line that starts with it.
fn line<'a>(summary: &'a str, label: &str) -> &'a str {
    summary
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{summary}"))
        .trim_start()
}

fn run(sc: &Scenario) -> (Timeline, Facts) {
    let tl = sim::run(sc, 1);
    let facts = Facts::of(sc, &tl);
    (tl, facts)
}

#[test]
fn a_deal_is_written_as_the_report_writes_a_settlement_with_no_trailing_space() {
    let mut deals = 0;
    let mut unitless = 0;
    for (name, sc) in bundled() {
        let (tl, facts) = run(&sc);
        let summary = zopa::output::summary_text(&sc, &tl, &facts);
        for l in summary.lines() {
            assert_eq!(l, l.trim_end(), "{name}: trailing space in `{l}`");
        }
        if let Outcome::Deal { step, settlement } = &tl.outcome {
            deals += 1;
            unitless += usize::from(sc.issues.iter().any(|i| i.unit.is_empty()));
            let want = format!(
                "DEAL at {} {step}: {}",
                sc.step_unit,
                text::settlement_text(&sc, settlement)
            );
            assert_eq!(line(&summary, "outcome:"), want, "{name}");
        }
    }
    // The case that once printed `price 6.40 ` is among them.
    assert!(
        deals >= 2 && unitless >= 1,
        "{deals} deals, {unitless} unitless"
    );
}

#[test]
fn the_first_zone_is_written_alike_by_the_summary_and_explain() {
    for (name, sc) in bundled() {
        let (tl, facts) = run(&sc);
        let summary = zopa::output::summary_text(&sc, &tl, &facts);
        let want = text::first_zone_text(facts.first_zone, &sc.step_unit);
        assert_eq!(line(&summary, "first zone:"), want, "{name}");
        let told = zopa::report::text::render(&zopa::report::analyse(&sc, tl, None, None));
        assert_eq!(line(&told, "first zone:"), want, "{name}");
    }
}

#[test]
fn a_smallest_gap_that_rounds_to_zero_is_never_negative() {
    let (_, sc) = bundled()
        .into_iter()
        .find(|(n, _)| n == "textbook")
        .expect("the textbook scenario");
    let (tl, mut facts) = run(&sc);
    // A zone only just open: depth 0.00001, which `{:+.4}` writes -0.0000.
    facts.smallest_gap.gap = -0.00001;
    let summary = zopa::output::summary_text(&sc, &tl, &facts);
    let gap = line(&summary, "smallest gap:");
    assert!(gap.starts_with("+0.0000 at "), "{gap}");
    assert_eq!(text::gap_text(facts.smallest_gap.gap), "+0.0000");
}
