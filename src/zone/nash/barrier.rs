//! The structured barrier method: the Nash point, and the linear
//! programmes of the outcome space, without enumerating utility pieces.
//!
//! A party's loss `sum_k w_k |y_k - a_k|` is carried by one variable per
//! issue it weighs, `d_k >= |y_k - a_k|` (two linear constraints), so a
//! party costs two constraints per issue where its pieces would cost
//! `2^dim`. A party's variables touch only the settlement `y` (and the
//! level `t` of a linear programme), never another party's, so the Newton
//! system is an arrow: each party's block, diagonal plus rank one, is
//! eliminated in closed form (Sherman-Morrison), which leaves a dense
//! system the size of `y`. A Newton step costs `O(parties x dim^2 + dim^3)`.
//!
//! Everything is over the unit box without red lines (the caller has
//! rescaled them away), and every iterate is strictly feasible.

use super::super::{MAX_ISSUES, Terms};

/// Unknowns shared by all parties: the settlement and the level.
const MAX_SHARED: usize = MAX_ISSUES + 1;

/// What the method maximises over the unit box.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::zone) enum Goal {
    /// `sum_i log(U_i(y) - bar_i)`.
    Nash,
    /// The largest level `t` with `U_i(y) - bar_i >= rate_i t` for every
    /// party.
    Level,
}

/// One issue a party weighs: its slot in `y`, weight and ideal.
#[derive(Clone, Copy)]
struct Entry {
    k: usize,
    w: f64,
    a: f64,
}

/// The programme, held as each party's weighed issues in one flat list.
pub(in crate::zone) struct Problem {
    dim: usize,
    goal: Goal,
    entries: Vec<Entry>,
    /// Party `i`'s entries are `entries[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    /// `1 - bar_i`: the surplus a party would have at no loss.
    room: Vec<f64>,
    rate: Vec<f64>,
}

/// Where the method stands: the settlement, the level and one loss bound
/// per entry.
#[derive(Clone)]
struct State {
    y: [f64; MAX_ISSUES],
    t: f64,
    d: Vec<f64>,
}

/// What the method found.
#[derive(Clone, Copy, Debug)]
pub(in crate::zone) struct Optimum {
    pub y: [f64; MAX_ISSUES],
    pub level: f64,
}

/// Per-entry and per-party quantities of one Newton step, kept to recover
/// the eliminated blocks' part of the step.
#[derive(Default)]
struct Scratch {
    alpha: Vec<f64>,
    beta: Vec<f64>,
    /// `D^-1 u`: the rank-one part of a party's block through its diagonal.
    lean: Vec<f64>,
    grad: Vec<f64>,
    sigma: Vec<f64>,
    gamma: Vec<f64>,
    root: Vec<f64>,
}

impl Problem {
    /// `rate` is read only for [`Goal::Level`].
    pub(in crate::zone) fn new(
        dim: usize,
        terms: &[Terms],
        bars: &[f64],
        rate: &[f64],
        goal: Goal,
    ) -> Problem {
        let mut p = Problem {
            dim,
            goal,
            entries: Vec::with_capacity(terms.len() * dim),
            start: Vec::with_capacity(terms.len() + 1),
            room: bars.iter().map(|b| 1.0 - b).collect(),
            rate: match goal {
                Goal::Nash => vec![0.0; terms.len()],
                Goal::Level => rate.to_vec(),
            },
        };
        p.start.push(0);
        for t in terms {
            // An issue a party does not weigh costs it nothing: no entry.
            let weighed = (0..dim).filter(|&k| t.weight[k] > 0.0);
            p.entries.extend(weighed.map(|k| Entry {
                k,
                w: t.weight[k],
                a: t.ideal[k],
            }));
            p.start.push(p.entries.len());
        }
        p
    }

    fn parties(&self) -> usize {
        self.room.len()
    }

    fn shared(&self) -> usize {
        match self.goal {
            Goal::Nash => self.dim,
            Goal::Level => self.dim + 1,
        }
    }

