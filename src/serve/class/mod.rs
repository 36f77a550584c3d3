//! Class play: students hold the parties' bottom lines.
//!
//! Each student joins with the code, takes a seat at a party, and privately
//! sets the party's bar and red lines (and, if the teacher allows, its
//! ideal and weights), each in the issue's own units. A party's position is
//! the median of its students' values (rounded once a party has two
//! students: see [`play`]), so one wild entry cannot carry a team. Until
//! the teacher reveals a round, no value leaves the server except to the
//! student who entered it: the projector learns only who has submitted. A
//! reveal runs the scenario with the class's numbers up to the round's
//! step; a contribution that cannot be played is left out, with a note on
//! the teacher's page, so one student never stops a round. The next round
//! lets the world move on and students revise.

mod card;
pub mod journal;
mod play;
mod quick;
mod routes;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

use axum::http::{HeaderMap, StatusCode};
use zopa::model::{Scenario, Target};
use zopa::scenario::edit::{self, Control, Edit, Value};
use zopa::{chart, rng, sim, text, why};

use super::book::Entry;
use super::{PageError, explore};
pub use play::{Class, Given, RoundResult};
pub use routes::routes;

/// Most students a room takes; as a party's seat count it means "any
/// number".
pub const MAX_STUDENTS: usize = 200;
/// Longest student name, in characters.
const MAX_NAME: usize = 40;

pub struct Room {
    entry: Entry,
    seed: u64,
    token: String,
    code: String,
    /// Every field a student may set (bars, red lines, ideals, weights),
    /// each with its page control, from which each party's fields are
    /// taken.
    settable: Vec<Settable>,
    /// The address students type, as other machines reach this one, and
    /// whether it is one they can reach (not loopback).
    join_base: OnceLock<(String, bool)>,
    state: Mutex<Class>,
    /// Each revealed round's two charts, drawn once.
    charts: Mutex<HashMap<u32, RoundCharts>>,
    /// Whether a combined position can be played, by its values (each
    /// field by its place in `settable`): with positions rounded to a
    /// grid, most submissions leave the class's position as it was, and
    /// its check need not be made again.
    playable: Mutex<HashMap<Vec<(usize, u64)>, bool>>,
    /// The model's answer where it can give one, before the text path.
    quick: quick::Quick,
    journal: Option<journal::Journal>,
}

/// A change queued for the disk.
#[must_use = "answer only once the change is saved"]
pub struct Saving(Option<u64>);

#[derive(Clone)]
pub struct RoundCharts {
    pub zone: String,
    pub gap: String,
}

impl Room {
    /// A new class, or the one saved in `state` if it holds one for this
    /// scenario.
    pub fn open(entry: Entry, seed: u64, state: Option<&std::path::Path>) -> Result<Room, String> {
        let rounds = 4.min(entry.scenario.steps.max(1));
        let fresh = Class::new(entry.scenario.parties.len(), rounds);
        let fingerprint = zopa::output::fingerprint(entry.text.as_bytes());
        let settable = settable(&entry.scenario);
        let (class, code, seed) = match state.map(journal::load).transpose()?.flatten() {
            Some(saved) => {
                if saved.scenario != entry.scenario.name || saved.fingerprint != fingerprint {
                    return Err(format!(
                        "it holds a class of `{}` as its file was then, not this scenario file; give another --state file to start a new class",
                        saved.scenario
                    ));
                }
                (resume(&settable, &saved.class)?, saved.code, saved.seed)
            }
            None => (fresh, code(), seed),
        };
        let quick = quick::Quick::new(&entry, &settable, seed);
        let room = Room {
            seed,
            token: secret(16),
            code,
            settable,
            join_base: OnceLock::new(),
            state: Mutex::new(class),
            charts: Mutex::new(HashMap::new()),
            playable: Mutex::new(HashMap::new()),
            quick,
            journal: state.map(|p| journal::Journal::start(p.to_path_buf())),
            entry,
        };
        let _first_write = room.save(&room.lock());
        Ok(room)
    }

