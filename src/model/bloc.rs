//! A party that stands for a bloc: many members who share the party's
//! ideal, weights, red lines and archetype, each with a bar and a vote of
//! its own, and a rule that says how many votes make the bloc's yes.
//!
//! Because the members share the party's utility `U`, the members who
//! accept a settlement `y` are exactly those whose bar is at most `U(y)`.
//! The bloc accepts `y` when their votes meet the rule's quota, which
//! happens exactly when `U(y)` reaches the bar of the pivotal member: the
//! first member, in order of bars from the lowest, at whom the votes
//! counted so far reach the quota. So a bloc enters the zone as one party
//! whose bar is its pivot's, and the solver needs no change (docs/model.md,
//! "Blocs"). The archetypes a bloc may have keep the members' bars in their
//! order, so the pivot is one member all run and the engine runs its bar as
//! the bloc party's own, from the bloc's `reservation`; [`bloc_bar`] works
//! every member's out, for the texts and for the test that holds this.

use super::Party;
use super::archetype::Situation;

/// Largest number of members a bloc may hold.
pub const MAX_MEMBERS: usize = 40;

/// How many of the members' votes make the bloc's yes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// Every member, whatever its votes.
    Unanimity,
    /// At least `quota` (in `(0, 1]`) of all the members' votes.
    QualifiedMajority { quota: f64 },
}

impl Rule {
    /// The names a scenario file writes.
    pub const NAMES: [&'static str; 2] = ["unanimity", "qualified_majority"];

    pub fn name(self) -> &'static str {
        match self {
            Rule::Unanimity => "unanimity",
            Rule::QualifiedMajority { .. } => "qualified_majority",
        }
    }

    /// The rule in words ("a qualified majority of 55% of the votes").
    pub fn words(self) -> String {
        match self {
            Rule::Unanimity => "unanimity (every member must agree)".into(),
            Rule::QualifiedMajority { quota } => {
                let pct = format!("{:.1}", quota * 100.0);
                let pct = pct.trim_end_matches(".0");
                format!("a qualified majority ({pct}% of the votes)")
            }
        }
    }
}

/// One member of a bloc.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: String,
    pub name: String,
    /// Its bar at step 0 as written, a utility in `[0, 1]` (of the bloc
    /// party's utility, which every member shares).
    pub reservation: f64,
    /// Its weight in the vote, at least 0.
    pub votes: f64,
}

/// The members of a bloc party and its decision rule. Validation
/// guarantees at least one member, no more than [`MAX_MEMBERS`], votes
/// that are finite and not negative with a positive total, and a rule the
/// members can meet.
#[derive(Debug, Clone, PartialEq)]
pub struct Bloc {
    pub rule: Rule,
    pub members: Vec<Member>,
}

/// Votes counted as reaching the quota within this share of the total, so
/// that a sum of votes that should equal the quota is not missed by a
/// rounding error.
const VOTE_TOL: f64 = 1e-9;

impl Bloc {
    pub fn total_votes(&self) -> f64 {
        self.members.iter().map(|m| m.votes).sum()
    }

    /// Whether members holding `votes` of them make a qualified majority's
    /// yes (never a unanimity's: that needs every member, not a count).
    pub fn carries(&self, votes: f64) -> bool {
        self.carries_of(votes, self.total_votes())
    }

    /// [`Bloc::carries`] with the total of the votes already counted.
    fn carries_of(&self, votes: f64, total: f64) -> bool {
        match self.rule {
            Rule::Unanimity => false,
            Rule::QualifiedMajority { quota } => votes >= quota * total - VOTE_TOL * total,
        }
    }

    /// The pivotal member for bars `bars` (one per member, in member
    /// order): the bloc accepts a utility exactly when it reaches that
    /// member's bar. Ties in bar are taken in member order, so the pivot
    /// is the same member whenever the bars keep their order.
    pub fn pivot(&self, bars: &[f64]) -> usize {
        let m = self.members.len();
        let mut order = [0usize; MAX_MEMBERS];
        for (k, o) in order.iter_mut().enumerate().take(m) {
            *o = k;
        }
        let order = &mut order[..m];
        order.sort_by(|&a, &b| bars[a].total_cmp(&bars[b]).then(a.cmp(&b)));
        if self.rule == Rule::Unanimity {
            return order[m - 1];
        }
        let total = self.total_votes();
        let mut counted = 0.0;
        for &k in order.iter() {
            counted += self.members[k].votes;
            if self.carries_of(counted, total) {
                return k;
            }
        }
        // Validation keeps the quota within the total, so the last member
        // always carries it; this is that member.
        order[m - 1]
    }

    /// The pivotal member at the start, by the bars as written: the
    /// member whose yes completes the bloc's.
    pub fn pivot_at_start(&self) -> usize {
        let mut bars = [0.0; MAX_MEMBERS];
        for (b, m) in bars.iter_mut().zip(&self.members) {
            *b = m.reservation;
        }
        self.pivot(&bars[..self.members.len()])
    }

    /// How far every member's base bar has moved from the one written:
    /// the bloc party's `reservation` starts at its pivot's bar, and an
    /// event, `--set` or sweep that moves it moves every member alike.
    fn shift(&self, party: &Party) -> f64 {
        party.reservation - self.members[self.pivot_at_start()].reservation
    }
}

/// The bloc's bar at this step: its pivot's among every member's, each
/// worked out from its own base.
pub fn bloc_bar<const W: usize>(
    bloc: &Bloc,
    party: &Party,
    now: &Situation,
    ideal: &[f64; W],
) -> f64 {
    let shift = bloc.shift(party);
    let mut bars = [0.0; MAX_MEMBERS];
    for (b, m) in bars.iter_mut().zip(&bloc.members) {
        *b = (party.archetype).bar_from(party, m.reservation + shift, now, ideal);
    }
    let bars = &bars[..bloc.members.len()];
    bars[bloc.pivot(bars)]
}
