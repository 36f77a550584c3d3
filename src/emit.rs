//! What a command shows and writes, in one place: standard output that ends
//! quietly when its reader goes away, and results that are staged and then
//! committed together, followed by the list of files written.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use zopa::chart::Figure;
use zopa::model::Change;
use zopa::output::{Staged, VariantField, temp_name};

use crate::error::{CliError, OutputError, WriteError};

/// Writes to standard output. A reader that has gone away (`zopa ... |
/// head`) ends the program quietly instead of with a panic.
pub fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// The value of `result`, or `None` after printing its error to standard
/// error as a warning (unless `quiet`): for what a command can do without,
/// such as the article a narrative would quote.
pub fn warn_unless<T, E: std::fmt::Display>(quiet: bool, result: Result<T, E>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            if !quiet {
                eprintln!("warning: {e}");
            }
            None
        }
    }
}

/// Checks that results can be written to `dir` before any work is done,
/// creating it if needed.
pub fn prepare_folder(dir: &Path) -> Result<(), OutputError> {
    if dir.exists() && !dir.is_dir() {
        return Err(OutputError::IsFile {
            dir: dir.to_path_buf(),
        });
    }
    // A folder that cannot be used is the user's choice to correct, so it is
    // reported as bad input, before any work is done.
    let unusable = |action, reason| OutputError::Unusable {
        dir: dir.to_path_buf(),
        action,
        reason,
    };
    std::fs::create_dir_all(dir).map_err(|e| unusable("create", e))?;
    let probe = temp_name(&dir.join("probe"));
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| unusable("write into", e))
}

/// Results on their way into a folder: staged under temporary names, then
/// renamed into place together by [`Results::commit`]. A failure names the
/// folder (or, for a single-file result, the file).
pub struct Results {
    staged: Staged,
    fail: Box<dyn Fn(String) -> WriteError>,
}

impl Results {
    /// Results written into `dir`, which [`prepare_folder`] has checked.
    pub fn into_folder(dir: &Path) -> Results {
        let dir = dir.to_path_buf();
        Results {
            staged: Staged::new(&dir),
            fail: Box::new(move |reason| WriteError::Folder {
                dir: dir.clone(),
                reason,
            }),
        }
    }

    /// A single result file in `dir` (whose failures name `file`).
    pub fn single_file(dir: &Path, file: &Path) -> Results {
        let file = file.to_path_buf();
        Results {
            staged: Staged::new(dir),
            fail: Box::new(move |reason| WriteError::File {
                file: file.clone(),
                reason,
            }),
        }
    }

    pub fn data(&mut self, name: &str, contents: &[u8]) -> Result<(), CliError> {
        let fail = &self.fail;
        self.staged
            .data(name, contents)
            .map_err(|e| fail(e.to_string()).into())
    }

    pub fn figure(&mut self, stem: &str, figure: &impl Figure) -> Result<(), CliError> {
        let fail = &self.fail;
        zopa::chart::stage(&mut self.staged, stem, figure).map_err(|e| fail(e.to_string()).into())
    }

    /// A data file too large to hold, written as it goes and committed with
    /// the rest.
    pub fn stream(&mut self, name: &str) -> Result<std::io::BufWriter<std::fs::File>, CliError> {
        let tmp = self.staged.stage(name);
        std::fs::File::create(&tmp)
            .map(|f| std::io::BufWriter::with_capacity(1 << 16, f))
            .map_err(|e| self.failed(e))
    }

    /// A failure to write these results.
    pub fn failed(&self, e: impl std::fmt::Display) -> CliError {
        (self.fail)(e.to_string()).into()
    }

    /// Renames every staged file into place; returns the final paths.
    pub fn commit(self) -> Result<Vec<PathBuf>, CliError> {
        let fail = self.fail;
        self.staged.commit().map_err(|e| fail(e.to_string()).into())
    }
}

/// What a finished command tells the person who ran it.
pub enum Summary {
    /// Text, followed by a `wrote FILE` line per file written.
    Text(String),
    /// A JSON value, to which the files written are added as `files`.
    Json(serde_json::Value),
    /// Nothing but what the text says (e.g. the report's own line).
    Plain(String),
}

/// Prints a command's summary and the files it wrote, unless `quiet`. A
/// variant made with `--set` is named first, so no reader mistakes it for
/// the scenario as written. JSON is printed even when `quiet`: asking for it
/// is asking for data on standard output, and `--quiet` then silences only
/// the progress bar and the text around it.
pub fn finish(summary: Summary, changes: &[Change], written: &[PathBuf], quiet: bool) {
    if quiet && !matches!(summary, Summary::Json(_)) {
        return;
    }
    match summary {
        Summary::Text(text) => {
            say(&variant_text(changes));
            say(&text);
            for w in written {
                say(&format!("wrote {}\n", w.display()));
            }
        }
        Summary::Plain(text) => {
            say(&variant_text(changes));
            say(&text);
        }
        Summary::Json(mut value) => {
            value["files"] = written.iter().map(|w| w.display().to_string()).collect();
            if !changes.is_empty() && value.get("variant").is_none() {
                let fields: Vec<VariantField> = changes.iter().map(VariantField::from).collect();
                value["variant"] = serde_json::to_value(fields).unwrap_or_default();
            }
            // A JSON value always serialises.
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            say(&format!("{text}\n"));
        }
    }
}

/// "variant: parties.russia.breaking_pressure = 0.5 (the file says 0.9)".
pub fn variant_text(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            format!(
                "variant: {} = {} (the file says {})\n",
                c.path, c.to, c.from
            )
        })
        .collect()
}
