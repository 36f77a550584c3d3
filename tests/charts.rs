//! The zone chart read as a person reads it: every event listed with the
//! number it has in the file, every party in the legend (one with no limit
//! on the issue listed as accepting the whole range), and the axis fixed
//! where the scenario or `--y-range` asks.

#[path = "support/svg.rs"]
mod svg;

use std::path::Path;
use svg::texts;

use zopa::{chart, scenario, sim};

fn load(name: &str) -> zopa::model::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
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
        pixels > 300,
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

/// A box on the page: left, top, right, bottom in pixels.
type Box2 = (f64, f64, f64, f64);

fn attr(n: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    n.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// The boxes of the zone chart's right-hand labels (every text naming a
/// limit, or one of the front issue's marks) with their texts. The SVG
/// writes a font size of the size asked for over 1.24; the box is measured
/// at the size asked for, as the PNG draws it, and a little taller than
/// the glyphs.
fn label_boxes(svg: &str, marks: &[String]) -> Vec<(String, Box2)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well formed");
    let mut out = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let text: String = n.descendants().filter_map(|d| d.text()).collect();
        let text = text.trim().lines().next().unwrap_or("").to_string();
        let names_a_line = text.contains(": at least")
            || text.contains(": at most")
            || marks
                .iter()
                .any(|m| text.starts_with(m.trim_end_matches('…')));
        if !names_a_line {
            continue;
        }
        let size = (attr(n, "font-size") * 1.24).round();
        let w = f64::from(zopa::chart::text_width(&text, size as u32));
        let (x, y) = (attr(n, "x"), attr(n, "y"));
        let left = match n.attribute("text-anchor") {
            Some("end") => x - w,
            Some("middle") => x - w / 2.0,
            _ => x,
        };
        let (top, bottom) = match n.attribute("dy") {
            Some("0.76em") => (y, y + 1.1 * size),
            _ => (y - 0.55 * size, y + 0.55 * size),
        };
        out.push((text, (left, top, left + w, bottom)));
    }
    out
}

/// Every stroke and filled box of the SVG (lines, polylines, rectangles
/// but the background), each as the boxes its segments cover.
fn ink_boxes(svg: &str) -> Vec<(String, Box2)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well formed");
    let mut out = Vec::new();
    let segment =
        |out: &mut Vec<(String, Box2)>, what: String, a: (f64, f64), b: (f64, f64), w: f64| {
            // Sampled every half pixel, so a slanted leader is covered closely.
            let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) * 2.0)
                .ceil()
                .max(1.0) as usize;
            for k in 0..=steps {
                let t = k as f64 / steps as f64;
                let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                out.push((
                    what.clone(),
                    (x - w / 2.0, y - w / 2.0, x + w / 2.0, y + w / 2.0),
                ));
            }
        };
    for n in doc.descendants() {
        let w = attr(n, "stroke-width").max(1.0);
        if n.has_tag_name("line") {
            let (a, b) = (
                (attr(n, "x1"), attr(n, "y1")),
                (attr(n, "x2"), attr(n, "y2")),
            );
            segment(&mut out, format!("line {a:?}-{b:?}"), a, b, w);
        } else if n.has_tag_name("polyline") {
            let pts: Vec<(f64, f64)> = (n.attribute("points").unwrap_or(""))
                .split_whitespace()
                .filter_map(|p| p.split_once(','))
                .filter_map(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))
                .collect();
            let what = format!(
                "polyline {} from {:?}",
                n.attribute("stroke").unwrap_or(""),
                pts.first()
            );
            for pair in pts.windows(2) {
                segment(&mut out, what.clone(), pair[0], pair[1], w);
            }
        } else if n.has_tag_name("rect") {
            let (x, y) = (attr(n, "x"), attr(n, "y"));
            let (rw, rh) = (attr(n, "width"), attr(n, "height"));
            if x == 0.0 && y == 0.0 {
                continue;
            }
            out.push((format!("rect at ({x}, {y})"), (x, y, x + rw, y + rh)));
        }
    }
    out
}

