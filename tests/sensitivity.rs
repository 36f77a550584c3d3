//! Which assumptions carry a result: every variant is the Monte Carlo
//! question asked again of the scenario with one field moved, on the same
//! streams; the ranking, the steps and the files follow from that.

use std::path::Path;

use zopa::mc;
use zopa::model::Scenario;
use zopa::sensitivity::{self, NOTICE, STEP};

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    zopa::scenario::load(&path).unwrap()
}

#[test]
fn each_variant_equals_a_monte_carlo_run_of_the_scenario_with_that_field_set() {
    let sc = load("freeze-the-front.toml");
    let s = sensitivity::analyse(&sc, 3, 100, 2, &mc::Silent);
    let last = sc.steps as usize - 1;
    let check = |scenario: &Scenario, counts: &mc::Counts| {
        let t = mc::simulate_quietly(scenario, 3, 100, 1);
        assert_eq!(counts.runs, t.runs);
        assert_eq!(counts.zone, t.zone_by[last], "zone within the horizon");
        assert_eq!(counts.deal, t.deals(), "deals");
    };
    check(&sc, &s.base);
    // The three largest effects and one of the smallest, down and up.
    for r in s.rows.iter().take(3).chain(s.rows.last()) {
        for (value, counts) in [(r.factor.low, &r.low), (r.factor.high, &r.high)] {
            let mut moved = sc.clone();
            moved.set(r.factor.target, value);
            check(&moved, counts);
        }
    }
}

#[test]
fn every_field_moves_a_quarter_of_its_span_clipped_to_its_allowed_range() {
    for name in [
        "budapest-cancelled.toml",
        "textbook.toml",
        "us-steps-back.toml",
    ] {
        let sc = load(name);
        let fs = sensitivity::factors(&sc);
        assert!(fs.iter().any(|f| f.path.ends_with(".reservation")));
        for f in &fs {
            let (lo, hi) = sc.target_range(f.target);
            let step = STEP * sc.target_span(f.target);
            assert_eq!(f.base, sc.get(f.target), "{}", f.path);
            assert_eq!(f.low, (f.base - step).max(lo), "{}", f.path);
            assert_eq!(f.high, (f.base + step).min(hi), "{}", f.path);
            assert!(f.low < f.high, "{}", f.path);
        }
    }
    // The baseline's red lines are among its assumptions.
    let paths: Vec<String> = sensitivity::factors(&load("budapest-cancelled.toml"))
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert!(paths.contains(&"parties.ukraine.red_lines.territory.max".to_string()));
    assert!(paths.contains(&"parties.russia.breaking_pressure".to_string()));
}

#[test]
fn rows_are_ranked_by_their_effect_on_the_zone_then_the_deal_then_the_gap() {
    let sc = load("freeze-the-front.toml");
    let s = sensitivity::analyse(&sc, 1, 100, 2, &mc::Silent);
    let key = |r: &sensitivity::Row| {
        let seen = |e: f64| if e >= NOTICE { e } else { 0.0 };
        (
            seen(r.zone_effect(&s.base)),
            seen(r.deal_effect(&s.base)),
            r.gap_effect(&s.base),
        )
    };
    for pair in s.rows.windows(2) {
        assert!(
            key(&pair[0]) >= key(&pair[1]),
            "{} before {}",
            pair[0].factor.path,
            pair[1].factor.path
        );
    }
    // This scenario's result is carried by pressure: some field moves
    // P(zone) by at least five points.
    assert!(!sensitivity::carriers(&s).is_empty());
}

#[test]
fn the_analysis_does_not_depend_on_the_threads() {
    let sc = load("sustained-pressure.toml");
    let one = sensitivity::analyse(&sc, 9, 120, 1, &mc::Silent);
    let three = sensitivity::analyse(&sc, 9, 120, 3, &mc::Silent);
    assert_eq!(one, three);
}

#[path = "support/cli.rs"]
mod cli;
use cli::zopa;

