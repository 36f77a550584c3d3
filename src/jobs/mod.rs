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
pub mod sensitivity;
pub mod sweep;
pub mod validate;

use std::path::{Path, PathBuf};

use zopa::model::{Change, Scenario, Setting};
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
            reason: reason.to_string(),
        })?;
        changes.push(change);
    }
    if let Some(p) = variant.protocol {
        let protocol: zopa::model::Protocol = p.into();
        changes.push(Change {
            path: "mediator.protocol".into(),
            from: Setting::Name(sc.protocol.name().into()),
            to: Setting::Name(protocol.name().into()),
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
    pub format: crate::cli::Format,
    pub quiet: bool,
}

impl Batched {
    /// Loads the scenario with its variant, asks `cells` how many cells of
    /// `runs` runs the job holds (where it may refuse its own arguments),
    /// refuses work above the limit unless forced, and prepares the folder.
    pub fn plan(
        scenario: &Path,
        b: crate::cli::Batch,
        runs: u64,
        cells: impl FnOnce(&Scenario) -> Result<u64, CliError>,
    ) -> Result<Batched, CliError> {
        let loaded = load(scenario, &b.variant)?;
        let n = cells(&loaded.scenario)?;
        check_work(&loaded.scenario, runs, n, b.force)?;
        let dir = folder(b.out.as_deref(), &loaded.scenario);
        crate::emit::prepare_folder(&dir)?;
        Ok(Batched {
            loaded,
            seed: b.seed,
            threads: threads(b.threads),
            dir,
            format: b.format,
            quiet: b.quiet,
        })
    }
}

/// Applies `--y-range` to the scenario's zone chart, checked against its
/// front issue's range.
pub fn frame(loaded: &mut Loaded, view: &crate::cli::View) -> Result<(), ArgError> {
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

#[cfg(test)]
mod tests {
    //! Planning a job checks its arguments against the scenario; each
    //! failure is the variant that names it, with the exit code it implies.

    use clap::Parser as _;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::error::{EXIT_INPUT, OutputError};

    fn scenario(name: &str) -> String {
        format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))
    }

    fn command(args: &[&str]) -> Command {
        let mut argv = vec!["zopa"];
        argv.extend(args);
        Cli::try_parse_from(argv).expect("clap accepts it").command
    }

    fn plan_error(args: &[&str]) -> CliError {
        let out = tempfile::tempdir().unwrap();
        let mut args = args.to_vec();
        let dir = out.path().to_str().unwrap().to_string();
        if !args.contains(&"--out") && !args.contains(&"explain") {
            args.extend(["--out", &dir]);
        }
        let result = match command(&args) {
            Command::Run(a) => run::Job::plan(a).map(|_| ()),
            Command::Mc(a) => mc::Job::plan(a).map(|_| ()),
            Command::Sweep(a) => sweep::Job::plan(a).map(|_| ()),
            Command::Explain(a) => analysis::Explain::plan(a).map(|_| ()),
            other => panic!("not planned here: {other:?}"),
        };
        let e = result.expect_err("planning refuses it");
        assert_eq!(e.exit_code(), EXIT_INPUT, "{e}");
        e
    }

    #[test]
    fn a_field_swept_twice_is_refused() {
        let sc = scenario("textbook");
        let e = plan_error(&[
            "sweep",
            &sc,
            "--vary",
            "world.pressure=0:1:3",
            "--vary",
            "world.pressure=0:1:2",
        ]);
        let CliError::Argument(ArgError::VaryTwice { path }) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(path, "world.pressure");
        assert_eq!(e.to_string(), "error: --vary names `world.pressure` twice");
    }

    #[test]
    fn three_swept_fields_are_refused() {
        let sc = scenario("textbook");
        let e = plan_error(&[
            "sweep",
            &sc,
            "--vary",
            "world.pressure=0:1:3",
            "--vary",
            "world.aid=0:1:2",
            "--vary",
            "world.noise=0:1:2",
        ]);
        assert!(
            matches!(e, CliError::Argument(ArgError::TooManyAxes)),
            "{e:?}"
        );
    }

    #[test]
    fn a_swept_path_the_scenario_lacks_suggests_the_closest() {
        let sc = scenario("textbook");
        let e = plan_error(&["sweep", &sc, "--vary", "world.presure=0:1:3"]);
        let CliError::Argument(ArgError::Vary { spec, reason }) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(spec, "world.presure=0:1:3");
        assert!(
            reason.contains("did you mean `world.pressure`?"),
            "{reason}"
        );
    }

    #[test]
    fn a_job_above_the_work_limit_needs_force() {
        let sc = scenario("budapest-cancelled");
        let e = plan_error(&["mc", &sc, "--runs", "100000000000"]);
        let CliError::Argument(ArgError::TooMuchWork { work, limit }) = e else {
            panic!("{e:?}");
        };
        assert_eq!(limit, WORK_LIMIT);
        // 52 weeks x 1e11 runs x 4 parties.
        assert_eq!(work, 52 * 100_000_000_000 * 4);
    }

    #[test]
    fn a_set_value_outside_the_fields_range_is_refused_not_clamped() {
        let sc = scenario("textbook");
        let e = plan_error(&["run", &sc, "--set", "parties.seller.reservation=1.5"]);
        let CliError::Argument(ArgError::Set { spec, reason }) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(spec, "parties.seller.reservation=1.5");
        assert!(reason.contains("outside the allowed range"), "{reason}");
    }

    #[test]
    fn a_step_beyond_the_horizon_is_refused() {
        let sc = scenario("textbook");
        let e = plan_error(&["explain", &sc, "--at", "12"]);
        let CliError::Argument(ArgError::StepBeyondHorizon { at, last, .. }) = e else {
            panic!("{e:?}");
        };
        assert_eq!((at, last), (12, 11));
    }

    #[test]
    fn an_output_folder_that_is_a_file_is_refused_before_any_work() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let sc = scenario("textbook");
        let e = plan_error(&["run", &sc, "--out", file.path().to_str().unwrap()]);
        assert!(
            matches!(e, CliError::Output(OutputError::IsFile { .. })),
            "{e:?}"
        );
    }

    #[test]
    fn a_y_range_outside_the_front_issue_is_refused() {
        let sc = scenario("textbook");
        let e = plan_error(&["run", &sc, "--y-range", "2:18"]);
        let CliError::Argument(ArgError::YRange { issue, max, .. }) = &e else {
            panic!("{e:?}");
        };
        assert_eq!((issue.as_str(), *max), ("price", 10.0));
    }

    #[test]
    fn a_bad_scenario_is_reported_with_all_its_problems() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        let text = std::fs::read_to_string(scenario("textbook"))
            .unwrap()
            .replacen("steps = 12", "steps = 0", 1)
            .replacen("reservation = 0.4", "reservation = 1.4", 1);
        std::fs::write(&path, text).unwrap();
        let e = plan_error(&["run", path.to_str().unwrap()]);
        let CliError::Scenarios(files) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].problems.len(), 2);
    }

    #[test]
    fn malformed_flags_are_refused_by_clap_with_exit_code_2() {
        for args in [
            vec!["sweep", "x.toml", "--vary", "world.pressure=1:2"],
            vec!["sweep", "x.toml", "--vary", "a=0:1:3", "--shard", "4/3"],
            vec!["mc", "x.toml", "--threads", "0"],
            vec!["mc", "x.toml", "--runs", "0"],
            vec!["run", "x.toml", "--set", "parties.a.reservation"],
            vec!["run", "x.toml", "--y-range", "8:2"],
        ] {
            let mut argv = vec!["zopa"];
            argv.extend(&args);
            let e = Cli::try_parse_from(argv).expect_err("clap refuses it");
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}"
            );
            assert_eq!(e.exit_code(), i32::from(EXIT_INPUT), "{args:?}");
        }
    }
}
