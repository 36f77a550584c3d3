//! A small dense two-phase simplex for the tests' independent references:
//! `min c.x` subject to `A x = b`, `x >= 0`, with the optimal duals. It
//! shares no code with the crate's solver, so agreeing with it means
//! something; it is meant for programmes of a few dozen rows.

/// An optimal solution, with one dual per row of `A` (the change in the
/// optimum per unit of that row's right-hand side).
#[derive(Debug, Clone)]
pub struct Optimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub duals: Vec<f64>,
}

/// Entries this small are treated as zero when choosing pivots.
const EPS: f64 = 1e-11;

/// Dantzig's rule is fast; after this many pivots that do not move the
/// objective the search switches to Bland's rule, which cannot cycle.
const DEGENERATE_STREAK: usize = 50;

struct Tableau {
    /// `m` rows of `[A | I | b]` times the inverse of the basis.
    rows: Vec<Vec<f64>>,
    basis: Vec<usize>,
    /// Columns that may enter the basis.
    allowed: usize,
}

impl Tableau {
    fn rhs(&self) -> usize {
        self.rows[0].len() - 1
    }

    /// The reduced costs of every column for the costs `cost` (one per
    /// column, `rhs` excluded), and the objective's value.
    fn reduced(&self, cost: &[f64]) -> (Vec<f64>, f64) {
        let mut d = cost.to_vec();
        let mut value = 0.0;
        for (i, row) in self.rows.iter().enumerate() {
            let cb = cost[self.basis[i]];
            if cb != 0.0 {
                for (dj, r) in d.iter_mut().zip(row) {
                    *dj -= cb * r;
                }
                value += cb * row[self.rhs()];
            }
        }
        (d, value)
    }

    fn pivot(&mut self, r: usize, col: usize) {
        let p = self.rows[r][col];
        self.rows[r].iter_mut().for_each(|v| *v /= p);
        let pivot_row = self.rows[r].clone();
        for (i, row) in self.rows.iter_mut().enumerate() {
            let f = row[col];
            if i != r && f != 0.0 {
                for (v, pv) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * pv;
                }
            }
        }
        self.basis[r] = col;
    }

    /// Minimises `cost` from the current feasible basis; `false` when the
    /// programme is unbounded.
    fn optimise(&mut self, cost: &[f64]) -> bool {
        let mut streak = 0;
        loop {
            let (d, before) = self.reduced(cost);
            let candidates = (0..self.allowed).filter(|&j| d[j] < -1e-10);
            let entering = if streak < DEGENERATE_STREAK {
                candidates.min_by(|&a, &b| d[a].total_cmp(&d[b]))
            } else {
                candidates.min()
            };
            let Some(col) = entering else { return true };
            let rhs = self.rhs();
            let leaving = (0..self.rows.len())
                .filter(|&i| self.rows[i][col] > EPS)
                .min_by(|&a, &b| {
                    let ra = self.rows[a][rhs] / self.rows[a][col];
                    let rb = self.rows[b][rhs] / self.rows[b][col];
                    ra.total_cmp(&rb).then(self.basis[a].cmp(&self.basis[b]))
                });
            let Some(r) = leaving else { return false };
            self.pivot(r, col);
            let after = self.reduced(cost).1;
            streak = if after < before - 1e-13 {
                0
            } else {
                streak + 1
            };
        }
    }
}

/// `min c.x` subject to `a x = b`, `x >= 0`; `None` when infeasible or
/// unbounded.
pub fn minimise(c: &[f64], a: &[Vec<f64>], b: &[f64]) -> Option<Optimum> {
    let (m, n) = (a.len(), c.len());
    // Rows with a negative right-hand side are negated, so that the
    // artificial variables start feasible.
    let flip: Vec<f64> = b
        .iter()
        .map(|&v| if v < 0.0 { -1.0 } else { 1.0 })
        .collect();
    let rows = (0..m)
        .map(|i| {
            let mut row: Vec<f64> = a[i].iter().map(|v| v * flip[i]).collect();
            row.extend((0..m).map(|j| if i == j { 1.0 } else { 0.0 }));
            row.push(b[i] * flip[i]);
            row
        })
        .collect();
    let mut t = Tableau {
        rows,
        basis: (n..n + m).collect(),
        allowed: n,
    };
    let mut phase1 = vec![0.0; n + m];
    phase1[n..].iter_mut().for_each(|v| *v = 1.0);
    t.optimise(&phase1);
    if t.reduced(&phase1).1 > 1e-9 {
        return None;
    }
    drive_out_artificials(&mut t, n);
    let mut cost = c.to_vec();
    cost.extend(std::iter::repeat_n(0.0, m));
    if !t.optimise(&cost) {
        return None;
    }
    let (d, value) = t.reduced(&cost);
    let mut x = vec![0.0; n];
    for (i, &j) in t.basis.iter().enumerate() {
        if j < n {
            x[j] = t.rows[i][t.rhs()];
        }
    }
    // An artificial column costs nothing, so its reduced cost is minus the
    // dual of its (possibly negated) row.
    let duals = (0..m).map(|i| -d[n + i] * flip[i]).collect();
    Some(Optimum { x, value, duals })
}

/// Pivots every artificial variable left in the basis (at level zero) out
/// of it where its row has a real column to take its place; a row with none
/// is redundant and keeps it, at zero.
fn drive_out_artificials(t: &mut Tableau, n: usize) {
    for r in 0..t.rows.len() {
        if t.basis[r] >= n
            && let Some(col) = (0..n).find(|&j| t.rows[r][j].abs() > 1e-9)
        {
            t.pivot(r, col);
        }
    }
}
