//! The agreement zone against hand calculations and brute force.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zopa::zone::{Interval, MAX_ISSUES, Solver, Terms, Zone, worst_shortfall};

fn one_issue(ideal: f64, reservation: f64) -> Terms {
    let mut i = [0.0; MAX_ISSUES];
    let mut w = [0.0; MAX_ISSUES];
    i[0] = ideal;
    w[0] = 1.0;
    Terms::new(i, w, reservation)
}

fn random_terms(rng: &mut ChaCha8Rng, dim: usize, red_lines: bool) -> Terms {
    let mut ideal = [0.0; MAX_ISSUES];
    let mut weight = [0.0; MAX_ISSUES];
    for k in 0..dim {
        ideal[k] = rng.random::<f64>();
        // Some issues carry no weight at all for some parties.
        weight[k] = if rng.random::<f64>() < 0.15 {
            0.0
        } else {
            rng.random::<f64>()
        };
    }
    let total: f64 = weight.iter().sum();
    if total == 0.0 {
        weight[0] = 1.0;
    } else {
        weight.iter_mut().for_each(|w| *w /= total);
    }
    let mut t = Terms::new(ideal, weight, rng.random_range(0.0..0.9));
    if red_lines && rng.random::<f64>() < 0.5 {
        let k = rng.random_range(0..dim);
        if rng.random::<bool>() {
            t.lower[k] = rng.random_range(0.05..0.6);
        } else {
            t.upper[k] = rng.random_range(0.4..0.95);
        }
    }
    t
}

