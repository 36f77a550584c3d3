//! `zopa run`: one seeded run, its timeline and charts.

use std::path::PathBuf;

use zopa::facts::Facts;
use zopa::sim::Timeline;
use zopa::{chart, output, sim};

use super::{Format, Loaded, Variant, View};
use crate::emit::{self, Results, Summary};
use crate::error::{ArgError, CliError};

/// How the legend names the scenario as written beneath a variant.
const WRITTEN: &str = "as written";

/// What `zopa run` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub scenario: PathBuf,
    pub seed: u64,
    pub out: Option<PathBuf>,
    pub format: Format,
    pub quiet: bool,
    pub variant: Variant,
    /// Draw the scenario as written beneath the variant.
    pub compare: bool,
    /// Write the data files only.
    pub no_charts: bool,
    /// The outcome chart's two parties, by id.
    pub outcome_pair: Option<(String, String)>,
    pub view: View,
}

pub struct Job {
    loaded: Loaded,
    /// The scenario as written, to draw beneath a `--set` variant.
    as_written: Option<zopa::model::Scenario>,
    style: chart::Style,
    /// The outcome chart's parties, if named.
    pair: Option<[usize; 2]>,
    seed: u64,
    dir: PathBuf,
    format: Format,
    quiet: bool,
    no_charts: bool,
}

impl Job {
    pub fn plan(args: Config) -> Result<Job, CliError> {
        let mut loaded = super::load(&args.scenario, &args.variant)?;
        super::frame(&mut loaded, &args.view)?;
        let as_written = if args.compare {
            let mut plain = super::load(&args.scenario, &Default::default())?;
            super::frame(&mut plain, &args.view)?;
            Some(plain.scenario)
        } else {
            None
        };
        let pair = match &args.outcome_pair {
            Some((a, b)) => Some([party(&loaded.scenario, a)?, party(&loaded.scenario, b)?]),
            None => None,
        };
        let dir = super::folder(args.out.as_deref(), &loaded.scenario);
        emit::prepare_folder(&dir)?;
        Ok(Job {
            loaded,
            as_written,
            style: args.view.style,
            pair,
            seed: args.seed,
            dir,
            format: args.format,
            quiet: args.quiet,
            no_charts: args.no_charts,
        })
    }

    pub fn execute(self) -> Result<(), CliError> {
        let sc = &self.loaded.scenario;
        let tl = sim::run(sc, self.seed);
        let facts = Facts::of(sc, &tl);
        let provenance = output::Provenance::new("run", &sc.name, self.seed, 1)
            .with_variant(&self.loaded.changes);
        let mut summary = output::summary(sc, &tl, &facts);
        summary.variant = provenance.variant.clone();
        let mut results = Results::into_folder(&self.dir);
        let ks = zopa::outcome::kalai_smorodinsky_points(sc, &tl);
        let tables = [
            ("timeline.csv", output::timeline_csv_with(sc, &tl, &ks)),
            ("parties.csv", output::long::parties_csv(sc, &tl)),
            ("issues.csv", output::long::issues_csv_with(sc, &tl, &ks)),
            ("events.csv", output::long::events_csv(sc, &tl)),
        ];
        for (name, table) in tables {
            results.data(name, provenance.stamp(&table).as_bytes())?;
        }
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        results.data("summary.json", format!("{json}\n").as_bytes())?;
        if !self.no_charts {
            self.charts(&mut results, &tl, &facts)?;
        }
        let written = results.commit()?;
        let shown = match self.format {
            Format::Text => Summary::Text(format!("{}\n", output::summary_text(sc, &tl, &facts))),
            Format::Json => Summary::Json(json_value(&summary)),
        };
        emit::finish(shown, &self.loaded.changes, &written, self.quiet);
        Ok(())
    }

    /// The run's charts, staged beside its data.
    fn charts(&self, results: &mut Results, tl: &Timeline, facts: &Facts) -> Result<(), CliError> {
        let sc = &self.loaded.scenario;
        let step = &tl.steps[facts.telling_step() as usize];
        results.figure("issues", &chart::IssuesChart(sc, step, &sc.step_unit))?;
        // Past four issues the panels fold onto further pages.
        for page in 1..chart::issues::pages(sc) {
            let figure = chart::IssuesPage(sc, step, &sc.step_unit, page);
            results.figure(&format!("issues-{}", page + 1), &figure)?;
        }
        let outcome = chart::outcome::OutcomeChart {
            scenario: sc,
            timeline: tl,
            step: step.step,
            pair: self.pair.unwrap_or_else(|| facts.outcome_pair(step)),
        };
        results.figure("outcome", &outcome)?;
        let base = self
            .as_written
            .as_ref()
            .map(|plain| sim::run(plain, self.seed));
        match (&base, self.style) {
            (_, chart::Style::Simple) => {
                results.figure("zone", &chart::simple::SimpleZone(sc, tl))?
            }
            (Some(base), _) => results.figure("zone", &chart::ZoneVersus(sc, tl, base, WRITTEN))?,
            (None, _) => results.figure("zone", &chart::ZoneChart(sc, tl))?,
        }
        match &base {
            Some(base) => results.figure("gap", &chart::GapVersus(sc, tl, base, WRITTEN)),
            None => results.figure("gap", &chart::GapChart(sc, tl)),
        }
    }
}

/// A party by id, for `--outcome-pair`.
fn party(sc: &zopa::model::Scenario, id: &str) -> Result<usize, ArgError> {
    sc.party_index(id).ok_or_else(|| ArgError::Pair {
        id: id.to_string(),
        known: sc.parties.iter().map(|p| p.id.clone()).collect(),
    })
}

/// A summary as a JSON value (summaries hold only plain data).
pub fn json_value(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
