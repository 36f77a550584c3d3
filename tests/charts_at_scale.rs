//! Charts at 12 issues and 40 parties read as at four and eight: the zone
//! chart names the parties whose limits bind and sums up the rest in one
//! legend line, the gap chart's strip of who blocks keeps to the parties
//! with the largest share, the issue-by-issue chart folds onto pages, and
//! a small scenario is drawn as before, every party named.

#[path = "support/svg.rs"]
mod svg;

use std::path::Path;
use svg::texts;

use zopa::chart::{self, crowd, legend::Mark};
use zopa::model::Scenario;
use zopa::scenario;
use zopa::sim::{self, Timeline};

fn load(path: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn big() -> (Scenario, Timeline) {
    let sc = load("tests/data/scale-12-issues-40-parties.toml");
    let tl = sim::run(&sc, 1);
    (sc, tl)
}

/// The parties a text names: a party's name, alone or followed by a space
/// or a colon ("Party 1" is not read in "Party 12").
fn party_named(sc: &Scenario, t: &str) -> Option<usize> {
    (0..sc.parties.len()).find(|&p| {
        let name = &sc.parties[p].name;
        t == name || t.starts_with(&format!("{name} ")) || t.starts_with(&format!("{name}:"))
    })
}

/// Whether party `p`'s limit on the front issue is the tightest of the
/// parties at the table at some step, or it accepts nothing there: read
/// straight from the timeline.
fn binds_somewhere(sc: &Scenario, tl: &Timeline, p: usize) -> bool {
    let issue = &sc.issues[sc.front_issue];
    let eps = issue.range() * 1e-6;
    let real = |v: f64| v > issue.min + eps && v < issue.max - eps;
    tl.steps.iter().any(|s| {
        if !s.engaged[p] {
            return false;
        }
        let Some(mine) = s.ranges[p] else {
            return true;
        };
        let at_table = (0..sc.parties.len()).filter(|&q| s.engaged[q]);
        let ranges: Vec<_> = at_table.filter_map(|q| s.ranges[q]).collect();
        let top = ranges
            .iter()
            .map(|r| r.low)
            .filter(|&v| real(v))
            .fold(f64::NAN, f64::max);
        let bottom = ranges
            .iter()
            .map(|r| r.high)
            .filter(|&v| real(v))
            .fold(f64::NAN, f64::min);
        (real(mine.low) && mine.low >= top - eps) || (real(mine.high) && mine.high <= bottom + eps)
    })
}

#[test]
fn at_40_parties_the_zone_legend_names_the_binding_parties_and_counts_the_rest() {
    let (sc, tl) = big();
    assert_eq!(sc.parties.len(), 40);
    let (_, entries) = chart::zone_svg_and_legend(&sc, &tl, None).unwrap();
    let named: Vec<usize> = entries
        .iter()
        .filter_map(|(_, t)| party_named(&sc, t))
        .collect();
    assert!(
        !named.is_empty(),
        "some party binds: {entries:?}",
        entries = texts_of(&entries)
    );
    assert!(named.len() <= crowd::MOST_NAMED, "{named:?}");
    for &p in &named {
        assert!(
            binds_somewhere(&sc, &tl, p),
            "{} is named but never binds",
            sc.parties[p].name
        );
    }
    let rest: Vec<&String> = (entries.iter().map(|e| &e.1))
        .filter(|t| t.starts_with("and "))
        .collect();
    assert_eq!(rest.len(), 1, "{:?}", texts_of(&entries));
    let n: usize = rest[0].split(' ').nth(1).unwrap().parse().unwrap();
    assert_eq!(n, sc.parties.len() - named.len(), "{}", rest[0]);
    // The lines' names at the right are of named parties only.
    let svg = chart::svg(&chart::ZoneChart(&sc, &tl)).unwrap();
    let labelled: Vec<usize> = texts(&svg)
        .iter()
        .filter(|t| t.ends_with(": at least") || t.ends_with(": at most"))
        .filter_map(|t| party_named(&sc, t))
        .collect();
    assert!(!labelled.is_empty());
    assert!(
        labelled.iter().all(|p| named.contains(p)),
        "{labelled:?} {named:?}"
    );
}

fn texts_of(entries: &[(Mark, String)]) -> Vec<&str> {
    entries.iter().map(|e| e.1.as_str()).collect()
}

#[test]
fn the_named_parties_are_drawn_in_colours_far_apart() {
    let (sc, tl) = big();
    let named = crowd::zone_named(&sc, &tl);
    let colours = crowd::colours(&sc, &named);
    for (i, a) in colours.iter().enumerate() {
        for b in &colours[..i] {
            let d = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
            let far = (d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)).sqrt();
            assert!(far > 90.0, "{a:?} and {b:?}");
        }
    }
}

