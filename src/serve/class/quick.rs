//! The model's answer to "would the reveal play these values?", for the
//! values it can answer for.
//!
//! The answer that counts is the text path's: the file with the edits
//! made, read and validated whole (`explore::variant`), which is what a
//! reveal plays. It costs the better part of a millisecond a submission,
//! nearly all of it in reading TOML, and a class of 200 submitting at once
//! queues behind it. Most submissions only move a bar, a red line or an ideal
//! within its range, and for those the file's verdict is the model's: the
//! same ranges (`Scenario::target_range`), the same check of values that do
//! not fit together (`archetype::conflicts`) and the file's what-ifs
//! assigned again as `--set` assigns them. So [`Quick::accepts`] says yes
//! only where it can show the text path would; everywhere else it says
//! nothing and the text path decides, so every refusal, its path and its
//! words, still comes from the text path.
//!
//! What the model alone cannot tell is looked at once, when the room opens:
//! whether every field a student sets has its place in the file (one edit
//! of them all through the text path), which bars are worked out from the
//! ideal and weights (a bar written as a settlement, a bloc member's), and
//! which red lines an event moves (its check reads the line's bounds, and
//! a switched-off event keeps no effects in the model).

use zopa::model::archetype;
use zopa::model::{Scenario, Target};
use zopa::scenario::edit::{Edit, Value};

use super::Settable;
use crate::serve::book::Entry;
use crate::serve::explore;

/// What the room knows of its file beyond the model.
pub struct Quick {
    /// False where the file itself stops the model from answering: a
    /// field whose edit finds no place in it, a file name that would break
    /// the header's comment.
    usable: bool,
    /// Per party: its bar is worked out from its ideal and weights (see
    /// [`derived`]), so an edit of either moves the bar in the file but
    /// not in the model.
    derived_bar: Vec<bool>,
    /// The red lines (party, line) some event's effect moves, switched off
    /// or not.
    moved_by_events: Vec<(usize, usize)>,
}

impl Quick {
    /// Looks at the file once: `settable` are the fields students may set,
    /// each written back as the file holds it through the text path.
    pub fn new(entry: &Entry, settable: &[Settable], seed: u64) -> Quick {
        let sc = &entry.scenario;
        let never = Quick {
            usable: false,
            derived_bar: Vec::new(),
            moved_by_events: Vec::new(),
        };
        let Ok(file) = entry.text.parse::<toml::Table>() else {
            return never;
        };
        let Some(parties) = file.get("parties").and_then(toml::Value::as_array) else {
            return never;
        };
        let derived_bar = (0..sc.parties.len())
            .map(|p| derived(sc, parties.get(p), p))
            .collect();
        let every: Vec<Edit> = (settable.iter())
            .map(|f| Edit {
                path: f.control.path.clone(),
                value: f.control.value.clone(),
            })
            .collect();
        let name = entry.path.file_name().map(|n| n.to_string_lossy());
        let plain_name = name.is_none_or(|n| plain(&n));
        Quick {
            usable: plain_name && explore::variant(entry, &every, seed).is_ok(),
            derived_bar,
            moved_by_events: moved_red_lines(sc, &file),
        }
    }

    /// True only if the text path would take `edits` (as `Room::written`
    /// makes them); false when it would not, or when the model cannot
    /// tell.
    pub fn accepts(&self, sc: &Scenario, edits: &[Edit]) -> bool {
        if !self.usable || edits.len() > explore::MAX_EDITS {
            return false;
        }
        let mut trial = sc.clone();
        // The weights edited, (party, issue, value), the last of a field
        // standing as in the file.
        let mut weights: Vec<(usize, usize, f64)> = Vec::new();
        for e in edits {
            if !plain(&e.path) {
                return false;
            }
            let parts: Vec<&str> = e.path.split('.').collect();
            let done = match (parts.as_slice(), &e.value) {
                (["parties", id, "weights", issue], Value::Number(v)) => {
                    self.weight(sc, id, issue, *v, &mut weights)
                }
                (["parties", id, "ideal", issue], Value::Name(name)) => {
                    self.option(&mut trial, id, issue, name)
                }
                (_, Value::Number(v)) => self.number(&mut trial, &e.path, *v),
                _ => false,
            };
            if !done {
                return false;
            }
        }
        weighed(sc, &weights) && archetype::conflicts(&trial).is_empty() && what_ifs_hold(&trial)
    }

