//! A scenario's source document (the article its events cite), found
//! beside the scenario file or from the working folder.
//!
//! Nothing here prints: a source that cannot be found comes back as a
//! value that says where it was looked for, for the caller to show as a
//! warning (or not, when asked to be quiet).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Scenario;

/// A source named by the scenario but found in neither place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSource {
    /// The `source` field as written.
    pub source: String,
    pub scenario: PathBuf,
    /// Where it was looked for: beside the scenario file, then from the
    /// working folder.
    pub beside: PathBuf,
    pub from_here: PathBuf,
}

impl fmt::Display for MissingSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the source `{}` of {} is neither at {} (beside the scenario file) nor at {} (from the working folder); the narrative quotes no article lines",
            self.source,
            self.scenario.display(),
            self.beside.display(),
            self.from_here.display()
        )
    }
}

/// The text of the source document of the scenario read from `path`: its
/// `source` path taken relative to the scenario file first, then to the
/// working folder. `Ok(None)` when the scenario names no source.
pub fn source_text(path: &Path, sc: &Scenario) -> Result<Option<String>, MissingSource> {
    if sc.source.is_empty() {
        return Ok(None);
    }
    let (beside, from_here) = places(path, &sc.source);
    match find(path, &sc.source) {
        Some(text) => Ok(Some(text)),
        None => Err(MissingSource {
            source: sc.source.clone(),
            scenario: path.to_path_buf(),
            beside,
            from_here,
        }),
    }
}

/// Where a source named `source` by the scenario at `path` is looked for:
/// beside the scenario file, then from the working folder.
fn places(path: &Path, source: &str) -> (PathBuf, PathBuf) {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    (
        dir.unwrap_or(Path::new(".")).join(source),
        PathBuf::from(source),
    )
}

/// The source's text, if the scenario names one and it is found.
pub(super) fn find(path: &Path, source: &str) -> Option<String> {
    if source.is_empty() {
        return None;
    }
    let (beside, from_here) = places(path, source);
    [beside, from_here]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
}
