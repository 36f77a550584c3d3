//! `zopa report` and `zopa explain`: the story of a run for a class, as an
//! HTML file or in the terminal.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use zopa::model::Scenario;
use zopa::{report, scenario, sensitivity, sim};

use super::{Loaded, Variant, View};
use crate::emit::{self, Results, Summary};
use crate::error::{ArgError, CliError, OutputError, WriteError};
use crate::progress::Bar;

/// What `report` and `explain` both take: which run, and which step to ask
/// about.
#[derive(Clone, Debug, Default)]
pub struct AnalysisConfig {
    pub seed: u64,
    /// The step at which to ask what would open the zone.
    pub at: Option<u32>,
    pub quiet: bool,
    pub variant: Variant,
}

/// What `zopa report` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct ReportConfig {
    pub scenarios: Vec<PathBuf>,
    /// The HTML file to write.
    pub out: PathBuf,
    /// Runs per variant of the sensitivity analysis (0: none).
    pub sensitivity_runs: u64,
    /// Go ahead above the work limit (see [`super::WORK_LIMIT_SECONDS`]).
    pub force: bool,
    pub threads: Option<NonZeroUsize>,
    pub analysis: AnalysisConfig,
    pub view: View,
}

/// What `zopa explain` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct ExplainConfig {
    pub scenario: PathBuf,
    pub analysis: AnalysisConfig,
}

pub struct Report {
    scenarios: Vec<Loaded>,
    out: PathBuf,
    dir: PathBuf,
    file_name: String,
    analysis: AnalysisConfig,
    sensitivity_runs: u64,
    threads: usize,
    style: zopa::chart::Style,
}

impl Report {
    pub fn plan(args: ReportConfig) -> Result<Report, CliError> {
        let threads = super::threads(args.threads)?;
        // Every file is checked before any work, and all problems are shown.
        let mut scenarios = super::load_all(&args.scenarios, &args.analysis.variant)?;
        for l in &mut scenarios {
            check_step(&l.scenario, args.analysis.at)?;
            super::frame(l, &args.view)?;
            let cells = sensitivity::cells(&l.scenario);
            let runs = args.sensitivity_runs;
            super::check_work(&l.scenario, runs, cells, args.force, "--sensitivity-runs")?;
        }
        let out = args.out;
        if out.is_dir() {
            return Err(OutputError::ReportIsFolder { out }.into());
        }
        let (Some(dir), Some(name)) = (out.parent(), out.file_name()) else {
            return Err(OutputError::ReportNotFile { out }.into());
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        emit::prepare_folder(dir)?;
        Ok(Report {
            dir: dir.to_path_buf(),
            file_name: name.to_string_lossy().into_owned(),
            scenarios,
            out,
            analysis: args.analysis,
            sensitivity_runs: args.sensitivity_runs,
            style: args.view.style,
            threads,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let seed = self.analysis.seed;
        let mut analyses: Vec<report::Analysis> = self
            .scenarios
            .iter()
            .map(|l| analyse(l, &self.analysis))
            .collect();
        if self.sensitivity_runs > 0 {
            let total: u64 = analyses
                .iter()
                .map(|a| self.sensitivity_runs * sensitivity::cells(a.scenario))
                .sum();
            let bar = Bar::new(total, self.analysis.quiet);
            for a in &mut analyses {
                a.sensitivity = Some(sensitivity::analyse(
                    a.scenario,
                    seed,
                    self.sensitivity_runs,
                    self.threads,
                    &bar,
                ));
            }
            bar.done();
        }
        let html =
            report::html::render(&analyses, seed, self.style).map_err(|e| WriteError::Draw {
                reason: e.to_string(),
            })?;
        let mut results = Results::single_file(&self.dir, &self.out);
        results.data(&self.file_name, html.as_bytes())?;
        results.commit()?;
        let line = format!(
            "wrote {} ({} scenario(s))\n",
            self.out.display(),
            analyses.len()
        );
        let changes = self.scenarios.first().map_or(&[][..], |l| &l.changes[..]);
        emit::finish(Summary::Plain(line), changes, &[], self.analysis.quiet);
        Ok(())
    }
}

pub struct Explain {
    loaded: Loaded,
    analysis: AnalysisConfig,
}

impl Explain {
    pub fn plan(args: ExplainConfig) -> Result<Explain, CliError> {
        let loaded = super::load(&args.scenario, &args.analysis.variant)?;
        check_step(&loaded.scenario, args.analysis.at)?;
        Ok(Explain {
            loaded,
            analysis: args.analysis,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let a = analyse(&self.loaded, &self.analysis);
        let text = report::text::render(&a);
        emit::finish(
            Summary::Plain(text),
            &self.loaded.changes,
            &[],
            self.analysis.quiet,
        );
        Ok(())
    }
}

fn analyse<'a>(l: &'a Loaded, args: &AnalysisConfig) -> report::Analysis<'a> {
    let tl = sim::run(&l.scenario, args.seed);
    let source = emit::warn_unless(
        args.quiet,
        scenario::source::source_text(&l.path, &l.scenario),
    )
    .flatten();
    let mut a = report::analyse(&l.scenario, tl, source.as_deref(), args.at);
    a.variant.clone_from(&l.changes);
    a
}

fn check_step(sc: &Scenario, at: Option<u32>) -> Result<(), ArgError> {
    match at {
        Some(at) if at >= sc.steps => Err(ArgError::StepBeyondHorizon {
            at,
            scenario: sc.name.clone(),
            last: sc.steps - 1,
        }),
        _ => Ok(()),
    }
}
