//! Small dense linear algebra for the tests' independent references:
//! vertex enumeration needs every subset of constraints and a solve of
//! each square system.

/// Every `size`-element subset of `0..n`, in lexicographic order.
pub fn subsets(n: usize, size: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut pick: Vec<usize> = (0..size).collect();
    if size > n {
        return out;
    }
    loop {
        out.push(pick.clone());
        let Some(i) = (0..size).rev().find(|&i| pick[i] < n - size + i) else {
            return out;
        };
        pick[i] += 1;
        for j in i + 1..size {
            pick[j] = pick[j - 1] + 1;
        }
    }
}

/// Gaussian elimination with partial pivoting on an augmented matrix;
/// `None` when it is singular.
pub fn solve(mut m: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let n = m.len();
    for col in 0..n {
        let piv = (col..n).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[piv][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, piv);
        for r in 0..n {
            if r != col {
                let f = m[r][col] / m[col][col];
                for c in col..=n {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
    }
    Some((0..n).map(|r| m[r][n] / m[r][r]).collect())
}

/// `min over y in the box [lo, hi] of max_i (a_i . y + b_i)`, the pieces
/// `(a_i, b_i)` over the first `m` coordinates, by visiting every vertex of
/// the epigraph: each coordinate free or at one of its bounds, and every
/// choice of `free + 1` pieces tight.
pub fn least_max_over_box<A: AsRef<[f64]>>(
    pieces: &[(A, f64)],
    m: usize,
    lo: &[f64],
    hi: &[f64],
) -> f64 {
    let value = |y: &[f64]| {
        (pieces.iter())
            .map(|(a, b)| b + (0..m).map(|j| a.as_ref()[j] * y[j]).sum::<f64>())
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let mut best = f64::INFINITY;
    // Each coordinate: free (0), at its low bound (1) or high bound (2).
    for code in 0..3usize.pow(m as u32) {
        let mut y = vec![0.0; m];
        let mut free = Vec::new();
        let mut c = code;
        for j in 0..m {
            match c % 3 {
                0 => free.push(j),
                1 => y[j] = lo[j],
                _ => y[j] = hi[j],
            }
            c /= 3;
        }
        let n = free.len();
        for chosen in subsets(pieces.len(), n + 1) {
            // Unknowns: y at the free coordinates, then t. Rows: t - a.y = b.
            let mut mat = vec![vec![0.0; n + 2]; n + 1];
            for (row, &p) in chosen.iter().enumerate() {
                let (a, b) = (pieces[p].0.as_ref(), pieces[p].1);
                let fixed: f64 = (0..m)
                    .filter(|j| !free.contains(j))
                    .map(|j| a[j] * y[j])
                    .sum();
                for (col, &j) in free.iter().enumerate() {
                    mat[row][col] = -a[j];
                }
                mat[row][n] = 1.0;
                mat[row][n + 1] = b + fixed;
            }
            let Some(x) = solve(mat) else { continue };
            let mut point = y.clone();
            for (col, &j) in free.iter().enumerate() {
                point[j] = x[col];
            }
            let inside = (0..m).all(|j| point[j] >= lo[j] - 1e-9 && point[j] <= hi[j] + 1e-9);
            if inside && value(&point[..m]) <= x[n] + 1e-9 {
                best = best.min(x[n]);
            }
        }
    }
    best
}
