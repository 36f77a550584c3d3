//! Monte Carlo results as files: the per-step table and the summary.

use serde::Serialize;

use super::real as num;
use crate::mc::{self, Tally, wilson};
use crate::model::Scenario;

/// `mc.csv`: one row per step.
pub fn table(t: &Tally) -> String {
    let mut out = String::from(
        "step,p_zone_at,p_zone_at_low,p_zone_at_high,p_zone_by,p_zone_by_low,p_zone_by_high,\
p_deal_by,p_deal_by_low,p_deal_by_high,gap_p5,gap_p25,gap_p50,gap_p75,gap_p95,first_zone_runs\n",
    );
    let n = t.runs;
    let share = |k: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    for s in 0..t.steps {
        let mut row = vec![s.to_string()];
        for k in [t.zone_now[s], t.zone_by[s], t.deal_by[s]] {
            let (lo, hi) = wilson(k, n);
            row.extend([num(share(k)), num(lo), num(hi)]);
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            row.push(num(t.gap_quantile(s, q)));
        }
        row.push(t.first_zone[s].to_string());
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[derive(Debug, Serialize)]
pub struct Probability {
    pub p: f64,
    pub low: f64,
    pub high: f64,
    pub runs: u64,
}

fn probability(k: u64, n: u64) -> Probability {
    let (low, high) = wilson(k, n);
    Probability {
        p: if n == 0 { 0.0 } else { k as f64 / n as f64 },
        low,
        high,
        runs: k,
    }
}

#[derive(Debug, Serialize)]
pub struct FirstZone {
    /// Runs in which no zone ever appeared.
    pub never: u64,
    /// Quantiles of the first zone step, over the runs that had a zone.
    pub p5: Option<usize>,
    pub p25: Option<usize>,
    pub median: Option<usize>,
    pub p75: Option<usize>,
    pub p95: Option<usize>,
    /// Runs whose first zone was at each step.
    pub histogram: Vec<u64>,
}

#[derive(Debug, Serialize)]
pub struct Settlement {
    pub issue: String,
    pub unit: String,
    pub deals: u64,
    pub mean: Option<f64>,
    pub p5: Option<f64>,
    pub median: Option<f64>,
    pub p95: Option<f64>,
    /// On a discrete issue, the deals that settled it on each option, in
    /// order (the quantiles above are then options' values too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionDeals>>,
}

#[derive(Debug, Serialize)]
pub struct OptionDeals {
    pub option: String,
    pub deals: u64,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub runs: u64,
    /// What `--set` changed (empty for the scenario as written).
    pub variant: Vec<super::VariantField>,
    pub steps: usize,
    pub step_unit: String,
    /// A zone at some step of the horizon.
    pub zone_within_horizon: Probability,
    pub deal: Probability,
    pub first_zone_step: FirstZone,
    pub settlement: Vec<Settlement>,
    /// Width of the gap histogram's bins: the quantiles' resolution.
    pub gap_bin_width: f64,
}

pub fn summary(sc: &Scenario, seed: u64, t: &Tally) -> Summary {
    let hist = t.first_zone[..t.steps].to_vec();
    let q = |p: f64| mc::quantile(&hist, p);
    let means = mc::settlement_mean(t);
    Summary {
        scenario: sc.name.clone(),
        title: sc.title.clone(),
        seed,
        runs: t.runs,
        variant: Vec::new(),
        steps: t.steps,
        step_unit: sc.step_unit.clone(),
        zone_within_horizon: probability(t.zone_by.last().copied().unwrap_or(0), t.runs),
        deal: probability(t.deals(), t.runs),
        first_zone_step: FirstZone {
            never: t.first_zone[t.steps],
            p5: q(0.05),
            p25: q(0.25),
            median: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
            histogram: hist.clone(),
        },
        settlement: sc
            .issues
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let units = |y: Option<f64>| y.map(|v| i.denormalise(v));
                // A quantile's bin holds a single option: its value.
                let option = |y: Option<f64>| match i.is_discrete() {
                    true => units(y).map(f64::round),
                    false => units(y),
                };
                Settlement {
                    issue: i.id.clone(),
                    unit: i.unit.clone(),
                    deals: t.deals(),
                    mean: units(means[k]),
                    p5: option(mc::settlement_quantile(t, k, 0.05)),
                    median: option(mc::settlement_quantile(t, k, 0.5)),
                    p95: option(mc::settlement_quantile(t, k, 0.95)),
                    options: i.is_discrete().then(|| {
                        let n = i.options.len();
                        (i.options.iter().enumerate())
                            .map(|(o, name)| OptionDeals {
                                option: name.clone(),
                                deals: mc::settlement_at(t, k, o as f64 / (n - 1) as f64),
                            })
                            .collect()
                    }),
                }
            })
            .collect(),
        gap_bin_width: 2.0 / t.gap_bins as f64,
    }
}

/// The summary as a person reads it (fits 80 columns).
pub fn summary_text(sc: &Scenario, s: &Summary) -> String {
    let unit = &s.step_unit;
    let pct = |p: &Probability| {
        format!(
            "{:5.1}%  (95% CI {:.1}% to {:.1}%)",
            100.0 * p.p,
            100.0 * p.low,
            100.0 * p.high
        )
    };
    let mut o = format!(
        "{} ({}): {} runs, seed {}\n\n",
        sc.title, sc.name, s.runs, s.seed
    );
    o += &format!(
        "zone within {} {unit}s: {}\n",
        s.steps,
        pct(&s.zone_within_horizon)
    );
    o += &format!("deal:                 {}\n", pct(&s.deal));
    let f = &s.first_zone_step;
    match (f.p5, f.median, f.p95) {
        (Some(a), Some(m), Some(b)) => {
            o += &format!(
                "first zone:           median {unit} {m} (5% at {a}, 95% at {b}); never in {} runs\n",
                f.never
            )
        }
        _ => o += "first zone:           never, in every run\n",
    }
    for st in &s.settlement {
        if let Some(options) = st.options.as_ref().filter(|_| st.deals > 0) {
            let shares: Vec<String> = (options.iter())
                .filter(|o| o.deals > 0)
                .map(|o| {
                    let share = 100.0 * o.deals as f64 / st.deals as f64;
                    format!("{} {share:.1}%", o.option)
                })
                .collect();
            o += &format!(
                "settlement {:<10} {} of deals\n",
                st.issue,
                shares.join(", ")
            );
            continue;
        }
        if let (Some(mean), Some(p5), Some(p95)) = (st.mean, st.p5, st.p95) {
            o += &format!(
                "settlement {:<10} mean {mean:.2} {} (90% of deals {p5:.2} to {p95:.2})\n",
                st.issue, st.unit
            );
        }
    }
    o
}
