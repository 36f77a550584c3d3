//! Parameter sweeps: the same Monte Carlo question asked over a grid of
//! values of one or two scenario fields.
//!
//! Every cell uses the same run streams `(seed, run)`, so neighbouring cells
//! differ only by the swept value (common random numbers), and a cell's
//! result does not depend on which machine or shard computed it. A sweep can
//! therefore be cut into shards by cell index and merged back into exactly
//! the unsharded result.

use std::sync::atomic::AtomicU64;

use serde::{Deserialize, Serialize};

use crate::mc;
use crate::model::{Scenario, Target, closest};

/// One swept field: `PATH=FROM:TO:STEPS`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub path: String,
    pub from: f64,
    pub to: f64,
    pub steps: usize,
}

impl Axis {
    /// The values along the axis, evenly spaced, both ends included.
    pub fn values(&self) -> Vec<f64> {
        if self.steps == 1 {
            return vec![self.from];
        }
        (0..self.steps)
            .map(|i| self.from + (self.to - self.from) * i as f64 / (self.steps - 1) as f64)
            .collect()
    }
}

/// Parses `PATH=FROM:TO:STEPS` and checks it against the scenario.
pub fn parse_axis(spec: &str, sc: &Scenario) -> Result<(Axis, Target), String> {
    let usage = "write --vary PATH=FROM:TO:STEPS, e.g. --vary world.pressure=0:1:11";
    let (path, range) = spec
        .split_once('=')
        .ok_or_else(|| format!("`{spec}` has no `=`; {usage}"))?;
    let parts: Vec<&str> = range.split(':').collect();
    let [from, to, steps] = parts.as_slice() else {
        return Err(format!("`{range}` is not FROM:TO:STEPS; {usage}"));
    };
    let num = |s: &str, what: &str| -> Result<f64, String> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{what} `{s}` is not a finite number; {usage}"))
    };
    let (from, to) = (num(from, "FROM")?, num(to, "TO")?);
    let steps: usize = steps
        .trim()
        .parse()
        .ok()
        .filter(|&n| (1..=1000).contains(&n))
        .ok_or_else(|| format!("STEPS `{steps}` must be a whole number from 1 to 1000"))?;
    let target = sc.parse_target(path).map_err(|e| {
        let all = sc.target_paths();
        let near: Vec<&str> = all
            .iter()
            .map(String::as_str)
            .filter(|p| closest(path, [*p]).is_some())
            .take(5)
            .collect();
        match (e.suggestion, near.is_empty()) {
            (Some(s), _) => format!("{}; did you mean `{s}`?", e.message),
            (None, false) => format!("{}; close matches: {}", e.message, near.join(", ")),
            (None, true) => format!(
                "{}; numeric fields include {}",
                e.message,
                e.examples.join(", ")
            ),
        }
    })?;
    if matches!(target, Target::Engaged(_)) {
        return Err(format!("`{path}` is a switch, not a quantity to sweep"));
    }
    let (lo, hi) = sc.target_range(target);
    for v in [from, to] {
        if v < lo || v > hi {
            return Err(format!(
                "{v} is outside the allowed range of `{path}`, {lo} to {hi}"
            ));
        }
    }
    Ok((
        Axis {
            path: path.to_string(),
            from,
            to,
            steps,
        },
        target,
    ))
}

/// What one cell of the grid found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub index: usize,
    pub runs: u64,
    /// Runs in which a zone existed at some step of the horizon.
    pub zone: u64,
    pub deal: u64,
}

/// The cells' values, in grid order (the first axis varies slowest).
pub fn grid(axes: &[Axis]) -> Vec<Vec<f64>> {
    let mut cells = vec![Vec::new()];
    for a in axes {
        cells = cells
            .into_iter()
            .flat_map(|c| {
                a.values().into_iter().map(move |v| {
                    let mut c = c.clone();
                    c.push(v);
                    c
                })
            })
            .collect();
    }
    cells
}

/// Which shard a cell belongs to: cell `i` goes to shard `i % count + 1`.
pub fn in_shard(cell: usize, shard: (usize, usize)) -> bool {
    cell % shard.1 + 1 == shard.0
}

/// What to sweep: the axes with the fields they set, and the Monte Carlo
/// settings shared by every cell.
#[derive(Debug, Clone)]
pub struct Plan {
    pub axes: Vec<Axis>,
    pub targets: Vec<Target>,
    pub seed: u64,
    pub runs: u64,
    /// `(K, N)`: run only shard K of N.
    pub shard: Option<(usize, usize)>,
}

/// Runs the plan's cells (those of its shard, if it has one).
pub fn run(sc: &Scenario, plan: &Plan, threads: usize, progress: &AtomicU64) -> Vec<Cell> {
    let mut out = Vec::new();
    for (index, values) in grid(&plan.axes).into_iter().enumerate() {
        if plan.shard.is_some_and(|s| !in_shard(index, s)) {
            continue;
        }
        let mut cell_sc = sc.clone();
        for (t, v) in plan.targets.iter().zip(&values) {
            cell_sc.set(*t, *v);
        }
        let tally = mc::simulate(&cell_sc, plan.seed, plan.runs, threads, progress);
        out.push(Cell {
            index,
            runs: tally.runs,
            zone: tally.zone_by.last().copied().unwrap_or(0),
            deal: tally.deals(),
        });
    }
    out
}
