//! Parameter sweeps: the same Monte Carlo question asked over a grid of
//! values of one or two scenario fields.
//!
//! Every cell uses the same run streams `(seed, run)`, so neighbouring cells
//! differ only by the swept value (common random numbers), and a cell's
//! result does not depend on which machine or shard computed it. A sweep can
//! therefore be cut into shards by cell index and merged back into exactly
//! the unsharded result.

use serde::{Deserialize, Serialize};

use crate::mc;
use crate::model::archetype::{self, Conflict};
use crate::model::{PathError, Scenario, Target};

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

impl std::str::FromStr for Axis {
    type Err = String;

    /// Reads `PATH=FROM:TO:STEPS`; whether the path names a field of the
    /// scenario is checked later, by [`resolve`].
    fn from_str(spec: &str) -> Result<Axis, String> {
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
                .ok_or_else(|| {
                    format!(
                        "{what} `{s}` is not a finite number (a sweep over a discrete issue's \
                         ideal gives options' positions, 0 to n - 1); {usage}"
                    )
                })
        };
        let (from, to) = (num(from, "FROM")?, num(to, "TO")?);
        let steps: usize = steps
            .trim()
            .parse()
            .ok()
            .filter(|&n| (1..=1000).contains(&n))
            .ok_or_else(|| format!("STEPS `{steps}` must be a whole number from 1 to 1000"))?;
        Ok(Axis {
            path: path.to_string(),
            from,
            to,
            steps,
        })
    }
}

/// The field of `sc` an axis sweeps, checked before any work starts: a
/// quantity whose allowed range holds both ends of the axis, and every
/// value of the grid one the scenario reader would accept in the file (a
/// quick dealer's floor may not cross its bar at any cell).
pub fn resolve(axis: &Axis, sc: &Scenario) -> Result<Target, PathError> {
    let path = axis.path.as_str();
    let target = sc.quantity(path)?;
    let (low, high) = sc.target_range(target);
    for value in [axis.from, axis.to] {
        if value < low || value > high {
            return Err(PathError::OutOfRange {
                path: path.to_string(),
                value,
                low,
                high,
            });
        }
    }
    let mut trial = sc.clone();
    for v in axis.values() {
        trial.try_value(path, target, v)?;
    }
    Ok(target)
}

/// A cell of a grid of two axes whose values do not fit together, though
/// each fits the scenario alone (a floor and a bar swept against each
/// other).
#[derive(Debug, Clone, PartialEq)]
pub struct CellConflict {
    /// Each axis's path and its value at the cell.
    pub cell: Vec<(String, f64)>,
    pub conflict: Conflict,
}

impl std::fmt::Display for CellConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cell: Vec<String> = self.cell.iter().map(|(p, v)| format!("{p}={v}")).collect();
        write!(
            f,
            "at the cell {}: {}; {}",
            cell.join(", "),
            self.conflict.message(),
            self.conflict.hint()
        )
    }
}

/// Checks every cell of the grid as the scenario reader would check the
/// file, before any work starts; `targets` are the axes' resolved fields.
/// Each axis alone has been checked by [`resolve`]; this finds the cells
/// where two axes clash.
pub fn check_grid(sc: &Scenario, axes: &[Axis], targets: &[Target]) -> Result<(), CellConflict> {
    if axes.len() < 2 {
        return Ok(());
    }
    let mut trial = sc.clone();
    for values in grid(axes) {
        for (t, v) in targets.iter().zip(&values) {
            trial.set(*t, *v);
        }
        if let Some(conflict) = archetype::conflicts(&trial).into_iter().next() {
            let cell = axes.iter().map(|a| a.path.clone()).zip(values).collect();
            return Err(CellConflict { cell, conflict });
        }
    }
    Ok(())
}

/// What one cell of the grid found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// Shard `index` of `count` (1 <= index <= count): the cells whose number
/// modulo `count` is `index - 1`. Written as `[index, count]` in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(usize, usize)", try_from = "(usize, usize)")]
pub struct Shard {
    index: usize,
    count: usize,
}

impl Shard {
    pub fn new(index: usize, count: usize) -> Result<Shard, String> {
        if index == 0 || count == 0 || index > count {
            return Err(format!(
                "shard {index} of {count} does not exist (1 <= K <= N)"
            ));
        }
        Ok(Shard { index, count })
    }
    pub fn index(self) -> usize {
        self.index
    }
    pub fn count(self) -> usize {
        self.count
    }
    /// Whether cell number `cell` belongs to this shard.
    pub fn holds(self, cell: usize) -> bool {
        cell % self.count + 1 == self.index
    }
}

impl From<Shard> for (usize, usize) {
    fn from(s: Shard) -> Self {
        (s.index, s.count)
    }
}

