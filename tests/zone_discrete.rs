// Index loops read like the formulas they check.
#![allow(clippy::needless_range_loop)]

//! The zone with yes/no and options issues against a hand calculation and
//! an independent reference that enumerates every combination of options
//! and visits every vertex of each one's programme.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

use zopa::zone::{Grid, MAX_ISSUES, OptionValues, Solver, Terms, ZONE_TOL};

#[path = "support/linalg.rs"]
mod linalg;
use linalg::least_max_over_box;

fn terms(ideal: [f64; 2], weight: [f64; 2], reservation: f64) -> Terms {
    let mut i = [0.0; MAX_ISSUES];
    let mut w = [0.0; MAX_ISSUES];
    i[..2].copy_from_slice(&ideal);
    w[..2].copy_from_slice(&weight);
    Terms::new(i, w, reservation)
}

fn yes_no_second() -> Grid {
    let mut g = Grid::default();
    g.levels[1] = 2;
    g
}

#[test]
fn a_price_and_a_yes_no_issue_match_the_hand_calculation() {
    // Price y in [0, 1], remote work no (0) or yes (1). Seller wants
    // (1, no), weights (0.5, 0.5), bar 0.4; buyer wants (0, yes), weights
    // (0.8, 0.2), bar 0.3.
    // No: U_s = 0.5 + 0.5y, U_b = 0.8 - 0.8y; the shortfalls -0.1 - 0.5y
    //   and -0.5 + 0.8y meet at y = 0.4/1.3: gap -0.33/1.3. Zone: y <= 0.625.
    // Yes: U_s = 0.5y, U_b = 1 - 0.8y; 0.4 - 0.5y = 0.8y - 0.7 at
    //   y = 1.1/1.3: gap 0.4 - 0.55/1.3 = -0.03/1.3. Zone: 0.8 <= y <= 0.875.
    // Nash, no: max (0.1 + 0.5y)(0.5 - 0.8y) at y = 0.17/0.8 = 0.2125,
    //   product 0.20625 * 0.33; yes: max (0.5y - 0.4)(0.7 - 0.8y) at
    //   y = 0.67/0.8 = 0.8375, product 0.01875 * 0.03. No wins.
    let t = [
        terms([1.0, 0.0], [0.5, 0.5], 0.4),
        terms([0.0, 1.0], [0.8, 0.2], 0.3),
    ];
    let mut solver = <Solver>::with_grid(yes_no_second());
    let zone = solver.zone(2, &t);
    assert!((zone.gap - (-0.33 / 1.3)).abs() < 1e-12, "gap {}", zone.gap);
    assert!((zone.minimiser[0] - 0.4 / 1.3).abs() < 1e-12);
    assert_eq!(zone.minimiser[1], 0.0);
    let nash = zone.nash.expect("the zone exists");
    assert!((nash[0] - 0.2125).abs() < 1e-7, "nash {nash:?}");
    assert_eq!(nash[1], 0.0);
    let price = solver.extent(2, &t, 0, zone.gap).expect("an extent");
    assert!(price.low.abs() < 1e-9 && (price.high - 0.875).abs() < 1e-9);
    let remote = solver.extent(2, &t, 1, zone.gap).expect("an extent");
    assert_eq!((remote.low, remote.high), (0.0, 1.0));
    assert_eq!(solver.options_in_zone(2, &t, 1), vec![0, 1]);
    // The seller's red line "no remote work" leaves only the first zone.
    let mut lined = t;
    lined[0].upper[1] = 0.0;
    assert_eq!(solver.options_in_zone(2, &lined, 1), vec![0]);
    // The buyer's line "remote work only" then leaves no option: each
    // combination is excluded by a whole option's width, and the first
    // ("no") is the one named, with the buyer's line that excludes it.
    lined[1].lower[1] = 1.0;
    let z = solver.zone(2, &lined);
    assert!(z.gap > ZONE_TOL);
    assert!((z.lines - 1.0).abs() < 1e-12, "lines {}", z.lines);
    assert_eq!(z.minimiser[1], 0.0);
    let parties: Vec<usize> = z.blockers.iter().map(|b| b.party).collect();
    assert_eq!(parties, vec![1], "the buyer's line excludes \"no\"");
}

