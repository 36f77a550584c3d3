//! Problems found in a scenario file, as values that know where they are.
//!
//! A diagnostic carries the byte span of the offending text; rendering turns
//! that into `file:line:col`, the source line and a caret underline, followed
//! by a hint on how to fix it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The catalogue of what can be wrong with a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The file could not be read (missing, a directory, unreadable).
    Unreadable,
    /// The file is not valid UTF-8 text.
    NotUtf8,
    /// The file is not valid TOML, or a value has the wrong type.
    Syntax,
    /// A field the format does not know.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A value is outside what the model allows.
    Invalid,
    /// A reference to a party, issue or field that does not exist.
    UnknownName,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Unreadable => "unreadable",
            Kind::NotUtf8 => "not-utf8",
            Kind::Syntax => "syntax",
            Kind::UnknownField => "unknown-field",
            Kind::MissingField => "missing-field",
            Kind::Invalid => "invalid-value",
            Kind::UnknownName => "unknown-name",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub kind: Kind,
    pub message: String,
    pub span: Option<Range<usize>>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(kind: Kind, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            message: message.into(),
            span,
            hint: None,
        }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Every problem found in one file, with the text needed to show them.
#[derive(Debug, Clone)]
pub struct FileErrors {
    pub path: PathBuf,
    pub source: Option<String>,
    pub problems: Vec<Diagnostic>,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl FileErrors {
    pub fn new(path: &Path, source: Option<String>, problems: Vec<Diagnostic>) -> Self {
        FileErrors {
            path: path.to_path_buf(),
            source,
            problems,
        }
    }
}

/// A window of a long source line around column `at` (0-based, in
/// characters), so a minified or generated line does not flood the
/// terminal; returns the text, where the caret starts in it, and its width.
fn excerpt(text: &str, at: usize, width: usize) -> (String, usize, usize) {
    const BEFORE: usize = 40;
    const MAX: usize = 100;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= MAX {
        return (text.to_string(), at, width);
    }
    let start = at.saturating_sub(BEFORE);
    let end = (start + MAX).min(chars.len());
    let mut shown = String::new();
    let mut caret = at - start;
    if start > 0 {
        shown.push_str("...");
        caret += 3;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, caret, width.min(end.saturating_sub(at)).max(1))
}

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        for (n, d) in self.problems.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            match (&self.source, &d.span) {
                (Some(src), Some(span)) => {
                    let (line, col) = line_col(src, span.start);
                    writeln!(f, "error[{}]: {}", d.kind.code(), d.message)?;
                    writeln!(f, "  --> {path}:{line}:{col}")?;
                    let text = src.lines().nth(line - 1).unwrap_or("");
                    let width = src[span.clone()]
                        .lines()
                        .next()
                        .map_or(1, |l| l.chars().count().max(1))
                        .min(text.chars().count().saturating_sub(col - 1).max(1));
                    let (shown, caret_at, width) = excerpt(text, col - 1, width);
                    let gutter = line.to_string().len();
                    writeln!(f, "{:gutter$} |", "")?;
                    writeln!(f, "{line} | {shown}")?;
                    writeln!(
                        f,
                        "{:gutter$} | {}{}",
                        "",
                        " ".repeat(caret_at),
                        "^".repeat(width)
                    )?;
                }
                _ => {
                    writeln!(f, "error[{}]: {}", d.kind.code(), d.message)?;
                    writeln!(f, "  --> {path}")?;
                }
            }
            if let Some(h) = &d.hint {
                writeln!(f, "  = help: {h}")?;
            }
        }
        Ok(())
    }
}
