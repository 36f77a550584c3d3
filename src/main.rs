//! The `zopa` command: arguments become a checked job, the job calls the
//! library, and its results are written and printed in one place.
mod app;
mod cli;
mod emit;
mod error;
mod jobs;
mod progress;
mod serve;

fn main() -> std::process::ExitCode {
    app::main()
}
