//! The small things a new author trips over, each fixed and held here: a
//! short horizon's step axis, a long title, the `--help` example that
//! prints JSON, one problem for a misspelt archetype, a political victor
//! that wants less of its own issue, and sensitivity's `--step`.

use std::path::Path;
use std::process::{Command, Output};

use zopa::{chart, scenario, sim};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");
const BASELINE: &str = include_str!("../scenarios/budapest-cancelled.toml");

fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

fn textbook_with(from: &str, to: &str) -> String {
    assert!(TEXTBOOK.contains(from), "`{from}` not in the textbook");
    TEXTBOOK.replacen(from, to, 1)
}

/// Every `<text>` element's content in an SVG.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            Some(body.split_once("</text>")?.0.trim().to_string())
        })
        .collect()
}

#[test]
fn a_five_step_horizon_labels_each_step_once_and_never_minus_zero() {
    let text = textbook_with("steps = 12", "steps = 5");
    let sc = scenario::parse(Path::new("five.toml"), text).expect("valid");
    let tl = sim::run(&sc, 1);
    for svg in [
        chart::svg(&chart::GapChart(&sc, &tl)).expect("svg"),
        chart::svg(&chart::ZoneChart(&sc, &tl)).expect("svg"),
    ] {
        let whole: Vec<String> = texts(&svg)
            .into_iter()
            .filter(|t| {
                !t.is_empty()
                    && t.trim_start_matches('-')
                        .chars()
                        .all(|c| c.is_ascii_digit())
            })
            .collect();
        assert!(!whole.iter().any(|t| t == "-0"), "{whole:?}");
        for step in ["0", "1", "2", "3", "4"] {
            let n = whole.iter().filter(|t| *t == step).count();
            assert_eq!(n, 1, "step {step} labelled {n} times: {whole:?}");
        }
    }
}

#[test]
fn a_long_title_fits_the_chart_width() {
    let long = "A very long title of a negotiation between a union and three carmakers over wages, temporary workers and pensions in the autumn";
    let text = textbook_with(
        "title = \"Textbook: a used car\"",
        &format!("title = \"{long}\""),
    );
    let sc = scenario::parse(Path::new("long.toml"), text).expect("valid");
    let tl = sim::run(&sc, 1);
    let gap = chart::svg(&chart::GapChart(&sc, &tl)).expect("svg");
    let zone = chart::svg(&chart::ZoneChart(&sc, &tl)).expect("svg");
    for svg in [gap, zone] {
        centred_caption_fits(&svg, long);
    }
}

/// The caption is the text element holding the title's first words,
/// centred at x: at the size drawn, half its width (a generous half an em a
/// letter) must fit on either side, so nothing is cut off.
fn centred_caption_fits(svg: &str, long: &str) {
    let caption = svg
        .split("<text")
        .find(|t| t.contains("A very long title"))
        .expect("the title is drawn");
    let attr = |name: &str| -> f64 {
        caption
            .split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("caption {name}"))
    };
    let (x, size) = (attr("x"), attr("font-size"));
    let shown = texts(svg)
        .into_iter()
        .find(|t| t.contains("A very long title"))
        .expect("title");
    let half = 0.5 * 0.5 * size * shown.chars().count() as f64;
    assert!(half <= x, "a caption {} wide centred at {x}", 2.0 * half);
    assert!(shown == long || shown.ends_with('…'), "{shown}");
}

