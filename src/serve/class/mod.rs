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
mod routes;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

use axum::http::{HeaderMap, StatusCode};
use zopa::model::{Scenario, Target};
use zopa::scenario::edit::{self, Control, Edit, Value};
use zopa::{chart, rng, sim, text, why};

use super::book::Entry;
use super::{PageError, explore};
pub use play::{Class, RoundResult};
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
    /// The page controls of the scenario, from which each party's fields
    /// are taken.
    controls: Vec<Control>,
    /// The address students type, as other machines reach this one, and
    /// whether it is one they can reach (not loopback).
    join_base: OnceLock<(String, bool)>,
    state: Mutex<Class>,
    /// Each revealed round's two charts, drawn once.
    charts: Mutex<HashMap<u32, RoundCharts>>,
    /// Whether a combined position can be played, by its values: with
    /// positions rounded to a grid, most submissions leave the class's
    /// position as it was, and its check need not be made again.
    playable: Mutex<HashMap<Vec<(String, u64)>, bool>>,
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
        let (class, code, seed) = match state.map(journal::load).transpose()?.flatten() {
            Some(saved) => {
                if saved.scenario != entry.scenario.name || saved.fingerprint != fingerprint {
                    return Err(format!(
                        "it holds a class of `{}` as its file was then, not this scenario file; give another --state file to start a new class",
                        saved.scenario
                    ));
                }
                (saved.class, saved.code, saved.seed)
            }
            None => (fresh, code(), seed),
        };
        let room = Room {
            seed,
            token: secret(16),
            code,
            controls: edit::controls(&entry.scenario),
            join_base: OnceLock::new(),
            state: Mutex::new(class),
            charts: Mutex::new(HashMap::new()),
            playable: Mutex::new(HashMap::new()),
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
            j.record(&journal::Saved {
                scenario: self.sc().name.clone(),
                fingerprint: zopa::output::fingerprint(self.entry.text.as_bytes()),
                seed: self.seed,
                code: self.code.clone(),
                class: c.clone(),
            })
        }))
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

    /// The model fields a student of party `p` sets: its bar and red lines,
    /// and, where the teacher allows it, its ideal and weights. Each control
    /// is told apart by what the model makes of its path, not by its text.
    pub fn fields(&self, p: usize, allow_ideal: bool) -> Vec<Control> {
        let sc = self.sc();
        self.controls
            .iter()
            .filter(|c| match seat(sc, &c.path) {
                Some(Seat::Model(Target::Reservation(q))) => q == p,
                Some(Seat::Model(Target::RedLine { party, .. })) => party == p,
                Some(Seat::Model(Target::Ideal { party, .. })) => allow_ideal && party == p,
                Some(Seat::Weight { party }) => allow_ideal && party == p,
                _ => false,
            })
            .cloned()
            .collect()
    }

    /// The fields as a phone shows them: the bar as a settlement in units,
    /// each with its sentence, holding `own` values where the student gave
    /// them.
    fn phone_fields(&self, p: usize, allow_ideal: bool, own: &[(String, f64)]) -> Vec<card::Field> {
        let sc = self.sc();
        self.fields(p, allow_ideal)
            .into_iter()
            .map(|mut f| {
                let given = own.iter().find(|(k, _)| *k == f.path);
                if let Some((_, v)) = given {
                    f.value = Value::Number(*v);
                }
                let bar = is_bar(sc, &f.path).then(|| card::number(&f));
                let shown = match bar {
                    Some(_) => card::settlement_control(sc, p, &f).unwrap_or(f),
                    None => f,
                };
                // The bar's sentence is told the bar itself: its settlement
                // may be the far end of the issue, worth more than the bar.
                let said = match bar {
                    Some(b) if shown.path.ends_with(card::SETTLEMENT) => {
                        card::settlement_sentence(sc, p, b)
                    }
                    _ => card::sentence(sc, p, &shown.path, card::number(&shown)),
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
    /// its utility; a field given twice, of another party, or not a number
    /// is refused, naming the field.
    fn to_model(
        &self,
        p: usize,
        allow_ideal: bool,
        edits: &[Edit],
    ) -> Result<Vec<(String, f64)>, PageError> {
        let sc = self.sc();
        let fields = self.fields(p, allow_ideal);
        let bad = |path: &str, m: String| {
            PageError::new(StatusCode::UNPROCESSABLE_ENTITY, Some(path.to_string()), m)
        };
        let mut values: Vec<(String, f64)> = Vec::new();
        for e in edits {
            let Value::Number(v) = e.value else {
                return Err(bad(&e.path, "a number, please".into()));
            };
            let settlement = format!("parties.{}.{}", sc.parties[p].id, card::SETTLEMENT);
            let (path, value) = if e.path == settlement {
                let bar = fields.iter().find(|f| is_bar(sc, &f.path));
                let st = card::Settlement::of(sc, p);
                let (Some(bar), Some(st)) = (bar, st) else {
                    return Err(bad(&e.path, "your party cannot set this field".into()));
                };
                let shown = card::settlement_control(sc, p, bar);
                if let Some(edit::Kind::Number { min, max, .. }) = shown.map(|c| c.kind)
                    && !(min - 1e-9..=max + 1e-9).contains(&v)
                {
                    let unit = &sc.issues[st.issue].unit;
                    return Err(bad(
                        &e.path,
                        format!("a settlement from {min:.1} to {max:.1} {unit}, please"),
                    ));
                }
                (bar.path.clone(), st.bar(sc, v))
            } else if fields.iter().any(|f| f.path == e.path) {
                (e.path.clone(), v)
            } else {
                return Err(bad(&e.path, "your party cannot set this field".into()));
            };
            if values.iter().any(|(k, _)| *k == path) {
                return Err(bad(
                    &e.path,
                    format!("`{}` is given twice; send each field once", e.path),
                ));
            }
            values.push((path, value));
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

    /// A variant of the scenario with the given model values.
    fn variant(&self, values: &[(String, f64)]) -> Result<explore::Variant, explore::Refusal> {
        let edits: Vec<Edit> = values
            .iter()
            .map(|(path, v)| Edit {
                path: path.clone(),
                value: Value::Number(*v),
            })
            .collect();
        explore::variant(&self.entry, &edits, self.seed)
    }

    /// Whether the class's combined position `values` can be played,
    /// remembered for the positions seen lately.
    fn playable(&self, values: &[(String, f64)]) -> bool {
        let key: Vec<(String, u64)> = values
            .iter()
            .map(|(k, v)| (k.clone(), v.to_bits()))
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
        let ok = self.variant(values).is_ok();
        let mut seen = self.playable.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= 1024 {
            seen.clear();
        }
        seen.insert(key, ok);
        ok
    }

    /// The positions of every party with `mix`, as model values.
    fn combine(&self, c: &Class, mix: &play::Mix) -> (Vec<(String, f64)>, Vec<play::Position>) {
        let fields = |p: usize| self.fields(p, c.allow_ideal);
        let (edits, shown) = play::positions(self.sc(), c, mix, &fields);
        let values = edits
            .into_iter()
            .filter_map(|e| match e.value {
                Value::Number(v) => Some((e.path, v)),
                _ => None,
            })
            .collect();
        (values, shown)
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
                if let Err(r) = self.variant(&self.combine(c, &mix).0) {
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
        values: &[(String, f64)],
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

/// `n` random bytes as hex, from the operating system's entropy.
/// What a page control sets, as the model names it: a bar, a red line or
/// an ideal is one of the model's targets; a weight is held only by the
/// file (weights are set together, so no `--set` reaches one alone).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seat {
    Model(Target),
    Weight { party: usize },
}

/// Whether a control sets a party's bar.
pub(super) fn is_bar(sc: &Scenario, path: &str) -> bool {
    matches!(seat(sc, path), Some(Seat::Model(Target::Reservation(_))))
}

fn seat(sc: &Scenario, path: &str) -> Option<Seat> {
    if let Ok(t) = sc.parse_target(path) {
        return Some(Seat::Model(t));
    }
    match path.split('.').collect::<Vec<_>>().as_slice() {
        ["parties", id, "weights", issue] if sc.issue_index(issue).is_some() => {
            sc.party_index(id).map(|party| Seat::Weight { party })
        }
        _ => None,
    }
}

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

    fn room(slug: &str) -> Room {
        let entries = super::super::book::load(&[], true).expect("bundled scenarios");
        let entry = entries
            .into_iter()
            .find(|e| e.scenario.name == slug)
            .expect("a bundled scenario");
        Room::open(entry, 1, None).expect("a room")
    }

    fn paths(room: &Room, party: &str, allow_ideal: bool) -> Vec<String> {
        let p = room.sc().party_index(party).expect("a party");
        room.fields(p, allow_ideal)
            .into_iter()
            .map(|c| c.path)
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
        let russia = paths(&r, "russia", true);
        assert!(!russia.iter().any(|p| is_bar(r.sc(), p)), "{russia:?}");
        assert!(!russia.is_empty());
    }
}
