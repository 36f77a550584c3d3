//! `zopa sensitivity`: which assumptions carry a scenario's result.

use std::path::PathBuf;

use zopa::chart::sensitivity::Tornado;
use zopa::{output, sensitivity};

use super::Loaded;
use crate::cli::{Format, SensitivityArgs};
use crate::emit::{self, Results, Summary};
use crate::error::CliError;
use crate::progress::Bar;

pub struct Job {
    loaded: Loaded,
    runs: u64,
    top: usize,
    seed: u64,
    threads: usize,
    dir: PathBuf,
    format: Format,
    quiet: bool,
}

impl Job {
    pub fn plan(args: SensitivityArgs) -> Result<Job, CliError> {
        let b = args.batch;
        let loaded = super::load(&args.scenario, &b.variant)?;
        let cells = sensitivity::cells(&loaded.scenario);
        super::check_work(&loaded.scenario, args.runs, cells, b.force)?;
        let dir = super::folder(b.out.as_deref(), &loaded.scenario);
        emit::prepare_folder(&dir)?;
        Ok(Job {
            loaded,
            runs: args.runs,
            top: args.top,
            seed: b.seed,
            threads: super::threads(b.threads),
            dir,
            format: b.format,
            quiet: b.quiet,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let sc = &self.loaded.scenario;
        let bar = Bar::new(self.runs * sensitivity::cells(sc), self.quiet);
        let s = sensitivity::analyse(sc, self.seed, self.runs, self.threads, &bar);
        bar.done();
        let summary = output::sensitivity::summary(sc, &s);

        let mut results = Results::into_folder(&self.dir);
        results.data("sensitivity.csv", output::sensitivity::table(&s).as_bytes())?;
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        results.data("sensitivity.json", format!("{json}\n").as_bytes())?;
        results.figure("sensitivity", &Tornado(sc, &s))?;
        let written = results.commit()?;

        let shown = match self.format {
            Format::Text => Summary::Text(output::sensitivity::summary_text(sc, &s, self.top)),
            Format::Json => Summary::Json(super::run::json(&summary)),
        };
        emit::finish(shown, &self.loaded.changes, &written, self.quiet);
        Ok(())
    }
}
