//! Where a zone's bargaining solutions lie and how good a deal is: the Nash
//! and Kalai-Smorodinsky points of a step's zone, for a settlement its
//! distance to the Pareto frontier and to the Nash point, in utility (as
//! GENIUS reports them), and the outcome space of two parties that the
//! outcome chart draws: which settlements the red lines forbid, and whose
//! lines and bars exclude them, so the chart only draws and words them.

use crate::model::Scenario;
use crate::sim::{Outcome, Step, Timeline};
use crate::zone::{Grid, MAX_ISSUES, Solver, Terms, ZONE_TOL, outcome};

/// The consenting parties' terms at a step.
pub fn consenting_terms(s: &Step) -> Vec<Terms> {
    s.consenting.iter().map(|&p| s.terms[p].clone()).collect()
}

/// The Kalai-Smorodinsky point of the step's zone, in issue units; `None`
/// without a zone.
pub fn kalai_smorodinsky(sc: &Scenario, s: &Step) -> Option<Vec<f64>> {
    let terms = consenting_terms(s);
    if terms.is_empty() {
        return None;
    }
    let dim = sc.issues.len();
    let y = outcome::kalai_smorodinsky(&mut <Solver>::with_grid(sc.grid()), dim, &terms)?;
    Some(denormalise(sc, &y))
}

/// The Kalai-Smorodinsky point of every step's zone, in issue units (`None`
/// where there is no zone), in step order: worked out once for the tables
/// that print it, and the steps on every core, as at 12 issues and 40
/// parties each point costs some forty linear programmes.
pub fn kalai_smorodinsky_points(sc: &Scenario, tl: &Timeline) -> Vec<Option<Vec<f64>>> {
    use rayon::prelude::*;
    tl.steps
        .par_iter()
        .map(|s| s.zone_exists().then(|| kalai_smorodinsky(sc, s)).flatten())
        .collect()
}

/// The Nash point of the step's zone, in issue units, as the run recorded
/// it; `None` without a zone (or without a party whose consent is needed).
pub fn nash(s: &Step) -> Option<Vec<f64>> {
    (s.point_is_nash && !s.consenting.is_empty()).then(|| s.point.clone())
}

fn denormalise(sc: &Scenario, y: &[f64; MAX_ISSUES]) -> Vec<f64> {
    sc.issues
        .iter()
        .zip(y)
        .map(|(i, &v)| i.denormalise(v))
        .collect()
}

fn normalise(sc: &Scenario, y: &[f64]) -> [f64; MAX_ISSUES] {
    let mut out = [0.0; MAX_ISSUES];
    for (k, i) in sc.issues.iter().enumerate() {
        out[k] = i.normalise(y[k]);
    }
    out
}

/// How good a settlement is at a step, among the consenting parties.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    /// The largest gain every party could have at once by another
    /// settlement within every red line: 0 on the Pareto frontier.
    pub pareto_room: f64,
    /// The distance in utility (Euclidean, over the consenting parties)
    /// from the settlement to the Nash point; `None` without a zone.
    pub nash_distance: Option<f64>,
}

/// The largest gain every consenting party could have at once over
/// `settlement` (issue units) by another settlement within every red line:
/// 0 on the Pareto frontier (and when the red lines leave no settlement).
pub fn pareto_room(sc: &Scenario, s: &Step, settlement: &[f64]) -> f64 {
    let dim = sc.issues.len();
    let terms = consenting_terms(s);
    if terms.is_empty() {
        return 0.0;
    }
    let y = normalise(sc, settlement);
    outcome::pareto_room(&mut <Solver>::with_grid(sc.grid()), dim, &terms, &y[..dim])
}

pub fn quality(sc: &Scenario, s: &Step, settlement: &[f64]) -> Quality {
    let dim = sc.issues.len();
    let terms = consenting_terms(s);
    let y = normalise(sc, settlement);
    let pareto_room = pareto_room(sc, s, settlement);
    let nash_distance = nash(s).map(|n| {
        let n = normalise(sc, &n);
        terms
            .iter()
            .map(|t| (t.utility(dim, &y[..dim]) - t.utility(dim, &n[..dim])).powi(2))
            .sum::<f64>()
            .sqrt()
    });
    Quality {
        pareto_room,
        nash_distance,
    }
}

/// A point of two parties' outcome space: (utility of the first, of the
/// second).
pub type UtilityPair = (f64, f64);