/// A random instance: issues, which of them are discrete (with 2 to 4
/// options), and parties whose ideals sit on an option or between (as a
/// drifting party's may), some with red lines.
fn instance(rng: &mut ChaCha8Rng) -> (usize, Grid, Vec<Terms>) {
    let dim = rng.random_range(1..=4usize);
    let mut grid = Grid::default();
    loop {
        for k in 0..dim {
            grid.levels[k] = if rng.random::<f64>() < 0.5 {
                rng.random_range(2..=4)
            } else {
                0
            };
        }
        let continuous = (0..dim).filter(|&k| grid.levels[k] == 0).count();
        if !grid.is_continuous() && continuous <= 2 {
            break;
        }
    }
    let parties = rng.random_range(2..=4);
    let on_grid = |rng: &mut ChaCha8Rng, n: usize| rng.random_range(0..n) as f64 / (n - 1) as f64;
    let t = (0..parties)
        .map(|_| {
            let mut ideal = [0.0; MAX_ISSUES];
            let mut weight = [0.0; MAX_ISSUES];
            for k in 0..dim {
                let n = grid.levels[k];
                ideal[k] = if n > 0 && rng.random::<f64>() < 0.7 {
                    on_grid(rng, n)
                } else {
                    rng.random::<f64>()
                };
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
            if rng.random::<f64>() < 0.4 {
                let k = rng.random_range(0..dim);
                if rng.random::<bool>() {
                    t.lower[k] = rng.random_range(0.05..0.7);
                } else {
                    t.upper[k] = rng.random_range(0.3..0.95);
                }
            }
            t
        })
        .collect();
    (dim, grid, t)
}

/// Every combination of the discrete issues' options, as the normalised
/// values they pin (NaN on a continuous issue), by plain counting.
fn combinations(dim: usize, grid: &Grid) -> Vec<[f64; MAX_ISSUES]> {
    let mut out = vec![[f64::NAN; MAX_ISSUES]];
    for k in 0..dim {
        let n = grid.levels[k];
        if n == 0 {
            continue;
        }
        out = out
            .into_iter()
            .flat_map(|c| {
                (0..n).map(move |i| {
                    let mut c = c;
                    c[k] = i as f64 / (n - 1) as f64;
                    c
                })
            })
            .collect();
    }
    out
}

/// Per party, per issue, each option's value where the party values the
/// issue by a table.
type Tables = [Option<Vec<f64>>; MAX_ISSUES];

/// One combination's walls by their definitions: how far the red lines
/// exclude it (positive: they do), and the bar gap
/// `min_y max_i (r_i - U_i(y))` over the continuous issues' line box,
/// found by visiting every vertex of the epigraph (as in zone_exact.rs). A
/// pinned issue a party values by a table costs it its weight times one
/// minus the option's value, read from the table as written.
fn reference(
    dim: usize,
    terms: &[Terms],
    tables: &[Tables],
    pinned: &[f64; MAX_ISSUES],
) -> (f64, f64) {
    let free: Vec<usize> = (0..dim).filter(|&k| pinned[k].is_nan()).collect();
    let mut lines = f64::NEG_INFINITY;
    let (mut lo, mut hi) = ([0.0; MAX_ISSUES], [1.0; MAX_ISSUES]);
    for k in 0..dim {
        let low = terms.iter().map(|t| t.lower[k]).fold(0.0, f64::max);
        let high = terms.iter().map(|t| t.upper[k]).fold(1.0, f64::min);
        if pinned[k].is_nan() {
            lines = lines.max(low - high);
            lo[k] = low.min(high).clamp(0.0, 1.0);
            hi[k] = low.max(high).clamp(0.0, 1.0);
        } else {
            lines = lines.max(low - pinned[k]).max(pinned[k] - high);
        }
    }
    // Pieces t >= a.y_free + b: every sign pattern on the free issues,
    // the pinned ones at their distance from the ideal.
    let mut pieces: Vec<([f64; MAX_ISSUES], f64)> = Vec::new();
    for (t, table) in terms.iter().zip(tables) {
        let fixed: f64 = (0..dim)
            .filter(|&k| !pinned[k].is_nan())
            .map(|k| match &table[k] {
                Some(v) => {
                    let option = (pinned[k] * (v.len() - 1) as f64).round() as usize;
                    t.weight[k] * (1.0 - v[option])
                }
                None => t.weight[k] * (pinned[k] - t.ideal[k]).abs(),
            })
            .sum();
        for signs in 0..1u32 << free.len() {
            let (mut a, mut b) = ([0.0; MAX_ISSUES], t.reservation - 1.0 + fixed);
            for (j, &k) in free.iter().enumerate() {
                let s = if signs >> j & 1 == 1 { -1.0 } else { 1.0 };
                a[j] = s * t.weight[k];
                b -= s * t.weight[k] * t.ideal[k];
            }
            pieces.push((a, b));
        }
    }
    let (lo, hi): (Vec<f64>, Vec<f64>) = free.iter().map(|&k| (lo[k], hi[k])).unzip();
    let best = least_max_over_box(&pieces, free.len(), &lo, &hi);
    (lines, best)
}

/// The headline gap over the union: the least bar gap among the
/// combinations the lines allow, else the least of each one's larger wall.
fn headline(walls: &[(f64, f64)]) -> f64 {
    let allowed = walls.iter().filter(|w| w.0 <= ZONE_TOL);
    let least = |it: &mut dyn Iterator<Item = f64>| it.fold(f64::INFINITY, f64::min);
    if walls.iter().any(|w| w.0 <= ZONE_TOL) {
        least(&mut allowed.map(|w| w.1))
    } else {
        least(&mut walls.iter().map(|w| w.0.max(w.1)))
    }
}

/// The solver's zone, its gap checked against the enumeration of every
/// combination (within 1e-7); the solver is returned for more questions.
fn solved_as_enumerated(
    case: usize,
    dim: usize,
    grid: Grid,
    t: &[Terms],
    tables: &[Tables],
) -> (Solver, zopa::zone::Zone) {
    let walls: Vec<(f64, f64)> = combinations(dim, &grid)
        .iter()
        .map(|c| reference(dim, t, tables, c))
        .collect();
    let expected = headline(&walls);
    let mut solver = <Solver>::with_grid(grid);
    let zone = solver.zone(dim, t);
    assert!(
        (zone.gap - expected).abs() < 1e-7,
        "case {case}: solver {} enumeration {expected} ({grid:?})",
        zone.gap
    );
    (solver, zone)
}

#[test]
fn the_gap_over_discrete_issues_agrees_with_enumeration_and_vertices() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut opened = 0;
    for case in 0..150 {
        let (dim, grid, t) = instance(&mut rng);
        let tables = vec![Tables::default(); t.len()];
        // A solver reused across instances of one grid must agree with a
        // fresh one: both are checked.
        let (mut solver, zone) = solved_as_enumerated(case, dim, grid, &t, &tables);
        let again = solver.zone(dim, &t);
        assert!((again.gap - zone.gap).abs() < 1e-12, "case {case}: warm");
        // The minimiser takes an option on every discrete issue and
        // attains the gap.
        for k in (0..dim).filter(|&k| grid.levels[k] > 0) {
            let n = (grid.levels[k] - 1) as f64;
            let i = zone.minimiser[k] * n;
            assert!(
                (i - i.round()).abs() < 1e-12,
                "case {case}: off the options"
            );
        }
        if zone.exists() {
            opened += 1;
            let nash = zone.nash.expect("a zone has a Nash point");
            assert!(t.iter().all(|p| p.accepts(dim, &nash)), "case {case}");
        } else {
            assert!(!zone.blockers.is_empty(), "case {case}: someone blocks");
            let shares: f64 = zone.blockers.iter().map(|b| b.share).sum();
            assert!((shares - 1.0).abs() < 1e-9, "case {case}: shares {shares}");
        }
    }
    assert!(opened >= 30, "only {opened} instances had a zone");
}

