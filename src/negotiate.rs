//! The mediator's proposal and the parties' answers.
//!
//! The mediator sees the parties' reservations only through noise, so it may
//! see a zone that is not there, or miss one that is. It proposes the Nash
//! point of the zone *as it perceives it*; each consenting party then
//! answers under its true terms. A deal needs every answer to be yes.

use crate::zone::{MAX_ISSUES, Solver, Terms, ZONE_TOL};

/// A settlement put on the table and how it was received.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The settlement, in issue units.
    pub point: Vec<f64>,
    /// Scenario indices of the parties that said yes.
    pub accepted_by: Vec<usize>,
    pub deal: bool,
}

/// The mediator's proposal from `perceived` terms and the parties' answers
/// under their `true_terms` (same order): the settlement, a bit mask of who
/// accepts, and whether all do. `None` if the mediator sees no zone.
pub fn propose(
    solver: &mut Solver,
    dim: usize,
    perceived: &[Terms],
    true_terms: &[Terms],
) -> Option<([f64; MAX_ISSUES], u32, bool)> {
    let (gap, minimiser) = solver.gap_only(dim, perceived);
    if gap > ZONE_TOL {
        return None;
    }
    let y = solver.nash(dim, perceived, gap, &minimiser);
    let mut accepted = 0u32;
    for (i, t) in true_terms.iter().enumerate() {
        if t.accepts(dim, &y) {
            accepted |= 1 << i;
        }
    }
    Some((
        y,
        accepted,
        accepted.count_ones() as usize == true_terms.len(),
    ))
}
