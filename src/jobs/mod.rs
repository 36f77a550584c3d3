//! One job per command: built from its arguments and checked against the
//! scenario before any work is done, then executed.
//!
//! Planning reads and validates every file, applies `--set`, resolves paths
//! and checks the output folder; executing runs the engine, writes the
//! results through [`crate::emit::Results`] and prints through
//! [`crate::emit::finish`]. A job that fails planning has written nothing.

pub mod analysis;
pub mod mc;
pub mod run;
pub mod sweep;
pub mod validate;

use std::path::{Path, PathBuf};

use zopa::model::{Change, Scenario};
use zopa::scenario;

use crate::cli::Variant;
use crate::error::{ArgError, CliError};

/// Steps × runs × cells × parties above which a job needs `--force`: about
/// half an hour of work on one core, and a likely typo (an extra zero) when
/// unintended.
pub const WORK_LIMIT: u64 = 20_000_000_000;

/// A scenario as the job will run it: read, validated, and changed by
/// `--set`.
pub struct Loaded {
    pub path: PathBuf,
    pub scenario: Scenario,
    /// What `--set` changed, in the order given.
    pub changes: Vec<Change>,
}

/// Reads, validates and varies each file; every problem of every file is
/// reported together.
pub fn load_all(paths: &[PathBuf], variant: &Variant) -> Result<Vec<Loaded>, CliError> {
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        match scenario::load(p) {
            Ok(sc) => loaded.push((p, sc)),
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(CliError::Scenarios(problems));
    }
    loaded
        .into_iter()
        .map(|(path, sc)| vary(path, sc, variant))
        .collect()
}

/// Reads, validates and varies one file.
pub fn load(path: &Path, variant: &Variant) -> Result<Loaded, CliError> {
    let sc = scenario::load(path).map_err(|e| CliError::Scenarios(vec![e]))?;
    vary(path, sc, variant)
}

fn vary(path: &Path, mut sc: Scenario, variant: &Variant) -> Result<Loaded, CliError> {
    let mut changes = Vec::new();
    for a in &variant.set {
        let change = sc.assign(a).map_err(|reason| ArgError::Set {
            spec: format!("{}={}", a.path, a.value),
            reason,
        })?;
        changes.push(change);
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        scenario: sc,
        changes,
    })
}

/// `--out`, or `out/<scenario name>`.
pub fn folder(out: Option<&Path>, sc: &Scenario) -> PathBuf {
    out.map_or_else(|| Path::new("out").join(&sc.name), Path::to_path_buf)
}

/// The number of worker threads: as asked, or one per core.
pub fn threads(requested: Option<std::num::NonZeroUsize>) -> usize {
    requested
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, |n| n.get())
}

/// Refuses a job above [`WORK_LIMIT`] unless forced.
pub fn check_work(sc: &Scenario, runs: u64, cells: u64, force: bool) -> Result<(), ArgError> {
    let work = u64::from(sc.steps)
        .saturating_mul(runs)
        .saturating_mul(cells)
        .saturating_mul(sc.parties.len() as u64);
    if work > WORK_LIMIT && !force {
        return Err(ArgError::TooMuchWork {
            work,
            limit: WORK_LIMIT,
        });
    }
    Ok(())
}
