//! The scenarios a server offers, read once at start: the files named on
//! the command line, or the bundled ones compiled into the binary. No
//! request reaches the file system; a page names a scenario by its slug.
//! Each file is read once: the text a page downloads and edits is the text
//! that was validated.

use std::path::{Path, PathBuf};

use zopa::model::Scenario;
use zopa::scenario::{self, FileErrors};

use crate::emit;
use crate::error::CliError;

/// One scenario the server offers.
pub struct Entry {
    /// The name in page addresses (the scenario's name, made unique).
    pub slug: String,
    /// Where it came from, for messages and the download's header.
    pub path: PathBuf,
    /// The file's text, which every variant edits.
    pub text: String,
    pub scenario: Scenario,
    /// The source document's text, for the story's quotes.
    pub source: Option<String>,
}

/// The bundled scenarios, so `zopa serve` works from any folder.
const BUNDLED: &[(&str, &str)] = &[
    (
        "budapest-cancelled.toml",
        include_str!("../../scenarios/budapest-cancelled.toml"),
    ),
    (
        "freeze-the-front.toml",
        include_str!("../../scenarios/freeze-the-front.toml"),
    ),
    (
        "sustained-pressure.toml",
        include_str!("../../scenarios/sustained-pressure.toml"),
    ),
    (
        "pressure-eases.toml",
        include_str!("../../scenarios/pressure-eases.toml"),
    ),
    (
        "donetsk-split.toml",
        include_str!("../../scenarios/donetsk-split.toml"),
    ),
    (
        "us-steps-back.toml",
        include_str!("../../scenarios/us-steps-back.toml"),
    ),
    (
        "coalition-of-the-willing.toml",
        include_str!("../../scenarios/coalition-of-the-willing.toml"),
    ),
    (
        "rationalist-explanations.toml",
        include_str!("../../scenarios/rationalist-explanations.toml"),
    ),
    (
        "textbook.toml",
        include_str!("../../scenarios/textbook.toml"),
    ),
    (
        "job-offer.toml",
        include_str!("../../scenarios/job-offer.toml"),
    ),
    (
        "negmas-bilateral.toml",
        include_str!("../../scenarios/negmas-bilateral.toml"),
    ),
    (
        "negmas-alternating.toml",
        include_str!("../../scenarios/negmas-alternating.toml"),
    ),
    (
        "annotated.toml",
        include_str!("../../scenarios/annotated.toml"),
    ),
    (
        "uaw-strike.toml",
        include_str!("../../scenarios/uaw-strike.toml"),
    ),
];

/// The article most bundled scenarios cite.
const ARTICLE: (&str, &str) = (
    "000_7613a11baa41623b.txt",
    include_str!("../../seeds/000_7613a11baa41623b.txt"),
);

/// Every source a bundled scenario cites, by file name.
const SOURCES: &[(&str, &str)] = &[
    ARTICLE,
    (
        "uaw-strike-2023.md",
        include_str!("../../seeds/uaw-strike-2023.md"),
    ),
];

/// Reads the given files (every problem of every file reported together),
/// or the bundled scenarios when none is given. A source document that
/// cannot be found is a warning on standard error (unless `quiet`).
pub fn load(paths: &[PathBuf], quiet: bool) -> Result<Vec<Entry>, CliError> {
    load_with(paths, quiet, scenario::read_text)
}

/// [`load`], each file's text read by `read`, once.
fn load_with(
    paths: &[PathBuf],
    quiet: bool,
    mut read: impl FnMut(&Path) -> Result<String, FileErrors>,
) -> Result<Vec<Entry>, CliError> {
    let mut entries = Vec::new();
    if paths.is_empty() {
        for (name, text) in BUNDLED {
            let path = Path::new("scenarios").join(name);
            let sc = scenario::parse(&path, text.to_string())
                .map_err(|e| CliError::Scenarios(vec![e]))?;
            let source = SOURCES
                .iter()
                .find(|(file, _)| !sc.source.is_empty() && sc.source.ends_with(file))
                .map(|(_, text)| text.to_string());
            entries.push((path, text.to_string(), sc, source));
        }
    } else {
        let mut problems: Vec<FileErrors> = Vec::new();
        for p in paths {
            let read = read(p).and_then(|text| Ok((scenario::parse(p, text.clone())?, text)));
            match read {
                Ok((sc, text)) => {
                    let found = scenario::source::source_text(p, &sc);
                    let source = emit::warn_unless(quiet, found).flatten();
                    entries.push((p.clone(), text, sc, source));
                }
                Err(e) => problems.push(e),
            }
        }
        if !problems.is_empty() {
            return Err(CliError::Scenarios(problems));
        }
    }
    let mut out: Vec<Entry> = Vec::new();
    for (path, text, scenario, source) in entries {
        let mut slug = scenario.name.clone();
        let mut n = 2;
        while out.iter().any(|e| e.slug == slug) {
            slug = format!("{}-{n}", scenario.name);
            n += 1;
        }
        out.push(Entry {
            slug,
            path,
            text,
            scenario,
            source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_scenarios_is_bundled_and_reads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut bundled: Vec<String> = BUNDLED.iter().map(|(n, _)| n.to_string()).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled);
        let entries = load(&[], true).unwrap();
        assert_eq!(entries.len(), BUNDLED.len());
        let cited = entries
            .iter()
            .filter(|e| e.scenario.source.ends_with(ARTICLE.0));
        assert!(cited.clone().count() >= 6);
        assert!(cited.into_iter().all(|e| e.source.is_some()));
        let sourced = entries
            .iter()
            .filter(|e| e.scenario.source.contains("seeds/"));
        assert!(sourced.into_iter().all(|e| e.source.is_some()));
    }

    #[test]
    fn the_text_kept_is_the_text_validated_read_once() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/textbook.toml");
        let written = std::fs::read_to_string(&path).unwrap();
        // A file edited between two reads: the second read sees another title.
        let edited = written.replacen("title = \"", "title = \"Edited: ", 1);
        assert_ne!(written, edited);
        let mut reads = 0;
        let entries = load_with(std::slice::from_ref(&path), true, |_| {
            reads += 1;
            Ok(if reads == 1 {
                written.clone()
            } else {
                edited.clone()
            })
        })
        .unwrap();
        assert_eq!(reads, 1);
        assert_eq!(entries[0].text, written);
        let again = scenario::parse(&path, entries[0].text.clone()).unwrap();
        assert_eq!(again.title, entries[0].scenario.title);
    }
}
