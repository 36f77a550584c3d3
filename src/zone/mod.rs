//! The zone of possible agreement, computed exactly.
//!
//! Everything here works in *normalised* coordinates: each issue's range is
//! mapped onto `[0, 1]`, so that one unit of utility means the same thing on
//! every axis. The caller (the simulation) converts to and from the issue's
//! own units.
//!
//! Two walls can close the zone, and they are measured apart:
//! - the *red lines*: hard limits on single issues. Together the consenting
//!   parties' lines leave a box of settlements ([`LineBox`]), or they cross
//!   on some issue, by a distance in that issue's own units;
//! - the *bars*: over the settlements the lines allow, the bar gap
//!   `min_y max_i (r_i - U_i(y))`: positive, how far apart the bars are;
//!   zero or negative, the depth of the zone, in utility.
//!
//! Because `U_i` is a weighted city-block distance, `r_i - U_i` is the
//! maximum of a few affine *pieces*, one per sign pattern of
//! `y_k - ideal_k`; the bar gap is then a small linear programme over the
//! line box (see [`lp`]).

// Index loops read like the formulas they implement in this numeric code.
#![allow(clippy::needless_range_loop)]

mod discrete;
pub mod lp;
mod nash;
pub mod outcome;

use lp::{Col, MAX_DIM, Piece, PieceKind, Workspace};

/// Largest number of issues a scenario may hold.
pub const MAX_ISSUES: usize = MAX_DIM;

/// Most combinations of the discrete issues' options a zone is solved
/// over, one linear programme each.
pub const MAX_COMBINATIONS: usize = 64;

/// Which issues take only a few values: on issue `k`, `levels[k]` options
/// at `0, 1/(n-1), ..., 1` on the normalised axis; 0 for a continuous
/// issue. The default grid is all continuous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grid {
    pub levels: [usize; MAX_ISSUES],
}

impl Grid {
    /// Whether every issue is continuous.
    pub fn is_continuous(&self) -> bool {
        self.levels.iter().all(|&n| n == 0)
    }

    /// How many combinations of options the discrete issues have.
    pub fn combinations(&self) -> usize {
        self.levels.iter().map(|&n| n.max(1)).product()
    }

    /// The normalised value of option `i` of issue `k`.
    pub fn position(&self, k: usize, i: usize) -> f64 {
        i as f64 / (self.levels[k] - 1) as f64
    }

    /// The option of each discrete issue in combination `c` (mixed radix,
    /// the first issue fastest); 0 on continuous issues.
    pub fn options_of(&self, c: usize) -> [usize; MAX_ISSUES] {
        let mut rest = c;
        let mut out = [0; MAX_ISSUES];
        for k in 0..MAX_ISSUES {
            let n = self.levels[k];
            if n > 0 {
                out[k] = rest % n;
                rest /= n;
            }
        }
        out
    }
}

/// A gap at or below this counts as "the zone exists". The simplex is exact
/// up to rounding, so the tolerance only absorbs the last few ulps.
pub const ZONE_TOL: f64 = 1e-9;

/// Up to this many issues the bar programme lists every party's pieces (at
/// most 2^4 = 16 each). Above it a party has up to 4,096, and the
/// programmes take only those that bind, added as they are found (see
/// [`Solver::generated_minimax`]).
const LISTED_DIM: usize = 4;

/// How far above the programme's optimum a party's shortfall must be for
/// its piece to be added: a piece already in the programme is never above
/// it by more than rounding, so the search cannot add a piece twice.
const CUT_TOL: f64 = 1e-12;

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

/// The gap at one step, wall by wall (normalised units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap<const W: usize = MAX_ISSUES> {
    /// The headline gap: the bar gap when the red lines allow settlements;
    /// when they cross, the larger of the bar gap between the crossing lines
    /// and the worst crossing. At most `ZONE_TOL` exactly when the zone
    /// exists; then minus the utility room the bars leave (its depth).
    pub value: f64,
    /// A settlement attaining the bar gap (inside the line box, or between
    /// crossing lines).
    pub minimiser: [f64; W],
    /// `min_y max_i (r_i - U_i(y))` over the line box.
    pub bars: f64,
    /// The worst crossing of the red lines: positive when they cross.
    pub lines: f64,
}

impl<const W: usize> Gap<W> {
    /// Whether the zone exists at this gap.
    pub fn opens(&self) -> bool {
        self.value <= ZONE_TOL
    }
}

/// A party's own value of each option on the discrete issues it values by
/// a table rather than by position: what a pension restored or a guarantee
/// given is worth to it need not follow the options' order. Shared, not
/// copied, by every step's terms (a scenario without tables has none).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionValues {
    /// On issue `k`, the loss of option `i` (one minus its value, from 0 at
    /// the party's best option to at most 1); empty on an issue valued by
    /// position.
    loss: [Box<[f64]>; MAX_ISSUES],
}

impl OptionValues {
    /// Sets the values of issue `k`'s options, in order, each in `[0, 1]`.
    pub fn set(&mut self, k: usize, values: &[f64]) {
        self.loss[k] = values.iter().map(|v| 1.0 - v).collect();
    }

    /// Whether issue `k` is valued by the table.
    pub fn has(&self, k: usize) -> bool {
        !self.loss[k].is_empty()
    }

    /// The loss on issue `k` at the normalised value `y`, if the table
    /// values the issue: the option's own loss at an option, and the
    /// straight line between the two options around `y` elsewhere (a chart
    /// or a `--set` may ask between options; a settlement never lands
    /// there).
    #[inline]
    pub fn loss(&self, k: usize, y: f64) -> Option<f64> {
        let loss = &self.loss[k];
        (!loss.is_empty()).then(|| between_options(loss, y))
    }

    /// The positions of the first and last options of issue `k` from `lo`
    /// to `hi` whose loss passes `keep`.
    fn within(&self, k: usize, lo: f64, hi: f64, keep: impl Fn(f64) -> bool) -> Option<(f64, f64)> {
        let loss = &self.loss[k];
        let last = (loss.len().max(2) - 1) as f64;
        let kept = (loss.iter().enumerate())
            .map(|(i, &l)| (i as f64 / last, l))
            .filter(|&(y, l)| y >= lo - ZONE_TOL && y <= hi + ZONE_TOL && keep(l));
        kept.fold(None, |acc, (y, _)| match acc {
            None => Some((y, y)),
            Some((a, _)) => Some((a, y)),
        })
    }

    /// The least loss on issue `k` over its options from `lo` to `hi`
    /// (normalised, a tolerance either side); `None` when no option lies
    /// there.
    fn least(&self, k: usize, lo: f64, hi: f64) -> Option<f64> {
        let loss = &self.loss[k];
        let last = (loss.len().max(2) - 1) as f64;
        (loss.iter().enumerate())
            .filter(|&(i, _)| (lo - ZONE_TOL..=hi + ZONE_TOL).contains(&(i as f64 / last)))
            .map(|(_, &l)| l)
            .reduce(f64::min)
    }
}

