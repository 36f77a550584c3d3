//! The named numeric knobs of the world and of each archetype.
//!
//! One table per family is the single source of truth for a knob's name,
//! default, allowed range and meaning: the scenario reader validates against
//! it, events and sweeps address knobs through it, and the documentation
//! lists it. Knob values live in plain arrays indexed by the enums below, so
//! the simulation reads them without any lookup.

/// Describes one knob.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
    pub meaning: &'static str,
}

const fn spec(
    name: &'static str,
    default: f64,
    min: f64,
    max: f64,
    unit: &'static str,
    meaning: &'static str,
) -> Spec {
    Spec {
        name,
        default,
        min,
        max,
        unit,
        meaning,
    }
}

/// The world's state variables and dynamics parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorldVar {
    Front = 0,
    Pressure,
    Aid,
    Advance,
    PressureDrag,
    AidDrag,
    Noise,
    PressureDecay,
    AidDecay,
}

pub const WORLD_VARS: usize = 9;

pub const WORLD: [Spec; WORLD_VARS] = [
    spec(
        "front",
        0.0,
        f64::NEG_INFINITY,
        f64::INFINITY,
        "front issue's unit",
        "Where the front line stands on the front issue at step 0 (must lie in the issue's range).",
    ),
    spec(
        "pressure",
        0.0,
        0.0,
        1.0,
        "share",
        "Economic pressure on the political_victory side, 0 = none, 1 = the most the coalition can apply.",
    ),
    spec(
        "aid",
        0.0,
        0.0,
        1.0,
        "share",
        "Aid reaching the sustained_pressure side, 0 = none, 1 = full support.",
    ),
    spec(
        "advance",
        0.0,
        -1e6,
        1e6,
        "front unit per step",
        "How far the front moves per step towards the issue's maximum with no pressure and no aid.",
    ),
    spec(
        "pressure_drag",
        0.0,
        0.0,
        1e6,
        "front unit per step",
        "How much full pressure slows the advance per step.",
    ),
    spec(
        "aid_drag",
        0.0,
        0.0,
        1e6,
        "front unit per step",
        "How much full aid pushes the front back per step.",
    ),
    spec(
        "noise",
        0.0,
        0.0,
        1e6,
        "front unit per step",
        "Standard deviation of the random part of the front's movement per step.",
    ),
    spec(
        "pressure_decay",
        0.0,
        0.0,
        1.0,
        "share per step",
        "Share of the pressure that fades each step unless renewed.",
    ),
    spec(
        "aid_decay",
        0.0,
        0.0,
        1.0,
        "share per step",
        "Share of the aid that runs out each step unless renewed.",
    ),
];

/// The three goal archetypes of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archetype {
    QuickDeal,
    PoliticalVictory,
    SustainedPressure,
    /// Fearon's bargaining model of war: the bar is the value of fighting on.
    WarBargaining,
}

impl Archetype {
    pub const ALL: [Archetype; 4] = [
        Archetype::QuickDeal,
        Archetype::PoliticalVictory,
        Archetype::SustainedPressure,
        Archetype::WarBargaining,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Archetype::QuickDeal => "quick_deal",
            Archetype::PoliticalVictory => "political_victory",
            Archetype::SustainedPressure => "sustained_pressure",
            Archetype::WarBargaining => "war_bargaining",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The knobs this archetype reads. Every party, whatever its goal, may
    /// contribute pressure and aid (the levers of the world), so those two
    /// are every archetype's.
    pub fn knobs(self) -> &'static [Knob] {
        use Knob::*;
        match self {
            Archetype::QuickDeal => &[
                Deadline,
                Concession,
                Floor,
                Drift,
                Leverage,
                Patience,
                PressurePerStep,
                AidPerStep,
                TacticE,
                TacticK,
            ],
            Archetype::PoliticalVictory => &[
                VictoryMargin,
                BreakingPressure,
                PressureSensitivity,
                Confidence,
                Stall,
                PressurePerStep,
                AidPerStep,
                TacticE,
                TacticK,
            ],
            Archetype::SustainedPressure => &[
                PressurePerStep,
                AidPerStep,
                Resolve,
                AidDependence,
                AidThreshold,
                LineGive,
                TacticE,
                TacticK,
            ],
            Archetype::WarBargaining => &[
                Lookahead,
                CostPerStep,
                PressurePerStep,
                AidPerStep,
                TacticE,
                TacticK,
            ],
        }
    }
}

