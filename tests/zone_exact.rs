// Index loops read like the linear algebra they check.
#![allow(clippy::needless_range_loop)]

//! The agreement zone against hand calculations and brute force.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zopa::zone::{
    Interval, MAX_ISSUES, Solver, Terms, ZONE_TOL, Zone, worst_bar_shortfall, worst_shortfall,
};

#[path = "support/linalg.rs"]
mod linalg;
use linalg::least_max_over_box;

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

/// The red lines' box computed the plain way: on each issue the highest
/// lower line and the lowest upper line, and the box the bar gap is taken
/// over (between the lines where they cross), clipped to the range.
fn line_box(dim: usize, terms: &[Terms]) -> (Vec<f64>, Vec<f64>, f64) {
    let (mut lo, mut hi) = (vec![0.0; dim], vec![1.0; dim]);
    let mut crossing = f64::NEG_INFINITY;
    for k in 0..dim {
        let low = terms.iter().map(|t| t.lower[k]).fold(0.0, f64::max);
        let high = terms.iter().map(|t| t.upper[k]).fold(1.0, f64::min);
        crossing = crossing.max(low - high);
        lo[k] = low.min(high).clamp(0.0, 1.0);
        hi[k] = low.max(high).clamp(0.0, 1.0);
    }
    (lo, hi, crossing)
}

/// The headline gap by its definition, with the bar gap `bars` found some
/// other way: the bar gap, or the crossing where the lines cross.
fn headline(bars: f64, crossing: f64) -> f64 {
    if crossing > ZONE_TOL {
        bars.max(crossing)
    } else {
        bars
    }
}

/// Every point of a regular grid with `n` cells per axis over the bar box
/// (its faces included), visited with the worst bar shortfall there.
fn grid_min(dim: usize, terms: &[Terms], n: usize) -> f64 {
    let (lo, hi, _) = line_box(dim, terms);
    let mut best = f64::INFINITY;
    let mut idx = vec![0usize; dim];
    let mut y = [0.0; MAX_ISSUES];
    loop {
        for k in 0..dim {
            y[k] = lo[k] + (hi[k] - lo[k]) * idx[k] as f64 / n as f64;
        }
        best = best.min(worst_bar_shortfall(dim, terms, &y));
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
    let mut solver = <Solver>::default();
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
    let mut solver = <Solver>::default();
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
    let mut solver = <Solver>::default();
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
            bars,
            minimiser,
            blockers,
            ..
        } = solver.zone_without_nash(dim, &terms);
        let brute = grid_min(dim, &terms, n_grid);
        // Each shortfall is 1-Lipschitz in the max-norm (weights sum to 1),
        // and every point is within half a cell of the grid.
        let resolution = 0.5 / n_grid as f64;
        assert!(
            bars <= brute + 1e-9,
            "case {case}: exact {bars} above grid {brute}"
        );
        assert!(
            brute - bars <= resolution + 1e-9,
            "case {case}: exact {bars} grid {brute}"
        );
        let (_, _, crossing) = line_box(dim, &terms);
        assert!(
            (gap - headline(bars, crossing)).abs() < 1e-12,
            "case {case}"
        );
        // The reported minimiser really attains the bar gap.
        assert!((worst_bar_shortfall(dim, &terms, &minimiser) - bars).abs() < 1e-9);
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
    let mut solver = <Solver>::default();
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
fn crossing_red_lines_close_the_zone_whatever_the_bars() {
    let mut solver = <Solver>::default();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut positive = 0;
    for case in 0..400 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=8);
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let bound = zopa::zone::LineBox::of(dim, &terms).worst_crossing();
        assert_eq!(bound, line_box(dim, &terms).2, "case {case}");
        let mut free = terms.clone();
        free.iter_mut().for_each(|t| t.reservation = 0.0);
        let zone = solver.zone_without_nash(dim, &free);
        if bound > ZONE_TOL {
            assert!(
                zone.gap >= bound,
                "case {case}: gap {} below the crossing {bound}",
                zone.gap
            );
            assert!(!zone.exists());
            positive += 1;
        } else {
            // Bars of zero leave the whole line box open.
            assert!(zone.exists(), "case {case}: no zone with every bar at 0");
        }
    }
    assert!(positive > 10, "the lines cross in some cases");
}

#[test]
fn lowering_any_reservation_never_raises_the_gap() {
    let mut solver = <Solver>::default();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for case in 0..300 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=8);
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let before = solver.gap(dim, &terms).value;
        let who = rng.random_range(0..parties);
        terms[who].reservation *= rng.random::<f64>();
        let after = solver.gap(dim, &terms).value;
        assert!(after <= before + 1e-12, "case {case}: {before} -> {after}");
    }
}

