//! The sensitivity analysis' effects are signed changes from the scenario
//! as written, each inside its own interval, and the spread behind the gap
//! effect's interval matches the runs' smallest gaps computed directly.

use zopa::mc::{self, RunRecord};
use zopa::output::sensitivity::factor_rows;
use zopa::sim::Simulation;

fn load(name: &str) -> zopa::model::Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    zopa::scenario::load(&path).expect("a bundled scenario loads")
}

/// The change of larger size, the move down on a tie.
fn larger(down: f64, up: f64) -> f64 {
    if up.abs() > down.abs() { up } else { down }
}

#[test]
fn each_effect_is_the_larger_signed_change_and_lies_in_its_interval() {
    let sc = load("sustained-pressure.toml");
    let s = zopa::sensitivity::analyse(&sc, 4, 120, 2, &mc::Silent);
    let rows = factor_rows(&s);
    assert!(!rows.is_empty());
    let mut some_nonzero = false;
    for r in &rows {
        let zone = larger(r.p_zone_down - r.p_zone_base, r.p_zone_up - r.p_zone_base);
        let deal = larger(r.p_deal_down - r.p_deal_base, r.p_deal_up - r.p_deal_base);
        let gap = larger(
            r.smallest_gap_down - r.smallest_gap_base,
            r.smallest_gap_up - r.smallest_gap_base,
        );
        assert_eq!(r.zone_effect, zone, "{}", r.path);
        assert_eq!(r.deal_effect, deal, "{}", r.path);
        assert_eq!(r.gap_effect, gap, "{}", r.path);
        let probabilities = [
            (r.zone_effect, r.zone_effect_low, r.zone_effect_high),
            (r.deal_effect, r.deal_effect_low, r.deal_effect_high),
        ];
        for (effect, low, high) in probabilities {
            assert!(
                low <= effect && effect <= high,
                "{}: {low} {effect} {high}",
                r.path
            );
            // A probability's change lies in [-1, 1]: so does its interval.
            assert!(low >= -1.0 - 1e-12 && high <= 1.0 + 1e-12, "{}", r.path);
        }
        let (low, high) = (r.gap_effect_low, r.gap_effect_high);
        assert!(low <= r.gap_effect && r.gap_effect <= high, "{}", r.path);
        some_nonzero |= r.gap_effect != 0.0;
    }
    assert!(some_nonzero, "some move changes the smallest gap");
    let ranks: Vec<usize> = rows.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, (1..=rows.len()).collect::<Vec<_>>());
}

#[test]
fn the_smallest_gaps_variance_matches_the_runs_computed_one_by_one() {
    let sc = load("budapest-cancelled.toml");
    let mut sim = Simulation::new(&sc);
    let mut records: Vec<RunRecord> = Vec::new();
    let counts = mc::count_chunk_recorded(&mut sim, 8, 300, 0, &mut records);
    let gaps: Vec<f64> = records.iter().map(|r| r.smallest_gap).collect();
    let n = gaps.len() as f64;
    let mean = gaps.iter().sum::<f64>() / n;
    let variance = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / (n - 1.0);
    assert!((counts.mean_smallest_gap() - mean).abs() < 1e-9);
    assert!(
        (counts.smallest_gap_variance() - variance).abs() < 1e-9,
        "{} vs {variance}",
        counts.smallest_gap_variance()
    );
    assert!(variance > 0.0, "the runs differ");
}
