//! `zopa lesson`: a scenario and the what-ifs its file declares, run and
//! laid out as a slide deck, a handout and teacher notes.

use std::path::PathBuf;

use zopa::model::Scenario;
use zopa::report::lesson::{self, Level, Run};
use zopa::sim;

use super::Loaded;
use crate::emit::{self, Results, Summary};
use crate::error::{CliError, WriteError};

/// What `zopa lesson` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub scenario: PathBuf,
    pub out: Option<PathBuf>,
    pub level: Level,
    pub seed: u64,
    pub quiet: bool,
}

pub struct Job {
    loaded: Loaded,
    /// The scenario with each variant's assignments applied, in file order.
    variants: Vec<Scenario>,
    dir: PathBuf,
    level: Level,
    seed: u64,
    quiet: bool,
}

impl Job {
    pub fn plan(args: Config) -> Result<Job, CliError> {
        let loaded = super::load(&args.scenario, &Default::default())?;
        // Validation already applied every variant to a copy, so these
        // assignments cannot fail; a refusal here would be a bug, reported
        // rather than hidden.
        let mut variants = Vec::new();
        for v in &loaded.scenario.variants {
            let mut sc = loaded.scenario.clone();
            for a in &v.set {
                sc.assign(a).map_err(|e| WriteError::Draw {
                    reason: format!("variant `{}`: {}", v.title, e.headline()),
                })?;
            }
            variants.push(sc);
        }
        let dir = args
            .out
            .unwrap_or_else(|| super::folder(None, &loaded.scenario).join("lesson"));
        emit::prepare_folder(&dir)?;
        Ok(Job {
            loaded,
            variants,
            dir,
            level: args.level,
            seed: args.seed,
            quiet: args.quiet,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let sc = &self.loaded.scenario;
        let base = sim::run(sc, self.seed);
        let timelines: Vec<sim::Timeline> = self
            .variants
            .iter()
            .map(|v| sim::run(v, self.seed))
            .collect();
        let mut runs = vec![Run {
            scenario: sc,
            timeline: &base,
            what_if: None,
        }];
        for ((v, tl), declared) in self.variants.iter().zip(&timelines).zip(&sc.variants) {
            runs.push(Run {
                scenario: v,
                timeline: tl,
                what_if: Some((&declared.title, &declared.question)),
            });
        }
        let l = lesson::render(&runs, self.level).map_err(|e| WriteError::Draw {
            reason: e.to_string(),
        })?;
        let mut results = Results::into_folder(&self.dir);
        results.data("deck.html", l.deck.as_bytes())?;
        results.data("handout.html", l.handout.as_bytes())?;
        results.data("teacher-notes.html", l.notes.as_bytes())?;
        let written = results.commit()?;
        let line = format!(
            "{}: a deck, a handout and teacher notes, with {} what-if(s)\n",
            sc.title,
            self.variants.len()
        );
        emit::finish(Summary::Plain(line), &[], &written, self.quiet);
        Ok(())
    }
}
