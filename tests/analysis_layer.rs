//! What the views read, computed once in the analysis layer, checked
//! against independent answers: the outcome space of two parties (no grid
//! settlement in the zone beats the Nash point's product of gains, every
//! point of the zone clears both bars, the deal sits where the run made
//! it), each party's bar change read off the timeline by hand, and the
//! event that mattered most.

use std::path::Path;

use zopa::facts::{BAR_NOTICE, Facts};
use zopa::model::Scenario;
use zopa::outcome::pair_space;
use zopa::sim::{self, Outcome};

fn scenario(name: &str) -> Scenario {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    zopa::scenario::load(&p).unwrap()
}

/// Two parties' gains over their bars, multiplied.
fn product(at: (f64, f64), bars: (f64, f64)) -> f64 {
    (at.0 - bars.0) * (at.1 - bars.1)
}

#[test]
fn no_settlement_in_the_zone_beats_the_nash_point_of_two_parties() {
    for name in ["textbook", "negmas-bilateral", "negmas-alternating"] {
        let sc = scenario(name);
        let tl = sim::run(&sc, 1);
        let facts = Facts::of(&sc, &tl);
        let first = facts.first_zone.expect("these scenarios open a zone");
        let step = &tl.steps[first as usize];
        let space = pair_space(&sc, &tl, first, facts.outcome_pair(step));
        assert!(
            !space.in_zone.is_empty(),
            "{name}: a zone with no grid point"
        );
        let nash = space.nash.expect("a zone has a Nash point");
        let best = product(nash, space.bars);
        for &p in &space.in_zone {
            assert!(
                p.0 >= space.bars.0 - 1e-9 && p.1 >= space.bars.1 - 1e-9,
                "{name}: {p:?}"
            );
            assert!(
                product(p, space.bars) <= best + 1e-9,
                "{name}: {p:?} beats {nash:?}"
            );
        }
        // The Kalai-Smorodinsky point gives each the same share of its best
        // gain within the zone, up to the grid's resolution.
        let ks = space.kalai_smorodinsky.expect("a zone has a KS point");
        let top_a = space.in_zone.iter().map(|p| p.0).fold(f64::MIN, f64::max);
        let top_b = space.in_zone.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        let share_a = (ks.0 - space.bars.0) / (top_a - space.bars.0);
        let share_b = (ks.1 - space.bars.1) / (top_b - space.bars.1);
        assert!(
            (share_a - share_b).abs() < 0.05,
            "{name}: {share_a} vs {share_b}"
        );
        // The frontier runs from the first party's ideal to the second's.
        let (start, end) = (space.frontier[0], *space.frontier.last().unwrap());
        assert!(
            (start.0 - 1.0).abs() < 1e-9 && (end.1 - 1.0).abs() < 1e-9,
            "{name}"
        );
    }
}

#[test]
fn the_deal_is_on_the_table_at_its_step_and_nowhere_else() {
    let sc = scenario("textbook");
    let tl = sim::run(&sc, 1);
    let Outcome::Deal { step, .. } = tl.outcome else {
        panic!("the textbook run ends in a deal");
    };
    let facts = Facts::of(&sc, &tl);
    let pair = facts.outcome_pair(&tl.steps[step as usize]);
    let at = pair_space(&sc, &tl, step, pair).on_table.expect("the deal");
    assert!(at.deal);
    if step > 0 {
        let before = pair_space(&sc, &tl, step - 1, pair);
        assert!(before.on_table.is_none_or(|t| !t.deal));
    }
}

#[test]
fn bar_changes_are_read_off_the_timeline_up_to_each_partys_last_step_at_the_table() {
    for name in [
        "budapest-cancelled",
        "sustained-pressure",
        "textbook",
        "us-steps-back",
    ] {
        let sc = scenario(name);
        let tl = sim::run(&sc, 1);
        let facts = Facts::of(&sc, &tl);
        assert_eq!(facts.bar_changes.len(), sc.parties.len(), "{name}");
        for c in &facts.bar_changes {
            let p = c.party;
            let last = (tl.steps.iter())
                .filter(|s| s.engaged[p])
                .map(|s| s.step)
                .max()
                .unwrap();
            assert_eq!(c.last_step, last, "{name}");
            assert_eq!(c.from, tl.steps[0].reservation[p]);
            assert_eq!(c.to, tl.steps[last as usize].reservation[p]);
        }
        // Giving ground is asked of those who blocked only.
        let smallest = (facts.bar_changes.iter())
            .filter(|c| facts.blocking[c.party].steps > 0)
            .map(|c| c.change())
            .fold(f64::INFINITY, f64::min);
        match facts.largest_bar_fall() {
            Some(c) => assert!(c.change() == smallest && smallest < -BAR_NOTICE),
            None => assert!(smallest >= -BAR_NOTICE, "{name}: {smallest}"),
        }
    }
}

#[test]
fn the_event_that_mattered_most_is_the_one_the_questions_name() {
    let sc = scenario("budapest-cancelled");
    let tl = sim::run(&sc, 1);
    let effects = zopa::explain::event_effects(&sc, &tl);
    let best = zopa::explain::mattered_most(&effects).expect("events fired");
    assert!(
        (effects.iter()).all(|e| e.mean_gap_change.abs() <= best.mean_gap_change.abs()),
        "{effects:?}"
    );
    let a = zopa::report::analyse(&sc, tl.clone(), None, None);
    let label = &sc.events[best.event].label;
    let asked = (a.questions.iter())
        .find(|q| q.starts_with("Which event mattered most?"))
        .expect("the question is asked");
    assert!(asked.contains(&format!("Without \"{label}\"")), "{asked}");
}
