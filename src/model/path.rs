//! Why a `--set`, `--vary` or event path cannot take a value, as a typed
//! value: each variant renders its own message, so the command line, the
//! scenario reader and the page say the same thing in the same words.

use std::fmt;

use super::archetype::Conflict;

#[derive(Debug, Clone, PartialEq)]
pub enum PathError {
    /// The path names no field of the scenario; `party` is set when the
    /// path names a party that does not exist.
    Unknown {
        path: String,
        party: Option<String>,
        /// The path the author most likely meant, if one is close.
        suggestion: Option<String>,
        /// Other paths close to it.
        near: Vec<String>,
        /// Some valid paths, to show when nothing is close.
        examples: Vec<String>,
    },
    /// A field every party has that this party's archetype does not read:
    /// a value given there would change nothing.
    NotRead {
        path: String,
        party: String,
        archetype: &'static str,
        /// What the archetype works out in its place.
        why: &'static str,
        /// The paths that set that quantity instead.
        instead: Vec<String>,
    },
    /// The ideal on an issue the party values by its table of values: the
    /// table, not the ideal, says what each option is worth to it.
    ByTable {
        path: String,
        party: String,
        issue: String,
    },
    /// A switch (`engaged`), not a quantity.
    Switch { path: String },
    /// A value outside the field's allowed range.
    OutOfRange {
        path: String,
        value: f64,
        low: f64,
        high: f64,
    },
    /// A name given to a field that takes a number.
    NotANumber {
        path: String,
        name: String,
        low: f64,
        high: f64,
    },
    /// A name that is none of the options of the discrete issue whose
    /// ideal the path names.
    NotAnOption {
        path: String,
        name: String,
        issue: String,
        options: Vec<String>,
    },
    /// A value in range that does not fit the party's other values, as the
    /// scenario reader would refuse it in the file.
    Conflict {
        path: String,
        value: f64,
        conflict: Conflict,
    },
}

impl PathError {
    /// What is wrong, without the advice.
    pub fn headline(&self) -> String {
        match self {
            PathError::Unknown {
                path,
                party: Some(party),
                ..
            } => format!("no party has the id `{party}` (in `{path}`)"),
            PathError::Unknown { path, .. } => {
                format!("`{path}` is not a numeric field of this scenario")
            }
            PathError::NotRead {
                path,
                party,
                archetype,
                ..
            } => format!("`{path}` is not read: `{party}` is {archetype}"),
            PathError::ByTable { path, party, issue } => format!(
                "`{path}` is not read: `{party}` values the options of `{issue}` by its table of values"
            ),
            PathError::Switch { path } => format!("`{path}` is a switch, not a quantity to sweep"),
            PathError::OutOfRange {
                path,
                value,
                low,
                high,
            } => format!("{value} is outside the allowed range of `{path}`, {low} to {high}"),
            PathError::NotANumber { path, name, .. } => {
                format!("`{name}` is not a number, and `{path}` takes a number")
            }
            PathError::NotAnOption {
                path, name, issue, ..
            } => format!("`{name}` is not an option of `{issue}` (in `{path}`)"),
            PathError::Conflict { conflict, .. } => conflict.message(),
        }
    }

    /// How to fix it: the closest paths, why a field is not read and what
    /// to set instead.
    pub fn hint(&self) -> Option<String> {
        match self {
            PathError::Unknown {
                suggestion,
                near,
                examples,
                ..
            } => Some(match (suggestion, near.is_empty()) {
                (Some(s), _) => format!("did you mean `{s}`?"),
                (None, false) => format!("close matches: {}", near.join(", ")),
                (None, true) => format!("numeric fields include {}", examples.join(", ")),
            }),
            PathError::NotRead { why, instead, .. } => {
                let instead: Vec<String> = instead.iter().map(|p| format!("`{p}`")).collect();
                Some(format!("{why}; set {} instead", instead.join(" or ")))
            }
            PathError::ByTable { party, issue, .. } => Some(format!(
                "change the values of `{party}` on `{issue}` in the file (`values.{issue}`)"
            )),
            PathError::NotANumber { low, high, .. } => {
                Some(format!("give it a number from {low} to {high}"))
            }
            PathError::NotAnOption { name, options, .. } => {
                let named: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
                let choose = format!("choose one of {}", named.join(", "));
                // Names are matched as written, case included.
                let lower = name.to_lowercase();
                Some(match options.iter().find(|o| o.to_lowercase() == lower) {
                    Some(o) => format!("did you mean `{o}`? {choose}"),
                    None => choose,
                })
            }
            PathError::Switch { .. } | PathError::OutOfRange { .. } => None,
            PathError::Conflict { conflict, .. } => Some(conflict.hint()),
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.hint() {
            Some(hint) => write!(f, "{}; {hint}", self.headline()),
            None => write!(f, "{}", self.headline()),
        }
    }
}

impl std::error::Error for PathError {}
