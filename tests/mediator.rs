//! The mediator that learns: from every answer to a proposal it learns where
//! a party's bar lies, so a zone that stays open is not missed for long,
//! however badly it first reads the bars.

use std::path::Path;

use zopa::model::Scenario;
use zopa::{mc, scenario, sim};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

fn parse(text: &str) -> Scenario {
    scenario::parse(Path::new("case.toml"), text.to_string()).expect("a valid scenario")
}

/// The textbook's two traders with both bars at 0.45: the zone is price
/// 4.5 to 5.5, depth 0.05 (at the Nash point 5.0 each keeps 0.05 above its
/// bar), open at every round.
fn narrow_textbook(noise: f64, learning: bool) -> Scenario {
    let text = TEXTBOOK
        .replacen("reservation = 0.4", "reservation = 0.45", 1)
        .replacen("reservation = 0.3", "reservation = 0.45", 1)
        .replacen(
            "perception_noise = 0.12",
            &format!("perception_noise = {noise}\nlearning = {learning}"),
            1,
        );
    parse(&text)
}

/// Three parties over two issues with fixed bars, a zone of depth 0.1.
fn three_on_two_issues(noise: f64) -> Scenario {
    parse(&format!(
        r##"
[scenario]
name = "three"
title = "Three parties, two issues"
[time]
steps = 12
[[issues]]
id = "x"
label = "X"
min = 0
max = 1
[[issues]]
id = "y"
label = "Y"
min = 0
max = 1
[[parties]]
id = "a"
name = "A"
colour = "#000000"
archetype = "sustained_pressure"
reservation = 0.4
ideal = {{ x = 0, y = 0 }}
[[parties]]
id = "b"
name = "B"
colour = "#000000"
archetype = "sustained_pressure"
reservation = 0.4
ideal = {{ x = 1, y = 0 }}
[[parties]]
id = "c"
name = "C"
colour = "#000000"
archetype = "sustained_pressure"
reservation = 0.3
ideal = {{ x = 0.5, y = 1 }}
[world]
front_issue = "x"
[mediator]
perception_noise = {noise}
"##
    ))
}

/// The share of `runs` runs that reach a deal within the horizon.
fn deal_rate(sc: &Scenario, runs: u64) -> f64 {
    let t = mc::simulate_quietly(sc, 17, runs, 2);
    t.deals() as f64 / runs as f64
}

#[test]
fn a_learning_mediator_finds_an_open_zone_of_depth_005_within_12_rounds() {
    for noise in [0.0, 0.1, 0.2, 0.3] {
        let sc = narrow_textbook(noise, true);
        let depth = -sim::run(&sc, 1).steps[0].gap;
        assert!((depth - 0.05).abs() < 1e-12, "depth {depth}");
        let rate = deal_rate(&sc, 4000);
        assert!(rate >= 0.99, "noise {noise}: deals in {rate} of runs");
    }
}

#[test]
fn it_learns_on_several_issues_with_three_parties_too() {
    for noise in [0.1, 0.3] {
        let sc = three_on_two_issues(noise);
        let first = &sim::run(&sc, 1).steps[0];
        assert!(first.gap <= -0.05, "a zone of depth {}", -first.gap);
        let rate = deal_rate(&sc, 2000);
        assert!(rate >= 0.99, "noise {noise}: deals in {rate} of runs");
    }
}

#[test]
fn a_memoryless_mediator_misses_the_same_zone_often() {
    // learning = false keeps the mediator that redraws its misreading each
    // round and proposes only where it sees a zone.
    let memoryless = deal_rate(&narrow_textbook(0.3, false), 4000);
    let learning = deal_rate(&narrow_textbook(0.3, true), 4000);
    assert!(memoryless < 0.9, "memoryless: {memoryless}");
    assert!(learning > memoryless + 0.09, "{learning} vs {memoryless}");
}

#[test]
fn with_no_zone_probing_never_makes_a_deal() {
    // Bars too high for any settlement: probes are refused by someone.
    let text = TEXTBOOK
        .replacen("reservation = 0.4", "reservation = 0.7", 1)
        .replacen("reservation = 0.3", "reservation = 0.6", 1);
    let sc = parse(&text);
    assert!(sim::run(&sc, 1).steps.iter().all(|s| !s.zone_exists()));
    assert_eq!(mc::simulate_quietly(&sc, 3, 500, 2).deals(), 0);
}

#[test]
fn every_deal_is_accepted_by_every_consenting_party_under_its_true_bar() {
    let sc = three_on_two_issues(0.3);
    for seed in 0..50 {
        let tl = sim::run(&sc, seed);
        if let sim::Outcome::Deal { step, settlement } = &tl.outcome {
            let s = &tl.steps[*step as usize];
            let y: Vec<f64> = (sc.issues.iter().zip(settlement))
                .map(|(i, &v)| i.normalise(v))
                .collect();
            for &p in &s.consenting {
                assert!(s.terms[p].accepts(2, &y), "seed {seed}: party {p}");
            }
        }
    }
}

#[test]
fn a_mediator_that_reads_every_bar_exactly_proposes_the_recorded_nash_point() {
    // With no perception noise the mediator sees the zone the step has
    // just solved, so its offer at the first zone is that zone's Nash
    // point to the last bit, in the two peer scenarios and the textbook.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut cases = vec![
        scenario::load(&root.join("negmas-bilateral.toml")).expect("loads"),
        scenario::load(&root.join("rationalist-explanations.toml")).expect("loads"),
    ];
    cases.push(narrow_textbook(0.0, false));
    for sc in &cases {
        assert_eq!(sc.perception_noise, 0.0, "{}", sc.name);
        let tl = sim::run(sc, 1);
        let step = tl
            .steps
            .iter()
            .find(|s| s.zone_exists())
            .unwrap_or_else(|| panic!("{}: a zone opens", sc.name));
        let offer = step
            .proposal
            .as_ref()
            .expect("an offer where the zone is open");
        assert!(step.point_is_nash, "{}", sc.name);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&offer.point), bits(&step.point), "{}", sc.name);
    }
}
