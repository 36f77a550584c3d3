// Index loops read like the formulas they check.
#![allow(clippy::needless_range_loop)]

//! The Nash and Kalai-Smorodinsky points from 2 to 12 issues and 2 to 40
//! parties: against the pieces where they serve, and against the
//! optimality conditions and local search beyond.

#[path = "support/open_zone.rs"]
mod open_zone;

use open_zone::{Instance, instance};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zopa::zone::outcome::{
    kalai_smorodinsky, kalai_smorodinsky_structured, pareto_room_structured,
};
use zopa::zone::{MAX_ISSUES, Solver, Terms, ZONE_TOL, worst_shortfall};

/// The same zone with one issue pinned by two parties' lines meeting at
/// `y0`: the Nash point must keep it there.
fn pin_first_issue(inst: &mut Instance) {
    let v = inst.y0[0];
    inst.terms[0].lower[0] = v;
    inst.terms[1].upper[0] = v;
}

fn log_nash_product(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    terms
        .iter()
        .map(|t| (t.utility(dim, y) - t.reservation).ln())
        .sum()
}

/// The box the red lines leave, issue by issue.
fn line_box(dim: usize, terms: &[Terms]) -> ([f64; MAX_ISSUES], [f64; MAX_ISSUES]) {
    let (mut lo, mut hi) = ([0.0f64; MAX_ISSUES], [1.0f64; MAX_ISSUES]);
    for t in terms {
        for k in 0..dim {
            lo[k] = lo[k].max(t.lower[k]);
            hi[k] = hi[k].min(t.upper[k]);
        }
    }
    (lo, hi)
}

/// How far `y` is from the optimality conditions of the Nash programme.
/// The log of the Nash product is concave and each utility separable, so
/// its superdifferential is a box: on each issue, every party contributes
/// `-w sign(y - ideal) / surplus`, or the whole interval between `-w /
/// surplus` and `w / surplus` at its ideal (a kink, whose multiplier is
/// free in it). The point is optimal when, issue by issue, the box holds
/// zero, or at a red line or the range's end, a slope pointing out of it.
fn stationarity_violation(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    const KINK: f64 = 1e-7;
    let (lo, hi) = line_box(dim, terms);
    let mut worst: f64 = 0.0;
    for k in 0..dim {
        if hi[k] - lo[k] < KINK {
            continue;
        }
        let (mut least, mut most) = (0.0, 0.0);
        for t in terms {
            let s = t.utility(dim, y) - t.reservation;
            let w = t.weight[k] / s;
            let x = y[k] - t.ideal[k];
            if x.abs() <= KINK {
                least -= w;
                most += w;
            } else {
                least -= w * x.signum();
                most -= w * x.signum();
            }
        }
        // Moving up must not gain (unless at the upper end), nor moving down.
        if y[k] - hi[k] < -KINK {
            worst = worst.max(least);
        }
        if y[k] - lo[k] > KINK {
            worst = worst.max(-most);
        }
    }
    worst
}

/// The most any of many small random moves within the lines gains on the
/// log of the Nash product at `y`: a local search that knows nothing of
/// the solver (for a concave objective, local is global).
fn best_local_gain(rng: &mut ChaCha8Rng, dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    let (lo, hi) = line_box(dim, terms);
    let here = log_nash_product(dim, terms, y);
    let mut best = f64::NEG_INFINITY;
    for trial in 0..3000 {
        let size = [1e-2, 1e-4, 1e-6][trial % 3];
        let mut z = [0.0; MAX_ISSUES];
        for k in 0..dim {
            // Sparse moves reach along kinks, dense ones across them.
            let moves = trial % 2 == 0 || rng.random::<f64>() < 0.3;
            let step = if moves {
                size * rng.random_range(-1.0..1.0)
            } else {
                0.0
            };
            z[k] = (y[k] + step).clamp(lo[k], hi[k]);
        }
        if terms
            .iter()
            .all(|t| t.utility(dim, &z[..dim]) > t.reservation)
        {
            best = best.max(log_nash_product(dim, terms, &z[..dim]) - here);
        }
    }
    best
}

fn assert_in_zone(dim: usize, terms: &[Terms], y: &[f64], what: &str) {
    let worst = worst_shortfall(dim, terms, y);
    assert!(worst <= ZONE_TOL, "{what}: a party refuses it by {worst}");
}