impl TryFrom<(usize, usize)> for Shard {
    type Error = String;
    fn try_from((index, count): (usize, usize)) -> Result<Shard, String> {
        Shard::new(index, count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Reads `K/N`.
    fn from_str(spec: &str) -> Result<Shard, String> {
        let bad = || format!("`{spec}` is not K/N with 1 <= K <= N, e.g. --shard 2/8");
        let (k, n) = spec.split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n).map_err(|_| bad())
    }
}

/// What to sweep: the axes with the fields they set, and the Monte Carlo
/// settings shared by every cell.
#[derive(Debug, Clone)]
pub struct Plan {
    pub axes: Vec<Axis>,
    pub targets: Vec<Target>,
    pub seed: u64,
    pub runs: u64,
    /// Run only this shard's cells.
    pub shard: Option<Shard>,
}

/// Runs the plan's cells (those of its shard, if it has one) on one pool of
/// `threads` threads.
pub fn run(sc: &Scenario, plan: &Plan, threads: usize, progress: &dyn mc::Progress) -> Vec<Cell> {
    let (indices, cells) = cell_scenarios(sc, plan);
    count(&cells, plan.seed, plan.runs, threads, progress)
        .into_iter()
        .zip(indices)
        .map(|(c, index)| Cell {
            index,
            runs: c.runs,
            zone: c.zone,
            deal: c.deal,
        })
        .collect()
}

/// Runs `runs` runs of each scenario in `cells` with the same streams
/// `(seed, run)` (common random numbers), on one pool of `threads` threads:
/// the work is cut into (cell, chunk of runs) pieces, so small cells and
/// many cells keep every thread busy alike. Counts are integers added per
/// cell, so the result does not depend on the threads.
pub fn count(
    cells: &[Scenario],
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn mc::Progress,
) -> Vec<mc::Counts> {
    count_into(cells, seed, runs, threads, progress, None)
}

/// As [`count`], and hands every run's record to `sink`, keyed by piece
/// (cell position × chunks per cell + chunk), so that the sink can put the
/// rows back in (cell, run) order.
pub fn count_per_run(
    cells: &[Scenario],
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn mc::Progress,
    sink: &dyn mc::RunSink,
) -> Vec<mc::Counts> {
    count_into(cells, seed, runs, threads, progress, Some(sink))
}

/// The pool both share: each piece's runs counted, and recorded only when
/// a sink wants the records.
fn count_into(
    cells: &[Scenario],
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn mc::Progress,
    sink: Option<&dyn mc::RunSink>,
) -> Vec<mc::Counts> {
    let per_cell = mc::chunks(runs);
    let pieces = cells.len() as u64 * per_cell;
    let counts = mc::on_pool(threads, pieces, |take| {
        let mut counts = vec![mc::Counts::default(); cells.len()];
        let mut records = Vec::new();
        while let Some(piece) = take() {
            let c = (piece / per_cell) as usize;
            let chunk = piece % per_cell;
            let done = match sink {
                Some(sink) => {
                    let done = mc::count_fresh(&cells[c], seed, runs, chunk, Some(&mut records));
                    sink.put(piece, c, &records);
                    done
                }
                None => mc::count_fresh(&cells[c], seed, runs, chunk, None),
            };
            counts[c].add(&done);
            progress.advance(done.runs);
        }
        counts
    });
    let mut out = vec![mc::Counts::default(); cells.len()];
    for thread in &counts {
        for (total, part) in out.iter_mut().zip(thread) {
            total.add(part);
        }
    }
    out
}

/// The plan's cells (those of its shard) as scenarios, with their grid
/// indices.
pub fn cell_scenarios(sc: &Scenario, plan: &Plan) -> (Vec<usize>, Vec<Scenario>) {
    grid(&plan.axes)
        .into_iter()
        .enumerate()
        .filter(|(index, _)| plan.shard.is_none_or(|s| s.holds(*index)))
        .map(|(index, values)| {
            let mut cell_sc = sc.clone();
            for (t, v) in plan.targets.iter().zip(&values) {
                cell_sc.set(*t, *v);
            }
            (index, cell_sc)
        })
        .unzip()
}

/// As [`run`], handing every run's record to `sink` (see [`count_per_run`];
/// the sink's `cell` is a position in [`cell_scenarios`]' lists).
pub fn run_per_run(
    sc: &Scenario,
    plan: &Plan,
    threads: usize,
    progress: &dyn mc::Progress,
    sink: &dyn mc::RunSink,
) -> Vec<Cell> {
    let (indices, cells) = cell_scenarios(sc, plan);
    count_per_run(&cells, plan.seed, plan.runs, threads, progress, sink)
        .into_iter()
        .zip(indices)
        .map(|(c, index)| Cell {
            index,
            runs: c.runs,
            zone: c.zone,
            deal: c.deal,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_k_of_n_and_holds_every_nth_cell() {
        let s: Shard = "2/3".parse().unwrap();
        assert_eq!((s.index(), s.count()), (2, 3));
        let held: Vec<usize> = (0..9).filter(|&c| s.holds(c)).collect();
        assert_eq!(held, [1, 4, 7]);
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_shard_is_written_as_a_pair_and_read_back_only_if_valid() {
        let s = Shard::new(2, 5).unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "[2,5]");
        assert_eq!(serde_json::from_str::<Shard>("[2,5]").unwrap(), s);
        assert!(serde_json::from_str::<Shard>("[6,5]").is_err());
    }

    #[test]
    fn an_axis_reads_path_from_to_and_steps() {
        let a: Axis = "world.pressure=0:0.5:11".parse().unwrap();
        assert_eq!(a.path, "world.pressure");
        assert_eq!((a.from, a.to, a.steps), (0.0, 0.5, 11));
        assert_eq!(a.values()[10], 0.5);
        for bad in [
            "world.pressure",
            "p=0:1",
            "p=0:x:3",
            "p=0:1:0",
            "p=0:1:1001",
            "p=nan:1:3",
        ] {
            assert!(bad.parse::<Axis>().is_err(), "{bad}");
        }
    }
}
