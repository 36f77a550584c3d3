//! Each scenario built from the article does what its header says, for
//! several seeds (the claims must not hang on one lucky draw).

use std::path::Path;

use zopa::mc;
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

/// The other reading of Ukraine's line (its header's variant): Ukraine
/// accepts a freeze at the current line, where the article (line 35) has it
/// refuse one.
fn freeze_reading(name: &str) -> Scenario {
    let mut sc = load(name);
    let t = sc
        .parse_target("parties.ukraine.red_lines.territory.max")
        .unwrap();
    sc.set(t, 0.0);
    sc
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
fn as_the_article_reads_ukraine_the_lines_cross_all_year_in_every_scenario() {
    for name in [
        "budapest-cancelled",
        "freeze-the-front",
        "donetsk-split",
        "sustained-pressure",
        "pressure-eases",
        "us-steps-back",
    ] {
        let sc = load(name);
        let (russia, ukraine) = (party(&sc, "russia"), party(&sc, "ukraine"));
        for seed in SEEDS {
            let tl = sim::run(&sc, seed);
            for s in &tl.steps {
                assert!(s.crossing(sc.front_issue) > 0.0, "{name} seed {seed}");
                let (r, u) = (s.ranges[russia].unwrap(), s.ranges[ukraine].unwrap());
                assert!(r.low > u.high, "{name} seed {seed} week {}", s.step);
            }
        }
    }
}

#[test]
fn the_baseline_is_shut_by_two_walls_and_opens_only_when_both_move() {
    let sc = freeze_reading("budapest-cancelled");
    let vary = |changes: &[(&str, f64)]| {
        let mut v = sc.clone();
        for (path, value) in changes {
            let t = v.parse_target(path).unwrap();
            v.set(t, *value);
        }
        v
    };
    let zone = |s: &Scenario| {
        let t = mc::simulate_quietly(s, 1, 400, 2);
        *t.zone_by.last().unwrap() as f64 / t.runs as f64
    };
    // Breaking pressure in reach: the lines meet, but the bars stay apart.
    let lines_only = vary(&[("parties.russia.breaking_pressure", 0.3)]);
    let tl = sim::run(&lines_only, 1);
    assert!(tl.steps.iter().all(|s| !s.lines_cross() && s.bar_gap > 0.0));
    assert_eq!(zone(&lines_only), 0.0);
    // Moving one bar as well opens the zone in every run.
    for bar in [
        ("parties.russia.reservation", 0.5),
        ("parties.ukraine.reservation", 0.3),
    ] {
        let both = vary(&[("parties.russia.breaking_pressure", 0.3), bar]);
        assert_eq!(zone(&both), 1.0, "{bar:?}");
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
            .position(|s| !s.events.is_empty() && s.step == 1)
            .expect("the split at week 1");
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
fn sustained_pressure_brings_russias_claim_to_the_line_by_week_16() {
    let sc = freeze_reading("sustained-pressure");
    let russia = party(&sc, "russia");
    let territory = sc.front_issue;
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        let smallest = tl.steps.iter().map(|s| s.gap).fold(f64::INFINITY, f64::min);
        assert!(
            smallest < tl.steps[0].gap - 0.015,
            "seed {seed}: the gap narrows"
        );
        assert!(
            tl.steps[0].crossing(territory) > 1.0,
            "the lines cross at first"
        );
        let met = tl.steps.iter().position(|s| s.crossing(territory) <= 0.0);
        assert!(
            met.is_some_and(|w| w <= 16),
            "seed {seed}: the lines meet by week 16: {met:?}"
        );
        let end = tl.steps.last().unwrap();
        assert!(end.reservation[russia] < tl.steps[0].reservation[russia]);
    }
}

#[test]
fn in_sustained_pressure_the_offensive_timed_to_closeness_keeps_the_zone_shut() {
    let sc = freeze_reading("sustained-pressure");
    let with = mc::simulate_quietly(&sc, 1, 2000, 2);
    let mut calm = sc.clone();
    let offensive = calm.parse_target("events.offensive.probability").unwrap();
    calm.set(offensive, 0.0);
    let without = mc::simulate_quietly(&calm, 1, 2000, 2);
    let zone = |t: &mc::Tally| *t.zone_by.last().unwrap() as f64 / t.runs as f64;
    assert!(zone(&with) < 0.1, "with the offensive: {}", zone(&with));
    assert!(zone(&without) > 0.4, "without it: {}", zone(&without));
}

#[test]
fn in_sustained_pressure_more_european_pressure_never_lowers_the_chance_of_a_deal() {
    let sc = freeze_reading("sustained-pressure");
    let axis: zopa::sweep::Axis = "parties.europe.pressure_per_step=0:0.08:5".parse().unwrap();
    let target = zopa::sweep::resolve(&axis, &sc).unwrap();
    let plan = zopa::sweep::Plan {
        axes: vec![axis],
        targets: vec![target],
        seed: 1,
        runs: 1000,
        shard: None,
    };
    let cells = zopa::sweep::run(&sc, &plan, 2, &mc::Silent);
    for (i, a) in cells.iter().enumerate() {
        for b in &cells[i + 1..] {
            // A later (more pressure) cell's interval never lies wholly below
            // an earlier one's.
            let (_, b_high) = mc::wilson(b.deal, b.runs);
            let (a_low, _) = mc::wilson(a.deal, a.runs);
            assert!(b_high >= a_low, "cell {} below cell {}", b.index, a.index);
        }
    }
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
        assert_eq!(sc.source, "../seeds/000_7613a11baa41623b.txt");
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
