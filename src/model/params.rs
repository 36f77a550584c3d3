//! The named numeric knobs of the world and of each archetype.
//!
//! One declaration per family is the single source of truth for a knob's
//! name, default, allowed range, unit, span and meaning: the `knobs!` list
//! below for the archetype knobs, the `WORLD` table for the world. The
//! scenario reader validates against them, events and sweeps address knobs
//! through them, and the documentation lists them. Which archetype reads
//! which knob is said in that archetype's own file (`model::archetype`).
//! Knob values live in plain arrays indexed by the enums below, so the
//! simulation reads them without any lookup.

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

/// Declares every archetype knob once: its name, the archetype whose file
/// lists it (`every` for the levers and tactics all archetypes share),
/// default, allowed range, unit, span and meaning. The `Knob` enum, the
/// `KNOB_SPECS` table and `Knob::span` are generated from this one list, so
/// a knob's facts cannot drift apart.
macro_rules! knobs {
    ($($variant:ident {
        name: $name:literal,
        owner: $owner:literal,
        default: $default:expr,
        range: $min:expr, $max:expr,
        unit: $unit:literal,
        span: $span:ident $(($fixed:expr))?,
        meaning: $meaning:literal $(,)?
    })*) => {
        /// Every archetype knob; a party stores all of them and reads its
        /// archetype's.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Knob {
            $($variant),*
        }

        /// How many knobs there are.
        pub const KNOBS: usize = [$($name),*].len();

        /// Each knob's spec, in `Knob` order.
        pub const KNOB_SPECS: [Spec; KNOBS] = [$(spec($name, $default, $min, $max, $unit, $meaning)),*];

        impl Knob {
            /// Every knob, in declaration order.
            pub const ALL: [Knob; KNOBS] = [$(Knob::$variant),*];

            pub fn span(self) -> Span {
                match self {
                    $(Knob::$variant => Span::$span $(($fixed))?),*
                }
            }

            /// The archetype whose file lists the knob, or `every`.
            pub fn owner(self) -> &'static str {
                match self {
                    $(Knob::$variant => $owner),*
                }
            }
        }
    };
}