/// Every archetype knob; a party stores all of them and reads its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    Deadline = 0,
    Concession,
    Drift,
    Leverage,
    Patience,
    VictoryMargin,
    BreakingPressure,
    PressureSensitivity,
    Confidence,
    Stall,
    PressurePerStep,
    AidPerStep,
    Resolve,
    AidDependence,
    Floor,
    AidThreshold,
    LineGive,
    Lookahead,
    CostPerStep,
    TacticE,
    TacticK,
}

pub const KNOBS: usize = 21;

pub const KNOB_SPECS: [Spec; KNOBS] = [
    spec(
        "deadline",
        0.0,
        0.0,
        1e5,
        "steps",
        "Step by which the party wants a deal; its bar falls to zero there (0 = the horizon).",
    ),
    spec(
        "concession",
        1.0,
        0.01,
        100.0,
        "exponent",
        "Shape of the fall of its bar: 1 linear, below 1 holds firm then caves, above 1 concedes early.",
    ),
    spec(
        "drift",
        0.0,
        0.0,
        1.0,
        "share per step",
        "How far its ideal moves each step towards the ideal of the party that blocks most.",
    ),
    spec(
        "leverage",
        0.0,
        0.0,
        1.0,
        "share per step",
        "Pressure it adds on a blocking political_victory party, or aid it withholds from a blocking sustained_pressure party, each step without a zone.",
    ),
    spec(
        "patience",
        0.0,
        0.0,
        1e5,
        "steps",
        "Consecutive steps without a zone after which it walks away (0 = never).",
    ),
    spec(
        "victory_margin",
        0.0,
        0.0,
        1e6,
        "front issue's unit",
        "How far beyond the front's furthest point it demands with no pressure; above 0, freezing the current line falls short of its threshold.",
    ),
    spec(
        "breaking_pressure",
        1.0,
        0.01,
        1e6,
        "share",
        "Pressure at which it would settle for the current front line (its claim beyond the line falls linearly to 0 there).",
    ),
    spec(
        "pressure_sensitivity",
        0.0,
        0.0,
        10.0,
        "utility per unit of pressure",
        "How much its bar falls as pressure rises above its starting level.",
    ),
    spec(
        "confidence",
        0.0,
        0.0,
        10.0,
        "utility per range of advance",
        "How much its bar rises as the front advances (its belief that time is on its side).",
    ),
    spec(
        "stall",
        0.0,
        0.0,
        10.0,
        "utility per unit of eased pressure",
        "How much its bar rises when pressure eases below its peak (it starts stalling).",
    ),
    spec(
        "pressure_per_step",
        0.0,
        0.0,
        1.0,
        "share per step",
        "Pressure it adds each step (sanctions packages).",
    ),
    spec(
        "aid_per_step",
        0.0,
        0.0,
        1.0,
        "share per step",
        "Aid it adds each step (military and financial support).",
    ),
    spec(
        "resolve",
        0.0,
        0.0,
        10.0,
        "utility per unit of pressure",
        "How much its bar rises as pressure builds (it holds out while pressure seems to work).",
    ),
    spec(
        "aid_dependence",
        0.0,
        0.0,
        10.0,
        "utility per unit of lost aid",
        "How much its bar falls as aid drops below its starting level.",
    ),
    spec(
        "floor",
        0.0,
        0.0,
        1.0,
        "utility",
        "The bar it will not go below however close its deadline (0 = it would take anything at the deadline).",
    ),
    spec(
        "aid_threshold",
        0.0,
        0.0,
        1.0,
        "share",
        "Aid below which its red lines on the front issue give way (0 = they never do).",
    ),
    spec(
        "line_give",
        0.0,
        0.0,
        1e6,
        "front issue's unit",
        "How far its red lines on the front issue give way with no aid at all, in proportion to how far aid falls below aid_threshold.",
    ),
    spec(
        "lookahead",
        10.0,
        1.0,
        1e5,
        "steps",
        "How far ahead a war_bargaining party looks: its bar is the settlement fighting on would reach in this many steps, less their cost (at most the horizon).",
    ),
    spec(
        "cost_per_step",
        0.0,
        0.0,
        1.0,
        "utility per step",
        "What each step of fighting costs a war_bargaining party, in utility; over the lookahead it is its cost of war.",
    ),
    spec(
        "tactic_e",
        1.0,
        0.001,
        100.0,
        "exponent",
        "Alternating offers only: the shape of its concession f(t) = k + (1 - k) t^(1/e); below 1 Boulware (holds firm, caves late), 1 linear, above 1 Conceder.",
    ),
    spec(
        "tactic_k",
        0.0,
        0.0,
        1.0,
        "share",
        "Alternating offers only: the share of its utility range it concedes at once, in its first offer.",
    ),
];

