//! What can be wrong with a scenario file, as structured values.
//!
//! Each problem carries the facts that describe it (the field, the value,
//! the allowed range, the names that would have been right) and renders its
//! own message, hint and category in one place. Tests match the variants;
//! the text a person reads is derived from them.

use crate::model::Archetype;
use crate::model::archetype::Conflict;
use crate::model::closest;

/// A problem found in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The file could not be read as text.
    File(FileProblem),
    /// The text is not valid TOML, or does not have the format's shape.
    Syntax(SyntaxProblem),
    /// A value is out of range, of the wrong kind, or names nothing.
    Value(ValueProblem),
    /// The scenario's parts do not fit together.
    Scenario(ScenarioProblem),
    /// An event cannot happen as written.
    Event(EventProblem),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FileProblem {
    /// The path cannot be opened (missing, or no permission).
    CannotOpen {
        reason: String,
    },
    Folder,
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    CannotRead {
        reason: String,
    },
    /// The bytes are not UTF-8 from `offset` on.
    NotUtf8 {
        offset: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum SyntaxProblem {
    UnknownField {
        field: String,
        expected: Vec<String>,
    },
    MissingField {
        field: String,
    },
    /// A value of another type than the field's (TOML's own message).
    WrongType {
        message: String,
    },
    /// Arrays or tables nested beyond the parser's depth limit.
    TooDeep {
        message: String,
    },
    /// Not valid TOML (the parser's own message).
    NotToml {
        message: String,
    },
    /// A string or key holds a character that a terminal would obey
    /// rather than show (see `plain_text`).
    ControlCharacter {
        code: u32,
        key: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueProblem {
    NotFinite {
        what: String,
        value: f64,
        low: f64,
        high: f64,
    },
    OutOfRange {
        what: String,
        value: f64,
        low: f64,
        high: f64,
    },
    WholeOutOfRange {
        what: String,
        value: i64,
        low: i64,
        high: i64,
    },
    /// A reference to an issue, party, archetype or field that does not
    /// exist; `known` are the names that would have been right.
    UnknownName {
        what: String,
        name: String,
        known: Vec<String>,
    },
    /// A value of the wrong kind where the format allows several.
    NotA {
        field: String,
        expected: &'static str,
        meaning: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioProblem {
    UnsafeName {
        name: String,
    },
    IssueCount {
        given: usize,
        max: usize,
    },
    PartyCount {
        given: usize,
        max: usize,
    },
    /// Two issues or two parties with one id.
    Duplicate {
        what: &'static str,
        id: String,
    },
    EmptyRange {
        issue: String,
        min: f64,
        max: f64,
    },
    /// A continuous issue without `min` or `max`.
    MissingRange {
        issue: String,
    },
    /// `min` or `max` on a yes/no or options issue.
    DiscreteRange {
        issue: String,
        last: usize,
    },
    /// `kind = "options"` without `options`.
    MissingOptions {
        issue: String,
    },
    /// `options` on an issue whose kind takes none.
    OptionsOfKind {
        issue: String,
        kind: String,
    },
    OptionCount {
        issue: String,
        given: usize,
        max: usize,
    },
    /// An option named twice or with an empty name.
    /// An option's name holding a character that separates values.
    OptionSeparator {
        issue: String,
        option: String,
        mark: char,
    },
    /// An option's name that reads as a number ("2", "1e0", "inf"): where
    /// `--set` and `--at` take a name or a position, it would be read as a
    /// position.
    OptionNumber {
        issue: String,
        option: String,
    },
    /// An option's name over more than one line (a line break or a tab in
    /// it): the name heads columns, labels charts and is quoted in the
    /// comments of a variant's file, one line each.
    OptionLineBreak {
        issue: String,
        option: String,
    },
    /// An option named "more" or "less": as an ideal those words name the
    /// issue's last and first options, so an option of that name would be
    /// read as another one.
    OptionEnd {
        issue: String,
        option: String,
    },
    /// `"more"` or `"less"` as the ideal on an issue the party values by
    /// its table: the table, not the options' order, says what it prefers.
    MonotoneTable {
        party: String,
        issue: String,
        given: String,
    },
    BadOption {
        issue: String,
        option: String,
    },
    /// An ideal on a discrete issue that is none of its options.
    DiscreteIdeal {
        /// "ideal of `seller` on `warranty`".
        what: String,
        given: String,
        options: Vec<String>,
    },
    /// More combinations of the discrete issues' options than are solved
    /// exactly.
    TooManyCombinations {
        given: usize,
        max: usize,
        issues: Vec<String>,
    },
    /// The front line moves continuously, so its issue cannot be discrete.
    DiscreteFront {
        issue: String,
    },
    /// Alternating offers concede along straight lines between ideals,
    /// which leave a discrete issue's options.
    DiscreteAlternating {
        issues: Vec<String>,
    },
    MissingFrontIssue,
    NoVeto,
    BadColour {
        text: String,
    },
    MissingIdeal {
        party: String,
        issue: String,
        min: f64,
        max: f64,
        /// A discrete issue's options (empty on a continuous one).
        options: Vec<String>,
    },
    /// A table of option values on a continuous issue.
    ValuesNotDiscrete {
        party: String,
        issue: String,
    },
    /// A table of option values that leaves options out.
    MissingOptionValues {
        party: String,
        issue: String,
        missing: Vec<String>,
    },
    /// A table of option values where no option is worth 1.
    NoBestOption {
        party: String,
        issue: String,
        best: f64,
    },
    /// An ideal written beside a table of values that is not an option
    /// worth 1 in it.
    IdealNotBest {
        party: String,
        issue: String,
        ideal: String,
        value: f64,
    },
    NegativeWeight {
        what: String,
        value: f64,
    },
    ZeroWeights {
        party: String,
    },
    FrontLineOffFront {
        front_issue: String,
    },
    EmptyRedLine,
    /// A `[[charts.marks]]` settlement without a value for an issue.
    MarkMissingIssue {
        label: String,
        issue: String,
        min: f64,
        max: f64,
    },
    /// A `[world.labels]` entry that is empty or not text.
    EmptyLabel {
        field: String,
    },
    EmptyGoal {
        party: String,
    },
    NotAKnob {
        name: String,
        archetype: &'static str,
        knobs: Vec<String>,
    },
    /// A chart range that is not `[low, high]` inside the front issue.
    ChartRange {
        issue: String,
    },
    /// Values of one party that do not fit together (the same check every
    /// `--set` and `--vary` value passes).
    Conflict(Conflict),
    /// A `[[variants]]` assignment `--set` would refuse.
    BadVariant {
        title: String,
        message: String,
        hint: String,
    },
    /// A field the party's archetype does not read, written in the file.
    /// A `cite` key that names no value of the party.
    CiteField {
        party: String,
        field: String,
        known: Vec<String>,
    },
    /// A cited quote that is not a verbatim fragment of the line it cites;
    /// `said` is the line (None when the source is shorter).
    CiteNotFound {
        /// The value's path (`parties.russia.ideal.territory`).
        path: String,
        line: i64,
        quote: String,
        said: Option<String>,
    },
    Unread {
        party: String,
        archetype: &'static str,
        field: &'static str,
        why: &'static str,
        instead: Vec<&'static str>,
    },
    /// `pressure_on` or `aid_to` naming the party that writes it.
    AimedAtItself {
        party: String,
        aim: Aim,
    },
    /// `pressure_on` or `aid_to` naming a party whose archetype's terms do
    /// not read that lever, so the aim would change nothing.
    AimedAtDeaf {
        party: String,
        aim: Aim,
        target: String,
        archetype: Archetype,
    },
    /// A bloc's members, rule or votes (`[parties.bloc]`).
    Bloc(BlocProblem),
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventProblem {
    WindowWithoutChance,
    /// `what_if = true` with a quote: a what-if quotes nothing.
    QuoteOnWhatIf {
        label: String,
    },
    QuoteWithoutLine {
        label: String,
    },
    /// The quote is not a verbatim fragment of the line it cites; `said` is
    /// the line (None when the source is shorter).
    QuoteNotFound {
        label: String,
        line: i64,
        quote: String,
        said: Option<String>,
    },
    BeyondHorizon {
        label: String,
        step: i64,
        last: i64,
    },
    WindowInverted {
        label: String,
        from: u32,
        until: u32,
    },
    BothTriggers {
        label: String,
    },
    NoTrigger {
        label: String,
    },
    NoEffects {
        label: String,
    },
    OnEvent,
    /// A red-line effect that would move the bound out of the issue's
    /// range (or, for a line that follows the front, beyond its range as
    /// an offset), or past the line's other bound.
    RedLineOutOfRange {
        target: String,
        value: f64,
        low: f64,
        high: f64,
    },
    /// `every = 0`.
    EveryZero {
        label: String,
    },
    /// `until` without `every`, or on a chance event (whose window ends at
    /// `until_step`).
    UntilWithoutEvery {
        label: String,
    },
    /// `until` before the event's first step.
    UntilBeforeStart {
        label: String,
        start: u32,
        until: u32,
    },
    UnknownTarget {
        message: String,
        suggestion: Option<String>,
        examples: Vec<String>,
    },
    /// A field the party's archetype does not read.
    Unread {
        message: String,
        hint: String,
    },
    EffectOps {
        target: String,
    },
    /// An id that is not a safe name, or a number (numbers name events by
    /// their place in the file).
    BadId {
        id: String,
    },
    DuplicateId {
        id: String,
    },
    /// `when` on an event that fires at a fixed step.
    ConditionWithoutChance,
    /// A condition with neither or both of `below` and `above`.
    ConditionTest {
        variable: String,
    },
    /// A condition on a party's own pressure or aid (`pressure.<id>`) when
    /// nothing is aimed at that party: what it feels is the world's.
    OwnUnaimed {
        party: String,
        lever: &'static str,
    },
}

impl Problem {
    /// The category shown in `error[...]`, as listed in docs/errors.md.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::File(FileProblem::NotUtf8 { .. }) => "not-utf8",
            Problem::File(_) => "unreadable",
            Problem::Syntax(SyntaxProblem::UnknownField { .. }) => "unknown-field",
            Problem::Syntax(SyntaxProblem::MissingField { .. }) => "missing-field",
            Problem::Syntax(_) => "syntax",
            Problem::Value(ValueProblem::UnknownName { .. }) => "unknown-name",
            Problem::Value(ValueProblem::NotA { .. }) => "syntax",
            Problem::Value(_) => "invalid-value",
            Problem::Scenario(
                ScenarioProblem::MissingFrontIssue
                | ScenarioProblem::MissingIdeal { .. }
                | ScenarioProblem::MissingOptionValues { .. }
                | ScenarioProblem::EmptyRedLine,
            ) => "missing-field",
            Problem::Scenario(
                ScenarioProblem::NotAKnob { .. }
                | ScenarioProblem::Unread { .. }
                | ScenarioProblem::CiteField { .. },
            ) => "unknown-field",
            Problem::Scenario(_) => "invalid-value",
            Problem::Event(EventProblem::NoTrigger { .. }) => "missing-field",
            Problem::Event(EventProblem::UnknownTarget { .. }) => "unknown-name",
            Problem::Event(_) => "invalid-value",
        }
    }

    /// What is wrong, in one line.
    pub fn message(&self) -> String {
        match self {
            Problem::File(p) => p.message(),
            Problem::Syntax(p) => p.message(),
            Problem::Value(p) => p.message(),
            Problem::Scenario(p) => p.message(),
            Problem::Event(p) => p.message(),
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            Problem::File(p) => p.hint(),
            Problem::Syntax(p) => p.hint(),
            Problem::Value(p) => p.hint(),
            Problem::Scenario(p) => p.hint(),
            Problem::Event(p) => p.hint(),
        }
    }
}

impl FileProblem {
    fn message(&self) -> String {
        match self {
            FileProblem::CannotOpen { reason } => format!("cannot open the file: {reason}"),
            FileProblem::Folder => "this is a folder, not a scenario file".into(),
            FileProblem::TooLarge { bytes, limit } => {
                format!("the file is {bytes} bytes; scenario files are at most {limit}")
            }
            FileProblem::CannotRead { reason } => format!("cannot read the file: {reason}"),
            FileProblem::NotUtf8 { offset } => {
                format!("the file is not UTF-8 text (invalid byte at offset {offset})")
            }
        }
    }

    fn hint(&self) -> String {
        match self {
            FileProblem::CannotOpen { .. } => "check the path; bundled scenarios are in scenarios/",
            FileProblem::Folder => "pass a .toml file, e.g. scenarios/budapest-cancelled.toml",
            FileProblem::TooLarge { .. } => "is this really a scenario file?",
            FileProblem::CannotRead { .. } => "check the file's permissions",
            FileProblem::NotUtf8 { .. } => "save the file as UTF-8",
        }
        .into()
    }
}

impl SyntaxProblem {
    fn message(&self) -> String {
        match self {
            SyntaxProblem::UnknownField { field, .. } => format!("unknown field `{field}`"),
            SyntaxProblem::MissingField { field } => format!("missing field `{field}`"),
            SyntaxProblem::WrongType { message }
            | SyntaxProblem::TooDeep { message }
            | SyntaxProblem::NotToml { message } => message.clone(),
            SyntaxProblem::ControlCharacter { code, key } => format!(
                "this {} holds the control character U+{code:04X}, which a terminal would act on instead of showing",
                if *key { "name" } else { "text" }
            ),
        }
    }

    fn hint(&self) -> String {
        match self {
            SyntaxProblem::UnknownField { field, expected } => {
                match closest(field, expected.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("expected one of {}", ticked(expected)),
                }
            }
            SyntaxProblem::MissingField { field } => {
                format!("add `{field} = ...` here; docs/scenario-format.md lists every field")
            }
            SyntaxProblem::WrongType { .. } => {
                "docs/scenario-format.md gives the type of every field".into()
            }
            SyntaxProblem::TooDeep { .. } => "the file nests arrays or tables far more deeply \
                than any scenario needs (three levels at most)"
                .into(),
            SyntaxProblem::NotToml { .. } => {
                "this is not valid TOML here; check quotes, brackets and `=` signs".into()
            }
            SyntaxProblem::ControlCharacter { .. } => {
                "remove the `\\u` escape: scenario text is printable characters, line breaks and tabs".into()
            }
        }
    }
}

impl ValueProblem {
    fn message(&self) -> String {
        match self {
            ValueProblem::NotFinite { what, value, .. } => {
                format!("{what} is {value}, not a finite number")
            }
            ValueProblem::OutOfRange {
                what,
                value,
                low,
                high,
            } => format!(
                "{what} is {value}, outside [{}, {}]",
                show(*low),
                show(*high)
            ),
            ValueProblem::WholeOutOfRange {
                what,
                value,
                low,
                high,
            } => format!("{what} is {value}, outside {low}..={high}"),
            ValueProblem::UnknownName { what, name, .. } => format!("unknown {what} `{name}`"),
            ValueProblem::NotA {
                field, expected, ..
            } => format!("{field} must be {expected}"),
        }
    }

    fn hint(&self) -> String {
        match self {
            ValueProblem::NotFinite { low, high, .. } => {
                format!("write a number between {} and {}", show(*low), show(*high))
            }
            ValueProblem::OutOfRange { low, high, .. } => {
                format!("use a value between {} and {}", show(*low), show(*high))
            }
            ValueProblem::WholeOutOfRange { low, high, .. } => {
                format!("use a whole number from {low} to {high}")
            }
            ValueProblem::UnknownName { name, known, .. } => {
                match closest(name, known.iter().map(String::as_str)) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("known: {}", ticked(known)),
                }
            }
            ValueProblem::NotA { meaning, .. } => meaning.clone(),
        }
    }
}

impl ScenarioProblem {
    fn message(&self) -> String {
        use ScenarioProblem as P;
        match self {
            P::UnsafeName { name } => format!("scenario name `{name}` cannot name a folder safely"),
            P::IssueCount { given, max } if given > max => {
                format!("{given} issues given, more than the {max} a scenario may hold")
            }
            P::IssueCount { given, .. } => format!("{given} issues given"),
            P::PartyCount { given, max } if given > max => {
                format!("{given} parties given, more than the {max} a scenario may hold")
            }
            P::PartyCount { given, .. } => format!("{given} parties given"),
            P::Duplicate { what, id } => format!("{what} id `{id}` is used twice"),
            P::EmptyRange { issue, min, max } => {
                format!("issue `{issue}` has max {max} not above min {min}")
            }
            P::MissingRange { issue } => format!("issue `{issue}` has no `min` and `max`"),
            P::DiscreteRange { issue, .. } => {
                format!("issue `{issue}` is discrete, so it takes no `min` or `max`")
            }
            P::MissingOptions { issue } => {
                format!("issue `{issue}` is of kind \"options\" but lists no `options`")
            }
            P::OptionsOfKind { issue, kind } => {
                format!("issue `{issue}` is of kind \"{kind}\", which takes no `options`")
            }
            P::OptionCount { issue, given, .. } => {
                format!("issue `{issue}` lists {given} options")
            }
            P::OptionSeparator {
                issue,
                option,
                mark,
            } => format!("the option `{option}` of issue `{issue}` holds `{mark}`"),
            P::OptionLineBreak { issue, option } => format!(
                "the option \"{}\" of issue `{issue}` holds a line break or a tab",
                option.escape_debug()
            ),
            P::OptionEnd { issue, option } => format!(
                "the option `{option}` of issue `{issue}` would be read as its {} option wherever an ideal is written",
                if option == "more" { "last" } else { "first" }
            ),
            P::OptionNumber { issue, option } => format!(
                "the option `{option}` of issue `{issue}` reads as a number, so `--set` and `--at` would take it for an option's position"
            ),
            P::MonotoneTable {
                party,
                issue,
                given,
            } => format!(
                "the ideal of `{party}` on `{issue}` is \"{given}\", but its table of values, not the options' order, says what it prefers"
            ),
            P::BadOption { issue, option } if option.is_empty() => {
                format!("issue `{issue}` has an option with no name")
            }
            P::BadOption { issue, option } => {
                format!("issue `{issue}` lists the option `{option}` twice")
            }
            P::DiscreteIdeal { what, given, .. } => {
                format!("{what} is {given}, which is none of its options")
            }
            P::TooManyCombinations { given, .. } => format!(
                "the discrete issues have {given} combinations of options, too many to solve one by one"
            ),
            P::DiscreteFront { issue } => {
                format!(
                    "the front issue `{issue}` is discrete, but the front line moves continuously"
                )
            }
            P::DiscreteAlternating { issues } => format!(
                "alternating offers cannot settle the discrete issue(s) {}: their offers move between the options",
                ticked(issues)
            ),
            P::MissingFrontIssue => "missing field `front_issue` in [world]".into(),
            P::NoVeto => "no party has a veto, so no deal needs anyone's consent".into(),
            P::BadColour { text } => format!("`{text}` is not a colour"),
            P::MissingIdeal { party, issue, .. } => {
                format!("party `{party}` has no ideal on issue `{issue}`")
            }
            P::ValuesNotDiscrete { party, issue } => {
                format!("`{party}` has a table of values on `{issue}`, but the issue is continuous")
            }
            P::MissingOptionValues {
                party,
                issue,
                missing,
            } => format!(
                "the values of `{party}` on `{issue}` leave out {}",
                ticked(missing)
            ),
            P::NoBestOption { party, issue, best } => {
                format!("no option of `{issue}` is worth 1 to `{party}` (its best is worth {best})")
            }
            P::IdealNotBest {
                party,
                issue,
                ideal,
                value,
            } => format!(
                "the ideal of `{party}` on `{issue}` is \"{ideal}\", which its table of values puts at {value}, not 1"
            ),
            P::NegativeWeight { what, value } => {
                format!("{what} is {value}, but weights cannot be negative")
            }
            P::ZeroWeights { party } => format!("the weights of `{party}` are all zero"),
            P::FrontLineOffFront { front_issue } => format!(
                "a red line that follows the front must be on the front issue `{front_issue}`"
            ),
            P::EmptyRedLine => "a red line needs min, max or both".into(),
            P::EmptyLabel { field } => format!("`{field}` is empty or not text"),
            P::EmptyGoal { party } => format!("the goal of party `{party}` is empty"),
            P::MarkMissingIssue { label, issue, .. } => {
                format!("the chart mark `{label}` gives no value for issue `{issue}`")
            }
            P::NotAKnob {
                name, archetype, ..
            } => format!("`{name}` is not a knob of the {archetype} archetype"),
            P::ChartRange { issue } => {
                format!("charts.y_range must be [low, high] inside the range of `{issue}`")
            }
            P::Conflict(c) => c.message(),
            P::BadVariant { title, message, .. } => {
                format!("variant `{title}`: {message}")
            }
            P::Unread {
                party,
                archetype,
                field,
                ..
            } => format!("`{field}` is not read for `{party}`, a {archetype} party"),
            P::AimedAtItself { party, aim } => format!(
                "`{party}` aims its {} at itself (`{}`)",
                aim.word(),
                aim.field()
            ),
            P::AimedAtDeaf {
                party,
                aim,
                target,
                archetype,
            } => format!(
                "`{party}` aims its {lever} at `{target}`, a {} party whose terms read no {lever}: \
                 it would change nothing",
                archetype.name(),
                lever = aim.word()
            ),
            P::Bloc(b) => b.message(),
            P::CiteField { party, field, .. } => {
                format!("`{field}` in the cite of `{party}` names none of its values")
            }
            P::CiteNotFound {
                path,
                line,
                quote,
                said: Some(said),
            } => format!(
                "the quote cited for `{path}`, \"{quote}\", is not on line {line} of the source, which says: \"{said}\""
            ),
            P::CiteNotFound { path, line, .. } => {
                format!("the cite for `{path}` quotes line {line}, beyond the end of the source")
            }
        }
    }

    fn hint(&self) -> String {
        use ScenarioProblem as P;
        match self {
            P::UnsafeName { .. } => {
                "use 1 to 64 lowercase letters, digits, `-` or `_`, e.g. `budapest-cancelled`"
                    .into()
            }
            P::IssueCount { given, max } if given > max => format!(
                "a scenario has 1 to {max} issues ([[issues]] tables): remove {}, or merge issues every party values alike into one",
                given - max
            ),
            P::IssueCount { max, .. } => {
                format!("a scenario has 1 to {max} issues ([[issues]] tables)")
            }
            P::PartyCount { given, max } if given > max => format!(
                "a scenario has 2 to {max} parties ([[parties]] tables): remove {}, or join parties in the same position into one",
                given - max
            ),
            P::PartyCount { max, .. } => {
                format!("a scenario has 2 to {max} parties ([[parties]] tables)")
            }
            P::Duplicate { what, .. } => format!("give each {what} its own id"),
            P::EmptyRange { .. } => "an issue's range needs max > min".into(),
            P::MissingRange { .. } => "add min = ... and max = ..., or give it kind = \"yes_no\" or kind = \"options\" with options = [...]".into(),
            P::DiscreteRange { last, .. } => format!(
                "remove `min` and `max`: its values are its options' positions, 0 to {last}"
            ),
            P::MissingOptions { .. } => {
                "add options = [\"first\", \"second\", ...], in order from low to high".into()
            }
            P::OptionsOfKind { .. } => {
                "remove `options`, or write kind = \"options\" to list the values".into()
            }
            P::OptionCount { max, .. } => format!("list 2 to {max} options"),
            P::BadOption { .. } => "give every option its own non-empty name".into(),
            P::OptionSeparator { .. } => {
                "name it without `,`, `;` or `=`: they separate values in `--at`, `--set` and the data's lists of options".into()
            }
            P::OptionLineBreak { .. } => {
                "write the name on one line: it heads columns, labels charts and is quoted in the comments of a variant's file".into()
            }
            P::OptionEnd { option, .. } => format!(
                "name it otherwise, e.g. \"{option} of it\": an ideal of \"more\" means the last option and \"less\" the first"
            ),
            P::OptionNumber { option, .. } => format!(
                "name it with a word, e.g. \"option {option}\" or what it stands for: `--set` and `--at` read a number as the option's position (0 for the first)"
            ),
            P::MonotoneTable { .. } => {
                "leave the ideal out (it is then the first option worth 1), or name an option worth 1".into()
            }
            P::DiscreteIdeal { options, .. } => {
                let values: Vec<String> = (0..options.len()).map(|i| i.to_string()).collect();
                format!(
                    "write one of {} (or its value {}), or \"more\" or \"less\"",
                    ticked(options),
                    values.join(", ")
                )
            }
            P::TooManyCombinations { max, issues, .. } => format!(
                "keep the product of the options' counts at most {max} (now {}): merge options or make an issue continuous",
                issues.join(" x ")
            ),
            P::DiscreteFront { .. } => {
                "name a continuous issue as world.front_issue".into()
            }
            P::DiscreteAlternating { .. } => {
                "use protocol = \"mediated\" (its offers take the options of the best combination), or make those issues continuous".into()
            }
            P::MissingFrontIssue => {
                "name the issue the front line moves on, e.g. front_issue = \"territory\"".into()
            }
            P::NoVeto => "set veto = true on the parties whose consent a deal needs".into(),
            P::BadColour { .. } => "write a hex colour such as \"#1f77b4\"".into(),
            P::MissingIdeal { issue, options, .. } if !options.is_empty() => {
                format!("add {issue} = <one of {}> to its ideal", ticked(options))
            }
            P::MissingIdeal {
                issue, min, max, ..
            } => format!("add {issue} = <a value in [{min}, {max}]> to its ideal"),
            P::ValuesNotDiscrete { issue, .. } => format!(
                "remove it (a continuous issue is valued by distance from the ideal), or give `{issue}` kind = \"options\""
            ),
            P::MissingOptionValues { .. } => {
                "give every option a value from 0 to 1, the party's best option 1".into()
            }
            P::NoBestOption { .. } => "give the party's best option the value 1: the others' values are shares of it, and its weight says how much the issue matters".into(),
            P::IdealNotBest { .. } => {
                "write an option worth 1 as its ideal, or leave the ideal out: it is then the first option worth 1".into()
            }
            P::NegativeWeight { .. } => "use 0 for an issue the party does not care about".into(),
            P::ZeroWeights { .. } => {
                "give at least one issue a positive weight; they are normalised to sum to 1".into()
            }
            P::FrontLineOffFront { .. } => {
                "set follows_front = false, or move the red line to the front issue".into()
            }
            P::EmptyRedLine => "e.g. { issue = \"territory\", max = 19 }".into(),
            P::MarkMissingIssue {
                issue, min, max, ..
            } => format!("add {issue} = <a value in [{min}, {max}]> to its `at`"),
            P::EmptyGoal { .. } => {
                "say in a few words what the party wants, e.g. goal = \"wants a contract its plants can afford\", or remove it to say its archetype's goal"
                    .into()
            }
            P::EmptyLabel { .. } => {
                "give a name a class will read, e.g. front = \"Offer on the table\", or remove it to keep the default"
                    .into()
            }
            P::NotAKnob { name, knobs, .. } => {
                match closest(name, knobs.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`? its knobs are {}", ticked(knobs)),
                    None => format!("its knobs are {}", ticked(knobs)),
                }
            }
            P::ChartRange { .. } => "e.g. y_range = [15, 25], low below high".into(),
            P::Conflict(c) => c.hint(),
            P::BadVariant { hint, .. } => hint.clone(),
            P::Unread { why, instead, .. } => {
                let instead: Vec<String> = instead.iter().map(|k| format!("`{k}`")).collect();
                format!("remove it: {why}; set {} instead", instead.join(" or "))
            }
            P::CiteField { field, known, .. } => {
                match closest(field, known.iter().map(String::as_str)) {
                    Some(c) => format!(
                        "did you mean `{c}`? a cite names a value as --set does after `parties.<id>.`"
                    ),
                    None => format!("a cite names one of {}", ticked(known)),
                }
            }
            P::AimedAtItself { aim, .. } => format!(
                "name another party, or remove `{}` to add its {} to the world's",
                aim.field(),
                aim.word()
            ),
            P::Bloc(b) => b.hint(),
            P::AimedAtDeaf { aim, .. } => {
                let readers: Vec<&str> = (Archetype::ALL.into_iter())
                    .filter(|&a| aim.read_by(a))
                    .map(Archetype::name)
                    .collect();
                format!(
                    "aim it at a party whose archetype reads {lever} ({}), or remove `{}` \
                     to add its {lever} to the world's",
                    readers.join(", "),
                    aim.field(),
                    lever = aim.word()
                )
            }
            P::CiteNotFound { .. } => {
                "quote the line word for word (a fragment is enough), or cite the line that says it"
                    .into()
            }
        }
    }
}

impl EventProblem {
    fn message(&self) -> String {
        use EventProblem as P;
        match self {
            P::WindowWithoutChance => {
                "from_step/until_step only apply to events with a probability".into()
            }
            P::BeyondHorizon { label, step, last } => {
                format!("event `{label}` is at step {step}, beyond the horizon (steps 0 to {last})")
            }
            P::WindowInverted { label, from, until } => {
                format!("event `{label}` has from_step {from} after until_step {until}")
            }
            P::BothTriggers { label } => {
                format!("event `{label}` has both at_step and probability")
            }
            P::NoTrigger { label } => format!(
                "event `{label}` says neither when (at_step) nor how likely (probability) it is"
            ),
            P::NoEffects { label } => format!("event `{label}` changes nothing"),
            P::QuoteOnWhatIf { label } => {
                format!("event `{label}` is a what-if (what_if = true) and quotes the source")
            }
            P::QuoteWithoutLine { label } => {
                format!("event `{label}` quotes the source but names no source_line")
            }
            P::QuoteNotFound {
                label,
                line,
                quote,
                said: Some(said),
            } => format!(
                "the quote of event `{label}`, \"{quote}\", is not on line {line} of the source, which says: \"{said}\""
            ),
            P::QuoteNotFound {
                label,
                line,
                said: None,
                ..
            } => format!("event `{label}` quotes line {line}, beyond the end of the source"),
            P::OnEvent => "an event cannot change another event's probability".into(),
            P::RedLineOutOfRange {
                target,
                value,
                low,
                high,
            } => format!(
                "the effect on `{target}` would move the red line to {value}, outside {low} to {high}"
            ),
            P::EveryZero { label } => {
                format!("event `{label}` repeats every 0 steps")
            }
            P::UntilWithoutEvery { label } => {
                format!("event `{label}` has `until` but does not repeat (no `every`)")
            }
            P::UntilBeforeStart {
                label,
                start,
                until,
            } => format!(
                "event `{label}` repeats until step {until}, before it first fires at {start}"
            ),
            P::UnknownTarget { message, .. } | P::Unread { message, .. } => message.clone(),
            P::EffectOps { target } => {
                format!("effect on `{target}` must have exactly one of set, add, scale")
            }
            P::BadId { id } => format!("event id `{id}` is not a usable name"),
            P::DuplicateId { id } => format!("event id `{id}` is used twice"),
            P::ConditionWithoutChance => {
                "a condition (when) only applies to events with a probability".into()
            }
            P::ConditionTest { variable } => {
                format!("the condition on `{variable}` needs exactly one of below and above")
            }
            P::OwnUnaimed { party, lever } => format!(
                "no party aims its {lever} at `{party}`: the {lever} it feels is the world's"
            ),
        }
    }

    fn hint(&self) -> String {
        use EventProblem as P;
        match self {
            P::WindowWithoutChance => "remove them, or replace at_step by probability".into(),
            P::BeyondHorizon { .. } => {
                "move the event into the horizon, or raise time.steps".into()
            }
            P::WindowInverted { .. } => "swap them".into(),
            P::BothTriggers { .. } => "an event fires either at a fixed step (at_step) or by \
                chance (probability), not both"
                .into(),
            P::NoTrigger { .. } => "add at_step = <step> or probability = <0..1>".into(),
            P::QuoteOnWhatIf { .. } => {
                "remove the quote, or what_if if the source reports the event".into()
            }
            P::QuoteWithoutLine { .. } => "add source_line = <the line it quotes>".into(),
            P::QuoteNotFound { .. } => {
                "copy the words exactly as the line has them (a fragment of it), or cite the line that says them"
                    .into()
            }
            P::NoEffects { .. } => {
                "add effects = [{ target = \"world.pressure\", add = 0.1 }]".into()
            }
            P::OnEvent => "vary it with `zopa sweep --vary` or `--set` instead".into(),
            P::RedLineOutOfRange { low, high, .. } => format!(
                "give a value that keeps the line within {low} to {high} and on its side of the line's other bound"
            ),
            P::EveryZero { .. } => {
                "give every = 1 or more (1: every step), or remove it to fire once".into()
            }
            P::UntilWithoutEvery { .. } => {
                "add every = <steps> to repeat; a chance event's window ends at until_step".into()
            }
            P::UntilBeforeStart { .. } => "give an until at or after the first step".into(),
            P::UnknownTarget {
                suggestion,
                examples,
                ..
            } => match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "targets include {}; docs/scenario-format.md lists them all",
                    ticked(examples)
                ),
            },
            P::Unread { hint, .. } => hint.clone(),
            P::EffectOps { .. } => "e.g. { target = \"world.pressure\", add = 0.1 }".into(),
            P::BadId { .. } => {
                "use lowercase letters, digits, `-` or `_`, starting with a letter, e.g. `offensive`"
                    .into()
            }
            P::DuplicateId { .. } => "give each event its own id".into(),
            P::ConditionWithoutChance => {
                "replace at_step by probability (the chance per step while the condition holds)"
                    .into()
            }
            P::ConditionTest { .. } => "e.g. when = { variable = \"gap\", below = 0.02 }".into(),
            P::OwnUnaimed { lever, .. } => {
                let field = if *lever == "pressure" { "pressure_on" } else { "aid_to" };
                format!(
                    "write variable = \"{lever}\", or aim some party's {lever} at it with `{field}`"
                )
            }
        }
    }
}

/// A bound as written in messages: `infinity` rather than `inf`.
fn show(x: f64) -> String {
    if x == f64::INFINITY {
        "infinity".into()
    } else if x == f64::NEG_INFINITY {
        "-infinity".into()
    } else {
        format!("{x}")
    }
}

/// "`a`, `b`, `c`".
fn ticked(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<FileProblem> for Problem {
    fn from(p: FileProblem) -> Self {
        Problem::File(p)
    }
}

impl From<SyntaxProblem> for Problem {
    fn from(p: SyntaxProblem) -> Self {
        Problem::Syntax(p)
    }
}

impl From<ValueProblem> for Problem {
    fn from(p: ValueProblem) -> Self {
        Problem::Value(p)
    }
}

impl From<ScenarioProblem> for Problem {
    fn from(p: ScenarioProblem) -> Self {
        Problem::Scenario(p)
    }
}

impl From<BlocProblem> for Problem {
    fn from(p: BlocProblem) -> Self {
        Problem::Scenario(ScenarioProblem::Bloc(p))
    }
}

impl From<EventProblem> for Problem {
    fn from(p: EventProblem) -> Self {
        Problem::Event(p)
    }
}

/// Which lever a party aims at another: its pressure (`pressure_on`) or
/// its aid (`aid_to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aim {
    Pressure,
    Aid,
}

impl Aim {
    /// The party field that aims it.
    pub fn field(self) -> &'static str {
        match self {
            Aim::Pressure => "pressure_on",
            Aim::Aid => "aid_to",
        }
    }
    /// The lever in words.
    pub fn word(self) -> &'static str {
        match self {
            Aim::Pressure => "pressure",
            Aim::Aid => "aid",
        }
    }
    /// Whether a party of archetype `a` reads it.
    pub fn read_by(self, a: Archetype) -> bool {
        match self {
            Aim::Pressure => a.reads().pressure,
            Aim::Aid => a.reads().aid,
        }
    }
}

/// What can be wrong with a bloc: each a problem a teacher writing 27 or
/// 35 members can fix where it is pointed at.
#[derive(Debug, Clone, PartialEq)]
pub enum BlocProblem {
    /// `members = []`.
    NoMembers { party: String },
    TooManyMembers {
        party: String,
        given: usize,
        max: usize,
    },
    /// A member id used twice, in one bloc or in two.
    DuplicateMember { id: String },
    /// A member id that is also a party's id.
    MemberIsParty { id: String },
    /// A quota outside `(0, 1]`.
    Quota { party: String, quota: f64 },
    /// A quota written beside `rule = "unanimity"`.
    QuotaWithUnanimity { party: String },
    /// A member's votes below 0 (or not a finite number).
    Votes { member: String, votes: f64 },
    /// Every member holds 0 votes: no majority can be reached.
    NoVotes { party: String },
    /// A `reservation` written on the bloc party itself.
    OwnReservation { party: String },
    /// A bloc of an archetype that reads no `reservation`: its members'
    /// bars would change nothing.
    Unread {
        party: String,
        archetype: &'static str,
    },
}

impl BlocProblem {
    fn message(&self) -> String {
        use BlocProblem as B;
        match self {
            B::NoMembers { party } => format!("the bloc `{party}` has no members"),
            B::TooManyMembers { party, given, .. } => {
                format!("the bloc `{party}` has {given} members")
            }
            B::DuplicateMember { id } => format!("member id `{id}` is used twice"),
            B::MemberIsParty { id } => format!("member id `{id}` is also a party's id"),
            B::Quota { party, quota } => format!(
                "the quota of the bloc `{party}` is {}, outside (0, 1]: no share of votes can meet it",
                show(*quota)
            ),
            B::QuotaWithUnanimity { party } => {
                format!("the bloc `{party}` decides by unanimity, which has no quota")
            }
            B::Votes { member, votes } => format!(
                "member `{member}` has {} votes; votes must be a number, 0 or more",
                show(*votes)
            ),
            B::NoVotes { party } => format!(
                "the members of the bloc `{party}` hold 0 votes in all: no majority can be reached"
            ),
            B::OwnReservation { party } => format!(
                "`{party}` is a bloc: its bar comes from its members, not from its own `reservation`"
            ),
            B::Unread { party, archetype } => format!(
                "`{party}` is a bloc of archetype `{archetype}`, which works its bar out and reads no member's bar"
            ),
        }
    }

    fn hint(&self) -> String {
        use BlocProblem as B;
        match self {
            B::NoMembers { .. } => "list at least one member, e.g. members = [{ id = \"fr\", \
                name = \"France\", reservation = 0.45 }], or remove [parties.bloc]"
                .into(),
            B::TooManyMembers { max, .. } => {
                format!("a bloc has 1 to {max} members; split it into two parties if it needs more")
            }
            B::DuplicateMember { .. } => {
                "give each member its own id: member ids are unique across all blocs".into()
            }
            B::MemberIsParty { .. } => {
                "rename the member (e.g. add `-member`): a member and a party may not share an id"
                    .into()
            }
            B::Quota { .. } => "write the share of all votes a yes needs, above 0 and at most 1 \
                (0.55 for 55%), or rule = \"unanimity\""
                .into(),
            B::QuotaWithUnanimity { .. } => {
                "remove `quota`, or write rule = \"qualified_majority\"".into()
            }
            B::Votes { .. } => "give the member 0 or more votes (1 when left out)".into(),
            B::NoVotes { .. } => {
                "give at least one member a positive number of votes (each has 1 when left out)"
                    .into()
            }
            B::OwnReservation { .. } => "remove `reservation` here and give each member its own \
                `reservation`; the bloc's bar is its pivotal member's"
                .into(),
            B::Unread { .. } => "give the bloc an archetype that reads `reservation` \
                (quick_deal, political_victory, sustained_pressure), or remove [parties.bloc]"
                .into(),
        }
    }
}
