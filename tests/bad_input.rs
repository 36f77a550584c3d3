//! Every kind of bad scenario gets a clear, located error, exit code 2, and
//! nothing written.

use std::path::Path;

#[path = "support/cli.rs"]
mod cli;
use cli::{locate, zopa};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

struct Case {
    name: &'static str,
    text: String,
    /// Text the error must point at (its line and column are checked).
    at: Option<&'static str>,
    /// Substrings the message must contain.
    says: &'static [&'static str],
}

fn replaced(from: &str, to: &str) -> String {
    assert!(
        TEXTBOOK.contains(from),
        "`{from}` not in the textbook scenario"
    );
    TEXTBOOK.replacen(from, to, 1)
}

/// The textbook with a second issue of the given body (after `id`,
/// `label`), which both parties value as `seller_ideal` / `buyer_ideal`.
fn with_discrete(body: &str, seller_ideal: &str, buyer_ideal: &str) -> String {
    replaced(
        "[[parties]]",
        &format!("[[issues]]\nid = \"warranty\"\nlabel = \"Warranty\"\n{body}\n\n[[parties]]"),
    )
    .replacen(
        "ideal = { price = 10 }",
        &format!("ideal = {{ price = 10, warranty = {seller_ideal} }}"),
        1,
    )
    .replacen(
        "ideal = { price = 0 }",
        &format!("ideal = {{ price = 0, warranty = {buyer_ideal} }}"),
        1,
    )
}

/// The textbook with a warranty of three options, the seller's ideal
/// "none" and its table of values as given.
fn with_values(table: &str) -> String {
    let options = "kind = \"options\"\noptions = [\"none\", \"6 months\", \"1 year\"]";
    with_discrete(options, "\"none\"", "\"1 year\"").replacen(
        "warranty = \"none\" }",
        &format!("warranty = \"none\" }}\nvalues = {{ warranty = {{ {table} }} }}"),
        1,
    )
}

fn with_event(event: &str) -> String {
    format!("{TEXTBOOK}\n[[events]]\n{event}\n")
}

/// The textbook with the seller bargaining over a war (its bar the value
/// of fighting on, so no reservation), the front at 5, and the seller's
/// knobs as given.
fn at_war(knobs: &str) -> String {
    replaced(
        "archetype = \"sustained_pressure\"",
        "archetype = \"war_bargaining\"",
    )
    .replacen("reservation = 0.4\n", "", 1)
    .replacen(
        "front_issue = \"price\"",
        "front_issue = \"price\"\nfront = 5",
        1,
    )
    .replacen(
        "ideal = { price = 10 }",
        &format!("ideal = {{ price = 10 }}\nknobs = {{ {knobs} }}"),
        1,
    )
}

#[path = "support/crowded.rs"]
mod crowded;

