//! Problems found in a scenario file, as values that know where they are.
//!
//! A diagnostic is a [`Problem`] with the byte span of the offending text.
//! Rendering is left to `annotate-snippets`, which measures display columns
//! (a tab, a wide character) so the caret sits under the right text, and
//! cuts a very long line down to a window around the problem.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

use super::problem::Problem;

/// One problem and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub problem: Problem,
    /// Byte range of the offending text, when there is one.
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    pub fn new(problem: impl Into<Problem>, span: Option<Range<usize>>) -> Self {
        Diagnostic {
            problem: problem.into(),
            span,
        }
    }
}

/// Every problem found in one file, with the text needed to show them.
#[derive(Debug, Clone)]
pub struct FileErrors {
    pub path: PathBuf,
    pub source: Option<String>,
    pub problems: Vec<Diagnostic>,
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

/// The span clipped to the source and to whole characters, and to its
/// first line: the caret underlines where the problem starts.
fn clip(source: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(source, span.start.min(source.len()));
    let end = floor_char_boundary(source, span.end.min(source.len())).max(start);
    let end = source[start..end].find('\n').map_or(end, |nl| start + nl);
    start..end
}

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display().to_string();
        let renderer = Renderer::plain();
        for (n, d) in self.problems.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            let message = d.problem.message();
            let hint = d.problem.hint();
            let title = Level::ERROR
                .primary_title(message.as_str())
                .id(d.problem.code());
            let place: annotate_snippets::Element<'_> = match (&self.source, &d.span) {
                (Some(src), Some(span)) => Snippet::source(src.as_str())
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(clip(src, span)))
                    .into(),
                _ => Origin::path(path.as_str()).into(),
            };
            let report = &[title
                .element(place)
                .element(Level::HELP.message(hint.as_str()))];
            writeln!(f, "{}", renderer.render(report))?;
        }
        Ok(())
    }
}
