//! The sensitivity analysis as files: a table of every factor (CSV), a
//! summary (JSON) and the text table `zopa sensitivity` prints.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Provenance, real};
use crate::mc::Counts;
use crate::mc::wilson;
use crate::model::Scenario;
use crate::sensitivity::{self, Sensitivity, share};

/// A signed change of a probability from the scenario as written, with a
/// 95% interval: Newcombe's hybrid score interval for a difference of two
/// proportions, from the two Wilson intervals. It treats the two samples
/// as independent; they share their streams (common random numbers), which
/// correlates them positively, so the interval is conservative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    pub change: f64,
    pub low: f64,
    pub high: f64,
}

fn difference(moved: (u64, u64), base: (u64, u64)) -> Effect {
    let (p1, p0) = (share(moved.0, moved.1), share(base.0, base.1));
    let (l1, u1) = wilson(moved.0, moved.1);
    let (l0, u0) = wilson(base.0, base.1);
    let change = p1 - p0;
    Effect {
        change,
        low: change - ((p1 - l1).powi(2) + (u0 - p0).powi(2)).sqrt(),
        high: change + ((u1 - p1).powi(2) + (p0 - l0).powi(2)).sqrt(),
    }
}

/// A change of the mean smallest gap from the scenario as written, with a
/// 95% normal interval from the two samples' variances (as independent
/// samples: conservative under common random numbers, as above).
fn gap_difference(moved: &Counts, base: &Counts) -> Effect {
    let change = moved.mean_smallest_gap() - base.mean_smallest_gap();
    let spread = |c: &Counts| c.smallest_gap_variance() / c.runs.max(1) as f64;
    let half = Z95 * (spread(moved) + spread(base)).sqrt();
    Effect {
        change,
        low: change - half,
        high: change + half,
    }
}

/// The 97.5th percentile of the standard normal.
const Z95: f64 = 1.959_963_984_540_054;

/// Of the two moves' effects, the one of larger size (the move down on a
/// tie): its sign says which way the result goes.
fn larger(down: Effect, up: Effect) -> Effect {
    if up.change.abs() > down.change.abs() {
        up
    } else {
        down
    }
}

/// One factor as both `sensitivity.csv` and `sensitivity.json` write it:
/// the same fields under the same names.
#[derive(Debug, Clone, Serialize)]
pub struct FactorRow {
    pub rank: usize,
    pub path: String,
    pub base: f64,
    /// The value moved down and up.
    pub down: f64,
    pub up: f64,
    pub runs: u64,
    pub p_zone_base: f64,
    pub p_zone_down: f64,
    pub p_zone_up: f64,
    pub p_deal_base: f64,
    pub p_deal_down: f64,
    pub p_deal_up: f64,
    pub smallest_gap_base: f64,
    pub smallest_gap_down: f64,
    pub smallest_gap_up: f64,
    /// The larger change of P(zone), signed, and its 95% interval.
    pub zone_effect: f64,
    pub zone_effect_low: f64,
    pub zone_effect_high: f64,
    pub deal_effect: f64,
    pub deal_effect_low: f64,
    pub deal_effect_high: f64,
    /// The larger change of the mean smallest gap, signed, and its 95%
    /// interval.
    pub gap_effect: f64,
    pub gap_effect_low: f64,
    pub gap_effect_high: f64,
}

const COLUMNS: &str = "rank,path,base,down,up,runs,p_zone_base,p_zone_down,p_zone_up,\
p_deal_base,p_deal_down,p_deal_up,smallest_gap_base,smallest_gap_down,smallest_gap_up,\
zone_effect,zone_effect_low,zone_effect_high,deal_effect,deal_effect_low,deal_effect_high,\
gap_effect,gap_effect_low,gap_effect_high\n";