#[test]
fn parties_valuing_options_by_their_own_tables_agree_with_enumeration() {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let (mut opened, mut tabled) = (0, 0);
    for case in 0..150 {
        let (dim, grid, mut t) = instance(&mut rng);
        // About half the parties value each discrete issue by a table of
        // random values, not single-peaked, the best worth 1.
        let mut tables = vec![Tables::default(); t.len()];
        for (p, terms) in t.iter_mut().enumerate() {
            let mut values = OptionValues::default();
            for k in (0..dim).filter(|&k| grid.levels[k] > 0) {
                if rng.random::<bool>() {
                    let n = grid.levels[k];
                    let mut v: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
                    let best = rng.random_range(0..n);
                    v[best] = 1.0;
                    values.set(k, &v);
                    terms.ideal[k] = best as f64 / (n - 1) as f64;
                    tables[p][k] = Some(v);
                    tabled += 1;
                }
            }
            terms.values = Some(Arc::new(values));
        }
        let (_, zone) = solved_as_enumerated(case, dim, grid, &t, &tables);
        if zone.exists() {
            opened += 1;
            let nash = zone.nash.expect("a zone has a Nash point");
            // Each party's utility at the Nash point, read from its own
            // table on the discrete issues, clears its bar.
            for (p, terms) in t.iter().enumerate() {
                let u = 1.0
                    - (0..dim)
                        .map(|k| match &tables[p][k] {
                            Some(v) => {
                                let o = (nash[k] * (v.len() - 1) as f64).round() as usize;
                                terms.weight[k] * (1.0 - v[o])
                            }
                            None => terms.weight[k] * (nash[k] - terms.ideal[k]).abs(),
                        })
                        .sum::<f64>();
                assert!(u >= terms.reservation - 1e-7, "case {case}: party {p}");
                assert!((u - terms.utility(dim, &nash)).abs() < 1e-12);
            }
        }
    }
    assert!(opened >= 30, "only {opened} instances had a zone");
    assert!(tabled >= 150, "only {tabled} tables");
}

