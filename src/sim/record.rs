//! What a run leaves behind: each [`Step`] as recorded, the [`Timeline`] of
//! a run and its [`Outcome`], and the [`Core`] of a step the Monte Carlo
//! loop keeps. Plain data: the engine fills it, the facts and views read it.

use crate::negotiate::Proposal;
use crate::zone::{Blocker, Interval, MAX_ISSUES, Terms, ZONE_TOL};

/// What happened at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub step: u32,
    pub front: f64,
    pub pressure: f64,
    pub aid: f64,
    /// Each party's own pressure, in scenario order: the world's plus what
    /// is aimed at it (`pressure_on`), the world's for a party nobody aims
    /// at. Empty when no party aims its pressure or aid.
    pub own_pressure: Vec<f64>,
    /// Each party's own aid, as `own_pressure` (`aid_to`).
    pub own_aid: Vec<f64>,
    /// Each party's reservation (its bar), in scenario order.
    pub reservation: Vec<f64>,
    /// Whether each party still takes part.
    pub engaged: Vec<bool>,
    /// Each party's acceptable range on the front issue: every value it
    /// could accept if the other issues went its way (issue units).
    pub ranges: Vec<Option<Interval>>,
    /// The zone's extent on each issue, over all settlements of the other
    /// issues (issue units); `None` when there is no zone.
    pub extent: Option<Vec<Interval>>,
    /// With discrete issues and a zone: on each issue the options some
    /// settlement in the zone takes (by index, in order; empty on a
    /// continuous issue). Empty otherwise.
    pub options_in_zone: Vec<Vec<usize>>,
    /// The headline gap: the bar gap where the red lines allow settlements,
    /// positive whenever there is no zone (see `zone::Gap`).
    pub gap: f64,
    /// The bar gap over the settlements the red lines allow (utility).
    pub bar_gap: f64,
    /// On each issue, what the consenting parties' red lines leave (issue
    /// units), and whose lines bound it.
    pub lines: Vec<IssueLines>,
    /// Blocking parties (scenario indices) with their share of the gap: the
    /// red-line wall's if the lines cross, else the bar wall's.
    pub blockers: Vec<Blocker>,
    /// The parties whose red lines cross, and whose bars are apart.
    pub line_blockers: Vec<Blocker>,
    pub bar_blockers: Vec<Blocker>,
    /// The Nash point if the zone exists, else the gap's minimiser (issue units).
    pub point: Vec<f64>,
    pub point_is_nash: bool,
    /// Whether each party accepts `point`.
    pub accepts: Vec<bool>,
    /// Indices of the events that fired at this step.
    pub events: Vec<usize>,
    /// Parties that walked away at the end of this step.
    pub walked_away: Vec<usize>,
    pub proposal: Option<Proposal>,
    /// Every party's terms at this step (normalised units), and which
    /// parties' consent was needed: enough to recompute the zone.
    pub terms: Vec<Terms>,
    pub consenting: Vec<usize>,
}

impl Step {
    pub fn zone_exists(&self) -> bool {
        self.gap <= ZONE_TOL
    }
    /// The zone's extent on one issue, if the zone exists.
    pub fn extent_on(&self, issue: usize) -> Option<Interval> {
        self.extent.as_ref().map(|e| e[issue])
    }
    /// How far the consenting parties' red lines cross on issue `k` (issue
    /// units): positive when they leave no settlement, else minus the room
    /// between them.
    pub fn crossing(&self, k: usize) -> f64 {
        self.lines[k].crossing()
    }
    /// Whether the consenting parties' red lines cross on some issue.
    pub fn lines_cross(&self) -> bool {
        self.lines.iter().any(|l| l.crossing() > 0.0)
    }
    /// Whether `party` blocks the zone at this step.
    /// Every consenting party whose red line on issue `k` (its upper line
    /// if `upper`) is the binding one: the party the record names and any
    /// other holding the same line, in scenario order. Empty when no line
    /// sets that side.
    pub fn line_holders(&self, k: usize, upper: bool) -> Vec<usize> {
        let l = &self.lines[k];
        let Some(owner) = (if upper { l.most_by } else { l.least_by }) else {
            return Vec::new();
        };
        let line = |p: usize| {
            let t = &self.terms[p];
            if upper { t.upper[k] } else { t.lower[k] }
        };
        let mut out: Vec<usize> = (self.consenting.iter().copied())
            .filter(|&q| q == owner || (line(q) - line(owner)).abs() <= 1e-9)
            .collect();
        out.sort_unstable();
        out
    }