/// A quantity given at each of `n` options, read at the normalised value
/// `y`: at an option its own, between two options on the straight line
/// joining them.
pub fn between_options(at_options: &[f64], y: f64) -> f64 {
    let last = at_options.len() - 1;
    let at = y.clamp(0.0, 1.0) * last as f64;
    let i = (at.floor() as usize).min(last);
    let j = (i + 1).min(last);
    at_options[i] + (at - i as f64) * (at_options[j] - at_options[i])
}

/// What one party brings to the table at one step, in normalised units.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms<const W: usize = MAX_ISSUES> {
    pub ideal: [f64; W],
    /// Non-negative, summing to one over the issues in play.
    pub weight: [f64; W],
    pub reservation: f64,
    /// Red lines: the settlement must keep `lower <= y <= upper` on each
    /// issue. `NEG_INFINITY`/`INFINITY` mean no line on that side.
    pub lower: [f64; W],
    pub upper: [f64; W],
    /// The party's table of option values, where it has one: on those
    /// issues its loss is read from the table, not from the distance to
    /// `ideal` (which is then its best option).
    pub values: Option<std::sync::Arc<OptionValues>>,
}

impl<const W: usize> Terms<W> {
    /// A party with no red lines.
    pub fn new(ideal: [f64; W], weight: [f64; W], reservation: f64) -> Self {
        Terms {
            ideal,
            weight,
            reservation,
            lower: [f64::NEG_INFINITY; W],
            upper: [f64::INFINITY; W],
            values: None,
        }
    }

    /// The same terms at another width: the first issues copied, any
    /// further ones out of play (no weight, no lines).
    pub fn resized<const V: usize>(&self) -> Terms<V> {
        Terms {
            ideal: resized(&self.ideal, 0.0),
            weight: resized(&self.weight, 0.0),
            reservation: self.reservation,
            lower: resized(&self.lower, f64::NEG_INFINITY),
            upper: resized(&self.upper, f64::INFINITY),
            values: self.values.clone(),
        }
    }

    /// `U_i(y) = 1 - sum_k w_k loss_k(y_k)`, the loss being `|y_k -
    /// ideal_k|` or, on an issue the party values by a table, the table's.
    #[inline]
    pub fn utility(&self, dim: usize, y: &[f64]) -> f64 {
        // Most parties have no table: their loop stays the plain one.
        if self.values.is_some() {
            return 1.0 - (0..dim).map(|k| self.loss(k, y[k])).sum::<f64>();
        }
        1.0 - (0..dim)
            .map(|k| self.weight[k] * (y[k] - self.ideal[k]).abs())
            .sum::<f64>()
    }

    /// The weighted loss of utility on issue `k` at the normalised value
    /// `y`.
    #[inline]
    pub fn loss(&self, k: usize, y: f64) -> f64 {
        let table = self.values.as_deref().and_then(|v| v.loss(k, y));
        self.weight[k] * table.unwrap_or_else(|| (y - self.ideal[k]).abs())
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
    #[inline]
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
            budget -= self.least_loss(k, lo, hi);
        }
        self.within_budget(axis, budget)
    }

    /// The party's least loss on issue `k` over the values from `lo` to
    /// `hi`: at its ideal clamped into them, or, on an issue it values by a
    /// table, at its best option among those inside them.
    fn least_loss(&self, k: usize, lo: f64, hi: f64) -> f64 {
        match self.values.as_deref().filter(|v| v.has(k)) {
            Some(v) => v
                .least(k, lo, hi)
                .map_or(f64::INFINITY, |l| self.weight[k] * l),
            None => self.loss(k, self.ideal[k].clamp(lo, hi)),
        }
    }

    /// The values of `axis` within the party's red lines and the box whose
    /// loss of utility on that issue stays within `budget`; `None` when the
    /// budget is spent or nothing is left.
    fn within_budget(&self, axis: usize, budget: f64) -> Option<Interval> {
        if budget < -ZONE_TOL {
            return None;
        }
        let (mut lo, mut hi) = (self.lower[axis].max(0.0), self.upper[axis].min(1.0));
        if let Some(v) = self.values.as_deref().filter(|v| v.has(axis)) {
            // The options within the lines and the budget; a table need not
            // be single-peaked, so this is their hull (a chart of options
            // asks option by option).
            let kept = v.within(axis, lo, hi, |l| self.weight[axis] * l <= budget + ZONE_TOL);
            return kept.map(|(a, b)| Interval::new(a, b));
        }
        let w = self.weight[axis];
        if w > 0.0 {
            let reach = budget.max(0.0) / w;
            lo = lo.max(self.ideal[axis] - reach);
            hi = hi.min(self.ideal[axis] + reach);
        }
        (lo <= hi + ZONE_TOL).then_some(Interval::new(lo, hi.max(lo)))
    }

    /// The values of issue `axis` the party accepts when every other issue
    /// is settled as in `y` (normalised): its bar and its red lines both
    /// hold. `None` when no value does.
    pub fn range_given(&self, dim: usize, axis: usize, y: &[f64]) -> Option<Interval> {
        let others: f64 = (0..dim)
            .filter(|&k| k != axis)
            .map(|k| self.loss(k, y[k]))
            .sum();
        let inside_lines = (0..dim)
            .filter(|&k| k != axis)
            .all(|k| y[k] >= self.lower[k] - ZONE_TOL && y[k] <= self.upper[k] + ZONE_TOL);
        if !inside_lines {
            return None;
        }
        self.within_budget(axis, 1.0 - self.reservation - others)
    }

    /// The utility piece of the given sign pattern, if the party has it
    /// (it needs weight on every issue the pattern puts below the ideal).
    #[inline]
    pub fn piece(&self, dim: usize, owner: usize, kind: PieceKind) -> Option<Piece<W>> {
        // r - 1 + sum_k w_k s_k (y_k - ideal_k), s_k = -1 where the mask
        // bit is set.
        let mut a = [0.0; W];
        let mut b = self.reservation - 1.0;
        for k in 0..dim {
            let below = kind.0 >> k & 1 == 1;
            if self.weight[k] > 0.0 {
                let sign = if below { -1.0 } else { 1.0 };
                a[k] = sign * self.weight[k];
                b -= sign * self.weight[k] * self.ideal[k];
            } else if below {
                return None;
            }
        }
        Some(Piece { a, b, owner, kind })
    }

    /// The offset of the piece of the given kind over the box `y = corner +
    /// z`, if the party has it: what changes from step to step (its slopes
    /// are fixed by the weights).
    #[inline]
    pub fn offset(&self, dim: usize, kind: PieceKind, corner: &[f64; W]) -> Option<f64> {
        let mut b = self.reservation - 1.0;
        for k in 0..dim {
            let w = self.weight[k];
            let below = kind.0 >> k & 1 == 1;
            if below && w <= 0.0 {
                return None;
            }
            let sign = if below { -1.0 } else { 1.0 };
            b += sign * w * (corner[k] - self.ideal[k]);
        }
        Some(b)
    }

    /// Appends this party's utility pieces, tagged with `owner`: one per
    /// sign pattern of the weighted issues. (Red lines are not pieces: they
    /// bound the box the pieces are minimised over.)
    fn push_pieces(&self, dim: usize, owner: usize, out: &mut Vec<Piece<W>>) {
        let active: u16 = (0..dim)
            .filter(|&k| self.weight[k] > 0.0)
            .map(|k| 1u16 << k)
            .sum();
        // Every subset of the active issues, by the usual submask walk.
        let mut mask = active;
        loop {
            out.extend(self.piece(dim, owner, PieceKind(mask)));
            if mask == 0 {
                break;
            }
            mask = (mask - 1) & active;
        }
    }

    /// The piece that gives this party's bar shortfall at `y`: the one whose
    /// sign pattern puts each weighted issue below the ideal exactly where
    /// `y` is. Its value at `y` is [`Terms::bar_shortfall`], and no other
    /// piece of the party's is larger there (the utility is their minimum).
    fn piece_at(&self, dim: usize, owner: usize, y: &[f64; W]) -> Piece<W> {
        let below: u16 = (0..dim)
            .filter(|&k| self.weight[k] > 0.0 && y[k] < self.ideal[k])
            .map(|k| 1u16 << k)
            .sum();
        self.piece(dim, owner, PieceKind(below))
            .expect("a piece below the ideal only on weighted issues exists")
    }

    /// `r_i - U_i(y)`: how far `y` falls short of the party's bar, red lines
    /// aside.
    #[inline]
    pub fn bar_shortfall(&self, dim: usize, y: &[f64]) -> f64 {
        self.reservation - self.utility(dim, y)
    }
}

