//! Command-line definitions: the flags and how each is parsed, nothing else.
//!
//! Each flag is parsed by clap into a typed value (a shard, a sweep axis, a
//! `--set` assignment, a thread count that cannot be zero), so a malformed
//! flag gets clap's one style of error before anything is read. This module
//! knows no job: the program (`crate::app`) turns each command's arguments
//! into its job's configuration and runs it.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use zopa::model::Assignment;
use zopa::sweep::{Axis, Shard};

#[derive(Parser, Debug)]
#[command(
    name = "zopa",
    version,
    about = "Simulate negotiation positions and chart whether a zone of possible agreement appears",
    long_about = "zopa turns a negotiation into simple agents with explicit goals, steps them \
through a scenario file, and computes at every step whether a zone of possible agreement \
exists, how far apart the parties are when it does not, and who blocks it.",
    after_help = "Examples:
  zopa run scenarios/budapest-cancelled.toml
  zopa run scenarios/textbook.toml --seed 7 --out /tmp/textbook
  zopa run scenarios/budapest-cancelled.toml --set parties.russia.breaking_pressure=0.5
  zopa run scenarios/budapest-cancelled.toml --format json --quiet
  zopa validate scenarios/*.toml

Scenario format: docs/scenario-format.md   Model: docs/model.md"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run one scenario: print a summary, write timeline.csv and the charts
    #[command(after_help = "Examples:
  zopa run scenarios/budapest-cancelled.toml
  zopa run scenarios/budapest-cancelled.toml --seed 42 --out results/baseline
  zopa run scenarios/budapest-cancelled.toml --set parties.ukraine.reservation=0.4
  zopa run scenarios/budapest-cancelled.toml --set parties.russia.breaking_pressure=0.3 --compare
  zopa run scenarios/budapest-cancelled.toml --style simple --y-range 15:25
  zopa run scenarios/textbook.toml --format json")]
    Run(RunArgs),
    /// Many runs of one scenario: probabilities of a zone and a deal per step
    #[command(after_help = "Examples:
  zopa mc scenarios/budapest-cancelled.toml --runs 100000
  zopa mc scenarios/sustained-pressure.toml --runs 1000000 --threads 2 --seed 7
  zopa mc scenarios/freeze-the-front.toml --runs 20000 --format json --quiet")]
    Mc(McArgs),
    /// Monte Carlo over a grid of one or two scenario fields
    #[command(after_help = "Examples:
  zopa sweep scenarios/budapest-cancelled.toml --vary parties.russia.pressure_sensitivity=0:1:11 --runs 2000
  zopa sweep scenarios/sustained-pressure.toml --vary world.pressure=0:1:6 --vary parties.europe.pressure_per_step=0:0.05:6 --runs 500
  zopa sweep scenarios/budapest-cancelled.toml --vary events.6.probability=0:0.2:5 --runs 1000
  zopa sweep SCENARIO --vary ... --runs 10000 --shard 2/8   (then: zopa merge out/NAME/sweep-shard-*-of-8.csv)

Fields that can be swept: world.<variable>, parties.<id>.reservation,
parties.<id>.ideal.<issue>, parties.<id>.<knob>,
parties.<id>.red_lines.<issue>.min (or .max), mediator.perception_noise,
mediator.forgetting, events.<id>.probability (or events.<n>.probability, n
counting events in the file from 1).")]
    Sweep(SweepArgs),
    /// Which assumptions carry the result: every bar, knob, event probability
    /// and starting world value moved down and up, Monte Carlo each
    #[command(after_help = "Examples:
  zopa sensitivity scenarios/budapest-cancelled.toml
  zopa sensitivity scenarios/sustained-pressure.toml --runs 5000 --top 0
  zopa sensitivity scenarios/freeze-the-front.toml --set parties.russia.breaking_pressure=0.6 --format json

Each field is moved down and up by a share of its span (--step, 0.25 unless
given; a knob's meaningful span, else its allowed range), clipped to its
allowed range; every variant runs the same streams (seed, run) as the
scenario as written, so differences come from the moved value. Writes
sensitivity.csv, sensitivity.json and the tornado chart sensitivity.svg/.png.")]
    Sensitivity(SensitivityArgs),
    /// Join the shard files of a sweep into its full table and chart
    ///
    /// When every shard wrote per-run files (`sweep --shard K/N --per-run`),
    /// they are found beside the shard files and joined into runs.csv and
    /// run-events.csv too.
    #[command(after_help = "Examples:
  zopa merge out/budapest-cancelled/sweep-shard-*-of-4.csv
  zopa merge results/sweep-shard-*.csv --out results/whole")]
    Merge(MergeArgs),
    /// Write a self-contained HTML report of one or more scenarios for a class
    #[command(after_help = "Examples:
  zopa report scenarios/budapest-cancelled.toml
  zopa report scenarios/*.toml --out handout.html
  zopa report scenarios/freeze-the-front.toml --at 10 --seed 3")]
    Report(ReportArgs),
    /// Tell the story of a run in the terminal, and what would open the zone
    #[command(after_help = "Examples:
  zopa explain scenarios/budapest-cancelled.toml
  zopa explain scenarios/donetsk-split.toml --at 5
  zopa explain scenarios/budapest-cancelled.toml --set parties.russia.breaking_pressure=0.5")]
    Explain(ExplainArgs),
    /// A lesson in one command: a slide deck, a handout and teacher notes,
    /// with the what-ifs the scenario file declares
    #[command(after_help = "Examples:
  zopa lesson scenarios/budapest-cancelled.toml
  zopa lesson scenarios/freeze-the-front.toml --level advanced --out lesson/

Open deck.html in a browser and move with the arrow keys; print
handout.html for the class. The files need no internet connection.")]
    Lesson(LessonArgs),
    /// The classroom page: move a knob and watch the zone open, or play a
    /// class game in which students hold the parties' bottom lines
    #[command(after_help = "Examples:
  zopa serve                                   (the bundled scenarios)
  zopa serve scenarios/budapest-cancelled.toml --port 8080
  zopa serve --class scenarios/budapest-cancelled.toml
  zopa serve --class scenarios/textbook.toml --host 0.0.0.0   (students on phones)

Open the address it prints. The pages need no internet connection. Ctrl-C
stops the server. With --class it also prints the teacher's address (with a
token only this terminal shows) and the join code students enter at /join.")]
    Serve(ServeArgs),
    /// What one settlement is worth to each party, and who accepts it
    #[command(after_help = "Examples:
  zopa value scenarios/textbook.toml --at price=5
  zopa value scenarios/budapest-cancelled.toml --at territory=19,sanctions=50,security=50 --step 10
  zopa value scenarios/textbook.toml --at price=3 --format json

Each party's utility of the settlement at that step of the seed's run (its
bar and red lines as they stand then), whether it accepts it, and if not
which bar or red line it refuses by, in the issues' units.")]
    Value(ValueArgs),
    /// Check scenario files and report every problem found
    #[command(after_help = "Examples:
  zopa validate scenarios/*.toml
  zopa validate my-scenario.toml")]
    Validate(ValidateArgs),
}

/// A variant of the scenario without editing its file.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Variant {
    /// Give a field another value, e.g. parties.russia.breaking_pressure=0.5,
    /// or a discrete issue's ideal an option, e.g. parties.candidate.ideal.remote=no
    /// (repeatable; the same paths as `sweep --vary`)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Assignment>,
    /// Who puts settlements on the table, whatever the file says
    #[arg(long, value_enum, value_name = "PROTOCOL")]
    pub protocol: Option<ProtocolArg>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum ProtocolArg {
    Mediated,
    AlternatingOffers,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Seed of the random streams; the same seed gives the same run
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for the results [default: out/<scenario name>]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How to print the summary
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub variant: Variant,
    /// Write the data files only: no chart
    #[arg(long, conflicts_with_all = ["compare", "outcome_pair", "y_range", "style"])]
    pub no_charts: bool,
    /// Draw the scenario as written, dashed, beneath the variant's limits
    /// and gap (needs --set)
    #[arg(long, requires = "set")]
    pub compare: bool,
    /// The two parties of the outcome chart, by id [default: the two main
    /// blockers, else the first two parties whose consent is needed]
    #[arg(long, value_name = "A,B", value_parser = pair)]
    pub outcome_pair: Option<(String, String)>,
    #[command(flatten)]
    pub view: View,
}

/// How the zone chart frames the front issue.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct View {
    /// Fix the zone chart's axis on the front issue, e.g. 15:25, so that
    /// charts of several scenarios compare [default: the scenario's
    /// [charts] y_range, else zoom on what moves]
    #[arg(long, value_name = "LOW:HIGH", value_parser = y_range)]
    pub y_range: Option<zopa::zone::Interval>,
    /// The zone chart: every party's limits and the events (detailed), or
    /// only the two limits that meet or not, on the whole issue (simple)
    #[arg(long, value_enum, default_value_t = ChartStyle::Detailed)]
    pub style: ChartStyle,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ChartStyle {
    #[default]
    Detailed,
    Simple,
}

/// `--y-range LOW:HIGH`.
fn y_range(text: &str) -> Result<zopa::zone::Interval, String> {
    let bad = || format!("`{text}` is not LOW:HIGH with LOW below HIGH, e.g. --y-range 15:25");
    let (low, high) = text.split_once(':').ok_or_else(bad)?;
    let low: f64 = low.trim().parse().map_err(|_| bad())?;
    let high: f64 = high.trim().parse().map_err(|_| bad())?;
    if !(low.is_finite() && high.is_finite() && low < high) {
        return Err(bad());
    }
    Ok(zopa::zone::Interval::new(low, high))
}

#[derive(clap::Args, Debug)]
pub struct McArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Number of runs
    #[arg(long, default_value_t = 10_000, value_parser = runs)]
    pub runs: u64,
    /// Also write runs.csv (one row per run) and run-events.csv (one row per
    /// event fired), in run order
    #[arg(long)]
    pub per_run: bool,
    #[command(flatten)]
    pub batch: Batch,
}

#[derive(clap::Args, Debug)]
pub struct SensitivityArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Runs for the scenario and for each moved field, down and up
    #[arg(long, default_value_t = 1_000, value_parser = runs)]
    pub runs: u64,
    /// Fields to print, largest effect first (0: all; the files hold all)
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// Share of each field's span it is moved by, down and up (above 0, at most 1)
    #[arg(long, value_name = "SHARE", default_value_t = zopa::sensitivity::STEP, value_parser = step_share)]
    pub step: f64,
    #[command(flatten)]
    pub batch: Batch,
}

/// What every many-run command takes.
#[derive(clap::Args, Debug)]
pub struct Batch {
    /// Seed; run i draws from stream (seed, i) whatever thread or shard runs it
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads [default: the number of cores; at most 4 per core]
    #[arg(long, value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
    /// Folder for the results [default: out/<scenario name>]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How to print the result
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print nothing but errors (and no progress bar)
    #[arg(long, short)]
    pub quiet: bool,
    /// Allow a job estimated above the safety limit (two hours of one core;
    /// a step's cost grows with the issues and the parties)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub variant: Variant,
}

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// A field to sweep: PATH=FROM:TO:STEPS (once or twice)
    #[arg(long, required = true, value_name = "PATH=FROM:TO:STEPS")]
    pub vary: Vec<Axis>,
    /// Runs per cell (every cell uses the same run streams)
    #[arg(long, default_value_t = 1000, value_parser = runs)]
    pub runs: u64,
    /// Run only shard K of N (cells whose index modulo N is K - 1)
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Also write runs.csv (one row per cell and run) and run-events.csv
    /// (one row per event fired), in cell and run order; with --shard K/N,
    /// runs-shard-K-of-N.csv and run-events-shard-K-of-N.csv, which `zopa
    /// merge` joins
    #[arg(long)]
    pub per_run: bool,
    #[command(flatten)]
    pub batch: Batch,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// Shard files written by `zopa sweep --shard K/N`, all N of them
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,
    /// Folder for the results [default: the folder of the first shard]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Scenario files (TOML); several give a side-by-side comparison
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// The HTML file to write
    #[arg(long, value_name = "FILE", default_value = "out/report.html")]
    pub out: PathBuf,
    /// Runs per variant of the sensitivity analysis (0: leave it out)
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub sensitivity_runs: u64,
    /// Allow a sensitivity analysis estimated above the safety limit (two
    /// hours of one core)
    #[arg(long)]
    pub force: bool,
    /// Worker threads for the sensitivity analysis [default: the number of
    /// cores; at most 4 per core]
    #[arg(long, value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    #[command(flatten)]
    pub view: View,
}

#[derive(clap::Args, Debug)]
pub struct LessonArgs {
    /// Scenario file (TOML); its `[[variants]]` become the what-ifs
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Folder to write deck.html, handout.html and teacher-notes.html into
    /// [default: out/<scenario name>/lesson]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// basic: the simple chart and words; advanced: the full charts
    #[arg(long, value_enum, default_value_t = LevelArg::Basic)]
    pub level: LevelArg,
    /// Seed of the random streams; the same seed gives the same lesson
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,
}

/// How much a lesson shows.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelArg {
    Basic,
    Advanced,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

#[derive(clap::Args, Debug)]
pub struct ValueArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The settlement: a value for each issue, in its units (an option's
    /// name on a yes/no or options issue: remote=yes)
    #[arg(long, value_name = "ISSUE=VALUE,...", required = true, value_delimiter = ',', value_parser = issue_value)]
    pub at: Vec<(String, String)>,
    /// The step whose bars and red lines judge it
    #[arg(long, default_value_t = 0)]
    pub step: u32,
    /// The run's seed (bars and lines may move with the world's noise)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `ISSUE=VALUE`, one issue of a settlement.
/// `ISSUE=VALUE`: the value is read against the scenario's issue later (a
/// number, or an option's name on a discrete issue).
fn issue_value(text: &str) -> Result<(String, String), String> {
    let usage = "write --at ISSUE=VALUE,ISSUE=VALUE, e.g. --at price=5";
    let (issue, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` has no `=`; {usage}"))?;
    Ok((issue.trim().to_string(), value.trim().to_string()))
}

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// Scenario files to check
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print only problems
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Scenario files to offer [default: the bundled scenarios]
    #[arg(value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; anything but loopback lets other machines in
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub host: std::net::IpAddr,
    /// Also play a class game on this scenario (teacher page and join page)
    #[arg(long, value_name = "SCENARIO")]
    pub class: Option<PathBuf>,
    /// Seed of the class game's runs
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the class game in FILE after every change, and resume it from
    /// FILE when started again
    #[arg(long, value_name = "FILE", requires = "class")]
    pub state: Option<PathBuf>,
    /// Print only the address lines
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct AnalysisArgs {
    /// Seed of the random streams; the same seed gives the same run
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Step at which to ask what would open the zone [default: the step
    /// with the smallest gap, or step 0 if the zone opened later]
    #[arg(long, value_name = "STEP")]
    pub at: Option<u32>,
    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub variant: Variant,
}

/// `--outcome-pair A,B`: two party ids.
fn pair(text: &str) -> Result<(String, String), String> {
    match text.split_once(',') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() && a.trim() != b.trim() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(format!(
            "`{text}` is not two different party ids A,B, e.g. --outcome-pair russia,ukraine"
        )),
    }
}

/// `--runs`: a whole number of at least 1.
fn runs(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("there must be at least 1 run".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number of runs")),
    }
}

/// `--step`: a share of a field's span, above 0 and at most a whole span.
fn step_share(text: &str) -> Result<f64, String> {
    let max = zopa::sensitivity::MAX_STEP;
    match text.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= max => Ok(v),
        Ok(v) => Err(format!(
            "{v} is not a share of a span: give a number above 0 and at most {max}, e.g. 0.1 for a tenth"
        )),
        Err(_) => Err(format!(
            "`{text}` is not a number; give a share such as 0.1"
        )),
    }
}

/// `--threads`: a whole number of at least 1.
fn threads(text: &str) -> Result<NonZeroUsize, String> {
    let n: usize = (text.trim().parse()).map_err(|_| format!("`{text}` is not a whole number"))?;
    NonZeroUsize::new(n).ok_or_else(|| "at least 1 thread is needed".into())
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}
