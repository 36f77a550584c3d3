//! The validated model: what a scenario *means*, once its file has been read
//! and checked. Nothing here can hold an invalid scenario: every index points
//! at an existing issue or party, every number is finite and in range, and
//! weights are normalised. The engine relies on that and never re-checks.

pub mod archetype;
pub mod bloc;
pub mod params;
mod path;
pub mod settlement;

pub use archetype::{Archetype, Field};
pub use bloc::{Bloc, Member, Rule};
use params::{KNOBS, WORLD_VARS};
pub use params::{Knob, WorldVar};
pub use path::PathError;

use std::sync::Arc;

use crate::zone::{MAX_ISSUES, OptionValues};

/// Largest number of parties a scenario may hold.
pub const MAX_PARTIES: usize = 40;
/// Longest horizon a scenario may ask for, in steps.
pub const MAX_STEPS: u32 = 100_000;

/// How settlements come to the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// A mediator proposes the Nash point of the zone as it perceives it.
    #[default]
    Mediated,
    /// The parties take turns to offer, each by its time-dependent tactic,
    /// and accept an offer at least as good as their own next one.
    AlternatingOffers,
}

impl Protocol {
    pub const ALL: [Protocol; 2] = [Protocol::Mediated, Protocol::AlternatingOffers];
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Mediated => "mediated",
            Protocol::AlternatingOffers => "alternating_offers",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short identifier, safe to use as a file or folder name.
    pub name: String,
    pub title: String,
    pub description: String,
    /// The document the scenario is built from.
    pub source: String,
    /// Every value the scenario chose where its source is silent, in words:
    /// any view (report, page, lesson) shows them beside what is read.
    pub assumptions: Vec<String>,
    /// The knob and world paths the file writes (`parties.<id>.<knob>`,
    /// `world.<name>`): what the file chose, as against defaults it never
    /// wrote.
    pub stated: Vec<String>,
    /// The values the file cites from its source, in file order.
    pub cites: Vec<Cite>,
    pub steps: u32,
    /// What one step stands for ("week").
    pub step_unit: String,
    pub issues: Vec<Issue>,
    pub parties: Vec<Party>,
    /// The issue on which the front line moves (also the charts' axis).
    pub front_issue: usize,
    /// Initial values of the world's variables, in `WorldVar` order.
    pub world: [f64; WORLD_VARS],
    /// Whether the file places a front line (textbook cases have none).
    pub has_front: bool,
    /// What the scenario calls the front, pressure and aid
    /// (`[world.labels]`): every view names them through this.
    pub labels: WorldLabels,
    /// The party that proposes settlements; `None` is a neutral mediator.
    pub mediator: Option<usize>,
    /// Standard deviation of the mediator's error on each reservation.
    pub perception_noise: f64,
    /// Who puts settlements on the table.
    pub protocol: Protocol,
    /// Whether the mediator learns from the answers to its proposals.
    pub learning: bool,
    /// How fast what it learnt fades, per step (bars move).
    pub forgetting: f64,
    pub events: Vec<Event>,
    /// The front issue's range the zone chart shows, if fixed (so that
    /// charts of several scenarios compare on a slide); `None` zooms on
    /// what moves.
    pub chart_y: Option<crate::zone::Interval>,
    /// Reference settlements the outcome chart marks (`[[charts.marks]]`).
    pub chart_marks: Vec<SettlementMark>,
    /// The what-ifs the file declares (`[[variants]]`), each checked as
    /// `--set` checks its assignments.
    pub variants: Vec<Variant>,
}

/// The names a scenario gives its world's variables, for a negotiation
/// that is no war: a strike's "offer on the table", "strike hardship" and
/// "production running". Unset, each view keeps its own wording, so a
/// scenario without labels reads exactly as before. The one place a view
/// asks what to call the front, the pressure or the aid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorldLabels {
    pub front: Option<String>,
    pub pressure: Option<String>,
    pub aid: Option<String>,
}

impl WorldLabels {
    /// The label fields a file may give, in `[world.labels]`.
    pub const FIELDS: [&'static str; 3] = ["front", "pressure", "aid"];

    /// The front line as a legend names it.
    pub fn front_line(&self) -> &str {
        self.front.as_deref().unwrap_or("Front line")
    }

    /// The front in a sentence ("the front line").
    pub fn front_words(&self) -> String {
        self.front.as_deref().map_or("the front line".into(), |f| {
            format!("the {}", lower_first(f))
        })
    }

    /// Pressure in a sentence.
    pub fn pressure(&self) -> String {
        self.pressure
            .as_deref()
            .map_or("pressure".into(), lower_first)
    }

    /// Aid in a sentence.
    pub fn aid(&self) -> String {
        self.aid.as_deref().map_or("aid".into(), lower_first)
    }

    /// A world variable's name in words: the label where the scenario
    /// gives one (also in "pressure decay", "aid drag"), else its field
    /// name with spaces.
    pub fn name(&self, w: WorldVar) -> String {
        let plain = w.spec().name.replace('_', " ");
        let (word, label) = match w {
            WorldVar::Front => ("front", self.front.as_deref()),
            WorldVar::Pressure | WorldVar::PressureDecay | WorldVar::PressureDrag => {
                ("pressure", self.pressure.as_deref())
            }
            WorldVar::Aid | WorldVar::AidDecay | WorldVar::AidDrag => ("aid", self.aid.as_deref()),
            _ => return plain,
        };
        match label {
            Some(l) => plain.replacen(word, &lower_first(l), 1),
            None => plain,
        }
    }
}

/// `s` with its first letter in lower case ("Strike hardship" in a
/// sentence), unless it reads as a name (a second capital: "EU aid").
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let rest: String = chars.collect();
    if rest.chars().next().is_some_and(char::is_uppercase) {
        return s.to_string();
    }
    first.to_lowercase().chain(rest.chars()).collect()
}