/// What was on the table at a step, seen by two parties.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnTable {
    pub at: UtilityPair,
    /// The run's deal (made at this step), or else a proposal refused.
    pub deal: bool,
}

/// One settlement of the grid the outcome chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct GridPoint {
    /// The settlement, in issue units.
    pub settlement: Vec<f64>,
    /// What it gives the two parties.
    pub at: UtilityPair,
    /// Whether it keeps every consenting party's red lines: what is
    /// achievable at all, whatever the bars; the rest is greyed out.
    pub within_red_lines: bool,
}

/// Who keeps the grid's settlements out of the zone, as party indices in
/// table order: a class reads which lines and which bars to argue about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Excluders {
    /// Consenting parties whose red lines forbid some settlement.
    pub red_lines: Vec<usize>,
    /// Consenting parties whose bar refuses some settlement that every red
    /// line allows.
    pub bars: Vec<usize>,
}

/// What two parties can get at one step, in their utilities: everything
/// the outcome chart draws, computed here so the chart only draws.
#[derive(Debug, Clone, PartialEq)]
pub struct PairSpace {
    /// Settlements on a grid over every issue (at most a few thousand).
    pub settlements: Vec<GridPoint>,
    pub excluded_by: Excluders,
    /// Those of them every consenting party accepts: the zone.
    pub in_zone: Vec<UtilityPair>,
    /// The exact Pareto frontier of the two, in order along it.
    pub frontier: Vec<UtilityPair>,
    /// The two parties' bars.
    pub bars: UtilityPair,
    pub nash: Option<UtilityPair>,
    pub kalai_smorodinsky: Option<UtilityPair>,
    pub on_table: Option<OnTable>,
    /// Whether the step has a zone: a sample of settlements beyond four
    /// issues can miss a thin one.
    pub zone_exists: bool,
}

/// The outcome space of parties `pair` at step `step` of a run.
pub fn pair_space(sc: &Scenario, tl: &Timeline, step: u32, pair: [usize; 2]) -> PairSpace {
    let s = &tl.steps[step as usize];
    let dim = sc.issues.len();
    let [a, b] = pair;
    let (ta, tb) = (&s.terms[a], &s.terms[b]);
    let both = |y: &[f64]| (ta.utility(dim, y), tb.utility(dim, y));
    let at = |y: Vec<f64>| both(&normalise(sc, &y)[..dim]);
    let pts = grid(&sc.grid(), dim);
    let consenting = consenting_terms(s);
    let on_table = match &tl.outcome {
        Outcome::Deal { step, settlement } if *step == s.step => Some(OnTable {
            at: at(settlement.clone()),
            deal: true,
        }),
        _ => s.proposal.as_ref().map(|p| OnTable {
            at: at(p.point.clone()),
            deal: false,
        }),
    };
    let settlements = pts
        .iter()
        .map(|y| GridPoint {
            settlement: (sc.issues.iter().zip(y))
                .map(|(i, &v)| i.denormalise(v))
                .collect(),
            at: both(&y[..dim]),
            within_red_lines: consenting.iter().all(|t| within_red_lines(t, &y[..dim])),
        })
        .collect();
    PairSpace {
        settlements,
        excluded_by: excluders(s, &pts, dim),
        in_zone: pts
            .iter()
            .filter(|y| consenting.iter().all(|t| t.accepts(dim, &y[..dim])))
            .map(|y| both(&y[..dim]))
            .collect(),
        frontier: outcome::pareto_pair_over(&sc.grid(), dim, ta, tb),
        bars: (ta.reservation, tb.reservation),
        nash: nash(s).map(at),
        kalai_smorodinsky: kalai_smorodinsky(sc, s).map(at),
        on_table,
        zone_exists: s.zone_exists(),
    }
}

/// Whether `y` (normalised) keeps every red line of `t`, whatever its bar.
fn within_red_lines(t: &Terms, y: &[f64]) -> bool {
    y.iter()
        .enumerate()
        .all(|(k, &v)| v >= t.lower[k] - ZONE_TOL && v <= t.upper[k] + ZONE_TOL)
}

