//! `zopa validate`: every problem in every file, in file order.

use std::path::PathBuf;

use zopa::scenario;

use crate::emit;
use crate::error::CliError;

/// What `zopa validate` is asked to check.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub files: Vec<PathBuf>,
    /// Print only problems.
    pub quiet: bool,
}

pub fn execute(args: &Config) -> Result<(), CliError> {
    let mut problems = Vec::new();
    for f in &args.files {
        match scenario::load(f) {
            Ok(sc) if !args.quiet => {
                emit::say(&format!(
                    "ok: {} ({}, {} parties, {} issues, {} steps)\n",
                    f.display(),
                    sc.name,
                    sc.parties.len(),
                    sc.issues.len(),
                    sc.steps
                ));
                // Valid, but two parties a class could not tell apart on
                // the charts: said, not refused.
                // Pointed at the later party's colour, the one to change:
                // the file is read again only when there is one to point at.
                let clashes = scenario::colour::clashes(&sc);
                let text = match clashes.is_empty() {
                    true => String::new(),
                    false => std::fs::read_to_string(f).unwrap_or_default(),
                };
                for clash in clashes {
                    let id = &sc.parties[clash.second].id;
                    let at = match scenario::colour::colour_at(&text, id) {
                        Some((line, col)) => format!("{}:{line}:{col}", f.display()),
                        None => f.display().to_string(),
                    };
                    eprintln!("warning: {at}: {}", clash.message(&sc));
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(CliError::Invalid {
        files: problems,
        checked: args.files.len(),
    })
}