/// The settlements the consenting parties' red lines allow: on each issue
/// the highest lower line and the lowest upper line (normalised units),
/// with the parties they belong to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox<const W: usize = MAX_ISSUES> {
    pub dim: usize,
    pub low: [f64; W],
    pub high: [f64; W],
    /// The party (index in the terms) whose line is `low`, if any.
    pub low_owner: [Option<usize>; W],
    pub high_owner: [Option<usize>; W],
}

impl<const W: usize> Default for LineBox<W> {
    fn default() -> Self {
        LineBox {
            dim: 0,
            low: [0.0; W],
            high: [1.0; W],
            low_owner: [None; W],
            high_owner: [None; W],
        }
    }
}

impl<const W: usize> LineBox<W> {
    #[inline]
    pub fn of(dim: usize, terms: &[Terms<W>]) -> LineBox<W> {
        let mut b = LineBox {
            dim,
            low: [0.0; W],
            high: [1.0; W],
            low_owner: [None; W],
            high_owner: [None; W],
        };
        for (i, t) in terms.iter().enumerate() {
            for k in 0..dim {
                // A line beyond the issue's range is kept as it is: no
                // settlement of the issue respects it, a crossing too.
                if t.lower[k] > b.low[k] {
                    b.low[k] = t.lower[k];
                    b.low_owner[k] = Some(i);
                }
                if t.upper[k] < b.high[k] {
                    b.high[k] = t.upper[k];
                    b.high_owner[k] = Some(i);
                }
            }
        }
        b
    }

    /// How far the lines cross on issue `k` (normalised): positive when no
    /// settlement respects them all, else minus the room they leave.
    #[inline]
    pub fn crossing(&self, k: usize) -> f64 {
        self.low[k] - self.high[k]
    }

    /// The largest crossing over the issues: positive exactly when the red
    /// lines alone leave no settlement.
    #[inline]
    pub fn worst_crossing(&self) -> f64 {
        (0..self.dim)
            .map(|k| self.crossing(k))
            .fold(f64::NEG_INFINITY, f64::max)
    }

    pub fn allows(&self) -> bool {
        self.worst_crossing() <= ZONE_TOL
    }

    /// The box the bar gap is taken over, as its corner and size: the
    /// settlements the lines allow, and on an issue where they cross, the
    /// stretch between the crossing lines (what a settlement would have to
    /// bridge), within the issue's range.
    #[inline]
    pub fn bar_box(&self) -> ([f64; W], [f64; W]) {
        let (mut corner, mut size) = ([0.0; W], [0.0; W]);
        for k in 0..self.dim {
            let a = self.low[k].min(self.high[k]).clamp(0.0, 1.0);
            let b = self.low[k].max(self.high[k]).clamp(0.0, 1.0);
            corner[k] = a;
            size[k] = b - a;
        }
        (corner, size)
    }

    /// The parties whose lines cross, with shares in proportion to how far
    /// (each crossing split between its two sides), written into `out`
    /// (left empty when none cross).
    // Kept out of line: inlined into every gap, the rare crossing's work
    // costs the common step more than a call does.
    #[inline(never)]
    pub fn blockers(&self, out: &mut Vec<Blocker>) {
        out.clear();
        let crosses = |k: usize| self.crossing(k) > ZONE_TOL;
        let (mut crossed, mut at) = (0, 0);
        for k in 0..self.dim {
            if crosses(k) {
                (crossed, at) = (crossed + 1, k);
            }
        }
        // Most steps of most runs: no line crosses another.
        if crossed == 0 {
            return;
        }
        // When they cross on one issue alone, its two sides share it
        // equally: what the general sum below gives, exactly. Written out,
        // as this is the baseline's every step: through `sum_by_party` it
        // cost half as much again.
        if crossed == 1 {
            for owner in [self.low_owner[at], self.high_owner[at]]
                .into_iter()
                .flatten()
            {
                match out.first_mut() {
                    Some(b) if b.party == owner => b.share += 0.5,
                    _ => out.push(Blocker {
                        party: owner,
                        share: 0.5,
                    }),
                }
            }
            sort_by_party(out);
            return;
        }
        // Each side of a crossing issue takes `share`.
        let sides = |k: usize, share: f64| {
            [self.low_owner[k], self.high_owner[k]]
                .into_iter()
                .filter_map(move |owner| Some((owner?, share)))
        };
        // Over the issues that cross, so that the shares sum to one.
        let total: f64 = (0..self.dim)
            .filter(|&k| crosses(k))
            .map(|k| self.crossing(k))
            .sum();
        let shares = (0..self.dim)
            .filter(|&k| crosses(k))
            .flat_map(|k| sides(k, 0.5 * self.crossing(k) / total));
        sum_by_party(out, shares);
    }
}