const ALL_KNOBS: [Knob; KNOBS] = {
    use Knob::*;
    [
        Deadline,
        Concession,
        Drift,
        Leverage,
        Patience,
        VictoryMargin,
        BreakingPressure,
        PressureSensitivity,
        Confidence,
        Stall,
        PressurePerStep,
        AidPerStep,
        Resolve,
        AidDependence,
        Floor,
        AidThreshold,
        LineGive,
        Lookahead,
        CostPerStep,
        TacticE,
        TacticK,
    ]
};

const ALL_WORLD: [WorldVar; WORLD_VARS] = {
    use WorldVar::*;
    [
        Front,
        Pressure,
        Aid,
        Advance,
        PressureDrag,
        AidDrag,
        Noise,
        PressureDecay,
        AidDecay,
    ]
};

/// The size of change that counts as "a whole range" of a knob: its
/// meaningful span, narrower than its allowed range where that range is
/// open-ended (a deadline may be any number of steps). The sensitivity
/// analysis moves each knob by a quarter of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    /// The scenario's horizon, for knobs counted in steps.
    Horizon,
    /// The front issue's range, for knobs in its unit.
    FrontRange,
    Fixed(f64),
}

impl Knob {
    pub fn spec(self) -> &'static Spec {
        &KNOB_SPECS[self as usize]
    }
    pub fn span(self) -> Span {
        use Knob::*;
        match self {
            Deadline | Patience | Lookahead => Span::Horizon,
            CostPerStep => Span::Fixed(0.05),
            TacticE => Span::Fixed(2.0),
            TacticK => Span::Fixed(1.0),
            VictoryMargin | LineGive => Span::FrontRange,
            Floor | AidThreshold => Span::Fixed(1.0),
            Concession => Span::Fixed(10.0),
            Drift => Span::Fixed(1.0),
            Leverage => Span::Fixed(0.2),
            BreakingPressure | PressureSensitivity | Stall | Resolve | AidDependence => {
                Span::Fixed(2.0)
            }
            Confidence => Span::Fixed(5.0),
            PressurePerStep | AidPerStep => Span::Fixed(0.1),
        }
    }
    pub fn from_name(name: &str) -> Option<Self> {
        ALL_KNOBS.into_iter().find(|k| k.spec().name == name)
    }
    /// Default values of every knob, in `Knob` order.
    pub fn defaults() -> [f64; KNOBS] {
        KNOB_SPECS.map(|s| s.default)
    }
}

impl WorldVar {
    pub fn spec(self) -> &'static Spec {
        &WORLD[self as usize]
    }
    pub fn from_name(name: &str) -> Option<Self> {
        ALL_WORLD.into_iter().find(|k| k.spec().name == name)
    }
    pub fn all() -> [WorldVar; WORLD_VARS] {
        ALL_WORLD
    }
}