    pub fn token(&self) -> &str {
        &self.token
    }
    pub fn code(&self) -> &str {
        &self.code
    }
    /// Students and rounds already played: what a resumed class shows.
    pub fn resumed(&self) -> Option<String> {
        let c = self.lock();
        (!c.students.is_empty() || !c.history.is_empty()).then(|| {
            let n = c.students.len();
            let who = if n == 1 { "student" } else { "students" };
            format!("{n} {who}, round {} of {}", c.round, c.rounds)
        })
    }
    pub fn state_file(&self) -> Option<&std::path::Path> {
        self.journal.as_ref().map(|j| j.path())
    }
    pub fn set_join_base(&self, base: &str, reachable: bool) {
        let _ = self.join_base.set((base.to_string(), reachable));
    }
    fn lock(&self) -> MutexGuard<'_, Class> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn sc(&self) -> &Scenario {
        &self.entry.scenario
    }

    /// Writes the class down (on the journal's thread), if `--state`
    /// asked; the change's number, for [`Room::saved`].
    fn save(&self, c: &Class) -> Saving {
        Saving(self.journal.as_ref().map(|j| {
            let stored = c.try_map(|g| Ok::<_, std::convert::Infallible>(self.stored(g)));
            let class = stored.unwrap_or_else(|never| match never {});
            j.record(&journal::Saved {
                scenario: self.sc().name.clone(),
                fingerprint: zopa::output::fingerprint(self.entry.text.as_bytes()),
                seed: self.seed,
                code: self.code.clone(),
                class,
            })
        }))
    }

    /// A value as the `--state` file keeps it: its field's path.
    fn stored(&self, g: &Given) -> play::Stored {
        let path = self
            .settable
            .iter()
            .find(|f| f.seat == g.seat)
            .map_or_else(String::new, |f| f.control.path.clone());
        (path, g.value)
    }

    /// Returns once the change is on disk: an answer never tells a client
    /// of a change a crash could still lose.
    async fn saved(&self, s: Saving) {
        if let (Some(j), Some(n)) = (&self.journal, s.0) {
            j.written(n).await;
        }
    }

    /// Writes what is queued: called once the server has stopped.
    pub fn close(&self) {
        if let Some(j) = &self.journal {
            j.close();
        }
    }

    fn teacher(&self, headers: &HeaderMap) -> Result<(), PageError> {
        let given = headers.get("x-zopa-token").and_then(|v| v.to_str().ok());
        if given.is_some_and(|g| same(g.as_bytes(), self.token.as_bytes())) {
            Ok(())
        } else {
            Err(PageError::new(
                StatusCode::FORBIDDEN,
                None,
                "teacher actions need the token printed in the terminal that started `zopa serve`; open the teacher address shown there".into(),
            ))
        }
    }

    /// The fields a student of party `p` sets: its bar and red lines, and,
    /// where the teacher allows it, its ideal and weights.
    pub fn fields(&self, p: usize, allow_ideal: bool) -> Vec<Settable> {
        self.settable
            .iter()
            .filter(|f| f.seat.party() == Some(p) && (allow_ideal || !f.seat.is_preference()))
            .cloned()
            .collect()
    }

    /// The fields as a phone shows them: the bar as a settlement in units,
    /// each with its sentence, holding `own` values where the student gave
    /// them (an option's name on a discrete issue's ideal).
    fn phone_fields(&self, p: usize, allow_ideal: bool, own: &[Given]) -> Vec<card::Field> {
        let sc = self.sc();
        self.fields(p, allow_ideal)
            .into_iter()
            .map(|Settable { seat, mut control }| {
                let given = own.iter().find(|g| g.seat == seat);
                if let Some(g) = given {
                    control.value = card::shown_value(sc, seat, g.value);
                }
                let value = card::model_value(sc, seat, &control).unwrap_or(f64::NAN);
                let bar = Settable::bar(seat).then_some(value);
                let as_settlement = bar.and_then(|_| card::settlement_control(sc, p, &control));
                // The bar's sentence is told the bar itself: its settlement
                // may be the far end of the issue, worth more than the bar.
                let (shown, said) = match (bar, as_settlement) {
                    (Some(b), Some(s)) => (s, card::settlement_sentence(sc, p, b)),
                    _ => (control, card::sentence(sc, p, seat, value)),
                };
                card::Field {
                    control: shown,
                    line: said.line,
                    small: said.small,
                    mine: given.is_some(),
                }
            })
            .collect()
    }

    /// A submission as model values: the bar given as a settlement becomes
    /// its utility, an option's name on a discrete issue's ideal the
    /// option's value; a field sent back as the phone showed it keeps its
    /// value exactly (the settlement of a bar that no settlement reaches
    /// stands for that bar, not for the settlement's worth); a field given
    /// twice, of another party, or of the wrong kind is refused, naming the
    /// field. `own` holds the student's values the phone showed.
    fn to_model(
        &self,
        p: usize,
        allow_ideal: bool,
        own: &[Given],
        edits: &[Edit],
    ) -> Result<Vec<Given>, PageError> {
        let sc = self.sc();
        let fields = self.fields(p, allow_ideal);
        let bad = |path: &str, m: String| {
            PageError::new(StatusCode::UNPROCESSABLE_ENTITY, Some(path.to_string()), m)
        };
        // The value a field holds on the phone now: the student's own, else
        // the scenario's.
        let held = |f: &Settable| {
            own.iter()
                .find(|g| g.seat == f.seat)
                .map(|g| g.value)
                .or_else(|| card::model_value(sc, f.seat, &f.control))
        };
        let settlement = format!("parties.{}.{}", sc.parties[p].id, card::SETTLEMENT);
        let mut values: Vec<Given> = Vec::new();
        for e in edits {
            let given = if e.path == settlement {
                let bar = fields.iter().find(|f| f.is_bar());
                let st = card::Settlement::of(sc, p);
                let (Some(bar), Some(st)) = (bar, st) else {
                    return Err(bad(&e.path, "your party cannot set this field".into()));
                };
                let Some(now) = held(bar) else {
                    return Err(bad(&e.path, "your party cannot set this field".into()));
                };
                let shown = card::settlement_control(sc, p, &bar.control);
                let Some(edit::Kind::Number { min, max, .. }) = shown.map(|c| c.kind) else {
                    return Err(bad(&e.path, "your party cannot set this field".into()));
                };
                let unit = &sc.issues[st.issue].unit;
                let range = || format!("a settlement from {min:.1} to {max:.1} {unit}, please");
                let Value::Number(v) = e.value else {
                    return Err(bad(&e.path, range()));
                };
                if !(min - 1e-9..=max + 1e-9).contains(&v) {
                    return Err(bad(&e.path, range()));
                }
                let value = if unchanged(v, st.units(sc, now), max - min) {
                    now
                } else {
                    st.bar(sc, v)
                };
                Given {
                    seat: bar.seat,
                    value,
                }
            } else if let Some(f) = fields.iter().find(|f| f.control.path == e.path) {
                Given {
                    seat: f.seat,
                    value: field_value(sc, f, &e.value, held(f)).map_err(|m| bad(&e.path, m))?,
                }
            } else {
                return Err(bad(&e.path, "your party cannot set this field".into()));
            };
            if values.iter().any(|g| g.seat == given.seat) {
                return Err(bad(
                    &e.path,
                    format!("`{}` is given twice; send each field once", e.path),
                ));
            }
            values.push(given);
        }
        Ok(values)
    }

    /// The step round `r` (from 1) shows: the first at the start, the last
    /// at the horizon, the others evenly between.
    pub fn round_step(&self, r: u32, rounds: u32) -> u32 {
        let last = self.sc().steps.saturating_sub(1);
        if rounds <= 1 {
            return last;
        }
        (u64::from(r.saturating_sub(1)) * u64::from(last) / u64::from(rounds - 1)) as u32
    }

    /// The edits that make `values` a variant of the file: each value as
    /// the page's edit of its field's control.
    /// A party's weights are written only when one of them moves: the
    /// controls hold them divided by their sum, and the file's divided
    /// again may differ in the last bit.
    fn written(&self, values: &[Given]) -> Vec<Edit> {
        let as_file = |g: &Given| {
            self.settable
                .iter()
                .find(|f| f.seat == g.seat)
                .and_then(|f| card::model_value(self.sc(), f.seat, &f.control))
                .is_some_and(|v| v.to_bits() == g.value.to_bits())
        };
        let moved: Vec<usize> = values
            .iter()
            .filter_map(|g| match g.seat {
                Seat::Weight { party, .. } if !as_file(g) => Some(party),
                _ => None,
            })
            .collect();
        values
            .iter()
            .filter(|g| match g.seat {
                Seat::Weight { party, .. } => moved.contains(&party),
                Seat::Model(_) => true,
            })
            .map(|g| {
                let (path, value) = self.stored(g);
                Edit {
                    path,
                    value: card::shown_value(self.sc(), g.seat, value),
                }
            })
            .collect()
    }

    /// A variant of the scenario with the given model values, made by the
    /// text path: what a reveal plays.
    fn variant(&self, values: &[Given]) -> Result<explore::Variant, explore::Refusal> {
        explore::variant(&self.entry, &self.written(values), self.seed)
    }

    /// Whether `values` can be played, with the text path's refusal where
    /// not: the same answer as [`Room::variant`], without reading the file
    /// again wherever the model can vouch for the text path (see
    /// [`quick`]).
    fn plays(&self, values: &[Given]) -> Result<(), explore::Refusal> {
        let edits = self.written(values);
        if self.quick.accepts(self.sc(), &edits) {
            return Ok(());
        }
        explore::variant(&self.entry, &edits, self.seed).map(|_| ())
    }

    /// Whether the class's combined position `values` can be played,
    /// remembered for the positions seen lately.
    fn playable(&self, values: &[Given]) -> bool {
        let place = |s: Seat| self.settable.iter().position(|f| f.seat == s);
        let key: Vec<(usize, u64)> = values
            .iter()
            .map(|g| (place(g.seat).unwrap_or(usize::MAX), g.value.to_bits()))
            .collect();
        let known = self
            .playable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .copied();
        if let Some(ok) = known {
            return ok;
        }
        let ok = self.plays(values).is_ok();
        let mut seen = self.playable.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= 1024 {
            seen.clear();
        }
        seen.insert(key, ok);
        ok
    }

    /// The positions of every party with `mix`, as model values.
    fn combine(&self, c: &Class, mix: &play::Mix) -> (Vec<Given>, Vec<play::Position>) {
        let fields = |p: usize| self.fields(p, c.allow_ideal);
        play::positions(self.sc(), c, mix, &fields)
    }

    /// Plays the round: every student's values if they can be played
    /// together; otherwise students are taken in the order they submitted
    /// and each whose values make the class's position unplayable is left
    /// out, with the reason for the teacher.
    fn reveal(&self, c: &mut Class) -> Result<(), explore::Refusal> {
        let all = play::Mix {
            include: &|_| true,
            replace: None,
        };
        let (values, _) = self.combine(c, &all);
        let mut included = vec![true; c.students.len()];
        let mut left_out = Vec::new();
        if !self.playable(&values) {
            included = vec![false; c.students.len()];
            let mut order: Vec<usize> = (0..c.students.len())
                .filter(|&i| !c.students[i].values.is_empty())
                .collect();
            order.sort_by_key(|&i| c.students[i].order);
            for i in order {
                included[i] = true;
                let take = included.clone();
                let mix = play::Mix {
                    include: &|j| take[j],
                    replace: None,
                };
                if let Err(r) = self.plays(&self.combine(c, &mix).0) {
                    included[i] = false;
                    let s = &c.students[i];
                    let party = &self.sc().parties[s.party].name;
                    left_out.push(format!("{} ({party}) was left out: {}", s.name, r.message));
                }
            }
        }
        let take = included.clone();
        let mix = play::Mix {
            include: &|j| take[j],
            replace: None,
        };
        let (values, positions) = self.combine(c, &mix);
        let step = self.round_step(c.round, c.rounds);
        let (mut result, charts) = self.play(&values, step)?;
        result.round = c.round;
        result.positions = positions;
        result.left_out = left_out;
        for (i, s) in c.students.iter_mut().enumerate() {
            s.played = if included[i] {
                s.values.clone()
            } else {
                Vec::new()
            };
        }
        self.charts_lock().insert(c.round, charts);
        c.history.push(result);
        c.revealed = true;
        Ok(())
    }

    fn charts_lock(&self) -> MutexGuard<'_, HashMap<u32, RoundCharts>> {
        self.charts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `values` up to `step` and draws the round's charts.
    fn play(
        &self,
        values: &[Given],
        step: u32,
    ) -> Result<(RoundResult, RoundCharts), explore::Refusal> {
        let v = self.variant(values)?;
        let sc = &v.scenario;
        let tl = sim::run_until(sc, self.seed, &mut rng::stream(self.seed, 0), step + 1);
        let Some(last) = tl.steps.last() else {
            return Err(explore::Refusal {
                path: None,
                message: "the run made no step".into(),
            });
        };
        let drawn = chart::svg(&chart::ZoneChart(sc, &tl)).and_then(|zone| {
            chart::svg(&chart::GapChart(sc, &tl)).map(|gap| RoundCharts { zone, gap })
        });
        let charts = drawn.map_err(|e| explore::Refusal {
            path: None,
            message: format!("the chart could not be drawn: {e}"),
        })?;
        let result = RoundResult {
            round: 0,
            step: last.step,
            step_unit: sc.step_unit.clone(),
            zone: last.zone_exists(),
            why: why::zone_text(sc, last),
            gap: text::gap_text(last.gap),
            blockers: why::blocker_names(sc, &last.blockers),
            proposal: why::proposal_text(sc, last),
            deal: last.proposal.as_ref().is_some_and(|p| p.deal),
            positions: Vec::new(),
            edits: values.to_vec(),
            left_out: Vec::new(),
        };
        Ok((result, charts))
    }

    /// A revealed round's charts, redrawn from its edits after a restart.
    fn round_charts(&self, round: u32) -> Option<RoundCharts> {
        if let Some(ch) = self.charts_lock().get(&round) {
            return Some(ch.clone());
        }
        let r = self
            .lock()
            .history
            .iter()
            .find(|r| r.round == round)?
            .clone();
        let (_, charts) = self.play(&r.edits, r.step).ok()?;
        self.charts_lock().insert(round, charts.clone());
        Some(charts)
    }
}

