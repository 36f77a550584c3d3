//! The `zopa` command: arguments become a checked job, the job calls the
//! library, and its results are written and printed in one place.
mod cli;
mod emit;
mod error;
mod jobs;
mod progress;
mod serve;

fn main() -> std::process::ExitCode {
    cli::main()
}
