//! Data out of a run: the timeline table, the summary (text and JSON), and
//! writing files so that a reader never sees half of one.

pub mod mc;
pub mod sensitivity;
mod staged;
mod summary;
pub mod sweep;
mod timeline;

pub use staged::{StageError, Staged, temp_name};
pub use summary::{IssueRange, IssueValue, PartyCount, PartyStep, Summary, summary, summary_text};
pub use timeline::timeline_csv;

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

/// Fixed precision keeps the table byte-identical across platforms and easy
/// to read; six decimals is far below any quantity the model can resolve.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{x:.6}");
    if s == "-0.000000" {
        "0.000000".into()
    } else {
        s
    }
}

pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