#[test]
fn zone_extent_lies_within_every_partys_acceptable_range() {
    let mut solver = <Solver>::default();
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
    let mut warm = <Solver>::default();
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
                bars,
                minimiser: y_warm,
                blockers: b_warm,
                ..
            } = warm.zone_without_nash(dim, &terms);
            let g_cold = <Solver>::default().gap(dim, &terms).value;
            assert!(
                (g_warm - g_cold).abs() < 1e-9,
                "walk {walk}: warm {g_warm} cold {g_cold}"
            );
            assert!((worst_bar_shortfall(dim, &terms, &y_warm) - bars).abs() < 1e-9);
            if g_warm > 1e-9 {
                assert!((b_warm.iter().map(|b| b.share).sum::<f64>() - 1.0).abs() < 1e-9);
            }
        }
    }
}

#[test]
fn a_remembered_nash_point_is_bit_for_bit_the_one_a_fresh_solver_finds() {
    // A solver remembers its last Nash point; asked again on the same
    // terms it answers from memory. Every answer, remembered or not, must
    // be exactly a fresh solver's, and a change of any one input (a bar,
    // an ideal, the gap or the point the search starts from) must be
    // seen as a new question.
    let mut reused = <Solver>::default();
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let (mut asked, mut moved_by_a_bar) = (0, 0);
    for case in 0..80 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=6);
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, false))
            .collect();
        for t in &mut terms {
            t.reservation *= 0.3;
        }
        let zone = <Solver>::default().zone_without_nash(dim, &terms);
        if zone.gap > 1e-9 {
            continue;
        }
        asked += 1;
        let fresh = |terms: &[Terms], gap: f64, y: &[f64; MAX_ISSUES]| {
            <Solver>::default().nash(dim, terms, gap, y)
        };
        let first = reused.nash(dim, &terms, zone.gap, &zone.minimiser);
        assert_eq!(
            first,
            fresh(&terms, zone.gap, &zone.minimiser),
            "case {case}"
        );
        // The same question twice: the remembered answer.
        assert_eq!(reused.nash(dim, &terms, zone.gap, &zone.minimiser), first);
        // Each input changed alone, after the first question again (so the
        // remembered one differs only in that input): a fresh answer.
        let mut start = zone.minimiser;
        start[0] = (start[0] + 0.01).min(1.0);
        assert_eq!(
            reused.nash(dim, &terms, zone.gap, &start),
            fresh(&terms, zone.gap, &start),
            "case {case}"
        );
        assert_eq!(reused.nash(dim, &terms, zone.gap, &zone.minimiser), first);
        // A zone of no depth has its Nash point where the gap is attained.
        assert_eq!(
            reused.nash(dim, &terms, 0.0, &zone.minimiser),
            fresh(&terms, 0.0, &zone.minimiser),
            "case {case}"
        );
        assert_eq!(reused.nash(dim, &terms, zone.gap, &zone.minimiser), first);
        let mut lower = terms.clone();
        lower[case % parties].reservation *= 0.5;
        let moved = reused.nash(dim, &lower, zone.gap, &zone.minimiser);
        assert_eq!(
            moved,
            fresh(&lower, zone.gap, &zone.minimiser),
            "case {case}"
        );
        moved_by_a_bar += usize::from(moved != first);
    }
    assert!(asked > 20, "only {asked} cases had a zone");
    assert!(
        moved_by_a_bar > asked / 2,
        "a lower bar moved the point in only {moved_by_a_bar} of {asked} cases"
    );
}

#[test]
fn a_remembered_first_step_gives_bit_for_bit_the_cold_answer() {
    // Each Monte Carlo run starts with `forget` and usually with the same
    // terms; the solver then answers from memory, and must answer exactly
    // as a solver that never saw anything would.
    let mut reused = <Solver>::default();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for case in 0..100 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=8);
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let cold = <Solver>::default().zone_without_nash(dim, &terms);
        for _ in 0..3 {
            reused.forget();
            assert_eq!(reused.zone_without_nash(dim, &terms), cold, "case {case}");
        }
    }
}

#[test]
fn the_nash_point_lies_in_every_zone_red_lines_included() {
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    let mut found = 0;
    for case in 0..400 {
        let dim = 1 + case % 4;
        let parties = rng.random_range(2..=5);
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        terms.iter_mut().for_each(|t| t.reservation *= 0.5);
        let mut solver = <Solver>::default();
        let zone = solver.zone(dim, &terms);
        let Some(nash) = zone.nash else { continue };
        found += 1;
        let worst = worst_shortfall(dim, &terms, &nash);
        assert!(
            worst <= 1e-9,
            "case {case}: the Nash point falls short by {worst}"
        );
    }
    assert!(found > 100, "only {found} zones");
}

