//! A small exact linear-programming kernel for the agreement zone.
//!
//! Every question the zone asks ("how far apart are the parties?", "how far
//! left does the zone reach?") is a linear programme over the unit box
//! `0 <= y <= 1` whose constraints are *pieces*: affine functions
//! `a . y + b`. The programmes are small (at most 12 issue coordinates, and
//! the pieces that bind, see `zone`), so a dense tableau simplex is both
//! exact and fast.
//!
//! We solve the LP *dual* rather than the primal. With a non-negative cost
//! vector the dual's slack basis is feasible from the start, so no phase-one
//! search is needed and the primal optimum falls out of the final reduced
//! costs. The dual multipliers are useful in their own right: the pieces with
//! positive weight form the certificate of why the parties are apart, which is
//! exactly the set of *blockers*.

/// Largest number of issue coordinates a piece may carry.
pub const MAX_DIM: usize = 12;

/// Tolerance below which a reduced cost or a pivot entry is treated as zero.
const EPS: f64 = 1e-12;

/// The smallest entry pivoted on in a programme of more than 5 rows.
const PIVOT_TOL: f64 = 1e-9;

/// One affine piece `a . y + b` over the unit box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece<const W: usize = MAX_DIM> {
    pub a: [f64; W],
    pub b: f64,
    /// Which party the piece belongs to, so a dual weight can be attributed.
    pub owner: usize,
    pub kind: PieceKind,
}

/// What a piece stands for, so it can be rebuilt from its party's terms:
/// the sign pattern of its utility piece, bit `k` set meaning `y_k` below
/// the party's ideal on issue `k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceKind(pub u16);

/// The optimum of one programme: the primal point and the optimal value.
/// The dual weights stay in the [`Workspace`] (see `Workspace::weights`).
#[derive(Debug, Clone, Copy)]
pub struct Solution<const W: usize = MAX_DIM> {
    pub y: [f64; W],
    pub value: f64,
}

/// Reusable scratch memory, so that a run of many steps allocates once.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    tableau: Vec<f64>,
    rhs: Vec<f64>,
    cost: Vec<f64>,
    basis: Vec<usize>,
    pieces: usize,
    dim: usize,
    /// The objective's value at the current basis, so that a programme
    /// given more pieces can go on from where it stopped.
    value: f64,
}

/// A column of the dual programme: a piece's multiplier, a box bound's
/// multiplier (`y_k <= 1`), or a row's slack (row 0 is `t`, row `1 + k` is
/// `y_k >= 0`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Col<P> {
    Piece(P),
    Box(usize),
    Slack(usize),
}

/// Rows of the dual programme: `t` and one per issue.
pub const MAX_ROWS: usize = MAX_DIM + 1;

impl Workspace {
    /// The optimal basis of the last solve, pieces named by their index.
    pub fn basis(&self) -> impl Iterator<Item = Col<usize>> + '_ {
        let (np, dim) = (self.pieces, self.dim);
        self.basis.iter().map(move |&b| {
            if b < np {
                Col::Piece(b)
            } else if b < np + dim {
                Col::Box(b - np)
            } else {
                Col::Slack(b - np - dim)
            }
        })
    }

    /// The positive dual weights of the last solve, as `(piece index,
    /// weight)`: the pieces that bind at the optimum.
    pub fn weights(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.basis
            .iter()
            .zip(&self.rhs)
            .filter(|&(&b, &w)| b < self.pieces && w > 0.0)
            .map(|(&b, &w)| (b, w))
    }
}

/// Shift applied to the minimax value so that it is positive at the optimum.
/// Every piece the zone builds is at least `-1` somewhere in the box
/// (shortfalls are at least `r - 1`, red-line margins at least `-1`), so the
/// optimum of `max_j piece_j` is at least `-1` and `t + SHIFT >= 1`.
const SHIFT: f64 = 2.0;

