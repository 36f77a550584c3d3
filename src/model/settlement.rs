//! What one settlement is worth to each party at one step: its utility, its
//! bar, and whether it accepts, or which bar or red line it refuses by, in
//! the issues' own units. Pure: the caller supplies the step's terms.

use super::Scenario;
use crate::zone::{MAX_ISSUES, Terms};

/// Why a party refuses a settlement.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Its utility falls short of its bar by `short` (utility).
    Bar { short: f64 },
    /// The settlement crosses its red line on `issue`: at most `bound`
    /// (`upper`) or at least `bound`, in the issue's units.
    RedLine {
        issue: usize,
        bound: f64,
        upper: bool,
    },
}

/// One party's reading of the settlement.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub party: usize,
    pub utility: f64,
    pub bar: f64,
    /// Whether its consent is needed at this step.
    pub consents: bool,
    /// Empty when it accepts.
    pub refusals: Vec<Refusal>,
}

impl Verdict {
    pub fn accepts(&self) -> bool {
        self.refusals.is_empty()
    }
}

/// Tolerance on a red line, as the engine's answers use.
const EDGE: f64 = 1e-9;

/// Every party's verdict on `settlement` (issue units, one value per
/// issue) under `terms` (the step's, normalised), `consenting` naming the
/// parties whose consent the step needs.
pub fn verdicts(
    sc: &Scenario,
    terms: &[Terms],
    consenting: &[usize],
    settlement: &[f64],
) -> Vec<Verdict> {
    let dim = sc.issues.len();
    let mut y = [0.0; MAX_ISSUES];
    for (k, issue) in sc.issues.iter().enumerate() {
        y[k] = issue.normalise(settlement[k]);
    }
    terms
        .iter()
        .enumerate()
        .map(|(p, t)| {
            let utility = t.utility(dim, &y[..dim]);
            let mut refusals = Vec::new();
            if utility < t.reservation - EDGE {
                refusals.push(Refusal::Bar {
                    short: t.reservation - utility,
                });
            }
            for (k, issue) in sc.issues.iter().enumerate() {
                if y[k] > t.upper[k] + EDGE {
                    let bound = issue.denormalise(t.upper[k]);
                    refusals.push(Refusal::RedLine {
                        issue: k,
                        bound,
                        upper: true,
                    });
                }
                if y[k] < t.lower[k] - EDGE {
                    let bound = issue.denormalise(t.lower[k]);
                    refusals.push(Refusal::RedLine {
                        issue: k,
                        bound,
                        upper: false,
                    });
                }
            }
            Verdict {
                party: p,
                utility,
                bar: t.reservation,
                consents: consenting.contains(&p),
                refusals,
            }
        })
        .collect()
}