fn overlap(a: Box2, b: Box2) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The overlaps of one zone chart's right-hand labels with each other and
/// with any line or box drawn; `what` names the chart in the messages.
fn label_overlaps(svg: &str, sc: &zopa::model::Scenario, what: &str) -> Vec<String> {
    let marks: Vec<String> = (sc.issues[sc.front_issue].marks.iter())
        .map(|m| m.label.chars().take(12).collect())
        .collect();
    let labels = label_boxes(svg, &marks);
    let ink = ink_boxes(svg);
    let mut found = Vec::new();
    for (i, (text, b)) in labels.iter().enumerate() {
        for (other, ob) in &labels[i + 1..] {
            if overlap(*b, *ob) {
                found.push(format!("{what}: `{text}` overlaps `{other}`"));
            }
        }
        if let Some((line, _)) = ink.iter().find(|(_, ib)| overlap(*b, *ib)) {
            found.push(format!("{what}: `{text}` {b:?} lies on {line}"));
        }
    }
    found
}

#[test]
fn the_zone_charts_right_hand_labels_overlap_neither_each_other_nor_a_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".toml")
                .map(String::from)
        })
        .collect();
    names.sort();
    let mut found = Vec::new();
    let mut labelled = 0;
    for name in &names {
        let sc = load(name);
        for seed in [1, 2] {
            let tl = sim::run(&sc, seed);
            let svg = chart::svg(&chart::ZoneChart(&sc, &tl)).unwrap();
            labelled += label_boxes(&svg, &[]).len();
            found.extend(label_overlaps(&svg, &sc, &format!("{name} seed {seed}")));
        }
    }
    assert!(
        labelled >= 2 * names.len(),
        "the labels are found ({labelled})"
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The zone chart `zopa run` writes for a scenario with `--set`s.
fn variant_svg(name: &str, sets: &[&str], out: &Path) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"));
    cmd.arg("run")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml")))
        .args(["--quiet", "--out"])
        .arg(out);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let done = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{name} {sets:?}: {err}");
    std::fs::read_to_string(out.join("zone.svg")).unwrap()
}