/// `min_y max_j (a_j . y + b_j)` over `0 <= y <= size` (in `dim`
/// coordinates; the zone passes the box its red lines leave, shifted to
/// start at 0).
///
/// Always feasible and bounded when `pieces` is non-empty.
pub fn minimax<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    size: &[f64; W],
) -> Solution<W> {
    debug_assert!(!pieces.is_empty() && dim <= W);
    let beta = |p: &Piece<W>| p.b + SHIFT;
    unshifted(solve_dual(ws, dim, pieces, &[0.0; W], size, true, beta))
}

/// A minimax optimum with [`SHIFT`] taken back off its value.
fn unshifted<const W: usize>(sol: Option<Solution<W>>) -> Solution<W> {
    let sol = sol.expect("a minimax programme over a box is always bounded");
    Solution {
        value: sol.value - SHIFT,
        ..sol
    }
}

/// A basis of the minimax programme, factorised, ready to be checked
/// against new right-hand sides. The basis matrix holds only the pieces'
/// slopes, which do not change from step to step (weights and red-line
/// directions are fixed); only the pieces' offsets do. So the factorisation
/// and the basic values are computed once per basis, and each later check
/// costs one small triangular solve and a pass over the parties.
#[derive(Debug, Clone)]
pub struct Factor<const W: usize = MAX_DIM, const R: usize = MAX_ROWS> {
    dim: usize,
    lu: Lu<R>,
    /// The basic values: the dual weights of the basic columns.
    pub x: [f64; R],
}

impl<const W: usize, const R: usize> Factor<W, R> {
    /// Factorises a basis (one column per row); `None` if it is singular or
    /// its basic values are not all non-negative (then it is no optimum).
    pub fn new(dim: usize, basis: &[Col<[f64; W]>]) -> Option<Factor<W, R>> {
        const { assert!(R == W + 1, "a basis has a row for t and one per issue") };
        let rows = dim + 1;
        if basis.len() != rows {
            return None;
        }
        let mut b = [[0.0; R]; R];
        for (c, col) in basis.iter().enumerate() {
            match col {
                Col::Piece(a) => {
                    b[0][c] = 1.0;
                    for k in 0..dim {
                        b[1 + k][c] = -a[k];
                    }
                }
                Col::Box(k) => b[1 + k][c] = -1.0,
                Col::Slack(r) => b[*r][c] = 1.0,
            }
        }
        let lu = Lu::new(&b, rows)?;
        let mut rhs = [0.0; R];
        rhs[0] = 1.0;
        let x = lu.solve(&rhs);
        if x[..rows].iter().any(|&v| v < -1e-10) {
            return None;
        }
        Some(Factor { dim, lu, x })
    }

    /// The optimum, if this basis is optimal when its pieces have the given
    /// offsets (`basis` as at `new`, with each piece's `b` in place of its
    /// slopes), the box is `0 <= y <= size` and the largest piece value at
    /// `y` is `worst(y)`.
    pub fn check(
        &self,
        basis: &[Col<f64>],
        size: &[f64; W],
        worst: impl Fn(&[f64; W]) -> f64,
    ) -> Option<Solution<W>> {
        let rows = self.dim + 1;
        let mut cost = [0.0; R];
        for (c, col) in basis.iter().enumerate().take(rows) {
            cost[c] = match *col {
                Col::Piece(b) => b + SHIFT,
                Col::Box(k) => -size[k],
                Col::Slack(_) => 0.0,
            };
        }
        // The prices are the primal point: s = t + SHIFT, then y.
        let price = self.lu.solve_transposed(&cost);
        let tol = 1e-10;
        let s = price[0];
        if s < -tol || (0..self.dim).any(|k| price[1 + k] < -tol || price[1 + k] > size[k] + tol) {
            return None;
        }
        let mut y = [0.0; W];
        for k in 0..self.dim {
            y[k] = price[1 + k].clamp(0.0, size[k]);
        }
        let t = s - SHIFT;
        if worst(&y) > t + tol {
            return None;
        }
        Some(Solution { y, value: t })
    }
}

/// An LU factorisation with partial pivoting of a small square matrix.
#[derive(Debug, Clone)]
struct Lu<const R: usize> {
    n: usize,
    lu: [[f64; R]; R],
    perm: [usize; R],
}