    /// The weights of the objective and of the surplus terms at `mu`: the
    /// Nash product is the objective's own barrier; a level's surpluses are
    /// constraints like the others.
    fn weights(&self, mu: f64) -> (f64, f64) {
        match self.goal {
            Goal::Nash => (0.0, 1.0),
            Goal::Level => (1.0, mu),
        }
    }

    fn surplus(&self, i: usize, s: &State) -> f64 {
        let range = self.start[i]..self.start[i + 1];
        let loss: f64 = (self.entries[range.clone()].iter())
            .zip(&s.d[range])
            .map(|(e, d)| e.w * d)
            .sum();
        self.room[i] - self.rate[i] * s.t - loss
    }

    fn interior(&self, s: &State) -> bool {
        let in_box = (0..self.dim).all(|k| s.y[k] > 0.0 && s.y[k] < 1.0);
        let bounds = (self.entries.iter().zip(&s.d))
            .all(|(e, d)| d - (s.y[e.k] - e.a) > 0.0 && d + (s.y[e.k] - e.a) > 0.0);
        in_box && bounds && (0..self.parties()).all(|i| self.surplus(i, s) > 0.0)
    }

    /// The barrier objective, minimised: `-kappa t - omega sum log s_i -
    /// mu (sum log of the bounds' slacks and of the box's)`.
    fn value(&self, s: &State, mu: f64) -> f64 {
        let (kappa, omega) = self.weights(mu);
        let mut f = -kappa * s.t;
        for i in 0..self.parties() {
            f -= omega * self.surplus(i, s).ln();
        }
        // One logarithm for the two slacks of each of four entries, where
        // their product of eight is far from underflow and overflow (each
        // slack within 1e-30 to 1e30); else each is taken alone. A slack
        // at or below zero is outside, where the value is NaN.
        let mut bounds = 0.0;
        let mut chunk = [(1.0, 1.0); 4];
        for (entries, d) in self.entries.chunks(4).zip(s.d.chunks(4)) {
            let mut product = 1.0;
            let mut tame = true;
            for ((e, d), slot) in entries.iter().zip(d).zip(&mut chunk) {
                let x = s.y[e.k] - e.a;
                let (p, q) = (d - x, d + x);
                if p <= 0.0 || q <= 0.0 {
                    return f64::NAN;
                }
                tame &= p > 1e-30 && q > 1e-30 && p < 1e30 && q < 1e30;
                product *= p * q;
                *slot = (p, q);
            }
            bounds += if tame {
                product.ln()
            } else {
                (chunk[..entries.len()].iter())
                    .map(|(p, q)| p.ln() + q.ln())
                    .sum()
            };
        }
        f -= mu * bounds;
        for k in 0..self.dim {
            f -= mu * (s.y[k].ln() + (1.0 - s.y[k]).ln());
        }
        f
    }

    /// A strictly feasible state at `y` and level `t`: each loss bound
    /// above its distance by a share of the party's surplus. `None` when
    /// `y` is not inside the box or some party has no surplus there.
    fn start(&self, y: &[f64; MAX_ISSUES], t: f64) -> Option<State> {
        let mut s = State {
            y: *y,
            t,
            d: (self.entries.iter())
                .map(|e| (y[e.k] - e.a).abs())
                .collect(),
        };
        for i in 0..self.parties() {
            let range = self.start[i]..self.start[i + 1];
            let weight: f64 = self.entries[range.clone()].iter().map(|e| e.w).sum();
            let spare = 0.5 * self.surplus(i, &s) / weight.max(1.0);
            s.d[range].iter_mut().for_each(|d| *d += spare);
        }
        self.interior(&s).then_some(s)
    }

    /// The optimum from the strictly feasible start `(y, t)`, following
    /// the central path down to where the barrier's pull is far below the
    /// accuracy asked for. `None` when the start is not strictly feasible.
    pub(in crate::zone) fn solve(&self, y: &[f64; MAX_ISSUES], t: f64) -> Option<Optimum> {
        let mut s = self.start(y, t)?;
        let mut scratch = Scratch::default();
        let mut step = s.clone();
        let mut mu = 1.0;
        while mu > 1e-15 {
            self.centre(&mut s, &mut step, &mut scratch, mu);
            mu *= 0.05;
        }
        Some(Optimum { y: s.y, level: s.t })
    }

