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

/// Shortens a label to `max` characters with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
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

/// Wraps `text` at `width` columns, the first line led by `first`, every
/// other line indented by `hang`.
pub(crate) fn wrap(text: &str, first: &str, hang: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut line_len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if !empty && line_len + 1 + w > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(hang);
            line_len = hang;
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += w;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}