/// Every factor's row, largest effect first.
pub fn factor_rows(s: &Sensitivity) -> Vec<FactorRow> {
    let b = &s.base;
    s.rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let f = &r.factor;
            let zone = larger(
                difference((r.low.zone, r.low.runs), (b.zone, b.runs)),
                difference((r.high.zone, r.high.runs), (b.zone, b.runs)),
            );
            let deal = larger(
                difference((r.low.deal, r.low.runs), (b.deal, b.runs)),
                difference((r.high.deal, r.high.runs), (b.deal, b.runs)),
            );
            let gap = larger(gap_difference(&r.low, b), gap_difference(&r.high, b));
            FactorRow {
                rank: i + 1,
                path: f.path.clone(),
                base: f.base,
                down: f.low,
                up: f.high,
                runs: s.runs,
                p_zone_base: share(b.zone, b.runs),
                p_zone_down: share(r.low.zone, r.low.runs),
                p_zone_up: share(r.high.zone, r.high.runs),
                p_deal_base: share(b.deal, b.runs),
                p_deal_down: share(r.low.deal, r.low.runs),
                p_deal_up: share(r.high.deal, r.high.runs),
                smallest_gap_base: b.mean_smallest_gap(),
                smallest_gap_down: r.low.mean_smallest_gap(),
                smallest_gap_up: r.high.mean_smallest_gap(),
                zone_effect: zone.change,
                zone_effect_low: zone.low,
                zone_effect_high: zone.high,
                deal_effect: deal.change,
                deal_effect_low: deal.low,
                deal_effect_high: deal.high,
                gap_effect: gap.change,
                gap_effect_low: gap.low,
                gap_effect_high: gap.high,
            }
        })
        .collect()
}

/// `sensitivity.csv`: one row per factor, largest effect first, after the
/// provenance line.
pub fn table(provenance: &Provenance, s: &Sensitivity) -> String {
    let mut out = provenance.csv_line();
    out.push_str(COLUMNS);
    for r in factor_rows(s) {
        let cols = [
            r.rank.to_string(),
            super::csv_field(&r.path),
            real(r.base),
            real(r.down),
            real(r.up),
            r.runs.to_string(),
            real(r.p_zone_base),
            real(r.p_zone_down),
            real(r.p_zone_up),
            real(r.p_deal_base),
            real(r.p_deal_down),
            real(r.p_deal_up),
            real(r.smallest_gap_base),
            real(r.smallest_gap_down),
            real(r.smallest_gap_up),
            real(r.zone_effect),
            real(r.zone_effect_low),
            real(r.zone_effect_high),
            real(r.deal_effect),
            real(r.deal_effect_low),
            real(r.deal_effect_high),
            real(r.gap_effect),
            real(r.gap_effect_low),
            real(r.gap_effect_high),
        ];
        out.push_str(&cols.join(","));
        out.push('\n');
    }
    out
}

/// A probability with its 95% interval.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    pub p: f64,
    pub low: f64,
    pub high: f64,
}

fn share_of(k: u64, c: &Counts) -> Share {
    let (low, high) = wilson(k, c.runs);
    Share {
        p: share(k, c.runs),
        low,
        high,
    }
}

/// `sensitivity.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub runs: u64,
    /// What `--set` changed (empty for the scenario as written).
    pub variant: Vec<super::VariantField>,
    /// The share of each field's span it is moved by, down and up.
    pub span_share: f64,
    pub p_zone: Share,
    pub p_deal: Share,
    pub smallest_gap: f64,
    /// Largest effect on P(zone within the horizon) first: the rows of
    /// `sensitivity.csv`.
    pub factors: Vec<FactorRow>,
}

pub fn summary(provenance: &Provenance, s: &Sensitivity) -> Summary {
    Summary {
        scenario: provenance.scenario.clone(),
        seed: s.seed,
        runs: s.runs,
        variant: provenance.variant.clone(),
        span_share: s.step,
        p_zone: share_of(s.base.zone, &s.base),
        p_deal: share_of(s.base.deal, &s.base),
        smallest_gap: s.base.mean_smallest_gap(),
        factors: factor_rows(s),
    }
}

fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// The text table: the scenario as written, then the `top` factors with
/// the largest effect (all of them with `top` 0).
pub fn summary_text(sc: &Scenario, s: &Sensitivity, top: usize) -> String {
    let b = &s.base;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} ({}): which assumptions carry the result",
        sc.title, sc.name
    );
    let _ = writeln!(
        o,
        "as written: P(zone within {} {}s) {}, P(deal) {}, mean smallest gap {} ({} runs, seed {})",
        sc.steps,
        sc.step_unit,
        pct(share(b.zone, b.runs)),
        pct(share(b.deal, b.runs)),
        crate::text::gap_text(b.mean_smallest_gap()),
        s.runs,
        s.seed
    );
    let _ = writeln!(
        o,
        "each field moved down and up by {:.0}% of its span, clipped to its allowed range:",
        100.0 * s.step
    );
    let _ = writeln!(
        o,
        "field: as written -> moved down / up\n    then P(zone within the horizon), P(deal) and the mean smallest gap, down / up"
    );
    let shown = if top == 0 {
        s.rows.len()
    } else {
        top.min(s.rows.len())
    };
    let v = crate::text::value;
    let g = crate::text::gap_text;
    for r in &s.rows[..shown] {
        let f = &r.factor;
        let _ = writeln!(
            o,
            "{}: {} -> {} / {}",
            f.path,
            v(f.base),
            v(f.low),
            v(f.high)
        );
        let _ = writeln!(
            o,
            "    P(zone) {} / {}   P(deal) {} / {}   gap {} / {}",
            pct(share(r.low.zone, r.low.runs)),
            pct(share(r.high.zone, r.high.runs)),
            pct(share(r.low.deal, r.low.runs)),
            pct(share(r.high.deal, r.high.runs)),
            g(r.low.mean_smallest_gap()),
            g(r.high.mean_smallest_gap()),
        );
    }
    if shown < s.rows.len() {
        let _ = writeln!(
            o,
            "... {} more fields with smaller effects in sensitivity.csv",
            s.rows.len() - shown
        );
    }
    o.push_str(&carriers_line(s));
    o
}

/// The fields that carry the result, or, if none does alone, those the gap
/// moves most with.
fn carriers_line(s: &Sensitivity) -> String {
    let mut o = String::new();
    let carriers = sensitivity::carriers(s);
    if carriers.is_empty() {
        let mut by_gap: Vec<&sensitivity::Row> = s.rows.iter().collect();
        by_gap.sort_by(|a, b| b.gap_effect(&s.base).total_cmp(&a.gap_effect(&s.base)));
        let nearest: Vec<String> = by_gap
            .iter()
            .take(3)
            .map(|r| r.factor.path.clone())
            .collect();
        let _ = writeln!(
            o,
            "No single field moved this far changes P(zone) or P(deal) by 5 points or more; the gap moves most with {}.",
            crate::text::and_list(&nearest)
        );
    } else {
        let _ = writeln!(
            o,
            "Carrying the result (5 points or more): {}.",
            crate::text::and_list(&carriers)
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_columns_are_exactly_the_json_factors_fields() {
        let row = FactorRow {
            rank: 1,
            path: "world.pressure".into(),
            base: 0.5,
            down: 0.25,
            up: 0.75,
            runs: 10,
            p_zone_base: 0.1,
            p_zone_down: 0.0,
            p_zone_up: 0.2,
            p_deal_base: 0.1,
            p_deal_down: 0.0,
            p_deal_up: 0.2,
            smallest_gap_base: 0.3,
            smallest_gap_down: 0.4,
            smallest_gap_up: 0.2,
            zone_effect: 0.1,
            zone_effect_low: -0.1,
            zone_effect_high: 0.3,
            deal_effect: 0.1,
            deal_effect_low: -0.1,
            deal_effect_high: 0.3,
            gap_effect: -0.1,
            gap_effect_low: -0.2,
            gap_effect_high: 0.0,
        };
        let json = serde_json::to_value(&row).expect("plain data");
        let mut fields: Vec<&str> = json
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut columns: Vec<&str> = COLUMNS.trim_end().split(',').collect();
        fields.sort_unstable();
        columns.sort_unstable();
        assert_eq!(fields, columns);
    }
}