/// The textbook with `issues` issues and `parties` parties.
fn crowded(issues: usize, parties: usize) -> String {
    crowded::crowded(TEXTBOOK, issues, parties)
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "war_bargaining without a front line",
            text: replaced(
                "archetype = \"sustained_pressure\"",
                "archetype = \"war_bargaining\"",
            ),
            at: Some("\"war_bargaining\""),
            says: &["places no front line", "[world] front"],
        },
        Case {
            name: "a reservation written for a war_bargaining party",
            text: at_war("lookahead = 4").replacen(
                "veto = true",
                "veto = true\nreservation = 0.45",
                1,
            ),
            at: Some("0.45"),
            says: &[
                "`reservation` is not read for `seller`, a war_bargaining party",
                "remove it: its bar is the value of fighting on",
                "set `lookahead` or `cost_per_step` instead",
            ],
        },
        Case {
            name: "an empty goal",
            text: replaced(
                "archetype = \"sustained_pressure\"",
                "archetype = \"sustained_pressure\"\ngoal = \"  \"",
            ),
            at: Some("\"  \""),
            says: &[
                "the goal of party `seller` is empty",
                "say in a few words what the party wants",
            ],
        },
        Case {
            name: "a missing reservation",
            text: replaced("reservation = 0.4\n", ""),
            at: Some("\"seller\""),
            says: &["missing field `reservation`", "add `reservation = ...`"],
        },
        Case {
            name: "a variant setting an unknown path",
            text: format!(
                "{TEXTBOOK}\n[[variants]]\ntitle = \"cheaper\"\nquestion = \"?\"\nset = [\"parties.seller.reservaton=0.3\"]\n"
            ),
            at: Some("\"parties.seller.reservaton=0.3\""),
            says: &["variant `cheaper`", "parties.seller.reservation"],
        },
        Case {
            name: "a variant setting a value --set would refuse",
            text: format!(
                "{TEXTBOOK}\n[[variants]]\ntitle = \"cheaper\"\nquestion = \"?\"\nset = [\"parties.seller.reservation=3\"]\n"
            ),
            at: Some("\"parties.seller.reservation=3\""),
            says: &["variant `cheaper`", "3"],
        },
        Case {
            name: "a variant assignment without a value",
            text: format!(
                "{TEXTBOOK}\n[[variants]]\ntitle = \"cheaper\"\nquestion = \"?\"\nset = [\"parties.seller.reservation\"]\n"
            ),
            at: Some("\"parties.seller.reservation\""),
            says: &["variant `cheaper`", "has no `=`"],
        },
        Case {
            name: "a variant setting one field twice",
            text: format!(
                "{TEXTBOOK}\n[[variants]]\ntitle = \"cheaper\"\nquestion = \"?\"\nset = [\"parties.seller.reservation=0.3\", \"parties.seller.reservation=0.2\"]\n"
            ),
            at: Some("\"parties.seller.reservation=0.2\""),
            says: &[
                "variant `cheaper`: `parties.seller.reservation=0.2` gives the field `parties.seller.reservation=0.3` gave already",
                "keep the one assignment you mean",
            ],
        },
        Case {
            name: "a variant title used twice",
            text: format!(
                "{TEXTBOOK}\n[[variants]]\ntitle = \"cheaper\"\nquestion = \"?\"\nset = []\n\n[[variants]]\ntitle = \"cheaper\"\nquestion = \"!\"\nset = []\n"
            ),
            at: Some("\"cheaper\"\nquestion = \"!\""),
            says: &[
                "variant `cheaper`: its title is used twice",
                "its own title",
            ],
        },
        Case {
            name: "a reservation settlement on an unknown issue",
            text: replaced("reservation = 0.4\n", "reservation = { prize = 4 }\n"),
            at: Some("{ prize"),
            says: &["unknown issue `prize`", "price"],
        },
        Case {
            name: "a reservation settlement outside the issue's range",
            text: replaced("reservation = 0.4\n", "reservation = { price = 12 }\n"),
            at: Some("{ price = 12"),
            says: &["reservation of `seller` on `price`", "12"],
        },
        Case {
            name: "a reservation that is neither a utility nor a settlement",
            text: replaced("reservation = 0.4\n", "reservation = \"high\"\n"),
            at: Some("\"high\""),
            says: &["reservation of `seller`", "{ price = 120 }"],
        },
        Case {
            name: "lookahead beyond the horizon",
            text: at_war("lookahead = 40"),
            at: Some("lookahead = 40"),
            says: &["lookahead of `seller` is 40 steps, beyond the horizon of 12"],
        },
        Case {
            name: "lookahead of zero",
            text: at_war("lookahead = 0, cost_per_step = 0.01"),
            at: Some("0, cost_per_step"),
            says: &["lookahead", "1"],
        },
        Case {
            name: "negative cost of war",
            text: at_war("cost_per_step = -0.1"),
            at: Some("-0.1 }"),
            says: &["cost_per_step", "-0.1"],
        },
        Case {
            name: "tactic exponent of zero",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nknobs = { tactic_e = 0 }",
            ),
            at: Some("0 }\n\n"),
            says: &["tactic_e", "outside [0.001, 100]"],
        },
        Case {
            name: "unknown protocol",
            text: replaced(
                "perception_noise = 0.12",
                "perception_noise = 0.12\nprotocol = \"auction\"",
            ),
            at: Some("\"auction\""),
            says: &["unknown protocol `auction`", "alternating_offers"],
        },
        Case {
            name: "status quo outside its issue",
            text: replaced("max = 10\n", "max = 10\nstatus_quo = 12\n"),
            at: Some("12\nlow_label"),
            says: &["status_quo of `price`", "12"],
        },
        Case {
            name: "misspelled field",
            text: replaced("reservation = 0.4", "reservaton = 0.4"),
            at: Some("reservaton"),
            says: &["unknown field `reservaton`", "did you mean `reservation`?"],
        },
        Case {
            name: "misspelled knob",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nknobs = { resolv = 0.1 }",
            ),
            at: Some("resolv"),
            says: &[
                "`resolv` is not a knob of the sustained_pressure archetype",
                "did you mean `resolve`?",
            ],
        },
        Case {
            name: "wrong type",
            text: replaced("perception_noise = 0.12", "perception_noise = \"high\""),
            at: Some("\"high\""),
            says: &["invalid type", "expected f64"],
        },
        Case {
            name: "missing required field",
            text: replaced("label = \"Price\"\n", ""),
            at: None,
            says: &["missing field `label`", "add `label = ...`"],
        },
        Case {
            name: "negative weight",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nweights = { price = -1 }",
            ),
            at: Some("-1 }"),
            says: &["weights cannot be negative"],
        },
        Case {
            name: "all-zero weights",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nweights = { price = 0 }",
            ),
            at: Some("{ price = 0 }"),
            says: &["weights of `seller` are all zero", "positive weight"],
        },
        Case {
            name: "ideal outside the issue's range",
            text: replaced("ideal = { price = 10 }", "ideal = { price = 12 }"),
            at: Some("12 }"),
            says: &["ideal of `seller` on `price` is 12, outside [0, 10]"],
        },
        Case {
            name: "mark outside the issue's range",
            text: replaced("value = 9", "value = 11"),
            at: Some("11 }"),
            says: &["mark `asking price` is 11, outside [0, 10]"],
        },
        Case {
            name: "event naming an unknown party",
            text: with_event(
                "label = \"x\"\nat_step = 1\neffects = [{ target = \"parties.seler.reservation\", add = 0.1 }]",
            ),
            at: Some("\"parties.seler.reservation\""),
            says: &[
                "no party has the id `seler`",
                "did you mean `parties.seller.reservation`?",
            ],
        },
        Case {
            name: "event naming an unknown field",
            text: with_event(
                "label = \"x\"\nat_step = 1\neffects = [{ target = \"world.presure\", add = 0.1 }]",
            ),
            at: Some("\"world.presure\""),
            says: &[
                "`world.presure` is not a numeric field",
                "did you mean `world.pressure`?",
            ],
        },
        Case {
            name: "event beyond the horizon",
            text: with_event(
                "label = \"late\"\nat_step = 12\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("12\neffects"),
            says: &["beyond the horizon (steps 0 to 11)"],
        },
        Case {
            name: "NaN",
            text: replaced("reservation = 0.4", "reservation = nan"),
            at: Some("nan"),
            says: &["reservation of `seller` is NaN, not a finite number"],
        },
        Case {
            name: "infinity",
            text: replaced("perception_noise = 0.12", "perception_noise = inf"),
            at: Some("inf"),
            says: &["mediator.perception_noise is inf, not a finite number"],
        },
        Case {
            name: "horizon of zero steps",
            text: replaced("steps = 12", "steps = 0"),
            at: Some("0\nstep_unit"),
            says: &["time.steps (the horizon) is 0, outside 1..=100000"],
        },
        Case {
            name: "horizon beyond 100 000 steps",
            text: replaced("steps = 12", "steps = 100001"),
            at: Some("100001"),
            says: &["is 100001, outside 1..=100000"],
        },
        Case {
            name: "TOML syntax error: a doubled `=`",
            text: replaced("min = 0", "min = = 0"),
            at: Some("= 0\nmax"),
            says: &["not valid TOML here"],
        },
        Case {
            name: "TOML syntax error: an unclosed string",
            text: replaced(
                "title = \"Textbook: a used car\"",
                "title = \"Textbook: a used car",
            ),
            at: None,
            says: &["error[syntax]", "not valid TOML here"],
        },
        Case {
            name: "TOML syntax error: a key given twice",
            text: replaced("reservation = 0.4", "reservation = 0.4\nreservation = 0.5"),
            at: Some("reservation = 0.5"),
            says: &["error[syntax]", "duplicate key"],
        },
        Case {
            name: "TOML syntax error: a missing `=`",
            text: replaced("max = 10", "max 10"),
            at: None,
            says: &["error[syntax]"],
        },
        Case {
            name: "wrong type: text for a whole number",
            text: replaced("steps = 12", "steps = \"twelve\""),
            at: Some("\"twelve\""),
            says: &["invalid type", "expected i64"],
        },
        Case {
            name: "wrong type: text for a yes/no",
            text: replaced(
                "veto = true\nreservation = 0.4",
                "veto = \"yes\"\nreservation = 0.4",
            ),
            at: Some("\"yes\""),
            says: &["invalid type", "expected a boolean"],
        },
        Case {
            name: "wrong type: a number for a table",
            text: replaced("ideal = { price = 10 }", "ideal = 10"),
            at: Some("10\n\n[[parties]]"),
            says: &["invalid type", "expected a map"],
        },
        Case {
            name: "missing table",
            text: replaced("[time]\nsteps = 12\nstep_unit = \"round\"\n", ""),
            at: None,
            says: &["missing field `time`"],
        },
        Case {
            name: "unknown table, a typo",
            text: replaced("[mediator]", "[mediatr]"),
            at: Some("mediatr"),
            says: &["unknown field `mediatr`", "did you mean `mediator`?"],
        },
        Case {
            name: "unknown issue field, a typo",
            text: replaced("label = \"Price\"", "lable = \"Price\""),
            at: Some("lable"),
            says: &["unknown field `lable`", "did you mean `label`?"],
        },
        Case {
            name: "unknown world field, a typo",
            text: replaced("[world]\n", "[world]\npresure = 0.2\n"),
            at: Some("presure"),
            says: &[
                "unknown field in [world] `presure`",
                "did you mean `pressure`?",
            ],
        },
        Case {
            name: "unknown archetype",
            text: replaced(
                "archetype = \"sustained_pressure\"\nveto = true\nreservation = 0.4",
                "archetype = \"sustained-pressure\"\nveto = true\nreservation = 0.4",
            ),
            at: Some("\"sustained-pressure\""),
            says: &[
                "unknown archetype `sustained-pressure`",
                "did you mean `sustained_pressure`?",
            ],
        },
        Case {
            name: "duplicate party id",
            text: replaced("id = \"buyer\"", "id = \"seller\""),
            at: Some("\"seller\"\nname = \"Buyer\""),
            says: &["party id `seller` is used twice"],
        },
        Case {
            name: "duplicate issue id",
            text: replaced(
                "[[parties]]",
                "[[issues]]\nid = \"price\"\nlabel = \"Again\"\nmin = 0\nmax = 1\n\n[[parties]]",
            ),
            at: Some("\"price\"\nlabel = \"Again\""),
            says: &["issue id `price` is used twice"],
        },
        Case {
            name: "issue range upside down",
            text: replaced("max = 10", "max = -1"),
            at: Some("-1"),
            says: &["issue `price` has max -1 not above min 0"],
        },
        Case {
            name: "ideal on an unknown issue, a typo",
            text: replaced("ideal = { price = 10 }", "ideal = { prise = 10 }"),
            at: Some("prise"),
            says: &[
                "unknown issue `prise`",
                "did you mean `price`?",
                "party `seller` has no ideal on issue `price`",
            ],
        },
        Case {
            name: "red line on an unknown issue",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nred_lines = [{ issue = \"cost\", min = 4 }]",
            ),
            at: Some("\"cost\""),
            says: &["unknown issue `cost`"],
        },
        Case {
            name: "red line with no bound",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nred_lines = [{ issue = \"price\" }]",
            ),
            at: Some("\"price\" }]"),
            says: &["a red line needs min, max or both"],
        },
        Case {
            name: "red line upside down",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nred_lines = [{ issue = \"price\", min = 8, max = 2 }]",
            ),
            at: Some("\"price\", min"),
            says: &["red line min 8 is above its max 2"],
        },
        Case {
            name: "red line outside the issue's range",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nred_lines = [{ issue = \"price\", min = 12 }]",
            ),
            at: Some("12 }]"),
            says: &["red line min is 12, outside [0, 10]"],
        },
        Case {
            name: "reservation above 1",
            text: replaced("reservation = 0.4", "reservation = 1.4"),
            at: Some("1.4"),
            says: &["reservation of `seller` is 1.4, outside [0, 1]"],
        },
        Case {
            name: "probability above 1",
            text: with_event(
                "label = \"x\"\nprobability = 1.5\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("1.5"),
            says: &["probability of event `x` is 1.5, outside [0, 1]"],
        },
        Case {
            name: "probability below 0",
            text: with_event(
                "label = \"x\"\nprobability = -0.1\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("-0.1\neffects"),
            says: &["probability of event `x` is -0.1, outside [0, 1]"],
        },
        Case {
            name: "event both scripted and random",
            text: with_event(
                "label = \"x\"\nat_step = 2\nprobability = 0.5\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("2\nprobability"),
            says: &["event `x` has both at_step and probability"],
        },
        Case {
            name: "event neither scripted nor random",
            text: with_event(
                "label = \"x\"\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("\"x\""),
            says: &["event `x` says neither when (at_step) nor how likely (probability) it is"],
        },
        Case {
            name: "event effect with two operations",
            text: with_event(
                "label = \"x\"\nat_step = 1\neffects = [{ target = \"world.pressure\", add = 0.1, set = 0.2 }]",
            ),
            at: Some("\"world.pressure\""),
            says: &["must have exactly one of set, add, scale"],
        },
        Case {
            name: "event at a negative step",
            text: with_event(
                "label = \"x\"\nat_step = -1\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("-1"),
            says: &["at_step of event `x` is -1"],
        },
        Case {
            name: "event changing another event",
            text: with_event(
                "label = \"x\"\nat_step = 1\neffects = [{ target = \"events.1.probability\", set = 0.2 }]",
            ),
            at: None,
            says: &["error[unknown-name]", "events.1.probability"],
        },
        Case {
            name: "colour not a colour",
            text: replaced("colour = \"#0072b2\"", "colour = \"blue\""),
            at: Some("\"blue\""),
            says: &["`blue` is not a colour", "#1f77b4"],
        },
        Case {
            name: "scenario name that climbs out of the output folder",
            text: replaced("name = \"textbook\"", "name = \"../../etc\""),
            at: Some("\"../../etc\""),
            says: &["scenario name `../../etc` cannot name a folder safely"],
        },
        Case {
            name: "more issues than the limit",
            text: crowded(13, 2),
            at: Some("[[issues]]"),
            says: &[
                "13 issues given, more than the 12 a scenario may hold",
                "remove 1, or merge issues",
            ],
        },
        Case {
            name: "more parties than the limit",
            text: crowded(1, 41),
            at: Some("[[parties]]"),
            says: &[
                "41 parties given, more than the 40 a scenario may hold",
                "remove 1, or join parties",
            ],
        },
        Case {
            name: "a single party",
            text: {
                let cut = TEXTBOOK.find("[[parties]]\nid = \"buyer\"").unwrap();
                let end = TEXTBOOK.find("[world]").unwrap();
                format!("{}{}", &TEXTBOOK[..cut], &TEXTBOOK[end..])
            },
            at: None,
            says: &["1 parties given", "2 to 40 parties"],
        },
        Case {
            name: "no party has a veto",
            text: replaced(
                "veto = true\nreservation = 0.4",
                "veto = false\nreservation = 0.4",
            )
            .replacen("veto = true", "veto = false", 1),
            at: None,
            says: &["no party has a veto"],
        },
        Case {
            name: "mediator naming an unknown party",
            text: replaced("[mediator]\n", "[mediator]\nparty = \"sellr\"\n"),
            at: Some("\"sellr\""),
            says: &["unknown mediator party `sellr`", "did you mean `seller`?"],
        },
        Case {
            name: "knob outside its range",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nknobs = { resolve = 11 }",
            ),
            at: Some("11 }"),
            says: &["knob `resolve` of `seller` is 11, outside [0, 10]"],
        },
        Case {
            name: "front outside its issue's range",
            text: replaced("[world]\n", "[world]\nfront = 20\n"),
            at: Some("20\n"),
            says: &["world.front is 20, outside [0, 10]"],
        },
        Case {
            name: "front on an unknown issue",
            text: replaced("front_issue = \"price\"", "front_issue = \"prize\""),
            at: Some("\"prize\""),
            says: &["unknown issue `prize`", "did you mean `price`?"],
        },
        Case {
            name: "unknown mediator field",
            text: replaced(
                "perception_noise = 0.12",
                "perception_noise = 0.12\nlearnig = true",
            ),
            at: Some("learnig"),
            says: &["unknown field `learnig`", "did you mean `learning`?"],
        },
        Case {
            name: "forgetting outside [0, 1]",
            text: replaced(
                "perception_noise = 0.12",
                "perception_noise = 0.12\nforgetting = 1.5",
            ),
            at: Some("1.5"),
            says: &["mediator.forgetting is 1.5, outside [0, 1]"],
        },
        Case {
            name: "learning that is not true or false",
            text: replaced(
                "perception_noise = 0.12",
                "perception_noise = 0.12\nlearning = 1",
            ),
            at: Some("1\n"),
            says: &["invalid type", "expected a boolean"],
        },
        Case {
            name: "a condition on an unknown variable",
            text: with_event(
                "label = \"o\"\nprobability = 0.5\nwhen = { variable = \"gapp\", below = 0.1 }\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("\"gapp\""),
            says: &["unknown condition variable `gapp`", "did you mean `gap`?"],
        },
        Case {
            name: "a condition with neither below nor above",
            text: with_event(
                "label = \"o\"\nprobability = 0.5\nwhen = { variable = \"gap\" }\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("{ variable = \"gap\" }"),
            says: &["the condition on `gap` needs exactly one of below and above"],
        },
        Case {
            name: "a condition on an event at a fixed step",
            text: with_event(
                "label = \"o\"\nat_step = 2\nwhen = { variable = \"gap\", below = 0.1 }\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("{ variable = \"gap\", below"),
            says: &["a condition (when) only applies to events with a probability"],
        },
        Case {
            name: "an event id used twice",
            text: format!(
                "{}\n[[events]]\nid = \"push\"\nlabel = \"again\"\nat_step = 3\neffects = [{{ target = \"world.pressure\", add = 0.1 }}]\n",
                with_event(
                    "id = \"push\"\nlabel = \"first\"\nat_step = 2\neffects = [{ target = \"world.pressure\", add = 0.1 }]"
                )
            ),
            at: Some("\"push\"\nlabel = \"again\""),
            says: &["event id `push` is used twice"],
        },
        Case {
            name: "an event id that is a number",
            text: with_event(
                "id = \"7\"\nlabel = \"x\"\nat_step = 2\neffects = [{ target = \"world.pressure\", add = 0.1 }]",
            ),
            at: Some("\"7\""),
            says: &["event id `7` is not a usable name"],
        },
        Case {
            name: "a floor above the starting bar",
            text: replaced(
                "archetype = \"sustained_pressure\"\nveto = true\nreservation = 0.4",
                "archetype = \"quick_deal\"\nveto = true\nreservation = 0.4\nknobs = { floor = 0.5 }",
            ),
            at: Some("floor = 0.5"),
            says: &["the floor of `seller` is 0.5, above its starting bar 0.4"],
        },
        Case {
            name: "an ideal that is neither a number nor more or less",
            text: replaced("ideal = { price = 10 }", "ideal = { price = \"lots\" }"),
            at: Some("\"lots\""),
            says: &["ideal of `seller` on `price` must be a number, \"more\" or \"less\""],
        },
        Case {
            name: "an aid threshold out of range",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nknobs = { aid_threshold = 1.5 }",
            ),
            at: Some("1.5"),
            says: &["knob `aid_threshold` of `seller` is 1.5, outside [0, 1]"],
        },
        Case {
            name: "an empty file",
            text: String::new(),
            at: None,
            says: &["missing field `scenario`"],
        },
        Case {
            name: "yes/no ideal other than 0 or 1",
            text: with_discrete("kind = \"yes_no\"", "0.5", "1"),
            at: Some("0.5 }"),
            says: &[
                "ideal of `seller` on `warranty` is 0.5, which is none of its options",
                "write one of `no`, `yes` (or its value 0, 1)",
            ],
        },
        Case {
            name: "option not in the list",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"6 months\", \"1 year\"]",
                "\"none\"",
                "\"2 years\"",
            ),
            at: Some("\"2 years\""),
            says: &[
                "ideal of `buyer` on `warranty` is \"2 years\", which is none of its options",
                "write one of `none`, `6 months`, `1 year`",
            ],
        },
        Case {
            name: "unknown issue kind",
            text: with_discrete("kind = \"yes_or_no\"", "0", "1"),
            at: Some("\"yes_or_no\""),
            says: &["unknown issue kind `yes_or_no`", "did you mean `yes_no`?"],
        },
        Case {
            name: "options issue without options",
            text: with_discrete("kind = \"options\"", "0", "1"),
            at: Some("\"options\""),
            says: &["lists no `options`", "add options = ["],
        },
        Case {
            name: "options on a yes/no issue",
            text: with_discrete("kind = \"yes_no\"\noptions = [\"a\", \"b\"]", "0", "1"),
            at: Some("[\"a\""),
            says: &["which takes no `options`", "kind = \"options\""],
        },
        Case {
            name: "an option listed twice",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"none\"]",
                "0",
                "1",
            ),
            at: Some("\"none\"]"),
            says: &["lists the option `none` twice"],
        },
        Case {
            name: "one option only",
            text: with_discrete("kind = \"options\"\noptions = [\"none\"]", "0", "0"),
            at: Some("[\"none\"]"),
            says: &["lists 1 options", "list 2 to 16 options"],
        },
        Case {
            name: "range on a yes/no issue",
            text: with_discrete("kind = \"yes_no\"\nmin = 0\nmax = 1", "0", "1"),
            at: Some("1\n\n[[parties]]"),
            says: &["is discrete, so it takes no `min` or `max`", "0 to 1"],
        },
        Case {
            name: "continuous issue without a range",
            text: with_discrete("unit = \"months\"", "0", "1"),
            at: Some("\"warranty\""),
            says: &[
                "issue `warranty` has no `min` and `max`",
                "kind = \"yes_no\"",
            ],
        },
        Case {
            name: "too many combinations of options",
            text: {
                let four = "kind = \"options\"\noptions = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"]";
                let twice =
                    format!("{four}\n\n[[issues]]\nid = \"colour\"\nlabel = \"Colour\"\n{four}");
                with_discrete(&twice, "\"a\"", "\"b\"")
                    .replace("warranty = \"a\" }", "warranty = \"a\", colour = \"a\" }")
                    .replace("warranty = \"b\" }", "warranty = \"b\", colour = \"b\" }")
            },
            at: Some("[[issues]]"),
            says: &[
                "81 combinations of options, too many",
                "at most 64 (now warranty (9) x colour (9))",
            ],
        },
        Case {
            name: "discrete front issue",
            text: with_discrete("kind = \"yes_no\"", "1", "0")
                .replace("front_issue = \"price\"", "front_issue = \"warranty\""),
            at: Some("\"warranty\"   #"),
            says: &[
                "the front issue `warranty` is discrete",
                "name a continuous issue",
            ],
        },
        Case {
            name: "alternating offers over a discrete issue",
            text: with_discrete("kind = \"yes_no\"", "1", "0").replace(
                "perception_noise = 0.12",
                "perception_noise = 0.12\nprotocol = \"alternating_offers\"",
            ),
            at: Some("\"alternating_offers\""),
            says: &[
                "alternating offers cannot settle the discrete issue(s) `warranty`",
                "protocol = \"mediated\"",
            ],
        },
        Case {
            name: "a table of values on a continuous issue",
            text: replaced(
                "ideal = { price = 10 }",
                "ideal = { price = 10 }\nvalues = { price = { low = 1 } }",
            ),
            at: Some("price = { low"),
            says: &[
                "`seller` has a table of values on `price`, but the issue is continuous",
                "kind = \"options\"",
            ],
        },
        Case {
            name: "a table of values naming an option not in the list",
            text: with_values("none = 1, \"2 years\" = 0.5, \"6 months\" = 0, \"1 year\" = 0"),
            at: Some("\"2 years\""),
            says: &["unknown option of `warranty` `2 years`"],
        },
        Case {
            name: "a table of values leaving an option out",
            text: with_values("none = 1, \"6 months\" = 0.5"),
            at: Some("{ none = 1"),
            says: &[
                "the values of `seller` on `warranty` leave out `1 year`",
                "give every option a value from 0 to 1",
            ],
        },
        Case {
            name: "an option's value above 1",
            text: with_values("none = 1, \"6 months\" = 1.5, \"1 year\" = 0"),
            at: Some("1.5"),
            says: &["value of \"6 months\" to `seller` is 1.5, outside [0, 1]"],
        },
        Case {
            name: "a table of values with no option worth 1",
            text: with_values("none = 0.9, \"6 months\" = 0.5, \"1 year\" = 0"),
            at: Some("{ none = 0.9"),
            says: &[
                "no option of `warranty` is worth 1 to `seller` (its best is worth 0.9)",
                "give the party's best option the value 1",
            ],
        },
        Case {
            name: "an ideal its table of values does not put at 1",
            text: with_values("none = 0.5, \"6 months\" = 1, \"1 year\" = 0"),
            at: Some("\"none\" }"),
            says: &[
                "the ideal of `seller` on `warranty` is \"none\", which its table of values puts at 0.5, not 1",
                "leave the ideal out",
            ],
        },
        Case {
            name: "an option whose name holds a separator",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"6; or 12 months\"]",
                "\"none\"",
                "\"none\"",
            ),
            at: Some("\"6; or 12 months\""),
            says: &[
                "the option `6; or 12 months` of issue `warranty` holds `;`",
                "name it without `,`, `;` or `=`",
            ],
        },
        Case {
            name: "an option named like a number",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"2\", \"day only\"]",
                "\"none\"",
                "\"day only\"",
            ),
            at: Some("\"2\""),
            says: &[
                "the option `2` of issue `warranty` reads as a number, so `--set` and `--at` would take it for an option's position",
                "name it with a word",
                "read a number as the option's position",
            ],
        },
        Case {
            name: "an option whose name runs over two lines",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"late\\nshift\", \"day only\"]",
                "\"none\"",
                "\"day only\"",
            ),
            at: Some("\"late\\nshift\""),
            says: &[
                "the option \"late\\nshift\" of issue `warranty` holds a line break or a tab",
                "write the name on one line",
            ],
        },
        Case {
            name: "an option named like an end of the issue",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"more\", \"day only\"]",
                "\"none\"",
                "\"day only\"",
            ),
            at: Some("\"more\""),
            says: &[
                "the option `more` of issue `warranty` would be read as its last option wherever an ideal is written",
                "name it otherwise",
                "an ideal of \"more\" means the last option and \"less\" the first",
            ],
        },
        Case {
            name: "an option named like the other end of the issue",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"day only\", \"less\"]",
                "\"none\"",
                "\"day only\"",
            ),
            at: Some("\"less\""),
            says: &["the option `less` of issue `warranty` would be read as its first option"],
        },
        Case {
            name: "an option named like a number Rust reads (NaN)",
            text: with_discrete(
                "kind = \"options\"\noptions = [\"none\", \"NaN\", \"0x1\"]",
                "\"none\"",
                "\"0x1\"",
            ),
            at: Some("\"NaN\""),
            says: &["the option `NaN` of issue `warranty` reads as a number"],
        },
        Case {
            name: "more as the ideal on an issue valued by a table",
            text: with_values("none = 1, \"6 months\" = 0.5, \"1 year\" = 0").replacen(
                "warranty = \"none\" }",
                "warranty = \"more\" }",
                1,
            ),
            at: Some("\"more\" }"),
            says: &[
                "the ideal of `seller` on `warranty` is \"more\", but its table of values, not the options' order, says what it prefers",
                "leave the ideal out",
            ],
        },
        Case {
            name: "deeply nested arrays",
            text: format!(
                "{TEXTBOOK}\nnest = {}{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
            at: None,
            says: &[
                "max recursion depth",
                "nests arrays or tables far more deeply",
            ],
        },
    ]
}

