//! The `zopa` command: parse arguments, call the library, print.
mod cli;
mod progress;

fn main() -> std::process::ExitCode {
    cli::main()
}
