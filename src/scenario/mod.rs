//! Scenario files: reading, parsing and validating them into a [`Scenario`].
//!
//! This is the only part of the library that touches the file system on the
//! way in; everything after it works on the validated model.

pub mod colour;
pub mod diagnostic;
pub mod edit;
mod plain_text;
pub mod problem;
mod raw;
pub mod source;
mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, FileErrors};
pub use problem::{
    BlocProblem, EventProblem, FileProblem, Problem, ScenarioProblem, SyntaxProblem, ValueProblem,
};

use crate::model::Scenario;

/// Files larger than this are refused before reading: no scenario comes
/// near it, and a student who passes a data file by mistake should get an
/// answer, not a long wait.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, FileErrors> {
    parse(path, read_text(path)?)
}

/// Reads a scenario file's text, refusing what cannot be a scenario (a
/// folder, a file too large, text that is not UTF-8). A caller that keeps
/// the text as well as the scenario reads it once here and gives it to
/// [`parse`], so the text kept is the text validated.
pub fn read_text(path: &Path) -> Result<String, FileErrors> {
    let text = read(path).map_err(|d| FileErrors::new(path, None, vec![d]))?;
    String::from_utf8(text).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let d = Diagnostic::new(FileProblem::NotUtf8 { offset: at }, Some(at..at));
        FileErrors::new(path, Some(valid), vec![d])
    })
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
///
/// A value of the wrong type would stop the parser at the first one and
/// hide everything else wrong in the file. So each such value is recorded,
/// replaced by a placeholder of the type the field wants, and the text is
/// parsed again (up to `MAX_RETYPED` times); problems found later at a
/// replaced value are dropped, as they speak of the placeholder.
pub fn parse(path: &Path, text: String) -> Result<Scenario, FileErrors> {
    let mut edited = Retyped::new(&text);
    let file: raw::File = loop {
        match toml::from_str(&edited.text) {
            Ok(f) => break f,
            Err(e) => {
                let problem = toml_problem(&e);
                let span = e.span().map(|s| edited.original(s));
                let retyped = matches!(problem, SyntaxProblem::WrongType { .. })
                    && edited.edits.len() < MAX_RETYPED
                    && e.span().is_some_and(|s| edited.retype(s, e.message()));
                edited.problems.push(Diagnostic::new(problem, span));
                if !retyped {
                    return Err(FileErrors::new(path, Some(text), edited.problems));
                }
            }
        }
    };
    let mut problems = edited.problems.clone();
    problems.extend(plain_text::problems(&text));
    // Quotes are checked only where the source can be read: a missing
    // source is a warning of its own (see `source`).
    if let Some(source) = source::find(path, &file.scenario.source) {
        problems.extend(
            validate::check_quotes(&file, &source)
                .into_iter()
                .map(|d| Diagnostic {
                    span: d.span.map(|s| edited.original(s)),
                    ..d
                }),
        );
    }
    match validate::validate(file) {
        Ok(sc) if problems.is_empty() => Ok(sc),
        Ok(_) => Err(FileErrors::new(path, Some(text), problems)),
        Err(found) => {
            problems.extend(
                found
                    .into_iter()
                    .map(|d| Diagnostic {
                        span: d.span.map(|s| edited.original(s)),
                        ..d
                    })
                    .filter(|d| !edited.touches(d.span.as_ref())),
            );
            problems.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
            Err(FileErrors::new(path, Some(text), problems))
        }
    }
}

/// Wrong-typed values replaced one by one, at most this many in a file.
const MAX_RETYPED: usize = 32;

/// The scenario text with wrong-typed values replaced by placeholders, and
/// how to map a span of it back to the text as written.
struct Retyped {
    text: String,
    /// (start in the edited text, length removed, length inserted), in
    /// order of position once applied.
    edits: Vec<(usize, usize, usize)>,
    problems: Vec<Diagnostic>,
}

impl Retyped {
    fn new(text: &str) -> Retyped {
        Retyped {
            text: text.to_string(),
            edits: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Replaces the value at `span` (of the edited text) by a placeholder
    /// of the type TOML's `message` says the field expects; false when the
    /// expected type is not one a placeholder can stand for.
    fn retype(&mut self, span: std::ops::Range<usize>, message: &str) -> bool {
        let expected = message.rsplit("expected ").next().unwrap_or("");
        let placeholder = match expected.trim() {
            "f64" | "i64" | "u32" | "u64" | "a number" => "0",
            "a boolean" => "true",
            "a string" => "\"\"",
            "a map" => "{}",
            "a sequence" => "[]",
            _ => return false,
        };
        if span.end > self.text.len()
            || !self.text.is_char_boundary(span.start)
            || !self.text.is_char_boundary(span.end)
        {
            return false;
        }
        self.text.replace_range(span.clone(), placeholder);
        self.edits.push((span.start, span.len(), placeholder.len()));
        true
    }

    /// A position of the edited text in the text as written.
    fn original_at(&self, at: usize) -> usize {
        let mut at = at as isize;
        // Undo the edits from the last to the first.
        for &(start, removed, inserted) in self.edits.iter().rev() {
            if at as usize >= start + inserted {
                at += removed as isize - inserted as isize;
            } else if at as usize > start {
                at = start as isize;
            }
        }
        at.max(0) as usize
    }

    fn original(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.original_at(span.start)..self.original_at(span.end)
    }

    /// Whether a span (of the text as written) overlaps a replaced value.
    fn touches(&self, span: Option<&std::ops::Range<usize>>) -> bool {
        let Some(span) = span else { return false };
        self.problems
            .iter()
            .filter_map(|d| d.span.as_ref())
            .any(|r| span.start < r.end.max(r.start + 1) && r.start < span.end.max(span.start + 1))
    }
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
