//! Scenario files: reading, parsing and validating them into a [`Scenario`].
//!
//! This is the only part of the library that touches the file system on the
//! way in; everything after it works on the validated model.

pub mod diagnostic;
pub mod problem;
mod raw;
mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, FileErrors};
pub use problem::{
    EventProblem, FileProblem, Problem, ScenarioProblem, SyntaxProblem, ValueProblem,
};

use crate::model::Scenario;

/// Files larger than this are refused before reading: no scenario comes
/// near it, and a student who passes a data file by mistake should get an
/// answer, not a long wait.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, FileErrors> {
    let text = read(path).map_err(|d| FileErrors::new(path, None, vec![d]))?;
    let text = match String::from_utf8(text) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let d = Diagnostic::new(FileProblem::NotUtf8 { offset: at }, Some(at..at));
            return Err(FileErrors::new(path, Some(valid), vec![d]));
        }
    };
    parse(path, text)
}

/// The file's bytes, refusing folders and files too large to be scenarios.
fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let fail = |p: FileProblem| Diagnostic::new(p, None);
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(FileProblem::CannotOpen {
            reason: io_reason(&e),
        })
    })?;
    if meta.is_dir() {
        return Err(fail(FileProblem::Folder));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(FileProblem::TooLarge {
            bytes: meta.len(),
            limit: MAX_FILE_BYTES,
        }));
    }
    std::fs::read(path).map_err(|e| {
        fail(FileProblem::CannotRead {
            reason: io_reason(&e),
        })
    })
}

/// Parses and validates scenario text; `path` is only used in messages.
pub fn parse(path: &Path, text: String) -> Result<Scenario, FileErrors> {
    let file: raw::File = match toml::from_str(&text) {
        Ok(f) => f,
        Err(e) => {
            let d = Diagnostic::new(toml_problem(&e), e.span());
            return Err(FileErrors::new(path, Some(text), vec![d]));
        }
    };
    validate::validate(file).map_err(|problems| FileErrors::new(path, Some(text), problems))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Classifies a TOML/serde error by its message, keeping the names it
/// quotes so that a misspelled field can be matched to the intended one.
fn toml_problem(e: &toml::de::Error) -> SyntaxProblem {
    let message = e.message().trim().to_string();
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field") {
        let (field, expected) = ticked.split_first().map_or(("", &[][..]), |(f, r)| (*f, r));
        return SyntaxProblem::UnknownField {
            field: field.to_string(),
            expected: expected.iter().map(|s| s.to_string()).collect(),
        };
    }
    if message.starts_with("missing field") {
        let field = ticked.first().copied().unwrap_or("?").to_string();
        return SyntaxProblem::MissingField { field };
    }
    if message.starts_with("invalid type") {
        return SyntaxProblem::WrongType { message };
    }
    if message.contains("recursion") {
        return SyntaxProblem::TooDeep { message };
    }
    SyntaxProblem::NotToml { message }
}