#[test]
fn at_40_parties_the_gap_strip_keeps_the_main_blockers_and_counts_the_rest() {
    let (sc, tl) = big();
    let svg = chart::svg(&chart::GapChart(&sc, &tl)).unwrap();
    let all = texts(&svg);
    let rows: Vec<usize> = all.iter().filter_map(|t| party_named(&sc, t)).collect();
    assert!(rows.len() <= crowd::MOST_NAMED, "{rows:?}");
    let veto = sc.parties.iter().filter(|p| p.veto).count();
    let rest = all
        .iter()
        .find(|t| t.starts_with("and "))
        .expect("the rest summed up");
    let n: usize = rest.split(' ').nth(1).unwrap().parse().unwrap();
    assert_eq!(n, veto - rows.len(), "{rest}");
    // The report's main blocker has a row.
    let facts = zopa::facts::Facts::of(&sc, &tl);
    assert!(!facts.main_blockers.is_empty());
    for p in &facts.main_blockers {
        assert!(rows.contains(p), "{} has no row", sc.parties[*p].name);
    }
    // No party left out blocks at more steps than one with a row, nor at
    // as many with a larger share of the gap.
    let blocked = |p: usize| -> (usize, f64) {
        let of_p = tl
            .steps
            .iter()
            .flat_map(|s| &s.blockers)
            .filter(|b| b.party == p);
        (of_p.clone().count(), of_p.map(|b| b.share.max(0.0)).sum())
    };
    let least_shown = rows
        .iter()
        .map(|&p| blocked(p))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .unwrap();
    for p in (0..sc.parties.len()).filter(|p| !rows.contains(p) && sc.parties[*p].veto) {
        let (steps, share) = blocked(p);
        assert!(
            steps < least_shown.0 || (steps == least_shown.0 && share <= least_shown.1 + 1e-3),
            "{} left out",
            sc.parties[p].name
        );
    }
}

#[test]
fn at_12_issues_the_issue_chart_folds_onto_pages_of_four() {
    let (sc, tl) = big();
    let step = &tl.steps[tl.steps.len() / 2];
    let pages = chart::issues::pages(&sc);
    assert_eq!(pages, sc.issues.len().div_ceil(chart::issues::PER_PAGE));
    let mut seen = Vec::new();
    for page in 0..pages {
        let svg = chart::svg(&chart::IssuesPage(&sc, step, &sc.step_unit, page)).unwrap();
        let all = texts(&svg);
        let panels: Vec<usize> = (0..sc.issues.len())
            .filter(|&k| {
                let head = format!("{}: ", sc.issues[k].label);
                all.iter().any(|t| t.starts_with(&head))
            })
            .collect();
        assert!(
            panels.len() <= chart::issues::PER_PAGE,
            "page {page}: {panels:?}"
        );
        let title = format!("of {})", sc.issues.len());
        assert!(
            all.iter().any(|t| t.ends_with(&title)),
            "page {page}: {all:?}"
        );
        // A panel names at most a few parties and sums up the rest.
        // (A row's label is the party's name alone.)
        let names = (all.iter())
            .filter(|t| sc.parties.iter().any(|p| &p.name == *t))
            .count();
        assert!(
            names <= panels.len() * crowd::MOST_NAMED,
            "page {page}: {names}"
        );
        seen.extend(panels);
    }
    assert_eq!(
        seen,
        (0..sc.issues.len()).collect::<Vec<_>>(),
        "each issue once, in order"
    );
}

#[test]
fn a_small_scenario_names_every_party_on_one_page() {
    let sc = load("scenarios/budapest-cancelled.toml");
    let tl = sim::run(&sc, 1);
    assert_eq!(chart::issues::pages(&sc), 1);
    let (_, entries) = chart::zone_svg_and_legend(&sc, &tl, None).unwrap();
    let named: Vec<usize> = entries
        .iter()
        .filter_map(|(_, t)| party_named(&sc, t))
        .collect();
    assert_eq!(named, (0..sc.parties.len()).collect::<Vec<_>>());
    assert!(!entries.iter().any(|e| e.1.starts_with("and ")));
    let gap = texts(&chart::svg(&chart::GapChart(&sc, &tl)).unwrap());
    assert!(!gap.iter().any(|t| t.starts_with("and ")), "{gap:?}");
}

#[test]
fn zopa_run_writes_a_file_per_page_of_the_issue_chart() {
    let out = tempfile::tempdir().unwrap();
    let data =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scale-12-issues-40-parties.toml");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["run", data.to_str().unwrap(), "-q", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sc = load("tests/data/scale-12-issues-40-parties.toml");
    let pages = sc.issues.len().div_ceil(chart::issues::PER_PAGE);
    let mut written: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("issues") && n.ends_with(".png"))
        .collect();
    written.sort();
    let mut want: Vec<String> = std::iter::once("issues.png".to_string())
        .chain((2..=pages).map(|k| format!("issues-{k}.png")))
        .collect();
    want.sort();
    assert_eq!(written, want);
}