#[test]
fn the_command_writes_a_row_per_field_and_the_tornado_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let o = zopa(&[
        "sensitivity",
        "scenarios/textbook.toml",
        "--runs",
        "50",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let sc = load("textbook.toml");
    // The provenance line, the header, a row per factor.
    assert!(csv.starts_with("# zopa {\"command\":\"sensitivity\""));
    assert_eq!(csv.lines().count(), 2 + sensitivity::factors(&sc).len());
    // The textbook's bars, 0.4 and 0.3, leave 0.3 of room: the seller's
    // moves to 0.15 and 0.65 both keep a zone in every run (0.65 + 0.3 <= 1).
    let row = csv
        .lines()
        .find(|l| l.contains(",parties.seller.reservation,"))
        .unwrap();
    let cols: Vec<f64> = row.split(',').skip(2).map(|c| c.parse().unwrap()).collect();
    assert!((cols[1] - 0.15).abs() < 1e-12 && (cols[2] - 0.65).abs() < 1e-12);
    assert_eq!(&cols[4..7], [1.0, 1.0, 1.0]);
    // Neither move changes P(zone): a signed effect of 0, its interval
    // around it.
    assert_eq!(cols[13], 0.0);
    assert!(cols[14] < 0.0 && cols[15] > 0.0);
    for f in ["sensitivity.json", "sensitivity.svg", "sensitivity.png"] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn zero_runs_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let o = zopa(&[
        "sensitivity",
        "scenarios/textbook.toml",
        "--runs",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("at least 1 run"));
    assert!(!out.exists());
}

#[test]
fn the_printed_table_says_what_the_csv_holds() {
    // Every number of each printed field, recomputed from its CSV row.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let o = zopa(&[
        "sensitivity",
        "scenarios/freeze-the-front.toml",
        "--runs",
        "60",
        "--top",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let pct = |x: &str| format!("{:.1}%", 100.0 * x.parse::<f64>().unwrap());
    let num = |x: &str| zopa::text::value(x.parse().unwrap());
    let gap = |x: &str| zopa::text::gap_text(x.parse().unwrap());
    let lines: Vec<&str> = text.lines().collect();
    let mut carriers = Vec::new();
    for row in csv.lines().skip(2) {
        let c: Vec<&str> = row.split(',').collect();
        let head = format!("{}: {} -> {} / {}", c[1], num(c[2]), num(c[3]), num(c[4]));
        let at = lines
            .iter()
            .position(|l| *l == head)
            .unwrap_or_else(|| panic!("{head}"));
        let expect = format!(
            "    P(zone) {} / {}   P(deal) {} / {}   gap {} / {}",
            pct(c[7]),
            pct(c[8]),
            pct(c[10]),
            pct(c[11]),
            gap(c[13]),
            gap(c[14])
        );
        assert_eq!(lines[at + 1], expect);
        let effect = |k: usize| c[k].parse::<f64>().unwrap().abs();
        if effect(15) >= 0.05 || effect(18) >= 0.05 {
            carriers.push(c[1].to_string());
        }
    }
    let first = csv.lines().nth(2).unwrap().split(',').collect::<Vec<_>>();
    assert!(text.contains(&format!(
        "P(zone within 52 weeks) {}, P(deal) {}",
        pct(first[6]),
        pct(first[9])
    )));
    let named = format!(
        "Carrying the result (5 points or more): {}.",
        zopa::text::and_list(&carriers)
    );
    assert!(text.replace('\n', " ").contains(&named), "{named}");
}

/// Finding 8: two parties holding one line hand the wall to each other
/// when one moves alone, so sensitivity also moves them together, in a row
/// of their own named in words; under the freeze reading Ukraine and Europe
/// hold the same line on territory.
#[test]
fn parties_holding_one_line_are_also_moved_together() {
    let mut sc = load("freeze-the-front.toml");
    assert!(
        !sensitivity::factors(&sc).iter().any(|f| !f.also.is_empty()),
        "as written, Ukraine's and Europe's lines differ"
    );
    let freeze = "parties.ukraine.red_lines.territory.max=0".parse().unwrap();
    sc.assign(&freeze).unwrap();
    let fs = sensitivity::factors(&sc);
    let group: Vec<_> = fs.iter().filter(|f| !f.also.is_empty()).collect();
    assert_eq!(group.len(), 1, "{group:?}");
    let g = group[0];
    assert_eq!(
        g.path,
        "parties.ukraine.red_lines.territory.max+parties.europe.red_lines.territory.max"
    );
    assert_eq!(
        g.words,
        "Ukraine's and Europe's red line on territory (at most), moved together"
    );
    // Each alone still has its own row.
    for one in g.path.split('+') {
        assert!(fs.iter().any(|f| f.path == one), "{one}");
    }
    // Moved together, both lines take the value; the analysis runs that.
    let s = sensitivity::analyse(&sc, 3, 40, 2, &mc::Silent);
    let row = s.rows.iter().find(|r| r.factor.path == g.path).unwrap();
    let mut moved = sc.clone();
    moved.set(g.target, g.high);
    for &t in &g.also {
        moved.set(t, g.high);
    }
    let t = mc::simulate_quietly(&moved, 3, 40, 1);
    assert_eq!(row.high.zone, t.zone_by[sc.steps as usize - 1]);
    // Loosening Ukraine's line alone hands the wall to Europe's, the same
    // line (then a tighter one): nothing changes. Loosening both does.
    let ukraine = s
        .rows
        .iter()
        .find(|r| r.factor.path == "parties.ukraine.red_lines.territory.max")
        .unwrap();
    let base = s.base.mean_smallest_gap();
    assert!((ukraine.high.mean_smallest_gap() - base).abs() < 1e-12);
    assert!((row.high.mean_smallest_gap() - base).abs() > 1e-6);
}

/// Finding 12: sensitivity moves only what the file states (and the
/// mediator), never a default it never wrote such as Russia's aid to
/// Ukraine, and names every field in words beside its path.
#[test]
fn only_stated_fields_are_moved_and_each_is_named_in_words() {
    let sc = load("budapest-cancelled.toml");
    for f in sensitivity::factors(&sc) {
        assert!(f.words != f.path && !f.words.contains("parties."), "{f:?}");
        assert!(
            ![
                "parties.russia.aid_per_step",
                "parties.russia.pressure_per_step"
            ]
            .contains(&f.path.as_str()),
            "{}",
            f.path
        );
    }
}

/// A red line that follows the front is an offset from it: its row says so,
/// in the world's own name for the front, since "0 (down -10 / up 10)"
/// would otherwise read as a wage of nothing.
#[test]
fn a_line_that_follows_the_front_is_named_as_an_offset_from_it() {
    let sc = load("uaw-strike.toml");
    let ford = sensitivity::words(&sc, "parties.ford.red_lines.wage.max");
    assert_eq!(
        ford,
        "Ford's red line on wage (at most), as an offset from the best offer on the table"
    );
    let union = sensitivity::words(&sc, "parties.union.red_lines.wage.min");
    assert_eq!(union, "UAW's red line on wage (at least)");
}

/// An analyst reading `sensitivity.csv` in R and `sensitivity.json` in
/// pandas finds the same fields under the same names, one row a factor.
#[test]
fn the_csv_and_the_json_hold_the_same_fields_and_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let o = zopa(&[
        "sensitivity",
        "scenarios/textbook.toml",
        "--runs",
        "20",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut lines = csv.lines().filter(|l| !l.starts_with('#'));
    let mut header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows: Vec<&str> = lines.collect();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sensitivity.json")).unwrap())
            .unwrap();
    let factors = json["factors"].as_array().expect("factors");
    assert_eq!(factors.len(), rows.len());
    for (f, row) in factors.iter().zip(&rows) {
        let mut keys: Vec<String> = f.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        header.sort();
        assert_eq!(keys, header);
        assert!(row.contains(f["path"].as_str().unwrap()), "{row}");
    }
}
