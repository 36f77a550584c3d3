//! The zone of possible agreement, computed exactly.
//!
//! Everything here works in *normalised* coordinates: each issue's range is
//! mapped onto `[0, 1]`, so that one unit of utility means the same thing on
//! every axis. The caller (the simulation) converts to and from the issue's
//! own units.
//!
//! A party's shortfall at a settlement `y` is the largest of
//! `r_i - U_i(y)` and, for each of its red lines, how far `y` lies beyond
//! that line. Because `U_i` is a weighted city-block distance, the shortfall
//! is the maximum of a few affine *pieces*, one per sign pattern of
//! `y_k - ideal_k`; the gap is then a small linear programme (see [`lp`]).

// Index loops read like the formulas they implement in this numeric code.
#![allow(clippy::needless_range_loop)]

pub mod lp;
mod nash;

use lp::{MAX_DIM, Piece, Workspace};

/// Largest number of issues a scenario may hold.
pub const MAX_ISSUES: usize = MAX_DIM;

/// A gap at or below this counts as "the zone exists". The simplex is exact
/// up to rounding, so the tolerance only absorbs the last few ulps.
pub const ZONE_TOL: f64 = 1e-9;

/// What one party brings to the table at one step, in normalised units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Terms {
    pub ideal: [f64; MAX_ISSUES],
    /// Non-negative, summing to one over the issues in play.
    pub weight: [f64; MAX_ISSUES],
    pub reservation: f64,
    /// Red lines: the settlement must keep `lower <= y <= upper` on each
    /// issue. `NEG_INFINITY`/`INFINITY` mean no line on that side.
    pub lower: [f64; MAX_ISSUES],
    pub upper: [f64; MAX_ISSUES],
}

impl Terms {
    /// A party with no red lines.
    pub fn new(ideal: [f64; MAX_ISSUES], weight: [f64; MAX_ISSUES], reservation: f64) -> Self {
        Terms {
            ideal,
            weight,
            reservation,
            lower: [f64::NEG_INFINITY; MAX_ISSUES],
            upper: [f64::INFINITY; MAX_ISSUES],
        }
    }

    /// `U_i(y) = 1 - sum_k w_k |y_k - ideal_k|`.
    pub fn utility(&self, dim: usize, y: &[f64]) -> f64 {
        1.0 - (0..dim)
            .map(|k| self.weight[k] * (y[k] - self.ideal[k]).abs())
            .sum::<f64>()
    }

    /// How far `y` is from being acceptable: positive means rejected, zero
    /// or negative accepted (its magnitude is the margin).
    pub fn shortfall(&self, dim: usize, y: &[f64]) -> f64 {
        let mut s = self.reservation - self.utility(dim, y);
        for k in 0..dim {
            if self.lower[k] > 0.0 {
                s = s.max(self.lower[k] - y[k]);
            }
            if self.upper[k] < 1.0 {
                s = s.max(y[k] - self.upper[k]);
            }
        }
        s
    }

    /// Whether the party accepts `y`, with the zone's tolerance.
    pub fn accepts(&self, dim: usize, y: &[f64]) -> bool {
        self.shortfall(dim, y) <= ZONE_TOL
    }

    /// The interval of values on `axis` the party could accept if every
    /// other issue were settled as well as possible for it; `None` if no
    /// settlement at all is acceptable. Exact, because utility is separable.
    pub fn acceptable_range(&self, dim: usize, axis: usize) -> Option<(f64, f64)> {
        let bounds = |k: usize| (self.lower[k].max(0.0), self.upper[k].min(1.0));
        let mut budget = 1.0 - self.reservation;
        for k in (0..dim).filter(|&k| k != axis) {
            let (lo, hi) = bounds(k);
            if lo > hi {
                return None;
            }
            let nearest = self.ideal[k].clamp(lo, hi);
            budget -= self.weight[k] * (nearest - self.ideal[k]).abs();
        }
        if budget < -ZONE_TOL {
            return None;
        }
        let (mut lo, mut hi) = bounds(axis);
        let w = self.weight[axis];
        if w > 0.0 {
            let reach = budget.max(0.0) / w;
            lo = lo.max(self.ideal[axis] - reach);
            hi = hi.min(self.ideal[axis] + reach);
        }
        (lo <= hi + ZONE_TOL).then_some((lo, hi.max(lo)))
    }

