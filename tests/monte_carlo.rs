//! Monte Carlo estimates against closed forms, and their reproducibility.

use std::path::Path;
use std::process::Command;

use zopa::mc::{self, wilson};
use zopa::scenario;

/// One issue, two parties far apart; an event with probability `p` per step
/// lowers A's bar so that a zone opens (and stays open). So the zone exists
/// by step t with probability 1 - (1 - p)^(t + 1), the first zone step is
/// geometric, and with a mediator that reads the bars exactly a deal follows
/// at once.
fn geometric(p: f64) -> zopa::model::Scenario {
    let text = format!(
        r##"
[scenario]
name = "geometric"
title = "One chance per step"

[time]
steps = 30

[[issues]]
id = "x"
label = "X"
min = 0
max = 1

[[parties]]
id = "a"
name = "A"
colour = "#ff0000"
archetype = "sustained_pressure"
reservation = 0.9
ideal = {{ x = 0 }}

[[parties]]
id = "b"
name = "B"
colour = "#0000ff"
archetype = "sustained_pressure"
reservation = 0.5
ideal = {{ x = 1 }}

[world]
front_issue = "x"

[[events]]
label = "A softens"
probability = {p}
effects = [{{ target = "parties.a.reservation", set = 0.2 }}]
"##
    );
    scenario::parse(Path::new("geometric.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn zone_probabilities_match_the_geometric_closed_form() {
    let p = 0.07;
    let sc = geometric(p);
    let runs = 40_000;
    let t = mc::simulate_quietly(&sc, 11, runs, 2);
    assert_eq!(t.runs, runs);
    for step in 0..30 {
        let truth = 1.0 - (1.0 - p).powi(step as i32 + 1);
        for (what, k) in [
            ("zone now", t.zone_now[step]),
            ("zone by", t.zone_by[step]),
            ("deal by", t.deal_by[step]),
        ] {
            let est = k as f64 / runs as f64;
            let se = (truth * (1.0 - truth) / runs as f64).sqrt();
            assert!(
                (est - truth).abs() < 4.0 * se + 1e-12,
                "step {step} {what}: {est} vs {truth}"
            );
        }
        // The first zone step is geometric: P(first = t) = (1-p)^t p.
        let first = t.first_zone[step] as f64 / runs as f64;
        let truth_first = (1.0 - p).powi(step as i32) * p;
        let se = (truth_first * (1.0 - truth_first) / runs as f64).sqrt();
        assert!(
            (first - truth_first).abs() < 4.0 * se,
            "step {step}: first zone {first} vs {truth_first}"
        );
    }
    let never = t.first_zone[30] as f64 / runs as f64;
    assert!((never - (1.0 - p).powi(30)).abs() < 0.01);
}

#[test]
fn wilson_interval_covers_the_truth_at_its_nominal_rate() {
    // Over many independent estimates of a known probability, the 95%
    // interval should miss about 5% of the time.
    let sc = geometric(0.05);
    let truth = 1.0 - 0.95f64.powi(10); // zone by step 9
    let mut misses = 0;
    let trials = 200;
    for seed in 0..trials {
        let t = mc::simulate_quietly(&sc, 1000 + seed, 400, 1);
        let (lo, hi) = wilson(t.zone_by[9], t.runs);
        if truth < lo || truth > hi {
            misses += 1;
        }
    }
    assert!((2..=20).contains(&misses), "{misses} misses in {trials}");
}

#[test]
fn wilson_interval_matches_its_formula_at_the_edges() {
    let (lo, hi) = wilson(0, 100);
    assert!(lo.abs() < 1e-15);
    assert!((hi - 0.036_994).abs() < 1e-5);
    let (lo, hi) = wilson(50, 100);
    assert!((lo - 0.403_831).abs() < 1e-5 && (hi - 0.596_169).abs() < 1e-5);
}

#[test]
fn gap_quantiles_come_from_the_histogram() {
    // Every run has the same gap at step 0 (nothing random has happened):
    // all quantiles fall in its bin.
    let sc = geometric(0.0);
    let t = mc::simulate_quietly(&sc, 3, 500, 2);
    // A needs x <= 0.1, B needs x >= 0.5: shortfalls equalise at x = 0.3,
    // where each falls 0.2 short.
    for q in [0.05, 0.5, 0.95] {
        assert!(
            (t.gap_quantile(0, q) - 0.2).abs() <= 1e-4,
            "{}",
            t.gap_quantile(0, q)
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_tally_on_any_number_of_threads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/sustained-pressure.toml");
    let sc = scenario::load(&path).unwrap();
    let one = mc::simulate_quietly(&sc, 5, 3000, 1);
    assert_eq!(one, mc::simulate_quietly(&sc, 5, 3000, 2));
    assert_eq!(one, mc::simulate_quietly(&sc, 5, 3000, 7));
    assert_ne!(one, mc::simulate_quietly(&sc, 6, 3000, 2));
}

#[test]
fn mc_csv_is_byte_identical_across_thread_counts_and_writes_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut tables = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = tmp.path().join(threads);
        let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args([
                "mc",
                "scenarios/freeze-the-front.toml",
                "--runs",
                "2000",
                "--seed",
                "9",
                "--threads",
                threads,
            ])
            .args(["--out", out.to_str().unwrap(), "--quiet"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            o.stderr.is_empty(),
            "no progress bar when stderr is not a terminal"
        );
        for f in [
            "mc.csv",
            "mc-summary.json",
            "mc-probability.svg",
            "mc-probability.png",
            "mc-gap-fan.svg",
            "mc-gap-fan.png",
        ] {
            assert!(out.join(f).exists(), "{f}");
        }
        tables.push(std::fs::read(out.join("mc.csv")).unwrap());
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("mc-summary.json")).unwrap()).unwrap();
        assert_eq!(json["runs"], 2000);
    }
    assert_eq!(tables[0], tables[1]);
    assert_eq!(tables[0], tables[2]);
}

#[test]
fn an_absurd_job_is_refused_with_the_limit_named() {
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "mc",
            "scenarios/budapest-cancelled.toml",
            "--runs",
            "100000000000",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("above the limit of 2.0 hours") && err.contains("--force"),
        "{err}"
    );
}

