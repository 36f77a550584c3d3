//! One job per command: built from its arguments and checked against the
//! scenario before any work is done, then executed.
//!
//! Each job takes its own configuration (plain values, built from the
//! parsed flags by the program, so a job never sees the flag parser).
//! Planning reads and validates every file, applies `--set`, resolves paths,
//! bounds the thread count and checks the output folder; executing runs the
//! engine, writes the results through [`crate::emit::Results`] and prints
//! through [`crate::emit::finish`]. A job that fails planning has written
//! nothing.

pub mod analysis;
pub mod lesson;
pub mod mc;
pub mod run;
pub mod sensitivity;
pub mod sweep;
pub mod validate;
pub mod value;

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use zopa::model::{Assignment, Change, Protocol, Scenario, Setting};
use zopa::scenario;
use zopa::zone::Interval;

use crate::error::{ArgError, CliError};

/// One core's estimated time, in seconds, above which a job needs
/// `--force`: a job that long is more often a typo (an extra zero, a
/// scenario far larger than meant) than a plan. Two hours keeps the
/// README's largest job, a million runs of the baseline (about 1.3 hours
/// estimated, minutes in fact: its zone stays shut), within the limit.
pub const WORK_LIMIT_SECONDS: f64 = 2.0 * 3600.0;

/// A step's estimated time on one core, in seconds, with `issues` issues
/// and `parties` parties.
///
/// Two regimes, as the solver has two: up to 4 issues and 8 parties the
/// programmes list every party's utility pieces (`2^issues` each) and the
/// cost grows with both; past either, the bar programme takes only the
/// pieces that bind and the Nash point its compact form, and a Monte Carlo
/// step hardly grows with the parties. Fitted to the growth bench
/// (`cargo bench --bench growth`, fastest Monte Carlo step of each cell, the
/// README's table): about 1.8 µs x n^0.67 x k^2.09 on the listed side and
/// 5.5 µs x k^1.2 past it, each rounded up here to the slowest cell, so the
/// estimate errs long. It is rough (generated
/// scenarios whose mediator misjudges the bars; the bundled baseline steps
/// in under a microsecond), which is all the limit asks: it tells a job of
/// seconds from one of days. Measure again when the solver changes.
pub fn step_seconds(issues: usize, parties: usize) -> f64 {
    let (k, n) = (issues as f64, parties as f64);
    if issues <= 4 && parties <= 8 {
        3e-6 * n.powf(0.8) * k.powf(2.1)
    } else {
        8e-6 * k.powf(1.2)
    }
}

/// Worker threads per core above which a thread count is refused: more
/// only adds switching between threads (5000 threads on 2 cores took 79 s
/// for what 2 do in 0.02 s).
pub const THREADS_PER_CORE: usize = 4;

/// How a command prints its summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// A variant of the scenario without editing its file: `--set` values and
/// another protocol.
#[derive(Clone, Debug, Default)]
pub struct Variant {
    pub set: Vec<Assignment>,
    pub protocol: Option<Protocol>,
}

/// How the zone chart frames the front issue.
#[derive(Clone, Debug, Default)]
pub struct View {
    pub y_range: Option<Interval>,
    pub style: zopa::chart::Style,
}

/// What every many-run command takes.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub seed: u64,
    /// As asked; `None` for one per core.
    pub threads: Option<NonZeroUsize>,
    pub out: Option<PathBuf>,
    pub format: Format,
    pub quiet: bool,
    /// Go ahead above [`WORK_LIMIT_SECONDS`].
    pub force: bool,
    pub variant: Variant,
}

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
    // Each field once: a second `--set` of a field would report the first
    // one's value as the file's.
    let mut set: Vec<(zopa::model::Target, &Assignment)> = Vec::new();
    for a in &variant.set {
        let spec = |a: &Assignment| format!("{}={}", a.path, a.value);
        let change = sc.assign(a).map_err(|reason| ArgError::Set {
            spec: spec(a),
            reason: reason.to_string(),
        })?;
        // The path named a field, or `assign` would have refused it.
        if let Ok(target) = sc.quantity(&a.path) {
            if let Some((_, first)) = set.iter().find(|(t, _)| *t == target) {
                return Err(ArgError::SetTwice {
                    first: spec(first),
                    second: spec(a),
                }
                .into());
            }
            set.push((target, a));
        }
        changes.push(change);
    }
    if let Some(protocol) = variant.protocol {
        changes.push(Change {
            path: "mediator.protocol".into(),
            from: Setting::Name(sc.protocol.name().into()),
            to: Setting::Name(protocol.name().into()),
            values: None,
        });
        sc.protocol = protocol;
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        scenario: sc,
        changes,
    })
}