/// The model value a student's `value` gives field `f` (not the bar's
/// settlement), which holds `held` on the phone now: an option's name on a
/// discrete issue's ideal, a number elsewhere, kept exactly as held when
/// sent back unchanged; or what to tell the student instead.
fn field_value(
    sc: &Scenario,
    f: &Settable,
    value: &Value,
    held: Option<f64>,
) -> Result<f64, String> {
    match (&f.control.kind, value) {
        (edit::Kind::Choice { options }, Value::Name(name)) => {
            let value = match f.seat {
                Seat::Model(Target::Ideal { issue, .. }) => sc.issues[issue].option_value(name),
                _ => None,
            };
            value.ok_or_else(|| {
                format!(
                    "`{}` is not an option here; choose one of {}",
                    card::clean_name(name, 40),
                    options.join(", ")
                )
            })
        }
        (edit::Kind::Choice { options }, _) => Err(format!(
            "an option's name, please: one of {}",
            options.join(", ")
        )),
        (edit::Kind::Number { min, max, .. }, Value::Number(v)) => Ok(held
            .filter(|&now| unchanged(*v, now, max - min))
            .unwrap_or(*v)),
        (edit::Kind::Number { min, max, .. }, _) => Err(format!(
            "a number from {} to {}{}, please",
            card::amount(*min, max - min),
            card::amount(*max, max - min),
            card::unit_suffix(&f.control.unit)
        )),
        (edit::Kind::Switch, _) => Err("your party cannot set this field".into()),
    }
}

