//! Where a zone's bargaining solutions lie and how good a deal is: the Nash
//! and Kalai-Smorodinsky points of a step's zone, and for a settlement its
//! distance to the Pareto frontier and to the Nash point, in utility (as
//! GENIUS reports them).

use crate::model::Scenario;
use crate::sim::Step;
use crate::zone::{MAX_ISSUES, Solver, Terms, outcome};

/// The consenting parties' terms at a step.
pub fn consenting_terms(s: &Step) -> Vec<Terms> {
    s.consenting.iter().map(|&p| s.terms[p]).collect()
}

/// The Kalai-Smorodinsky point of the step's zone, in issue units; `None`
/// without a zone.
pub fn kalai_smorodinsky(sc: &Scenario, s: &Step) -> Option<Vec<f64>> {
    let terms = consenting_terms(s);
    if terms.is_empty() {
        return None;
    }
    let dim = sc.issues.len();
    let y = outcome::kalai_smorodinsky(&mut Solver::default(), dim, &terms)?;
    Some(denormalise(sc, &y))
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
    outcome::pareto_room(&mut Solver::default(), dim, &terms, &y[..dim])
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
