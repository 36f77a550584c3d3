//! The zone when some issues are discrete (yes/no, options), solved exactly
//! by enumeration.
//!
//! With the discrete issues fixed to one combination of options, a party's
//! loss on them is a constant (its weight times the distance from its
//! ideal), so the rest is today's problem over the continuous issues alone
//! with that constant added to the party's bar. Each combination keeps its
//! own [`Solver`] (and so its own warm start from step to step). Over the
//! union of the combinations:
//! - the gap is the least over the combinations the red lines allow (a
//!   discrete issue's lines allow an option or exclude it), or, when they
//!   allow none, the least headline gap, lines included;
//! - the minimiser, the blockers and the walls are those of the combination
//!   attaining it (the first, on a tie);
//! - the extent is the hull of the open combinations' extents, and the
//!   options of a discrete issue in the zone are those of the open ones;
//! - the Nash point is the one of largest Nash product over the open
//!   combinations, each found by [`super::nash`] over its continuous issues.
//!
//! All-continuous scenarios never come here.

use super::{
    Blocker, Gap, Grid, Interval, LineBox, MAX_ISSUES, Solver, Terms, ZONE_TOL, add_blockers, nash,
};

/// One combination's answer, in the full issue space.
#[derive(Debug, Clone, Copy)]
struct Answer<const W: usize> {
    gap: Gap<W>,
    /// Whether every consenting party's red lines allow the combination.
    allowed: bool,
}

/// The enumeration's state: the grid, a solver per combination over the
/// continuous issues, and scratch space.
#[derive(Debug, Clone)]
pub(super) struct Discrete<const W: usize, const R: usize> {
    grid: Grid,
    /// The continuous issues, in order; `cdim` of them.
    cont: [usize; MAX_ISSUES],
    cdim: usize,
    /// The issues in play that `cont` was listed for.
    dim: usize,
    solvers: Vec<Solver<W, R>>,
    answers: Vec<Answer<W>>,
    /// The consenting parties' terms over the continuous issues, for the
    /// combination being solved.
    sub: Vec<Terms<W>>,
    /// The combination that attained the last gap.
    pub(super) best: usize,
}

impl<const W: usize, const R: usize> Discrete<W, R> {
    pub(super) fn new(grid: Grid) -> Discrete<W, R> {
        let n = grid.combinations();
        Discrete {
            grid,
            cont: [0; MAX_ISSUES],
            cdim: 0,
            // No issues listed yet: the first `fit` lists them.
            dim: usize::MAX,
            solvers: vec![Solver::default(); n],
            answers: Vec::with_capacity(n),
            sub: Vec::new(),
            best: 0,
        }
    }

    /// Lists the continuous issues among the first `dim`, the issues in
    /// play: an issue past them is neither discrete nor continuous, and
    /// counting it as continuous would give the programmes coordinates no
    /// party values (and the Nash point a method of more issues than the
    /// scenario has).
    fn fit(&mut self, dim: usize) {
        if self.dim == dim {
            return;
        }
        self.dim = dim;
        self.cdim = 0;
        for k in 0..dim {
            if self.grid.levels[k] == 0 {
                self.cont[self.cdim] = k;
                self.cdim += 1;
            }
        }
    }

    pub(super) fn is_discrete(&self, axis: usize) -> bool {
        self.grid.levels[axis] > 0
    }

    pub(super) fn forget(&mut self) {
        self.solvers.iter_mut().for_each(Solver::forget);
    }

    /// The normalised settlement of combination `c` on the discrete issues.
    fn pinned(&self, dim: usize, c: usize) -> [f64; W] {
        let options = self.grid.options_of(c);
        let mut y = [0.0; W];
        for k in (0..dim).filter(|&k| self.grid.levels[k] > 0) {
            y[k] = self.grid.position(k, options[k]);
        }
        y
    }

