//! `zopa mc`: many runs of one scenario, aggregated as they stream by.

use std::path::PathBuf;
use std::time::Instant;

use zopa::{chart, mc, output};

use super::Loaded;
use crate::cli::{Format, McArgs};
use crate::emit::{self, Results, Summary};
use crate::error::CliError;
use crate::progress::Bar;

pub struct Job {
    loaded: Loaded,
    runs: u64,
    seed: u64,
    threads: usize,
    dir: PathBuf,
    format: Format,
    quiet: bool,
}

impl Job {
    pub fn plan(args: McArgs) -> Result<Job, CliError> {
        let b = args.batch;
        let loaded = super::load(&args.scenario, &b.variant)?;
        super::check_work(&loaded.scenario, args.runs, 1, b.force)?;
        let dir = super::folder(b.out.as_deref(), &loaded.scenario);
        emit::prepare_folder(&dir)?;
        Ok(Job {
            loaded,
            runs: args.runs,
            seed: b.seed,
            threads: super::threads(b.threads),
            dir,
            format: b.format,
            quiet: b.quiet,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let sc = &self.loaded.scenario;
        let started = Instant::now();
        let bar = Bar::new(self.runs, self.quiet);
        let tally = mc::simulate(sc, self.seed, self.runs, self.threads, &bar);
        bar.done();
        let elapsed = started.elapsed().as_secs_f64();
        let summary = output::mc::summary(sc, self.seed, &tally);

        let mut results = Results::into_folder(&self.dir);
        results.data("mc.csv", output::mc::table(&tally).as_bytes())?;
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        results.data("mc-summary.json", format!("{json}\n").as_bytes())?;
        results.figure("mc-probability", &chart::mc::McProbability(sc, &tally))?;
        results.figure("mc-gap-fan", &chart::mc::McFan(sc, &tally))?;
        let written = results.commit()?;

        let shown = match self.format {
            Format::Text => Summary::Text(format!(
                "{}\n{} runs in {elapsed:.2} s on {} thread(s) ({:.0} runs/s)\n",
                output::mc::summary_text(sc, &summary),
                self.runs,
                self.threads,
                self.runs as f64 / elapsed
            )),
            Format::Json => Summary::Json(super::run::json(&summary)),
        };
        emit::finish(shown, &self.loaded.changes, &written, self.quiet);
        Ok(())
    }
}