    pub fn blocks(&self, party: usize) -> bool {
        self.blockers.iter().any(|b| b.party == party)
    }
}

/// What the consenting parties' red lines leave on one issue (issue units):
/// settlements from `least` (the highest lower line, or the issue's min) to
/// `most` (the lowest upper line, or its max), and whose lines those are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueLines {
    pub least: f64,
    pub most: f64,
    /// The party whose lower line is `least`, if a line sets it.
    pub least_by: Option<usize>,
    pub most_by: Option<usize>,
}

impl IssueLines {
    /// Positive: by how much the lines cross; else minus the room left.
    pub fn crossing(&self) -> f64 {
        self.least - self.most
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Deal {
        step: u32,
        settlement: Vec<f64>,
    },
    /// A zone existed at some step but no proposal was accepted.
    Missed {
        first_zone: u32,
    },
    NoZone,
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Deal { .. } => "deal",
            Outcome::Missed { .. } => "zone appeared but was missed",
            Outcome::NoZone => "no zone ever appeared",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub seed: u64,
    pub steps: Vec<Step>,
    pub outcome: Outcome,
}

impl Timeline {
    pub fn first_zone(&self) -> Option<u32> {
        self.steps.iter().find(|s| s.zone_exists()).map(|s| s.step)
    }
}

/// The essentials of one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Core<const W: usize = MAX_ISSUES> {
    pub gap: f64,
    pub zone: bool,
    /// Where the gap is attained (normalised units).
    pub minimiser: [f64; W],
    /// The settlement, if the step ended in a deal (normalised units).
    pub deal: Option<[f64; W]>,
}

/// Where a run's gap came closest to agreement (or was widest): the least
/// (greatest) of `gaps`, and the first position whose gap is within
/// [`ZONE_TOL`] of it. Gaps that close to each other are one gap to a
/// reader (the zone's own tolerance, far below any digit shown), so which
/// step of a plateau is named never hangs on the solver's last bits.
/// `None` when no gap is a number.
pub fn extreme_gap(gaps: &[f64], greatest: bool) -> Option<(f64, usize)> {
    let sign = if greatest { -1.0 } else { 1.0 };
    let least = gaps.iter().map(|g| sign * g).fold(f64::INFINITY, f64::min);
    let at = gaps.iter().position(|g| near_least(sign * g, least))?;
    Some((sign * least, at))
}

/// Whether gap `g` is one gap with the least, `least`, to a reader: within
/// [`ZONE_TOL`] of it (or equal, which an infinite least needs).
pub(crate) fn near_least(g: f64, least: f64) -> bool {
    g == least || g <= least + ZONE_TOL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_step_is_the_first_within_the_tolerance_of_the_least_gap() {
        // A plateau the solver's rounding ripples: its first step is named,
        // with the least gap.
        let ripple = [0.5, 0.3, 0.3 + 1e-15, 0.3 - 1e-15, 0.4];
        assert_eq!(extreme_gap(&ripple, false), Some((0.3 - 1e-15, 1)));
        // A fall a reader sees moves it on.
        assert_eq!(extreme_gap(&[0.5, 0.3, 0.29], false), Some((0.29, 2)));
        // A creep: the first step within the tolerance of the end, not of
        // the step before.
        let creep = [1.0, 1.0 - 0.6 * ZONE_TOL, 1.0 - 1.2 * ZONE_TOL];
        assert_eq!(extreme_gap(&creep, false), Some((creep[2], 1)));
        // The widest gap alike, and gaps that are not numbers ignored.
        let wide = [0.1, f64::NAN, 0.5, 0.5 + 1e-14, 0.2];
        assert_eq!(extreme_gap(&wide, true), Some((0.5 + 1e-14, 2)));
        assert_eq!(extreme_gap(&[f64::NAN], false), None);
        assert_eq!(extreme_gap(&[], true), None);
    }
}