/// Who closes the zone at one gap, lent by the solver that computed it
/// (indices are positions in the terms it was given).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blocking<'a> {
    /// The parties whose bars keep the bar programme apart.
    pub bars: &'a [Blocker],
    /// The parties whose red lines cross.
    pub lines: &'a [Blocker],
    /// Whether the headline is the red lines' wall (`lines`) rather than
    /// the bars'.
    pub lines_close: bool,
}

impl<'a> Blocking<'a> {
    /// Those of the red-line wall if the lines cross, else those of the
    /// bar wall; shares sum to one. Empty when the zone exists.
    pub fn headline(&self) -> &'a [Blocker] {
        if self.lines_close {
            self.lines
        } else {
            self.bars
        }
    }
}

/// The zone at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone<const W: usize = MAX_ISSUES> {
    /// The headline gap (see [`Gap::value`]): positive is how far apart the
    /// parties are, zero or negative the depth of the zone in utility.
    pub gap: f64,
    /// The bar gap over the settlements the red lines allow.
    pub bars: f64,
    /// The red lines' worst crossing (normalised; positive: they cross).
    pub lines: f64,
    /// A settlement attaining the gap.
    pub minimiser: [f64; W],
    /// Parties that close the zone, each with its share (shares sum to one):
    /// those whose red lines cross if any do, else those whose bars are
    /// apart. Empty when the zone exists.
    pub blockers: Vec<Blocker>,
    /// The Nash bargaining point, when the zone exists.
    pub nash: Option<[f64; W]>,
}

impl<const W: usize> Zone<W> {
    pub fn exists(&self) -> bool {
        self.gap <= ZONE_TOL
    }
}

/// Computes zones; holds scratch memory so repeated calls do not allocate.
#[derive(Debug, Clone)]
pub struct Solver<const W: usize = MAX_ISSUES, const R: usize = { MAX_ISSUES + 1 }> {
    ws: Workspace,
    pieces: Vec<Piece<W>>,
    /// The blockers of the last gap, wall by wall, and which wall's are
    /// the headline (the red lines' when they cross): named, not copied.
    lines_close: bool,
    bar_blockers: Vec<Blocker>,
    line_blockers: Vec<Blocker>,
    /// The box of the last gap's bar programme: its corner and size.
    corner: [f64; W],
    size: [f64; W],
    /// The optimal basis of the last gap, pieces named by owner and kind so
    /// it can be tried on the next step's terms.
    warm: Vec<Col<(usize, PieceKind)>>,
    /// Its factorisation (`None` when it could not be factorised).
    factor: Option<lp::Factor<W, R>>,
    /// The weights of each basic piece's owner when the basis was found.
    warm_weights: Vec<[f64; W]>,
    /// The first programme solved from scratch after `forget`, and all that
    /// solving it produced. Monte Carlo runs start from the same terms, so
    /// each run after the first finds its step 0 here, bit for bit as a cold
    /// solve would give it.
    memo: Option<Box<Memo<W, R>>>,
    /// The last Nash point computed, with what it was computed from. Runs
    /// of a scenario whose parties move by the clock alone reach the same
    /// deal on the same terms, run after run: the point is taken from here,
    /// bit for bit what the search would find again.
    nash_memo: Option<Box<NashMemo<W>>>,
    /// With discrete issues, the enumeration of their combinations (see
    /// [`discrete`]); `None` keeps the all-continuous path as it is.
    discrete: Option<Box<discrete::Discrete<W, R>>>,
    /// Past [`LISTED_DIM`] issues, the bar programme as the last gap left it.
    kept: Kept<W>,
}

/// The generated bar programme as the last gap left it: its optimal
/// tableau over the pieces it holds, so that the next step's programme
/// starts from that basis instead of from the pieces at the box's centre.
/// Its own memory: the zone's extent solves other programmes in between.
#[derive(Debug, Clone, Default)]
struct Kept<const W: usize> {
    ws: Workspace,
    pieces: Vec<Piece<W>>,
    /// Every party's weights when the pieces were made: a piece's slopes
    /// follow from its owner's, so under other weights the tableau is
    /// another programme's.
    weights: Vec<[f64; W]>,
    dim: usize,
    /// Whether `ws` holds an optimum over `pieces`.
    solved: bool,
    /// Scratch: which pieces stay from one step to the next.
    keep: Vec<bool>,
}

impl<const W: usize> Kept<W> {
    /// Whether the kept tableau is a programme over these parties' pieces.
    fn fits(&self, dim: usize, terms: &[Terms<W>]) -> bool {
        self.solved
            && self.dim == dim
            && self.weights.len() == terms.len()
            && self.weights.iter().zip(terms).all(|(w, t)| *w == t.weight)
    }
}

impl<const W: usize, const R: usize> Default for Solver<W, R> {
    fn default() -> Self {
        Solver {
            ws: Workspace::default(),
            pieces: Vec::new(),
            lines_close: false,
            bar_blockers: Vec::new(),
            line_blockers: Vec::new(),
            corner: [0.0; W],
            size: [0.0; W],
            warm: Vec::new(),
            factor: None,
            warm_weights: Vec::new(),
            memo: None,
            nash_memo: None,
            discrete: None,
            kept: Kept::default(),
        }
    }
}

#[derive(Debug, Clone)]
struct NashMemo<const W: usize> {
    dim: usize,
    terms: Vec<Terms<W>>,
    gap: u64,
    minimiser: [u64; W],
    point: [f64; W],
}

impl<const W: usize> NashMemo<W> {
    fn holds(&self, dim: usize, terms: &[Terms<W>], gap: f64, minimiser: &[f64; W]) -> bool {
        self.dim == dim
            && self.gap == gap.to_bits()
            && self.minimiser == minimiser.map(f64::to_bits)
            && self.terms == terms
    }
}

#[derive(Debug, Clone)]
struct Memo<const W: usize, const R: usize> {
    terms: Vec<Terms<W>>,
    gap: Gap<W>,
    lines_close: bool,
    bar_blockers: Vec<Blocker>,
    line_blockers: Vec<Blocker>,
    warm: Vec<Col<(usize, PieceKind)>>,
    factor: Option<lp::Factor<W, R>>,
    warm_weights: Vec<[f64; W]>,
    kept: Kept<W>,
}

impl<const W: usize, const R: usize> Solver<W, R> {
    /// A solver for issues laid out as `grid`: the discrete ones are
    /// enumerated; an all-continuous grid gives the plain solver.
    pub fn with_grid(grid: Grid) -> Solver<W, R> {
        Solver {
            discrete: (!grid.is_continuous()).then(|| Box::new(discrete::Discrete::new(grid))),
            ..Solver::default()
        }
    }