/// A settlement a class compares the outcome with ("split the
/// difference"), one value per issue in its units.
#[derive(Debug, Clone, PartialEq)]
pub struct SettlementMark {
    pub label: String,
    pub at: Vec<f64>,
}

/// A what-if a class asks about: the scenario with a few fields changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub title: String,
    pub question: String,
    pub set: Vec<Assignment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub min: f64,
    pub max: f64,
    pub low_label: String,
    pub high_label: String,
    /// Named reference values, e.g. "Donetsk split".
    pub marks: Vec<IssueMark>,
    /// Where the issue stands if no deal is made, in its units: what a
    /// `war_bargaining` party expects on it from fighting on. The front
    /// issue's status quo is the front itself.
    pub status_quo: Option<f64>,
    /// The names of a discrete issue's values, in order (`["no", "yes"]`
    /// for a yes/no issue); empty for a continuous issue. Option `i` of
    /// `n` is the value `i` in the issue's units (`min` 0, `max` `n - 1`),
    /// at `i / (n - 1)` on the normalised axis.
    pub options: Vec<String>,
}

/// A named reference value on an issue's axis.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueMark {
    pub label: String,
    /// In issue units.
    pub value: f64,
}

impl Issue {
    pub fn range(&self) -> f64 {
        self.max - self.min
    }
    /// Issue units to the normalised `[0, 1]` axis.
    pub fn normalise(&self, x: f64) -> f64 {
        (x - self.min) / self.range()
    }
    /// Normalised axis back to issue units.
    pub fn denormalise(&self, y: f64) -> f64 {
        self.min + y * self.range()
    }
    /// Whether a settlement takes one of the issue's named options.
    pub fn is_discrete(&self) -> bool {
        !self.options.is_empty()
    }
    /// The option a value in the issue's units stands for (the nearest
    /// one); `None` for a continuous issue.
    pub fn option_at(&self, x: f64) -> Option<&str> {
        let last = self.options.len().checked_sub(1)?;
        let i = (x - self.min).round().clamp(0.0, last as f64) as usize;
        Some(&self.options[i])
    }
    /// The option whose value is exactly `x`; `None` between two options
    /// and on a continuous issue.
    pub fn option_exactly_at(&self, x: f64) -> Option<&str> {
        let i = x - self.min;
        let whole = i.fract() == 0.0 && i >= 0.0 && i < self.options.len() as f64;
        whole.then(|| self.options[i as usize].as_str())
    }
    /// The value, in the issue's units, of the option named `name`.
    pub fn option_value(&self, name: &str) -> Option<f64> {
        let i = self.options.iter().position(|o| o == name)?;
        Some(self.min + i as f64)
    }
}

#[derive(Debug, PartialEq)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub colour: [u8; 3],
    pub archetype: Archetype,
    /// The party's goal in the scenario's own words ("wants a contract its
    /// plants can afford"), said in place of its archetype's where a class
    /// reads the parties' goals.
    pub goal: Option<String>,
    pub veto: bool,
    /// Reservation utility at step 0, in `[0, 1]`; 0 and never read for an
    /// archetype that works its bar out otherwise (see
    /// [`Archetype::unread`]).
    pub reservation: f64,
    /// Ideal settlement, in issue units.
    pub ideal: [f64; MAX_ISSUES],
    /// Salience of each issue, non-negative and summing to one.
    pub weight: [f64; MAX_ISSUES],
    pub red_lines: Vec<RedLine>,
    /// Every archetype knob (only its own archetype's are read).
    pub knobs: [f64; KNOBS],
    /// The party its `pressure_per_step` is aimed at (`pressure_on`), whose
    /// own pressure it raises; `None` adds it to the world's pressure.
    /// Validation keeps it off the party itself and on a party whose
    /// archetype reads pressure.
    pub pressure_on: Option<usize>,
    /// The party its `aid_per_step` goes to (`aid_to`); `None` adds it to
    /// the world's aid. Kept, like `pressure_on`, on another party whose
    /// archetype reads aid.
    pub aid_to: Option<usize>,
    /// The party's own values of the options of the discrete issues it
    /// values by a table (`values`); on those issues its `ideal` is its
    /// best option and changes nothing else. `None` when it has none.
    pub values: Option<Arc<OptionValues>>,
    /// The members the party stands for and how they decide, if it is a
    /// bloc; its `reservation` is then its pivotal member's bar.
    pub bloc: Option<Arc<Bloc>>,
}

