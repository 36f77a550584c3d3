//! What a user does with a downloaded scenario: save it and `zopa run` it.

use std::process::Command;

/// Writes `toml` to a fresh folder, runs `zopa run` on it with `seed`, and
/// returns the timeline.csv it wrote.
pub fn timeline_of(toml: &str, seed: u64) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("variant.toml"), toml).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["run", "variant.toml", "--seed", &seed.to_string()])
        .args(["--quiet", "--out", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(dir.path().join("out/timeline.csv")).unwrap()
}