    /// The zone among the consenting parties `terms` (indices in the result
    /// refer to positions in `terms`). `terms` must not be empty.
    pub fn zone(&mut self, dim: usize, terms: &[Terms<W>]) -> Zone<W> {
        let mut zone = self.zone_without_nash(dim, terms);
        zone.nash =
            (zone.gap <= ZONE_TOL).then(|| self.nash(dim, terms, zone.gap, &zone.minimiser));
        zone
    }

    /// Forgets what earlier solves learnt (the warm-start basis), so that
    /// results depend only on the programmes solved from here on.
    pub fn forget(&mut self) {
        self.warm.clear();
        self.factor = None;
        self.kept.solved = false;
        if let Some(d) = self.discrete.as_deref_mut() {
            d.forget();
        }
    }

    /// The Nash point of a zone whose gap and minimiser are known. With
    /// discrete issues, the best of the open combinations' Nash points
    /// (each on its own options), whatever `gap` and `minimiser` say.
    pub fn nash(
        &mut self,
        dim: usize,
        terms: &[Terms<W>],
        gap: f64,
        minimiser: &[f64; W],
    ) -> [f64; W] {
        if let Some(d) = self.discrete.as_deref_mut() {
            return d.nash(dim, terms).unwrap_or(*minimiser);
        }
        if let Some(m) = self.nash_memo.as_deref()
            && m.holds(dim, terms, gap, minimiser)
        {
            return m.point;
        }
        let point = nash::nash_point_of(dim, terms, gap, minimiser);
        let m = self.nash_memo.get_or_insert_with(|| {
            Box::new(NashMemo {
                dim,
                terms: Vec::new(),
                gap: 0,
                minimiser: [0; W],
                point,
            })
        });
        m.terms.clear();
        m.terms.extend_from_slice(terms);
        (m.dim, m.gap, m.minimiser, m.point) =
            (dim, gap.to_bits(), minimiser.map(f64::to_bits), point);
        point
    }

    /// The options of discrete issue `axis` that some settlement in the
    /// zone takes, in order; empty for a continuous issue or no zone.
    pub fn options_in_zone(&mut self, dim: usize, terms: &[Terms<W>], axis: usize) -> Vec<usize> {
        match self.discrete.as_deref_mut() {
            Some(d) if d.is_discrete(axis) => d.options_in_zone(dim, terms, axis),
            _ => Vec::new(),
        }
    }

    /// The zone without its Nash point (`nash` is `None`): the gap, its
    /// minimiser and the blockers, in owned memory.
    pub fn zone_without_nash(&mut self, dim: usize, terms: &[Terms<W>]) -> Zone<W> {
        let (gap, blocking) = self.blocked_gap(dim, terms);
        Zone {
            gap: gap.value,
            bars: gap.bars,
            lines: gap.lines,
            minimiser: gap.minimiser,
            blockers: blocking.headline().to_vec(),
            nash: None,
        }
    }

    /// The gap and its minimiser alone, for callers that only ask whether
    /// the parties are apart and by how much.
    pub fn gap(&mut self, dim: usize, terms: &[Terms<W>]) -> Gap<W> {
        self.solve_gap(dim, terms)
    }

    /// The gap, its minimiser and who blocks it, wall by wall. The
    /// blockers are lent from the solver's memory, so the Monte Carlo loop
    /// allocates nothing once warmed up.
    #[inline]
    pub fn blocked_gap(&mut self, dim: usize, terms: &[Terms<W>]) -> (Gap<W>, Blocking<'_>) {
        let gap = self.solve_gap(dim, terms);
        let blocking = Blocking {
            bars: &self.bar_blockers,
            lines: &self.line_blockers,
            lines_close: self.lines_close,
        };
        (gap, blocking)
    }

    /// The gap, leaving the blockers in the solver's memory: from the memo
    /// of the first programme after `forget`, the warm basis of the last
    /// step, or from scratch.
    fn solve_gap(&mut self, dim: usize, terms: &[Terms<W>]) -> Gap<W> {
        if let Some(d) = self.discrete.as_deref_mut() {
            let (gap, lines_close) =
                d.gap(dim, terms, &mut self.bar_blockers, &mut self.line_blockers);
            self.lines_close = lines_close;
            return gap;
        }
        let lines = LineBox::of(dim, terms);
        (self.corner, self.size) = lines.bar_box();
        let fresh = self.warm.is_empty();
        if fresh && let Some(m) = self.memo.as_deref().filter(|m| m.terms == terms) {
            self.lines_close = m.lines_close;
            self.bar_blockers.clone_from(&m.bar_blockers);
            self.line_blockers.clone_from(&m.line_blockers);
            self.warm.clone_from(&m.warm);
            self.factor.clone_from(&m.factor);
            self.warm_weights.clone_from(&m.warm_weights);
            self.kept.clone_from(&m.kept);
            return m.gap;
        }
        let bar = match (!fresh).then(|| self.warm_gap(dim, terms)).flatten() {
            Some(found) => found,
            None => self.cold_gap(dim, terms),
        };
        let gap = self.walls(&lines, bar);
        if fresh {
            self.memo = Some(Box::new(Memo {
                terms: terms.to_vec(),
                gap,
                lines_close: self.lines_close,
                bar_blockers: self.bar_blockers.clone(),
                line_blockers: self.line_blockers.clone(),
                warm: self.warm.clone(),
                factor: self.factor.clone(),
                warm_weights: self.warm_weights.clone(),
                kept: self.kept.clone(),
            }));
        }
        gap
    }

    /// The headline gap from the two walls: the bar gap where the lines
    /// allow settlements, else at least their crossing, so that the zone
    /// exists exactly when the gap is at most `ZONE_TOL`.
    fn walls(&mut self, lines: &LineBox<W>, bar: lp::Solution<W>) -> Gap<W> {
        let mut minimiser = [0.0; W];
        for k in 0..lines.dim {
            minimiser[k] = self.corner[k] + bar.y[k];
        }
        let crossing = lines.worst_crossing();
        let crossed = crossing > ZONE_TOL;
        lines.blockers(&mut self.line_blockers);
        self.lines_close = crossed;
        Gap {
            value: if crossed {
                bar.value.max(crossing)
            } else {
                bar.value
            },
            minimiser,
            bars: bar.value,
            lines: crossing,
        }
    }