/// Whether `v`, sent back for a field that holds `now`, is `now` as the
/// page got it: a number's trip through JSON and the page may cost its
/// last bits, never a billionth of the field's span.
fn unchanged(v: f64, now: f64, span: f64) -> bool {
    (v - now).abs() <= 1e-9 * span.abs().max(1e-9)
}

/// A field a student sets, as the model names it: a party's bar, a red
/// line or an ideal is one of the model's targets; a weight is held only by
/// the file (weights are set together, so no `--set` reaches one alone).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seat {
    Model(Target),
    Weight { party: usize, issue: usize },
}

impl Seat {
    /// What the model makes of a page control's path, if it is a field a
    /// student may set.
    fn of(sc: &Scenario, path: &str) -> Option<Seat> {
        if let Ok(t) = sc.parse_target(path) {
            return matches!(
                t,
                Target::Reservation(_) | Target::RedLine { .. } | Target::Ideal { .. }
            )
            .then_some(Seat::Model(t));
        }
        match path.split('.').collect::<Vec<_>>().as_slice() {
            ["parties", id, "weights", issue] => Some(Seat::Weight {
                party: sc.party_index(id)?,
                issue: sc.issue_index(issue)?,
            }),
            _ => None,
        }
    }

    /// The party whose field it is (none for a target of the world, which
    /// `Seat::of` never makes).
    fn party(self) -> Option<usize> {
        match self {
            Seat::Model(Target::Reservation(party))
            | Seat::Model(Target::RedLine { party, .. })
            | Seat::Model(Target::Ideal { party, .. })
            | Seat::Weight { party, .. } => Some(party),
            Seat::Model(_) => None,
        }
    }

