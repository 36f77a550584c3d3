//! The mediator's proposal and the parties' answers.
//!
//! The mediator sees the parties' reservations only through noise, so it may
//! see a zone that is not there, or miss one that is. It proposes the Nash
//! point of the zone *as it perceives it*; each consenting party then
//! answers under its true terms. A deal needs every answer to be yes.

use crate::zone::{MAX_ISSUES, Solver, Terms};

/// A settlement put on the table and how it was received.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The settlement, in issue units.
    pub point: Vec<f64>,
    /// Scenario indices of the parties that said yes.
    pub accepted_by: Vec<usize>,
    pub deal: bool,
}

/// The mediator's proposal from `perceived` terms and each party's answer
/// under its `true_terms` (same order); `None` if the mediator sees no zone.
pub fn propose(
    solver: &mut Solver,
    dim: usize,
    perceived: &[Terms],
    true_terms: &[Terms],
) -> Option<([f64; MAX_ISSUES], Vec<bool>)> {
    let seen = solver.zone(dim, perceived);
    let y = seen.nash?;
    let answers = true_terms.iter().map(|t| t.accepts(dim, &y)).collect();
    Some((y, answers))
}