fn check(
    path: &Path,
    text_for_location: Option<&str>,
    case: &str,
    at: Option<&str>,
    says: &[&str],
) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results");
    let o = zopa(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{case}: exit code; stderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "{case}: no panic");
    assert!(
        err.contains(&path.display().to_string()),
        "{case}: names the file\n{err}"
    );
    for s in says {
        assert!(err.contains(s), "{case}: says `{s}`\n{err}");
    }
    assert!(err.contains("help:"), "{case}: says how to fix it\n{err}");
    if let (Some(text), Some(needle)) = (text_for_location, at) {
        let (line, col) = locate(text, needle);
        let place = format!("{}:{line}:{col}", path.display());
        assert!(err.contains(&place), "{case}: points at {place}\n{err}");
    }
    assert!(!out.exists(), "{case}: nothing written");
    assert!(o.stdout.is_empty(), "{case}: no summary printed");
}

#[test]
fn each_bad_scenario_gets_a_located_error_and_exit_code_2() {
    for case in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("case.toml");
        std::fs::write(&path, &case.text).unwrap();
        check(&path, Some(&case.text), case.name, case.at, case.says);
    }
}

#[test]
fn there_are_at_least_forty_kinds_of_bad_input_in_the_table() {
    // With the file-level cases below (not UTF-8, folder, missing file,
    // unreadable file, oversized file) the suite covers 40 and more.
    assert!(cases().len() + 5 >= 40, "{} cases", cases().len());
}

