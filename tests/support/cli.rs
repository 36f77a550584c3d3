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