    /// A weight as the text path writes it: in `[0, 1]`, on a party whose
    /// bar does not follow its weights.
    fn weight(
        &self,
        sc: &Scenario,
        id: &str,
        issue: &str,
        v: f64,
        weights: &mut Vec<(usize, usize, f64)>,
    ) -> bool {
        let (Some(p), Some(k)) = (sc.party_index(id), sc.issue_index(issue)) else {
            return false;
        };
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) || self.derived_bar[p] {
            return false;
        }
        weights.retain(|&(q, i, _)| (q, i) != (p, k));
        weights.push((p, k, v));
        true
    }

    /// A discrete issue's ideal given as an option's name, which the file
    /// then holds: one of the issue's options, on an issue the party does
    /// not value by a table. (An option's name is one line, which the
    /// comments that record the change can hold: validation sees to it.)
    fn option(&self, trial: &mut Scenario, id: &str, issue: &str, name: &str) -> bool {
        let (Some(p), Some(k)) = (trial.party_index(id), trial.issue_index(issue)) else {
            return false;
        };
        let i = &trial.issues[k];
        let by_table = trial.parties[p].values.as_deref().is_some_and(|v| v.has(k));
        if !i.is_discrete() || by_table || self.derived_bar[p] {
            return false;
        }
        let Some(v) = i.option_value(name) else {
            return false;
        };
        trial.set(Target::Ideal { party: p, issue: k }, v);
        true
    }

    /// A number the text path writes where `--set` would put it (the same
    /// path, read by the same `Scenario::quantity`): a bar, a red line's
    /// bound or a continuous issue's ideal, within the field's range.
    fn number(&self, trial: &mut Scenario, path: &str, v: f64) -> bool {
        let Ok(target) = trial.quantity(path) else {
            return false;
        };
        let fits = match target {
            // A bloc's bar is its members'; the file refuses one of its own.
            Target::Reservation(p) => trial.parties[p].bloc.is_none(),
            Target::Ideal { party, issue } => {
                !trial.issues[issue].is_discrete() && !self.derived_bar[party]
            }
            Target::RedLine { party, line, .. } => !self.moved_by_events.contains(&(party, line)),
            _ => false,
        };
        let (low, high) = trial.target_range(target);
        if !(fits && v.is_finite() && (low..=high).contains(&v)) {
            return false;
        }
        trial.set(target, v);
        true
    }
}

/// Whether party `p`'s bar, as the file writes it (`written`), is worked
/// out from its ideal and weights: a bar written as a settlement, its own
/// or, for a bloc, a member's.
fn derived(sc: &Scenario, written: Option<&toml::Value>, p: usize) -> bool {
    let number = |bar: Option<&toml::Value>| bar.is_none_or(|b| b.is_float() || b.is_integer());
    let Some(party) = written else {
        return true;
    };
    let members = party
        .get("bloc")
        .map(|b| b.get("members").and_then(toml::Value::as_array));
    let members_plain = match (&sc.parties[p].bloc, members) {
        (None, None) => true,
        (Some(_), Some(Some(m))) => m.iter().all(|m| number(m.get("reservation"))),
        _ => false,
    };
    !(number(party.get("reservation")) && members_plain)
}

/// Whether every party whose weights were edited keeps one above zero (the
/// file refuses weights that are all zero). An issue not edited keeps the
/// weight the file writes for it, its own or, where it writes none, the
/// model's share: above zero exactly where the model's share is.
fn weighed(sc: &Scenario, weights: &[(usize, usize, f64)]) -> bool {
    weights.iter().all(|&(p, _, _)| {
        let edited = |k: usize| weights.iter().find(|&&(q, i, _)| (q, i) == (p, k));
        (0..sc.issues.len()).any(|k| match edited(k) {
            Some(&(_, _, v)) => v > 0.0,
            None => sc.parties[p].weight[k] > 0.0,
        })
    })
}