impl<const R: usize> Lu<R> {
    fn new(m: &[[f64; R]; R], n: usize) -> Option<Lu<R>> {
        let mut lu = *m;
        let mut perm: [usize; R] = std::array::from_fn(|i| i);
        for col in 0..n {
            let mut piv = col;
            for r in col + 1..n {
                if lu[r][col].abs() > lu[piv][col].abs() {
                    piv = r;
                }
            }
            if lu[piv][col].abs() < 1e-12 {
                return None;
            }
            lu.swap(col, piv);
            perm.swap(col, piv);
            for r in col + 1..n {
                let f = lu[r][col] / lu[col][col];
                lu[r][col] = f;
                for c in col + 1..n {
                    lu[r][c] -= f * lu[col][c];
                }
            }
        }
        Some(Lu { n, lu, perm })
    }

    /// `m x = v`.
    fn solve(&self, v: &[f64; R]) -> [f64; R] {
        let n = self.n;
        let mut x = [0.0; R];
        for i in 0..n {
            x[i] = v[self.perm[i]] - (0..i).map(|j| self.lu[i][j] * x[j]).sum::<f64>();
        }
        for i in (0..n).rev() {
            x[i] = (x[i] - (i + 1..n).map(|j| self.lu[i][j] * x[j]).sum::<f64>()) / self.lu[i][i];
        }
        x
    }

    /// `m^T x = v`.
    #[inline]
    fn solve_transposed(&self, v: &[f64; R]) -> [f64; R] {
        // With the size known to the compiler the loops unroll: the same
        // arithmetic in the same order, without a loop's bookkeeping
        // around each of a few multiplications. (`n` is a basis's rows,
        // one more than the issues: 1 to `R`.)
        match self.n {
            1 => self.solve_transposed_n::<1>(v),
            2 => self.solve_transposed_n::<2>(v),
            3 => self.solve_transposed_n::<3>(v),
            4 => self.solve_transposed_n::<4>(v),
            5 => self.solve_transposed_n::<5>(v),
            n => self.solve_transposed_in(v, n),
        }
    }

    #[inline]
    fn solve_transposed_n<const N: usize>(&self, v: &[f64; R]) -> [f64; R] {
        self.solve_transposed_in(v, N)
    }

    #[inline(always)]
    fn solve_transposed_in(&self, v: &[f64; R], n: usize) -> [f64; R] {
        // m = P^T L U, so m^T x = U^T L^T P x = v.
        let mut z = [0.0; R];
        for i in 0..n {
            z[i] = (v[i] - (0..i).map(|j| self.lu[j][i] * z[j]).sum::<f64>()) / self.lu[i][i];
        }
        let mut w = [0.0; R];
        for i in (0..n).rev() {
            w[i] = z[i] - (i + 1..n).map(|j| self.lu[j][i] * w[j]).sum::<f64>();
        }
        let mut x = [0.0; R];
        for i in 0..n {
            x[self.perm[i]] = w[i];
        }
        x
    }
}

/// As [`minimax`] over `pieces`, of which the workspace holds the optimum
/// over the first ones (from the last [`minimax`] or `minimax_more` with
/// the same `dim` and `size`): the pieces past them are added as new
/// columns of the dual and the simplex goes on from that optimal basis,
/// which stays feasible (a new column enters at zero). Column generation
/// adds a few pieces a round; starting each round afresh repeated every
/// pivot of the rounds before it.
pub fn minimax_more<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    size: &[f64; W],
) -> Solution<W> {
    debug_assert!(ws.dim == dim && ws.pieces <= pieces.len());
    let beta = |p: &Piece<W>| p.b + SHIFT;
    append(ws, dim, pieces, true, beta);
    unshifted(iterate(ws, dim, pieces.len(), size, true))
}