// Written out so that `clone_from` reuses the strings' and red lines'
// memory: every Monte Carlo run starts from the scenario's parties without
// allocating. The destructuring makes a new field a compile error here.
impl Clone for Party {
    fn clone(&self) -> Self {
        let Party {
            id,
            name,
            colour,
            archetype,
            goal,
            veto,
            reservation,
            ideal,
            weight,
            red_lines,
            knobs,
            pressure_on,
            aid_to,
            values,
            bloc,
        } = self;
        Party {
            id: id.clone(),
            name: name.clone(),
            colour: *colour,
            archetype: *archetype,
            goal: goal.clone(),
            veto: *veto,
            reservation: *reservation,
            ideal: *ideal,
            weight: *weight,
            red_lines: red_lines.clone(),
            knobs: *knobs,
            pressure_on: *pressure_on,
            aid_to: *aid_to,
            values: values.clone(),
            bloc: bloc.clone(),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        let Party {
            id,
            name,
            colour,
            archetype,
            goal,
            veto,
            reservation,
            ideal,
            weight,
            red_lines,
            knobs,
            pressure_on,
            aid_to,
            values,
            bloc,
        } = source;
        self.id.clone_from(id);
        self.name.clone_from(name);
        self.colour = *colour;
        self.archetype = *archetype;
        self.goal.clone_from(goal);
        self.veto = *veto;
        self.reservation = *reservation;
        self.ideal = *ideal;
        self.weight = *weight;
        self.red_lines.clone_from(red_lines);
        self.knobs = *knobs;
        self.pressure_on = *pressure_on;
        self.aid_to = *aid_to;
        self.values.clone_from(values);
        self.bloc.clone_from(bloc);
    }
}

impl Party {
    /// Whether `other` starts in the same position and follows the world by
    /// the same rules (only its names, colour, goal and veto may differ):
    /// only such parties can ever bring identical terms to a step.
    pub fn same_position(&self, other: &Party) -> bool {
        self.archetype == other.archetype
            && self.reservation == other.reservation
            && self.ideal == other.ideal
            && self.weight == other.weight
            && self.red_lines == other.red_lines
            && self.knobs == other.knobs
            && self.values == other.values
            && self.bloc == other.bloc
    }

    /// What the party wants, in words: the scenario's own goal for it, or
    /// its archetype's.
    pub fn goal_text(&self) -> &str {
        self.goal.as_deref().unwrap_or(self.archetype.goal())
    }

    pub fn knob(&self, k: Knob) -> f64 {
        self.knobs[k as usize]
    }
}

/// A hard bound a party never crosses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RedLine {
    pub issue: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Bounds are offsets from the current front rather than fixed values.
    pub follows_front: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The name sweeps and `--set` use (`events.<id>.probability`), if the
    /// file gives one.
    pub id: Option<String>,
    pub label: String,
    /// Line of the source document the event comes from.
    pub source_line: Option<u32>,
    pub provenance: Provenance,
    pub trigger: Trigger,
    /// Whether it fires again after it has fired (`every`), and until when.
    pub repeat: Option<Repeat>,
    pub effects: Vec<Effect>,
    /// A step at which the event fires without its effects: a
    /// counterfactual's "the same run without this one firing" (the firing
    /// still counts, so a repeating event keeps its rhythm and a chance
    /// event its draws). Never set by a scenario file.
    pub muted_at: Option<u32>,
}

/// Where the source says one of a party's values: the line and a verbatim
/// fragment of it, checked against the source as an event's quote is, so a
/// class can tell a value read from the article from one chosen for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    /// The value's path, as `--set` writes it (`parties.russia.reservation`).
    pub path: String,
    pub line: u32,
    pub quote: String,
}

/// An event that fires more than once: a fixed-step event again every
/// `every` steps, a chance event again once `every` steps have passed since
/// it last fired; never after step `until`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Repeat {
    /// At least 1.
    pub every: u32,
    pub until: u32,
}

impl Event {
    /// Whether the event may fire at step `t`, given when it last fired;
    /// for a chance event, before its draw and its condition.
    #[inline]
    pub fn due(&self, t: u32, last: Option<u32>) -> bool {
        // Matched by reference, so that a chance event's trigger (its
        // condition included) is not copied for every event at every step.
        match &self.trigger {
            Trigger::At(s) => match self.repeat {
                None => *s == t,
                Some(r) => t >= *s && t <= r.until && (t - s).is_multiple_of(r.every),
            },
            Trigger::Chance { from, until, .. } => {
                let open = match (self.repeat, last) {
                    (_, None) => true,
                    (None, Some(_)) => false,
                    (Some(r), Some(l)) => t >= l + r.every && t <= r.until,
                };
                open && (*from..=*until).contains(&t)
            }
        }
    }