/// Whether every what-if of the file can still be assigned, as the file
/// reader checks them: each on its own copy, in order.
fn what_ifs_hold(trial: &Scenario) -> bool {
    trial.variants.iter().all(|v| {
        let mut what_if = trial.clone();
        v.set.iter().all(|a| what_if.assign(a).is_ok())
    })
}

/// The red lines (party, line) that some event's effect targets, read off
/// the file, where a switched-off event's effects are still written.
fn moved_red_lines(sc: &Scenario, file: &toml::Table) -> Vec<(usize, usize)> {
    let events = file.get("events").and_then(toml::Value::as_array);
    let effects = events
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("effects").and_then(toml::Value::as_array))
        .flatten();
    effects
        .filter_map(|fx| fx.get("target").and_then(toml::Value::as_str))
        .filter_map(|t| match sc.parse_target(t) {
            Ok(Target::RedLine { party, line, .. }) => Some((party, line)),
            _ => None,
        })
        .collect()
}

/// Text a TOML comment can hold on one line: the change's record goes
/// into comments, and a control character there would break the file.
fn plain(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    //! The quick answer against the text path over random submissions: a
    //! student's values alone and several parties' together, in range and
    //! out, at the ends, on the far side of a floor or of the line's other
    //! bound, weights at zero, options by name and between two. Wherever
    //! the model says yes the text path must say yes, and the answer a
    //! room gives (`Room::plays`) must be the text path's exactly, its
    //! refusal's path and words included.

    use std::path::Path;

    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use zopa::model::Knob;
    use zopa::scenario::edit::Kind;

    use super::super::{Given, Room, Seat, Settable};
    use super::*;

    type Answer = Result<(), (Option<String>, String)>;

    /// How often each answer came.
    #[derive(Debug, Default)]
    struct Tally {
        quick: usize,
        played: usize,
        refused: usize,
        /// Refusals by the file's validation, not by one edit's range (no
        /// field named): values that do not fit together (a floor above a
        /// bar, a red line turned inside out, a what-if that no longer
        /// fits), an ideal between two options.
        conflicts: usize,
    }

    fn room(entry: Entry) -> Room {
        Room::open(entry, 1, None).expect("a room")
    }

    fn file(name: &str) -> Room {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
        let entries = crate::serve::book::load(&[path], true).expect("the scenario");
        room(entries.into_iter().next().expect("one scenario"))
    }

    /// A room of `text`, a bundled file changed to reach a case the
    /// bundled files do not.
    fn edited(name: &str, text: String) -> Room {
        let path = std::path::PathBuf::from(name);
        let scenario = zopa::scenario::parse(&path, text.clone())
            .unwrap_or_else(|e| panic!("{name} does not read: {:?}", e.problems));
        room(Entry {
            slug: scenario.name.clone(),
            path,
            text,
            scenario,
            source: None,
        })
    }

    /// A value for field `f`: anywhere in its range, at its ends, a whole
    /// number, as the file has it, where it meets another value of its
    /// party (the floor under a bar, the line's other bound), zero (a
    /// weight), or, if `wild`, also just or far outside its range.
    fn value(rng: &mut ChaCha8Rng, sc: &Scenario, f: &Settable, wild: bool) -> f64 {
        let held = card_value(sc, f);
        let (min, max) = match f.control.kind {
            Kind::Number { min, max, .. } => (min, max),
            Kind::Choice { ref options } => (0.0, (options.len() - 1) as f64),
            Kind::Switch => (0.0, 1.0),
        };
        let span = (max - min).max(1e-9);
        let near = |rng: &mut ChaCha8Rng, x: f64| x + span * rng.random_range(-0.02..0.02);
        let tame = [0, 1, 2, 3, 4, 5, 8, 9];
        let pick = if wild {
            rng.random_range(0..10)
        } else {
            tame[rng.random_range(0..tame.len())]
        };
        match pick {
            0..=2 => rng.random_range(min..=max),
            3 => [min, max][rng.random_range(0..2)],
            4 => rng.random_range(min..=max).round(),
            5 => held,
            6 => [min - span * 0.01, max + span * rng.random_range(0.001..0.5)]
                [rng.random_range(0..2)],
            7 => [-1e6, 1e6, 0.0, 0.5][rng.random_range(0..4)],
            _ => match f.seat {
                Seat::Model(Target::Reservation(p)) => near(rng, sc.parties[p].knob(Knob::Floor)),
                Seat::Model(Target::RedLine { party, line, upper }) => {
                    let rl = &sc.parties[party].red_lines[line];
                    let other = if upper { rl.min } else { rl.max };
                    near(rng, other.unwrap_or(held))
                }
                Seat::Weight { .. } => 0.0,
                Seat::Model(_) => near(rng, held),
            },
        }
    }

    fn card_value(sc: &Scenario, f: &Settable) -> f64 {
        super::super::card::model_value(sc, f.seat, &f.control).unwrap_or(0.0)
    }

    /// Random values for one party's fields (`parties` 1) or several's.
    fn submission(rng: &mut ChaCha8Rng, room: &Room, parties: usize) -> Vec<Given> {
        let sc = room.sc();
        let mut chosen: Vec<usize> = (0..sc.parties.len()).collect();
        for i in 0..chosen.len() {
            let j = rng.random_range(i..chosen.len());
            chosen.swap(i, j);
        }
        chosen.truncate(parties);
        let wild = rng.random_bool(0.3);
        let mut out = Vec::new();
        // Now and then every weight of the parties at zero, which the file
        // refuses.
        let weightless = rng.random_bool(0.05);
        for p in chosen {
            for f in room.fields(p, true) {
                if weightless && matches!(f.seat, Seat::Weight { .. }) {
                    out.push(Given {
                        seat: f.seat,
                        value: 0.0,
                    });
                } else if rng.random_bool(0.6) {
                    let value = value(rng, sc, &f, wild);
                    out.push(Given {
                        seat: f.seat,
                        value,
                    });
                }
            }
        }
        out
    }

    fn text_path(room: &Room, edits: &[Edit]) -> Answer {
        explore::variant(&room.entry, edits, room.seed)
            .map(|_| ())
            .map_err(|r| (r.path, r.message))
    }

    /// `cases` random submissions: the quick answer never says yes where
    /// the text path says no, and the room's answer is the text path's.
    fn compare(room: &Room, cases: usize, seed: u64) -> Tally {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut tally = Tally::default();
        let name = &room.sc().name;
        for case in 0..cases {
            let parties = if case % 3 == 0 {
                room.sc().parties.len()
            } else {
                1
            };
            let values = submission(&mut rng, room, parties);
            let edits = room.written(&values);
            let full = text_path(room, &edits);
            let quick = room.quick.accepts(room.sc(), &edits);
            assert!(
                !quick || full.is_ok(),
                "{name}: the model took {edits:?}, the file refuses: {full:?}"
            );
            let answer = room.plays(&values).map_err(|r| (r.path, r.message));
            assert_eq!(answer, full, "{name}: {edits:?}");
            tally.quick += usize::from(quick);
            match &full {
                Ok(()) => tally.played += 1,
                Err((path, _)) => {
                    tally.refused += 1;
                    tally.conflicts += usize::from(path.is_none());
                }
            }
        }
        tally
    }

    #[test]
    fn the_quick_answer_is_the_text_paths_over_random_submissions() {
        let files = [
            "scenarios/budapest-cancelled.toml",
            "scenarios/freeze-the-front.toml",
            "scenarios/coalition-of-the-willing.toml",
            "scenarios/rationalist-explanations.toml",
            "scenarios/textbook.toml",
            "scenarios/job-offer.toml",
            "scenarios/uaw-strike.toml",
            "scenarios/negmas-bilateral.toml",
            "tests/data/every-new-field.toml",
        ];
        for (n, name) in files.into_iter().enumerate() {
            let r = file(name);
            assert!(r.quick.usable, "{name}: every field has its place");
            let t = compare(&r, 400, n as u64);
            assert!(t.played > 0 && t.refused > 0, "{name}: {t:?}");
            // The model answers for most of what the file plays.
            assert!(t.quick * 2 > t.played, "{name}: {t:?}");
        }
    }

    #[test]
    fn values_that_do_not_fit_together_are_refused_in_the_text_paths_words() {
        // The US has a floor of 0.3 under its bar, and the file four
        // what-ifs, which are assigned again on every variant.
        let r = file("scenarios/budapest-cancelled.toml");
        let t = compare(&r, 600, 7);
        assert!(t.conflicts >= 20, "{t:?}");
        // Floors under both bars, and no what-if: the conflicts are found
        // by the model's own check alone.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/negmas-bilateral.toml");
        let text = std::fs::read_to_string(path).expect("the file");
        let text = text.replace(
            "knobs = { deadline = 60,",
            "knobs = { floor = 0.5, deadline = 60,",
        );
        let r = edited("negmas-bilateral.toml", text);
        assert!(r.sc().variants.is_empty());
        let t = compare(&r, 300, 8);
        assert!(t.conflicts >= 20, "{t:?}");
    }
}