/// As [`minimax`] over `pieces`, from the optimal basis the workspace
/// holds over the same pieces with other offsets or another box size (the
/// last solve's, whose slopes are these pieces'). The basis stays feasible,
/// as the dual's constraints hold only the slopes; only the reduced costs
/// and the value are computed afresh, from the new objective, before the
/// simplex goes on. From one step to the next the bars move a little, and
/// the new optimum is a few pivots away.
pub fn minimax_again<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    size: &[f64; W],
) -> Solution<W> {
    debug_assert!(ws.dim == dim && ws.pieces == pieces.len());
    let (np, rows) = (pieces.len(), dim + 1);
    let cols = np + dim + rows;
    let objective = |j: usize| {
        if j < np {
            pieces[j].b + SHIFT
        } else if j < np + dim {
            -size[j - np]
        } else {
            0.0
        }
    };
    ws.cost.clear();
    ws.cost.extend((0..cols).map(|j| -objective(j)));
    ws.value = 0.0;
    for r in 0..rows {
        let o = objective(ws.basis[r]);
        if o != 0.0 {
            let row = &ws.tableau[r * cols..(r + 1) * cols];
            for (c, t) in ws.cost.iter_mut().zip(row) {
                *c += o * t;
            }
            ws.value += o * ws.rhs[r];
        }
    }
    for &b in &ws.basis {
        ws.cost[b] = 0.0;
    }
    unshifted(iterate(ws, dim, np, size, true))
}

/// Drops the columns of the pieces that are not in the basis, so that a
/// tableau kept from step to step holds only what bound last; `keep[j]`
/// is set for each piece that stays, in order, for the caller to drop the
/// same pieces from its list.
pub fn drop_nonbasic(ws: &mut Workspace, keep: &mut Vec<bool>) {
    let (np, dim) = (ws.pieces, ws.dim);
    let rows = ws.basis.len();
    let cols = np + dim + rows;
    keep.clear();
    keep.resize(np, false);
    for &b in &ws.basis {
        if b < np {
            keep[b] = true;
        }
    }
    let kept = keep.iter().filter(|&&k| k).count();
    let stays = |j: usize| j >= np || keep[j];
    let mut to = 0;
    for r in 0..rows {
        for j in 0..cols {
            if stays(j) {
                ws.tableau[to] = ws.tableau[r * cols + j];
                to += 1;
            }
        }
    }
    ws.tableau.truncate(to);
    let mut at = 0;
    ws.cost.retain(|_| {
        at += 1;
        stays(at - 1)
    });
    // A kept piece moves down by the dropped pieces before it; a box or
    // slack column by all of them.
    for b in &mut ws.basis {
        *b = if *b < np {
            keep[..*b].iter().filter(|&&k| k).count()
        } else {
            *b - (np - kept)
        };
    }
    ws.pieces = kept;
}

/// `min y_axis` subject to `a_j . y + b_j <= slack` for every piece, over the
/// box `0 <= y <= size`; `None` when no point satisfies all pieces.
pub fn lowest<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    size: &[f64; W],
    axis: usize,
    slack: f64,
) -> Option<f64> {
    lowest_point(ws, dim, pieces, size, axis, slack).map(|s| s.y[axis])
}

/// As [`lowest`], with the whole point where the lowest value is reached
/// (one of them, if several are).
pub fn lowest_point<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    size: &[f64; W],
    axis: usize,
    slack: f64,
) -> Option<Solution<W>> {
    let mut cost = [0.0; W];
    cost[axis] = 1.0;
    // Constraint a.y + b <= slack  <=>  -a.y >= b - slack.
    solve_dual(ws, dim, pieces, &cost, size, false, |p| p.b - slack)
}

/// As [`lowest_point`] over `pieces`, going on from the optimum the
/// workspace holds over the first ones (the last `lowest_point` or
/// `lowest_point_more` with the same `dim`, `size`, `axis` and `slack`),
/// as [`minimax_more`] does.
pub fn lowest_point_more<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    size: &[f64; W],
    slack: f64,
) -> Option<Solution<W>> {
    debug_assert!(ws.dim == dim && ws.pieces <= pieces.len());
    append(ws, dim, pieces, false, |p| p.b - slack);
    iterate(ws, dim, pieces.len(), size, false)
}