    /// The first step from `t` on at which a fixed-step event is due, if
    /// any: its steps follow from the trigger alone, whatever has happened,
    /// so a run need not look at it before then. `None` for a chance event,
    /// whose draw is taken at every step.
    pub fn next_fixed_due(&self, t: u32) -> Option<u32> {
        let Trigger::At(s) = self.trigger else {
            return None;
        };
        match self.repeat {
            None => (s >= t).then_some(s),
            Some(r) => {
                let every = r.every;
                let next = if t <= s {
                    s
                } else if every == 0 {
                    // Validation keeps `every` at 1 or more; 0 would mean
                    // the first step alone, as `due` reads it.
                    return None;
                } else {
                    // The first of s, s + every, ... at or after t.
                    let k = (t - s).div_ceil(every);
                    s.checked_add(k.checked_mul(every)?)?
                };
                (next <= r.until).then_some(next)
            }
        }
    }
}

/// Whether the source reports an event, so a class can tell what is read
/// from the article from what is imagined.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Provenance {
    /// The file says neither (scenarios not built from a source).
    #[default]
    Unstated,
    /// The source reports it, in these words of its `source_line`.
    Reported { quote: String },
    /// Not in the source: a what-if the scenario adds.
    WhatIf,
}

impl Provenance {
    /// The label every view shows beside a what-if event.
    pub const WHAT_IF: &'static str = "what if, not in the article";
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// Fires at exactly this step.
    At(u32),
    /// Fires at most once, with this probability at each step of the window
    /// at which its condition, if any, holds.
    Chance {
        probability: f64,
        from: u32,
        until: u32,
        when: Option<Condition>,
    },
}

/// A state of the talks or the world in which a chance event may fire.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    pub variable: Observed,
    pub test: Test,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    Below(f64),
    Above(f64),
}

/// What a condition can watch. The talks' gaps are those of the step
/// before (at step 0 there have been no talks, and no gap condition holds);
/// the world's variables are this step's, after the world has moved and
/// before any event of the step changes them, so an event never triggers
/// another in the same step; the step is the step's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    Gap,
    BarGap,
    /// The share by which the gap has narrowed from its widest so far
    /// ("as talks near a breakthrough"): a move of the talks, not a level
    /// the steady state may sit at.
    GapNarrowed,
    Front,
    Pressure,
    Aid,
    /// The step's number, from 0.
    Step,
    /// The pressure a party feels (`pressure.<id>`): the world's plus what
    /// is aimed at it. Only for a party some party aims pressure at.
    PressureOf(usize),
    /// The aid a party feels (`aid.<id>`), as `PressureOf`.
    AidOf(usize),
}

impl Observed {
    pub const ALL: [Observed; 7] = [
        Observed::Gap,
        Observed::BarGap,
        Observed::GapNarrowed,
        Observed::Front,
        Observed::Pressure,
        Observed::Aid,
        Observed::Step,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Observed::Gap => "gap",
            Observed::BarGap => "bar_gap",
            Observed::GapNarrowed => "gap_narrowed",
            Observed::Front => "front",
            Observed::Pressure => "pressure",
            Observed::Aid => "aid",
            Observed::Step => "step",
            Observed::PressureOf(_) => "pressure.<party>",
            Observed::AidOf(_) => "aid.<party>",
        }
    }
    /// A variable of the world by its name (a party's own pressure or aid
    /// needs the scenario: validation reads `pressure.<id>`).
    pub fn from_name(name: &str) -> Option<Observed> {
        Observed::ALL.into_iter().find(|o| o.name() == name)
    }
}

impl Condition {
    pub fn holds(&self, value: f64) -> bool {
        match self.test {
            Test::Below(x) => value < x,
            Test::Above(x) => value > x,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    pub target: Target,
    pub op: Op,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Set(f64),
    Add(f64),
    Scale(f64),
}

impl Op {
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Op::Set(v) => v,
            Op::Add(v) => x + v,
            Op::Scale(v) => x * v,
        }
    }
}

/// A numeric quantity of a scenario that an event (or a sweep) can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    World(WorldVar),
    Reservation(usize),
    Ideal {
        party: usize,
        issue: usize,
    },
    Knob {
        party: usize,
        knob: Knob,
    },
    /// One bound of one of a party's red lines (by position in its list),
    /// in the issue's units, or as an offset from the front for a line that
    /// follows it.
    RedLine {
        party: usize,
        line: usize,
        upper: bool,
    },
    /// 1 while the party takes part (its consent is needed if it has a veto),
    /// 0 once it has walked away.
    Engaged(usize),
    PerceptionNoise,
    Forgetting,
    /// The per-step probability of a chance event (by position in the file,
    /// counted from 1 in paths). Only sweeps change it; events cannot.
    EventProbability(usize),
}

