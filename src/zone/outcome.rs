//! The outcome space: the Kalai-Smorodinsky point of a zone, the exact
//! Pareto frontier of two parties, and how far a settlement is from both.
//!
//! Every question is asked of the gap solver: "is there a settlement that
//! gives every party at least these utilities (within its red lines)?" is
//! whether the gap opens with those utilities as bars. The answers are
//! monotone in the bars, so bisection finds the thresholds exactly.
//!
//! Past the sizes the gap's pieces serve, that is thousands of gap solves
//! over thousands of pieces each; there the thresholds are instead the
//! optima of a few linear programmes ("the largest level every party
//! reaches at once"), solved by the Nash point's barrier method without
//! pieces.

use super::nash::barrier::{Goal, Problem};
use super::nash::{self, Reduced};
use super::{Gap, Grid, LineBox, MAX_ISSUES, Solver, Terms, ZONE_TOL};

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
            ..t.clone()
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
    let gap = solver.gap(dim, terms);
    if !gap.opens() {
        return None;
    }
    if !by_pieces(solver, dim, terms) {
        return Some(kalai_smorodinsky_structured(dim, terms, &gap));
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
    if !by_pieces(solver, dim, terms) {
        return pareto_room_structured(dim, terms, y);
    }
    let now: Vec<f64> = terms.iter().map(|t| t.utility(dim, y)).collect();
    let gain = |g: f64| -> Vec<f64> { now.iter().map(|u| u + g).collect() };
    largest(
        |g| solver.gap(dim, &with_bars(terms, &gain(g))).opens(),
        0.0,
        1.0,
    )
}

/// Whether the outcome space is asked of the gap solver, as it always was
/// at these sizes, with discrete issues and with tables of option values
/// (which the structured programmes do not model).
fn by_pieces(solver: &Solver, dim: usize, terms: &[Terms]) -> bool {
    nash::enumerated(dim, terms.len())
        || solver.discrete.is_some()
        || terms.iter().any(|t| t.values.is_some())
}

/// The Kalai-Smorodinsky point as linear programmes: each
/// party's best with the others at their bars, then the largest share of
/// those bests every party reaches at once. `gap` is the zone's, which
/// must open.
#[doc(hidden)]
pub fn kalai_smorodinsky_structured(dim: usize, terms: &[Terms], gap: &Gap) -> [f64; MAX_ISSUES] {
    let r = Reduced::new(dim, terms);
    // A zone without depth is its one settlement.
    if gap.value > -ZONE_TOL || r.dim == 0 {
        return gap.minimiser;
    }
    let n = terms.len();
    let bars: Vec<f64> = r.terms.iter().map(|t| t.reservation).collect();
    let start = nash::inside(r.dim, &r.terms, gap.value, &r.to_z(&gap.minimiser));
    let level =
        |rate: &[f64]| Problem::new(r.dim, &r.terms, &bars, rate, Goal::Level).solve(&start, 0.0);
    let mut rise = Vec::with_capacity(n);
    for i in 0..n {
        let mut rate = vec![0.0; n];
        rate[i] = 1.0;
        match level(&rate) {
            Some(best) => rise.push(best.level.clamp(0.0, 1.0 - bars[i])),
            None => return gap.minimiser,
        }
    }
    match level(&rise) {
        Some(fair) => r.to_y(&fair.y),
        None => gap.minimiser,
    }
}

