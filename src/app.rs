//! The program: the flags as parsed (`crate::cli`) become each command's
//! configuration, the command runs (a job of `crate::jobs`, or the server),
//! and a failure is printed with its exit code.
//!
//! This is the only module that knows both the flag parser and the jobs,
//! so neither depends on the other: the command line parses, the jobs
//! decide, the library computes.

use std::process::ExitCode;

use clap::Parser as _;
use zopa::chart::Style;
use zopa::model::Protocol;

use crate::cli::{self, Cli, Command};
use crate::error::CliError;
use crate::jobs::{self, analysis, lesson, mc, run, sensitivity, sweep, validate, value};
use crate::serve;

/// Parses the command line, runs the command, and turns its result into
/// the process's exit code.
pub fn main() -> ExitCode {
    match dispatch(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let message = e.to_string();
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn dispatch(command: Command) -> Result<(), CliError> {
    match command {
        Command::Run(args) => run::Job::plan(args.into()).and_then(run::Job::execute),
        Command::Mc(args) => mc::Job::plan(args.into()).and_then(mc::Job::execute),
        Command::Sweep(args) => sweep::Job::plan(args.into()).and_then(sweep::Job::execute),
        Command::Sensitivity(args) => {
            sensitivity::Job::plan(args.into()).and_then(sensitivity::Job::execute)
        }
        Command::Merge(args) => sweep::Merge::plan(args.into()).and_then(sweep::Merge::execute),
        Command::Report(args) => {
            analysis::Report::plan(args.into()).and_then(analysis::Report::execute)
        }
        Command::Explain(args) => {
            analysis::Explain::plan(args.into()).and_then(analysis::Explain::execute)
        }
        Command::Lesson(args) => lesson::Job::plan(args.into()).and_then(lesson::Job::execute),
        Command::Validate(args) => validate::execute(&args.into()),
        Command::Value(args) => value::Job::plan(args.into()).and_then(value::Job::execute),
        Command::Serve(args) => serve::main(args.into()),
    }
}

impl From<cli::ProtocolArg> for Protocol {
    fn from(p: cli::ProtocolArg) -> Self {
        match p {
            cli::ProtocolArg::Mediated => Protocol::Mediated,
            cli::ProtocolArg::AlternatingOffers => Protocol::AlternatingOffers,
        }
    }
}

impl From<cli::ChartStyle> for Style {
    fn from(s: cli::ChartStyle) -> Self {
        match s {
            cli::ChartStyle::Detailed => Style::Detailed,
            cli::ChartStyle::Simple => Style::Simple,
        }
    }
}

impl From<cli::Format> for jobs::Format {
    fn from(f: cli::Format) -> Self {
        match f {
            cli::Format::Text => jobs::Format::Text,
            cli::Format::Json => jobs::Format::Json,
        }
    }
}

impl From<cli::Variant> for jobs::Variant {
    fn from(v: cli::Variant) -> Self {
        jobs::Variant {
            set: v.set,
            protocol: v.protocol.map(Into::into),
        }
    }
}

impl From<cli::View> for jobs::View {
    fn from(v: cli::View) -> Self {
        jobs::View {
            y_range: v.y_range,
            style: v.style.into(),
        }
    }
}

impl From<cli::Batch> for jobs::Batch {
    fn from(b: cli::Batch) -> Self {
        jobs::Batch {
            seed: b.seed,
            threads: b.threads,
            out: b.out,
            format: b.format.into(),
            quiet: b.quiet,
            force: b.force,
            variant: b.variant.into(),
        }
    }
}

impl From<cli::RunArgs> for run::Config {
    fn from(a: cli::RunArgs) -> Self {
        run::Config {
            scenario: a.scenario,
            seed: a.seed,
            out: a.out,
            format: a.format.into(),
            quiet: a.quiet,
            variant: a.variant.into(),
            compare: a.compare,
            no_charts: a.no_charts,
            outcome_pair: a.outcome_pair,
            view: a.view.into(),
        }
    }
}

impl From<cli::McArgs> for mc::Config {
    fn from(a: cli::McArgs) -> Self {
        mc::Config {
            scenario: a.scenario,
            runs: a.runs,
            per_run: a.per_run,
            batch: a.batch.into(),
        }
    }
}

impl From<cli::SweepArgs> for sweep::Config {
    fn from(a: cli::SweepArgs) -> Self {
        sweep::Config {
            scenario: a.scenario,
            vary: a.vary,
            runs: a.runs,
            shard: a.shard,
            per_run: a.per_run,
            batch: a.batch.into(),
        }
    }
}

impl From<cli::SensitivityArgs> for sensitivity::Config {
    fn from(a: cli::SensitivityArgs) -> Self {
        sensitivity::Config {
            scenario: a.scenario,
            runs: a.runs,
            top: a.top,
            step: a.step,
            batch: a.batch.into(),
        }
    }
}

impl From<cli::MergeArgs> for sweep::MergeConfig {
    fn from(a: cli::MergeArgs) -> Self {
        sweep::MergeConfig {
            shards: a.shards,
            out: a.out,
            quiet: a.quiet,
        }
    }
}

impl From<cli::AnalysisArgs> for analysis::AnalysisConfig {
    fn from(a: cli::AnalysisArgs) -> Self {
        analysis::AnalysisConfig {
            seed: a.seed,
            at: a.at,
            quiet: a.quiet,
            variant: a.variant.into(),
        }
    }
}

impl From<cli::ReportArgs> for analysis::ReportConfig {
    fn from(a: cli::ReportArgs) -> Self {
        analysis::ReportConfig {
            scenarios: a.scenarios,
            out: a.out,
            sensitivity_runs: a.sensitivity_runs,
            force: a.force,
            threads: a.threads,
            analysis: a.analysis.into(),
            view: a.view.into(),
        }
    }
}

impl From<cli::LessonArgs> for lesson::Config {
    fn from(a: cli::LessonArgs) -> Self {
        lesson::Config {
            scenario: a.scenario,
            out: a.out,
            level: match a.level {
                cli::LevelArg::Basic => zopa::report::lesson::Level::Basic,
                cli::LevelArg::Advanced => zopa::report::lesson::Level::Advanced,
            },
            seed: a.seed,
            quiet: a.quiet,
        }
    }
}

impl From<cli::ExplainArgs> for analysis::ExplainConfig {
    fn from(a: cli::ExplainArgs) -> Self {
        analysis::ExplainConfig {
            scenario: a.scenario,
            analysis: a.analysis.into(),
        }
    }
}

impl From<cli::ValueArgs> for value::Config {
    fn from(a: cli::ValueArgs) -> Self {
        value::Config {
            scenario: a.scenario,
            at: a.at,
            step: a.step,
            seed: a.seed,
            format: a.format.into(),
        }
    }
}

impl From<cli::ValidateArgs> for validate::Config {
    fn from(a: cli::ValidateArgs) -> Self {
        validate::Config {
            files: a.files,
            quiet: a.quiet,
        }
    }
}

impl From<cli::ServeArgs> for serve::Config {
    fn from(a: cli::ServeArgs) -> Self {
        serve::Config {
            scenarios: a.scenarios,
            port: a.port,
            host: a.host,
            class: a.class,
            state: a.state,
            seed: a.seed,
            quiet: a.quiet,
        }
    }
}

#[cfg(test)]
mod tests {
    //! Planning a job, from the command line as a user types it, checks
    //! its arguments against the scenario; each failure is the variant that
    //! names it, with the exit code it implies.

    use clap::Parser as _;

    use super::*;
    use crate::error::{ArgError, EXIT_INPUT, OutputError};
    use crate::jobs::WORK_LIMIT_SECONDS;

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
            Command::Run(a) => run::Job::plan(a.into()).map(|_| ()),
            Command::Mc(a) => mc::Job::plan(a.into()).map(|_| ()),
            Command::Sweep(a) => sweep::Job::plan(a.into()).map(|_| ()),
            Command::Explain(a) => analysis::Explain::plan(a.into()).map(|_| ()),
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
        let CliError::Argument(ArgError::TooMuchWork {
            steps,
            issues,
            parties,
            seconds,
            limit,
            ..
        }) = e
        else {
            panic!("{e:?}");
        };
        assert_eq!(limit, WORK_LIMIT_SECONDS);
        // 52 weeks x 1e11 runs, 3 issues and 4 parties.
        assert_eq!((steps, issues, parties), (52 * 100_000_000_000, 3, 4));
        assert_eq!(seconds, steps as f64 * crate::jobs::step_seconds(3, 4));
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
    fn more_than_four_threads_per_core_are_refused_before_the_scenario_is_read() {
        let e = plan_error(&["mc", "no-such-file.toml", "--threads", "100000"]);
        let CliError::Argument(ArgError::TooManyThreads {
            asked, per_core, ..
        }) = e
        else {
            panic!("{e:?}");
        };
        assert_eq!((asked, per_core), (100_000, jobs::THREADS_PER_CORE));
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
