//! The archetypes: everything a party's goal means, one file each.
//!
//! An archetype says which knobs a party has, how its bar, ideal and red
//! lines follow the world, how it reacts after a step without agreement,
//! how a quick dealer's leverage reaches it when it blocks, which of the
//! fields every party has it reads, and what its values must satisfy
//! together. Each file (`quick_deal.rs`, `political_victory.rs`,
//! `sustained_pressure.rs`, `war_bargaining.rs`) implements [`Rules`] for
//! its archetype; this file only dispatches, so a new archetype is a new
//! file, a variant, and one line in [`each!`] that the compiler points at.
//!
//! Everything here is a pure function of a read-only [`Situation`] (the
//! scenario as written and the world as it stands); the engine calls it
//! and keeps the state. Nothing here allocates on the per-step path.

mod political_victory;
mod quick_deal;
mod sustained_pressure;
mod war_bargaining;

use super::params::{Knob, WORLD_VARS};
use super::{Party, Scenario, WorldVar};
use crate::zone::{Blocker, MAX_ISSUES};

/// A party's goal, which decides how its terms move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archetype {
    QuickDeal,
    PoliticalVictory,
    SustainedPressure,
    /// Fearon's bargaining model of war: the bar is the value of fighting on.
    WarBargaining,
}

/// Runs `$body` with `$R` standing for the rules of archetype `$a`: the
/// one place that lists which file holds which archetype.
macro_rules! each {
    ($a:expr, $R:ident => $body:expr) => {
        match $a {
            Archetype::QuickDeal => {
                type $R = quick_deal::QuickDeal;
                $body
            }
            Archetype::PoliticalVictory => {
                type $R = political_victory::PoliticalVictory;
                $body
            }
            Archetype::SustainedPressure => {
                type $R = sustained_pressure::SustainedPressure;
                $body
            }
            Archetype::WarBargaining => {
                type $R = war_bargaining::WarBargaining;
                $body
            }
        }
    };
}

/// What an archetype answers. The defaults are what most archetypes do;
/// each file overrides what its archetype does differently.
pub trait Rules {
    /// The name a scenario file writes.
    const NAME: &'static str;
    /// What a party of this archetype wants, in words a student reads on
    /// its role card: the goal, not how its numbers move (a scenario may
    /// switch those off).
    const GOAL: &'static str;
    /// The knobs a party of this archetype has, in the order they are shown.
    const KNOBS: &'static [Knob];
    /// The common fields it does not read, each with why and what to set
    /// instead.
    const UNREAD: &'static [Unread] = &[];
    /// How a quick dealer's leverage reaches a party of this archetype
    /// that blocks the zone.
    const LEVER: Lever = Lever::None;
    /// Whether its terms read the pressure and the aid it feels, so that
    /// pressure or aid aimed at it (`pressure_on`, `aid_to`) changes them.
    const READS: Reads = Reads {
        pressure: false,
        aid: false,
    };

    /// Its bar at this step, before clamping to `[0, 1]`. `base` is the
    /// bar it starts from (its `reservation`, or a bloc member's own: a
    /// bloc runs every member's bar through this rule); `ideal` is its
    /// ideal at this step, normalised.
    fn bar<const W: usize>(party: &Party, base: f64, now: &Situation, ideal: &[f64; W]) -> f64;

    /// How far its red lines on the front issue give way at this step
    /// (front issue's units): a lower line moves down, an upper line up.
    fn line_give(_party: &Party, _now: &Situation) -> f64 {
        0.0
    }

    /// A lower bound its goal puts on the front issue at this step, beyond
    /// its written red lines (front issue's units).
    fn front_demand(_party: &Party, _now: &Situation) -> Option<f64> {
        None
    }

    /// What it does after a step without agreement, if anything.
    fn react<const W: usize>(_party: &Party, _after: &Aftermath<W>) -> Option<Reaction<W>> {
        None
    }

