//! Scenario files: reading, parsing and validating them into a [`Scenario`].
//!
//! This is the only part of the library that touches the file system on the
//! way in; everything after it works on the validated model.

pub mod diagnostic;
mod raw;
mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, FileErrors, Kind};

use crate::model::{Scenario, closest};

/// Files larger than this are refused before reading: no scenario comes
/// near it, and a student who passes a data file by mistake should get an
/// answer, not a long wait.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, FileErrors> {
    let fail = |d: Diagnostic| FileErrors::new(path, None, vec![d]);
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            Diagnostic::new(
                Kind::Unreadable,
                None,
                format!("cannot open the file: {}", io_reason(&e)),
            )
            .hint("check the path; bundled scenarios are in scenarios/"),
        )
    })?;
    if meta.is_dir() {
        return Err(fail(
            Diagnostic::new(
                Kind::Unreadable,
                None,
                "this is a folder, not a scenario file",
            )
            .hint("pass a .toml file, e.g. scenarios/budapest-cancelled.toml"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            Diagnostic::new(
                Kind::Unreadable,
                None,
                format!(
                    "the file is {} bytes; scenario files are at most {MAX_FILE_BYTES}",
                    meta.len()
                ),
            )
            .hint("is this really a scenario file?"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail(
            Diagnostic::new(
                Kind::Unreadable,
                None,
                format!("cannot read the file: {}", io_reason(&e)),
            )
            .hint("check the file's permissions"),
        )
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let span = at..at;
            return Err(FileErrors::new(
                path,
                Some(valid),
                vec![
                    Diagnostic::new(
                        Kind::NotUtf8,
                        Some(span),
                        format!("the file is not UTF-8 text (invalid byte at offset {at})"),
                    )
                    .hint("save the file as UTF-8"),
                ],
            ));
        }
    };
    parse(path, text)
}

/// Parses and validates scenario text; `path` is only used in messages.
pub fn parse(path: &Path, text: String) -> Result<Scenario, FileErrors> {
    let file: raw::File = match toml::from_str(&text) {
        Ok(f) => f,
        Err(e) => {
            let d = toml_problem(&e);
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

/// Turns a TOML/serde error into a diagnostic, adding a suggestion for a
/// misspelled field name.
fn toml_problem(e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field") {
        let (field, expected) = ticked.split_first().map_or(("", &[][..]), |(f, r)| (*f, r));
        let hint = match closest(field, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "expected one of {}",
                expected
                    .iter()
                    .map(|x| format!("`{x}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Diagnostic::new(
            Kind::UnknownField,
            e.span(),
            format!("unknown field `{field}`"),
        )
        .hint(hint);
    }
    if message.starts_with("missing field") {
        let field = ticked.first().copied().unwrap_or("?");
        return Diagnostic::new(
            Kind::MissingField,
            e.span(),
            format!("missing field `{field}`"),
        )
        .hint(format!(
            "add `{field} = ...` here; docs/scenario-format.md lists every field"
        ));
    }
    if message.starts_with("invalid type") {
        return Diagnostic::new(Kind::Syntax, e.span(), message)
            .hint("docs/scenario-format.md gives the type of every field");
    }
    if message.contains("recursion") {
        return Diagnostic::new(Kind::Syntax, e.span(), message)
            .hint("the file nests arrays or tables far more deeply than any scenario needs (three levels at most)");
    }
    Diagnostic::new(Kind::Syntax, e.span(), message)
        .hint("this is not valid TOML here; check quotes, brackets and `=` signs")
}
