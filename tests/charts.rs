//! The zone chart read as a person reads it: every event listed with the
//! number it has in the file, every party in the legend (one with no limit
//! on the issue listed as accepting the whole range), and the axis fixed
//! where the scenario or `--y-range` asks.

use std::path::Path;

use zopa::{chart, scenario, sim};

fn load(name: &str) -> zopa::model::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Every text of an SVG document, as shown (plotters writes each text's
/// content twice, with line breaks around it: the first copy is kept).
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well formed");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.descendants().filter_map(|d| d.text()).collect::<String>())
        .map(|t| t.trim().lines().next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn every_event_that_fired_is_listed_with_its_number_in_the_file() {
    let sc = load("sustained-pressure");
    let tl = sim::run(&sc, 1);
    let fired: Vec<usize> = tl.steps.iter().flat_map(|s| s.events.clone()).collect();
    assert!(fired.len() > 6, "more events than one column holds");
    let all = texts(&chart::svg(&chart::ZoneChart(&sc, &tl)).unwrap());
    for e in fired {
        let lead = format!("{}.  week ", e + 1);
        let listed = all.iter().any(|t| {
            t.starts_with(&lead)
                && sc.events[e]
                    .label
                    .starts_with(t.split(": ").nth(1).unwrap_or("").trim_end_matches('…'))
        });
        assert!(
            listed,
            "event {} (`{}`) is listed",
            e + 1,
            sc.events[e].label
        );
    }
    assert!(!all.iter().any(|t| t.contains("more (see timeline.csv)")));
}

#[test]
fn a_party_with_no_limit_on_the_issue_is_listed_as_accepting_the_whole_range() {
    // Europe in the textbook's place: a buyer who accepts any price.
    let text = include_str!("../scenarios/textbook.toml").replacen(
        "reservation = 0.3",
        "reservation = 0.0",
        1,
    );
    let sc = scenario::parse(Path::new("t.toml"), text).unwrap();
    let tl = sim::run(&sc, 1);
    let all = texts(&chart::svg(&chart::ZoneChart(&sc, &tl)).unwrap());
    assert!(
        all.iter().any(|t| t == "Buyer accepts the whole range"),
        "{all:?}"
    );
    assert!(
        all.iter().any(|t| t == "Seller"),
        "a party with limits is named"
    );
}

#[test]
fn a_fixed_y_range_frames_the_chart_whatever_the_run() {
    let text = include_str!("../scenarios/textbook.toml").replacen(
        "[world]",
        "[charts]\ny_range = [2, 8]\n\n[world]",
        1,
    );
    let sc = scenario::parse(Path::new("t.toml"), text).unwrap();
    let tl = sim::run(&sc, 1);
    let all = texts(&chart::svg(&chart::ZoneChart(&sc, &tl)).unwrap());
    // The axis' end labels are the fixed range's.
    for tick in ["2.0", "8.0"] {
        assert!(all.iter().any(|t| t == tick), "tick {tick} in {all:?}");
    }
    assert!(!all.iter().any(|t| t == "9.0"), "nothing beyond the range");
}

#[test]
fn a_y_range_outside_the_issue_is_refused_with_its_place() {
    let text = include_str!("../scenarios/textbook.toml").replacen(
        "[world]",
        "[charts]\ny_range = [2, 18]\n\n[world]",
        1,
    );
    let e = scenario::parse(Path::new("t.toml"), text).unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains("charts.y_range must be [low, high] inside the range of `price`"),
        "{shown}"
    );
}

#[test]
fn the_per_issue_picture_agrees_with_the_verdict_at_every_step() {
    // With the other issues at the recorded settlement, the parties' ranges
    // on an issue meet exactly when the zone exists, on every issue.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut steps = 0;
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let sc = scenario::load(&entry.unwrap().path()).unwrap();
        for seed in [1, 2, 3] {
            let tl = sim::run(&sc, seed);
            for s in tl.steps.iter().filter(|s| !s.consenting.is_empty()) {
                for k in 0..sc.issues.len() {
                    let ranges = chart::issues::ranges(&sc, s, k);
                    let meet = ranges
                        .iter()
                        .try_fold((f64::NEG_INFINITY, f64::INFINITY), |(lo, hi), (_, r)| {
                            r.map(|r| (lo.max(r.low), hi.min(r.high)))
                        });
                    let tol = 1e-6 * sc.issues[k].range();
                    let picture = meet.is_some_and(|(lo, hi)| lo <= hi + tol);
                    assert_eq!(
                        picture,
                        s.zone_exists(),
                        "{} seed {seed} step {} issue {k}",
                        sc.name,
                        s.step
                    );
                }
                steps += 1;
            }
        }
    }
    assert!(steps > 500, "{steps} steps checked");
}