/// Solves `min c.y [+ s]` subject to `[s] - a_j . y >= beta_j`,
/// `0 <= y <= size` through its dual
/// `max sum beta_j l_j - sum size_k m_k` s.t. `[sum l_j <= 1]`,
/// `-sum_j a_jk l_j - m_k <= c_k`, `l, m >= 0`,
/// by the tableau simplex with Bland's rule (no cycling on the degenerate
/// rows that have a zero right-hand side). Requires `c >= 0`.
fn solve_dual<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    c: &[f64; W],
    size: &[f64; W],
    with_t: bool,
    beta: impl Fn(&Piece<W>) -> f64,
) -> Option<Solution<W>> {
    tableau(ws, dim, pieces, c, size, with_t, beta);
    ws.value = 0.0;
    iterate(ws, dim, pieces.len(), size, with_t)
}

/// Pivots the tableau in the workspace, over `np` pieces, to its optimum.
fn iterate<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    np: usize,
    size: &[f64; W],
    with_t: bool,
) -> Option<Solution<W>> {
    let t_rows = usize::from(with_t);
    let rows = t_rows + dim;
    // Columns: pieces' multipliers, then box multipliers, then row slacks.
    let cols = np + dim + rows;
    ws.pieces = np;
    ws.dim = dim;

    // Dantzig's rule (most negative reduced cost) takes few pivots; after a
    // run of degenerate pivots, which could cycle, Bland's rule takes over
    // and guarantees termination. The cap only guards against a numerical
    // pathology turning into an endless loop.
    let mut degenerate = 0;
    for _ in 0..10_000 {
        let Some(enter) = entering(&ws.cost, degenerate < 8) else {
            let mut y = [0.0; W];
            for (k, yk) in y.iter_mut().enumerate().take(dim) {
                *yk = ws.cost[np + dim + t_rows + k].clamp(0.0, size[k]);
            }
            return Some(Solution { y, value: ws.value });
        };
        let (pr, ratio) = leaving(ws, rows, cols, enter)?; // unbounded dual: the primal is infeasible
        if ratio <= EPS {
            degenerate += 1;
        } else {
            degenerate = 0;
        }
        pivot(ws, rows, cols, pr, enter);
    }
    None
}

/// Adds `pieces[ws.pieces..]` to the optimal tableau in the workspace as
/// new columns, placed after the pieces it has so that every column keeps
/// the order a fresh tableau over all of `pieces` would give it. The slack
/// columns hold the basis inverse and their reduced costs the prices, so a
/// new column is the inverse times its original column, and its reduced
/// cost its objective less the prices times that column.
fn append<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    with_t: bool,
    beta: impl Fn(&Piece<W>) -> f64,
) {
    let (old, np) = (ws.pieces, pieces.len());
    let added = np - old;
    if added == 0 {
        return;
    }
    let t_rows = usize::from(with_t);
    let rows = t_rows + dim;
    let (old_cols, cols) = (old + dim + rows, np + dim + rows);
    ws.tableau.resize(rows * cols, 0.0);
    let t = &mut ws.tableau;
    // Rows move right, so the last row goes first, and within a row its
    // box and slack columns before its pieces.
    for r in (0..rows).rev() {
        let (from, to) = (r * old_cols, r * cols);
        t.copy_within(from + old..from + old_cols, to + np);
        t.copy_within(from..from + old, to);
    }
    let inverse = np + dim;
    for (j, p) in pieces.iter().enumerate().skip(old) {
        for r in 0..rows {
            let row = &t[r * cols..(r + 1) * cols];
            let mut v = if with_t { row[inverse] } else { 0.0 };
            for k in 0..dim {
                v -= row[inverse + t_rows + k] * p.a[k];
            }
            t[r * cols + j] = v;
        }
    }
    ws.cost.splice(old..old, std::iter::repeat_n(0.0, added));
    for (j, p) in pieces.iter().enumerate().skip(old) {
        let price = &ws.cost[inverse..];
        let mut d = -beta(p);
        if with_t {
            d += price[0];
        }
        for k in 0..dim {
            d -= price[t_rows + k] * p.a[k];
        }
        ws.cost[j] = d;
    }
    for b in &mut ws.basis {
        if *b >= old {
            *b += added;
        }
    }
}