impl Scenario {
    /// Whether some party aims its pressure at party `p` (`pressure_on`):
    /// then `p` reads its own pressure, the world's plus what is aimed at it.
    pub fn pressed(&self, p: usize) -> bool {
        self.parties.iter().any(|q| q.pressure_on == Some(p))
    }

    /// Whether some party sends its aid to party `p` (`aid_to`).
    pub fn aided(&self, p: usize) -> bool {
        self.parties.iter().any(|q| q.aid_to == Some(p))
    }

    /// Whether any party aims its pressure or aid: only then do the runs
    /// keep and write each party's own pressure and aid.
    pub fn aims(&self) -> bool {
        self.parties
            .iter()
            .any(|q| q.pressure_on.is_some() || q.aid_to.is_some())
    }

    /// Which issues are discrete, and their options' count: what the zone
    /// solver enumerates.
    pub fn grid(&self) -> crate::zone::Grid {
        let mut grid = crate::zone::Grid::default();
        for (k, i) in self.issues.iter().enumerate() {
            grid.levels[k] = i.options.len();
        }
        grid
    }

    /// What the scenario chose rather than read from its source: the
    /// file's `assumptions`, then each what-if event. Every view that shows
    /// a scenario to a class (report, explore page, lesson) lists these, so
    /// what is imagined is never taken for what is reported.
    pub fn all_assumptions(&self) -> Vec<String> {
        let events = self
            .events
            .iter()
            .filter(|e| e.provenance == Provenance::WhatIf)
            .map(|e| match e.source_line {
                Some(line) => format!("The event \"{}\" (prompted by line {line}).", e.label),
                None => format!("The event \"{}\".", e.label),
            });
        self.assumptions.iter().cloned().chain(events).collect()
    }

    /// The paths of the parties' values the file states (each bar, ideal,
    /// red line bound, and each knob it writes) and cites nothing for, in
    /// file order; none for a scenario without a source to cite.
    pub fn uncited(&self) -> Vec<String> {
        if self.source.is_empty() {
            return Vec::new();
        }
        (self.target_paths().into_iter())
            .filter(|p| p.starts_with("parties."))
            .filter(|p| match self.parse_target(p) {
                Ok(Target::Knob { .. }) => self.stated.contains(p),
                Ok(Target::Engaged(_)) | Err(_) => false,
                Ok(_) => true,
            })
            .filter(|p| !self.cites.iter().any(|c| &c.path == p))
            .collect()
    }