    /// An ideal or a weight: what the party wants rather than what it will
    /// accept, set only where the teacher allows it.
    fn is_preference(self) -> bool {
        matches!(
            self,
            Seat::Model(Target::Ideal { .. }) | Seat::Weight { .. }
        )
    }
}

/// A field a student may set, and the page control that shows it.
#[derive(Debug, Clone)]
pub struct Settable {
    pub seat: Seat,
    pub control: Control,
}

impl Settable {
    /// Whether a seat is a party's bar.
    pub fn bar(seat: Seat) -> bool {
        matches!(seat, Seat::Model(Target::Reservation(_)))
    }

    pub fn is_bar(&self) -> bool {
        Settable::bar(self.seat)
    }
}

/// The scenario's page controls that set a field a student may hold; a
/// red line on a discrete issue moves from option to option.
fn settable(sc: &Scenario) -> Vec<Settable> {
    edit::controls(sc)
        .into_iter()
        .filter_map(|mut control| {
            let seat = Seat::of(sc, &control.path)?;
            let discrete = card::issue_of(sc, seat).is_some_and(|i| i.is_discrete());
            if let (true, edit::Kind::Number { step, .. }) = (discrete, &mut control.kind) {
                *step = 1.0;
            }
            Some(Settable { seat, control })
        })
        .collect()
}

