//! The Nash bargaining point inside a non-empty zone.
//!
//! `argmax_y sum_i log(U_i(y) - r_i)` over the zone. Each `U_i` is the
//! minimum of affine pieces, so with one surplus variable `v_i` per party the
//! problem becomes: maximise `sum log v_i` subject to
//! `v_i <= 1 - r_i - piece(y)` for every piece, the red lines and the box.
//! That is a smooth concave programme with linear constraints, which a
//! log-barrier Newton method solves to machine-level accuracy in a few dozen
//! small linear solves. Every iterate stays strictly inside the zone, so the
//! returned point is always acceptable to every party.

use super::lp::MAX_DIM;
use super::{Piece, Terms, ZONE_TOL};

/// Most parties a zone is computed for (the scenario format's limit).
pub const MAX_PARTIES: usize = 8;
const MAX_VARS: usize = MAX_DIM + MAX_PARTIES;

/// One linear constraint `g . z + h > 0` on `z = (y, v)`.
#[derive(Clone, Copy)]
struct Constraint {
    g: [f64; MAX_VARS],
    h: f64,
}

pub(super) fn nash_point(
    dim: usize,
    terms: &[Terms],
    gap: f64,
    minimiser: &[f64; MAX_DIM],
) -> [f64; MAX_DIM] {
    // A zone with no interior is a single settlement (up to rounding).
    if gap > -ZONE_TOL || terms.len() > MAX_PARTIES {
        return *minimiser;
    }
    if dim == 1 {
        return one_issue(terms, minimiser);
    }
    let n = terms.len();
    let nv = dim + n;
    let mut cons: Vec<Constraint> = Vec::with_capacity(n * 16 + 2 * dim);
    let mut pieces = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        pieces.clear();
        t.push_pieces(dim, i, &mut pieces);
        for p in &pieces {
            // Red-line pieces bound the settlement itself; utility pieces
            // bound the party's surplus.
            cons.push(piece_constraint(
                dim,
                p,
                (!p.kind.is_line()).then_some(dim + i),
            ));
        }
    }
    for k in 0..dim {
        let mut g = [0.0; MAX_VARS];
        g[k] = 1.0;
        cons.push(Constraint { g, h: 0.0 });
        g[k] = -1.0;
        cons.push(Constraint { g, h: 1.0 });
    }

    // Start strictly inside: pull the minimiser towards the centre of the box
    // just far enough that every piece stays negative (see docs/model.md).
    let theta = 0.5 * (-gap) / (1.0 - gap);
    let mut z = [0.0; MAX_VARS];
    for k in 0..dim {
        z[k] = (1.0 - theta) * minimiser[k] + theta * 0.5;
    }
    for (i, t) in terms.iter().enumerate() {
        let surplus = t.utility(dim, &z[..dim]) - t.reservation;
        z[dim + i] = 0.5 * surplus;
    }
    if !interior(&cons, &z, dim, n) {
        return *minimiser;
    }

    let mut mu = 1.0;
    while mu > 1e-15 {
        centre(&cons, &mut z, dim, n, nv, mu);
        mu *= 0.05;
    }
    let mut y = [0.0; MAX_DIM];
    y[..dim].copy_from_slice(&z[..dim]);
    y
}

/// On one issue the zone is an interval and the log of the Nash product is
/// concave along it, so its maximum is where the slope changes sign: found
/// by bisection on the slope, to the last bit.
fn one_issue(terms: &[Terms], minimiser: &[f64; MAX_DIM]) -> [f64; MAX_DIM] {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for t in terms {
        match t.acceptable_range(1, 0) {
            Some(range) => {
                lo = lo.max(range.low);
                hi = hi.min(range.high);
            }
            None => return *minimiser,
        }
    }
    // Slope of sum_i log(U_i - r_i) just right of y (a kink counts as the
    // side towards larger y).
    let slope = |y: f64| -> f64 {
        terms
            .iter()
            .map(|t| {
                let w = t.weight[0];
                let du = if y < t.ideal[0] { w } else { -w };
                du / (t.utility(1, &[y]) - t.reservation)
            })
            .sum()
    };
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if slope(mid) > 0.0 { lo = mid } else { hi = mid }
    }
    let mut y = [0.0; MAX_DIM];
    y[0] = 0.5 * (lo + hi);
    y
}