    /// Appends this party's affine pieces, tagged with `owner`.
    fn push_pieces(&self, dim: usize, owner: usize, out: &mut Vec<Piece>) {
        let active: Vec<usize> = (0..dim).filter(|&k| self.weight[k] > 0.0).collect();
        // One piece per sign pattern of the weighted issues:
        // r - 1 + sum_k w_k s_k (y_k - ideal_k).
        for pattern in 0..(1u32 << active.len()) {
            let mut a = [0.0; MAX_DIM];
            let mut b = self.reservation - 1.0;
            for (bit, &k) in active.iter().enumerate() {
                let sign = if pattern >> bit & 1 == 1 { -1.0 } else { 1.0 };
                a[k] = sign * self.weight[k];
                b -= sign * self.weight[k] * self.ideal[k];
            }
            out.push(Piece {
                a,
                b,
                owner,
                line: false,
            });
        }
        for k in 0..dim {
            if self.lower[k] > 0.0 {
                let mut a = [0.0; MAX_DIM];
                a[k] = -1.0;
                out.push(Piece {
                    a,
                    b: self.lower[k],
                    owner,
                    line: true,
                });
            }
            if self.upper[k] < 1.0 {
                let mut a = [0.0; MAX_DIM];
                a[k] = 1.0;
                out.push(Piece {
                    a,
                    b: -self.upper[k],
                    owner,
                    line: true,
                });
            }
        }
    }
}

/// The zone at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// `min_y max_i shortfall_i(y)`: positive is the distance between the
    /// parties in utility units, zero or negative the depth of the zone.
    pub gap: f64,
    /// A settlement attaining the gap.
    pub minimiser: [f64; MAX_ISSUES],
    /// Parties whose demands jointly force the gap above zero, each with its
    /// share of the certificate (shares sum to one). Empty when the zone
    /// exists.
    pub blockers: Vec<(usize, f64)>,
    /// The Nash bargaining point, when the zone exists.
    pub nash: Option<[f64; MAX_ISSUES]>,
}

impl Zone {
    pub fn exists(&self) -> bool {
        self.gap <= ZONE_TOL
    }
}

/// Computes zones; holds scratch memory so repeated calls do not allocate.
#[derive(Debug, Default, Clone)]
pub struct Solver {
    ws: Workspace,
    pieces: Vec<Piece>,
}

impl Solver {
    /// The zone among the consenting parties `terms` (indices in the result
    /// refer to positions in `terms`). `terms` must not be empty.
    pub fn zone(&mut self, dim: usize, terms: &[Terms]) -> Zone {
        let (gap, minimiser, blockers) = self.gap(dim, terms);
        let nash = (gap <= ZONE_TOL).then(|| nash::nash_point(dim, terms, gap, &minimiser));
        Zone {
            gap,
            minimiser,
            blockers,
            nash,
        }
    }

    /// The gap, its minimiser and the blockers, without the Nash point.
    pub fn gap(
        &mut self,
        dim: usize,
        terms: &[Terms],
    ) -> (f64, [f64; MAX_ISSUES], Vec<(usize, f64)>) {
        self.load(dim, terms);
        let sol = lp::minimax(&mut self.ws, dim, &self.pieces);
        let mut blockers: Vec<(usize, f64)> = Vec::new();
        if sol.value > ZONE_TOL {
            for (p, w) in self.pieces.iter().zip(&sol.weights) {
                if *w > 1e-9 {
                    match blockers.iter_mut().find(|(o, _)| *o == p.owner) {
                        Some((_, acc)) => *acc += w,
                        None => blockers.push((p.owner, *w)),
                    }
                }
            }
            blockers.sort_by_key(|&(o, _)| o);
        }
        (sol.value, sol.y, blockers)
    }

    /// The zone's extent along `axis` (its projection), or `None` if the
    /// zone is empty.
    pub fn extent(
        &mut self,
        dim: usize,
        terms: &[Terms],
        axis: usize,
        gap: f64,
    ) -> Option<(f64, f64)> {
        if gap > ZONE_TOL {
            return None;
        }
        self.load(dim, terms);
        // Allow the pieces the gap's own slack (plus a few ulps) so that a
        // zone of zero depth is still found despite rounding.
        let slack = gap.max(0.0) + 1e-14;
        let lo = lp::lowest(&mut self.ws, dim, &self.pieces, axis, slack)?;
        // The highest point is the lowest after flipping the axis y -> 1 - y.
        for p in &mut self.pieces {
            p.b += p.a[axis];
            p.a[axis] = -p.a[axis];
        }
        let hi = 1.0 - lp::lowest(&mut self.ws, dim, &self.pieces, axis, slack)?;
        Some((lo, hi.max(lo)))
    }

    fn load(&mut self, dim: usize, terms: &[Terms]) {
        self.pieces.clear();
        for (i, t) in terms.iter().enumerate() {
            t.push_pieces(dim, i, &mut self.pieces);
        }
    }
}

/// The largest shortfall over the parties at `y`: the quantity the gap
/// minimises. Used by tests and by callers that check a settlement.
pub fn worst_shortfall(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    terms
        .iter()
        .map(|t| t.shortfall(dim, y))
        .fold(f64::NEG_INFINITY, f64::max)
}
