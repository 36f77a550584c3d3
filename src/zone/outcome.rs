//! The outcome space: the Kalai-Smorodinsky point of a zone, the exact
//! Pareto frontier of two parties, and how far a settlement is from both.
//!
//! Every question is asked of the gap solver: "is there a settlement that
//! gives every party at least these utilities (within its red lines)?" is
//! whether the gap opens with those utilities as bars. The answers are
//! monotone in the bars, so bisection finds the thresholds exactly.

use super::{MAX_ISSUES, Solver, Terms};

const HALVINGS: usize = 60;

/// The largest `x` in `[lo, hi]` for which `holds(x)`, when `holds` is true
/// at `lo` and monotone (true below a threshold, false above).
fn largest(mut holds: impl FnMut(f64) -> bool, mut lo: f64, mut hi: f64) -> f64 {
    if holds(hi) {
        return hi;
    }
    for _ in 0..HALVINGS {
        let mid = 0.5 * (lo + hi);
        if holds(mid) { lo = mid } else { hi = mid }
    }
    lo
}

fn with_bars(terms: &[Terms], bars: &[f64]) -> Vec<Terms> {
    terms
        .iter()
        .zip(bars)
        .map(|(t, &r)| Terms {
            reservation: r,
            ..*t
        })
        .collect()
}

/// The Kalai-Smorodinsky point of the zone among `terms`: every party
/// gains the same share of what it could at best gain over its bar (its
/// best utility with every other party at its bar), the largest such
/// share. `None` when there is no zone.
pub fn kalai_smorodinsky(
    solver: &mut Solver,
    dim: usize,
    terms: &[Terms],
) -> Option<[f64; MAX_ISSUES]> {
    if !solver.gap(dim, terms).opens() {
        return None;
    }
    let bars: Vec<f64> = terms.iter().map(|t| t.reservation).collect();
    // Each party's best, with the others held to their bars.
    let best: Vec<f64> = (0..terms.len())
        .map(|i| {
            let mut b = bars.clone();
            largest(
                |r| {
                    b[i] = r;
                    solver.gap(dim, &with_bars(terms, &b)).opens()
                },
                bars[i],
                1.0,
            )
        })
        .collect();
    let at = |s: f64| -> Vec<f64> {
        bars.iter()
            .zip(&best)
            .map(|(&d, &m)| d + s * (m - d))
            .collect()
    };
    let share = largest(
        |s| solver.gap(dim, &with_bars(terms, &at(s))).opens(),
        0.0,
        1.0,
    );
    Some(solver.gap(dim, &with_bars(terms, &at(share))).minimiser)
}

/// How much every party could gain at once over settlement `y` (within
/// every red line): zero when `y` is on the Pareto frontier, else the
/// largest equal gain in utility, the distance to the frontier along the
/// diagonal.
pub fn pareto_room(solver: &mut Solver, dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    let now: Vec<f64> = terms.iter().map(|t| t.utility(dim, y)).collect();
    let gain = |g: f64| -> Vec<f64> { now.iter().map(|u| u + g).collect() };
    largest(
        |g| solver.gap(dim, &with_bars(terms, &gain(g))).opens(),
        0.0,
        1.0,
    )
}

/// The Pareto frontier of two parties over every settlement, as the
/// corners of a polyline from party `a`'s ideal (its utility 1) to party
/// `b`'s: exact, because each utility falls linearly on each issue between
/// the two ideals, so the efficient way to give `b` more is to move issue
/// by issue, the issue `b` gains most on per unit `a` loses first.
pub fn pareto_pair(dim: usize, a: &Terms, b: &Terms) -> Vec<(f64, f64)> {
    let mut y = a.ideal;
    let mut order: Vec<usize> = (0..dim).filter(|&k| a.ideal[k] != b.ideal[k]).collect();
    // Issue by issue, best exchange rate first; issues a does not care
    // about (weight 0) are free for b and go first.
    order.sort_by(|&k, &l| {
        let rate = |k: usize| b.weight[k] / a.weight[k].max(1e-300);
        rate(l).total_cmp(&rate(k))
    });
    let point = |y: &[f64]| (a.utility(dim, y), b.utility(dim, y));
    let mut out = vec![point(&y[..dim])];
    for k in order {
        y[k] = b.ideal[k];
        out.push(point(&y[..dim]));
    }
    out
}