/// The exact sample quantile: the smallest value whose cumulative share
/// reaches `q` (the definition the tallies estimate).
fn exact_quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
    values[rank - 1]
}

#[test]
fn percentiles_are_within_half_a_bin_of_the_exact_sample_quantiles() {
    // Replay every run on its own stream and collect what the tallies saw:
    // each step's gap (a run that ended in a deal keeps its last gap) and
    // each deal's settlement.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["sustained-pressure", "negmas-bilateral"] {
        let sc = scenario::load(&root.join(format!("scenarios/{name}.toml"))).unwrap();
        let (seed, runs) = (5, 400);
        let tally = mc::simulate_quietly(&sc, seed, runs, 2);
        let mut gaps = vec![Vec::new(); sc.steps as usize];
        let mut settlements = vec![Vec::new(); sc.issues.len()];
        for run in 0..runs {
            let tl = zopa::sim::run_stream(&sc, seed, &mut zopa::rng::stream(seed, run));
            for (t, seen) in gaps.iter_mut().enumerate() {
                let s = tl.steps.get(t).or(tl.steps.last()).unwrap();
                seen.push(s.gap);
            }
            if let zopa::sim::Outcome::Deal { settlement, .. } = &tl.outcome {
                for (k, v) in settlement.iter().enumerate() {
                    settlements[k].push(sc.issues[k].normalise(*v));
                }
            }
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            for (t, g) in gaps.iter_mut().enumerate() {
                let (exact, got) = (exact_quantile(g, q), tally.gap_quantile(t, q));
                assert!(
                    (got - exact).abs() <= 1e-4,
                    "{name} step {t} q {q}: {got} vs {exact}"
                );
                assert!(got >= g[0] && got <= g[g.len() - 1], "within what was seen");
            }
            for (k, v) in settlements
                .iter_mut()
                .enumerate()
                .filter(|(_, v)| !v.is_empty())
            {
                let exact = exact_quantile(v, q);
                let got = mc::settlement_quantile(&tally, k, q).unwrap();
                assert!(
                    (got - exact).abs() <= 1e-3,
                    "{name} issue {k} q {q}: {got} vs {exact}"
                );
                assert!(
                    got >= v[0] && got <= v[v.len() - 1],
                    "within the deals made"
                );
            }
        }
    }
}
