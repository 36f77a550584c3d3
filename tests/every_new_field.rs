//! One file using every field added for negotiations beyond one war
//! (`tests/data/every-new-field.toml`): world labels, pressure and aid aimed
//! at a party, goals in words, repeating and step-watching events, a
//! red-line effect, yes/no and options issues, chart marks and a what-if.
//! It runs end to end through every command a class or an analyst uses, and
//! each field does what the file says it does.

use std::path::{Path, PathBuf};

use zopa::scenario;
use zopa::sim::{self, Outcome};

const FILE: &str = "tests/data/every-new-field.toml";

#[path = "support/cli.rs"]
mod cli;
use cli::zopa;

fn ok(args: &[&str]) -> String {
    let out = zopa(args);
    assert!(
        out.status.success(),
        "zopa {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A path in the temporary folder for one command's output, removed
/// again (folder or file) when the test is done with it.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        let _ = std::fs::remove_file(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("zopa-every-field-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Scratch(dir)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load() -> zopa::model::Scenario {
    scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn each_new_field_does_what_the_file_says() {
    let sc = load();
    let tl = sim::run(&sc, 1);
    let walkout = sc
        .events
        .iter()
        .position(|e| e.id.as_deref() == Some("walkout"))
        .unwrap();
    let budget = sc
        .events
        .iter()
        .position(|e| e.id.as_deref() == Some("budget"))
        .unwrap();
    // `every = 2`, `until = 7` from week 1: weeks 1, 3, 5, ... while the run lasts.
    let fired: Vec<u32> = (tl.steps.iter())
        .filter(|s| s.events.contains(&walkout))
        .map(|s| s.step)
        .collect();
    let expected: Vec<u32> = [1, 3, 5, 7]
        .into_iter()
        .filter(|&t| (t as usize) < tl.steps.len())
        .collect();
    assert_eq!(fired, expected);
    // `when = { variable = "step", above = 4 }`: first at week 5, where the
    // firm's red line on wage moves from 2 to 6.
    let first = tl
        .steps
        .iter()
        .find(|s| s.events.contains(&budget))
        .map(|s| s.step);
    assert_eq!(first, Some(5));
    let firm = 1;
    assert_eq!(tl.steps[4].lines[0].most_by, Some(firm));
    assert!((tl.steps[4].lines[0].most - 2.0).abs() < 1e-9);
    assert!(tl.steps[5].lines[0].most > 2.0 + 1e-9, "the line moved out");
    assert!(tl.steps[4].extent.is_none() && tl.steps[5].extent.is_some());
    // Pressure aimed at the union: the world's stays at nothing, the
    // union's own builds up week by week.
    for s in &tl.steps[1..] {
        assert_eq!(s.pressure, 0.0, "week {}", s.step);
    }
    let timeline = {
        let dir = scratch("timeline");
        ok(&[
            "run",
            FILE,
            "--no-charts",
            "-q",
            "--out",
            dir.to_str().unwrap(),
        ]);
        read(&dir, "timeline.csv")
    };
    let mut lines = timeline.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let (own, aid_firm) = (col("pressure_union"), col("aid_firm"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let own: Vec<f64> = rows.iter().map(|r| r[own].parse().unwrap()).collect();
    assert!(own.windows(2).all(|w| w[1] > w[0]), "{own:?}");
    assert!(rows.iter().all(|r| !r[aid_firm].is_empty()));
    // A deal settles the discrete issues on options, and says them by name.
    let Outcome::Deal { settlement, .. } = &tl.outcome else {
        panic!("no deal: {:?}", tl.outcome)
    };
    assert!(
        settlement[1] == 0.0 || settlement[1] == 1.0,
        "{settlement:?}"
    );
    assert!([0.0, 1.0, 2.0].contains(&settlement[2]), "{settlement:?}");
    let text = zopa::text::settlement_text(&sc, settlement);
    let shift = ["day", "mixed", "night"][settlement[2] as usize];
    assert!(text.contains(&format!("shifts: {shift}")), "{text}");
}

#[test]
fn it_runs_end_to_end_through_every_command() {
    // run: the charts carry the world's own names and the chart mark.
    let run = scratch("run");
    ok(&["run", FILE, "-q", "--out", run.to_str().unwrap()]);
    let zone = read(&run, "zone.svg");
    assert!(zone.contains("Offer on the table"), "the front's label");
    assert!(!zone.contains("Front line"));
    assert!(read(&run, "outcome.svg").contains("split the difference"));
    // mc: the same data on one thread and on two.
    let (one, two) = (scratch("mc1"), scratch("mc2"));
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        ok(&[
            "mc",
            FILE,
            "--runs",
            "300",
            "--threads",
            threads,
            "-q",
            "--out",
            dir.to_str().unwrap(),
        ]);
    }
    assert_eq!(read(&one, "mc.csv"), read(&two, "mc.csv"));
    // sensitivity names the aimed knob and the world's labels in words.
    let sens = scratch("sens");
    ok(&[
        "sensitivity",
        FILE,
        "--runs",
        "40",
        "-q",
        "--out",
        sens.to_str().unwrap(),
    ]);
    let csv = read(&sens, "sensitivity.csv");
    assert!(
        csv.contains("\nparties.city.pressure_per_step,")
            || csv.contains(",parties.city.pressure_per_step,"),
        "{csv}"
    );
    let sc = load();
    let words = |path: &str| zopa::sensitivity::words(&sc, path);
    assert_eq!(
        words("parties.city.pressure_per_step"),
        "City's pressure per step"
    );
    assert_eq!(
        words("world.front"),
        "the world's offer on the table at the start"
    );
    // report and lesson: the goals in the file's words, the what-if run.
    let report = scratch("report.html");
    ok(&["report", FILE, "--out", report.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&*report)
            .unwrap()
            .contains("A one-day walkout")
    );
    let lesson = scratch("lesson");
    ok(&["lesson", FILE, "--out", lesson.to_str().unwrap()]);
    let deck = read(&lesson, "deck.html");
    assert!(deck.contains("wants to hold costs down, and gives ground as its orders dry up"));
    assert!(deck.contains("No budget"));
    // value: a settlement read back at a step, each party's verdict.
    let value = ok(&[
        "value",
        FILE,
        "--at",
        "wage=4.5,pension=1,shifts=2",
        "--step",
        "5",
    ]);
    assert!(
        value.contains("Every party whose consent is needed accepts it."),
        "{value}"
    );
}
