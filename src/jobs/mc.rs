//! `zopa mc`: many runs of one scenario, aggregated as they stream by.

use std::path::PathBuf;
use std::time::Instant;

use zopa::output::runs::{Layout, PerRunFiles};
use zopa::{chart, mc, output};

use super::{Batch, Batched, Format};
use crate::emit::{self, Results, Summary};
use crate::error::CliError;
use crate::progress::Bar;

/// What `zopa mc` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub scenario: PathBuf,
    pub runs: u64,
    /// Also write `runs.csv` and `run-events.csv`.
    pub per_run: bool,
    pub batch: Batch,
}

pub struct Job {
    batch: Batched,
    runs: u64,
    per_run: bool,
}

impl Job {
    pub fn plan(args: Config) -> Result<Job, CliError> {
        let batch = Batched::plan(&args.scenario, args.batch, args.runs, |_| Ok(1))?;
        Ok(Job {
            batch,
            runs: args.runs,
            per_run: args.per_run,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let b = &self.batch;
        let sc = &b.loaded.scenario;
        let provenance = b.provenance("mc", self.runs);
        let started = Instant::now();
        let bar = Bar::new(self.runs, b.quiet);
        let mut results = Results::into_folder(&b.dir);
        let tally = if self.per_run {
            let files = PerRunFiles::start(
                Layout::mc(sc, b.seed),
                &provenance,
                results.stream("runs.csv")?,
                results.stream("run-events.csv")?,
            )
            .map_err(|e| results.failed(e))?;
            let tally = mc::simulate_per_run(sc, b.seed, self.runs, b.threads, &bar, &files);
            files.finish().map_err(|e| results.failed(e))?;
            tally
        } else {
            mc::simulate(sc, b.seed, self.runs, b.threads, &bar)
        };
        bar.done();
        let elapsed = started.elapsed().as_secs_f64();
        let mut summary = output::mc::summary(sc, b.seed, &tally);
        summary.variant = provenance.variant.clone();

        let table = output::mc::table(&tally);
        results.data("mc.csv", provenance.stamp(&table).as_bytes())?;
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        results.data("mc-summary.json", format!("{json}\n").as_bytes())?;
        results.figure("mc-probability", &chart::mc::McProbability(sc, &tally))?;
        results.figure("mc-gap-fan", &chart::mc::McFan(sc, &tally))?;
        let written = results.commit()?;

        let shown = match b.format {
            Format::Text => Summary::Text(format!(
                "{}\n{} runs in {elapsed:.2} s on {} thread(s) ({:.0} runs/s)\n",
                output::mc::summary_text(sc, &summary),
                self.runs,
                b.threads,
                self.runs as f64 / elapsed
            )),
            Format::Json => Summary::Json(super::run::json_value(&summary)),
        };
        emit::finish(shown, &b.loaded.changes, &written, b.quiet);
        Ok(())
    }
}