    /// Damped Newton steps on the barrier objective for one `mu`.
    fn centre(&self, s: &mut State, step: &mut State, scratch: &mut Scratch, mu: f64) {
        // The objective at `s`: a step taken was valued as a trial first.
        let mut f0 = self.value(s, mu);
        let mut trial = s.clone();
        for _ in 0..60 {
            let Some(decrement) = self.newton(s, mu, step, scratch) else {
                return;
            };
            // Half the decrement is how far the objective is above this
            // `mu`'s optimum; below its rounding, no step can be judged.
            if decrement < 64.0 * f64::EPSILON * (1.0 + f0.abs()) {
                return;
            }
            let mut tau = (0.99 * self.reach(s, step)).min(1.0);
            loop {
                trial.y = s.y;
                for k in 0..self.dim {
                    trial.y[k] -= tau * step.y[k];
                }
                trial.t = s.t - tau * step.t;
                for (d, (d0, dd)) in trial.d.iter_mut().zip(s.d.iter().zip(&step.d)) {
                    *d = d0 - tau * dd;
                }
                // Outside, a logarithm is NaN or infinite and the test fails.
                let f = self.value(&trial, mu);
                if f <= f0 - 0.25 * tau * decrement {
                    std::mem::swap(s, &mut trial);
                    f0 = f;
                    break;
                }
                tau *= 0.5;
                // The objective over `mu` is self-concordant, so halving
                // stops at a step of at least 1 / (2 (1 + lambda)), lambda
                // its Newton decrement's root (Boyd and Vandenberghe,
                // Convex Optimization, 9.6.3): below 1/4096 only past 2,000,
                // far beyond a centring that starts at the last centre. A
                // step cut this short is a direction spoiled by rounding,
                // as at the end of the path with a slack near zero, where
                // halving on to 1e-12 took hundreds of evaluations.
                if tau < 1.0 / 4096.0 {
                    return;
                }
            }
        }
    }

    /// The largest multiple of `-step` that keeps every slack positive:
    /// they are all affine, so each gives its own limit.
    fn reach(&self, s: &State, step: &State) -> f64 {
        let mut most = f64::INFINITY;
        let mut limit = |slack: f64, fall: f64| {
            if fall > 0.0 {
                most = most.min(slack / fall);
            }
        };
        for k in 0..self.dim {
            limit(s.y[k], step.y[k]);
            limit(1.0 - s.y[k], -step.y[k]);
        }
        for (j, e) in self.entries.iter().enumerate() {
            let x = s.y[e.k] - e.a;
            limit(s.d[j] - x, step.d[j] - step.y[e.k]);
            limit(s.d[j] + x, step.d[j] + step.y[e.k]);
        }
        for i in 0..self.parties() {
            let range = self.start[i]..self.start[i + 1];
            let fall: f64 = (self.entries[range.clone()].iter())
                .zip(&step.d[range])
                .map(|(e, dd)| -e.w * dd)
                .sum::<f64>()
                - self.rate[i] * step.t;
            limit(self.surplus(i, s), fall);
        }
        most
    }