#[test]
fn structured_nash_point_matches_the_pieces_at_the_sizes_they_serve() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for case in 0..300 {
        let (dim, parties) = (rng.random_range(2..=4), rng.random_range(2..=8));
        let mut inst = instance(&mut rng, dim, parties, case % 3 == 0);
        if case % 7 == 0 {
            pin_first_issue(&mut inst);
        }
        let Instance { terms, y0, gap, .. } = &inst;
        let pieces = <Solver>::default().nash(dim, terms, *gap, y0);
        let structured = Solver::nash_structured(dim, terms, *gap, y0);
        assert_in_zone(dim, terms, &structured[..dim], "structured");
        let (a, b) = (
            log_nash_product(dim, terms, &pieces[..dim]),
            log_nash_product(dim, terms, &structured[..dim]),
        );
        assert!(
            (a - b).abs() <= 1e-7,
            "case {case} ({dim} issues, {parties} parties): pieces {a}, structured {b}"
        );
    }
}

#[test]
fn nash_point_up_to_twelve_issues_and_forty_parties_is_in_the_zone_and_stationary() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let sizes = [
        (5, 9),
        (6, 12),
        (8, 16),
        (10, 25),
        (12, 40),
        (12, 40),
        (12, 3),
    ];
    for (case, &(dim, parties)) in sizes.iter().enumerate() {
        let mut inst = instance(&mut rng, dim, parties, case % 2 == 1);
        if case == 2 {
            pin_first_issue(&mut inst);
        }
        let y = <Solver>::default().nash(dim, &inst.terms, inst.gap, &inst.y0);
        let what = format!("{dim} issues, {parties} parties");
        assert_in_zone(dim, &inst.terms, &y[..dim], &what);
        let off = stationarity_violation(dim, &inst.terms, &y[..dim]);
        assert!(off <= 1e-6, "{what}: off stationarity by {off}");
        assert!(
            log_nash_product(dim, &inst.terms, &y[..dim])
                > log_nash_product(dim, &inst.terms, &inst.y0[..dim]) - 1e-12,
            "{what}: worse than the start"
        );
        if case == 2 {
            assert_eq!(y[0], inst.y0[0], "{what}: the pinned issue moved");
        }
    }
}

#[test]
fn no_small_move_beats_the_nash_point_at_twelve_issues_and_forty_parties() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    for case in 0..2 {
        let inst = instance(&mut rng, 12, 40, case == 1);
        let y = <Solver>::default().nash(12, &inst.terms, inst.gap, &inst.y0);
        let gain = best_local_gain(&mut rng, 12, &inst.terms, &y[..12]);
        assert!(gain <= 1e-9, "a move gains {gain} on the log Nash product");
    }
}

#[test]
fn the_stationarity_check_refuses_a_point_short_of_the_optimum() {
    // The check above must be able to fail: the start of the search is in
    // the zone but not optimal.
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let inst = instance(&mut rng, 12, 40, false);
    let off = stationarity_violation(12, &inst.terms, &inst.y0[..12]);
    assert!(off > 1e-3, "the start passes as optimal ({off})");
}

#[test]
fn structured_outcome_space_matches_bisection_at_the_sizes_it_served() {
    let mut rng = ChaCha8Rng::seed_from_u64(15);
    let mut compared = 0;
    for case in 0..40 {
        let (dim, parties) = (rng.random_range(2..=4), rng.random_range(2..=6));
        let inst = instance(&mut rng, dim, parties, case % 3 == 0);
        let terms = &inst.terms;
        let gap = <Solver>::default().gap(dim, terms);
        let fast = kalai_smorodinsky_structured(dim, terms, &gap);
        assert_in_zone(dim, terms, &fast[..dim], "structured KS");
        // The point need not be unique; the share every party is sure of
        // there is: the largest that opens a zone, by bisection.
        let best = bests(dim, terms);
        let share = largest_opening(dim, |s| {
            let mut raised = terms.clone();
            for (t, m) in raised.iter_mut().zip(&best) {
                t.reservation += s * (m - t.reservation);
            }
            raised
        });
        let got = least_share(dim, terms, &best, &fast[..dim]);
        assert!(
            (got - share).abs() <= 1e-6,
            "case {case}: KS shares {share} and {got}"
        );
        assert!(share > 0.0, "case {case}: no share at all");
        // The library's own bisection, where its warm-started gap solves
        // gave it a point (see the note on `largest_opening`).
        let ks = kalai_smorodinsky(&mut <Solver>::default(), dim, terms).expect("a zone");
        if ks[..dim].iter().all(|v| v.is_finite()) {
            compared += 1;
            let theirs = least_share(dim, terms, &best, &ks[..dim]);
            assert!(
                (theirs - got).abs() <= 1e-6,
                "case {case}: {theirs} and {got}"
            );
        }
        for y in [inst.y0, far_corner(&inst)] {
            let room = largest_opening(dim, |g| {
                let mut raised = terms.clone();
                for t in raised.iter_mut() {
                    t.reservation = t.utility(dim, &y[..dim]) + g;
                }
                raised
            });
            let fast = pareto_room_structured(dim, terms, &y[..dim]);
            assert!(
                (room - fast).abs() <= 1e-7,
                "case {case}: room {room}, {fast}"
            );
        }
    }
    assert!(compared >= 20, "only {compared} library points compared");
}