#[cfg(test)]
mod edge {
    //! Files laid out where the model cannot answer: each must leave the
    //! answer to the text path, random submissions and the one case each
    //! guard is for alike.

    use std::path::PathBuf;

    use super::super::{Given, Room, Seat};
    use super::*;

    const FILE: &str = include_str!("../../../tests/data/every-new-field.toml");

    fn room(text: String) -> Room {
        room_at(PathBuf::from("every-new-field.toml"), text)
    }

    /// A room of `text` read as the file at `path`.
    fn room_at(path: PathBuf, text: String) -> Room {
        let scenario = zopa::scenario::parse(&path, text.clone())
            .unwrap_or_else(|e| panic!("the file does not read: {:?}", e.problems));
        let entry = Entry {
            slug: scenario.name.clone(),
            path,
            text,
            scenario,
            source: None,
        };
        Room::open(entry, 1, None).expect("a room")
    }

    /// The room's answer to one party's `values`, which must be the text
    /// path's refusal where the model has no say.
    fn refused(r: &Room, values: &[(Seat, f64)]) -> String {
        let values: Vec<Given> = (values.iter())
            .map(|&(seat, value)| Given { seat, value })
            .collect();
        let edits = r.written(&values);
        assert!(!r.quick.accepts(r.sc(), &edits), "{edits:?}");
        let full = explore::variant(&r.entry, &edits, r.seed)
            .err()
            .expect("refused");
        let answer = r.plays(&values).expect_err("refused");
        assert_eq!((&answer.path, &answer.message), (&full.path, &full.message));
        answer.message
    }