#[test]
fn a_scenario_at_the_limits_is_accepted() {
    // The largest scenario allowed, and each limit alone: the refusals
    // above start one past them.
    for (issues, parties) in [(12, 40), (12, 2), (1, 40)] {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("crowded.toml");
        std::fs::write(&path, crowded(issues, parties)).unwrap();
        let o = zopa(&["validate", path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{issues} x {parties}: {err}");
        let says = format!("{parties} parties, {issues} issues");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains(&says), "{issues} x {parties}: {out}");
    }
}

#[test]
fn issues_past_the_limit_are_one_problem_not_one_per_party_naming_them() {
    // Every party's ideal names the thirteenth issue; only the count is
    // wrong, so only the count is reported.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("crowded.toml");
    std::fs::write(&path, crowded(13, 3)).unwrap();
    let o = zopa(&["validate", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("error[").count(), 1, "{err}");
    assert!(err.contains("13 issues given"), "{err}");
}

#[test]
fn an_oversized_file_is_refused_before_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.toml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    check(
        &path,
        None,
        "50 MB file",
        None,
        &["the file is 52428800 bytes; scenario files are at most 1048576"],
    );
}

#[test]
fn an_unreadable_file_is_refused() {
    // Reading a process's own memory map at offset 0 fails with an I/O
    // error even for root, who can read any file with permissions.
    let path = Path::new("/proc/self/mem");
    if path.exists() {
        check(path, None, "unreadable", None, &["cannot read the file"]);
    }
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_its_position() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("latin1.toml");
    let mut bytes = b"# caf".to_vec();
    bytes.push(0xe9); // 'e' acute in Latin-1
    bytes.extend_from_slice(b"\n[scenario]\n");
    std::fs::write(&path, bytes).unwrap();
    check(
        &path,
        None,
        "not UTF-8",
        None,
        &["not UTF-8", "save the file as UTF-8"],
    );
    // The position is right after the valid prefix: line 1, column 6.
    let o = zopa(&["validate", path.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("latin1.toml:1:6"));
}

#[test]
fn a_directory_or_a_missing_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    check(
        tmp.path(),
        None,
        "directory",
        None,
        &["is a folder, not a scenario file"],
    );
    check(
        &tmp.path().join("nope.toml"),
        None,
        "missing",
        None,
        &["no such file"],
    );
}

#[test]
fn validate_reports_every_problem_not_only_the_first() {
    let text = TEXTBOOK
        .replacen("reservation = 0.4", "reservation = 1.4", 1)
        .replacen("ideal = { price = 0 }", "ideal = { price = -3 }", 1)
        .replacen("steps = 12", "steps = 0", 1);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("three.toml");
    std::fs::write(&path, &text).unwrap();
    let o = zopa(&["validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("error[").count(), 3, "{err}");
    // Reported in file order.
    let steps = err.find("time.steps").unwrap();
    let res = err.find("reservation of `seller`").unwrap();
    let ideal = err.find("ideal of `buyer`").unwrap();
    assert!(steps < res && res < ideal, "{err}");
}

#[test]
fn control_sequences_in_scenario_text_are_refused_where_they_are_written() {
    // A title that would retitle the terminal and clear the screen, and a
    // party name with a right-to-left override: each is located, and the
    // terminal never receives the escape character itself.
    let title_line = TEXTBOOK
        .lines()
        .find(|l| l.starts_with("title = "))
        .expect("the textbook has a title");
    let text = TEXTBOOK
        .replacen(title_line, r#"title = "\u001b]0;PWNED\u0007\u001b[2J""#, 1)
        .replacen("name = \"Buyer\"", r#"name = "Buyer\u202e""#, 1);
    assert!(
        text.contains(r"Buyer\u202e"),
        "the case edits a party's name"
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("escapes.toml");
    std::fs::write(&path, &text).unwrap();
    check(
        &path,
        Some(&text),
        "escape sequence in the title",
        Some(r#""\u001b]0;PWNED"#),
        &["control character U+001B", "remove the `\\u` escape"],
    );
    let o = zopa(&["validate", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("control character U+202E"), "{err}");
    let (line, col) = locate(&text, r#""Buyer\u202e""#);
    assert!(err.contains(&format!(":{line}:{col}")), "{err}");
    for bytes in [&o.stdout, &o.stderr] {
        assert!(
            !bytes.contains(&0x1b) && !String::from_utf8_lossy(bytes).contains('\u{202e}'),
            "nothing that acts on a terminal is printed"
        );
    }
}

#[test]
fn a_bad_table_of_values_is_one_problem_not_two() {
    // With its ideal on the table's issue left out, as the format allows, a
    // table refused for an option left out is the one problem reported: not
    // also a missing ideal.
    let text = with_values("none = 1, \"6 months\" = 0.5").replacen(
        "ideal = { price = 10, warranty = \"none\" }",
        "ideal = { price = 10 }",
        1,
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("case.toml");
    std::fs::write(&path, &text).unwrap();
    check(
        &path,
        Some(&text),
        "table without ideal",
        Some("{ none = 1"),
        &["leave out `1 year`"],
    );
    let err =
        String::from_utf8_lossy(&zopa(&["validate", path.to_str().unwrap()]).stderr).to_string();
    assert_eq!(err.matches("error[").count(), 1, "{err}");
    assert!(!err.contains("has no ideal"), "{err}");
}
