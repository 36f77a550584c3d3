//! Command-line definitions and the thin glue from them to the library.
//!
//! Every command first turns its arguments and files into validated values,
//! and only then does any work or writes anything.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use zopa::chart;
use zopa::model::Scenario;
use zopa::output;
use zopa::report;
use zopa::scenario;
use zopa::sim;

/// Prints a line to standard output. A reader that has gone away (`zopa
/// ... | head`) ends the program quietly instead of with a panic.
macro_rules! say {
    () => { emit("\n") };
    ($($arg:tt)*) => { emit(&format!("{}\n", format_args!($($arg)*))) };
}

/// Prints to standard output without adding a newline (see `say!`).
macro_rules! say_raw {
    ($($arg:tt)*) => { emit(&format!($($arg)*)) };
}

fn emit(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// Exit code for bad input: a scenario file or an argument that cannot be used.
pub const EXIT_INPUT: u8 = 2;
/// Exit code for a failure while writing results.
pub const EXIT_IO: u8 = 1;

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
parties.<id>.ideal.<issue>, parties.<id>.<knob>, mediator.perception_noise,
events.<n>.probability (n counts events in the file from 1).")]
    Sweep(SweepArgs),
    /// Join the shard files of a sweep into its full table and chart
    #[command(after_help = "Examples:
  zopa merge out/budapest-cancelled/sweep-shard-*-of-4.csv
  zopa merge results/*.csv --out results/whole")]
    Merge {
        /// Shard files written by `zopa sweep --shard K/N`, all N of them
        #[arg(required = true, value_name = "SHARD")]
        shards: Vec<PathBuf>,
        /// Folder for the results [default: the folder of the first shard]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print nothing but errors
        #[arg(long, short)]
        quiet: bool,
    },
    /// Write a self-contained HTML report of one or more scenarios for a class
    #[command(after_help = "Examples:
  zopa report scenarios/budapest-cancelled.toml
  zopa report scenarios/*.toml --out handout.html
  zopa report scenarios/freeze-the-front.toml --at 10 --seed 3")]
    Report {
        /// Scenario files (TOML); several give a side-by-side comparison
        #[arg(required = true, value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        /// The HTML file to write
        #[arg(long, value_name = "FILE", default_value = "out/report.html")]
        out: PathBuf,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Tell the story of a run in the terminal, and what would open the zone
    #[command(after_help = "Examples:
  zopa explain scenarios/budapest-cancelled.toml
  zopa explain scenarios/donetsk-split.toml --at 5")]
    Explain {
        /// Scenario file (TOML)
        #[arg(value_name = "SCENARIO")]
        scenario: PathBuf,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Check scenario files and report every problem found
    #[command(after_help = "Examples:
  zopa validate scenarios/*.toml
  zopa validate my-scenario.toml")]
    Validate {
        /// Scenario files to check
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print only problems
        #[arg(long, short)]
        quiet: bool,
    },
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
}

#[derive(clap::Args, Debug)]
pub struct McArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Number of runs
    #[arg(long, default_value_t = 10_000)]
    pub runs: u64,
    #[command(flatten)]
    pub batch: Batch,
}

/// What every many-run command takes.
#[derive(clap::Args, Debug)]
pub struct Batch {
    /// Seed; run i draws from stream (seed, i) whatever thread or shard runs it
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads [default: the number of cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder for the results [default: out/<scenario name>]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How to print the result
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print nothing but errors (and no progress bar)
    #[arg(long, short)]
    pub quiet: bool,
    /// Allow a job larger than the safety limit (steps x runs x cells x parties)
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// Scenario file (TOML)
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// A field to sweep: PATH=FROM:TO:STEPS (once or twice)
    #[arg(long, required = true, value_name = "PATH=FROM:TO:STEPS")]
    pub vary: Vec<String>,
    /// Runs per cell (every cell uses the same run streams)
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
    /// Run only shard K of N (cells whose index modulo N is K - 1)
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub batch: Batch,
}

/// Steps × runs × cells × parties above which a job needs `--force`: about
/// half an hour of work on one core, and a likely typo (an extra zero) when
/// unintended.
pub const WORK_LIMIT: u64 = 20_000_000_000;

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
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// A failure that ends the command, with its exit code.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_INPUT,
            message: message.into(),
        }
    }
    fn io(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_IO,
            message: message.into(),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(&args),
        Command::Validate { files, quiet } => validate(&files, quiet),
        Command::Mc(args) => monte_carlo(&args),
        Command::Sweep(args) => sweep(&args),
        Command::Merge { shards, out, quiet } => merge(&shards, out.as_deref(), quiet),
        Command::Report {
            scenarios,
            out,
            analysis,
        } => report(&scenarios, &out, &analysis),
        Command::Explain { scenario, analysis } => explain(&scenario, &analysis),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprint!("{}", f.message);
            if !f.message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(f.code)
        }
    }
}

fn load(path: &Path) -> Result<Scenario, Failure> {
    scenario::load(path).map_err(|e| Failure::input(e.to_string()))
}

fn validate(files: &[PathBuf], quiet: bool) -> Result<(), Failure> {
    let mut report = String::new();
    let mut bad = 0;
    for f in files {
        match scenario::load(f) {
            Ok(sc) => {
                if !quiet {
                    say!(
                        "ok: {} ({}, {} parties, {} issues, {} steps)",
                        f.display(),
                        sc.name,
                        sc.parties.len(),
                        sc.issues.len(),
                        sc.steps
                    );
                }
            }
            Err(e) => {
                bad += 1;
                report.push_str(&e.to_string());
                report.push('\n');
            }
        }
    }
    if bad == 0 {
        return Ok(());
    }
    report.push_str(&format!("{bad} of {} file(s) have problems\n", files.len()));
    Err(Failure::input(report))
}

/// Checks that results can be written to `dir` before any work is done.
pub fn prepare_out_dir(dir: &Path) -> Result<(), Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::input(format!(
            "error: --out {} is an existing file, not a folder\n  = help: choose a folder name; zopa creates it if needed",
            dir.display()
        )));
    }
    // A folder that cannot be used is the user's choice to correct, so it is
    // reported as bad input, before any work is done.
    let unusable = |what: &str, e: std::io::Error| {
        Failure::input(format!(
            "error: cannot {what} the output folder {}: {e}\n  = help: choose another --out",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(|e| unusable("create", e))?;
    let probe = output::temp_name(&dir.join("probe"));
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| unusable("write into", e))
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let sc = load(&args.scenario)?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(&sc.name));
    prepare_out_dir(&dir)?;

    let tl = sim::run(&sc, args.seed);

    // Everything is staged under temporary names first, then renamed into
    // place, so a failure or an interruption leaves no half-written result.
    let fail = |e: &dyn std::fmt::Display| {
        Failure::io(format!(
            "error: writing results into {} failed: {e}",
            dir.display()
        ))
    };
    let mut staged = output::Staged::new(&dir);
    staged
        .data("timeline.csv", output::timeline_csv(&sc, &tl).as_bytes())
        .map_err(|e| fail(&e))?;
    staged
        .figure("zone", &chart::ZoneChart(&sc, &tl))
        .map_err(|e| fail(&e))?;
    staged
        .figure("gap", &chart::GapChart(&sc, &tl))
        .map_err(|e| fail(&e))?;
    let written = staged.commit().map_err(|e| fail(&e))?;

    if args.quiet {
        return Ok(());
    }
    match args.format {
        Format::Text => {
            say_raw!("{}", output::summary_text(&sc, &tl));
            say!();
            for w in &written {
                say!("wrote {}", w.display());
            }
        }
        Format::Json => {
            let mut value = serde_json::to_value(output::summary(&sc, &tl))
                .map_err(|e| Failure::io(e.to_string()))?;
            value["files"] = written.iter().map(|w| w.display().to_string()).collect();
            say!(
                "{}",
                serde_json::to_string_pretty(&value).map_err(|e| Failure::io(e.to_string()))?
            );
        }
    }
    Ok(())
}

/// The text of a scenario's source document, looked up beside the working
/// folder, then beside the folder holding the scenario's folder (the layout
/// of this repository: scenarios/ next to seeds/), then beside the file.
fn source_text(scenario: &Path, sc: &Scenario) -> Option<String> {
    if sc.source.is_empty() {
        return None;
    }
    let dir = scenario.parent().unwrap_or(Path::new("."));
    let candidates = [
        PathBuf::from(&sc.source),
        dir.join("..").join(&sc.source),
        dir.join(&sc.source),
    ];
    candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
}

fn check_step(sc: &Scenario, at: Option<u32>) -> Result<(), Failure> {
    match at {
        Some(t) if t >= sc.steps => Err(Failure::input(format!(
            "error: --at {t} is beyond the horizon of {} (steps 0 to {})",
            sc.name,
            sc.steps - 1
        ))),
        _ => Ok(()),
    }
}

fn report(paths: &[PathBuf], out: &Path, args: &AnalysisArgs) -> Result<(), Failure> {
    // Every file is checked before any work, and all problems are shown.
    let mut loaded = Vec::new();
    let mut problems = String::new();
    for p in paths {
        match scenario::load(p) {
            Ok(sc) => loaded.push((p, sc)),
            Err(e) => problems.push_str(&format!("{e}\n")),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::input(problems));
    }
    for (_, sc) in &loaded {
        check_step(sc, args.at)?;
    }
    if out.is_dir() {
        return Err(Failure::input(format!(
            "error: --out {} is a folder; name the HTML file to write, e.g. {}/report.html",
            out.display(),
            out.display()
        )));
    }
    let (Some(dir), Some(name)) = (out.parent(), out.file_name()) else {
        return Err(Failure::input(format!(
            "error: --out {} does not name a file",
            out.display()
        )));
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    prepare_out_dir(dir)?;
    let analyses: Vec<report::Analysis> = loaded
        .iter()
        .map(|(p, sc)| {
            let tl = sim::run(sc, args.seed);
            report::analyse(sc, tl, source_text(p, sc).as_deref(), args.at)
        })
        .collect();
    let html = report::html::render(&analyses, args.seed)
        .map_err(|e| Failure::io(format!("error: drawing the report failed: {e}")))?;
    let fail = |e: &dyn std::fmt::Display| {
        Failure::io(format!("error: cannot write {}: {e}", out.display()))
    };
    let mut staged = output::Staged::new(dir);
    staged
        .data(&name.to_string_lossy(), html.as_bytes())
        .map_err(|e| fail(&e))?;
    staged.commit().map_err(|e| fail(&e))?;
    if !args.quiet {
        say!("wrote {} ({} scenario(s))", out.display(), analyses.len());
    }
    Ok(())
}

fn explain(path: &Path, args: &AnalysisArgs) -> Result<(), Failure> {
    let sc = load(path)?;
    check_step(&sc, args.at)?;
    let tl = sim::run(&sc, args.seed);
    let analysis = report::analyse(&sc, tl, source_text(path, &sc).as_deref(), args.at);
    if !args.quiet {
        say_raw!("{}", report::text::render(&analysis));
    }
    Ok(())
}

fn threads(requested: Option<usize>) -> Result<usize, Failure> {
    match requested {
        Some(0) => Err(Failure::input("error: --threads must be at least 1")),
        Some(t) => Ok(t),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

fn check_work(sc: &Scenario, runs: u64, cells: u64, force: bool) -> Result<(), Failure> {
    let work = u64::from(sc.steps)
        .saturating_mul(runs)
        .saturating_mul(cells)
        .saturating_mul(sc.parties.len() as u64);
    if runs == 0 {
        return Err(Failure::input("error: --runs must be at least 1"));
    }
    if work > WORK_LIMIT && !force {
        return Err(Failure::input(format!(
            "error: this job is {work} party-steps (steps x runs x cells x parties), above the limit of {WORK_LIMIT}\n  = help: lower --runs, or pass --force if you mean it"
        )));
    }
    Ok(())
}

fn monte_carlo(args: &McArgs) -> Result<(), Failure> {
    let sc = load(&args.scenario)?;
    let threads = threads(args.batch.threads)?;
    check_work(&sc, args.runs, 1, args.batch.force)?;
    let dir = args
        .batch
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(&sc.name));
    prepare_out_dir(&dir)?;

    let started = std::time::Instant::now();
    let tally = crate::progress::watch(args.runs, "runs", args.batch.quiet, |done| {
        zopa::mc::simulate(&sc, args.batch.seed, args.runs, threads, done)
    });
    let elapsed = started.elapsed();
    let summary = output::mc::summary(&sc, args.batch.seed, &tally);

    let fail = |e: &dyn std::fmt::Display| {
        Failure::io(format!(
            "error: writing results into {} failed: {e}",
            dir.display()
        ))
    };
    let mut staged = output::Staged::new(&dir);
    staged
        .data("mc.csv", output::mc::table(&tally).as_bytes())
        .map_err(|e| fail(&e))?;
    let json = serde_json::to_string_pretty(&summary).map_err(|e| fail(&e))?;
    staged
        .data("mc-summary.json", format!("{json}\n").as_bytes())
        .map_err(|e| fail(&e))?;
    staged
        .figure("mc-probability", &chart::mc::McProbability(&sc, &tally))
        .map_err(|e| fail(&e))?;
    staged
        .figure("mc-gap-fan", &chart::mc::McFan(&sc, &tally))
        .map_err(|e| fail(&e))?;
    let written = staged.commit().map_err(|e| fail(&e))?;

    if args.batch.quiet {
        return Ok(());
    }
    match args.batch.format {
        Format::Text => {
            say_raw!("{}", output::mc::summary_text(&sc, &summary));
            say!(
                "\n{} runs in {:.2} s on {threads} thread(s) ({:.0} runs/s)",
                args.runs,
                elapsed.as_secs_f64(),
                args.runs as f64 / elapsed.as_secs_f64()
            );
            for w in &written {
                say!("wrote {}", w.display());
            }
        }
        Format::Json => {
            let mut value =
                serde_json::to_value(&summary).map_err(|e| Failure::io(e.to_string()))?;
            value["files"] = written.iter().map(|w| w.display().to_string()).collect();
            say!(
                "{}",
                serde_json::to_string_pretty(&value).map_err(|e| Failure::io(e.to_string()))?
            );
        }
    }
    Ok(())
}

fn parse_shard(spec: &str) -> Result<(usize, usize), Failure> {
    let bad = || {
        Failure::input(format!(
            "error: --shard `{spec}` is not K/N with 1 <= K <= N, e.g. --shard 2/8"
        ))
    };
    let (k, n) = spec.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    use zopa::output::sweep::{self as sweep_out, Meta};
    let sc = load(&args.scenario)?;
    if args.vary.len() > 2 {
        return Err(Failure::input(
            "error: at most two --vary fields (a line chart for one, a heatmap for two)",
        ));
    }
    let mut axes = Vec::new();
    let mut targets = Vec::new();
    for spec in &args.vary {
        let (axis, target) = zopa::sweep::parse_axis(spec, &sc)
            .map_err(|e| Failure::input(format!("error: --vary {spec}: {e}")))?;
        if targets.contains(&target) {
            return Err(Failure::input(format!(
                "error: --vary names `{}` twice",
                axis.path
            )));
        }
        axes.push(axis);
        targets.push(target);
    }
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let threads = threads(args.batch.threads)?;
    let total_cells: usize = axes.iter().map(|a| a.steps).product();
    let my_cells = (0..total_cells)
        .filter(|&c| shard.is_none_or(|s| zopa::sweep::in_shard(c, s)))
        .count() as u64;
    check_work(&sc, args.runs, my_cells.max(1), args.batch.force)?;
    let dir = args
        .batch
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(&sc.name));
    prepare_out_dir(&dir)?;

    let started = std::time::Instant::now();
    let plan = zopa::sweep::Plan {
        axes,
        targets,
        seed: args.batch.seed,
        runs: args.runs,
        shard,
    };
    let cells = crate::progress::watch(my_cells * args.runs, "runs", args.batch.quiet, |done| {
        zopa::sweep::run(&sc, &plan, threads, done)
    });
    let axes = plan.axes;
    let meta = Meta {
        scenario: sc.name.clone(),
        title: sc.title.clone(),
        steps: sc.steps,
        step_unit: sc.step_unit.clone(),
        seed: args.batch.seed,
        runs: args.runs,
        axes,
        shard,
    };
    let fail = |e: &dyn std::fmt::Display| {
        Failure::io(format!(
            "error: writing results into {} failed: {e}",
            dir.display()
        ))
    };
    let mut staged = output::Staged::new(&dir);
    match shard {
        Some((k, n)) => staged
            .data(
                &format!("sweep-shard-{k}-of-{n}.csv"),
                sweep_out::shard_file(&meta, &cells).as_bytes(),
            )
            .map_err(|e| fail(&e))?,
        None => stage_sweep(&mut staged, &meta, &cells).map_err(|e| fail(&e))?,
    }
    let written = staged.commit().map_err(|e| fail(&e))?;
    report_sweep(
        &meta,
        &cells,
        &written,
        args.batch.format,
        args.batch.quiet,
        Some(started.elapsed()),
    )
}

fn stage_sweep(
    staged: &mut output::Staged,
    meta: &zopa::output::sweep::Meta,
    cells: &[zopa::sweep::Cell],
) -> Result<(), output::StageError> {
    staged.data(
        "sweep.csv",
        zopa::output::sweep::table(meta, cells).as_bytes(),
    )?;
    if meta.axes.len() == 1 {
        staged.figure("sweep", &chart::sweep::SweepLine(meta, cells))
    } else {
        staged.figure("sweep", &chart::sweep::SweepHeat(meta, cells))
    }
}

fn report_sweep(
    meta: &zopa::output::sweep::Meta,
    cells: &[zopa::sweep::Cell],
    written: &[PathBuf],
    format: Format,
    quiet: bool,
    elapsed: Option<std::time::Duration>,
) -> Result<(), Failure> {
    if quiet {
        return Ok(());
    }
    match format {
        Format::Text => {
            let values = zopa::sweep::grid(&meta.axes);
            let names: Vec<&str> = meta.axes.iter().map(|a| a.path.as_str()).collect();
            say!(
                "{} ({}): {} cells x {} runs, seed {}",
                meta.title,
                meta.scenario,
                cells.len(),
                meta.runs,
                meta.seed
            );
            say!(
                "{:<40} {:>8} {:>8}",
                names.join(" x "),
                "P(zone)",
                "P(deal)"
            );
            for c in cells.iter().take(40) {
                let v: Vec<String> = values[c.index].iter().map(|x| format!("{x:.4}")).collect();
                let n = c.runs.max(1) as f64;
                say!(
                    "{:<40} {:>7.1}% {:>7.1}%",
                    v.join(" x "),
                    100.0 * c.zone as f64 / n,
                    100.0 * c.deal as f64 / n
                );
            }
            if cells.len() > 40 {
                say!("... {} more cells in the table", cells.len() - 40);
            }
            if let Some(e) = elapsed {
                say!(
                    "\n{} runs in {:.2} s",
                    cells.len() as u64 * meta.runs,
                    e.as_secs_f64()
                );
            }
            for w in written {
                say!("wrote {}", w.display());
            }
        }
        Format::Json => {
            let value = serde_json::json!({
                "meta": meta,
                "cells": cells,
                "files": written.iter().map(|w| w.display().to_string()).collect::<Vec<_>>(),
            });
            say!(
                "{}",
                serde_json::to_string_pretty(&value).map_err(|e| Failure::io(e.to_string()))?
            );
        }
    }
    Ok(())
}

fn merge(paths: &[PathBuf], out: Option<&Path>, quiet: bool) -> Result<(), Failure> {
    let mut shards = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p)
            .map_err(|e| Failure::input(format!("error: cannot read {}: {e}", p.display())))?;
        let (meta, cells) = zopa::output::sweep::parse_shard(&text)
            .map_err(|e| Failure::input(format!("error: {}: {e}", p.display())))?;
        shards.push((p.display().to_string(), meta, cells));
    }
    let (meta, cells) =
        zopa::output::sweep::merge(shards).map_err(|e| Failure::input(format!("error: {e}")))?;
    let dir = out.map(Path::to_path_buf).unwrap_or_else(|| {
        paths[0]
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    });
    prepare_out_dir(&dir)?;
    let fail = |e: &dyn std::fmt::Display| {
        Failure::io(format!(
            "error: writing results into {} failed: {e}",
            dir.display()
        ))
    };
    let mut staged = output::Staged::new(&dir);
    stage_sweep(&mut staged, &meta, &cells).map_err(|e| fail(&e))?;
    let written = staged.commit().map_err(|e| fail(&e))?;
    report_sweep(&meta, &cells, &written, Format::Text, quiet, None)
}