#[test]
fn a_variants_zone_chart_keeps_its_labels_clear_too() {
    let out = tempfile::tempdir().unwrap();
    let variants: [(&str, &[&str]); 6] = [
        (
            "freeze-the-front",
            &["parties.russia.breaking_pressure=0.3"],
        ),
        (
            "budapest-cancelled",
            &["parties.ukraine.red_lines.territory.max=0"],
        ),
        (
            "freeze-the-front",
            &[
                "parties.russia.breaking_pressure=0.3",
                "parties.ukraine.red_lines.territory.max=0",
            ],
        ),
        (
            "budapest-cancelled",
            &["parties.russia.breaking_pressure=0.5"],
        ),
        ("us-steps-back", &["world.pressure=0.9"]),
        ("textbook", &["parties.buyer.reservation=0.1"]),
    ];
    let mut found = Vec::new();
    for (k, (name, sets)) in variants.iter().enumerate() {
        let svg = variant_svg(name, sets, &out.path().join(k.to_string()));
        found.extend(label_overlaps(
            &svg,
            &load(name),
            &format!("{name} {sets:?}"),
        ));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn lines_that_end_together_are_named_together() {
    // Under the freeze reading Ukraine's limit joins Europe's on the front.
    let out = tempfile::tempdir().unwrap();
    let sets = ["parties.ukraine.red_lines.territory.max=0"];
    let svg = variant_svg("budapest-cancelled", &sets, out.path());
    let all = texts(&svg);
    assert!(
        all.iter().any(|t| t == "Ukraine = Europe: at most"),
        "{all:?}"
    );
    assert!(!all.iter().any(|t| t == "Ukraine: at most"), "{all:?}");
    // Lines apart keep their own names.
    let sc = load("budapest-cancelled");
    let all = texts(&chart::svg(&chart::ZoneChart(&sc, &sim::run(&sc, 1))).unwrap());
    assert!(all.iter().any(|t| t == "Ukraine: at most"), "{all:?}");
    assert!(all.iter().any(|t| t == "Europe: at most"), "{all:?}");
}

#[test]
fn events_are_listed_in_step_order_with_their_numbers() {
    for name in [
        "freeze-the-front",
        "sustained-pressure",
        "budapest-cancelled",
        "textbook",
    ] {
        let sc = load(name);
        let tl = sim::run(&sc, 1);
        let listed: Vec<(u32, usize)> = texts(&chart::svg(&chart::ZoneChart(&sc, &tl)).unwrap())
            .iter()
            .filter_map(|t| {
                let (number, rest) = t.split_once(".  ")?;
                let step = rest.split(':').next()?.rsplit(' ').next()?;
                Some((step.parse().ok()?, number.parse().ok()?))
            })
            .collect();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(
            listed, sorted,
            "{name}: events in step order, then by number"
        );
        let fired: usize = tl.steps.iter().map(|s| s.events.len()).sum();
        assert_eq!(listed.len(), fired, "{name}: every event listed");
    }
}

#[test]
fn the_palette_keeps_eight_series_apart_for_every_common_colour_vision() {
    // Normal vision, protanopia and deuteranopia (Machado, Oliveira and
    // Fernandes 2009, full severity), as `zopa validate` judges colours.
    let p = chart::PALETTE;
    assert_eq!(p.len(), 8);
    for i in 0..p.len() {
        for j in i + 1..p.len() {
            let (d, vision) = scenario::colour::closest(rgb_of(p[i]), rgb_of(p[j]));
            // 15 units of L*a*b* is a difference seen at a glance.
            assert!(
                d >= 15.0,
                "{}: colours {i} and {j} only {d:.1} apart",
                vision.name()
            );
        }
    }
}

fn rgb_of(c: plotters::style::RGBColor) -> [u8; 3] {
    [c.0, c.1, c.2]
}

#[test]
fn a_probability_of_a_few_percent_gets_an_axis_of_a_few_percent() {
    assert_eq!(chart::probability_top(0.04), 0.05);
    assert_eq!(chart::probability_top(0.012), 0.02);
    assert_eq!(chart::probability_top(0.3), 0.5);
    assert_eq!(chart::probability_top(0.95), 1.0);
    assert_eq!(chart::Ticks::Percent(0.05).label(0.025), "2.5%");
    assert_eq!(chart::Ticks::Percent(1.0).label(0.25), "25%");
}

#[test]
fn the_tornado_names_each_assumption_in_words() {
    let out = tempfile::tempdir().unwrap();
    let done = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "sensitivity",
            "scenarios/budapest-cancelled.toml",
            "--runs",
            "10",
        ])
        .args(["--quiet", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let all = texts(&std::fs::read_to_string(out.path().join("sensitivity.svg")).unwrap());
    assert!(
        all.iter().any(|t| t == "Russia's breaking pressure"),
        "{all:?}"
    );
    assert!(!all.iter().any(|t| t.starts_with("parties.")), "{all:?}");
}

#[test]
fn the_per_issue_chart_draws_each_red_line_apart_from_the_bars() {
    // Each red line a consenting party draws is a cap of its own (a vertical
    // stroke three pixels wide), so the heading's red-line figures are on
    // the chart even where a party's bar stops short of its line.
    let sc = load("budapest-cancelled");
    let tl = sim::run(&sc, 1);
    let s = tl.steps.last().unwrap();
    let lines: usize = (s.consenting.iter())
        .map(|&p| {
            let t = &s.terms[p];
            (0..sc.issues.len())
                .map(|k| usize::from(t.lower[k].is_finite()) + usize::from(t.upper[k].is_finite()))
                .sum::<usize>()
        })
        .sum();
    assert!(lines >= 4, "the scenario draws red lines ({lines})");
    let svg = chart::svg(&chart::IssuesChart(&sc, s, "week")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let caps = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("3"))
        .filter(|n| {
            let pts: Vec<&str> = n
                .attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .collect();
            pts.len() == 2 && pts[0].split(',').next() == pts[1].split(',').next()
        })
        .count();
    assert_eq!(caps, lines, "a cap for every red line");
    assert!(
        texts(&svg)
            .iter()
            .any(|t| t.contains("brackets: its red lines"))
    );
}

/// The centres of the SVG's circles of radius `r` filled with `fill`.
fn circles(svg: &str, r: &str, fill: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well formed");
    doc.descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("r") == Some(r))
        .filter(|n| {
            n.attribute("fill")
                .is_some_and(|f| f.eq_ignore_ascii_case(fill))
        })
        .map(|n| {
            let at = |a: &str| n.attribute(a).unwrap_or("").to_string();
            (at("cx"), at("cy"))
        })
        .collect()
}

/// A used car with no zone although the red lines leave room: the buyer
/// will not pay above 9, the seller wants at least 8 and the buyer at
/// most 7.
fn car_without_a_zone(dir: &Path) -> zopa::model::Scenario {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/textbook.toml")).unwrap();
    let text = text
        .replacen("reservation = 0.4", "reservation = 0.8", 1)
        .replacen(
            "ideal = { price = 0 }",
            "ideal = { price = 0 }\nred_lines = [{ issue = \"price\", max = 9 }]",
            1,
        );
    let file = dir.join("car.toml");
    std::fs::write(&file, text).unwrap();
    scenario::load(&file).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_outcome_chart_draws_in_colour_only_what_every_red_line_allows() {
    let tmp = tempfile::tempdir().unwrap();
    let car = car_without_a_zone(tmp.path());
    let (ok, grey) = outcome_in_colour(&car, "car");
    assert!(ok > 0 && grey > 0, "{ok} in colour, {grey} greyed out");
    // The article's red lines leave nothing: all is greyed out.
    let (ok, _) = outcome_in_colour(&load("budapest-cancelled"), "budapest-cancelled");
    assert_eq!(ok, 0);
}

/// Checks the outcome chart of `sc`'s telling step, a step without a zone,
/// and returns how many settlements it draws in colour and in grey.
fn outcome_in_colour(sc: &zopa::model::Scenario, name: &str) -> (usize, usize) {
    let tl = sim::run(sc, 1);
    let facts = zopa::facts::Facts::of(sc, &tl);
    let step = &tl.steps[facts.telling_step() as usize];
    let pair = facts.outcome_pair(step);
    let space = zopa::outcome::pair_space(sc, &tl, step.step, pair);
    assert!(space.in_zone.is_empty(), "{name}: a case without a zone");
    // Read the red lines from the step's terms, not from the chart's facts.
    let breaks = |y: &[f64]| {
        step.consenting.iter().any(|&p| {
            let t = &step.terms[p];
            (sc.issues.iter().zip(y).enumerate()).any(|(k, (issue, &v))| {
                let v = issue.normalise(v);
                v < t.lower[k] - 1e-9 || v > t.upper[k] + 1e-9
            })
        })
    };
    let (allowed, forbidden): (Vec<_>, Vec<_>) =
        space.settlements.iter().partition(|g| g.within_red_lines);
    assert!(
        !forbidden.is_empty(),
        "{name}: a red line forbids some settlement"
    );
    for g in &allowed {
        assert!(
            !breaks(&g.settlement),
            "{name}: {:?} breaks a red line",
            g.settlement
        );
    }
    for g in &forbidden {
        assert!(
            breaks(&g.settlement),
            "{name}: {:?} is greyed out",
            g.settlement
        );
    }
    let figure = chart::outcome::OutcomeChart {
        scenario: sc,
        timeline: &tl,
        step: step.step,
        pair,
    };
    let svg = chart::svg(&figure).unwrap();
    // Exactly the allowed settlements are drawn in colour, the rest in grey.
    assert_eq!(circles(&svg, "2", "#A6761D").len(), allowed.len(), "{name}");
    assert_eq!(
        circles(&svg, "2", "#D7D7D7").len(),
        forbidden.len(),
        "{name}"
    );
    let said = texts(&svg).join(" ");
    let lines = &space.excluded_by.red_lines;
    let bars = &space.excluded_by.bars;
    assert!(!lines.is_empty(), "{name}: {:?}", space.excluded_by);
    assert_eq!(
        bars.is_empty(),
        allowed.is_empty(),
        "{name}: {:?}",
        space.excluded_by
    );
    for &p in lines.iter().chain(bars) {
        assert!(said.contains(&sc.parties[p].name), "{name}: {said}");
    }
    assert!(
        said.contains("Greyed out") && said.contains("no zone"),
        "{name}: {said}"
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    chart::png(&figure, &dir.join(format!("outcome-{name}.png"))).unwrap();
    (allowed.len(), forbidden.len())
}

/// The legend's price of a step of the gap chart's bars axis, as drawn:
/// the step and the figures after it, up to the sentence's end.
fn bar_price(svg: &str) -> Option<(f64, Vec<f64>)> {
    let shown = texts(svg).join(" ");
    let at = shown.find(" of bar gap is worth ")?;
    let start = shown[..at].rfind(' ').map_or(0, |i| i + 1);
    let sentence = &shown[start..];
    let sentence = &sentence[..sentence.find("most).").expect("the sentence ends")];
    let mut nums = sentence
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let unit = nums.next()?;
    Some((unit, nums.collect()))
}

#[test]
fn the_gap_chart_prices_a_step_of_the_bars_axis_in_the_front_issues_units() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut priced = 0;
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let sc = scenario::load(&entry.unwrap().path()).unwrap();
        let tl = sim::run(&sc, 1);
        let svg = chart::svg(&chart::GapChart(&sc, &tl)).unwrap();
        // Who keeps the bars apart at the most steps, counted here.
        let mut steps = vec![0; sc.parties.len()];
        for s in &tl.steps {
            for b in &s.bar_blockers {
                steps[b.party] += 1;
            }
        }
        let most = *steps.iter().max().unwrap();
        let Some((unit, worths)) = bar_price(&svg) else {
            assert_eq!(most, 0, "{}: a bar blocker but no price", sc.name);
            continue;
        };
        priced += 1;
        // A power of ten that fits three to thirty times on the axis.
        assert!((unit.log10() - unit.log10().round()).abs() < 1e-9, "{unit}");
        let (lo, hi) = tl.steps.iter().fold((0.0f64, 0.0f64), |(a, b), s| {
            (a.min(s.bar_gap), b.max(s.bar_gap))
        });
        // The axis: the bar gaps and zero, a tenth of their span (at least
        // 0.02) above and below.
        let pad = (0.1 * (hi - lo)).max(0.02);
        let span = hi - lo + 2.0 * pad;
        assert!(
            span / unit >= 3.0 && span / unit < 30.0,
            "{}: {unit} on {span}",
            sc.name
        );
        // Its worth to each of them: unit times the front's range over the
        // party's weight on it.
        let want: Vec<f64> = (0..sc.parties.len())
            .filter(|&p| steps[p] == most)
            .take(2)
            .map(|p| {
                let front = &sc.issues[sc.front_issue];
                unit * front.range() / sc.parties[p].weight[sc.front_issue]
            })
            .collect();
        assert_eq!(worths.len(), want.len(), "{}: {worths:?} {want:?}", sc.name);
        for (g, w) in worths.iter().zip(&want) {
            assert!((g - w).abs() <= 0.005 + 1e-9, "{}: {g} for {w}", sc.name);
        }
    }
    assert!(
        priced >= 5,
        "most bundled runs have a bar blocker: {priced}"
    );
}

#[test]
fn crossing_lines_and_apart_bars_never_share_an_axis() {
    let sc = load("budapest-cancelled");
    let tl = sim::run(&sc, 1);
    let shown = texts(&chart::svg(&chart::GapChart(&sc, &tl)).unwrap());
    assert!(
        shown.iter().any(|t| t == "lines cross (% of Ukraine)"),
        "{shown:?}"
    );
    assert!(shown.iter().any(|t| t == "bars apart (utility)"));
    // A variant whose lines meet, against the scenario as written, whose
    // lines cross: each wall on its own axis, in both runs.
    let mut variant = sc.clone();
    for set in [
        "parties.ukraine.red_lines.territory.max=0",
        "parties.russia.breaking_pressure=0.3",
    ] {
        variant.assign(&set.parse().unwrap()).unwrap();
    }
    let vt = sim::run(&variant, 1);
    assert!(!vt.steps.last().unwrap().lines_cross());
    let svg = chart::svg(&chart::GapVersus(&variant, &vt, &tl, "as written")).unwrap();
    let shown = texts(&svg);
    assert!(shown.iter().any(|t| t == "lines cross (% of Ukraine)"));
    assert!(shown.iter().any(|t| t == "bars apart (utility)"));
    // Where no lines ever cross, the bars' axis alone.
    let sc = load("textbook");
    let tl = sim::run(&sc, 1);
    let shown = texts(&chart::svg(&chart::GapChart(&sc, &tl)).unwrap());
    assert!(!shown.iter().any(|t| t.starts_with("lines cross")));
    assert!(shown.iter().any(|t| t == "bars apart (utility)"));
}

/// The least L*a*b* distance of two colours over the three visions.
fn least_apart(a: [u8; 3], b: [u8; 3]) -> f64 {
    scenario::colour::closest(a, b).0
}

#[test]
fn every_bundled_scenario_keeps_its_parties_colours_apart_for_colour_blind_readers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let sc = scenario::load(&entry.unwrap().path()).unwrap();
        for (j, b) in sc.parties.iter().enumerate() {
            for a in &sc.parties[..j] {
                let d = least_apart(a.colour, b.colour);
                assert!(
                    d >= 15.0,
                    "{}: {} and {} only {d:.1} apart",
                    sc.name,
                    a.id,
                    b.id
                );
            }
        }
        assert!(scenario::colour::clashes(&sc).is_empty(), "{}", sc.name);
    }
}