    /// The Newton step at `s` (into `step`, to be subtracted) and its
    /// decrement; `None` when the reduced system is not positive definite,
    /// which only rounding at the end of the path can cause.
    fn newton(&self, s: &State, mu: f64, step: &mut State, sc: &mut Scratch) -> Option<f64> {
        let (n, g) = (self.dim, self.shared());
        let (kappa, omega) = self.weights(mu);
        let mut reduced = [[0.0; MAX_SHARED]; MAX_SHARED];
        let mut grad = [0.0; MAX_SHARED];
        for k in 0..n {
            let (lo, hi) = (s.y[k], 1.0 - s.y[k]);
            grad[k] = mu / hi - mu / lo;
            reduced[k][k] = mu / (lo * lo) + mu / (hi * hi);
        }
        if g > n {
            grad[n] = -kappa;
        }
        let m = self.entries.len();
        for v in [&mut sc.alpha, &mut sc.beta, &mut sc.lean, &mut sc.grad] {
            v.resize(m, 0.0);
        }
        for v in [&mut sc.sigma, &mut sc.gamma, &mut sc.root] {
            v.resize(self.parties(), 0.0);
        }
        for i in 0..self.parties() {
            let surplus = self.surplus(i, s);
            let root = omega.sqrt() / surplus;
            let gamma = root * self.rate[i];
            if g > n {
                grad[n] += omega * self.rate[i] / surplus;
            }
            let mut rho = 0.0;
            for j in self.start[i]..self.start[i + 1] {
                let e = self.entries[j];
                let x = s.y[e.k] - e.a;
                let (p, q) = (s.d[j] - x, s.d[j] + x);
                let (pp, qq) = (mu / (p * p), mu / (q * q));
                let alpha = pp + qq;
                let u = root * e.w;
                grad[e.k] += mu / p - mu / q;
                // alpha - beta^2 / alpha, without the cancellation.
                reduced[e.k][e.k] += 4.0 * mu / (p * p + q * q);
                (sc.alpha[j], sc.beta[j], sc.lean[j]) = (alpha, qq - pp, u / alpha);
                sc.grad[j] = omega * e.w / surplus - mu / p - mu / q;
                rho += u * sc.lean[j];
            }
            (sc.sigma[i], sc.gamma[i], sc.root[i]) = (1.0 + rho, gamma, root);
        }
        let mut rhs = grad;
        for i in 0..self.parties() {
            self.eliminate(i, sc, &mut reduced, &mut rhs);
        }
        let shared = solve_spd(&reduced, &rhs, g)?;
        step.y[..n].copy_from_slice(&shared[..n]);
        step.t = if g > n { shared[n] } else { 0.0 };
        let mut decrement: f64 = (0..g).map(|k| grad[k] * shared[k]).sum();
        for i in 0..self.parties() {
            decrement += self.back_substitute(i, sc, step);
        }
        Some(decrement)
    }

    /// Folds party `i`'s block into the shared system: its Schur
    /// complement is a diagonal (already added) plus one rank-one term.
    fn eliminate(
        &self,
        i: usize,
        sc: &Scratch,
        reduced: &mut [[f64; MAX_SHARED]; MAX_SHARED],
        rhs: &mut [f64; MAX_SHARED],
    ) {
        let (n, range) = (self.dim, self.start[i]..self.start[i + 1]);
        let (sigma, gamma) = (sc.sigma[i], sc.gamma[i]);
        let h: f64 = range.clone().map(|j| sc.lean[j] * sc.grad[j]).sum();
        // The rank-one term is `z z^T / sigma`, `z_j = beta_j lean_j`, over
        // the issues the party weighs. A party's entries run in the order
        // of their issues, so entry `l <= j` falls on or below the diagonal:
        // only that triangle is added, the one `solve_spd` reads.
        let entries = &self.entries[range.clone()];
        let mut z = [0.0; MAX_ISSUES];
        for (zj, j) in z.iter_mut().zip(range.clone()) {
            *zj = sc.beta[j] * sc.lean[j];
        }
        let z = &z[..entries.len()];
        let inv = 1.0 / sigma;
        for (a, (e, &zj)) in entries.iter().zip(z).enumerate() {
            let j = range.start + a;
            rhs[e.k] -= sc.beta[j] * (sc.grad[j] / sc.alpha[j] - sc.lean[j] * h * inv);
            let row = &mut reduced[e.k];
            let scaled = zj * inv;
            for (f, &zl) in entries[..=a].iter().zip(z) {
                row[f.k] += scaled * zl;
            }
            if self.goal == Goal::Level {
                reduced[n][e.k] -= zj * gamma * inv;
            }
        }
        if self.goal == Goal::Level {
            rhs[n] -= gamma * h * inv;
            reduced[n][n] += gamma * gamma * inv;
        }
    }