/// [`pareto_room`] as one linear programme: the largest gain every party
/// can have at once over what it has at `y`, within the red lines, read as
/// the gap solver's tolerance reads it (a gain counts when it is reached
/// to within [`ZONE_TOL`]).
#[doc(hidden)]
pub fn pareto_room_structured(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    if !LineBox::of(dim, terms).allows() {
        return 0.0;
    }
    let r = Reduced::new(dim, terms);
    if r.dim == 0 {
        // The lines leave one settlement: the room is what it gives all.
        let only = r.to_y(&[0.0; MAX_ISSUES]);
        let gain = (terms.iter())
            .map(|t| t.utility(dim, &only[..dim]) - t.utility(dim, y))
            .fold(f64::INFINITY, f64::min);
        return (gain + ZONE_TOL).clamp(0.0, 1.0);
    }
    // What each party has at `y`, as a bar in the rescaled problem, whose
    // utilities are the originals plus the cost of the pinned issues.
    let bars: Vec<f64> = (terms.iter().zip(&r.terms))
        .map(|(t, rt)| t.utility(dim, y) + rt.reservation - t.reservation)
        .collect();
    let mut at = [0.0; MAX_ISSUES];
    at[..dim].copy_from_slice(&y[..dim]);
    let mut start = r.to_z(&at);
    // Strictly inside the box, as the method needs.
    start[..r.dim].iter_mut().for_each(|z| *z = 0.9 * *z + 0.05);
    let lowest = (r.terms.iter().zip(&bars))
        .map(|(t, b)| t.utility(r.dim, &start[..r.dim]) - b)
        .fold(f64::INFINITY, f64::min);
    let ones = vec![1.0; terms.len()];
    Problem::new(r.dim, &r.terms, &bars, &ones, Goal::Level)
        .solve(&start, lowest - 1.0)
        .map_or(0.0, |o| (o.level + ZONE_TOL).clamp(0.0, 1.0))
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

/// The Pareto frontier of two parties when some issues are discrete: for
/// each combination of options, the frontier over the continuous issues
/// ([`pareto_pair`], each utility lowered by the party's loss on the
/// options), and over them all the upper envelope, from party `a`'s best
/// to party `b`'s. Exact: between consecutive breakpoints (every corner of
/// every combination's frontier and every crossing of two of their
/// segments) the envelope is one segment. Where the best combination
/// changes with a step down, the envelope drops vertically, and a stretch
/// where a combination's frontier ends is drawn level: points there are
/// only weakly efficient. An all-continuous grid gives [`pareto_pair`].
pub fn pareto_pair_over(grid: &Grid, dim: usize, a: &Terms, b: &Terms) -> Vec<(f64, f64)> {
    if grid.is_continuous() {
        return pareto_pair(dim, a, b);
    }
    let cont: Vec<usize> = (0..dim).filter(|&k| grid.levels[k] == 0).collect();
    let lines: Vec<Vec<(f64, f64)>> = (0..grid.combinations())
        .map(|c| {
            let options = grid.options_of(c);
            let sub = |t: &Terms| {
                let mut s = Terms::new([0.0; MAX_ISSUES], [0.0; MAX_ISSUES], t.reservation);
                for (j, &k) in cont.iter().enumerate() {
                    s.ideal[j] = t.ideal[k];
                    s.weight[j] = t.weight[k];
                }
                let loss: f64 = (0..dim)
                    .filter(|&k| grid.levels[k] > 0)
                    .map(|k| t.loss(k, grid.position(k, options[k])))
                    .sum();
                (s, loss)
            };
            let ((sa, la), (sb, lb)) = (sub(a), sub(b));
            let mut line: Vec<(f64, f64)> = pareto_pair(cont.len(), &sa, &sb)
                .into_iter()
                .map(|(x, y)| (x - la, y - lb))
                .collect();
            // By increasing utility of `a`.
            line.reverse();
            line
        })
        .collect();
    envelope(&lines)
}

/// The highest utility of `b` at `x` of `a` the frontier `line` (by
/// increasing `x`) reaches at `x` or beyond; `None` past its end.
fn reach(line: &[(f64, f64)], x: f64) -> Option<f64> {
    let (first, last) = (line.first()?, line.last()?);
    if x > last.0 {
        return None;
    }
    if x <= first.0 {
        return Some(first.1);
    }
    line.windows(2).find(|w| x <= w[1].0).map(|w| {
        let (p, q) = (w[0], w[1]);
        if q.0 - p.0 <= 0.0 {
            p.1.max(q.1)
        } else {
            p.1 + (q.1 - p.1) * (x - p.0) / (q.0 - p.0)
        }
    })
}

/// The upper envelope of frontiers, from the largest `x` to the smallest.
fn envelope(lines: &[Vec<(f64, f64)>]) -> Vec<(f64, f64)> {
    let mut xs: Vec<f64> = lines.iter().flatten().map(|p| p.0).collect();
    let segments: Vec<((f64, f64), (f64, f64))> = lines
        .iter()
        .flat_map(|l| l.windows(2).map(|w| (w[0], w[1])))
        .filter(|(p, q)| q.0 > p.0)
        .collect();
    for (i, &(p, q)) in segments.iter().enumerate() {
        for &(r, t) in &segments[i + 1..] {
            let (s1, s2) = ((q.1 - p.1) / (q.0 - p.0), (t.1 - r.1) / (t.0 - r.0));
            if s1 != s2 {
                let x = (r.1 - p.1 + s1 * p.0 - s2 * r.0) / (s1 - s2);
                if x > p.0.max(r.0) && x < q.0.min(t.0) {
                    xs.push(x);
                }
            }
        }
    }
    // Before its first corner a frontier reaches level (its best for `b`),
    // which other frontiers' segments may cross too.
    for l in lines {
        let Some(&(x0, y0)) = l.first() else { continue };
        for &(p, q) in &segments {
            let (lo, hi) = (p.1.min(q.1), p.1.max(q.1));
            if y0 > lo && y0 < hi {
                let x = p.0 + (y0 - p.1) * (q.0 - p.0) / (q.1 - p.1);
                if x < x0 {
                    xs.push(x);
                }
            }
        }
    }
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let best = |x: f64, beyond: bool| {
        lines
            .iter()
            .filter(|l| !beyond || l.last().is_some_and(|e| e.0 > x))
            .filter_map(|l| reach(l, x))
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &x in &xs {
        let at = best(x, false);
        out.push((x, at));
        let after = best(x, true);
        if after.is_finite() && after < at {
            out.push((x, after));
        }
    }
    out.reverse();
    out
}
