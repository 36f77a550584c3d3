//! `zopa sweep` and `zopa merge`: Monte Carlo over a grid of one or two
//! scenario fields, whole or cut into shards, and the shards joined back.

use std::path::{Path, PathBuf};
use std::time::Instant;

use zopa::chart;
use zopa::output::runs::{self, Layout, MergeError, PerRunFiles, SweptCell};
use zopa::output::sweep::{self as table, Meta, Results as SweepResults, ShardFile};
use zopa::sweep::{self, Axis, Plan, Shard};

use super::{Batch, Batched, Format};
use crate::emit::{self, Results, Summary};
use crate::error::{ArgError, CliError, ShardError};
use crate::progress::Bar;

/// What `zopa sweep` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub scenario: PathBuf,
    /// One or two fields and their values.
    pub vary: Vec<Axis>,
    /// Runs per cell.
    pub runs: u64,
    pub shard: Option<Shard>,
    /// Also write `runs.csv` and `run-events.csv`.
    pub per_run: bool,
    pub batch: Batch,
}

pub struct Job {
    batch: Batched,
    plan: Plan,
    per_run: bool,
}

impl Job {
    pub fn plan(args: Config) -> Result<Job, CliError> {
        let mut targets = Vec::new();
        let cells = |sc: &zopa::model::Scenario| {
            if args.vary.len() > 2 {
                return Err(ArgError::TooManyAxes.into());
            }
            for axis in &args.vary {
                let target = sweep::resolve(axis, sc).map_err(|reason| ArgError::Vary {
                    spec: format!("{}={}:{}:{}", axis.path, axis.from, axis.to, axis.steps),
                    reason: reason.to_string(),
                })?;
                if targets.contains(&target) {
                    let path = axis.path.clone();
                    return Err(ArgError::VaryTwice { path }.into());
                }
                targets.push(target);
            }
            sweep::check_grid(sc, &args.vary, &targets).map_err(|reason| {
                let axis = &args.vary[args.vary.len() - 1];
                ArgError::Vary {
                    spec: format!("{}={}:{}:{}", axis.path, axis.from, axis.to, axis.steps),
                    reason: reason.to_string(),
                }
            })?;
            let cells: usize = args.vary.iter().map(|a| a.steps).product();
            let mine = (0..cells)
                .filter(|&c| args.shard.is_none_or(|s| s.holds(c)))
                .count() as u64;
            Ok(mine.max(1))
        };
        let batch = Batched::plan(&args.scenario, args.batch, args.runs, cells)?;
        let plan = Plan {
            axes: args.vary,
            targets,
            seed: batch.seed,
            runs: args.runs,
            shard: args.shard,
        };
        Ok(Job {
            batch,
            plan,
            per_run: args.per_run,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let b = &self.batch;
        let sc = &b.loaded.scenario;
        let plan = &self.plan;
        let started = Instant::now();
        let cells_run = (0..sweep::grid(&plan.axes).len())
            .filter(|&c| plan.shard.is_none_or(|s| s.holds(c)))
            .count() as u64;
        let bar = Bar::new(cells_run * plan.runs, b.quiet);
        let provenance = b.provenance("sweep", plan.runs);
        let mut results = Results::into_folder(&b.dir);
        let cells = if self.per_run {
            per_run(sc, plan, b.threads, &bar, &provenance, &mut results)?
        } else {
            sweep::run(sc, plan, b.threads, &bar)
        };
        bar.done();
        let meta = Meta {
            scenario: sc.name.clone(),
            title: sc.title.clone(),
            steps: sc.steps,
            step_unit: sc.step_unit.clone(),
            seed: plan.seed,
            runs: plan.runs,
            axes: plan.axes.clone(),
            shard: plan.shard,
            variant: provenance.variant.clone(),
        };
        let sweep = SweepResults { meta, cells };
        match plan.shard {
            Some(s) => {
                let name = format!("sweep-shard-{}-of-{}.csv", s.index(), s.count());
                let file = table::shard_file(&sweep.meta, &sweep.cells);
                results.data(&name, file.as_bytes())?;
            }
            None => stage(&mut results, &sweep)?,
        }
        let written = results.commit()?;
        let elapsed = started.elapsed().as_secs_f64();
        let summary = shown(&sweep, b.format, Some(elapsed));
        emit::finish(summary, &b.loaded.changes, &written, b.quiet);
        Ok(())
    }
}

/// The per-run files of a sweep: `runs.csv` and `run-events.csv`, or a
/// shard's `runs-shard-K-of-N.csv` and `run-events-shard-K-of-N.csv`.
pub fn per_run_names(shard: Option<Shard>) -> [String; 2] {
    let suffix = shard.map_or_else(String::new, |s| {
        format!("-shard-{}-of-{}", s.index(), s.count())
    });
    [
        format!("runs{suffix}.csv"),
        format!("run-events{suffix}.csv"),
    ]
}

/// Runs the sweep (its shard's cells) while streaming its per-run files
/// into `results`, in cell and run order.
fn per_run(
    sc: &zopa::model::Scenario,
    plan: &Plan,
    threads: usize,
    bar: &Bar,
    provenance: &zopa::output::Provenance,
    results: &mut Results,
) -> Result<Vec<sweep::Cell>, CliError> {
    let (indices, scenarios) = sweep::cell_scenarios(sc, plan);
    let values = sweep::grid(&plan.axes);
    let cells: Vec<_> = indices
        .iter()
        .zip(&scenarios)
        .map(|(&index, scenario)| SweptCell {
            index,
            values: values[index].clone(),
            scenario,
        })
        .collect();
    let fields = plan.axes.iter().map(|a| a.path.clone()).collect();
    let [runs, events] = per_run_names(plan.shard);
    let files = PerRunFiles::start(
        Layout::sweep(sc, plan.seed, fields, &cells),
        provenance,
        results.stream(&runs)?,
        results.stream(&events)?,
    )
    .map_err(|e| results.failed(e))?;
    let done = sweep::run_per_run(sc, plan, threads, bar, &files);
    files.finish().map_err(|e| results.failed(e))?;
    Ok(done)
}

/// The whole sweep's table and chart: a line chart for one field, a
/// heatmap for two.
fn stage(results: &mut Results, sweep: &SweepResults) -> Result<(), CliError> {
    let (meta, cells) = (&sweep.meta, &sweep.cells);
    results.data("sweep.csv", table::table(meta, cells).as_bytes())?;
    if meta.axes.len() == 1 {
        results.figure("sweep", &chart::sweep::SweepLine(meta, cells))
    } else {
        results.figure("sweep", &chart::sweep::SweepHeat(meta, cells))
    }
}

fn shown(sweep: &SweepResults, format: Format, elapsed: Option<f64>) -> Summary {
    let (meta, cells) = (&sweep.meta, &sweep.cells);
    match format {
        Format::Text => {
            let mut text = table::summary_text(meta, cells);
            if let Some(e) = elapsed {
                let runs = cells.len() as u64 * meta.runs;
                text.push_str(&format!("\n{runs} runs in {e:.2} s\n"));
            }
            Summary::Text(text)
        }
        Format::Json => {
            let values = sweep::grid(&meta.axes);
            let cells: Vec<_> = cells
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "index": c.index,
                        "values": values[c.index],
                        "runs": c.runs,
                        "zone": c.zone,
                        "deal": c.deal,
                    })
                })
                .collect();
            Summary::Json(serde_json::json!({ "meta": meta, "cells": cells }))
        }
    }
}