    /// What its values must satisfy together, beyond each value's range.
    fn conflicts(_sc: &Scenario, _p: usize, _out: &mut Vec<Conflict>) {}
}

/// What [`Archetype::derive`] returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Derived {
    /// The bar, in `[0, 1]`.
    pub bar: f64,
    /// How far its red lines on the front issue give way (issue units).
    pub line_give: f64,
    /// A lower bound its goal puts on the front issue (issue units).
    pub front_demand: Option<f64>,
}

/// The world as a party sees it at one step: the scenario as written (the
/// starting world, the issues, the horizon) and the world as it stands.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub scenario: &'a Scenario,
    pub world: &'a [f64; WORLD_VARS],
    pub step: u32,
    /// The furthest the front has reached so far.
    pub front_high: f64,
    /// The pressure this party feels: its own where some party aims
    /// pressure at it, else the world's.
    pub pressure: f64,
    /// The aid this party feels: its own where some party sends aid to it,
    /// else the world's.
    pub aid: f64,
    /// The highest pressure this party has felt so far.
    pub pressure_peak: f64,
    /// The pressure and aid that drag the front: the world's plus all that
    /// is aimed at parties (equal to the world's when nobody aims).
    pub drag_pressure: f64,
    pub drag_aid: f64,
}

/// What of the world's levers a party's terms read (see [`Rules::READS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads {
    pub pressure: bool,
    pub aid: bool,
}

impl Situation<'_> {
    /// A world variable as it stands.
    pub fn now(&self, v: WorldVar) -> f64 {
        self.world[v as usize]
    }
    /// A world variable as the scenario starts it.
    pub fn start(&self, v: WorldVar) -> f64 {
        self.scenario.world[v as usize]
    }
}

/// Which lever of the world a quick dealer's leverage moves on a blocker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lever {
    /// Leverage works on goals, not on every kind of party.
    None,
    /// It adds pressure.
    Pressure,
    /// It withholds aid.
    Aid,
}

/// A step without agreement, as one party sees it afterwards, with the
/// settlement in an array as wide as the run's (`W` issues, of which the
/// first `dim` are in play).
#[derive(Debug, Clone, Copy)]
pub struct Aftermath<'a, const W: usize = MAX_ISSUES> {
    /// The party reacting (scenario index).
    pub me: usize,
    pub parties: &'a [Party],
    /// Who blocked the zone, with their shares (scenario indices).
    pub blockers: &'a [Blocker],
    pub zone: bool,
    pub dim: usize,
    /// The settlement nearest agreement this step (issue units): where the
    /// bar gap is smallest, between the crossing lines when they cross.
    pub nearest: &'a [f64; W],
    /// Its count of consecutive steps without a zone before this one.
    pub streak: u32,
    /// The leverage added on the world so far this step, by earlier parties.
    pub pressure: f64,
    pub aid: f64,
}

/// What a party does after a step without agreement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reaction<const W: usize = MAX_ISSUES> {
    pub streak: u32,
    /// The leverage on the world after this party's (earlier parties'
    /// included, added in order).
    pub pressure: f64,
    pub aid: f64,
    /// Its ideal on the first `W` issues for the next step (issue units),
    /// if it moved; it stays where it was on any further ones.
    pub ideal: Option<[f64; W]>,
    pub walks_away: bool,
}

/// A field every party has that an archetype may not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Reservation,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Reservation => "reservation",
        }
    }
}

/// A common field an archetype does not read, and what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unread {
    pub field: Field,
    /// Why it is not read: what the archetype works out in its place.
    pub why: &'static str,
    /// The knobs that set that quantity instead.
    pub instead: &'static [Knob],
}