#[test]
fn two_colours_a_deuteranope_cannot_tell_apart_are_named_with_a_palette_colour_instead() {
    let mut sc = load("budapest-cancelled");
    let europe = sc.party_index("europe").unwrap();
    let usa = sc.party_index("usa").unwrap();
    // The blue and purple the four-party scenarios once gave the United
    // States and Europe.
    sc.parties[usa].colour = [0x00, 0x72, 0xb2];
    sc.parties[europe].colour = [0x7b, 0x32, 0x94];
    let clashes = scenario::colour::clashes(&sc);
    assert_eq!(clashes.len(), 1, "{clashes:?}");
    let c = &clashes[0];
    assert_eq!((c.first, c.second), (usa, europe));
    assert_eq!(c.vision, scenario::colour::Vision::Deuteranopia);
    let d = least_apart(sc.parties[usa].colour, sc.parties[europe].colour);
    assert!(
        (c.distance - d).abs() < 1e-9 && d < 15.0,
        "{} {d}",
        c.distance
    );
    let instead = c.instead.expect("a palette colour fits");
    for (k, p) in sc.parties.iter().enumerate() {
        if k != europe {
            assert!(least_apart(instead, p.colour) >= 15.0, "{} too close", p.id);
        }
    }
    // The suggestion comes from the charts' own palette, the zone's green
    // left out.
    let palette: Vec<[u8; 3]> = chart::PALETTE.iter().map(|c| [c.0, c.1, c.2]).collect();
    assert!(palette.contains(&instead));
    assert_ne!(instead, [0, 158, 115]);
    let message = c.message(&sc);
    assert!(message.contains("`usa` (#0072b2)") && message.contains("`europe` (#7b3294)"));
    assert!(message.contains("deuteranopia") && message.contains(&scenario::colour::hex(instead)));
}

