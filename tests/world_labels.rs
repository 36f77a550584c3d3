//! `[world.labels]`: a strike names its front, pressure and aid, and every
//! view says those names; a scenario without labels reads as before (the
//! bundled outputs stay byte-identical); an empty label is refused where
//! it is written.

use std::path::Path;
use std::process::Command;

use zopa::model::{Scenario, WorldVar};
use zopa::{chart, scenario, sensitivity, sim};

const BASELINE: &str = include_str!("../scenarios/budapest-cancelled.toml");

const LABELS: &str = "[world.labels]\nfront = \"Offer on the table\"\npressure = \"Strike hardship\"\naid = \"Production running\"\n";

fn labelled() -> Scenario {
    let text = format!("{BASELINE}\n{LABELS}");
    scenario::parse(Path::new("labelled.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_labelled_world_names_its_front_pressure_and_aid_in_every_view() {
    let sc = labelled();
    let tl = sim::run(&sc, 1);
    let zone = chart::svg(&chart::ZoneChart(&sc, &tl)).expect("svg");
    assert!(
        zone.contains("Offer on the table"),
        "the legend names the front"
    );
    assert!(!zone.contains("Front line"));
    let controls = scenario::edit::controls(&sc);
    let label = |path: &str| {
        controls
            .iter()
            .find(|c| c.path == path)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| panic!("no control {path}"))
    };
    assert_eq!(label("world.pressure"), "strike hardship");
    assert_eq!(label("world.pressure_decay"), "strike hardship decay");
    assert_eq!(label("world.aid_drag"), "production running drag");
    assert_eq!(label("world.front"), "offer on the table");
    assert_eq!(
        sensitivity::words(&sc, "world.pressure"),
        "the world's strike hardship at the start"
    );
    assert_eq!(sc.labels.name(WorldVar::Advance), "advance");
}

#[test]
fn without_labels_every_view_keeps_its_own_words() {
    let sc = scenario::parse(Path::new("b.toml"), BASELINE.to_string()).expect("valid");
    assert_eq!(sc.labels.front_line(), "Front line");
    assert_eq!(sc.labels.front_words(), "the front line");
    assert_eq!(sc.labels.pressure(), "pressure");
    assert_eq!(sc.labels.aid(), "aid");
    assert_eq!(sc.labels.name(WorldVar::PressureDecay), "pressure decay");
    let tl = sim::run(&sc, 1);
    let zone = chart::svg(&chart::ZoneChart(&sc, &tl)).expect("svg");
    assert!(zone.contains("Front line"));
}

#[test]
fn an_empty_or_unknown_label_is_located_refused_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (i, (labels, says)) in [
        (
            "[world.labels]\nfront = \"\"\n",
            "`world.labels.front` is empty",
        ),
        (
            "[world.labels]\npresure = \"Hardship\"\n",
            "did you mean `pressure`",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let text = format!("{BASELINE}\n{labels}");
        let file = tmp.path().join(format!("l{i}.toml"));
        std::fs::write(&file, &text).expect("write");
        let out = tmp.path().join(format!("o{i}"));
        let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(["run", &file.display().to_string(), "--out"])
            .arg(&out)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        let line = text[..text.find("[world.labels]").expect("table")]
            .matches('\n')
            .count()
            + 1;
        assert!(
            err.contains(&format!("l{i}.toml:{line}:")),
            "located: {err}"
        );
        assert!(!out.exists());
    }
}
