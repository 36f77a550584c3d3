//! A small exact linear-programming kernel for the agreement zone.
//!
//! Every question the zone asks ("how far apart are the parties?", "how far
//! left does the zone reach?") is a linear programme over the unit box
//! `0 <= y <= 1` whose constraints are *pieces*: affine functions
//! `a . y + b`. The programmes are tiny (at most 4 issue coordinates and a
//! few dozen pieces), so a dense tableau simplex is both exact and fast.
//!
//! We solve the LP *dual* rather than the primal. With a non-negative cost
//! vector the dual's slack basis is feasible from the start, so no phase-one
//! search is needed and the primal optimum falls out of the final reduced
//! costs. The dual multipliers are useful in their own right: the pieces with
//! positive weight form the certificate of why the parties are apart, which is
//! exactly the set of *blockers*.

/// Largest number of issue coordinates a piece may carry.
pub const MAX_DIM: usize = 4;

/// Tolerance below which a reduced cost or a pivot entry is treated as zero.
const EPS: f64 = 1e-12;

/// One affine piece `a . y + b` over the unit box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    pub a: [f64; MAX_DIM],
    pub b: f64,
    /// Which party the piece belongs to, so a dual weight can be attributed.
    pub owner: usize,
    /// Whether the piece is a red line rather than a utility shortfall.
    pub line: bool,
}

/// The optimum of one programme: the primal point, the optimal value and
/// the dual weight of every piece (zero for pieces that do not bind).
#[derive(Debug, Clone, Default)]
pub struct Solution {
    pub y: [f64; MAX_DIM],
    pub value: f64,
    pub weights: Vec<f64>,
}

/// Reusable scratch memory, so that a run of many steps allocates once.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    tableau: Vec<f64>,
    rhs: Vec<f64>,
    cost: Vec<f64>,
    basis: Vec<usize>,
}

/// Shift applied to the minimax value so that it is positive at the optimum.
/// Every piece the zone builds is at least `-1` somewhere in the box
/// (shortfalls are at least `r - 1`, red-line margins at least `-1`), so the
/// optimum of `max_j piece_j` is at least `-1` and `t + SHIFT >= 1`.
const SHIFT: f64 = 2.0;

/// `min_y max_j (a_j . y + b_j)` over `0 <= y <= 1` (in `dim` coordinates).
///
/// Always feasible and bounded when `pieces` is non-empty.
pub fn minimax(ws: &mut Workspace, dim: usize, pieces: &[Piece]) -> Solution {
    debug_assert!(!pieces.is_empty() && dim <= MAX_DIM);
    let beta = |p: &Piece| p.b + SHIFT;
    let sol = solve_dual(ws, dim, pieces, &[0.0; MAX_DIM], true, beta)
        .expect("a minimax programme over a box is always bounded");
    Solution {
        value: sol.value - SHIFT,
        ..sol
    }
}

/// `min y_axis` subject to `a_j . y + b_j <= slack` for every piece, over the
/// box; `None` when no point satisfies all pieces.
pub fn lowest(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece],
    axis: usize,
    slack: f64,
) -> Option<f64> {
    let mut cost = [0.0; MAX_DIM];
    cost[axis] = 1.0;
    // Constraint a.y + b <= slack  <=>  -a.y >= b - slack.
    solve_dual(ws, dim, pieces, &cost, false, |p| p.b - slack).map(|s| s.y[axis])
}

