//! "What would open the zone": each party's levers alone, in their own
//! currencies, and the concessions that open it, against hand calculations
//! on the textbook case and against the solver on every bundled scenario.

use std::path::Path;

use zopa::explain::{self, Lever, Openings, concede};
use zopa::model::Scenario;
use zopa::sim::{self, Step};
use zopa::zone::{Solver, Terms, ZONE_TOL};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

/// The textbook car sale with the seller's and the buyer's terms replaced.
fn car(seller: &str, buyer: &str) -> Scenario {
    let text = TEXTBOOK
        .replacen("reservation = 0.4", seller, 1)
        .replacen("reservation = 0.3", buyer, 1)
        .replace("perception_noise = 0.12", "perception_noise = 0.0");
    zopa::scenario::parse(Path::new("car.toml"), text).expect("a valid variant")
}

fn openings_at_0(sc: &Scenario) -> Openings {
    let tl = sim::run(sc, 1);
    explain::openings(sc, &tl, 0)
}

fn to(o: &Openings, party: usize, lever: Lever) -> Option<f64> {
    o.alone[party]
        .moves
        .iter()
        .find(|m| m.lever == lever)
        .expect("the lever is listed")
        .to
}

fn near(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

#[test]
fn bars_too_high_open_by_the_hand_calculated_amounts() {
    // Seller needs p >= 8, buyer p <= 5: 0.3 of utility apart in all.
    let sc = car("reservation = 0.8", "reservation = 0.5");
    let o = openings_at_0(&sc);
    // Alone, each bar must fall to 1 minus the other's.
    assert!(near(to(&o, 0, Lever::Bar), 0.5));
    assert!(near(to(&o, 1, Lever::Bar), 0.2));
    // The seller's ideal must come down to 7 (the buyer's 5 plus the
    // seller's 2 of room); the buyer's up to 3.
    assert!(near(to(&o, 0, Lever::Ideal { issue: 0 }), 7.0));
    assert!(near(to(&o, 1, Lever::Ideal { issue: 0 }), 3.0));
    // A concession of 0.3 alone, or 0.15 each together.
    assert!(near(o.alone[0].concession, 0.3));
    assert!(near(o.alone[1].concession, 0.3));
    assert!(near(o.smallest_joint().and_then(|j| j.concession), 0.15));
}

#[test]
fn crossing_red_lines_open_by_moving_a_line_or_conceding_a_tenth_of_the_range() {
    // Bars leave 4 <= p <= 7, but the seller's line says p >= 6 and the
    // buyer's p <= 5: the lines cross by 1 thousand EUR.
    let sc = car(
        "reservation = 0.4\nred_lines = [{ issue = \"price\", min = 6 }]",
        "reservation = 0.3\nred_lines = [{ issue = \"price\", max = 5 }]",
    );
    let o = openings_at_0(&sc);
    let least = Lever::RedLine {
        issue: 0,
        upper: false,
    };
    let most = Lever::RedLine {
        issue: 0,
        upper: true,
    };
    assert!(near(to(&o, 0, least), 5.0));
    assert!(near(to(&o, 1, most), 6.0));
    // No bar helps while the lines cross.
    assert_eq!(to(&o, 0, Lever::Bar), None);
    assert_eq!(to(&o, 1, Lever::Bar), None);
    // A line moves by d of the range (10): 1 thousand EUR is d = 0.1 alone,
    // 0.05 each together.
    assert!(near(o.alone[0].concession, 0.1));
    assert!(near(o.smallest_joint().and_then(|j| j.concession), 0.05));
}

/// The consenting parties' terms at a step, with one party's replaced.
fn gap_with(s: &Step, dim: usize, changed: &[(usize, Terms)]) -> f64 {
    let terms: Vec<Terms> = s
        .consenting
        .iter()
        .map(|&q| {
            changed
                .iter()
                .find(|(p, _)| *p == q)
                .map_or_else(|| s.terms[q].clone(), |(_, t)| t.clone())
        })
        .collect();
    <Solver>::default().gap(dim, &terms).value
}

fn moved(sc: &Scenario, t: &Terms, lever: Lever, v: f64) -> Terms {
    let mut t = t.clone();
    match lever {
        Lever::Bar => t.reservation = v,
        Lever::RedLine { issue, upper } => {
            let y = sc.issues[issue].normalise(v);
            if upper {
                t.upper[issue] = y
            } else {
                t.lower[issue] = y
            }
        }
        Lever::Ideal { issue } => t.ideal[issue] = sc.issues[issue].normalise(v),
    }
    t
}

fn bundled() -> Vec<Scenario> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| zopa::scenario::load(p).unwrap())
        .collect()
}

/// Each bundled scenario whose zone was shut at the step `explain` asks
/// about (seed 1): the scenario, that step and what would open it there.
fn asked() -> Vec<(Scenario, Step, Openings)> {
    let mut out = Vec::new();
    for sc in bundled() {
        let tl = sim::run(&sc, 1);
        let facts = zopa::facts::Facts::of(&sc, &tl);
        let effects = explain::event_effects(&sc, &tl);
        if let Some(step) = explain::default_step(&facts, &effects).map(|a| a.step) {
            let o = explain::openings(&sc, &tl, step);
            let s = tl.steps[step as usize].clone();
            out.push((sc, s, o));
        }
    }
    out
}

#[test]
fn every_move_named_opens_the_zone_and_nine_tenths_of_it_does_not() {
    let mut checked = 0;
    for (sc, s, o) in &asked() {
        let dim = sc.issues.len();
        for a in &o.alone {
            for m in &a.moves {
                let Some(to) = m.to else { continue };
                let t = s.terms[m.party].clone();
                let at = gap_with(s, dim, &[(m.party, moved(sc, &t, m.lever, to))]);
                assert!(at <= ZONE_TOL + 1e-9, "{}: {m:?} opens it", sc.name);
                let short = m.from + 0.9 * (to - m.from);
                let before = gap_with(s, dim, &[(m.party, moved(sc, &t, m.lever, short))]);
                assert!(before > ZONE_TOL, "{}: 90% of {m:?} does not", sc.name);
                checked += 1;
            }
        }
    }
    assert!(checked >= 3, "only {checked} moves checked");
}

#[test]
fn a_party_is_impossible_alone_exactly_when_the_others_have_no_zone() {
    for (sc, s, o) in &asked() {
        let dim = sc.issues.len();
        for a in &o.alone {
            let others: Vec<Terms> = s
                .consenting
                .iter()
                .filter(|&&q| q != a.party)
                .map(|&q| s.terms[q].clone())
                .collect();
            let others_agree = <Solver>::default().gap(dim, &others).value <= ZONE_TOL;
            assert_eq!(a.concession.is_some(), others_agree, "{}: {a:?}", sc.name);
            if let Some(d) = a.concession {
                let t = concede(&s.terms[a.party], dim, d);
                assert!(gap_with(s, dim, &[(a.party, t)]) <= ZONE_TOL + 1e-9);
                let t = concede(&s.terms[a.party], dim, 0.9 * d);
                assert!(d == 0.0 || gap_with(s, dim, &[(a.party, t)]) > ZONE_TOL);
            }
        }
        // Two parties together never need more than either alone.
        for j in &o.joint {
            for p in j.parties {
                let alone = o.alone.iter().find(|a| a.party == p).unwrap();
                if let Some(d) = alone.concession {
                    assert!(j.concession.is_some_and(|jd| jd <= d + 1e-12), "{j:?}");
                }
            }
        }
    }
}
