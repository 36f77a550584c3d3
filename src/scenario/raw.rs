//! The scenario file exactly as written, before any meaning is checked.
//!
//! Values that validation may complain about are wrapped in `Spanned`, so a
//! complaint can point at the text. Tables whose keys are names chosen by
//! the author (ideals, weights, knobs, the world) are read as maps and their
//! keys checked by validation, which can then suggest the intended name.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub type Num = Spanned<f64>;
pub type Int = Spanned<i64>;
pub type Text = Spanned<String>;
pub type NumMap = BTreeMap<Text, Num>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub scenario: Meta,
    pub time: Time,
    pub issues: Spanned<Vec<Issue>>,
    pub parties: Spanned<Vec<Party>>,
    pub world: Spanned<BTreeMap<Text, Spanned<toml::Value>>>,
    pub mediator: Option<Mediator>,
    #[serde(default)]
    pub events: Vec<Event>,
    pub charts: Option<Charts>,
    /// What-ifs a class asks about, each a set of `--set` assignments.
    #[serde(default)]
    pub variants: Vec<Variant>,
}

/// `[[variants]]`: a what-if written once in the file, run by `zopa lesson`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub title: Text,
    pub question: String,
    /// `--set` assignments as written on the command line: `"PATH=VALUE"`.
    pub set: Spanned<Vec<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charts {
    /// `[low, high]` on the front issue for the zone chart's axis.
    pub y_range: Option<Spanned<Vec<f64>>>,
    /// `[[charts.marks]]`: reference settlements the outcome chart draws.
    #[serde(default)]
    pub marks: Vec<ChartMark>,
}

/// A reference settlement: `{ label = "split the difference", at = { price = 5 } }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartMark {
    pub label: Text,
    pub at: Spanned<NumMap>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: Text,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub source: String,
    /// What the scenario chose where its source is silent.
    #[serde(default)]
    pub assumptions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Time {
    pub steps: Int,
    #[serde(default = "default_step_unit")]
    pub step_unit: String,
}

fn default_step_unit() -> String {
    "step".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    pub id: Text,
    pub label: String,
    #[serde(default)]
    pub unit: String,
    /// `"continuous"` (the default), `"yes_no"` or `"options"`.
    #[serde(default)]
    pub kind: Option<Text>,
    /// The options of an `"options"` issue, in order.
    #[serde(default)]
    pub options: Option<Spanned<Vec<Text>>>,
    /// Required of a continuous issue; a discrete issue's range is its
    /// options' positions.
    #[serde(default)]
    pub min: Option<Num>,
    #[serde(default)]
    pub max: Option<Num>,
    #[serde(default)]
    pub low_label: String,
    #[serde(default)]
    pub high_label: String,
    #[serde(default)]
    pub marks: Vec<Mark>,
    #[serde(default)]
    pub status_quo: Option<Num>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    pub label: String,
    pub value: Num,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub id: Text,
    pub name: String,
    pub colour: Text,
    pub archetype: Text,
    /// The party's goal in the class's words, in place of its archetype's.
    pub goal: Option<Text>,
    #[serde(default = "yes")]
    pub veto: bool,
    /// Required where the archetype reads it; validation says so. Either a
    /// utility in `[0, 1]` or the worst settlement the party would still
    /// accept, as a table of issue values (`{ price = 120 }`); validation
    /// tells the two apart, so a table's errors point at the table.
    pub reservation: Option<Spanned<toml::Value>>,
    /// A number per issue, or "more" / "less" for an issue where more (or
    /// less) is simply better for the party.
    pub ideal: Spanned<BTreeMap<Text, Spanned<toml::Value>>>,
    pub weights: Option<Spanned<NumMap>>,
    /// Per discrete issue, each option's value to the party (0 to 1, its
    /// best 1), where position does not say it.
    #[serde(default)]
    pub values: BTreeMap<Text, Spanned<NumMap>>,
    #[serde(default)]
    pub red_lines: Vec<RedLine>,
    #[serde(default)]
    pub knobs: NumMap,
    /// The party its `pressure_per_step` is aimed at (an id); without it,
    /// its pressure adds to the world's.
    pub pressure_on: Option<Text>,
    /// The party its `aid_per_step` goes to (an id); without it, its aid
    /// adds to the world's.
    pub aid_to: Option<Text>,
    /// Where the source says a value of the party: keyed by the value's
    /// path after `parties.<id>.` (`reservation`, `breaking_pressure`,
    /// `ideal.territory`, `red_lines.territory.max`).
    #[serde(default)]
    pub cite: BTreeMap<Text, Cite>,
    /// `[parties.bloc]`: the party stands for these members, who share its
    /// ideal, weights, red lines and archetype.
    pub bloc: Option<Spanned<Bloc>>,
}

/// A bloc's rule and members.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bloc {
    /// `"unanimity"` or `"qualified_majority"`.
    pub rule: Text,
    /// The share of all votes a qualified majority needs.
    pub quota: Option<Num>,
    pub members: Spanned<Vec<Member>>,
}

/// `{ id = "fr", name = "France", reservation = 0.45, votes = 1 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: Text,
    /// Shown in sentences; the id when left out.
    pub name: Option<String>,
    /// Written as a party's `reservation`: a utility or a settlement.
    pub reservation: Spanned<toml::Value>,
    pub votes: Option<Num>,
}

/// `{ line = 21, quote = "..." }`: a verbatim fragment of a source line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cite {
    pub line: Int,
    pub quote: Text,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedLine {
    pub issue: Text,
    pub min: Option<Num>,
    pub max: Option<Num>,
    #[serde(default)]
    pub follows_front: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mediator {
    pub party: Option<Text>,
    pub perception_noise: Option<Num>,
    pub learning: Option<bool>,
    pub forgetting: Option<Num>,
    pub protocol: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Option<Text>,
    pub label: Text,
    /// `false` keeps the event's random draws but drops its effects, so the
    /// other events fire exactly as before.
    pub enabled: Option<bool>,
    pub source_line: Option<Int>,
    /// A verbatim fragment of `source_line`: the event is reported.
    pub quote: Option<Text>,
    /// `true`: the event is a what-if the source does not report.
    pub what_if: Option<bool>,
    pub at_step: Option<Int>,
    pub probability: Option<Num>,
    pub from_step: Option<Int>,
    pub until_step: Option<Int>,
    /// Fires again every this many steps (a fixed-step event), or may fire
    /// again this many steps after it last fired (a chance event).
    pub every: Option<Int>,
    /// The last step a repeating event may fire at.
    pub until: Option<Int>,
    pub when: Option<Spanned<Condition>>,
    pub effects: Spanned<Vec<Effect>>,
}

/// `when = { variable = "gap", below = 0.02 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub variable: Text,
    pub below: Option<Num>,
    pub above: Option<Num>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    pub target: Text,
    pub set: Option<Num>,
    pub add: Option<Num>,
    pub scale: Option<Num>,
}
