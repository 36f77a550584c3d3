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

use lp::{Col, MAX_DIM, Piece, PieceKind, Workspace};

/// Largest number of issues a scenario may hold.
pub const MAX_ISSUES: usize = MAX_DIM;

/// A gap at or below this counts as "the zone exists". The simplex is exact
/// up to rounding, so the tolerance only absorbs the last few ulps.
pub const ZONE_TOL: f64 = 1e-9;

/// A closed interval `[low, high]` on one issue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn new(low: f64, high: f64) -> Self {
        Interval { low, high }
    }
    /// The interval with both ends mapped by `f` (e.g. to issue units).
    pub fn map(self, f: impl Fn(f64) -> f64) -> Self {
        Interval::new(f(self.low), f(self.high))
    }
}

/// A party that blocks the zone, with its share of the certificate of why
/// the parties are apart (the shares of one step sum to one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blocker {
    pub party: usize,
    pub share: f64,
}

/// The gap programme's optimum: `min_y max_i shortfall_i(y)` and a
/// settlement `y` attaining it (normalised units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap {
    pub value: f64,
    pub minimiser: [f64; MAX_ISSUES],
}

impl Gap {
    /// Whether the zone exists at this gap.
    pub fn opens(&self) -> bool {
        self.value <= ZONE_TOL
    }
}

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
    #[inline]
    pub fn utility(&self, dim: usize, y: &[f64]) -> f64 {
        1.0 - (0..dim)
            .map(|k| self.weight[k] * (y[k] - self.ideal[k]).abs())
            .sum::<f64>()
    }

    /// How far `y` is from being acceptable: positive means rejected, zero
    /// or negative accepted (its magnitude is the margin).
    #[inline]
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
    pub fn acceptable_range(&self, dim: usize, axis: usize) -> Option<Interval> {
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
        (lo <= hi + ZONE_TOL).then_some(Interval::new(lo, hi.max(lo)))
    }

    /// The affine piece of the given kind, if the party has it (a utility
    /// piece needs weight on every issue its mask names, a red-line piece
    /// needs the line).
    #[inline]
    pub fn piece(&self, dim: usize, owner: usize, kind: PieceKind) -> Option<Piece> {
        let mut a = [0.0; MAX_DIM];
        let b = match kind {
            PieceKind::Utility(mask) => {
                // r - 1 + sum_k w_k s_k (y_k - ideal_k), s_k = -1 where the
                // mask bit is set.
                let mut b = self.reservation - 1.0;
                for k in 0..dim {
                    let below = mask >> k & 1 == 1;
                    if self.weight[k] > 0.0 {
                        let sign = if below { -1.0 } else { 1.0 };
                        a[k] = sign * self.weight[k];
                        b -= sign * self.weight[k] * self.ideal[k];
                    } else if below {
                        return None;
                    }
                }
                b
            }
            PieceKind::Lower(k) => {
                let k = usize::from(k);
                if k >= dim || self.lower[k] <= 0.0 {
                    return None;
                }
                a[k] = -1.0;
                self.lower[k]
            }
            PieceKind::Upper(k) => {
                let k = usize::from(k);
                if k >= dim || self.upper[k] >= 1.0 {
                    return None;
                }
                a[k] = 1.0;
                -self.upper[k]
            }
        };
        Some(Piece { a, b, owner, kind })
    }

    /// The offset `b` of the piece of the given kind, if the party has it:
    /// what changes from step to step (its slopes are fixed by the weights).
    #[inline]
    pub fn offset(&self, dim: usize, kind: PieceKind) -> Option<f64> {
        match kind {
            PieceKind::Utility(mask) => {
                let mut b = self.reservation - 1.0;
                for k in 0..dim {
                    let w = self.weight[k];
                    if mask >> k & 1 == 1 {
                        if w <= 0.0 {
                            return None;
                        }
                        b += w * self.ideal[k];
                    } else {
                        b -= w * self.ideal[k];
                    }
                }
                Some(b)
            }
            PieceKind::Lower(k) => (self.lower.get(usize::from(k)).copied())
                .filter(|&l| usize::from(k) < dim && l > 0.0),
            PieceKind::Upper(k) => (self.upper.get(usize::from(k)).copied())
                .filter(|&u| usize::from(k) < dim && u < 1.0)
                .map(|u| -u),
        }
    }

    /// Appends this party's affine pieces, tagged with `owner`: one per
    /// sign pattern of the weighted issues, one per red line.
    fn push_pieces(&self, dim: usize, owner: usize, out: &mut Vec<Piece>) {
        let active: u8 = (0..dim)
            .filter(|&k| self.weight[k] > 0.0)
            .map(|k| 1u8 << k)
            .sum();
        // Every subset of the active issues, by the usual submask walk.
        let mut mask = active;
        loop {
            out.extend(self.piece(dim, owner, PieceKind::Utility(mask)));
            if mask == 0 {
                break;
            }
            mask = (mask - 1) & active;
        }
        for k in 0..dim as u8 {
            out.extend(self.piece(dim, owner, PieceKind::Lower(k)));
            out.extend(self.piece(dim, owner, PieceKind::Upper(k)));
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
    pub blockers: Vec<Blocker>,
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
    blockers: Vec<Blocker>,
    /// The optimal basis of the last gap, pieces named by owner and kind so
    /// it can be tried on the next step's terms.
    warm: Vec<Col<(usize, PieceKind)>>,
    /// Its factorisation (`None` when it could not be factorised).
    factor: Option<lp::Factor>,
    /// The weights of each basic piece's owner when the basis was found.
    warm_weights: Vec<[f64; MAX_ISSUES]>,
    offsets: Vec<Col<f64>>,
    /// The first programme solved from scratch after `forget`, and all that
    /// solving it produced. Monte Carlo runs start from the same terms, so
    /// each run after the first finds its step 0 here, bit for bit as a cold
    /// solve would give it.
    memo: Option<Box<Memo>>,
}

#[derive(Debug, Clone)]
struct Memo {
    terms: Vec<Terms>,
    gap: Gap,
    blockers: Vec<Blocker>,
    warm: Vec<Col<(usize, PieceKind)>>,
    factor: Option<lp::Factor>,
    warm_weights: Vec<[f64; MAX_ISSUES]>,
}

impl Solver {
    /// The zone among the consenting parties `terms` (indices in the result
    /// refer to positions in `terms`). `terms` must not be empty.
    pub fn zone(&mut self, dim: usize, terms: &[Terms]) -> Zone {
        let mut zone = self.gap(dim, terms);
        zone.nash =
            (zone.gap <= ZONE_TOL).then(|| nash::nash_point(dim, terms, zone.gap, &zone.minimiser));
        zone
    }

    /// Forgets what earlier solves learnt (the warm-start basis), so that
    /// results depend only on the programmes solved from here on.
    pub fn forget(&mut self) {
        self.warm.clear();
        self.factor = None;
    }

    /// The Nash point of a zone whose gap and minimiser are known.
    pub fn nash(
        &self,
        dim: usize,
        terms: &[Terms],
        gap: f64,
        minimiser: &[f64; MAX_ISSUES],
    ) -> [f64; MAX_ISSUES] {
        nash::nash_point(dim, terms, gap, minimiser)
    }

    /// The zone without its Nash point (`nash` is `None`): the gap, its
    /// minimiser and the blockers.
    pub fn gap(&mut self, dim: usize, terms: &[Terms]) -> Zone {
        let gap = self.gap_only(dim, terms);
        Zone {
            gap: gap.value,
            minimiser: gap.minimiser,
            blockers: self.blockers.clone(),
            nash: None,
        }
    }

    /// The gap and its minimiser; the blockers are left in
    /// [`Solver::blockers`]. Allocates nothing once warmed up, for the
    /// Monte Carlo loop.
    pub fn gap_only(&mut self, dim: usize, terms: &[Terms]) -> Gap {
        let fresh = self.warm.is_empty();
        if fresh {
            if let Some(m) = self.memo.as_deref().filter(|m| m.terms == terms) {
                self.blockers.clone_from(&m.blockers);
                self.warm.clone_from(&m.warm);
                self.factor.clone_from(&m.factor);
                self.warm_weights.clone_from(&m.warm_weights);
                return m.gap;
            }
        } else if let Some(found) = self.warm_gap(dim, terms) {
            return found;
        }
        self.load(dim, terms);
        let sol = lp::minimax(&mut self.ws, dim, &self.pieces);
        let pieces = &self.pieces;
        self.warm.clear();
        self.warm.extend(self.ws.basis().map(|c| match c {
            Col::Piece(j) => Col::Piece((pieces[j].owner, pieces[j].kind)),
            Col::Box(k) => Col::Box(k),
            Col::Slack(r) => Col::Slack(r),
        }));
        let slopes: Vec<Col<[f64; MAX_DIM]>> = self
            .ws
            .basis()
            .map(|c| match c {
                Col::Piece(j) => Col::Piece(pieces[j].a),
                Col::Box(k) => Col::Box(k),
                Col::Slack(r) => Col::Slack(r),
            })
            .collect();
        self.factor = lp::Factor::new(dim, &slopes);
        self.warm_weights.clear();
        self.warm_weights.extend(self.ws.basis().map(|c| match c {
            Col::Piece(j) => terms[pieces[j].owner].weight,
            _ => [0.0; MAX_ISSUES],
        }));
        self.blockers.clear();
        if sol.value > ZONE_TOL {
            add_blockers(
                &mut self.blockers,
                self.ws.weights().map(|(j, w)| (pieces[j].owner, w)),
            );
        }
        let gap = Gap {
            value: sol.value,
            minimiser: sol.y,
        };
        if fresh {
            self.memo = Some(Box::new(Memo {
                terms: terms.to_vec(),
                gap,
                blockers: self.blockers.clone(),
                warm: self.warm.clone(),
                factor: self.factor.clone(),
                warm_weights: self.warm_weights.clone(),
            }));
        }
        gap
    }

    /// From one step to the next the same pieces usually bind, so the last
    /// optimal basis is checked first, without building every piece: its
    /// optimality is confirmed through the parties' shortfalls directly.
    fn warm_gap(&mut self, dim: usize, terms: &[Terms]) -> Option<Gap> {
        let factor = self.factor.as_ref()?;
        self.offsets.clear();
        for (i, c) in self.warm.iter().enumerate() {
            self.offsets.push(match *c {
                Col::Piece((owner, kind)) => {
                    // A piece's slopes follow from its kind and its owner's
                    // weights; the same kind of piece of a party with other
                    // weights (after someone walked away) is another column.
                    let t = terms.get(owner)?;
                    if t.weight != self.warm_weights[i] {
                        return None;
                    }
                    Col::Piece(t.offset(dim, kind)?)
                }
                Col::Box(k) => Col::Box(k),
                Col::Slack(r) => Col::Slack(r),
            });
        }
        let sol = factor.check(&self.offsets, |y| worst_shortfall(dim, terms, y))?;
        self.blockers.clear();
        if sol.value > ZONE_TOL {
            let weights = self.warm.iter().zip(factor.x).filter_map(|(c, w)| match c {
                Col::Piece((owner, _)) => Some((*owner, w)),
                _ => None,
            });
            add_blockers(&mut self.blockers, weights);
        }
        Some(Gap {
            value: sol.value,
            minimiser: sol.y,
        })
    }

    /// Blocking parties of the last `gap_only` call (`party` is the index
    /// in the terms given).
    pub fn blockers(&self) -> &[Blocker] {
        &self.blockers
    }

    /// The zone's extent along `axis` (its projection), or `None` if the
    /// zone is empty.
    pub fn extent(
        &mut self,
        dim: usize,
        terms: &[Terms],
        axis: usize,
        gap: f64,
    ) -> Option<Interval> {
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
        Some(Interval::new(lo, hi.max(lo)))
    }

    fn load(&mut self, dim: usize, terms: &[Terms]) {
        self.pieces.clear();
        for (i, t) in terms.iter().enumerate() {
            t.push_pieces(dim, i, &mut self.pieces);
        }
    }
}

/// A lower bound on the gap from the red lines alone, in closed form: red
/// lines bound one issue each, so their conflict is settled issue by issue.
/// Reservations do not enter, so the bound holds whatever the parties' bars
/// are (or are believed to be); when it is positive, no bar can open a zone.
pub fn red_line_bound(dim: usize, terms: &[Terms]) -> f64 {
    let mut bound = f64::NEG_INFINITY;
    for k in 0..dim {
        let lo = terms
            .iter()
            .map(|t| t.lower[k])
            .filter(|&l| l > 0.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let hi = terms
            .iter()
            .map(|t| t.upper[k])
            .filter(|&u| u < 1.0)
            .fold(f64::INFINITY, f64::min);
        let y = match (lo.is_finite(), hi.is_finite()) {
            (true, true) => (0.5 * (lo + hi)).clamp(0.0, 1.0),
            (true, false) => 1.0,
            (false, true) => 0.0,
            (false, false) => continue,
        };
        bound = bound.max((lo - y).max(y - hi));
    }
    bound
}

/// Sums dual weights per owning party into `blockers` (sorted by party).
fn add_blockers(blockers: &mut Vec<Blocker>, weights: impl Iterator<Item = (usize, f64)>) {
    for (owner, w) in weights {
        if w > 1e-9 {
            match blockers.iter_mut().find(|b| b.party == owner) {
                Some(b) => b.share += w,
                None => blockers.push(Blocker {
                    party: owner,
                    share: w,
                }),
            }
        }
    }
    blockers.sort_by_key(|b| b.party);
}

/// The largest shortfall over the parties at `y`: the quantity the gap
/// minimises. Used by tests and by callers that check a settlement.
#[inline]
pub fn worst_shortfall(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    terms
        .iter()
        .map(|t| t.shortfall(dim, y))
        .fold(f64::NEG_INFINITY, f64::max)
}
