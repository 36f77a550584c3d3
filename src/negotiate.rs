//! The mediator's proposal and the parties' answers.
//!
//! The mediator sees the parties' reservations only through noise, so it may
//! see a zone that is not there, or miss one that is. It proposes the Nash
//! point of the zone *as it perceives it* (or, learning, probes where it sees
//! none); each consenting party then answers under its true terms. A deal
//! needs every answer to be yes.

use crate::zone::{Gap, MAX_ISSUES, Solver, Terms, ZONE_TOL};

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
    pub accepted_by: u64,
    /// Whether every consenting party accepts.
    pub deal: bool,
}

impl Offer {
    /// Whether the `i`-th consenting party accepts: the one place the
    /// mask is read.
    pub fn accepts(&self, i: usize) -> bool {
        self.accepted_by >> i & 1 == 1
    }
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
    let gap = solver.gap(dim, perceived);
    propose_at(solver, dim, perceived, true_terms, probe, &gap)
}

/// [`propose`] when the perceived terms' gap is already known: a mediator
/// that reads every bar exactly sees the gap the step has just solved, and
/// solving it again would only repeat the work.
pub fn propose_at(
    solver: &mut Solver,
    dim: usize,
    perceived: &[Terms],
    true_terms: &[Terms],
    probe: bool,
    gap: &Gap,
) -> Option<Offer> {
    let point = if gap.value <= ZONE_TOL {
        solver.nash(dim, perceived, gap.value, &gap.minimiser)
    } else if probe {
        gap.minimiser
    } else {
        return None;
    };
    let mut accepted_by = 0u64;
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

/// A time-dependent concession tactic, as in the negotiation-agent
/// literature (GENIUS, NegMAS): at relative time `t` in [0, 1] a party has
/// conceded the share `f(t) = k + (1 - k) t^(1/e)` of its utility range.
/// `e < 1` is Boulware (firm, then caving near the deadline), `e = 1`
/// linear, `e > 1` Conceder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tactic {
    pub e: f64,
    pub k: f64,
}

impl Tactic {
    pub fn conceded(self, t: f64) -> f64 {
        self.k + (1.0 - self.k) * t.clamp(0.0, 1.0).powf(1.0 / self.e)
    }

    /// The utility the party holds out for at time `t`: from its best (1)
    /// down to its bar at the deadline.
    pub fn aspiration(self, terms: &Terms, t: f64) -> f64 {
        let bar = terms.reservation.clamp(0.0, 1.0);
        1.0 - self.conceded(t) * (1.0 - bar)
    }
}

/// The settlement a party offers when it aims at utility `u`: on the line
/// from its ideal towards `toward` (the others' ideals), as far as gives it
/// exactly `u` (utility falls linearly along that line), kept within its
/// own red lines.
pub fn offer_at(
    dim: usize,
    terms: &Terms,
    toward: &[f64; MAX_ISSUES],
    u: f64,
) -> [f64; MAX_ISSUES] {
    let reach: f64 = (0..dim)
        .map(|k| terms.weight[k] * (toward[k] - terms.ideal[k]).abs())
        .sum();
    let share = if reach > 0.0 {
        ((1.0 - u) / reach).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut y = [0.0; MAX_ISSUES];
    for k in 0..dim {
        let at = terms.ideal[k] + share * (toward[k] - terms.ideal[k]);
        let (lo, hi) = (terms.lower[k].max(0.0), terms.upper[k].min(1.0));
        y[k] = if lo <= hi { at.clamp(lo, hi) } else { at };
    }
    y
}

/// One turn of alternating offers among the consenting parties (`terms`,
/// with their `tactics`, in the same order): the party at `proposer` offers
/// by its tactic at time `t`; every other party accepts when the offer is
/// within its red lines and at least as good as what it would itself offer
/// at `t_next`, its next turn (the AC_next rule).
pub fn alternate(
    dim: usize,
    terms: &[Terms],
    tactics: &[Tactic],
    proposer: usize,
    t: f64,
    t_next: f64,
) -> Offer {
    // Towards the mean of the others' ideals (its own, if it is alone).
    let mut toward = terms[proposer].ideal;
    let others = terms.len() - 1;
    if others > 0 {
        toward = [0.0; MAX_ISSUES];
        let each = terms.iter().enumerate().filter(|(i, _)| *i != proposer);
        for (_, other) in each {
            for (to, ideal) in toward.iter_mut().zip(&other.ideal).take(dim) {
                *to += ideal / others as f64;
            }
        }
    }
    let own = &terms[proposer];
    let point = offer_at(dim, own, &toward, tactics[proposer].aspiration(own, t));
    let mut accepted_by = 1u64 << proposer;
    for (i, (other, tactic)) in terms.iter().zip(tactics).enumerate() {
        if i == proposer {
            continue;
        }
        let inside = other.accepts(dim, &point);
        let enough = other.utility(dim, &point) >= tactic.aspiration(other, t_next) - ZONE_TOL;
        if inside && enough {
            accepted_by |= 1 << i;
        }
    }
    Offer {
        point,
        accepted_by,
        deal: accepted_by.count_ones() as usize == terms.len(),
    }
}