/// What `zopa merge` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct MergeConfig {
    /// Every shard file of one sweep.
    pub shards: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub quiet: bool,
}

pub struct Merge {
    sweep: SweepResults,
    /// Each shard's per-run files (`[runs, events]`), shard `k` at `k - 1`,
    /// when every shard wrote them.
    per_run: Option<Vec<[PathBuf; 2]>>,
    dir: PathBuf,
    quiet: bool,
}

impl Merge {
    pub fn plan(args: MergeConfig) -> Result<Merge, CliError> {
        let mut shards = Vec::new();
        for path in &args.shards {
            let name = path.file_name().map(|n| n.to_string_lossy());
            if name
                .is_some_and(|n| n.starts_with("runs-shard-") || n.starts_with("run-events-shard-"))
            {
                return Err(ShardError::Invalid {
                    path: path.clone(),
                    reason: "it is a shard's per-run file: give only the sweep-shard-K-of-N.csv files, and merge finds the per-run files beside them".into(),
                }
                .into());
            }
            let text = std::fs::read_to_string(path).map_err(|reason| ShardError::Unreadable {
                path: path.clone(),
                reason,
            })?;
            let results = table::parse_shard(&text).map_err(|reason| ShardError::Invalid {
                path: path.clone(),
                reason,
            })?;
            let name = path.display().to_string();
            shards.push(ShardFile { name, results });
        }
        let sweep = table::merge(&shards).map_err(|reason| ShardError::Mismatch { reason })?;
        let per_run = shard_runs(&args.shards, &shards)?;
        let first = &args.shards[0];
        let beside = || {
            first
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let dir = args.out.unwrap_or_else(beside);
        emit::prepare_folder(&dir)?;
        Ok(Merge {
            sweep,
            per_run,
            dir,
            quiet: args.quiet,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let mut results = Results::into_folder(&self.dir);
        stage(&mut results, &self.sweep)?;
        if let Some(files) = &self.per_run {
            for (which, name) in per_run_names(None).iter().enumerate() {
                let paths: Vec<&Path> = files.iter().map(|f| f[which].as_path()).collect();
                self.merge_runs(&mut results, name, &paths)?;
            }
        }
        let written = results.commit()?;
        let summary = shown(&self.sweep, Format::Text, None);
        emit::finish(summary, &[], &written, self.quiet);
        Ok(())
    }
}

/// Each shard's per-run files, found beside its shard file, if every shard
/// wrote them; none if no shard did; refused if only some did (a shard run
/// without `--per-run`, or a file lost).
fn shard_runs(
    paths: &[PathBuf],
    shards: &[ShardFile],
) -> Result<Option<Vec<[PathBuf; 2]>>, CliError> {
    let mut found: Vec<Option<[PathBuf; 2]>> = vec![None; shards.len()];
    let mut missing = Vec::new();
    for (path, shard) in paths.iter().zip(shards) {
        let Some(s) = shard.results.meta.shard else {
            continue;
        };
        let dir = path.parent().unwrap_or(Path::new(""));
        let [runs, events] = per_run_names(Some(s)).map(|name| dir.join(name));
        match (runs.is_file(), events.is_file()) {
            (true, true) => found[s.index() - 1] = Some([runs, events]),
            (false, false) => missing.push(runs),
            (true, false) => missing.push(events),
            (false, true) => missing.push(runs),
        }
    }
    if missing.len() == shards.len() {
        return Ok(None);
    }
    if let Some(path) = missing.first() {
        return Err(ShardError::Mismatch {
            reason: format!(
                "{} is missing, though other shards wrote their per-run files: run that shard again with --per-run, or move the other shards' runs-shard and run-events-shard files away to merge the table alone",
                path.display()
            ),
        }
        .into());
    }
    Ok(found.into_iter().collect())
}

impl Merge {
    /// Streams the shards' per-run files (shard `k` at `paths[k - 1]`) into
    /// `name`, in cell and run order.
    fn merge_runs(
        &self,
        results: &mut Results,
        name: &str,
        paths: &[&Path],
    ) -> Result<(), CliError> {
        let mut readers = Vec::with_capacity(paths.len());
        for path in paths {
            let file = std::fs::File::open(path).map_err(|reason| ShardError::Unreadable {
                path: path.to_path_buf(),
                reason,
            })?;
            readers.push(std::io::BufReader::new(file));
        }
        let mut out = results.stream(name)?;
        let meta = &self.sweep.meta;
        runs::merge_shards(readers, meta.cells(), &meta.provenance(), &mut out).map_err(|e| match e
        {
            MergeError::Read { shard, reason } => ShardError::Unreadable {
                path: paths[shard].to_path_buf(),
                reason,
            }
            .into(),
            MergeError::Invalid { shard, reason } => ShardError::Invalid {
                path: paths[shard].to_path_buf(),
                reason,
            }
            .into(),
            MergeError::Write(e) => results.failed(e),
        })
    }
}
