//! `zopa sensitivity`: which assumptions carry a scenario's result.

use std::path::PathBuf;

use zopa::chart::sensitivity::Tornado;
use zopa::{output, sensitivity};

use super::{Batch, Batched, Format};
use crate::emit::{self, Results, Summary};
use crate::error::CliError;
use crate::progress::Bar;

/// What `zopa sensitivity` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub scenario: PathBuf,
    /// Runs for the scenario and for each moved field, down and up.
    pub runs: u64,
    /// Fields to print, largest effect first (0: all).
    pub top: usize,
    /// The share of each field's span it is moved by.
    pub step: f64,
    pub batch: Batch,
}

pub struct Job {
    batch: Batched,
    runs: u64,
    top: usize,
    step: f64,
}

impl Job {
    pub fn plan(args: Config) -> Result<Job, CliError> {
        let step = args.step;
        let cells = |sc: &zopa::model::Scenario| Ok(sensitivity::cells_by(sc, step));
        let batch = Batched::plan(&args.scenario, args.batch, args.runs, cells)?;
        Ok(Job {
            batch,
            runs: args.runs,
            top: args.top,
            step,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let b = &self.batch;
        let sc = &b.loaded.scenario;
        let bar = Bar::new(self.runs * sensitivity::cells_by(sc, self.step), b.quiet);
        let s = sensitivity::analyse_by(sc, self.step, b.seed, self.runs, b.threads, &bar);
        bar.done();
        let provenance = b.provenance("sensitivity", self.runs);
        let summary = output::sensitivity::summary(&provenance, &s);

        let mut results = Results::into_folder(&b.dir);
        let table = output::sensitivity::table(&provenance, &s);
        results.data("sensitivity.csv", table.as_bytes())?;
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        results.data("sensitivity.json", format!("{json}\n").as_bytes())?;
        results.figure("sensitivity", &Tornado(sc, &s))?;
        let written = results.commit()?;

        let shown = match b.format {
            Format::Text => Summary::Text(output::sensitivity::summary_text(sc, &s, self.top)),
            Format::Json => Summary::Json(super::run::json_value(&summary)),
        };
        emit::finish(shown, &b.loaded.changes, &written, b.quiet);
        Ok(())
    }
}
