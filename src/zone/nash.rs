//! The Nash bargaining point inside a non-empty zone.
//!
//! `argmax_y sum_i log(U_i(y) - r_i)` over the zone. The red lines leave a
//! box of settlements; the problem is first rewritten over that box scaled
//! to `[0, 1]`, with the issues the lines pin to one value left out (so a
//! zone whose lines touch still has the room its bars leave). Each `U_i` is
//! the minimum of affine pieces, so with one surplus variable `v_i` per
//! party the problem becomes: maximise `sum log v_i` subject to
//! `v_i <= 1 - r_i - piece(y)` for every piece and the box.
//! That is a smooth concave programme with linear constraints, which a
//! log-barrier Newton method solves to machine-level accuracy in a few dozen
//! small linear solves. Every iterate stays strictly inside the zone, so the
//! returned point is always acceptable to every party.
//!
//! Pieces number `2^dim` per party, so that form serves only the sizes it
//! always has (at most [`ENUMERATED_ISSUES`] issues and
//! [`ENUMERATED_PARTIES`] parties), where its answers are kept bit for bit.
//! Beyond them [`barrier`] solves the same programme written with two
//! constraints per party and issue, through the structure of its Newton
//! system.

pub(super) mod barrier;

use super::lp::MAX_DIM;
use super::{LineBox, MAX_ISSUES, Piece, Solver, Terms, ZONE_TOL};
use barrier::{Goal, Problem};

/// The largest problem the pieces serve: the limits the format had when
/// they were all there was.
pub(super) const ENUMERATED_ISSUES: usize = 4;
pub(super) const ENUMERATED_PARTIES: usize = 8;
const MAX_VARS: usize = ENUMERATED_ISSUES + ENUMERATED_PARTIES;

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
    let by_pieces = enumerated(dim, terms.len());
    nash_point_by(dim, terms, gap, minimiser, by_pieces)
}

/// [`nash_point`] for terms of any width: the search works at the widest,
/// where its answers have always come from, and the point is read back at
/// the width asked for (issues past `dim` are not in play).
pub(super) fn nash_point_of<const W: usize>(
    dim: usize,
    terms: &[Terms<W>],
    gap: f64,
    minimiser: &[f64; W],
) -> [f64; W] {
    let wide: Vec<Terms> = terms.iter().map(Terms::resized).collect();
    let point = nash_point(dim, &wide, gap, &super::resized(minimiser, 0.0));
    super::resized(&point, 0.0)
}

/// Whether a problem is small enough for its pieces: then they are what
/// the answers have always come from.
pub(super) fn enumerated(dim: usize, parties: usize) -> bool {
    dim <= ENUMERATED_ISSUES && parties <= ENUMERATED_PARTIES
}

impl Solver {
    /// The Nash point by the structured method whatever the size, so that
    /// it can be held against the pieces where they serve.
    #[doc(hidden)]
    pub fn nash_structured(
        dim: usize,
        terms: &[Terms],
        gap: f64,
        minimiser: &[f64; MAX_ISSUES],
    ) -> [f64; MAX_ISSUES] {
        nash_point_by(dim, terms, gap, minimiser, false)
    }
}

fn nash_point_by(
    dim: usize,
    terms: &[Terms],
    gap: f64,
    minimiser: &[f64; MAX_DIM],
    by_pieces: bool,
) -> [f64; MAX_DIM] {
    // A zone with no room in utility is a single settlement (up to rounding).
    if gap > -ZONE_TOL {
        return *minimiser;
    }
    let r = Reduced::new(dim, terms);
    if r.dim == 0 {
        return *minimiser;
    }
    let z = r.to_z(minimiser);
    let z = if r.dim == 1 {
        one_issue(&r.terms, &z)
    } else if by_pieces {
        in_box(r.dim, &r.terms, gap, &z)
    } else {
        structured(r.dim, &r.terms, gap, &z)
    };
    r.to_y(&z)
}

/// The Nash point over the unit box by [`barrier`], from the same start as
/// the pieces' method.
fn structured(dim: usize, terms: &[Terms], gap: f64, minimiser: &[f64; MAX_DIM]) -> [f64; MAX_DIM] {
    let bars: Vec<f64> = terms.iter().map(|t| t.reservation).collect();
    let start = inside(dim, terms, gap, minimiser);
    Problem::new(dim, terms, &bars, &[], Goal::Nash)
        .solve(&start, 0.0)
        .map_or(*minimiser, |o| o.y)
}

