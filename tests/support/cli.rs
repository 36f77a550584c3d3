//! The `zopa` binary run from the crate's root, as a reader of the README
//! runs it: the tests that drive the command line share this one way in.

use std::process::{Command, Output};

pub fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the zopa binary runs")
}

/// 1-based line and column of the first occurrence of `needle` in `text`:
/// where a located error must point.
#[allow(dead_code)] // not every test that runs the binary checks locations
pub fn locate(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the case's text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}