/// Solves `min c.y [+ s]` subject to `[s] - a_j . y >= beta_j`, `0 <= y <= 1`
/// through its dual
/// `max sum beta_j l_j - sum m_k` s.t. `[sum l_j <= 1]`,
/// `-sum_j a_jk l_j - m_k <= c_k`, `l, m >= 0`,
/// by the tableau simplex with Bland's rule (no cycling on the degenerate
/// rows that have a zero right-hand side). Requires `c >= 0`.
fn solve_dual(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece],
    c: &[f64; MAX_DIM],
    with_t: bool,
    beta: impl Fn(&Piece) -> f64,
) -> Option<Solution> {
    let np = pieces.len();
    let t_rows = usize::from(with_t);
    let rows = t_rows + dim;
    // Columns: pieces' multipliers, then box multipliers, then row slacks.
    let cols = np + dim + rows;
    ws.tableau.clear();
    ws.tableau.resize(rows * cols, 0.0);
    ws.rhs.clear();
    ws.rhs.resize(rows, 0.0);
    ws.cost.clear();
    ws.cost.resize(cols, 0.0);
    ws.basis.clear();
    ws.basis.extend(np + dim..cols);

    let t = &mut ws.tableau;
    if with_t {
        for j in 0..np {
            t[j] = 1.0;
        }
        t[np + dim] = 1.0;
        ws.rhs[0] = 1.0;
    }
    for k in 0..dim {
        let row = (t_rows + k) * cols;
        for (j, p) in pieces.iter().enumerate() {
            t[row + j] = -p.a[k];
        }
        t[row + np + k] = -1.0;
        t[row + np + dim + t_rows + k] = 1.0;
        ws.rhs[t_rows + k] = c[k];
    }
    // Reduced costs of a maximisation start as minus the objective.
    for (j, p) in pieces.iter().enumerate() {
        ws.cost[j] = -beta(p);
    }
    for k in 0..dim {
        ws.cost[np + k] = 1.0;
    }
    let mut value = 0.0;

    // Bland's rule bounds the number of pivots; the cap only guards against
    // a numerical pathology turning into an endless loop.
    for _ in 0..10_000 {
        let Some(enter) = (0..cols).find(|&j| ws.cost[j] < -EPS) else {
            let mut y = [0.0; MAX_DIM];
            for (k, yk) in y.iter_mut().enumerate().take(dim) {
                *yk = ws.cost[np + dim + t_rows + k].clamp(0.0, 1.0);
            }
            let mut weights = vec![0.0; np];
            for (r, &b) in ws.basis.iter().enumerate() {
                if b < np {
                    weights[b] = ws.rhs[r].max(0.0);
                }
            }
            return Some(Solution { y, value, weights });
        };
        let mut leave: Option<(usize, f64)> = None;
        for r in 0..rows {
            let e = ws.tableau[r * cols + enter];
            if e > EPS {
                let ratio = ws.rhs[r] / e;
                let better = match leave {
                    None => true,
                    Some((lr, best)) => {
                        ratio < best - EPS || (ratio <= best + EPS && ws.basis[r] < ws.basis[lr])
                    }
                };
                if better {
                    leave = Some((r, ratio));
                }
            }
        }
        let (pr, _) = leave?; // unbounded dual: the primal is infeasible
        pivot(ws, rows, cols, pr, enter, &mut value);
    }
    None
}

fn pivot(ws: &mut Workspace, rows: usize, cols: usize, pr: usize, pc: usize, value: &mut f64) {
    let t = &mut ws.tableau;
    let inv = 1.0 / t[pr * cols + pc];
    for j in 0..cols {
        t[pr * cols + j] *= inv;
    }
    ws.rhs[pr] *= inv;
    t[pr * cols + pc] = 1.0;
    for r in 0..rows {
        if r == pr {
            continue;
        }
        let f = t[r * cols + pc];
        if f != 0.0 {
            for j in 0..cols {
                t[r * cols + j] -= f * t[pr * cols + j];
            }
            t[r * cols + pc] = 0.0;
            ws.rhs[r] -= f * ws.rhs[pr];
        }
    }
    let f = ws.cost[pc];
    for j in 0..cols {
        ws.cost[j] -= f * t[pr * cols + j];
    }
    ws.cost[pc] = 0.0;
    *value -= f * ws.rhs[pr];
    ws.basis[pr] = pc;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(a: &[f64], b: f64) -> Piece {
        let mut arr = [0.0; MAX_DIM];
        arr[..a.len()].copy_from_slice(a);
        Piece {
            a: arr,
            b,
            owner: 0,
            line: false,
        }
    }

    #[test]
    fn minimax_of_two_crossing_lines_is_their_intersection() {
        // max(y - 0.2, 0.6 - y) is smallest at y = 0.4, value 0.2.
        let mut ws = Workspace::default();
        let s = minimax(&mut ws, 1, &[piece(&[1.0], -0.2), piece(&[-1.0], 0.6)]);
        assert!((s.y[0] - 0.4).abs() < 1e-12);
        assert!((s.value - 0.2).abs() < 1e-12);
        assert!((s.weights[0] - 0.5).abs() < 1e-12 && (s.weights[1] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn minimax_respects_the_box() {
        // y - 0.5 is smallest at the box's edge y = 0.
        let mut ws = Workspace::default();
        let s = minimax(&mut ws, 1, &[piece(&[1.0], -0.5)]);
        assert!((s.y[0]).abs() < 1e-12);
        assert!((s.value + 0.5).abs() < 1e-12);
    }

    #[test]
    fn lowest_point_of_a_feasible_slab_and_infeasible_one() {
        let mut ws = Workspace::default();
        // 0.3 <= y <= 0.7 written as pieces 0.3 - y <= 0 and y - 0.7 <= 0.
        let slab = [piece(&[-1.0], 0.3), piece(&[1.0], -0.7)];
        let lo = lowest(&mut ws, 1, &slab, 0, 0.0).unwrap();
        assert!((lo - 0.3).abs() < 1e-12);
        let empty = [piece(&[-1.0], 0.8), piece(&[1.0], -0.7)];
        assert!(lowest(&mut ws, 1, &empty, 0, 0.0).is_none());
    }
}