#[test]
fn run_writes_the_per_issue_chart() {
    let out = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["run", "scenarios/budapest-cancelled.toml", "-q", "--out"])
        .arg(out.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let svg = std::fs::read_to_string(out.path().join("issues.svg")).unwrap();
    let all = texts(&svg);
    assert!(
        all.iter()
            .any(|t| t.starts_with("there is no zone: the red lines cross")),
        "{all:?}"
    );
    for party in ["United States", "Russia", "Ukraine", "Europe"] {
        assert!(
            all.iter().filter(|t| *t == party).count() == 3,
            "{party} on each of 3 issues"
        );
    }
    assert!(out.path().join("issues.png").exists());
}

#[test]
fn the_simple_chart_never_shows_a_zone_the_verdict_denies_or_hides_one_it_finds() {
    // Green is drawn exactly where the zone exists; a zone's extent on the
    // front issue lies between the two limits drawn; crossing limits mean
    // no zone.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut zones = 0;
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let sc = scenario::load(&entry.unwrap().path()).unwrap();
        let issue = &sc.issues[sc.front_issue];
        let tol = 1e-6 * issue.range();
        for seed in [1, 2, 3] {
            let tl = sim::run(&sc, seed);
            for s in tl.steps.iter().filter(|s| !s.consenting.is_empty()) {
                let (low, high) = chart::simple::sides(s, issue.min, issue.max);
                let lo = low.map_or(issue.min, |l| l.value);
                let hi = high.map_or(issue.max, |h| h.value);
                if lo > hi + tol {
                    assert!(!s.zone_exists(), "{} step {}: crossing", sc.name, s.step);
                }
                if let Some(z) = s.extent_on(sc.front_issue) {
                    zones += 1;
                    assert!(
                        lo <= z.low + tol && z.high <= hi + tol,
                        "{} step {}",
                        sc.name,
                        s.step
                    );
                }
                // Each side is set by a consenting party whose own limit it is.
                for (side, upper) in [(low, false), (high, true)] {
                    if let Some(side) = side {
                        assert!(s.consenting.contains(&side.party));
                        let r = s.ranges[side.party].unwrap();
                        assert_eq!(side.value, if upper { r.high } else { r.low });
                    }
                }
            }
        }
    }
    assert!(zones >= 5, "{zones} steps with a zone checked");
}

#[test]
fn run_with_the_simple_style_draws_the_two_limits_and_the_verdict() {
    let out = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "run",
            "scenarios/budapest-cancelled.toml",
            "-q",
            "--style",
            "simple",
            "--out",
        ])
        .arg(out.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let all = texts(&std::fs::read_to_string(out.path().join("zone.svg")).unwrap());
    assert!(
        all.iter().any(|t| t.ends_with("do the two limits meet?")),
        "{all:?}"
    );
    assert!(all.iter().any(|t| t == "Russia needs at least"), "{all:?}");
    assert!(
        all.iter().any(|t| t == "Ukraine accepts at most"),
        "{all:?}"
    );
    assert!(all.iter().any(|t| t == "No zone at any step"), "{all:?}");
    // The whole issue on the axis: its ends are labelled.
    assert!(
        all.iter().any(|t| t == "0.0") && all.iter().any(|t| t == "30.0"),
        "{all:?}"
    );
}

/// Pixels of exactly the zone's colour in a PNG, inside the plot (left of
/// the legend, above the event list).
fn zone_pixels(path: &Path) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut n = 0;
    for y in 0..h * 3 / 4 {
        for x in 0..w * 3 / 4 {
            let i = (y * w + x) * channels;
            if buf[i..i + 3] == [chart::ZONE.0, chart::ZONE.1, chart::ZONE.2] {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_zone_of_almost_no_width_is_drawn_visibly_above_the_lines() {
    let out = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "scenarios/freeze-the-front.toml",
            "--set",
            "parties.russia.breaking_pressure=0.3",
            // Ukraine accepting a freeze (the header's other reading), so
            // that the lines meet and the zone can open.
            "--set",
            "parties.ukraine.red_lines.territory.max=0",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The zone is at most a few hundredths of a percent wide: under the
    // lines it would leave no pixel of its colour.
    let pixels = zone_pixels(&out.path().join("zone.png"));
    assert!(
        pixels > 500,
        "{pixels} pixels of the zone's colour in the plot"
    );
    let svg = std::fs::read_to_string(out.path().join("zone.svg")).unwrap();
    assert!(
        svg.contains("Zone too thin to see: on top"),
        "the legend says so"
    );
}

#[test]
fn the_per_issue_chart_shows_its_why_sentence_whole() {
    // The sentence above the panels, with a bar gap's worth in units, runs
    // to three lines where both walls close the zone: its last word is
    // drawn, at every step of every bundled scenario's run.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let sc = scenario::load(&entry.unwrap().path()).unwrap();
        let tl = sim::run(&sc, 1);
        for s in tl.steps.iter().step_by(7) {
            let svg = chart::svg(&chart::IssuesChart(&sc, s, &sc.step_unit)).unwrap();
            let why = zopa::why::zone_text(&sc, s);
            let last = why.split_whitespace().last().unwrap();
            let shown = texts(&svg).join(" ");
            assert!(
                shown.contains(last),
                "{} step {}: `{last}` of `{why}` not drawn",
                sc.name,
                s.step
            );
        }
    }
}