/// What every many-run job (`mc`, `sweep`, `sensitivity`) keeps of its
/// scenario and its `Batch` flags, once checked.
pub struct Batched {
    pub loaded: Loaded,
    pub seed: u64,
    pub threads: usize,
    pub dir: PathBuf,
    pub format: Format,
    pub quiet: bool,
}

impl Batched {
    /// Loads the scenario with its variant, asks `cells` how many cells of
    /// `runs` runs the job holds (where it may refuse its own arguments),
    /// refuses work above the limit unless forced, and prepares the folder.
    pub fn plan(
        scenario: &Path,
        b: Batch,
        runs: u64,
        cells: impl FnOnce(&Scenario) -> Result<u64, CliError>,
    ) -> Result<Batched, CliError> {
        let threads = threads(b.threads)?;
        let loaded = load(scenario, &b.variant)?;
        let n = cells(&loaded.scenario)?;
        check_work(&loaded.scenario, runs, n, b.force, "--runs")?;
        let dir = folder(b.out.as_deref(), &loaded.scenario);
        crate::emit::prepare_folder(&dir)?;
        Ok(Batched {
            loaded,
            seed: b.seed,
            threads,
            dir,
            format: b.format,
            quiet: b.quiet,
        })
    }
}

impl Batched {
    /// What the job's files record of how they were made.
    pub fn provenance(&self, command: &'static str, runs: u64) -> zopa::output::Provenance {
        zopa::output::Provenance::new(command, &self.loaded.scenario.name, self.seed, runs)
            .with_variant(&self.loaded.changes)
    }
}

/// Applies `--y-range` to the scenario's zone chart, checked against its
/// front issue's range.
pub fn frame(loaded: &mut Loaded, view: &View) -> Result<(), ArgError> {
    let Some(y) = view.y_range else {
        return Ok(());
    };
    let sc = &mut loaded.scenario;
    let issue = &sc.issues[sc.front_issue];
    if y.low < issue.min || y.high > issue.max {
        return Err(ArgError::YRange {
            low: y.low,
            high: y.high,
            issue: issue.id.clone(),
            min: issue.min,
            max: issue.max,
        });
    }
    sc.chart_y = Some(y);
    Ok(())
}

/// `--out`, or `out/<scenario name>`.
pub fn folder(out: Option<&Path>, sc: &Scenario) -> PathBuf {
    out.map_or_else(|| Path::new("out").join(&sc.name), Path::to_path_buf)
}

/// The number of worker threads: as asked, or one per core; refused above
/// [`THREADS_PER_CORE`] per core.
pub fn threads(requested: Option<NonZeroUsize>) -> Result<usize, ArgError> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let Some(asked) = requested else {
        return Ok(cores);
    };
    if asked.get() > THREADS_PER_CORE * cores {
        return Err(ArgError::TooManyThreads {
            asked: asked.get(),
            cores,
            per_core: THREADS_PER_CORE,
        });
    }
    Ok(asked.get())
}

/// Refuses a job estimated above [`WORK_LIMIT_SECONDS`] of one core unless
/// forced; `runs_flag` is the flag that sets its runs, named in the help.
pub fn check_work(
    sc: &Scenario,
    runs: u64,
    cells: u64,
    force: bool,
    runs_flag: &'static str,
) -> Result<(), ArgError> {
    let steps = u64::from(sc.steps)
        .saturating_mul(runs)
        .saturating_mul(cells);
    let (issues, parties) = (sc.issues.len(), sc.parties.len());
    let seconds = steps as f64 * step_seconds(issues, parties);
    if seconds > WORK_LIMIT_SECONDS && !force {
        return Err(ArgError::TooMuchWork {
            steps,
            issues,
            parties,
            seconds,
            limit: WORK_LIMIT_SECONDS,
            runs_flag,
        });
    }
    Ok(())
}
