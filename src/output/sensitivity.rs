//! The sensitivity analysis as files: a table of every factor (CSV), a
//! summary (JSON) and the text table `zopa sensitivity` prints.

use std::fmt::Write as _;

use serde::Serialize;

use super::num;
use crate::mc::Counts;
use crate::mc::wilson;
use crate::model::Scenario;
use crate::sensitivity::{self, STEP, Sensitivity, share};

/// `sensitivity.csv`: one row per factor, largest effect first, with the
/// scenario as written in the first row (path `(as written)`).
pub fn table(s: &Sensitivity) -> String {
    let mut out = String::from(
        "rank,path,base,low,high,runs,p_zone_base,p_zone_low,p_zone_high,p_deal_base,p_deal_low,p_deal_high,smallest_gap_base,smallest_gap_low,smallest_gap_high,zone_effect,deal_effect,gap_effect\n",
    );
    let b = &s.base;
    for (i, r) in s.rows.iter().enumerate() {
        let f = &r.factor;
        let cols = [
            (i + 1).to_string(),
            super::csv_field(&f.path),
            num(f.base),
            num(f.low),
            num(f.high),
            s.runs.to_string(),
            num(share(b.zone, b.runs)),
            num(share(r.low.zone, r.low.runs)),
            num(share(r.high.zone, r.high.runs)),
            num(share(b.deal, b.runs)),
            num(share(r.low.deal, r.low.runs)),
            num(share(r.high.deal, r.high.runs)),
            num(b.mean_smallest_gap()),
            num(r.low.mean_smallest_gap()),
            num(r.high.mean_smallest_gap()),
            num(r.zone_effect(b)),
            num(r.deal_effect(b)),
            num(r.gap_effect(b)),
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

#[derive(Debug, Clone, Serialize)]
pub struct FactorSummary {
    pub path: String,
    pub base: f64,
    pub low: f64,
    pub high: f64,
    pub p_zone_low: Share,
    pub p_zone_high: Share,
    pub p_deal_low: Share,
    pub p_deal_high: Share,
    /// The mean over runs of the smallest gap each run reached.
    pub smallest_gap_low: f64,
    pub smallest_gap_high: f64,
}

/// `sensitivity.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub runs: u64,
    /// The share of each field's span it is moved by, down and up.
    pub step: f64,
    pub p_zone: Share,
    pub p_deal: Share,
    pub smallest_gap: f64,
    /// Largest effect on P(zone within the horizon) first.
    pub factors: Vec<FactorSummary>,
}

pub fn summary(sc: &Scenario, s: &Sensitivity) -> Summary {
    Summary {
        scenario: sc.name.clone(),
        seed: s.seed,
        runs: s.runs,
        step: STEP,
        p_zone: share_of(s.base.zone, &s.base),
        p_deal: share_of(s.base.deal, &s.base),
        smallest_gap: s.base.mean_smallest_gap(),
        factors: s
            .rows
            .iter()
            .map(|r| FactorSummary {
                path: r.factor.path.clone(),
                base: r.factor.base,
                low: r.factor.low,
                high: r.factor.high,
                p_zone_low: share_of(r.low.zone, &r.low),
                p_zone_high: share_of(r.high.zone, &r.high),
                p_deal_low: share_of(r.low.deal, &r.low),
                p_deal_high: share_of(r.high.deal, &r.high),
                smallest_gap_low: r.low.mean_smallest_gap(),
                smallest_gap_high: r.high.mean_smallest_gap(),
            })
            .collect(),
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
        100.0 * STEP
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