/// Values of one party that do not fit together.
#[derive(Debug, Clone, PartialEq)]
pub enum Conflict {
    /// A quick dealer's floor above the bar it starts from.
    FloorAboveBar { party: String, floor: f64, bar: f64 },
    /// A war_bargaining party in a scenario with no front line.
    WarWithoutFront { party: String },
    LookaheadBeyondHorizon {
        party: String,
        lookahead: f64,
        steps: u32,
    },
    /// An issue with no status quo in a scenario with a war_bargaining party.
    NoStatusQuo {
        issue: usize,
        issue_id: String,
        party: String,
        min: f64,
        max: f64,
    },
    /// A political victor whose ideal on the front issue is the least the
    /// issue allows: its threshold claims at least the front, so its goal
    /// and its ideal pull opposite ways.
    VictoryWantsLess {
        party: String,
        issue: usize,
        issue_id: String,
        ideal: f64,
    },
    /// A red line (by position in the party's list) whose min is above its
    /// max.
    RedLineInverted {
        party: String,
        line: usize,
        min: f64,
        max: f64,
    },
}

/// Where a conflict is to be fixed: the field a reader looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictAt {
    Knob(Knob),
    Archetype,
    Issue(usize),
    /// The party's ideal on this issue.
    Ideal(usize),
    RedLine(usize),
}

impl Conflict {
    /// The id of the party whose values conflict.
    pub fn party(&self) -> &str {
        match self {
            Conflict::FloorAboveBar { party, .. }
            | Conflict::WarWithoutFront { party }
            | Conflict::LookaheadBeyondHorizon { party, .. }
            | Conflict::NoStatusQuo { party, .. }
            | Conflict::VictoryWantsLess { party, .. }
            | Conflict::RedLineInverted { party, .. } => party,
        }
    }

    pub fn at(&self) -> ConflictAt {
        match self {
            Conflict::FloorAboveBar { .. } => ConflictAt::Knob(Knob::Floor),
            Conflict::LookaheadBeyondHorizon { .. } => ConflictAt::Knob(Knob::Lookahead),
            Conflict::WarWithoutFront { .. } => ConflictAt::Archetype,
            Conflict::NoStatusQuo { issue, .. } => ConflictAt::Issue(*issue),
            Conflict::VictoryWantsLess { issue, .. } => ConflictAt::Ideal(*issue),
            Conflict::RedLineInverted { line, .. } => ConflictAt::RedLine(*line),
        }
    }

    /// What is wrong, in one line.
    pub fn message(&self) -> String {
        match self {
            Conflict::FloorAboveBar { party, floor, bar } => {
                format!("the floor of `{party}` is {floor}, above its starting bar {bar}")
            }
            Conflict::WarWithoutFront { party } => format!(
                "`{party}` bargains over a war (war_bargaining), but the scenario places no front line"
            ),
            Conflict::LookaheadBeyondHorizon {
                party,
                lookahead,
                steps,
            } => format!(
                "the lookahead of `{party}` is {lookahead} steps, beyond the horizon of {steps}"
            ),
            Conflict::NoStatusQuo {
                issue_id, party, ..
            } => format!(
                "issue `{issue_id}` has no status_quo, which `{party}` (war_bargaining) needs"
            ),
            Conflict::VictoryWantsLess {
                party,
                issue_id,
                ideal,
                ..
            } => format!(
                "`{party}` (political_victory) claims at least the front on `{issue_id}`, \
                 but its ideal there is the least the issue allows, {ideal}: it wants less"
            ),
            Conflict::RedLineInverted { min, max, .. } => {
                format!("red line min {min} is above its max {max}")
            }
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            Conflict::FloorAboveBar { .. } => {
                "the bar falls from reservation to the floor: set floor at or below reservation"
                    .into()
            }
            Conflict::WarWithoutFront { .. } => {
                "set [world] front = <where the front stands>, or use another archetype".into()
            }
            Conflict::LookaheadBeyondHorizon { steps, .. } => {
                format!("set lookahead to a whole number of steps from 1 to {steps}")
            }
            Conflict::NoStatusQuo { min, max, .. } => format!(
                "add status_quo = <a value in [{min}, {max}]>: where the issue stands if no deal is made"
            ),
            Conflict::VictoryWantsLess { issue_id, .. } => format!(
                "a political victor wants more of the front issue: set its ideal on \
                 `{issue_id}` to \"more\", or give it another archetype \
                 (quick_deal or sustained_pressure) if it wants less"
            ),
            Conflict::RedLineInverted { .. } => "swap them".into(),
        }
    }
}