#[test]
fn a_table_reads_each_option_and_the_straight_line_between() {
    let mut values = OptionValues::default();
    values.set(1, &[1.0, 0.2, 0.6]);
    let mut t = terms([0.0, 0.0], [0.5, 0.5], 0.0);
    t.values = Some(Arc::new(values));
    // On the table's issue: option 1 ("mixed", worth 0.2) costs 0.5 * 0.8;
    // halfway between options 1 and 2 the loss is halfway between 0.8 and
    // 0.4. The other issue is valued by distance as before.
    assert!((t.utility(2, &[0.0, 0.5]) - 0.6).abs() < 1e-12);
    assert!((t.utility(2, &[0.0, 0.75]) - 0.7).abs() < 1e-12);
    assert!((t.utility(2, &[0.4, 0.0]) - 0.8).abs() < 1e-12);
    // Its acceptable range on the table's issue is the hull of the options
    // within its budget: with a bar of 0.75 it accepts "day" (loss 0) and
    // "night" (loss 0.2), not "mixed" (0.4), and the hull spans all three.
    t.reservation = 0.75;
    let r = t.acceptable_range(2, 1).expect("some options pass");
    assert_eq!((r.low, r.high), (0.0, 1.0));
    t.reservation = 0.85;
    let r = t.acceptable_range(2, 1).expect("its best option passes");
    assert_eq!((r.low, r.high), (0.0, 0.0));
}