    /// The text path's refusal of `edits`, which the model leaves to it.
    fn refused_edits(r: &Room, edits: &[Edit]) -> String {
        assert!(!r.quick.accepts(r.sc(), edits), "{edits:?}");
        let full = explore::variant(&r.entry, edits, r.seed).err();
        full.expect("refused").message
    }

    fn number(path: &str, v: f64) -> Edit {
        Edit {
            path: path.into(),
            value: Value::Number(v),
        }
    }

    fn seat(r: &Room, path: &str) -> Seat {
        (r.settable.iter())
            .find(|f| f.control.path == path)
            .map(|f| f.seat)
            .unwrap_or_else(|| panic!("no field {path}"))
    }

    #[test]
    fn a_red_line_a_switched_off_event_moves_is_left_to_the_file() {
        let text = FILE
            .replace(
                "target = \"parties.firm.red_lines.wage.max\", set = 6",
                "target = \"parties.union.red_lines.wage.min\", add = 2",
            )
            .replace(
                "label = \"The firm's budget grows\"\n",
                "label = \"The firm's budget grows\"\nenabled = false\n",
            );
        let r = room(text);
        assert_eq!(r.quick.moved_by_events, [(0, 0)]);
        // 9.5 and the event's 2 leave the wage's range.
        let line = seat(&r, "parties.union.red_lines.wage.min");
        let said = refused(&r, &[(line, 9.5)]);
        assert!(said.contains("parties.union.red_lines.wage.min"), "{said}");
    }

