//! Data out of a run: the timeline table, the summary (text and JSON), and
//! writing files so that a reader never sees half of one.

use serde::Serialize;

use crate::model::{Change, Setting};

pub mod long;
pub mod mc;
pub mod runs;
pub mod sensitivity;
mod staged;
mod summary;
pub mod sweep;
mod timeline;

pub use staged::{StageError, Staged, temp_name};
pub use summary::{IssueRange, IssueValue, PartyCount, PartyStep, Summary, summary, summary_text};
pub use timeline::{timeline_csv, timeline_csv_with};

/// FNV-1a, 64 bits, as hex: a short fingerprint of a file, so a page (or a
/// reader) can tell two timelines apart without sending them whole.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// What made a file: written as the first line of every CSV (a `# zopa`
/// comment that pandas' `comment='#'` and readr's `comment = "#"` skip) and
/// as fields of every JSON document, so a file read alone still says which
/// scenario, seed, runs and `--set` variant it holds.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub command: &'static str,
    pub scenario: String,
    pub seed: u64,
    /// Runs per scenario (per cell for a sweep, per variant for the
    /// sensitivity analysis); 1 for `zopa run`.
    pub runs: u64,
    /// What `--set` and `--protocol` changed; empty for the scenario as
    /// written.
    pub variant: Vec<VariantField>,
}

/// One field a variant changed, `from` and `to` of one type: two numbers
/// for a field that holds a number, two names for one that holds a name
/// (the protocol). On a discrete issue's ideal the numbers are the
/// options' values, and `from_option` and `to_option` name the options
/// (null for a value between two).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct VariantField {
    pub path: String,
    pub from: serde_json::Value,
    pub to: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_option: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_option: Option<serde_json::Value>,
}

impl From<&Change> for VariantField {
    fn from(c: &Change) -> Self {
        let path = c.path.clone();
        let Some([from, to]) = c.values else {
            return VariantField {
                path,
                from: setting(&c.from),
                to: setting(&c.to),
                from_option: None,
                to_option: None,
            };
        };
        let named = |s: &Setting| match s {
            Setting::Name(n) => Some(n.clone()),
            Setting::Number(_) => None,
        };
        // An option's name on either side: the field is a discrete
        // issue's ideal, and both sides say their option (or null).
        let options = [named(&c.from), named(&c.to)];
        let discrete = options.iter().any(Option::is_some);
        let option = |o: &Option<String>| discrete.then(|| serde_json::json!(o));
        VariantField {
            path,
            from: serde_json::json!(from),
            to: serde_json::json!(to),
            from_option: option(&options[0]),
            to_option: option(&options[1]),
        }
    }
}

impl Provenance {
    pub fn new(command: &'static str, scenario: &str, seed: u64, runs: u64) -> Self {
        Provenance {
            command,
            scenario: scenario.to_string(),
            seed,
            runs,
            variant: Vec::new(),
        }
    }

    pub fn with_variant(mut self, changes: &[Change]) -> Self {
        self.variant = changes.iter().map(VariantField::from).collect();
        self
    }

    /// `# zopa {...}\n`: the provenance as one JSON object on a comment line.
    pub fn csv_line(&self) -> String {
        format!(
            "# zopa {}\n",
            serde_json::to_string(self).unwrap_or_default()
        )
    }

    /// `body` (a CSV table) with the provenance line before it.
    pub fn stamp(&self, body: &str) -> String {
        let mut out = self.csv_line();
        out.push_str(body);
        out
    }
}

fn setting(s: &Setting) -> serde_json::Value {
    serde_json::to_value(s).unwrap_or_default()
}

/// The shortest decimal that reads back as the same `f64` (Rust's `{}`),
/// so no probability or gap is rounded away; `-0` is written `0`.
pub(crate) fn real(x: f64) -> String {
    if x == 0.0 { "0".into() } else { format!("{x}") }
}

/// A text cell, quoted when it holds a comma, a quote, a line end or `#`
/// (a reader skipping `#` comments would cut an unquoted cell there).
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r', '#']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
