//! The mediator's proposal and the parties' answers.
//!
//! The mediator sees the parties' reservations only through noise, so it may
//! see a zone that is not there, or miss one that is. It proposes the Nash
//! point of the zone *as it perceives it* (or, learning, probes where it sees
//! none); each consenting party then answers under its true terms. A deal
//! needs every answer to be yes.

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

/// An offer on the table in the step loop, before it is recorded: kept in
/// normalised units and a bit mask so the loop allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offer {
    /// The settlement, in normalised units.
    pub point: [f64; MAX_ISSUES],
    /// Bit `i` is set when the `i`-th consenting party accepts.
    pub accepted_by: u32,
    /// Whether every consenting party accepts.
    pub deal: bool,
}

/// The mediator's offer from `perceived` terms and the parties' answers
/// under their `true_terms` (same order): the Nash point of the zone it
/// perceives, or, when it perceives none and `probe` is set, the settlement
/// nearest to agreement as it sees it (the perceived gap's minimiser), whose
/// answers teach it where the bars are. `None` if it sees no zone and does
/// not probe.
pub fn propose(
    solver: &mut Solver,
    dim: usize,
    perceived: &[Terms],
    true_terms: &[Terms],
    probe: bool,
) -> Option<Offer> {
    let gap = solver.gap_only(dim, perceived);
    let point = if gap.value <= ZONE_TOL {
        solver.nash(dim, perceived, gap.value, &gap.minimiser)
    } else if probe {
        gap.minimiser
    } else {
        return None;
    };
    let mut accepted_by = 0u32;
    for (i, t) in true_terms.iter().enumerate() {
        if t.accepts(dim, &point) {
            accepted_by |= 1 << i;
        }
    }
    Some(Offer {
        point,
        accepted_by,
        deal: accepted_by.count_ones() as usize == true_terms.len(),
    })
}