/// A settlement strictly inside the zone: the minimiser pulled towards the
/// centre of the box just far enough that every piece stays negative (see
/// docs/model.md): each piece is convex, so along the way it stays below
/// the blend of `gap` and its largest value at the centre.
pub(super) fn inside(
    dim: usize,
    terms: &[Terms],
    gap: f64,
    minimiser: &[f64; MAX_DIM],
) -> [f64; MAX_DIM] {
    let centre_value = terms
        .iter()
        .map(|t| t.bar_shortfall(dim, &[0.5; MAX_DIM][..dim]))
        .fold(f64::NEG_INFINITY, f64::max);
    let theta = 0.5 * (-gap) / (centre_value.max(0.0) - gap);
    let mut y = [0.0; MAX_DIM];
    for k in 0..dim {
        y[k] = (1.0 - theta) * minimiser[k] + theta * 0.5;
    }
    y
}

/// The bargaining problem over the red lines' box, scaled to `[0, 1]` on
/// each issue the lines leave open; the utilities are the same at matching
/// points, so the gap and the Nash point carry over.
pub(super) struct Reduced {
    pub(super) dim: usize,
    /// The original issue of each free coordinate.
    issue: [usize; MAX_DIM],
    corner: [f64; MAX_DIM],
    size: [f64; MAX_DIM],
    pub(super) terms: Vec<Terms>,
}

impl Reduced {
    pub(super) fn new(dim: usize, terms: &[Terms]) -> Reduced {
        let lines = LineBox::of(dim, terms);
        let (corner, size) = lines.bar_box();
        let mut r = Reduced {
            dim: 0,
            issue: [0; MAX_DIM],
            corner,
            size,
            terms: Vec::with_capacity(terms.len()),
        };
        for k in (0..dim).filter(|&k| size[k] > 1e-12) {
            r.issue[r.dim] = k;
            r.dim += 1;
        }
        for t in terms {
            // Issues pinned by the lines cost what they cost: a higher bar.
            let pinned: f64 = (0..dim)
                .filter(|&k| size[k] <= 1e-12)
                .map(|k| t.loss(k, corner[k]))
                .sum();
            let (mut ideal, mut weight) = ([0.0; MAX_DIM], [0.0; MAX_DIM]);
            for j in 0..r.dim {
                let k = r.issue[j];
                ideal[j] = (t.ideal[k] - corner[k]) / size[k];
                weight[j] = t.weight[k] * size[k];
            }
            r.terms
                .push(Terms::new(ideal, weight, t.reservation + pinned));
        }
        r
    }

    pub(super) fn to_z(&self, y: &[f64; MAX_DIM]) -> [f64; MAX_DIM] {
        let mut z = [0.0; MAX_DIM];
        for j in 0..self.dim {
            let k = self.issue[j];
            z[j] = ((y[k] - self.corner[k]) / self.size[k]).clamp(0.0, 1.0);
        }
        z
    }

    pub(super) fn to_y(&self, z: &[f64; MAX_DIM]) -> [f64; MAX_DIM] {
        let mut y = self.corner;
        for j in 0..self.dim {
            let k = self.issue[j];
            y[k] = self.corner[k] + self.size[k] * z[j];
        }
        y
    }
}

/// The Nash point by the barrier method over the unit box, for terms
/// without red lines.
fn in_box(dim: usize, terms: &[Terms], gap: f64, minimiser: &[f64; MAX_DIM]) -> [f64; MAX_DIM] {
    let n = terms.len();
    let nv = dim + n;
    let mut cons: Vec<Constraint> = Vec::with_capacity(n * 16 + 2 * dim);
    let mut pieces = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        pieces.clear();
        t.push_pieces(dim, i, &mut pieces);
        for p in &pieces {
            cons.push(piece_constraint(dim, p, dim + i));
        }
    }
    for k in 0..dim {
        let mut g = [0.0; MAX_VARS];
        g[k] = 1.0;
        cons.push(Constraint { g, h: 0.0 });
        g[k] = -1.0;
        cons.push(Constraint { g, h: 1.0 });
    }

    let mut z = [0.0; MAX_VARS];
    z[..dim].copy_from_slice(&inside(dim, terms, gap, minimiser)[..dim]);
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
        mu *= 0.01;
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

fn piece_constraint(dim: usize, p: &Piece, surplus: usize) -> Constraint {
    // piece(y) = a.y + b <= -v.
    let mut g = [0.0; MAX_VARS];
    for k in 0..dim {
        g[k] = -p.a[k];
    }
    g[surplus] = -1.0;
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