/// Every point of a regular grid with `n` cells per axis (cell centres and
/// the box's faces), visited with the worst shortfall there.
fn grid_min(dim: usize, terms: &[Terms], n: usize) -> f64 {
    let mut best = f64::INFINITY;
    let mut idx = vec![0usize; dim];
    let mut y = [0.0; MAX_ISSUES];
    loop {
        for k in 0..dim {
            y[k] = idx[k] as f64 / n as f64;
        }
        best = best.min(worst_shortfall(dim, terms, &y));
        let mut k = 0;
        loop {
            if k == dim {
                return best;
            }
            idx[k] += 1;
            if idx[k] <= n {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

fn nash_product(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    if terms.iter().any(|t| !t.accepts(dim, y)) {
        return 0.0;
    }
    terms
        .iter()
        .map(|t| (t.utility(dim, y) - t.reservation).max(0.0))
        .product()
}

#[test]
fn zone_of_two_linear_parties_matches_hand_calculation() {
    // The textbook case: A wants 0, B wants 1; A accepts y <= 1 - rA,
    // B accepts y >= rB; the zone is [rB, 1 - rA] and the Nash point of the
    // two linear utilities is (1 - rA + rB) / 2, the midpoint of the zone.
    let mut solver = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for _ in 0..500 {
        let (ra, rb) = (rng.random_range(0.0..1.0), rng.random_range(0.0..1.0));
        let terms = [one_issue(0.0, ra), one_issue(1.0, rb)];
        let zone = solver.zone(1, &terms);
        // Gap: equalise (ra - 1 + y) and (rb - y): y = (1 - ra + rb) / 2.
        let expected_gap = (ra + rb - 1.0) / 2.0;
        assert!(
            (zone.gap - expected_gap).abs() < 1e-12,
            "{} vs {}",
            zone.gap,
            expected_gap
        );
        assert_eq!(zone.exists(), rb <= 1.0 - ra + 2e-9);
        if let Some(nash) = zone.nash {
            assert!(
                (nash[0] - (1.0 - ra + rb) / 2.0).abs() < 1e-12,
                "nash {:?} ra {ra} rb {rb}",
                nash[0]
            );
            let Interval { low: lo, high: hi } = solver.extent(1, &terms, 0, zone.gap).unwrap();
            assert!(
                (lo - rb).abs() < 1e-9 && (hi - (1.0 - ra)).abs() < 1e-9,
                "extent {lo} {hi} ra {ra} rb {rb}"
            );
        } else {
            // Both demand too much: both block, in equal shares.
            let owners: Vec<usize> = zone.blockers.iter().map(|b| b.party).collect();
            assert_eq!(owners, vec![0, 1]);
        }
    }
}

#[test]
fn zone_of_two_interior_ideals_matches_closed_form() {
    // Ideals a < b inside the range; V-shaped utilities of slope 1.
    // A accepts [a - sA, a + sA], B accepts [b - sB, b + sB] (s = 1 - r),
    // clipped to [0, 1]. When |sA - sB| <= b - a the gap is
    // (b - a - sA - sB) / 2 and the Nash point is (a + b + rB - rA) / 2
    // clipped to the zone.
    let mut solver = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut checked = 0;
    while checked < 400 {
        let (x, z) = (rng.random::<f64>(), rng.random::<f64>());
        let (a, b) = (x.min(z), x.max(z));
        let (ra, rb): (f64, f64) = (rng.random_range(0.3..1.0), rng.random_range(0.3..1.0));
        let (sa, sb) = (1.0 - ra, 1.0 - rb);
        if (sa - sb).abs() > b - a {
            continue;
        }
        checked += 1;
        let terms = [one_issue(a, ra), one_issue(b, rb)];
        let zone = solver.zone(1, &terms);
        assert!((zone.gap - (b - a - sa - sb) / 2.0).abs() < 1e-12);
        if let Some(nash) = zone.nash {
            let lo = (a - sa).max(b - sb).max(0.0);
            let hi = (a + sa).min(b + sb).min(1.0);
            let expected = ((a + b + rb - ra) / 2.0).clamp(lo.max(a), hi.min(b));
            assert!(
                (nash[0] - expected).abs() < 1e-12,
                "{} vs {expected}",
                nash[0]
            );
            let Interval {
                low: elo,
                high: ehi,
            } = solver.extent(1, &terms, 0, zone.gap).unwrap();
            assert!((elo - lo).abs() < 1e-9 && (ehi - hi).abs() < 1e-9);
        }
    }
}

#[test]
fn exact_gap_is_never_above_brute_force_and_within_its_resolution() {
    let mut solver = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for case in 0..120 {
        let dim = 1 + case % 4;
        let n_grid = [400, 60, 20, 10][dim - 1];
        let parties = rng.random_range(2..=8);
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let Zone {
            gap,
            minimiser,
            blockers,
            ..
        } = solver.gap(dim, &terms);
        let brute = grid_min(dim, &terms, n_grid);
        // Each shortfall is 1-Lipschitz in the max-norm (weights sum to 1),
        // and every point is within half a cell of the grid.
        let resolution = 0.5 / n_grid as f64;
        assert!(
            gap <= brute + 1e-9,
            "case {case}: exact {gap} above grid {brute}"
        );
        assert!(
            brute - gap <= resolution + 1e-9,
            "case {case}: exact {gap} grid {brute}"
        );
        // The reported minimiser really attains the gap.
        assert!((worst_shortfall(dim, &terms, &minimiser) - gap).abs() < 1e-9);
        if gap > 1e-9 {
            let share: f64 = blockers.iter().map(|b| b.share).sum();
            assert!((share - 1.0).abs() < 1e-9);
        } else {
            assert!(blockers.is_empty());
        }
    }
}

#[test]
fn nash_point_lies_in_the_zone_and_beats_every_grid_point() {
    let mut solver = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut found = 0;
    while found < 60 {
        let dim = 1 + found % 3;
        let parties = rng.random_range(2..=5);
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        // Modest reservations so that most instances have a zone.
        terms.iter_mut().for_each(|t| t.reservation *= 0.4);
        let zone = solver.zone(dim, &terms);
        let Some(nash) = zone.nash else { continue };
        found += 1;
        for t in &terms {
            assert!(t.accepts(dim, &nash), "every party accepts the Nash point");
        }
        let best = nash_product(dim, &terms, &nash);
        let n = [200, 40, 15][dim - 1];
        let mut y = [0.0; MAX_ISSUES];
        let mut idx = [0usize; 3];
        loop {
            for k in 0..dim {
                y[k] = idx[k] as f64 / n as f64;
            }
            let p = nash_product(dim, &terms, &y);
            assert!(
                p <= best * (1.0 + 1e-6) + 1e-12,
                "grid {p} beats Nash {best} at {y:?}"
            );
            let mut k = 0;
            while k < dim {
                idx[k] += 1;
                if idx[k] <= n {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            if k == dim {
                break;
            }
        }
    }
}

#[test]
fn red_line_bound_never_exceeds_the_gap() {
    let mut solver = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut positive = 0;
    for case in 0..400 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=8);
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let bound = zopa::zone::red_line_bound(dim, &terms);
        let gap = solver.gap(dim, &terms).gap;
        assert!(
            bound <= gap + 1e-12,
            "case {case}: bound {bound} above gap {gap}"
        );
        positive += usize::from(bound > 0.0);
    }
    assert!(positive > 10, "the bound is informative in some cases");
}

#[test]
fn lowering_any_reservation_never_raises_the_gap() {
    let mut solver = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for case in 0..300 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=8);
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let before = solver.gap(dim, &terms).gap;
        let who = rng.random_range(0..parties);
        terms[who].reservation *= rng.random::<f64>();
        let after = solver.gap(dim, &terms).gap;
        assert!(after <= before + 1e-12, "case {case}: {before} -> {after}");
    }
}

#[test]
fn zone_extent_lies_within_every_partys_acceptable_range() {
    let mut solver = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let mut found = 0;
    while found < 100 {
        let dim = 1 + found % 4;
        let parties = rng.random_range(2..=6);
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        terms.iter_mut().for_each(|t| t.reservation *= 0.5);
        let zone = solver.zone(dim, &terms);
        let Some(Interval { low: lo, high: hi }) = solver.extent(dim, &terms, 0, zone.gap) else {
            assert!(!zone.exists());
            continue;
        };
        found += 1;
        for t in &terms {
            let Interval {
                low: plo,
                high: phi,
            } = t
                .acceptable_range(dim, 0)
                .expect("a party in a zone accepts something");
            assert!(plo <= lo + 1e-9 && hi <= phi + 1e-9);
        }
        // The Nash point is inside the extent.
        let nash = zone.nash.unwrap();
        assert!(lo - 1e-9 <= nash[0] && nash[0] <= hi + 1e-9);
    }
}

#[test]
fn a_solver_reused_across_changing_problems_agrees_with_a_fresh_one() {
    // The warm start must never change an answer: walk random problems
    // through small changes of bars and ideals, as a run does, and compare
    // each gap with one solved from scratch.
    let mut warm = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for walk in 0..60 {
        let dim = 1 + walk % 4;
        let parties = rng.random_range(2..=8);
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        for _ in 0..40 {
            let who = rng.random_range(0..terms.len());
            terms[who].reservation =
                (terms[who].reservation + rng.random_range(-0.05..0.05)).clamp(0.0, 1.0);
            let k = rng.random_range(0..dim);
            terms[who].ideal[k] =
                (terms[who].ideal[k] + rng.random_range(-0.05..0.05)).clamp(0.0, 1.0);
            if rng.random::<f64>() < 0.1 {
                // Someone leaves: the parties after it shift position.
                if terms.len() > 2 {
                    terms.remove(who);
                }
            }
            let Zone {
                gap: g_warm,
                minimiser: y_warm,
                blockers: b_warm,
                ..
            } = warm.gap(dim, &terms);
            let g_cold = Solver::default().gap(dim, &terms).gap;
            assert!(
                (g_warm - g_cold).abs() < 1e-9,
                "walk {walk}: warm {g_warm} cold {g_cold}"
            );
            assert!((worst_shortfall(dim, &terms, &y_warm) - g_warm).abs() < 1e-9);
            if g_warm > 1e-9 {
                assert!((b_warm.iter().map(|b| b.share).sum::<f64>() - 1.0).abs() < 1e-9);
            }
        }
    }
}

#[test]
fn a_remembered_first_step_gives_bit_for_bit_the_cold_answer() {
    // Each Monte Carlo run starts with `forget` and usually with the same
    // terms; the solver then answers from memory, and must answer exactly
    // as a solver that never saw anything would.
    let mut reused = Solver::default();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for case in 0..100 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=8);
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let cold = Solver::default().gap(dim, &terms);
        for _ in 0..3 {
            reused.forget();
            assert_eq!(reused.gap(dim, &terms), cold, "case {case}");
        }
    }
}