impl Archetype {
    pub const ALL: [Archetype; 4] = [
        Archetype::QuickDeal,
        Archetype::PoliticalVictory,
        Archetype::SustainedPressure,
        Archetype::WarBargaining,
    ];

    pub fn name(self) -> &'static str {
        each!(self, R => R::NAME)
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The knobs this archetype reads, in the order they are shown. Every
    /// party, whatever its goal, may contribute pressure and aid (the
    /// levers of the world) and has an offering tactic, so those four are
    /// every archetype's.
    /// Its goal in words, for a role card.
    pub fn goal(self) -> &'static str {
        each!(self, R => R::GOAL)
    }

    pub fn knobs(self) -> &'static [Knob] {
        each!(self, R => R::KNOBS)
    }

    /// Whether a party of this archetype reads `field`; if not, why.
    pub fn unread(self, field: Field) -> Option<&'static Unread> {
        each!(self, R => R::UNREAD.iter().find(|u| u.field == field))
    }

    /// How leverage reaches a blocking party of this archetype.
    #[inline]
    pub fn lever(self) -> Lever {
        each!(self, R => R::LEVER)
    }

    /// Whether its terms read the pressure and aid it feels.
    pub fn reads(self) -> Reads {
        each!(self, R => R::READS)
    }

    /// The bar at this step of one who starts from `base` and otherwise
    /// follows the world as `party` does: a bloc member's.
    // Always inlined: called out of line, the situation is spilled to
    // memory for every party at every step, a tenth of the step's work.
    #[inline(always)]
    pub fn bar_from<const W: usize>(
        self,
        party: &Party,
        base: f64,
        now: &Situation,
        ideal: &[f64; W],
    ) -> f64 {
        each!(self, R => R::bar(party, base, now, ideal)).clamp(0.0, 1.0)
    }

    /// Everything a party's terms take from its archetype at this step:
    /// its bar, how far its front-issue lines give way and its demand on
    /// the front issue. A step asks all three of every party; one dispatch
    /// for the three saves two.
    #[inline(always)]
    pub fn derive<const W: usize>(
        self,
        party: &Party,
        now: &Situation,
        ideal: &[f64; W],
    ) -> Derived {
        each!(self, R => Derived {
            bar: R::bar(party, party.reservation, now, ideal).clamp(0.0, 1.0),
            line_give: R::line_give(party, now),
            front_demand: R::front_demand(party, now),
        })
    }

    /// What a party of this archetype does after a step without agreement.
    // Always inlined: called once a step for every party, and out of line
    // its aftermath is built in memory only to be read back.
    #[inline(always)]
    pub fn react<const W: usize>(self, party: &Party, after: &Aftermath<W>) -> Option<Reaction<W>> {
        each!(self, R => R::react(party, after))
    }
}

/// Every pair of values of the scenario's parties that do not fit
/// together: each archetype's own checks, and the red lines every party
/// may have. The file reader and every `--set` or `--vary` value go
/// through this one function.
pub fn conflicts(sc: &Scenario) -> Vec<Conflict> {
    let mut out = Vec::new();
    for (p, party) in sc.parties.iter().enumerate() {
        for (line, rl) in party.red_lines.iter().enumerate() {
            if let (Some(min), Some(max)) = (rl.min, rl.max)
                && min > max
            {
                out.push(Conflict::RedLineInverted {
                    party: party.id.clone(),
                    line,
                    min,
                    max,
                });
            }
        }
        each!(party.archetype, R => R::conflicts(sc, p, &mut out));
    }
    out
}