knobs! {
    Deadline {
        name: "deadline",
        owner: "quick_deal",
        default: 0.0,
        range: 0.0, 1e5,
        unit: "steps",
        span: Horizon,
        meaning: "Step by which the party wants a deal; its bar falls to its `floor` there (0 = the horizon).",
    }
    Concession {
        name: "concession",
        owner: "quick_deal",
        default: 1.0,
        range: 0.01, 100.0,
        unit: "exponent",
        span: Fixed(10.0),
        meaning: "Shape of the fall of its bar: 1 linear, below 1 holds firm then caves, above 1 concedes early.",
    }
    Drift {
        name: "drift",
        owner: "quick_deal",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "share per step",
        span: Fixed(1.0),
        meaning: "How far its ideal moves each step towards the settlement nearest agreement (never past it), while another party blocks.",
    }
    Leverage {
        name: "leverage",
        owner: "quick_deal",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "share per step",
        span: Fixed(0.2),
        meaning: "Pressure it adds on a blocking political_victory party, or aid it withholds from a blocking sustained_pressure party, each step without a zone.",
    }
    Patience {
        name: "patience",
        owner: "quick_deal",
        default: 0.0,
        range: 0.0, 1e5,
        unit: "steps",
        span: Horizon,
        meaning: "Consecutive steps without a zone after which it walks away (0 = never).",
    }
    VictoryMargin {
        name: "victory_margin",
        owner: "political_victory",
        default: 0.0,
        range: 0.0, 1e6,
        unit: "front issue's unit",
        span: FrontRange,
        meaning: "How far beyond the front's furthest point it demands with no pressure; above 0, freezing the current line falls short of its threshold.",
    }
    BreakingPressure {
        name: "breaking_pressure",
        owner: "political_victory",
        default: 1.0,
        range: 0.01, 1e6,
        unit: "share",
        span: Fixed(2.0),
        meaning: "Pressure at which it would settle for the current front line (its claim beyond the line falls linearly to 0 there).",
    }
    PressureSensitivity {
        name: "pressure_sensitivity",
        owner: "political_victory",
        default: 0.0,
        range: 0.0, 10.0,
        unit: "utility per unit of pressure",
        span: Fixed(2.0),
        meaning: "How much its bar falls as pressure rises above its starting level.",
    }
    Confidence {
        name: "confidence",
        owner: "political_victory",
        default: 0.0,
        range: 0.0, 10.0,
        unit: "utility per range of advance",
        span: Fixed(5.0),
        meaning: "How much its bar rises as the front advances (its belief that time is on its side).",
    }
    Stall {
        name: "stall",
        owner: "political_victory",
        default: 0.0,
        range: 0.0, 10.0,
        unit: "utility per unit of eased pressure",
        span: Fixed(2.0),
        meaning: "How much its bar rises when pressure eases below its peak (it starts stalling).",
    }
    PressurePerStep {
        name: "pressure_per_step",
        owner: "every",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "share per step",
        span: Fixed(0.1),
        meaning: "Pressure it adds each step (sanctions packages).",
    }
    AidPerStep {
        name: "aid_per_step",
        owner: "every",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "share per step",
        span: Fixed(0.1),
        meaning: "Aid it adds each step (military and financial support).",
    }
    Resolve {
        name: "resolve",
        owner: "sustained_pressure",
        default: 0.0,
        range: 0.0, 10.0,
        unit: "utility per unit of pressure",
        span: Fixed(2.0),
        meaning: "How much its bar rises as pressure builds (it holds out while pressure seems to work).",
    }
    AidDependence {
        name: "aid_dependence",
        owner: "sustained_pressure",
        default: 0.0,
        range: 0.0, 10.0,
        unit: "utility per unit of lost aid",
        span: Fixed(2.0),
        meaning: "How much its bar falls as aid drops below its starting level.",
    }
    Floor {
        name: "floor",
        owner: "quick_deal",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "utility",
        span: Fixed(1.0),
        meaning: "The bar it will not go below however close its deadline (0 = it would take anything at the deadline).",
    }
    AidThreshold {
        name: "aid_threshold",
        owner: "sustained_pressure",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "share",
        span: Fixed(1.0),
        meaning: "Aid below which its red lines on the front issue give way (0 = they never do).",
    }
    LineGive {
        name: "line_give",
        owner: "sustained_pressure",
        default: 0.0,
        range: 0.0, 1e6,
        unit: "front issue's unit",
        span: FrontRange,
        meaning: "How far its red lines on the front issue give way with no aid at all, in proportion to how far aid falls below aid_threshold.",
    }
    Lookahead {
        name: "lookahead",
        owner: "war_bargaining",
        default: 10.0,
        range: 1.0, 1e5,
        unit: "steps",
        span: Horizon,
        meaning: "How far ahead a war_bargaining party looks: its bar is the settlement fighting on would reach in this many steps, less their cost (at most the horizon).",
    }
    CostPerStep {
        name: "cost_per_step",
        owner: "war_bargaining",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "utility per step",
        span: Fixed(0.05),
        meaning: "What each step of fighting costs a war_bargaining party, in utility; over the lookahead it is its cost of war.",
    }
    TacticE {
        name: "tactic_e",
        owner: "every",
        default: 1.0,
        range: 0.001, 100.0,
        unit: "exponent",
        span: Fixed(2.0),
        meaning: "Alternating offers only: the shape of its concession f(t) = k + (1 - k) t^(1/e); below 1 Boulware (holds firm, caves late), 1 linear, above 1 Conceder.",
    }
    TacticK {
        name: "tactic_k",
        owner: "every",
        default: 0.0,
        range: 0.0, 1.0,
        unit: "share",
        span: Fixed(1.0),
        meaning: "Alternating offers only: the share of its utility range it concedes at once, in its first offer.",
    }
}

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

impl Knob {
    pub fn spec(self) -> &'static Spec {
        &KNOB_SPECS[self as usize]
    }
    pub fn from_name(name: &str) -> Option<Self> {
        Knob::ALL.into_iter().find(|k| k.spec().name == name)
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