    /// Fills `self.sub` with the parties' terms over the continuous issues
    /// at combination `c`, and returns how far the discrete issues' red
    /// lines exclude it (positive: excluded) with the settlement on them.
    fn load(&mut self, dim: usize, terms: &[Terms<W>], c: usize) -> (f64, [f64; W]) {
        self.fit(dim);
        let y = self.pinned(dim, c);
        let mut excluded = f64::NEG_INFINITY;
        self.sub.clear();
        for t in terms {
            let mut s = Terms::new([0.0; W], [0.0; W], t.reservation);
            for j in 0..self.cdim {
                let k = self.cont[j];
                s.ideal[j] = t.ideal[k];
                s.weight[j] = t.weight[k];
                s.lower[j] = t.lower[k];
                s.upper[j] = t.upper[k];
            }
            for k in (0..dim).filter(|&k| self.grid.levels[k] > 0) {
                s.reservation += t.loss(k, y[k]);
                excluded = excluded.max(t.lower[k] - y[k]).max(y[k] - t.upper[k]);
            }
            self.sub.push(s);
        }
        (excluded, y)
    }

    /// The full settlement from one over the continuous issues.
    fn lift(&self, pinned: &[f64; W], z: &[f64; W]) -> [f64; W] {
        let mut y = *pinned;
        for j in 0..self.cdim {
            y[self.cont[j]] = z[j];
        }
        y
    }

    /// Combination `c`'s gap (its bar gap over the continuous issues, and
    /// its red lines, the discrete issues' included).
    fn solve(&mut self, dim: usize, terms: &[Terms<W>], c: usize) -> Answer<W> {
        let (excluded, pinned) = self.load(dim, terms, c);
        let gap = if self.cdim == 0 {
            let bars = (self.sub.iter())
                .map(|s| s.reservation - 1.0)
                .fold(f64::NEG_INFINITY, f64::max);
            Gap {
                value: bars,
                minimiser: pinned,
                bars,
                lines: f64::NEG_INFINITY,
            }
        } else {
            let g = self.solvers[c].gap(self.cdim, &self.sub);
            Gap {
                minimiser: self.lift(&pinned, &g.minimiser),
                ..g
            }
        };
        let lines = gap.lines.max(excluded);
        let allowed = lines <= ZONE_TOL;
        let value = if allowed {
            gap.bars
        } else {
            gap.bars.max(lines)
        };
        Answer {
            gap: Gap {
                value,
                lines,
                ..gap
            },
            allowed,
        }
    }

    /// The gap over every combination; the blockers of the one attaining
    /// it are written into the two walls' lists, and whether the red lines'
    /// are the headline (no combination is allowed) is returned with it.
    pub(super) fn gap(
        &mut self,
        dim: usize,
        terms: &[Terms<W>],
        bar_blockers: &mut Vec<Blocker>,
        line_blockers: &mut Vec<Blocker>,
    ) -> (Gap<W>, bool) {
        self.answers.clear();
        for c in 0..self.solvers.len() {
            let a = self.solve(dim, terms, c);
            self.answers.push(a);
        }
        let any_allowed = self.answers.iter().any(|a| a.allowed);
        let mut best = None::<usize>;
        for (c, a) in self.answers.iter().enumerate() {
            if any_allowed && !a.allowed {
                continue;
            }
            if best.is_none_or(|b| a.gap.value < self.answers[b].gap.value) {
                best = Some(c);
            }
        }
        let best = best.unwrap_or(0);
        self.best = best;
        let answer = self.answers[best];
        bar_blockers.clear();
        if answer.gap.bars > ZONE_TOL {
            if self.cdim == 0 {
                self.load(dim, terms, best);
                let worst = answer.gap.bars;
                let tied: Vec<usize> = (0..terms.len())
                    .filter(|&i| self.sub[i].reservation - 1.0 >= worst - 1e-12)
                    .collect();
                let share = 1.0 / tied.len() as f64;
                add_blockers(bar_blockers, tied.into_iter().map(|i| (i, share)));
            } else {
                // Each combination's solver keeps the blockers of its last
                // programme, which is this step's.
                bar_blockers.extend_from_slice(&self.solvers[best].bar_blockers);
            }
        }
        self.line_blockers(dim, terms, best, line_blockers);
        (answer.gap, !answer.allowed)
    }

