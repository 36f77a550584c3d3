//! Each scenario built from the article does what its header says, for
//! several seeds (the claims must not hang on one lucky draw).

use std::path::Path;

use zopa::model::Scenario;
use zopa::scenario;
use zopa::sim::{self, Timeline};

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn party(sc: &Scenario, id: &str) -> usize {
    sc.party_index(id).unwrap()
}

fn blocks(tl: &Timeline, step: usize, p: usize) -> bool {
    tl.steps[step].blocks(p)
}

#[test]
fn baseline_has_no_zone_at_first_and_russia_blocks() {
    let sc = load("budapest-cancelled");
    let russia = party(&sc, "russia");
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        assert!(!tl.steps[0].zone_exists());
        assert!(blocks(&tl, 0, russia));
        // Russia's threshold stays beyond the line Ukraine holds all year.
        assert!(tl.first_zone().is_none(), "seed {seed}");
    }
}

#[test]
fn freezing_the_front_falls_short_of_russias_threshold_and_us_leverage_adds_pressure() {
    let sc = load("freeze-the-front");
    let base = load("budapest-cancelled");
    let russia = party(&sc, "russia");
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        let front = tl.steps[0].front;
        assert!(!tl.steps[0].zone_exists() && blocks(&tl, 0, russia));
        // Russia accepts nothing at or behind the current line.
        let russia_low = tl.steps[0].ranges[russia].unwrap().low;
        assert!(russia_low > front, "{russia_low} vs front {front}");
        let end = tl.steps.last().unwrap().pressure;
        let base_end = sim::run(&base, seed).steps.last().unwrap().pressure;
        assert!(end > base_end + 0.1, "seed {seed}: {end} vs {base_end}");
    }
}

#[test]
fn splitting_donetsk_leaves_ukraine_blocking() {
    let sc = load("donetsk-split");
    let base = load("budapest-cancelled");
    let ukraine = party(&sc, "ukraine");
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        let split = tl
            .steps
            .iter()
            .position(|s| !s.events.is_empty() && s.step == 3)
            .expect("the split at week 3");
        for s in split..tl.steps.len() {
            assert!(
                !tl.steps[s].zone_exists() && blocks(&tl, s, ukraine),
                "seed {seed} step {s}"
            );
        }
        let base_tl = sim::run(&base, seed);
        assert!(tl.steps[split].reservation[ukraine] > base_tl.steps[split].reservation[ukraine]);
    }
}

#[test]
fn sustained_pressure_narrows_the_gap_and_opens_a_zone_at_the_line() {
    let sc = load("sustained-pressure");
    let russia = party(&sc, "russia");
    let mut opened = 0;
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        let smallest = tl.steps.iter().map(|s| s.gap).fold(f64::INFINITY, f64::min);
        assert!(
            smallest < tl.steps[0].gap - 0.015,
            "seed {seed}: the gap narrows"
        );
        let Some(first) = tl.first_zone() else {
            continue;
        };
        opened += 1;
        let s = &tl.steps[first as usize];
        // The zone sits at the line: Russia's claim has shrunk to it.
        let zopa::zone::Interval { low: lo, high: hi } = s.extent_on(sc.front_issue).unwrap();
        assert!(
            (lo - s.front).abs() < 0.05 && (hi - s.front).abs() < 0.05,
            "{lo}..{hi} vs {}",
            s.front
        );
        assert!(s.reservation[russia] < tl.steps[0].reservation[russia]);
    }
    // "Around week 16 for most seeds", says the header.
    assert!(
        opened >= 4,
        "a zone opens in most seeds ({opened} of {})",
        SEEDS.len()
    );
}

#[test]
fn when_pressure_eases_russia_stalls_and_the_gap_widens() {
    let sc = load("pressure-eases");
    let russia = party(&sc, "russia");
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        let (eased, end) = (&tl.steps[8], tl.steps.last().unwrap());
        assert!(end.pressure < eased.pressure);
        assert!(end.reservation[russia] > eased.reservation[russia] + 0.1);
        assert!(end.gap > eased.gap + 0.05);
        assert!(tl.first_zone().is_none());
    }
}

#[test]
fn the_us_stepping_back_does_not_open_a_zone_by_itself() {
    let sc = load("us-steps-back");
    let usa = party(&sc, "usa");
    let russia = party(&sc, "russia");
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        assert!(
            tl.steps[1..]
                .iter()
                .all(|s| !s.engaged[usa] && !s.blocks(usa))
        );
        assert!(!tl.steps[0].zone_exists() && blocks(&tl, 0, russia));
        assert!(tl.first_zone().is_none(), "seed {seed}");
    }
}

#[test]
fn every_event_of_the_article_scenarios_cites_a_line_of_the_article() {
    let article = include_str!("../seeds/000_7613a11baa41623b.txt");
    let lines: Vec<&str> = article.lines().collect();
    for name in [
        "budapest-cancelled",
        "freeze-the-front",
        "donetsk-split",
        "sustained-pressure",
        "pressure-eases",
        "us-steps-back",
    ] {
        let sc = load(name);
        assert_eq!(sc.source, "seeds/000_7613a11baa41623b.txt");
        for e in &sc.events {
            let line = e
                .source_line
                .unwrap_or_else(|| panic!("{name}: `{}` cites no line", e.label))
                as usize;
            assert!(
                line >= 1 && !lines[line - 1].trim().is_empty(),
                "{name}: `{}` cites an empty line {line}",
                e.label
            );
        }
    }
}