    pub fn party_index(&self, id: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.id == id)
    }
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }
    /// An event by its id, or by its number in the file (from 1).
    pub fn event_index(&self, name: &str) -> Option<usize> {
        let by_id = self
            .events
            .iter()
            .position(|e| e.id.as_deref() == Some(name));
        by_id.or_else(|| {
            let n = name.parse::<usize>().ok()?;
            (1..=self.events.len()).contains(&n).then(|| n - 1)
        })
    }

    /// Every path [`Scenario::parse_target`] accepts, for suggestions and
    /// `--help`: a field a party's archetype does not read is not one.
    pub fn target_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = WorldVar::all()
            .iter()
            .map(|w| format!("world.{}", w.spec().name))
            .collect();
        out.push("mediator.perception_noise".into());
        out.push("mediator.forgetting".into());
        for (e, ev) in self.events.iter().enumerate() {
            if matches!(ev.trigger, Trigger::Chance { .. }) {
                let name = ev.id.clone().unwrap_or_else(|| (e + 1).to_string());
                out.push(format!("events.{name}.probability"));
            }
        }
        for p in &self.parties {
            if p.archetype.unread(Field::Reservation).is_none() {
                out.push(format!("parties.{}.reservation", p.id));
            }
            out.push(format!("parties.{}.engaged", p.id));
            for i in &self.issues {
                out.push(format!("parties.{}.ideal.{}", p.id, i.id));
            }
            for k in p.archetype.knobs() {
                out.push(format!("parties.{}.{}", p.id, k.spec().name));
            }
            for rl in &p.red_lines {
                let issue = &self.issues[rl.issue].id;
                for (bound, name) in [(rl.min, "min"), (rl.max, "max")] {
                    if bound.is_some() {
                        out.push(format!("parties.{}.red_lines.{issue}.{name}", p.id));
                    }
                }
            }
        }
        out
    }

    /// Resolves a dotted path such as `parties.russia.stall`, refusing a
    /// field the party's archetype does not read.
    pub fn parse_target(&self, path: &str) -> Result<Target, PathError> {
        let parts: Vec<&str> = path.split('.').collect();
        let target = match parts.as_slice() {
            ["world", name] => WorldVar::from_name(name).map(Target::World),
            ["mediator", "perception_noise"] => Some(Target::PerceptionNoise),
            ["mediator", "forgetting"] => Some(Target::Forgetting),
            ["events", name, "probability"] => self
                .event_index(name)
                .filter(|&e| matches!(self.events[e].trigger, Trigger::Chance { .. }))
                .map(Target::EventProbability),
            ["parties", party, rest @ ..] => match self.party_index(party) {
                Some(p) => self.party_target(path, p, rest)?,
                None => return Err(self.no_party(path, party, rest)),
            },
            _ => None,
        };
        target.ok_or_else(|| self.unknown(path, None))
    }

    /// The target `rest` names among party `p`'s fields, or why the field
    /// is one its archetype does not read.
    fn party_target(
        &self,
        path: &str,
        p: usize,
        rest: &[&str],
    ) -> Result<Option<Target>, PathError> {
        let party = &self.parties[p];
        Ok(match rest {
            ["reservation"] => {
                if let Some(unread) = party.archetype.unread(Field::Reservation) {
                    return Err(PathError::NotRead {
                        path: path.to_string(),
                        party: party.id.clone(),
                        archetype: party.archetype.name(),
                        why: unread.why,
                        instead: (unread.instead.iter())
                            .map(|k| format!("parties.{}.{}", party.id, k.spec().name))
                            .collect(),
                    });
                }
                Some(Target::Reservation(p))
            }
            ["engaged"] => Some(Target::Engaged(p)),
            ["ideal", issue] => match self.issue_index(issue) {
                Some(k) if party.values.as_deref().is_some_and(|v| v.has(k)) => {
                    return Err(PathError::ByTable {
                        path: path.to_string(),
                        party: party.id.clone(),
                        issue: self.issues[k].id.clone(),
                    });
                }
                k => k.map(|issue| Target::Ideal { party: p, issue }),
            },
            ["red_lines", issue, bound @ ("min" | "max")] => {
                let upper = *bound == "max";
                self.issue_index(issue).and_then(|issue| {
                    let line = party.red_lines.iter().position(|rl| {
                        rl.issue == issue
                            && if upper {
                                rl.max.is_some()
                            } else {
                                rl.min.is_some()
                            }
                    })?;
                    Some(Target::RedLine {
                        party: p,
                        line,
                        upper,
                    })
                })
            }
            [knob] => Knob::from_name(knob)
                .filter(|k| party.archetype.knobs().contains(k))
                .map(|knob| Target::Knob { party: p, knob }),
            _ => None,
        })
    }

    /// A path whose party does not exist, with the path it most likely
    /// meant.
    fn no_party(&self, path: &str, party: &str, rest: &[&str]) -> PathError {
        let ids = self.parties.iter().map(|p| p.id.as_str());
        let suggestion = closest(party, ids).map(|id| {
            let rest = rest.join(".");
            if rest.is_empty() {
                format!("parties.{id}")
            } else {
                format!("parties.{id}.{rest}")
            }
        });
        let examples = self
            .parties
            .iter()
            .map(|p| format!("parties.{}", p.id))
            .collect();
        PathError::Unknown {
            party: Some(party.to_string()),
            suggestion,
            near: self.near(path),
            examples,
            path: path.to_string(),
        }
    }

    /// A path that names no field, with the closest ones there are.
    fn unknown(&self, path: &str, party: Option<String>) -> PathError {
        let all = self.target_paths();
        PathError::Unknown {
            path: path.to_string(),
            party,
            suggestion: closest(path, all.iter().map(String::as_str)).map(str::to_string),
            near: self.near(path),
            examples: all.into_iter().take(8).collect(),
        }
    }

    /// Up to five paths close enough to `path` to be what was meant.
    fn near(&self, path: &str) -> Vec<String> {
        self.target_paths()
            .into_iter()
            .filter(|p| closest(path, [p.as_str()]).is_some())
            .take(5)
            .collect()
    }

    /// The numeric quantity a path names (not a switch such as `engaged`),
    /// or why it names none.
    pub fn quantity(&self, path: &str) -> Result<Target, PathError> {
        let target = self.parse_target(path)?;
        if matches!(target, Target::Engaged(_)) {
            return Err(PathError::Switch {
                path: path.to_string(),
            });
        }
        Ok(target)
    }

    /// Sets the field an assignment names, refusing a value outside the
    /// field's allowed range (a typo should not be clamped into a result)
    /// and one that the scenario reader would refuse in the file (a quick
    /// dealer's floor above its bar): on refusal the scenario is left as
    /// it was.
    pub fn assign(&mut self, a: &Assignment) -> Result<Change, PathError> {
        let target = self.quantity(&a.path)?;
        let v = self.number_of(&a.path, target, &a.value)?;
        let from = self.try_value(&a.path, target, v)?;
        Ok(Change {
            path: a.path.clone(),
            from: self.setting(target, from),
            to: self.setting(target, v),
            values: Some([from, v]),
        })
    }

    /// The number a setting gives a target: a number as it is, an option's
    /// name as the option's value where the target is a discrete issue's
    /// ideal.
    fn number_of(&self, path: &str, target: Target, value: &Setting) -> Result<f64, PathError> {
        let name = match value {
            Setting::Number(v) => return Ok(*v),
            Setting::Name(name) => name,
        };
        let discrete = match target {
            Target::Ideal { issue, .. } => Some(&self.issues[issue]).filter(|i| i.is_discrete()),
            _ => None,
        };
        let Some(issue) = discrete else {
            let (low, high) = self.target_range(target);
            return Err(PathError::NotANumber {
                path: path.to_string(),
                name: name.clone(),
                low,
                high,
            });
        };
        issue
            .option_value(name)
            .ok_or_else(|| PathError::NotAnOption {
                path: path.to_string(),
                name: name.clone(),
                issue: issue.id.clone(),
                options: issue.options.clone(),
            })
    }

    /// A target's value as the class knows it: on a discrete issue's ideal
    /// the option's name where the value is an option's, a number
    /// elsewhere.
    fn setting(&self, target: Target, v: f64) -> Setting {
        if let Target::Ideal { issue, .. } = target
            && let Some(name) = self.issues[issue].option_exactly_at(v)
        {
            return Setting::Name(name.to_string());
        }
        Setting::Number(v)
    }

    /// Gives `target` the value `v` if it is in range and fits the other
    /// values as the file reader requires, returning the value it had;
    /// otherwise leaves the scenario as it was and says why.
    pub fn try_value(&mut self, path: &str, target: Target, v: f64) -> Result<f64, PathError> {
        let (low, high) = self.target_range(target);
        if !(low..=high).contains(&v) {
            return Err(PathError::OutOfRange {
                path: path.to_string(),
                value: v,
                low,
                high,
            });
        }
        let from = self.get(target);
        self.set(target, v);
        if let Some(conflict) = archetype::conflicts(self).into_iter().next() {
            self.set(target, from);
            return Err(PathError::Conflict {
                path: path.to_string(),
                value: v,
                conflict,
            });
        }
        Ok(from)
    }

    /// The span a sensitivity step is a share of: a knob's meaningful span
    /// (see [`params::Span`]), clipped to its allowed range; every other
    /// target's allowed range.
    pub fn target_span(&self, t: Target) -> f64 {
        let (lo, hi) = self.target_range(t);
        match t {
            Target::Knob { knob, .. } => match knob.span() {
                params::Span::Horizon => f64::from(self.steps),
                params::Span::FrontRange => self.issues[self.front_issue].range(),
                params::Span::Fixed(v) => v,
            }
            .min(hi - lo),
            Target::RedLine { party, line, .. } => {
                self.issues[self.parties[party].red_lines[line].issue].range()
            }
            // Per-step movements of the front: a whole range over the horizon.
            Target::World(
                WorldVar::Advance | WorldVar::PressureDrag | WorldVar::AidDrag | WorldVar::Noise,
            ) => self.issues[self.front_issue].range() / f64::from(self.steps.max(1)),
            _ => hi - lo,
        }
    }

    /// The allowed range of a target's value.
    pub fn target_range(&self, t: Target) -> (f64, f64) {
        match t {
            Target::World(WorldVar::Front) => {
                let i = &self.issues[self.front_issue];
                (i.min, i.max)
            }
            Target::World(w) => (w.spec().min, w.spec().max),
            Target::Reservation(_) | Target::Engaged(_) => (0.0, 1.0),
            Target::Ideal { issue, .. } => (self.issues[issue].min, self.issues[issue].max),
            Target::Knob { knob, .. } => (knob.spec().min, knob.spec().max),
            Target::RedLine { party, line, .. } => {
                let rl = &self.parties[party].red_lines[line];
                let i = &self.issues[rl.issue];
                if rl.follows_front {
                    (-i.range(), i.range())
                } else {
                    (i.min, i.max)
                }
            }
            Target::PerceptionNoise | Target::Forgetting | Target::EventProbability(_) => {
                (0.0, 1.0)
            }
        }
    }

    /// Reads a target's value as the scenario sets it at step 0.
    pub fn get(&self, t: Target) -> f64 {
        match t {
            Target::World(w) => self.world[w as usize],
            Target::Reservation(p) => self.parties[p].reservation,
            Target::Ideal { party, issue } => self.parties[party].ideal[issue],
            Target::Knob { party, knob } => self.parties[party].knob(knob),
            Target::RedLine { party, line, upper } => {
                let rl = &self.parties[party].red_lines[line];
                let bound = if upper { rl.max } else { rl.min };
                bound.unwrap_or(f64::NAN)
            }
            Target::Engaged(_) => 1.0,
            Target::PerceptionNoise => self.perception_noise,
            Target::Forgetting => self.forgetting,
            Target::EventProbability(e) => match self.events[e].trigger {
                Trigger::Chance { probability, .. } => probability,
                Trigger::At(_) => 1.0,
            },
        }
    }

    /// Sets a target's value at step 0 (used by sweeps). Values are clamped
    /// to the target's range so the scenario stays valid.
    pub fn set(&mut self, t: Target, v: f64) {
        let (lo, hi) = self.target_range(t);
        let v = v.clamp(lo, hi);
        match t {
            Target::World(w) => self.world[w as usize] = v,
            Target::Reservation(p) => self.parties[p].reservation = v,
            Target::Ideal { party, issue } => self.parties[party].ideal[issue] = v,
            Target::Knob { party, knob } => self.parties[party].knobs[knob as usize] = v,
            Target::RedLine { party, line, upper } => {
                let rl = &mut self.parties[party].red_lines[line];
                if upper {
                    rl.max = Some(v)
                } else {
                    rl.min = Some(v)
                }
            }
            Target::Engaged(_) => {}
            Target::PerceptionNoise => self.perception_noise = v,
            Target::Forgetting => self.forgetting = v,
            Target::EventProbability(e) => {
                if let Trigger::Chance { probability, .. } = &mut self.events[e].trigger {
                    *probability = v;
                }
            }
        }
    }
}