#[test]
fn the_help_example_with_json_and_quiet_prints_the_json() {
    let help = String::from_utf8(zopa(&["--help"]).stdout).expect("utf-8");
    let example = help
        .lines()
        .map(str::trim)
        .find(|l| l.ends_with("--format json --quiet"))
        .expect("the help shows the example");
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().display().to_string();
    let mut args: Vec<&str> = example.split_whitespace().skip(1).collect();
    args.extend(["--out", &out]);
    let o = zopa(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("the example prints JSON");
    assert!(v["outcome"].is_object() || v["outcome"].is_string(), "{v}");
}

fn validate_text(name: &str, text: &str) -> (Output, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join(name);
    std::fs::write(&path, text).expect("write");
    let o = zopa(&["validate", &path.display().to_string()]);
    let err = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    (o, err)
}

#[test]
fn a_misspelt_archetype_is_one_problem_not_one_per_knob() {
    for (wrong, names) in [
        ("political_victroy", "political_victory"),
        ("zealot", "quick_deal"),
    ] {
        let text = BASELINE.replacen(
            "archetype = \"political_victory\"",
            &format!("archetype = \"{wrong}\""),
            1,
        );
        let (o, err) = validate_text("arch.toml", &text);
        assert_eq!(o.status.code(), Some(2), "{err}");
        let problems = err.matches("error[").count();
        assert_eq!(problems, 1, "{err}");
        assert!(
            err.contains(&format!("unknown archetype `{wrong}`")),
            "{err}"
        );
        assert!(err.contains(names), "the known names are listed: {err}");
    }
}

#[test]
fn a_political_victor_that_wants_less_of_its_issue_is_refused_where_its_ideal_is() {
    let from = "ideal = { territory = \"more\", sanctions = 100, security = 0 }";
    let text = BASELINE.replacen(
        from,
        "ideal = { territory = \"less\", sanctions = 100, security = 0 }",
        1,
    );
    let (o, err) = validate_text("less.toml", &text);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("error[").count(), 1, "{err}");
    assert!(err.contains("it wants less"), "{err}");
    let line = BASELINE[..BASELINE.find(from).expect("russia's ideal")]
        .matches('\n')
        .count()
        + 1;
    assert!(
        err.contains(&format!(":{line}:11")),
        "located at the ideal: {err}"
    );
    // The same check refuses a --set that would make it so, writing nothing.
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    let o = zopa(&[
        "run",
        "scenarios/budapest-cancelled.toml",
        "--set",
        "parties.russia.ideal.territory=0",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn sensitivity_step_moves_each_field_by_that_share_and_refuses_what_is_no_share() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("s");
    let o = zopa(&[
        "sensitivity",
        "scenarios/textbook.toml",
        "--runs",
        "5",
        "--step",
        "0.1",
        "--quiet",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("sensitivity.json")).expect("written"),
    )
    .expect("JSON");
    assert_eq!(json["span_share"], 0.1);
    // The seller's bar 0.4 over its span 1: moved to 0.3 and 0.5.
    let seller = json["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .find(|f| f["path"] == "parties.seller.reservation")
        .expect("the seller's bar is a factor");
    let close = |v: &serde_json::Value, x: f64| (v.as_f64().expect("number") - x).abs() < 1e-12;
    assert!(
        close(&seller["down"], 0.3) && close(&seller["up"], 0.5),
        "{seller}"
    );
    for bad in ["0", "-0.1", "1.5", "a tenth"] {
        let out = tmp.path().join(format!("bad{bad}"));
        let o = zopa(&[
            "sensitivity",
            "scenarios/textbook.toml",
            &format!("--step={bad}"),
            "--out",
            &out.display().to_string(),
        ]);
        assert_eq!(o.status.code(), Some(2), "--step {bad}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("--step"),
            "--step {bad}"
        );
        assert!(!out.exists());
    }
}

#[test]
fn a_legend_entry_wider_than_its_panel_goes_on_below_not_off_the_edge() {
    // The plant dispute's city has no veto and accepts the whole range: its
    // entry is wider than the zone chart's legend panel.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/every-new-field.toml");
    let sc = scenario::load(&path).unwrap();
    let tl = sim::run(&sc, 1);
    let shown = texts(&chart::svg(&chart::ZoneChart(&sc, &tl)).unwrap());
    let whole = "City accepts the whole range (no veto)";
    assert!(!shown.iter().any(|t| t == whole), "{shown:?}");
    let first = (shown.iter())
        .position(|t| t.starts_with("City accepts") && whole.starts_with(t.as_str()))
        .expect("the entry's first line");
    assert_eq!(format!("{} {}", shown[first], shown[first + 1]), whole);
}