#[test]
fn validate_warns_of_colours_alike_and_still_accepts_the_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/budapest-cancelled.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alike.toml");
    // Europe's colour as Russia's, a shade off.
    let europe = text.rfind("colour = \"").unwrap();
    let text = format!(
        "{}colour = \"#d65f01\"{}",
        &text[..europe],
        &text[europe + "colour = \"#cc79a7\"".len()..]
    );
    let text = text.replace("../seeds/", &format!("{}/seeds/", root.display()));
    std::fs::write(&path, &text).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning:") && err.contains("`russia` (#d55e00) and `europe` (#d65f01)"),
        "{err}"
    );
    // It points at Europe's colour: the value to change.
    let value = text.rfind("\"#d65f01\"").unwrap();
    let line = text[..value].matches('\n').count() + 1;
    let col = value - text[..value].rfind('\n').map_or(0, |i| i + 1) + 1;
    let at = format!("warning: {}:{line}:{col}: ", path.display());
    assert!(err.contains(&at), "{at}\n{err}");
}

#[test]
fn the_tornado_says_its_gap_axis_and_issue_fields_in_units() {
    let sc = load("uaw-strike");
    let s = zopa::sensitivity::analyse(&sc, 1, 20, 1, &zopa::mc::Silent);
    let svg = chart::svg(&chart::sensitivity::Tornado(&sc, &s)).unwrap();
    // A step of the gap axis priced as the gap chart prices it, for those
    // who keep the bars apart most in the run as written.
    let (unit, worths) = bar_price(&svg).expect("the gap axis is priced");
    let tl = sim::run(&sc, s.seed);
    let mut steps = vec![0; sc.parties.len()];
    for st in &tl.steps {
        for b in &st.bar_blockers {
            steps[b.party] += 1;
        }
    }
    let most = *steps.iter().max().unwrap();
    let front = &sc.issues[sc.front_issue];
    let want: Vec<f64> = (0..sc.parties.len())
        .filter(|&p| steps[p] == most)
        .take(2)
        .map(|p| unit * front.range() / sc.parties[p].weight[sc.front_issue])
        .collect();
    assert_eq!(worths.len(), want.len(), "{worths:?} {want:?}");
    for (g, w) in worths.iter().zip(&want) {
        assert!((g - w).abs() <= 0.005 + 1e-9, "{g} for {w}");
    }
    // A red line's values carry the issue's unit.
    let line = (s.rows.iter().map(|r| &r.factor))
        .find(|f| f.path == "parties.union.red_lines.wage.min")
        .expect("the union's line is moved");
    let said = format!(
        "{:.2} % (down {:.2} % / up {:.2} %)",
        line.base, line.low, line.high
    );
    assert!(texts(&svg).contains(&said), "{said}");
}