/// Lays out the dual programme's tableau, right-hand side, reduced costs
/// and starting (slack) basis in the workspace.
fn tableau<const W: usize>(
    ws: &mut Workspace,
    dim: usize,
    pieces: &[Piece<W>],
    c: &[f64; W],
    size: &[f64; W],
    with_t: bool,
    beta: impl Fn(&Piece<W>) -> f64,
) {
    let np = pieces.len();
    let t_rows = usize::from(with_t);
    let rows = t_rows + dim;
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
    ws.cost[np..np + dim].copy_from_slice(&size[..dim]);
}

/// The entering column: the most negative reduced cost (Dantzig), or the
/// first negative one (Bland); `None` at the optimum.
#[inline]
fn entering(cost: &[f64], dantzig: bool) -> Option<usize> {
    if !dantzig {
        return (0..cost.len()).find(|&j| cost[j] < -EPS);
    }
    let mut best: Option<(usize, f64)> = None;
    for (j, &d) in cost.iter().enumerate() {
        if d < -EPS && best.is_none_or(|(_, b)| d < b) {
            best = Some((j, d));
        }
    }
    best.map(|(j, _)| j)
}

/// The leaving row by the ratio test (ties to the smallest basic index),
/// with its ratio; `None` when the entering column is unbounded.
#[inline]
fn leaving(ws: &Workspace, rows: usize, cols: usize, enter: usize) -> Option<(usize, f64)> {
    // Above 5 rows the programmes run to more pivots, and a pivot on an
    // entry near zero spreads its rounding through every later one.
    let pivot_tol = if rows > 5 { PIVOT_TOL } else { EPS };
    let mut leave: Option<(usize, f64)> = None;
    for r in 0..rows {
        let e = ws.tableau[r * cols + enter];
        if e > pivot_tol {
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
    leave
}

fn pivot(ws: &mut Workspace, rows: usize, cols: usize, pr: usize, pc: usize) {
    // Row slices rather than indices: the same arithmetic in the same
    // order, without a bounds check on every entry.
    let (above, rest) = ws.tableau[..rows * cols].split_at_mut(pr * cols);
    let (prow, below) = rest.split_at_mut(cols);
    let inv = 1.0 / prow[pc];
    prow.iter_mut().for_each(|x| *x *= inv);
    ws.rhs[pr] *= inv;
    prow[pc] = 1.0;
    let rhs_pr = ws.rhs[pr];
    let others = (above.chunks_exact_mut(cols).enumerate())
        .chain((below.chunks_exact_mut(cols).enumerate()).map(|(r, row)| (pr + 1 + r, row)));
    for (r, row) in others {
        let f = row[pc];
        if f != 0.0 {
            for (x, p) in row.iter_mut().zip(prow.iter()) {
                *x -= f * p;
            }
            row[pc] = 0.0;
            ws.rhs[r] -= f * rhs_pr;
        }
    }
    let f = ws.cost[pc];
    for (c, p) in ws.cost[..cols].iter_mut().zip(prow.iter()) {
        *c -= f * p;
    }
    ws.cost[pc] = 0.0;
    ws.value -= f * rhs_pr;
    ws.basis[pr] = pc;
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: [f64; MAX_DIM] = [1.0; MAX_DIM];

    fn piece(a: &[f64], b: f64) -> Piece {
        let mut arr = [0.0; MAX_DIM];
        arr[..a.len()].copy_from_slice(a);
        Piece {
            a: arr,
            b,
            owner: 0,
            kind: PieceKind(0),
        }
    }

    #[test]
    fn minimax_of_two_crossing_lines_is_their_intersection() {
        // max(y - 0.2, 0.6 - y) is smallest at y = 0.4, value 0.2.
        let mut ws = Workspace::default();
        let s = minimax(
            &mut ws,
            1,
            &[piece(&[1.0], -0.2), piece(&[-1.0], 0.6)],
            &UNIT,
        );
        assert!((s.y[0] - 0.4).abs() < 1e-12);
        assert!((s.value - 0.2).abs() < 1e-12);
        let mut w: Vec<(usize, f64)> = ws.weights().collect();
        w.sort_by_key(|x| x.0);
        assert_eq!(w.len(), 2);
        assert!((w[0].1 - 0.5).abs() < 1e-12 && (w[1].1 - 0.5).abs() < 1e-12);
    }

    #[test]
    fn minimax_respects_the_box() {
        // y - 0.5 is smallest at the box's edge y = 0.
        let mut ws = Workspace::default();
        let s = minimax(&mut ws, 1, &[piece(&[1.0], -0.5)], &UNIT);
        assert!((s.y[0]).abs() < 1e-12);
        assert!((s.value + 0.5).abs() < 1e-12);
    }

    /// Random pieces over `dim` coordinates, slopes and offsets of either
    /// sign.
    fn random_pieces(rng: &mut rand_chacha::ChaCha8Rng, dim: usize, n: usize) -> Vec<Piece> {
        use rand::Rng;
        (0..n)
            .map(|_| {
                let a: Vec<f64> = (0..dim).map(|_| rng.random_range(-1.0..1.0)).collect();
                piece(&a, rng.random_range(-0.9..0.9))
            })
            .collect()
    }

    #[test]
    fn pieces_added_to_a_solved_programme_give_the_optimum_of_all_of_them() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut size = UNIT;
        for case in 0..400 {
            let dim = 1 + case % MAX_DIM;
            let pieces = random_pieces(&mut rng, dim, 2 + case % 60);
            size[..dim]
                .iter_mut()
                .for_each(|s| *s = rng.random_range(0.2..1.0));
            let mut whole = Workspace::default();
            let all = minimax(&mut whole, dim, &pieces, &size);
            // Solved over a few, then given the rest in two batches.
            let mut grown = Workspace::default();
            let (a, b) = (1 + case % pieces.len(), pieces.len());
            let mid = (a + b) / 2;
            let first = minimax(&mut grown, dim, &pieces[..a], &size);
            assert!(
                first.value <= all.value + 1e-12,
                "case {case}: fewer pieces, lower optimum"
            );
            minimax_more(&mut grown, dim, &pieces[..mid], &size);
            let more = minimax_more(&mut grown, dim, &pieces, &size);
            assert!(
                (more.value - all.value).abs() < 1e-10,
                "case {case}: {more:?} vs {all:?}"
            );
            // The point reached is an optimum: its largest piece is the value.
            let worst = (pieces.iter())
                .map(|p| (0..dim).map(|k| p.a[k] * more.y[k]).sum::<f64>() + p.b)
                .fold(f64::NEG_INFINITY, f64::max);
            assert!((worst - all.value).abs() < 1e-10, "case {case}");
            let total: f64 = grown.weights().map(|(_, w)| w).sum();
            assert!(total <= 1.0 + 1e-10 && grown.weights().all(|(j, _)| j < pieces.len()));

            let (axis, slack) = (case % dim, all.value + 0.05);
            let lowest_all = lowest_point(&mut whole, dim, &pieces, &size, axis, slack);
            let mut grown = Workspace::default();
            let lowest_more = lowest_point(&mut grown, dim, &pieces[..a], &size, axis, slack)
                .and_then(|_| lowest_point_more(&mut grown, dim, &pieces, &size, slack));
            match (lowest_all, lowest_more) {
                (Some(x), Some(y)) => assert!((x.y[axis] - y.y[axis]).abs() < 1e-10, "case {case}"),
                (x, y) => panic!("case {case}: {x:?} vs {y:?}"),
            }
        }
    }

    #[test]
    fn lowest_point_of_a_feasible_slab_and_infeasible_one() {
        let mut ws = Workspace::default();
        // 0.3 <= y <= 0.7 written as pieces 0.3 - y <= 0 and y - 0.7 <= 0.
        let slab = [piece(&[-1.0], 0.3), piece(&[1.0], -0.7)];
        let lo = lowest(&mut ws, 1, &slab, &UNIT, 0, 0.0).unwrap();
        assert!((lo - 0.3).abs() < 1e-12);
        let empty = [piece(&[-1.0], 0.8), piece(&[1.0], -0.7)];
        assert!(lowest(&mut ws, 1, &empty, &UNIT, 0, 0.0).is_none());
    }
}
