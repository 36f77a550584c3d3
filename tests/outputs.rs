//! What zopa does to the output folder: only the files it names, never half
//! of one, nothing at all when it cannot finish.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn zopa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zopa"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_killed_run_leaves_no_result_and_touches_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    for delay in [50, 300, 800] {
        let mut child = zopa()
            .args([
                "mc",
                "scenarios/budapest-cancelled.toml",
                "--runs",
                "50000000",
                "--force",
                "--quiet",
            ])
            .args(["--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(names(&out), vec!["notes.txt"], "after a kill at {delay} ms");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
    }
}

#[test]
fn a_run_writes_only_the_files_it_names_and_keeps_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join("timeline.csv"), "old").unwrap();
    let o = zopa()
        .args([
            "run",
            "scenarios/textbook.toml",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        names(&out),
        vec![
            "events.csv",
            "gap.png",
            "gap.svg",
            "issues.csv",
            "issues.png",
            "issues.svg",
            "notes.txt",
            "outcome.png",
            "outcome.svg",
            "parties.csv",
            "summary.json",
            "timeline.csv",
            "zone.png",
            "zone.svg"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    let timeline = std::fs::read_to_string(out.join("timeline.csv")).unwrap();
    let mut lines = timeline.lines();
    assert!(lines.next().is_some_and(|l| l.starts_with("# zopa {")));
    assert!(lines.next().is_some_and(|l| l.starts_with("step,")));
}

#[test]
fn an_unusable_output_folder_is_reported_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    // A folder inside a regular file cannot be created, whoever runs it.
    let inside = file.join("results");
    let started = std::time::Instant::now();
    let o = zopa()
        .args([
            "mc",
            "scenarios/budapest-cancelled.toml",
            "--runs",
            "5000000",
            "--force",
        ])
        .args(["--out", inside.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot create the output folder"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused before simulating"
    );
}

#[test]
fn report_refuses_a_folder_as_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    let o = zopa()
        .args([
            "report",
            "scenarios/textbook.toml",
            "--out",
            tmp.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a folder"));
    assert!(names(tmp.path()).is_empty());
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    // `zopa ... | head -1`: the pipe closes while zopa still writes. The
    // output (a thousand cells as JSON) is larger than a pipe's buffer.
    use std::io::Read as _;
    let tmp = tempfile::tempdir().unwrap();
    let mut child = zopa()
        .args([
            "sweep",
            "scenarios/textbook.toml",
            "--vary",
            "parties.seller.reservation=0:1:1000",
            "--runs",
            "1",
        ])
        .args([
            "--format",
            "json",
            "--threads",
            "1",
            "--out",
            tmp.path().to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 8];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // Dropping the pipe's read end closes it.
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status.code());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