/// The largest `x` in `[0, 1]` at which the terms `at(x)` open a zone, by
/// bisection, each gap solved from scratch: a solver warm-started on one
/// degenerate basis can answer NaN for the same terms it just solved.
fn largest_opening(dim: usize, at: impl Fn(f64) -> Vec<Terms>) -> f64 {
    let opens = |x: f64| <Solver>::default().gap(dim, &at(x)).opens();
    if opens(1.0) {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if opens(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Each party's best utility with the others at their bars, by bisection
/// on the gap solver (solving each from scratch).
fn bests(dim: usize, terms: &[Terms]) -> Vec<f64> {
    (0..terms.len())
        .map(|i| {
            let (mut lo, mut hi) = (terms[i].reservation, 1.0);
            let mut raised = terms.to_vec();
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                raised[i].reservation = mid;
                if <Solver>::default().gap(dim, &raised).opens() {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            lo
        })
        .collect()
}

/// The smallest share of its possible gain over its bar any party has at
/// `y`: the Kalai-Smorodinsky point's is the largest there is.
fn least_share(dim: usize, terms: &[Terms], best: &[f64], y: &[f64]) -> f64 {
    (terms.iter().zip(best))
        .map(|(t, m)| (t.utility(dim, y) - t.reservation) / (m - t.reservation))
        .fold(f64::INFINITY, f64::min)
}

/// On each issue, the end of the range farther from `y0`: most parties
/// lose there what `y0` would give back.
fn far_corner(inst: &Instance) -> [f64; MAX_ISSUES] {
    let mut y = [0.0; MAX_ISSUES];
    for k in 0..inst.dim {
        y[k] = if inst.y0[k] < 0.5 { 1.0 } else { 0.0 };
    }
    y
}

/// The gain every party has at once by going from `y` back to `y0`: the
/// room at `y` is at least this.
fn gain_back(inst: &Instance, y: &[f64]) -> f64 {
    (inst.terms.iter())
        .map(|t| t.utility(inst.dim, &inst.y0[..inst.dim]) - t.utility(inst.dim, y))
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn kalai_smorodinsky_point_at_twelve_issues_and_forty_parties_is_in_the_zone_and_efficient() {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    for case in 0..2 {
        let inst = instance(&mut rng, 12, 40, case == 1);
        let gap = zopa::zone::Gap {
            value: inst.gap,
            minimiser: inst.y0,
            bars: inst.gap,
            lines: -1.0,
        };
        let y = kalai_smorodinsky_structured(12, &inst.terms, &gap);
        assert_in_zone(12, &inst.terms, &y[..12], "KS");
        // No equal gain for every party is left: the point is on the
        // frontier, where the start was not.
        let room = pareto_room_structured(12, &inst.terms, &y[..12]);
        assert!(room <= 1e-7, "KS leaves room {room}");
        // And the room measure sees room where there is some.
        let corner = far_corner(&inst);
        let (room, back) = (
            pareto_room_structured(12, &inst.terms, &corner[..12]),
            gain_back(&inst, &corner[..12]),
        );
        assert!(back > 1e-3, "the corner is no worse for someone ({back})");
        assert!(
            room >= back - 1e-9,
            "room {room} short of going back ({back})"
        );
    }
}