/// `PATH=VALUE`: one field of a scenario given another value at step 0,
/// as `--set` does on the command line. The value is a number, or the name
/// of an option where the path is a discrete issue's ideal; which one the
/// path takes is checked against the scenario, by [`Scenario::assign`].
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub path: String,
    pub value: Setting,
}

impl std::str::FromStr for Assignment {
    type Err = String;

    fn from_str(spec: &str) -> Result<Assignment, String> {
        let usage = "write --set PATH=VALUE, e.g. --set parties.russia.breaking_pressure=0.5";
        let (path, value) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}` has no `=`; {usage}"))?;
        let value = value.trim();
        let value = match value.parse::<f64>() {
            Ok(v) if v.is_finite() => Setting::Number(v),
            Ok(_) => return Err(format!("`{value}` is not a finite number; {usage}")),
            Err(_) if value.is_empty() => return Err(format!("`{spec}` has no value; {usage}")),
            Err(_) => Setting::Name(value.to_string()),
        };
        Ok(Assignment {
            path: path.trim().to_string(),
            value,
        })
    }
}

/// What an assignment changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    /// The value before, as the class knows it: on a discrete issue's
    /// ideal an option's name where the value is an option's.
    pub from: Setting,
    pub to: Setting,
    /// The numbers behind `from` and `to` where the field holds a number
    /// (an option's value on a discrete issue's ideal), so that data can
    /// give both as numbers; `None` for a field that holds a name (the
    /// protocol, a switch).
    pub values: Option<[f64; 2]>,
}

/// A value `--set` (or `--protocol`) gave a field: a number, or a name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Setting {
    Number(f64),
    Name(String),
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setting::Number(x) => write!(f, "{x}"),
            Setting::Name(n) => write!(f, "{n}"),
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assignment_reads_a_path_and_a_finite_number_or_a_name() {
        let a: Assignment = "parties.russia.stall=0.25".parse().unwrap();
        assert_eq!(a.path, "parties.russia.stall");
        assert_eq!(a.value, Setting::Number(0.25));
        let a: Assignment = "parties.candidate.ideal.remote= no ".parse().unwrap();
        assert_eq!(a.value, Setting::Name("no".into()));
        for bad in ["parties.russia.stall", "x=", "x= ", "x=inf", "x=NaN"] {
            assert!(bad.parse::<Assignment>().is_err(), "{bad}");
        }
    }

    /// The next step a fixed-step event is due at is the first step from
    /// `t` on at which `due` says so, by a search over every step.
    #[test]
    fn a_fixed_events_next_step_is_the_first_at_which_it_is_due() {
        let repeats = (0..6).flat_map(|every| (0..16).map(move |more| (every, more)));
        let cases = (0..14).flat_map(|at| {
            let once = std::iter::once((at, None));
            once.chain(repeats.clone().map(move |(every, more)| {
                let until = at + more;
                (at, Some(Repeat { every, until }))
            }))
        });
        let event = |trigger, repeat| Event {
            id: None,
            label: String::new(),
            source_line: None,
            provenance: Provenance::default(),
            trigger,
            repeat,
            effects: Vec::new(),
            muted_at: None,
        };
        for (at, repeat) in cases {
            let ev = event(Trigger::At(at), repeat);
            for t in 0..40 {
                let searched = (t..60).find(|&u| ev.due(u, None));
                assert_eq!(ev.next_fixed_due(t), searched, "{ev:?} from {t}");
            }
        }
        let chance = Trigger::Chance {
            probability: 0.5,
            from: 0,
            until: 10,
            when: None,
        };
        let chance = event(chance, None);
        assert_eq!(chance.next_fixed_due(0), None);
    }
}
