//! Everything that can end a command early, as values.
//!
//! The exit code and the message of each failure come from its variant, in
//! one place: 2 for input the user can correct (a scenario file, an
//! argument, an output folder, a shard file), 1 when results could not be
//! written. Arguments clap can check on its own (numbers, `K/N`,
//! `PATH=FROM:TO:STEPS`) never get this far: clap reports them, also with 2.

use std::fmt;
use std::path::PathBuf;

use zopa::scenario::FileErrors;

/// Exit code for bad input: a scenario file or an argument that cannot be used.
pub const EXIT_INPUT: u8 = 2;
/// Exit code for a failure while writing results.
pub const EXIT_IO: u8 = 1;

#[derive(Debug)]
pub enum CliError {
    /// Scenario files with problems (every problem of every file).
    Scenarios(Vec<FileErrors>),
    /// `zopa validate` found problems in some of the `checked` files.
    Invalid {
        files: Vec<FileErrors>,
        checked: usize,
    },
    /// An argument that does not fit the scenario it is used with.
    Argument(ArgError),
    /// An output folder or file that cannot be used.
    Output(OutputError),
    /// Shard files that cannot be merged.
    Shards(ShardError),
    /// Results could not be written.
    Write(WriteError),
    /// The classroom server could not start or stopped with an error.
    Serve(ServeError),
}

#[derive(Debug)]
pub enum ServeError {
    /// The address cannot be listened on (in use, not this machine's).
    Bind {
        addr: std::net::SocketAddr,
        reason: String,
    },
    Runtime {
        reason: String,
    },
    /// The `--state` file holds no class this server can resume.
    State {
        path: std::path::PathBuf,
        reason: String,
    },
}

impl From<ServeError> for CliError {
    fn from(e: ServeError) -> Self {
        CliError::Serve(e)
    }
}

#[derive(Debug)]
pub enum ArgError {
    /// `--at` lies beyond a scenario's horizon.
    StepBeyondHorizon {
        at: u32,
        scenario: String,
        last: u32,
    },
    /// A job estimated above the safety limit, without `--force`.
    TooMuchWork {
        /// Steps x runs x cells.
        steps: u64,
        issues: usize,
        parties: usize,
        /// One core's estimated time for the whole job.
        seconds: f64,
        limit: f64,
        /// The flag that sets the job's runs.
        runs_flag: &'static str,
    },
    /// More `--vary` fields than a chart can show.
    TooManyAxes,
    /// A `--vary` whose path does not fit the scenario.
    Vary { spec: String, reason: String },
    /// The same field given to `--vary` twice.
    VaryTwice { path: String },
    /// A `--set` whose path or value does not fit the scenario.
    Set { spec: String, reason: String },
    /// Two `--set` on the same field: the second would hide the first, and
    /// "the file says" could only name one of them.
    SetTwice { first: String, second: String },
    /// A `--y-range` outside the front issue's range.
    YRange {
        low: f64,
        high: f64,
        issue: String,
        min: f64,
        max: f64,
    },
    /// A `--at` settlement that does not fit the scenario's issues.
    Settlement { reason: String },
    /// A `--step` beyond the scenario's horizon.
    StepFlag {
        step: u32,
        scenario: String,
        last: u32,
    },
    /// An `--outcome-pair` party the scenario does not have.
    Pair { id: String, known: Vec<String> },
    /// More `--threads` than a few per core: only switching between them
    /// would grow.
    TooManyThreads {
        asked: usize,
        cores: usize,
        per_core: usize,
    },
}

#[derive(Debug)]
pub enum OutputError {
    /// `--out` names an existing file where a folder is wanted.
    IsFile { dir: PathBuf },
    /// The output folder cannot be created or written into.
    Unusable {
        dir: PathBuf,
        action: &'static str,
        reason: std::io::Error,
    },
    /// `zopa report --out` names a folder where a file is wanted.
    ReportIsFolder { out: PathBuf },
    /// `zopa report --out` names no file at all (e.g. `..`).
    ReportNotFile { out: PathBuf },
}

#[derive(Debug)]
pub enum ShardError {
    Unreadable {
        path: PathBuf,
        reason: std::io::Error,
    },
    /// Not what `zopa sweep --shard` writes.
    Invalid { path: PathBuf, reason: String },
    /// Files that do not add up to one sweep.
    Mismatch { reason: String },
}