    /// Party `i`'s part of the step, from the shared part; returns its
    /// share of the decrement.
    fn back_substitute(&self, i: usize, sc: &Scratch, step: &mut State) -> f64 {
        let range = self.start[i]..self.start[i + 1];
        let (sigma, gamma, root) = (sc.sigma[i], sc.gamma[i], sc.root[i]);
        let mut hv = 0.0;
        for j in range.clone() {
            let e = self.entries[j];
            let v = sc.grad[j] - sc.beta[j] * step.y[e.k] - gamma * root * e.w * step.t;
            step.d[j] = v;
            hv += sc.lean[j] * v;
        }
        let mut decrement = 0.0;
        for j in range {
            step.d[j] = step.d[j] / sc.alpha[j] - sc.lean[j] * hv / sigma;
            decrement += sc.grad[j] * step.d[j];
        }
        decrement
    }
}

/// Solves `H x = g` for a symmetric positive-definite `H` of order `n` by
/// Cholesky.
fn solve_spd(
    h: &[[f64; MAX_SHARED]; MAX_SHARED],
    g: &[f64; MAX_SHARED],
    n: usize,
) -> Option<[f64; MAX_SHARED]> {
    let mut l = [[0.0; MAX_SHARED]; MAX_SHARED];
    for i in 0..n {
        for j in 0..=i {
            let s = h[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    let mut x = [0.0; MAX_SHARED];
    for i in 0..n {
        x[i] = (g[i] - (0..i).map(|k| l[i][k] * x[k]).sum::<f64>()) / l[i][i];
    }
    for i in (0..n).rev() {
        x[i] = (x[i] - (i + 1..n).map(|k| l[k][i] * x[k]).sum::<f64>()) / l[i][i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The barrier objective term by term, one logarithm per slack.
    fn value_by_terms(p: &Problem, s: &State, mu: f64) -> f64 {
        let (kappa, omega) = p.weights(mu);
        let mut f = -kappa * s.t;
        for i in 0..p.parties() {
            f -= omega * p.surplus(i, s).ln();
        }
        for (e, d) in p.entries.iter().zip(&s.d) {
            let x = s.y[e.k] - e.a;
            f -= mu * ((d - x).ln() + (d + x).ln());
        }
        for k in 0..p.dim {
            f -= mu * (s.y[k].ln() + (1.0 - s.y[k]).ln());
        }
        f
    }

    #[test]
    fn the_objective_is_the_sum_of_its_logarithms_however_small_a_slack() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for case in 0..200 {
            let dim = 1 + case % MAX_ISSUES;
            let n = 1 + case % 9;
            let terms: Vec<Terms> = (0..n)
                .map(|_| {
                    let mut ideal = [0.0; MAX_ISSUES];
                    let mut weight = [0.0; MAX_ISSUES];
                    for k in 0..dim {
                        ideal[k] = rng.random_range(0.05..0.95);
                        weight[k] = rng.random_range(0.01..1.0) / dim as f64;
                    }
                    Terms::new(ideal, weight, 0.0)
                })
                .collect();
            let bars = vec![0.05; n];
            let goal = if case % 2 == 0 {
                Goal::Nash
            } else {
                Goal::Level
            };
            let p = Problem::new(dim, &terms, &bars, &vec![0.5; n], goal);
            let mut y = [0.0; MAX_ISSUES];
            y[..dim]
                .iter_mut()
                .for_each(|v| *v = rng.random_range(0.1..0.9));
            // On the first two issues, the first party's ideal, with its
            // bounds all but tight, as at the end of the path: a product of
            // its first four bounds' slacks would underflow, so each is
            // taken alone.
            let tight = dim.min(2);
            y[..tight].copy_from_slice(&terms[0].ideal[..tight]);
            let mut s = p.start(&y, 0.01).expect("a start inside");
            if case % 3 > 0 {
                s.d[..tight].iter_mut().for_each(|d| *d = 1e-100);
            }
            for mu in [1.0, 1e-8, 1e-15] {
                let (got, want) = (p.value(&s, mu), value_by_terms(&p, &s, mu));
                assert!(
                    (got - want).abs() <= 1e-12 * (1.0 + want.abs()),
                    "case {case} mu {mu}: {got} against {want}"
                );
            }
            // A bound below its distance is outside.
            s.d[0] = (s.y[p.entries[0].k] - p.entries[0].a).abs() * 0.5 - 1e-3;
            assert!(p.value(&s, 1.0).is_nan(), "case {case}");
        }
    }
}