/// A saved class in play again: each value's path found among the fields
/// a student may set, or why the class cannot be resumed.
fn resume(settable: &[Settable], saved: &Class<play::Stored>) -> Result<Class, String> {
    saved.try_map(|(path, value)| {
        match settable.iter().find(|f| f.control.path == *path) {
            Some(f) => Ok(Given {
                seat: f.seat,
                value: *value,
            }),
            None => Err(format!(
                "it holds a value of `{path}`, which no student may set in this scenario now; give another --state file to start a new class"
            )),
        }
    })
}

/// `n` random bytes as hex, from the operating system's entropy.
fn secret(n: usize) -> String {
    use rand::RngCore;
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A join code a class can read off a projector: six letters and digits
/// with no look-alikes (no 0/O, 1/I/L).
fn code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut r = rand::rng();
    (0..6)
        .map(|_| ALPHABET[r.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Compares secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use zopa::scenario::edit::Kind;

    fn room(slug: &str) -> Room {
        let entries = super::super::book::load(&[], true).expect("bundled scenarios");
        let entry = entries
            .into_iter()
            .find(|e| e.scenario.name == slug)
            .expect("a bundled scenario");
        Room::open(entry, 1, None).expect("a room")
    }

    #[test]
    fn a_blocs_role_card_states_its_rule_and_members_and_no_seat_moves_its_bar() {
        let r = room("coalition-of-the-willing");
        let p = r.sc().party_index("coalition").unwrap();
        let card = super::routes::role_card(&r, p);
        let bloc = card["bloc"].as_str().expect("the bloc in words");
        assert!(bloc.contains("bloc of 35 members deciding by a qualified majority"));
        assert!(bloc.contains("Member 20, 0.400"), "{bloc}");
        let usa = r.sc().party_index("usa").unwrap();
        assert!(super::routes::role_card(&r, usa)["bloc"].is_null());
        assert!(
            !r.fields(p, false).iter().any(|f| Settable::bar(f.seat)),
            "the file holds no bar of the bloc's own to set"
        );
    }

    fn room_at(file: &str) -> Room {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let entries = super::super::book::load(&[path], true).expect("the scenario");
        let entry = entries.into_iter().next().expect("one scenario");
        Room::open(entry, 1, None).expect("a room")
    }

    /// A party's position to the bit: bar, ideal, weights, red lines.
    fn position_bits(sc: &Scenario, p: usize) -> Vec<Option<u64>> {
        let party = &sc.parties[p];
        let n = sc.issues.len();
        let mut out = vec![Some(party.reservation.to_bits())];
        out.extend(party.ideal[..n].iter().map(|v| Some(v.to_bits())));
        out.extend(party.weight[..n].iter().map(|v| Some(v.to_bits())));
        for rl in &party.red_lines {
            out.push(rl.min.map(f64::to_bits));
            out.push(rl.max.map(f64::to_bits));
        }
        out
    }

    /// The fields as the page sends them back: each path and value through
    /// JSON, as the phone got them.
    fn sent_back(fields: &[card::Field]) -> Vec<Edit> {
        let json = serde_json::to_string(fields).expect("json");
        let fields: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
        let edits = fields
            .iter()
            .map(|f| serde_json::json!({"path": f["path"], "value": f["value"]}))
            .collect::<Vec<_>>();
        serde_json::from_value(serde_json::Value::Array(edits)).expect("edits")
    }

    #[test]
    fn fields_sent_back_as_offered_leave_every_position_as_the_files() {
        for file in [
            "scenarios/job-offer.toml",
            "scenarios/budapest-cancelled.toml",
            "tests/data/every-new-field.toml",
        ] {
            let r = room_at(file);
            let sc = r.sc();
            for p in 0..sc.parties.len() {
                let edits = sent_back(&r.phone_fields(p, true, &[]));
                let values = r.to_model(p, true, &[], &edits).expect(file);
                assert_eq!(values.len(), edits.len(), "{file}");
                let v = r.variant(&values).expect(file);
                for q in 0..sc.parties.len() {
                    assert_eq!(
                        position_bits(&v.scenario, q),
                        position_bits(sc, q),
                        "{file}: {} sent back {:?}",
                        sc.parties[p].name,
                        edits
                    );
                }
                // Submitted, then sent back again as the phone now shows
                // them: the same values.
                let again = sent_back(&r.phone_fields(p, true, &values));
                let twice = r.to_model(p, true, &values, &again).expect(file);
                assert_eq!(twice, values, "{file}");
            }
        }
    }

    #[test]
    fn a_bar_no_settlement_reaches_is_kept_and_the_phone_says_so() {
        let r = room_at("scenarios/job-offer.toml");
        let sc = r.sc();
        let p = sc.party_index("employer").expect("employer");
        let bar = sc.parties[p].reservation;
        let fields = r.phone_fields(p, false, &[]);
        let st = &fields[0];
        assert!(st.control.path.ends_with(".settlement"));
        let far = card::number(&st.control);
        let worth = card::Settlement::of(sc, p)
            .expect("a settlement")
            .bar(sc, far);
        assert!(worth > bar + 0.1, "{worth} {bar}");
        assert_eq!(
            st.small,
            format!(
                "its bar: {bar:.3} utility, from 0 (anything) to 1 (only its ideal); the slider cannot go as low as this bar: its far end, {}, is worth {worth:.3} with other issues at its ideal; left there, the bar stays {bar:.3}",
                card::issue_amount(&sc.issues[sc.front_issue], far)
            )
        );
        // Moved, it is the settlement's worth; the other fields stay.
        let mut edits = sent_back(&fields);
        let Kind::Number { min, max, .. } = st.control.kind else {
            panic!("a slider")
        };
        let mid = (min + max) / 2.0;
        edits[0].value = Value::Number(mid);
        let values = r.to_model(p, false, &[], &edits).expect("moved");
        let v = r.variant(&values).expect("played");
        let moved = v.scenario.parties[p].reservation;
        assert!((moved - card::Settlement::of(sc, p).unwrap().bar(sc, mid)).abs() < 1e-12);
        assert!(moved != bar);
        let mut before = position_bits(sc, p);
        before[0] = Some(moved.to_bits());
        assert_eq!(position_bits(&v.scenario, p), before);
        for q in (0..sc.parties.len()).filter(|&q| q != p) {
            assert_eq!(position_bits(&v.scenario, q), position_bits(sc, q));
        }
    }

    fn paths(room: &Room, party: &str, allow_ideal: bool) -> Vec<String> {
        let p = room.sc().party_index(party).expect("a party");
        room.fields(p, allow_ideal)
            .into_iter()
            .map(|f| f.control.path)
            .collect()
    }

    #[test]
    fn a_student_sets_the_fields_the_model_names_for_the_party() {
        let r = room("budapest-cancelled");
        let usa = paths(&r, "usa", false);
        assert!(
            usa.contains(&"parties.usa.reservation".to_string()),
            "{usa:?}"
        );
        assert!(usa.iter().any(|p| p.starts_with("parties.usa.red_lines.")));
        assert!(usa.iter().all(|p| p.starts_with("parties.usa.")), "{usa:?}");
        assert!(
            !usa.iter()
                .any(|p| p.contains(".ideal.") || p.contains(".weights."))
        );
        let with_ideal = paths(&r, "usa", true);
        assert!(with_ideal.iter().any(|p| p.contains(".ideal.")));
        assert!(with_ideal.iter().any(|p| p.contains(".weights.")));
        // No knob, however its name reads, is a student's to set.
        assert!(!with_ideal.iter().any(|p| p.ends_with(".patience")));
        // A war_bargaining party's bar is the value of war: not offered.
        let r = room("rationalist-explanations");
        let p = r.sc().party_index("russia").expect("russia");
        let russia = r.fields(p, true);
        assert!(!russia.iter().any(Settable::is_bar), "{russia:?}");
        assert!(!russia.is_empty());
    }

    #[test]
    fn every_field_a_student_sets_reads_back_as_the_seat_it_was_made_from() {
        for slug in ["budapest-cancelled", "rationalist-explanations", "textbook"] {
            let r = room(slug);
            for f in &r.settable {
                assert_eq!(Seat::of(r.sc(), &f.control.path), Some(f.seat), "{slug}");
                let given = Given {
                    seat: f.seat,
                    value: 0.5,
                };
                assert_eq!(r.stored(&given), (f.control.path.clone(), 0.5));
            }
            let seats: Vec<Seat> = r.settable.iter().map(|f| f.seat).collect();
            for (i, s) in seats.iter().enumerate() {
                assert!(!seats[i + 1..].contains(s), "{slug}: {s:?} twice");
            }
        }
    }

    /// A class as the `--state` file of this version holds it: each value
    /// under its field's path.
    fn saved_class(values: &[(&str, f64)]) -> Class<play::Stored> {
        let json = serde_json::json!({
            "seats": [200, 200, 200, 200], "allow_ideal": true, "rounds": 4,
            "round": 2, "revealed": false, "secrets_shown": false,
            "next_key": 2, "submissions": 1,
            "students": [{
                "id": "abc", "key": 1, "name": "Ann", "party": 0,
                "values": values, "submitted_in": 2, "order": 1,
                "played": values,
            }],
            "history": [{
                "round": 1, "step": 0, "step_unit": "week", "zone": false,
                "why": "", "gap": "", "blockers": "", "proposal": "",
                "deal": false, "positions": [], "edits": values,
            }],
        });
        serde_json::from_value(json).expect("the file's format")
    }

    #[test]
    fn a_saved_class_resumes_with_each_value_on_its_field_and_saves_the_same() {
        let r = room("budapest-cancelled");
        let usa = r.sc().party_index("usa").expect("usa");
        let paths = [
            "parties.usa.reservation",
            "parties.usa.weights.territory",
            "parties.usa.ideal.territory",
        ];
        let values: Vec<(&str, f64)> = paths.iter().map(|p| (*p, 0.25)).collect();
        let saved = saved_class(&values);
        let class = resume(&r.settable, &saved).expect("resumed");
        let territory = r.sc().issue_index("territory").expect("territory");
        let seats: Vec<Seat> = class.students[0].values.iter().map(|g| g.seat).collect();
        assert_eq!(
            seats,
            [
                Seat::Model(Target::Reservation(usa)),
                Seat::Weight {
                    party: usa,
                    issue: territory
                },
                Seat::Model(Target::Ideal {
                    party: usa,
                    issue: territory
                }),
            ]
        );
        assert_eq!(class.history[0].edits, class.students[0].played);
        // Saved again, it is the file it was read from.
        let again = class.try_map(|g| Ok::<_, ()>(r.stored(g))).expect("stored");
        assert_eq!(
            serde_json::to_value(&again).expect("json"),
            serde_json::to_value(&saved).expect("json")
        );
    }

    #[test]
    fn a_saved_value_of_a_field_no_student_may_set_is_refused_by_name() {
        // A war_bargaining party's bar is not read, so no longer offered:
        // a class saved when it was cannot be resumed as it was played.
        let r = room("rationalist-explanations");
        let saved = saved_class(&[("parties.russia.reservation", 0.4)]);
        let Err(why) = resume(&r.settable, &saved) else {
            panic!("resumed a value of a field no student sets");
        };
        assert!(why.contains("`parties.russia.reservation`"), "{why}");
        assert!(why.contains("another --state file"), "{why}");
    }
}