    /// The bar programme solved from scratch; its optimal basis is kept,
    /// factorised, for the next step.
    fn cold_gap(&mut self, dim: usize, terms: &[Terms<W>]) -> lp::Solution<W> {
        let sol = if dim <= LISTED_DIM {
            self.load(dim, terms);
            lp::minimax(&mut self.ws, dim, &self.pieces, &self.size)
        } else {
            self.generated_minimax(dim, terms)
        };
        let (ws, pieces) = if dim <= LISTED_DIM {
            (&self.ws, &self.pieces)
        } else {
            (&self.kept.ws, &self.kept.pieces)
        };
        self.warm.clear();
        self.warm.extend(ws.basis().map(|c| match c {
            Col::Piece(j) => Col::Piece((pieces[j].owner, pieces[j].kind)),
            Col::Box(k) => Col::Box(k),
            Col::Slack(r) => Col::Slack(r),
        }));
        let slopes: Vec<Col<[f64; W]>> = ws
            .basis()
            .map(|c| match c {
                Col::Piece(j) => Col::Piece(pieces[j].a),
                Col::Box(k) => Col::Box(k),
                Col::Slack(r) => Col::Slack(r),
            })
            .collect();
        self.factor = lp::Factor::new(dim, &slopes);
        self.warm_weights.clear();
        self.warm_weights.extend(ws.basis().map(|c| match c {
            Col::Piece(j) => terms[pieces[j].owner].weight,
            _ => [0.0; W],
        }));
        self.bar_blockers.clear();
        if sol.value > ZONE_TOL {
            add_blockers(
                &mut self.bar_blockers,
                ws.weights().map(|(j, w)| (pieces[j].owner, w)),
            );
        }
        sol
    }

    /// From one step to the next the same pieces usually bind, so the last
    /// optimal basis is checked first, without building every piece: its
    /// optimality is confirmed through the parties' shortfalls directly.
    fn warm_gap(&mut self, dim: usize, terms: &[Terms<W>]) -> Option<lp::Solution<W>> {
        let factor = self.factor.as_ref()?;
        // A basis has a column per row: at most `MAX_ROWS`, kept on the stack.
        let mut offsets = [Col::Slack(0); R];
        if self.warm.len() > offsets.len() {
            return None;
        }
        for (i, c) in self.warm.iter().enumerate() {
            offsets[i] = match *c {
                Col::Piece((owner, kind)) => {
                    // A piece's slopes follow from its kind and its owner's
                    // weights; the same kind of piece of a party with other
                    // weights (after someone walked away) is another column.
                    let t = terms.get(owner)?;
                    if t.weight != self.warm_weights[i] {
                        return None;
                    }
                    Col::Piece(t.offset(dim, kind, &self.corner)?)
                }
                Col::Box(k) => Col::Box(k),
                Col::Slack(r) => Col::Slack(r),
            };
        }
        let corner = self.corner;
        let offsets = &offsets[..self.warm.len()];
        let sol = factor.check(offsets, &self.size, |z| {
            let mut y = [0.0; W];
            for k in 0..dim {
                y[k] = corner[k] + z[k];
            }
            worst_bar_shortfall(dim, terms, &y)
        })?;
        self.bar_blockers.clear();
        if sol.value > ZONE_TOL {
            let weights = self.warm.iter().zip(factor.x).filter_map(|(c, w)| match c {
                Col::Piece((owner, _)) => Some((*owner, w)),
                _ => None,
            });
            add_blockers(&mut self.bar_blockers, weights);
        }
        Some(sol)
    }

    /// The zone's extent along `axis` (its projection), or `None` if the
    /// zone is empty.
    pub fn extent(
        &mut self,
        dim: usize,
        terms: &[Terms<W>],
        axis: usize,
        gap: f64,
    ) -> Option<Interval> {
        if let Some(d) = self.discrete.as_deref_mut() {
            return d.extent(dim, terms, axis);
        }
        let lines = LineBox::of(dim, terms);
        if gap > ZONE_TOL || !lines.allows() {
            return None;
        }
        (self.corner, self.size) = lines.bar_box();
        let size = self.size;
        // Allow the pieces the gap's own slack (plus a few ulps) so that a
        // zone of zero depth is still found despite rounding.
        let slack = gap.max(0.0) + 1e-14;
        if dim > LISTED_DIM {
            let lo = self.generated_lowest(dim, terms, axis, slack, false)?;
            let hi = size[axis] - self.generated_lowest(dim, terms, axis, slack, true)?;
            let c = self.corner[axis];
            return Some(Interval::new(c + lo, c + hi.max(lo)));
        }
        self.load(dim, terms);
        let lo = lp::lowest(&mut self.ws, dim, &self.pieces, &size, axis, slack)?;
        // The highest point is the lowest after flipping the axis z -> size - z.
        for p in &mut self.pieces {
            p.b += p.a[axis] * size[axis];
            p.a[axis] = -p.a[axis];
        }
        let hi = size[axis] - lp::lowest(&mut self.ws, dim, &self.pieces, &size, axis, slack)?;
        let c = self.corner[axis];
        Some(Interval::new(c + lo, c + hi.max(lo)))
    }

    /// The bar programme over the pieces that bind, found as they are
    /// needed: from the last step's optimum (see [`Kept`]) or from each
    /// party's piece at the box's centre, solve, then add the piece of every
    /// party whose shortfall at the optimum is above the optimum's value,
    /// and go on from that optimum. A party's shortfall is its largest
    /// piece, so when none is above, the optimum is the optimum over all
    /// pieces; each piece added is above where the last optimum lies, so
    /// none is added twice and the search ends. The pieces that bind are
    /// about one per issue, against 2^issues per party listed.
    fn generated_minimax(&mut self, dim: usize, terms: &[Terms<W>]) -> lp::Solution<W> {
        let (corner, size) = (self.corner, self.size);
        let k = &mut self.kept;
        let mut y = [0.0; W];
        let mut sol = if k.fits(dim, terms) {
            // The last step's optimum, over the pieces that bound there,
            // with this step's bars and box.
            lp::drop_nonbasic(&mut k.ws, &mut k.keep);
            let mut stays = k.keep.iter();
            k.pieces.retain(|_| stays.next() == Some(&true));
            for p in &mut k.pieces {
                p.b = (terms[p.owner].offset(dim, p.kind, &corner))
                    .expect("a piece of weights that have not changed");
            }
            lp::minimax_again(&mut k.ws, dim, &k.pieces, &size)
        } else {
            for i in 0..dim {
                y[i] = corner[i] + 0.5 * size[i];
            }
            k.pieces.clear();
            add_pieces_at(&mut k.pieces, &corner, dim, terms, &y, None);
            k.weights.clear();
            k.weights.extend(terms.iter().map(|t| t.weight));
            k.dim = dim;
            lp::minimax(&mut k.ws, dim, &k.pieces, &size)
        };
        k.solved = true;
        loop {
            for i in 0..dim {
                y[i] = corner[i] + sol.y[i];
            }
            let above = Some(sol.value + CUT_TOL);
            if !add_pieces_at(&mut k.pieces, &corner, dim, terms, &y, above) {
                return sol;
            }
            sol = lp::minimax_more(&mut k.ws, dim, &k.pieces, &size);
        }
    }