    #[test]
    fn a_bar_written_as_a_settlement_moves_with_the_ideal_and_is_left_to_the_file() {
        // The city's bar is the worth to it of no rise at all and the mixed
        // shift pattern: 0.83 with its ideal of 5 % and mixed shifts and
        // equal weights, above its floor of 0.8 until it wants more, weighs
        // the wage more or wants another pattern.
        let text = FILE
            .replace(
                "reservation = 0.3\n",
                "reservation = { wage = 0, shifts = 1 }\n",
            )
            .replace(
                "pressure_per_step = 0.05",
                "floor = 0.8\npressure_per_step = 0.05",
            );
        let r = room(text);
        assert_eq!(r.quick.derived_bar, [false, false, true]);
        let ideal = seat(&r, "parties.city.ideal.wage");
        let said = refused(&r, &[(ideal, 10.0)]);
        assert!(said.contains("floor"), "{said}");
        let weight = seat(&r, "parties.city.weights.wage");
        let said = refused(&r, &[(weight, 1.0)]);
        assert!(said.contains("floor"), "{said}");
        // Its bar names the mixed pattern, which it then no longer wants.
        let shifts = seat(&r, "parties.city.ideal.shifts");
        let said = refused(&r, &[(shifts, 2.0)]);
        assert!(said.contains("floor"), "{said}");
    }

    #[test]
    fn a_bar_below_a_floor_a_what_if_sets_is_refused_as_the_file_refuses_it() {
        let text = format!(
            "{FILE}\n[[variants]]\ntitle = \"A firm floor\"\nquestion = \"If the city would not go below 0.25?\"\nset = [\"parties.city.floor=0.25\"]\n"
        );
        let r = room(text);
        let bar = seat(&r, "parties.city.reservation");
        let said = refused(&r, &[(bar, 0.2)]);
        assert!(said.contains("A firm floor"), "{said}");
    }

    #[test]
    fn an_ideal_a_table_of_values_sets_is_left_to_the_file() {
        // The union's best shift pattern is "day", by its table.
        let r = room(FILE.to_string());
        let mixed = Edit {
            path: "parties.union.ideal.shifts".into(),
            value: Value::Name("mixed".into()),
        };
        let said = refused_edits(&r, &[mixed]);
        assert!(said.contains("mixed"), "{said}");
    }

    #[test]
    fn a_blocs_bar_is_its_members_and_follows_a_member_written_as_a_settlement() {
        let path = "scenarios/coalition-of-the-willing.toml";
        let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")));
        let text = text.expect("the file");
        let bloc = |text: String| room_at(PathBuf::from(path), text);
        let r = bloc(text.clone());
        let p = r.sc().party_index("coalition").expect("the bloc");
        assert!(!r.quick.derived_bar[p]);
        let said = refused_edits(&r, &[number("parties.coalition.reservation", 0.5)]);
        assert!(said.contains("coalition"), "{said}");
        let settled = text.replacen(
            "reservation = 0.21 }",
            "reservation = { territory = 10 } }",
            1,
        );
        assert!(bloc(settled).quick.derived_bar[p]);
    }

    #[test]
    fn a_file_name_that_would_break_the_header_leaves_every_answer_to_the_file() {
        let r = room_at(PathBuf::from("every\nnew-field.toml"), FILE.to_string());
        assert!(!r.quick.usable);
        let bar = seat(&r, "parties.union.reservation");
        refused(&r, &[(bar, 0.6)]);
    }

    #[test]
    fn red_lines_written_as_tables_leave_every_answer_to_the_file() {
        let text = FILE.replace(
            "red_lines = [{ issue = \"wage\", min = 3 }]\n",
            "[[parties.red_lines]]\nissue = \"wage\"\nmin = 3\n",
        );
        let r = room(text);
        assert!(!r.quick.usable);
        let bar = seat(&r, "parties.union.reservation");
        let values = [Given {
            seat: bar,
            value: 0.6,
        }];
        assert!(!r.quick.accepts(r.sc(), &r.written(&values)));
        assert!(r.plays(&values).is_ok());
        let line = seat(&r, "parties.union.red_lines.wage.min");
        let said = refused(&r, &[(line, 4.0)]);
        assert!(said.contains("no place"), "{said}");
    }
}