/// Every combination of options with each continuous issue at `n + 1`
/// evenly spaced values from 0 to 1.
fn settlements_on_grid(dim: usize, grid: &Grid, n: usize) -> Vec<[f64; MAX_ISSUES]> {
    let mut out = Vec::new();
    for c in combinations(dim, grid) {
        let free: Vec<usize> = (0..dim).filter(|&k| c[k].is_nan()).collect();
        for code in 0..(n + 1).pow(free.len() as u32) {
            let mut y = c;
            let mut rest = code;
            for &k in &free {
                y[k] = (rest % (n + 1)) as f64 / n as f64;
                rest /= n + 1;
            }
            out.push(y);
        }
    }
    out
}

fn nash_product(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    if terms.iter().any(|t| !t.accepts(dim, y)) {
        return 0.0;
    }
    (terms.iter())
        .map(|t| (t.utility(dim, y) - t.reservation).max(0.0))
        .product()
}

#[test]
fn the_nash_point_beats_every_point_of_every_combination_on_a_grid() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut checked = 0;
    while checked < 40 {
        let (dim, grid, t) = instance(&mut rng);
        let mut solver = <Solver>::with_grid(grid);
        let zone = solver.zone(dim, &t);
        let Some(nash) = zone.nash else { continue };
        checked += 1;
        let best = nash_product(dim, &t, &nash);
        for y in settlements_on_grid(dim, &grid, 24) {
            let p = nash_product(dim, &t, &y);
            assert!(p <= best + 1e-9, "{y:?} gives {p} > {best} at {nash:?}");
        }
        // The extent on each issue holds the Nash point; on a discrete
        // issue it ends on options, and the Nash point's option is in it.
        for k in 0..dim {
            let e = solver.extent(dim, &t, k, zone.gap).expect("an extent");
            assert!(nash[k] >= e.low - 1e-9 && nash[k] <= e.high + 1e-9);
            if grid.levels[k] > 0 {
                let steps = (grid.levels[k] - 1) as f64;
                let options = solver.options_in_zone(dim, &t, k);
                let at = (nash[k] * steps).round() as usize;
                assert!(options.contains(&at));
                assert_eq!(e.low * steps, options[0] as f64);
                assert_eq!(e.high * steps, *options.last().unwrap() as f64);
            }
        }
    }
}

/// The envelope's `b`-utility at `x` (it runs from the largest `x` down):
/// the highest of its points at `x`, interpolated between corners.
fn envelope_at(front: &[(f64, f64)], x: f64) -> f64 {
    let mut best = f64::NEG_INFINITY;
    for w in front.windows(2) {
        let (p, q) = (w[1], w[0]);
        if x >= p.0 - 1e-12 && x <= q.0 + 1e-12 {
            let y = if q.0 - p.0 < 1e-15 {
                p.1.max(q.1)
            } else {
                p.1 + (q.1 - p.1) * (x - p.0) / (q.0 - p.0)
            };
            best = best.max(y);
        }
    }
    best
}

#[test]
fn the_frontier_over_options_bounds_every_settlement_and_is_reached() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    for case in 0..40 {
        let (dim, grid, t) = instance(&mut rng);
        let front = zopa::zone::outcome::pareto_pair_over(&grid, dim, &t[0], &t[1]);
        // Settlements of every combination, continuous issues on a grid.
        let points: Vec<(f64, f64)> = (settlements_on_grid(dim, &grid, 40).iter())
            .map(|y| (t[0].utility(dim, y), t[1].utility(dim, y)))
            .collect();
        // Left of its last corner the frontier's best is that corner's.
        let least = front.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        for &(x, y) in &points {
            assert!(
                y <= envelope_at(&front, x.max(least)) + 1e-9,
                "case {case}: ({x}, {y}) above the frontier {front:?}"
            );
        }
        // Every corner is reached or weakly dominated by some settlement
        // (the grid holds every combination's corners where the ideals are
        // on options, else comes within its spacing).
        for &(x, y) in &front {
            let reached = points
                .iter()
                .any(|&(px, py)| px >= x - 0.03 && py >= y - 0.03);
            assert!(reached, "case {case}: corner ({x}, {y}) reached by nothing");
        }
    }
}