    /// The lowest value on `axis` (over the bar box, from its corner) at
    /// which every party's bar shortfall is at most `slack`, or with `flip`
    /// the lowest of `size - z` on it (its highest, read from the other
    /// end). Pieces are added as they are found violated, as in
    /// [`Solver::generated_minimax`]: the programme over some pieces asks
    /// less than the one over all, so when its lowest point violates none,
    /// it is the lowest point of all; and when it has none, neither has
    /// the whole.
    fn generated_lowest(
        &mut self,
        dim: usize,
        terms: &[Terms<W>],
        axis: usize,
        slack: f64,
        flip: bool,
    ) -> Option<f64> {
        let (corner, size) = (self.corner, self.size);
        let to_frame = |p: &mut Piece<W>| {
            if flip {
                p.b += p.a[axis] * size[axis];
                p.a[axis] = -p.a[axis];
            }
        };
        let mut y = [0.0; W];
        for k in 0..dim {
            y[k] = corner[k] + 0.5 * size[k];
        }
        self.pieces.clear();
        add_pieces_at(&mut self.pieces, &corner, dim, terms, &y, None);
        self.pieces.iter_mut().for_each(to_frame);
        let mut sol = lp::lowest_point(&mut self.ws, dim, &self.pieces, &size, axis, slack)?;
        loop {
            for k in 0..dim {
                y[k] = corner[k] + sol.y[k];
            }
            if flip {
                y[axis] = corner[axis] + size[axis] - sol.y[axis];
            }
            let before = self.pieces.len();
            // Pieces are compared by owner and kind, so the frame they are
            // written in does not matter to `add_pieces_at`.
            let above = Some(slack + CUT_TOL);
            if !add_pieces_at(&mut self.pieces, &corner, dim, terms, &y, above) {
                return Some(sol.y[axis]);
            }
            self.pieces[before..].iter_mut().for_each(to_frame);
            sol = lp::lowest_point_more(&mut self.ws, dim, &self.pieces, &size, slack)?;
        }
    }

    /// The utility pieces of every party, rewritten over the bar box
    /// `y = corner + z`.
    fn load(&mut self, dim: usize, terms: &[Terms<W>]) {
        self.pieces.clear();
        for (i, t) in terms.iter().enumerate() {
            t.push_pieces(dim, i, &mut self.pieces);
        }
        for p in &mut self.pieces {
            p.b += (0..dim).map(|k| p.a[k] * self.corner[k]).sum::<f64>();
        }
    }
}

/// Adds to `pieces`, written over the bar box from `corner`, the piece
/// each party has at `y` (of those whose bar shortfall there is above
/// `above`, if given) unless `pieces` has it; whether any was added.
fn add_pieces_at<const W: usize>(
    pieces: &mut Vec<Piece<W>>,
    corner: &[f64; W],
    dim: usize,
    terms: &[Terms<W>],
    y: &[f64; W],
    above: Option<f64>,
) -> bool {
    let before = pieces.len();
    for (i, t) in terms.iter().enumerate() {
        if above.is_some_and(|a| t.bar_shortfall(dim, &y[..dim]) <= a) {
            continue;
        }
        let mut p = t.piece_at(dim, i, y);
        if pieces[..before]
            .iter()
            .any(|q| q.owner == i && q.kind == p.kind)
        {
            continue;
        }
        p.b += (0..dim).map(|k| p.a[k] * corner[k]).sum::<f64>();
        pieces.push(p);
    }
    pieces.len() > before
}

/// The first entries of `x` in an array of another width, the rest `fill`.
pub fn resized<const W: usize, const V: usize>(x: &[f64; W], fill: f64) -> [f64; V] {
    let mut out = [fill; V];
    let n = W.min(V);
    out[..n].copy_from_slice(&x[..n]);
    out
}