#[derive(Debug)]
pub enum WriteError {
    /// Results could not be written into a folder.
    Folder { dir: PathBuf, reason: String },
    /// A single result file could not be written.
    File { file: PathBuf, reason: String },
    /// A chart of the report could not be drawn.
    Draw { reason: String },
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Write(_) => EXIT_IO,
            _ => EXIT_INPUT,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Scenarios(files) => {
                for (i, e) in files.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            CliError::Invalid { files, checked } => {
                for e in files {
                    writeln!(f, "{e}")?;
                }
                write!(f, "{} of {checked} file(s) have problems", files.len())
            }
            CliError::Argument(e) => e.fmt(f),
            CliError::Output(e) => e.fmt(f),
            CliError::Shards(e) => e.fmt(f),
            CliError::Write(e) => e.fmt(f),
            CliError::Serve(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Bind { addr, reason } => write!(
                f,
                "error: cannot listen on {addr}: {reason}\n  help: another program may use port {}; try --port with another number, or --port 0 for any free port",
                addr.port()
            ),
            ServeError::Runtime { reason } => write!(f, "error: the server stopped: {reason}"),
            ServeError::State { path, reason } => write!(
                f,
                "error: the class cannot be resumed from {}: {reason}",
                path.display()
            ),
        }
    }
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgError::StepBeyondHorizon { at, scenario, last } => write!(
                f,
                "error: --at {at} is beyond the horizon of {scenario} (steps 0 to {last})"
            ),
            ArgError::TooMuchWork {
                steps,
                issues,
                parties,
                seconds,
                limit,
                runs_flag,
            } => write!(
                f,
                "error: this job would take about {} of one core ({steps} steps at about {} each with {issues} issues and {parties} parties), above the limit of {}\n  = help: lower {runs_flag}, or pass --force if you mean it",
                how_long(*seconds),
                how_long(seconds / *steps as f64),
                how_long(*limit)
            ),
            ArgError::TooManyAxes => write!(
                f,
                "error: at most two --vary fields (a line chart for one, a heatmap for two)"
            ),
            ArgError::Vary { spec, reason } => write!(f, "error: --vary {spec}: {reason}"),
            ArgError::VaryTwice { path } => write!(f, "error: --vary names `{path}` twice"),
            ArgError::Settlement { reason } => write!(f, "error: --at: {reason}"),
            ArgError::StepFlag {
                step,
                scenario,
                last,
            } => write!(
                f,
                "error: --step {step} is beyond the horizon of {scenario} (steps 0 to {last})"
            ),
            ArgError::Set { spec, reason } => write!(f, "error: --set {spec}: {reason}"),
            ArgError::SetTwice { first, second } => write!(
                f,
                "error: --set {first} and --set {second} give the same field twice\n  = help: keep the one --set you mean"
            ),
            ArgError::YRange {
                low,
                high,
                issue,
                min,
                max,
            } => write!(
                f,
                "error: --y-range {low}:{high} is outside the range of `{issue}`, {min} to {max}"
            ),
            ArgError::Pair { id, known } => write!(
                f,
                "error: --outcome-pair names `{id}`, which is not a party of the scenario\nhint: its parties are {}",
                known.join(", ")
            ),
            ArgError::TooManyThreads {
                asked,
                cores,
                per_core,
            } => write!(
                f,
                "error: --threads {asked} is more than this machine can use: it has {cores} core(s), and at most {} threads ({per_core} per core) are allowed\n  = help: pass --threads {cores}, or leave --threads out for one per core",
                cores * per_core
            ),
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::IsFile { dir } => write!(
                f,
                "error: --out {} is an existing file, not a folder\n  = help: choose a folder name; zopa creates it if needed",
                dir.display()
            ),
            OutputError::Unusable {
                dir,
                action,
                reason,
            } => write!(
                f,
                "error: cannot {action} the output folder {}: {reason}\n  = help: choose another --out",
                dir.display()
            ),
            OutputError::ReportIsFolder { out } => write!(
                f,
                "error: --out {} is a folder; name the HTML file to write, e.g. {}/report.html",
                out.display(),
                out.display()
            ),
            OutputError::ReportNotFile { out } => {
                write!(f, "error: --out {} does not name a file", out.display())
            }
        }
    }
}

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardError::Unreadable { path, reason } => {
                write!(f, "error: cannot read {}: {reason}", path.display())
            }
            ShardError::Invalid { path, reason } => {
                write!(f, "error: {}: {reason}", path.display())
            }
            ShardError::Mismatch { reason } => write!(f, "error: {reason}"),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Folder { dir, reason } => write!(
                f,
                "error: writing results into {} failed: {reason}",
                dir.display()
            ),
            WriteError::File { file, reason } => {
                write!(f, "error: cannot write {}: {reason}", file.display())
            }
            WriteError::Draw { reason } => write!(f, "error: drawing the report failed: {reason}"),
        }
    }
}

impl From<ArgError> for CliError {
    fn from(e: ArgError) -> Self {
        CliError::Argument(e)
    }
}

impl From<OutputError> for CliError {
    fn from(e: OutputError) -> Self {
        CliError::Output(e)
    }
}

impl From<ShardError> for CliError {
    fn from(e: ShardError) -> Self {
        CliError::Shards(e)
    }
}

impl From<WriteError> for CliError {
    fn from(e: WriteError) -> Self {
        CliError::Write(e)
    }
}

/// A duration as a reader takes it in: in the largest unit that leaves at
/// least 1 of it (the estimate is rough, so two significant figures).
fn how_long(seconds: f64) -> String {
    let units = [
        (86_400.0, "days"),
        (3_600.0, "hours"),
        (60.0, "minutes"),
        (1.0, "s"),
        (1e-3, "ms"),
        (1e-6, "µs"),
    ];
    let (size, name) = (units.iter())
        .find(|(size, _)| seconds >= *size)
        .unwrap_or(&(1e-9, "ns"));
    let n = seconds / size;
    if n < 10.0 {
        format!("{n:.1} {name}")
    } else {
        format!("{n:.0} {name}")
    }
}