    /// The parties whose red lines exclude combination `c`, with shares in
    /// proportion to how far: a crossing of continuous lines split between
    /// its two sides, a discrete issue's line the whole of how far it
    /// keeps the option out. Empty when the lines allow the combination.
    fn line_blockers(&mut self, dim: usize, terms: &[Terms<W>], c: usize, out: &mut Vec<Blocker>) {
        out.clear();
        let pinned = self.pinned(dim, c);
        self.load(dim, terms, c);
        let lines = LineBox::of(self.cdim, &self.sub);
        let mut parts: Vec<(usize, f64)> = Vec::new();
        for j in (0..self.cdim).filter(|&j| lines.crossing(j) > ZONE_TOL) {
            let half = 0.5 * lines.crossing(j);
            for owner in [lines.low_owner[j], lines.high_owner[j]]
                .into_iter()
                .flatten()
            {
                parts.push((owner, half));
            }
        }
        for (i, t) in terms.iter().enumerate() {
            for k in (0..dim).filter(|&k| self.grid.levels[k] > 0) {
                let by = (t.lower[k] - pinned[k]).max(pinned[k] - t.upper[k]);
                if by > ZONE_TOL {
                    parts.push((i, by));
                }
            }
        }
        let total: f64 = parts.iter().map(|p| p.1).sum();
        if total > 0.0 {
            add_blockers(out, parts.into_iter().map(|(i, by)| (i, by / total)));
        }
    }

    /// The combinations whose zone is open, with their gaps, in order.
    fn open(&mut self, dim: usize, terms: &[Terms<W>]) -> Vec<(usize, Gap<W>)> {
        (0..self.solvers.len())
            .filter_map(|c| {
                let a = self.solve(dim, terms, c);
                (a.allowed && a.gap.value <= ZONE_TOL).then_some((c, a.gap))
            })
            .collect()
    }

    /// The Nash point over the union of the open combinations: the largest
    /// Nash product among each one's own Nash point (a zone of no depth
    /// anywhere gives the deepest combination's minimiser).
    pub(super) fn nash(&mut self, dim: usize, terms: &[Terms<W>]) -> Option<[f64; W]> {
        let open = self.open(dim, terms);
        let mut best: Option<(f64, f64, [f64; W])> = None;
        for (c, gap) in open {
            let (_, pinned) = self.load(dim, terms, c);
            let y = if self.cdim == 0 {
                pinned
            } else {
                let mut z = [0.0; W];
                for j in 0..self.cdim {
                    z[j] = gap.minimiser[self.cont[j]];
                }
                let z = nash::nash_point_of(self.cdim, &self.sub, gap.value, &z);
                self.lift(&pinned, &z)
            };
            let product: f64 = (terms.iter())
                .map(|t| (t.utility(dim, &y) - t.reservation).max(0.0).ln())
                .sum();
            let better = match best {
                None => true,
                Some((p, g, _)) => product > p || (product == p && gap.value < g),
            };
            if better {
                best = Some((product, gap.value, y));
            }
        }
        best.map(|b| b.2)
    }

    /// The zone's extent on `axis`: the hull over the open combinations of
    /// their extents (on a discrete issue, of their options' values).
    pub(super) fn extent(
        &mut self,
        dim: usize,
        terms: &[Terms<W>],
        axis: usize,
    ) -> Option<Interval> {
        let open = self.open(dim, terms);
        let mut hull: Option<Interval> = None;
        for (c, gap) in open {
            let (_, pinned) = self.load(dim, terms, c);
            let part = match self.cont[..self.cdim].iter().position(|&k| k == axis) {
                None => Some(Interval::new(pinned[axis], pinned[axis])),
                Some(j) => self.solvers[c].extent(self.cdim, &self.sub, j, gap.value),
            };
            if let Some(p) = part {
                hull = Some(match hull {
                    None => p,
                    Some(h) => Interval::new(h.low.min(p.low), h.high.max(p.high)),
                });
            }
        }
        hull
    }

    /// The options of discrete issue `axis` that some open combination
    /// takes, in order.
    pub(super) fn options_in_zone(
        &mut self,
        dim: usize,
        terms: &[Terms<W>],
        axis: usize,
    ) -> Vec<usize> {
        let mut found = vec![false; self.grid.levels[axis]];
        for (c, _) in self.open(dim, terms) {
            found[self.grid.options_of(c)[axis]] = true;
        }
        (0..found.len()).filter(|&i| found[i]).collect()
    }
}