fn piece_constraint(dim: usize, p: &Piece, surplus: Option<usize>) -> Constraint {
    // piece(y) = a.y + b <= -v (utility pieces) or <= 0 (red lines).
    let mut g = [0.0; MAX_VARS];
    for k in 0..dim {
        g[k] = -p.a[k];
    }
    if let Some(v) = surplus {
        g[v] = -1.0;
    }
    Constraint { g, h: -p.b }
}

fn slack(c: &Constraint, z: &[f64; MAX_VARS], nv: usize) -> f64 {
    c.h + (0..nv).map(|j| c.g[j] * z[j]).sum::<f64>()
}

fn interior(cons: &[Constraint], z: &[f64; MAX_VARS], dim: usize, n: usize) -> bool {
    let nv = dim + n;
    (dim..nv).all(|j| z[j] > 0.0) && cons.iter().all(|c| slack(c, z, nv) > 0.0)
}

fn objective(cons: &[Constraint], z: &[f64; MAX_VARS], dim: usize, nv: usize, mu: f64) -> f64 {
    let mut f = -(dim..nv).map(|j| z[j].ln()).sum::<f64>();
    for c in cons {
        f -= mu * slack(c, z, nv).ln();
    }
    f
}

/// Newton's method on the barrier objective for one value of `mu`.
fn centre(cons: &[Constraint], z: &mut [f64; MAX_VARS], dim: usize, n: usize, nv: usize, mu: f64) {
    for _ in 0..50 {
        let mut grad = [0.0; MAX_VARS];
        let mut hess = [[0.0; MAX_VARS]; MAX_VARS];
        for j in dim..nv {
            grad[j] -= 1.0 / z[j];
            hess[j][j] += 1.0 / (z[j] * z[j]);
        }
        for c in cons {
            let s = slack(c, z, nv);
            let (gs, hs) = (mu / s, mu / (s * s));
            for a in 0..nv {
                if c.g[a] == 0.0 {
                    continue;
                }
                grad[a] -= gs * c.g[a];
                for b in 0..nv {
                    hess[a][b] += hs * c.g[a] * c.g[b];
                }
            }
        }
        let Some(step) = solve_spd(&hess, &grad, nv) else {
            return;
        };
        // step solves H d = grad; Newton direction is -step.
        let decrement: f64 = (0..nv).map(|j| grad[j] * step[j]).sum();
        if decrement < 1e-13 {
            return;
        }
        let f0 = objective(cons, z, dim, nv, mu);
        let mut t = 1.0;
        loop {
            let mut trial = *z;
            for j in 0..nv {
                trial[j] -= t * step[j];
            }
            if interior(cons, &trial, dim, n)
                && objective(cons, &trial, dim, nv, mu) <= f0 - 0.25 * t * decrement
            {
                *z = trial;
                break;
            }
            t *= 0.5;
            if t < 1e-6 {
                return;
            }
        }
    }
}

/// Solves `H x = g` for a symmetric positive-definite `H` by Cholesky.
fn solve_spd(
    h: &[[f64; MAX_VARS]; MAX_VARS],
    g: &[f64; MAX_VARS],
    n: usize,
) -> Option<[f64; MAX_VARS]> {
    let mut l = [[0.0; MAX_VARS]; MAX_VARS];
    for i in 0..n {
        for j in 0..=i {
            let mut s = h[i][j];
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            if i == j {
                if s <= 0.0 {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    let mut x = [0.0; MAX_VARS];
    for i in 0..n {
        let mut s = g[i];
        for k in 0..i {
            s -= l[i][k] * x[k];
        }
        x[i] = s / l[i][i];
    }
    for i in (0..n).rev() {
        let mut s = x[i];
        for k in i + 1..n {
            s -= l[k][i] * x[k];
        }
        x[i] = s / l[i][i];
    }
    Some(x)
}