/// The consenting parties whose red lines forbid some of `pts`, and those
/// whose bar refuses some of the settlements every red line allows.
fn excluders(s: &Step, pts: &[[f64; MAX_ISSUES]], dim: usize) -> Excluders {
    let terms = |p: usize| &s.terms[p];
    let allowed: Vec<&[f64]> = pts
        .iter()
        .map(|y| &y[..dim])
        .filter(|y| s.consenting.iter().all(|&p| within_red_lines(terms(p), y)))
        .collect();
    let red_lines = (s.consenting.iter().copied())
        .filter(|&p| pts.iter().any(|y| !within_red_lines(terms(p), &y[..dim])))
        .collect();
    let bars = (s.consenting.iter().copied())
        .filter(|&p| {
            let t = terms(p);
            allowed
                .iter()
                .any(|y| t.utility(dim, y) < t.reservation - ZONE_TOL)
        })
        .collect();
    Excluders { red_lines, bars }
}

/// Settlements the outcome chart samples beyond four issues: a grid of
/// even seven values an issue would hold 7^12 (some 14 billion) at twelve.
const SAMPLED: usize = 4096;

/// Settlements on a grid over every issue, at most a few thousand; on a
/// discrete issue its options. Beyond four issues a full grid is too many
/// (seven values an issue is 14 billion settlements at twelve): a fixed
/// low-discrepancy sample of [`SAMPLED`] settlements, with the corners of
/// the box, stands for it.
fn grid(issues: &Grid, dim: usize) -> Vec<[f64; MAX_ISSUES]> {
    if dim > 4 {
        return sampled(issues, dim);
    }
    let continuous = (0..dim).filter(|&k| issues.levels[k] == 0).count();
    let per = match continuous {
        1 => 201,
        2 => 41,
        3 => 13,
        _ => 7,
    };
    let mut out = vec![[0.0; MAX_ISSUES]];
    for k in 0..dim {
        out = out
            .into_iter()
            .flat_map(|y| {
                let n = if issues.levels[k] > 0 {
                    issues.levels[k]
                } else {
                    per
                };
                (0..n).map(move |i| {
                    let mut y = y;
                    y[k] = i as f64 / (n - 1) as f64;
                    y
                })
            })
            .collect();
    }
    out
}

/// [`SAMPLED`] settlements spread evenly over the box of `dim` issues (a
/// Halton sequence, one prime base an issue), the first at every issue's
/// low end and the second at every high end; on a discrete issue a value
/// snaps to the nearest option. Always the same, so a chart is too.
fn sampled(issues: &Grid, dim: usize) -> Vec<[f64; MAX_ISSUES]> {
    const PRIMES: [u64; 16] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];
    let radical = |mut i: u64, base: u64| {
        let (mut f, mut r) = (1.0, 0.0);
        while i > 0 {
            f /= base as f64;
            r += f * (i % base) as f64;
            i /= base;
        }
        r
    };
    let snap = |k: usize, v: f64| match issues.levels[k] {
        0 => v,
        1 => 0.0,
        n => (v * (n - 1) as f64).round() / (n - 1) as f64,
    };
    let mut high = [0.0; MAX_ISSUES];
    for (k, v) in high.iter_mut().enumerate().take(dim) {
        *v = snap(k, 1.0);
    }
    let mut out = vec![[0.0; MAX_ISSUES], high];
    for i in 1..=(SAMPLED - 2) as u64 {
        let mut y = [0.0; MAX_ISSUES];
        for (k, v) in y.iter_mut().enumerate().take(dim) {
            *v = snap(k, radical(i, PRIMES[k % PRIMES.len()]));
        }
        out.push(y);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_four_issues_the_chart_samples_a_few_thousand_settlements_in_the_box() {
        let mut issues = Grid::default();
        issues.levels[3] = 3;
        let pts = grid(&issues, 12);
        assert_eq!(pts.len(), SAMPLED);
        assert!(
            pts.iter()
                .all(|y| y[..12].iter().all(|v| (0.0..=1.0).contains(v)))
        );
        assert!(pts.iter().all(|y| y[12..].iter().all(|&v| v == 0.0)));
        // The discrete issue's values are its three options only.
        assert!(pts.iter().all(|y| [0.0, 0.5, 1.0].contains(&y[3])));
        assert_eq!(pts[1][..12], [1.0; 12], "the high corner");
        // Spread out: every tenth of every issue's range holds some of them.
        for k in (0..12).filter(|&k| k != 3) {
            for tenth in 0..10 {
                let lo = f64::from(tenth) / 10.0;
                assert!(
                    pts.iter().any(|y| y[k] >= lo && y[k] < lo + 0.1),
                    "issue {k}"
                );
            }
        }
        // Four issues keep the full grid.
        assert_eq!(grid(&Grid::default(), 4).len(), 7usize.pow(4));
    }
}
