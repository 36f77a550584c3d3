//! A scenario of at most four issues runs on arrays four issues wide, and
//! any scenario may run on arrays as wide as the format allows: the two are
//! the same code at two widths, so a run must not depend on which one it
//! ran at. Held step by step, every field of the record, for every bundled
//! scenario and some of the test data, with the mediator's noise and the
//! events' chances drawing from the same streams.

use std::path::Path;

use zopa::model::Scenario;
use zopa::rng;
use zopa::scenario;
use zopa::sim::{NARROW, Simulation};

fn scenarios() -> Vec<(String, Scenario)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = ["scenarios", "tests/data"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("a bundled folder"))
        .map(|e| e.expect("a listed file").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let sc = scenario::load(&p).ok()?;
            Some((p.display().to_string(), sc))
        })
        .collect()
}

#[test]
fn every_bundled_scenario_runs_the_same_at_both_widths() {
    let all = scenarios();
    let narrow: Vec<_> = all
        .iter()
        .filter(|(_, sc)| sc.issues.len() <= NARROW)
        .collect();
    assert!(
        narrow.len() >= 12,
        "only {} scenarios to compare",
        narrow.len()
    );
    for (name, sc) in narrow {
        for seed in [1, 7] {
            let mut wide = Simulation::new(sc);
            let mut small = Simulation::<NARROW, { NARROW + 1 }>::with_width(sc);
            let (mut a, mut b) = (rng::stream(seed, 3), rng::stream(seed, 3));
            for t in 0..sc.steps {
                let (x, y) = (wide.step(t, &mut a), small.step(t, &mut b));
                assert_eq!(x, y, "{name}, seed {seed}, step {t}");
            }
        }
    }
}

#[test]
fn the_monte_carlo_step_gives_the_same_core_at_both_widths() {
    for (name, sc) in scenarios()
        .iter()
        .filter(|(_, sc)| sc.issues.len() <= NARROW)
    {
        let mut wide = Simulation::new(sc);
        let mut small = Simulation::<NARROW, { NARROW + 1 }>::with_width(sc);
        for run in 0..4 {
            wide.reset();
            small.reset();
            let (mut a, mut b) = (rng::stream(5, run), rng::stream(5, run));
            for t in 0..sc.steps {
                let (x, y) = (wide.advance(t, &mut a), small.advance(t, &mut b));
                assert_eq!(
                    x.gap.to_bits(),
                    y.gap.to_bits(),
                    "{name} run {run} step {t}"
                );
                assert_eq!(x.zone, y.zone);
                assert_eq!(x.minimiser[..NARROW], y.minimiser[..]);
                assert!(x.minimiser[NARROW..].iter().all(|&v| v == 0.0 || v == 0.5));
                assert_eq!(
                    x.deal.map(|d| d[..NARROW].to_vec()),
                    y.deal.map(|d| d.to_vec())
                );
                assert_eq!(
                    wide.blockers(),
                    small.blockers(),
                    "{name} run {run} step {t}"
                );
                assert_eq!(wide.fired(), small.fired());
                if x.deal.is_some() {
                    break;
                }
            }
        }
    }
}

#[test]
#[should_panic(expected = "wider than its run's arrays")]
fn a_scenario_wider_than_its_arrays_is_refused() {
    let (_, sc) = scenarios()
        .into_iter()
        .find(|(_, sc)| sc.issues.len() > 1)
        .expect("a scenario of two issues or more");
    let _ = Simulation::<1, 2>::with_width(&sc);
}

#[path = "support/crowded.rs"]
mod crowded;

/// Each consenting party's answer is a bit of one mask: with 40 parties,
/// the most a scenario may hold, every answer must count, or a settlement
/// all of them accept would never be a deal.
#[test]
fn forty_consenting_parties_can_all_say_yes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let textbook = std::fs::read_to_string(root.join("scenarios/textbook.toml")).unwrap();
    let text = crowded::crowded(&textbook, 2, 40)
        .replace("perception_noise = 0.12", "perception_noise = 0");
    let sc = scenario::parse(Path::new("forty.toml"), text).expect("a valid scenario");
    assert_eq!(sc.parties.len(), 40);
    let timeline = zopa::sim::run(&sc, 1);
    let first = &timeline.steps[0];
    assert!(
        first.zone_exists(),
        "the buyers all want what the buyer wants"
    );
    let proposal = first
        .proposal
        .as_ref()
        .expect("a mediator that sees a zone proposes");
    assert_eq!(proposal.accepted_by, (0..40).collect::<Vec<_>>());
    assert!(
        proposal.deal,
        "every one of the 40 accepted, so it is a deal"
    );
}