/// The largest bar shortfall over the parties at `y`: the quantity the bar
/// gap minimises.
#[inline]
pub fn worst_bar_shortfall<const W: usize>(dim: usize, terms: &[Terms<W>], y: &[f64]) -> f64 {
    terms
        .iter()
        .map(|t| t.bar_shortfall(dim, y))
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Sums dual weights per owning party into `blockers` (sorted by party),
/// leaving out the weights that are rounding.
fn add_blockers(blockers: &mut Vec<Blocker>, weights: impl Iterator<Item = (usize, f64)>) {
    sum_by_party(blockers, weights.filter(|&(_, w)| w > 1e-9));
}

/// Adds each share to its party's entry in `blockers`, in the order given,
/// and leaves them sorted by party.
fn sum_by_party(blockers: &mut Vec<Blocker>, shares: impl Iterator<Item = (usize, f64)>) {
    for (owner, share) in shares {
        match blockers.iter_mut().find(|b| b.party == owner) {
            Some(b) => b.share += share,
            None => blockers.push(Blocker {
                party: owner,
                share,
            }),
        }
    }
    sort_by_party(blockers);
}

/// Blockers in party order. They mostly arrive in order already, and
/// checking that is cheaper than a sort's setup on a list of one or two.
#[inline]
fn sort_by_party(blockers: &mut [Blocker]) {
    if !blockers.is_sorted_by_key(|b| b.party) {
        blockers.sort_by_key(|b| b.party);
    }
}

/// The largest shortfall over the parties at `y`: the quantity the gap
/// minimises. Used by tests and by callers that check a settlement.
#[inline]
pub fn worst_shortfall<const W: usize>(dim: usize, terms: &[Terms<W>], y: &[f64]) -> f64 {
    terms
        .iter()
        .map(|t| t.shortfall(dim, y))
        .fold(f64::NEG_INFINITY, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Random parties over `dim` issues, some weights zero, some red lines.
    fn parties(rng: &mut ChaCha8Rng, dim: usize, n: usize) -> Vec<Terms> {
        (0..n)
            .map(|_| {
                let mut ideal = [0.0; MAX_ISSUES];
                let mut weight = [0.0; MAX_ISSUES];
                for k in 0..dim {
                    ideal[k] = rng.random::<f64>();
                    weight[k] = if rng.random_bool(0.2) {
                        0.0
                    } else {
                        rng.random::<f64>()
                    };
                }
                let total: f64 = weight.iter().sum::<f64>().max(1e-9);
                weight.iter_mut().for_each(|w| *w /= total);
                let mut t = Terms::new(ideal, weight, rng.random_range(0.3..0.9));
                if rng.random_bool(0.3) {
                    let k = rng.random_range(0..dim);
                    t.lower[k] = rng.random_range(0.0..0.5);
                }
                if rng.random_bool(0.3) {
                    let k = rng.random_range(0..dim);
                    t.upper[k] = rng.random_range(0.5..1.0);
                }
                t
            })
            .collect()
    }

    #[test]
    fn the_pieces_that_bind_give_the_optimum_over_every_piece() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for case in 0..300 {
            let dim = 5 + case % 3;
            let n = 2 + case % 12;
            let terms = parties(&mut rng, dim, n);
            let mut s = <Solver>::default();
            (s.corner, s.size) = LineBox::of(dim, &terms).bar_box();
            let found = s.generated_minimax(dim, &terms);
            s.load(dim, &terms);
            let listed = lp::minimax(&mut s.ws, dim, &s.pieces, &s.size);
            assert!(
                (found.value - listed.value).abs() < 1e-9,
                "case {case}: {} found, {} over every piece",
                found.value,
                listed.value
            );
            let mut y = [0.0; MAX_ISSUES];
            for k in 0..dim {
                y[k] = s.corner[k] + found.y[k];
            }
            let worst = worst_bar_shortfall(dim, &terms, &y[..dim]);
            assert!(
                (worst - found.value).abs() < 1e-9,
                "case {case}: the point reaches it"
            );
        }
    }

    #[test]
    fn the_pieces_that_bind_give_the_zones_extent_over_every_piece() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut zones = 0;
        for case in 0..400 {
            let dim = 5 + case % 2;
            let n = 2 + case % 5;
            let mut terms = parties(&mut rng, dim, n);
            terms.iter_mut().for_each(|t| t.reservation -= 0.35);
            let mut s = <Solver>::default();
            let gap = s.gap(dim, &terms).value;
            for axis in 0..dim {
                let found = s.extent(dim, &terms, axis, gap);
                // The same question with every piece listed.
                let lines = LineBox::of(dim, &terms);
                let listed = (gap <= ZONE_TOL && lines.allows()).then(|| {
                    (s.corner, s.size) = lines.bar_box();
                    s.load(dim, &terms);
                    let slack = gap.max(0.0) + 1e-14;
                    let size = s.size;
                    let lo = lp::lowest(&mut s.ws, dim, &s.pieces, &size, axis, slack)?;
                    for p in &mut s.pieces {
                        p.b += p.a[axis] * size[axis];
                        p.a[axis] = -p.a[axis];
                    }
                    let hi =
                        size[axis] - lp::lowest(&mut s.ws, dim, &s.pieces, &size, axis, slack)?;
                    Some(Interval::new(
                        s.corner[axis] + lo,
                        s.corner[axis] + hi.max(lo),
                    ))
                });
                let listed = listed.flatten();
                zones += usize::from(found.is_some());
                match (found, listed) {
                    (Some(f), Some(l)) => assert!(
                        (f.low - l.low).abs() < 1e-9 && (f.high - l.high).abs() < 1e-9,
                        "case {case} axis {axis}: {f:?} against {l:?}"
                    ),
                    (f, l) => assert_eq!(f.is_some(), l.is_some(), "case {case} axis {axis}"),
                }
            }
        }
        assert!(zones > 100, "the cases include zones ({zones})");
    }
    #[test]
    fn a_kept_basis_gives_what_a_fresh_solve_gives_at_every_size() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for case in 0..120 {
            let dim = 1 + case % 12;
            let n = 2 + case % 39;
            let mut terms = parties(&mut rng, dim, n);
            let mut kept = <Solver>::default();
            // Bars that drift step by step, as a run's do, for long enough
            // that a tableau kept from step to step could drift from the
            // programme; now and then a party walks away.
            for step in 0..24 {
                for t in &mut terms {
                    t.reservation += rng.random_range(-0.02..0.02);
                }
                if step % 9 == 8 && terms.len() > 2 {
                    terms.remove(rng.random_range(0..terms.len()));
                }
                let warm = kept.gap(dim, &terms);
                let fresh = <Solver>::default().gap(dim, &terms);
                assert!(
                    (warm.value - fresh.value).abs() < 1e-9
                        && (warm.bars - fresh.bars).abs() < 1e-9,
                    "case {case} ({dim} issues, {n} parties) step {step}: {warm:?} against {fresh:?}"
                );
            }
        }
    }

    /// The red lines' blockers by their definition: each issue where the
    /// lines cross by more than `ZONE_TOL` gives half of its crossing to
    /// each side, over the sum of those crossings.
    fn line_blockers_by_definition(b: &LineBox<MAX_ISSUES>) -> Vec<Blocker> {
        let crossing: Vec<usize> = (0..b.dim).filter(|&k| b.crossing(k) > ZONE_TOL).collect();
        let total: f64 = crossing.iter().map(|&k| b.crossing(k)).sum();
        let mut out: Vec<Blocker> = Vec::new();
        for &k in &crossing {
            for owner in [b.low_owner[k], b.high_owner[k]].into_iter().flatten() {
                let share = 0.5 * b.crossing(k) / total;
                match out.iter_mut().find(|x| x.party == owner) {
                    Some(x) => x.share += share,
                    None => out.push(Blocker {
                        party: owner,
                        share,
                    }),
                }
            }
        }
        out.sort_by_key(|x| x.party);
        out
    }

    /// Boxes crossed on no issue, one or several, by far or by less than
    /// the tolerance, with a side held by nobody or both by one party:
    /// the blockers are those of the definition, bit for bit, and their
    /// shares sum to one.
    #[test]
    fn the_lines_blockers_are_their_definitions_bit_for_bit() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (mut one, mut several) = (0, 0);
        for _ in 0..5000 {
            let dim = rng.random_range(1..=MAX_ISSUES);
            let mut b = LineBox::<MAX_ISSUES> {
                dim,
                ..LineBox::default()
            };
            for k in 0..dim {
                let (low, high) = match rng.random_range(0..4) {
                    0 => (0.3, 0.6),
                    1 => (0.6, 0.6 - rng.random::<f64>() * ZONE_TOL),
                    _ => (rng.random::<f64>(), rng.random::<f64>()),
                };
                (b.low[k], b.high[k]) = (low, high);
                let owner =
                    |rng: &mut ChaCha8Rng| rng.random_bool(0.9).then(|| rng.random_range(0..3));
                (b.low_owner[k], b.high_owner[k]) = (owner(&mut rng), owner(&mut rng));
            }
            let crossed = (0..dim).filter(|&k| b.crossing(k) > ZONE_TOL).count();
            one += usize::from(crossed == 1);
            several += usize::from(crossed > 1);
            let mut got = Vec::new();
            b.blockers(&mut got);
            let want = line_blockers_by_definition(&b);
            let bits = |v: &[Blocker]| -> Vec<(usize, u64)> {
                v.iter().map(|x| (x.party, x.share.to_bits())).collect()
            };
            assert_eq!(bits(&got), bits(&want), "{b:?}");
            // A crossing within the tolerance takes no share from the others
            // (a side held by nobody leaves its half unnamed).
            let held = (0..dim).all(|k| b.low_owner[k].is_some() && b.high_owner[k].is_some());
            if !got.is_empty() && held {
                let sum: f64 = got.iter().map(|x| x.share).sum();
                assert!((sum - 1.0).abs() < 1e-12, "shares sum to {sum}: {b:?}");
            }
        }
        assert!(
            one > 1000 && several > 1000,
            "{one} single, {several} several"
        );
    }
}