/// An independent reference for the bar gap: the optimum of
/// `min t s.t. t >= r_i - 1 + sum_k w_ik s_k (y_k - ideal_ik)` for every
/// party and sign pattern `s`, over the bar box, found by visiting every
/// vertex of that polyhedron (each choice of bounds for some coordinates
/// and of as many active pieces as the rest need).
fn vertex_reference(dim: usize, terms: &[Terms]) -> f64 {
    let (lo, hi, _) = line_box(dim, terms);
    // Pieces as (a, b): t >= a.y + b.
    let mut pieces: Vec<([f64; 4], f64)> = Vec::new();
    for t in terms {
        for signs in 0..1u32 << dim {
            let (mut a, mut b) = ([0.0; 4], t.reservation - 1.0);
            for k in 0..dim {
                let s = if signs >> k & 1 == 1 { -1.0 } else { 1.0 };
                a[k] = s * t.weight[k];
                b -= s * t.weight[k] * t.ideal[k];
            }
            pieces.push((a, b));
        }
    }
    least_max_over_box(&pieces, dim, &lo[..dim], &hi[..dim])
}

#[test]
fn the_bar_gap_agrees_with_an_independent_vertex_reference() {
    let mut solver = <Solver>::default();
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    for case in 0..90 {
        let dim = 1 + case % 3;
        let parties = rng.random_range(2..=[6, 4, 3][dim - 1]);
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_terms(&mut rng, dim, true))
            .collect();
        let zone = solver.zone_without_nash(dim, &terms);
        let reference = vertex_reference(dim, &terms);
        assert!(
            (zone.bars - reference).abs() < 1e-7,
            "case {case}: simplex {} vertices {reference}",
            zone.bars
        );
        let (_, _, crossing) = line_box(dim, &terms);
        assert!((zone.gap - headline(reference, crossing)).abs() < 1e-7);
    }
}

#[test]
fn touching_red_lines_leave_the_room_the_bars_leave_on_other_issues() {
    // Two issues. A's line: y0 <= 0.4; B's line: y0 >= 0.4. The lines touch,
    // pinning y0 = 0.4; on y1 both are free. A wants (0, 0), B wants (1, 1),
    // equal weights, bars 0.2: at y0 = 0.4, U_A = 0.8 - 0.5 y1 and
    // U_B = 0.2 + 0.5 y1, so the bar gap is min over y1 of
    // max(-0.6 + 0.5 y1, -0.5 y1), equalised at y1 = 0.6: gap = -0.3.
    // The zone is deep, though it has no width on y0.
    let mut a = Terms::new(pad([0.0, 0.0, 0.0, 0.0]), pad([0.5, 0.5, 0.0, 0.0]), 0.2);
    let mut b = Terms::new(pad([1.0, 1.0, 0.0, 0.0]), pad([0.5, 0.5, 0.0, 0.0]), 0.2);
    a.upper[0] = 0.4;
    b.lower[0] = 0.4;
    let both = [a, b];
    let mut solver = <Solver>::default();
    let zone = solver.zone(2, &both);
    assert!((zone.gap - -0.3).abs() < 1e-12, "gap {}", zone.gap);
    assert!(zone.lines.abs() < 1e-12, "the lines touch");
    let nash = zone.nash.expect("a zone");
    assert!((nash[0] - 0.4).abs() < 1e-12, "pinned on the first issue");
    for t in &both {
        assert!(t.accepts(2, &nash));
    }
    let e = solver.extent(2, &both, 0, zone.gap).unwrap();
    assert!((e.low - 0.4).abs() < 1e-12 && (e.high - 0.4).abs() < 1e-12);
    let e = solver.extent(2, &both, 1, zone.gap).unwrap();
    assert!(e.high - e.low > 0.5, "room on the second issue: {e:?}");
}

#[test]
fn crossing_red_lines_are_named_as_blockers_of_their_wall() {
    // A: y <= 0.3; B: y >= 0.5; C has no line. The lines cross by 0.2.
    let mut a = Terms::new(pad([0.0; 4]), pad([1.0, 0.0, 0.0, 0.0]), 0.0);
    let mut b = Terms::new(pad([1.0, 0.0, 0.0, 0.0]), pad([1.0, 0.0, 0.0, 0.0]), 0.0);
    let c = Terms::new(pad([0.5, 0.0, 0.0, 0.0]), pad([1.0, 0.0, 0.0, 0.0]), 0.0);
    a.upper[0] = 0.3;
    b.lower[0] = 0.5;
    let mut solver = <Solver>::default();
    let (gap, blocking) = solver.blocked_gap(1, &[a, b, c]);
    assert!((gap.lines - 0.2).abs() < 1e-12);
    assert!((gap.value - 0.2).abs() < 1e-12, "bars of 0 are not apart");
    let who: Vec<usize> = blocking.lines.iter().map(|b| b.party).collect();
    assert_eq!(who, [0, 1]);
    assert!(blocking.bars.is_empty());
    assert_eq!(blocking.headline(), blocking.lines);
}

/// A short array of values, one per issue, padded with zeros to the
/// solver's fixed width.
fn pad<const N: usize>(v: [f64; N]) -> [f64; MAX_ISSUES] {
    let mut out = [0.0; MAX_ISSUES];
    out[..N].copy_from_slice(&v);
    out
}
