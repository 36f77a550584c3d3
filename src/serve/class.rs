//! Class play: students hold the parties' bottom lines.
//!
//! Each student joins with the code, takes a seat at a party, and privately
//! sets the party's bar and red lines (and, if the teacher allows, its
//! ideal and weights). A party's position is the median of its students'
//! values, so one wild entry cannot carry a team. Until the teacher reveals
//! a round, no value leaves the server except to the student who entered
//! it: the projector learns only who has submitted. A reveal runs the
//! scenario with the class's numbers up to the round's step; the next round
//! lets the world move on and students revise.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use zopa::model::Scenario;
use zopa::scenario::edit::{self, Control, Edit, Value};
use zopa::{chart, report, rng, sim, why};

use super::book::Entry;
use super::{App, PageError, assets, explore, refuse};

/// Most students a room takes.
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
    /// The address students type, as other machines reach this one.
    join_base: std::sync::OnceLock<String>,
    state: Mutex<Class>,
}

struct Class {
    /// Seats per party, in scenario order.
    seats: Vec<u32>,
    /// Whether students may also set their party's ideal and weights.
    allow_ideal: bool,
    rounds: u32,
    /// The round being played, from 1.
    round: u32,
    /// Whether the current round has been revealed.
    revealed: bool,
    students: Vec<Student>,
    history: Vec<RoundResult>,
    secrets_shown: bool,
}

struct Student {
    id: String,
    name: String,
    party: usize,
    /// The student's values by control path, once submitted.
    values: Vec<(String, f64)>,
    /// The round of the last submission (0: none yet).
    submitted_in: u32,
}

impl Class {
    /// A student by the id their page holds.
    fn student(&self, id: &str) -> Result<&Student, PageError> {
        let found = self
            .students
            .iter()
            .find(|s| same(s.id.as_bytes(), id.as_bytes()));
        found.ok_or_else(|| {
            let message = "unknown student; join again with the code".to_string();
            PageError::new(StatusCode::NOT_FOUND, None, message)
        })
    }
}

/// What a reveal shows, and what the end of the game lists round by round.
#[derive(Clone, Serialize)]
pub struct RoundResult {
    pub round: u32,
    pub step: u32,
    pub step_unit: String,
    pub zone: bool,
    pub why: String,
    /// The gap at the step, as every view prints it.
    pub gap: String,
    pub blockers: String,
    pub proposal: String,
    pub deal: bool,
    /// Each party's position as played: field, value, and whose it is.
    pub positions: Vec<Position>,
    pub zone_chart: String,
    pub gap_chart: String,
}

#[derive(Clone, Serialize)]
pub struct Position {
    pub party: String,
    pub field: String,
    pub value: String,
    pub from: String,
}

impl Room {
    pub fn new(entry: Entry, seed: u64) -> Room {
        let parties = entry.scenario.parties.len();
        Room {
            seed,
            token: secret(16),
            code: code(),
            controls: edit::controls(&entry.scenario),
            join_base: std::sync::OnceLock::new(),
            state: Mutex::new(Class {
                seats: vec![1; parties],
                allow_ideal: false,
                rounds: 4.min(entry.scenario.steps.max(1)),
                round: 1,
                revealed: false,
                students: Vec::new(),
                history: Vec::new(),
                secrets_shown: false,
            }),
            entry,
        }
    }
    pub fn token(&self) -> &str {
        &self.token
    }
    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn set_join_base(&self, base: &str) {
        let _ = self.join_base.set(base.to_string());
    }
    fn lock(&self) -> MutexGuard<'_, Class> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn sc(&self) -> &Scenario {
        &self.entry.scenario
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

    /// The fields a student of party `p` sets.
    pub fn fields(&self, p: usize, allow_ideal: bool) -> Vec<Control> {
        let id = &self.sc().parties[p].id;
        let prefix = format!("parties.{id}.");
        self.controls
            .iter()
            .filter(|c| {
                let Some(rest) = c.path.strip_prefix(&prefix) else {
                    return false;
                };
                rest == "reservation"
                    || rest.starts_with("red_lines.")
                    || (allow_ideal && (rest.starts_with("ideal.") || rest.starts_with("weights.")))
            })
            .cloned()
            .collect()
    }

    /// The step round `r` (from 1) shows: the first at the start, the last
    /// at the horizon, the others evenly between.
    pub fn round_step(&self, r: u32, rounds: u32) -> u32 {
        let last = self.sc().steps.saturating_sub(1);
        if rounds <= 1 {
            return last;
        }
        (u64::from(r - 1) * u64::from(last) / u64::from(rounds - 1)) as u32
    }

    /// Each party's position: the median of its students' submitted values,
    /// field by field, or the scenario's own where nobody submitted.
    fn positions(&self, c: &Class) -> (Vec<Edit>, Vec<Position>) {
        let sc = self.sc();
        let (mut edits, mut shown) = (Vec::new(), Vec::new());
        for (p, party) in sc.parties.iter().enumerate() {
            for f in self.fields(p, c.allow_ideal) {
                let mut vals: Vec<f64> = c
                    .students
                    .iter()
                    .filter(|s| s.party == p)
                    .filter_map(|s| s.values.iter().find(|(k, _)| *k == f.path).map(|(_, v)| *v))
                    .collect();
                let (value, from) = if vals.is_empty() {
                    let Value::Number(v) = f.value else { continue };
                    (v, "the scenario (nobody submitted)".to_string())
                } else {
                    vals.sort_by(f64::total_cmp);
                    let n = vals.len();
                    let m = if n % 2 == 1 {
                        vals[n / 2]
                    } else {
                        (vals[n / 2 - 1] + vals[n / 2]) / 2.0
                    };
                    edits.push(Edit {
                        path: f.path.clone(),
                        value: Value::Number(m),
                    });
                    let who = if n == 1 {
                        "1 student".into()
                    } else {
                        format!("the median of {n} students")
                    };
                    (m, who)
                };
                shown.push(Position {
                    party: party.name.clone(),
                    field: f.label.clone(),
                    value: format!("{} {}", report::value(value), f.unit),
                    from,
                });
            }
        }
        (edits, shown)
    }

    /// Runs the class's positions up to the round's step.
    fn reveal(&self, c: &Class) -> Result<RoundResult, explore::Refusal> {
        let (edits, positions) = self.positions(c);
        let v = explore::variant(&self.entry, &edits, self.seed)?;
        let sc = &v.scenario;
        let step = self.round_step(c.round, c.rounds);
        let tl = sim::run_until(sc, self.seed, &mut rng::stream(self.seed, 0), step + 1);
        let last = tl.steps.last().expect("a run has at least one step");
        let draw = |figure: &dyn Fn() -> Result<String, chart::ChartError>| {
            figure().map_err(|e| explore::Refusal {
                path: None,
                message: format!("the chart could not be drawn: {e}"),
            })
        };
        let zone_chart = draw(&|| chart::svg(&chart::ZoneChart(sc, &tl)))?;
        let gap_chart = draw(&|| chart::svg(&chart::GapChart(sc, &tl)))?;
        Ok(RoundResult {
            round: c.round,
            step: last.step,
            step_unit: sc.step_unit.clone(),
            zone: last.zone_exists(),
            why: why::zone_text(sc, last),
            gap: report::gap_text(last.gap),
            blockers: why::blocker_names(sc, &last.blockers),
            proposal: why::proposal_text(sc, last),
            deal: last.proposal.as_ref().is_some_and(|p| p.deal),
            positions,
            zone_chart,
            gap_chart,
        })
    }
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

pub fn routes() -> axum::Router<Arc<App>> {
    axum::Router::new()
        .route("/class", get(|| async { Html(assets::CLASS) }))
        .route("/join", get(|| async { Html(assets::JOIN) }))
        .route("/api/class/parties", get(parties))
        .route("/api/class/join", post(join))
        .route("/api/class/student/{id}", get(student))
        .route("/api/class/student/{id}/submit", post(submit))
        .route("/api/class/teacher", get(teacher))
        .route("/api/class/teacher/settings", post(settings))
        .route("/api/class/teacher/{action}", post(act))
}

fn room(app: &App) -> Result<&Room, PageError> {
    app.class.as_ref().ok_or_else(|| {
        PageError::new(
            StatusCode::NOT_FOUND,
            None,
            "this server plays no class; start it with `zopa serve --class SCENARIO`".into(),
        )
    })
}

/// What every page may know: the parties, seats taken, the round.
fn public(room: &Room, c: &Class) -> serde_json::Value {
    let sc = room.sc();
    let parties: Vec<serde_json::Value> = sc
        .parties
        .iter()
        .enumerate()
        .map(|(p, party)| {
            let taken = c.students.iter().filter(|s| s.party == p).count();
            serde_json::json!({
                "id": party.id, "name": party.name,
                "colour": format!("#{:02x}{:02x}{:02x}", party.colour[0], party.colour[1], party.colour[2]),
                "seats": c.seats[p], "taken": taken,
            })
        })
        .collect();
    serde_json::json!({
        "title": sc.title, "description": sc.description,
        "step_unit": sc.step_unit, "steps": sc.steps,
        "round": c.round, "rounds": c.rounds, "revealed": c.revealed,
        "round_step": room.round_step(c.round, c.rounds),
        "finished": c.revealed && c.round == c.rounds,
        "allow_ideal": c.allow_ideal,
        "parties": parties,
        "history": c.history,
    })
}

async fn parties(State(app): State<Arc<App>>) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let c = room.lock();
    Json(public(room, &c)).into_response()
}

#[derive(Deserialize)]
struct JoinAsk {
    code: String,
    name: String,
    party: String,
}

async fn join(State(app): State<Arc<App>>, Json(ask): Json<JoinAsk>) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let bad =
        |path: &str, m: String| refuse(StatusCode::UNPROCESSABLE_ENTITY, Some(path.into()), m);
    if !same(
        ask.code.trim().to_uppercase().as_bytes(),
        room.code.as_bytes(),
    ) {
        return bad(
            "code",
            "that is not this class's join code; it is on the projector".into(),
        );
    }
    let name = ask.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return bad(
            "name",
            format!("a name of 1 to {MAX_NAME} characters, please"),
        );
    }
    let Some(p) = room.sc().party_index(&ask.party) else {
        return bad("party", format!("no party `{}` in this game", ask.party));
    };
    let mut c = room.lock();
    if c.students.len() >= MAX_STUDENTS {
        return bad(
            "name",
            format!("the class is full ({MAX_STUDENTS} students)"),
        );
    }
    let taken = c.students.iter().filter(|s| s.party == p).count() as u32;
    if taken >= c.seats[p] {
        return bad(
            "party",
            format!(
                "{}'s seats are all taken; pick another party",
                room.sc().parties[p].name
            ),
        );
    }
    let id = secret(12);
    c.students.push(Student {
        id: id.clone(),
        name: name.to_string(),
        party: p,
        values: Vec::new(),
        submitted_in: 0,
    });
    Json(serde_json::json!({ "student": id })).into_response()
}

/// A student's own page: the public state, their party and fields, and
/// their own values, never anyone else's.
async fn student(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let c = room.lock();
    let s = match c.student(&id) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let mut fields = room.fields(s.party, c.allow_ideal);
    for f in &mut fields {
        if let Some((_, v)) = s.values.iter().find(|(k, _)| *k == f.path) {
            f.value = Value::Number(*v);
        }
    }
    Json(serde_json::json!({
        "class": public(room, &c),
        "name": s.name,
        "party": room.sc().parties[s.party].name,
        "fields": fields,
        "submitted": s.submitted_in == c.round,
        "submitted_in": s.submitted_in,
    }))
    .into_response()
}

async fn submit(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Json(edits): Json<Vec<Edit>>,
) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let (party, allow_ideal, revealed) = {
        let c = room.lock();
        let s = match c.student(&id) {
            Ok(s) => s,
            Err(r) => return r.into_response(),
        };
        (s.party, c.allow_ideal, c.revealed)
    };
    if revealed {
        return refuse(
            StatusCode::CONFLICT,
            None,
            "this round is revealed; wait for the next round to revise".into(),
        );
    }
    let fields = room.fields(party, allow_ideal);
    let mut values = Vec::new();
    for e in &edits {
        let ok = fields.iter().any(|f| f.path == e.path);
        let Value::Number(v) = e.value else {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(e.path.clone()),
                "a number, please".into(),
            );
        };
        if !ok {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(e.path.clone()),
                "your party cannot set this field".into(),
            );
        }
        values.push((e.path.clone(), v));
    }
    // The same validation as a scenario file, with only this student's values.
    if let Err(r) = explore::variant(&room.entry, &edits, room.seed) {
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(r)).into_response();
    }
    let mut c = room.lock();
    let round = c.round;
    if let Some(s) = c.students.iter_mut().find(|s| s.id == id) {
        s.values = values;
        s.submitted_in = round;
    }
    Json(serde_json::json!({ "submitted": true, "round": round })).into_response()
}

/// The projector's view: who has submitted, never what, until a reveal.
async fn teacher(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    if let Err(r) = room.teacher(&headers) {
        return r.into_response();
    }
    let c = room.lock();
    let members: Vec<serde_json::Value> = c
        .students
        .iter()
        .map(|s| {
            serde_json::json!({
                "name": s.name,
                "party": room.sc().parties[s.party].id,
                "submitted": s.submitted_in == c.round,
            })
        })
        .collect();
    let secrets: Option<Vec<serde_json::Value>> = c.secrets_shown.then(|| {
        c.students
            .iter()
            .map(|s| {
                let fields = room.fields(s.party, c.allow_ideal);
                let values: Vec<String> = s.values.iter().map(|(k, v)| {
                    let f = fields.iter().find(|f| f.path == *k);
                    format!("{}: {} {}", f.map_or(k.as_str(), |f| f.label.as_str()), report::value(*v), f.map_or("", |f| f.unit.as_str()))
                }).collect();
                serde_json::json!({ "name": s.name, "party": room.sc().parties[s.party].name, "values": values })
            })
            .collect()
    });
    Json(serde_json::json!({
        "class": public(room, &c),
        "code": room.code,
        "join_base": room.join_base.get(),
        "students": members,
        "secrets": secrets,
    }))
    .into_response()
}

#[derive(Deserialize)]
struct Settings {
    seats: Vec<u32>,
    allow_ideal: bool,
    rounds: u32,
}

async fn settings(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(s): Json<Settings>,
) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    if let Err(r) = room.teacher(&headers) {
        return r.into_response();
    }
    let bad =
        |path: &str, m: String| refuse(StatusCode::UNPROCESSABLE_ENTITY, Some(path.into()), m);
    let mut c = room.lock();
    if !c.history.is_empty() {
        return bad(
            "rounds",
            "the game has started; settings are fixed until the server restarts".into(),
        );
    }
    if s.seats.len() != c.seats.len() || s.seats.iter().any(|&n| n > MAX_STUDENTS as u32) {
        return bad(
            "seats",
            format!("one seat count per party, each 0 to {MAX_STUDENTS}"),
        );
    }
    let steps = room.sc().steps;
    if !(1..=steps.min(20)).contains(&s.rounds) {
        return bad("rounds", format!("rounds must be 1 to {}", steps.min(20)));
    }
    for (p, &n) in s.seats.iter().enumerate() {
        let taken = c.students.iter().filter(|st| st.party == p).count() as u32;
        if n < taken {
            return bad(
                "seats",
                format!("{} already has {taken} students", room.sc().parties[p].name),
            );
        }
    }
    if c.allow_ideal && !s.allow_ideal {
        // Values of fields no longer allowed are dropped.
        let allowed: Vec<Vec<String>> = (0..c.seats.len())
            .map(|p| room.fields(p, false).into_iter().map(|f| f.path).collect())
            .collect();
        for st in &mut c.students {
            st.values.retain(|(k, _)| allowed[st.party].contains(k));
        }
    }
    c.seats = s.seats;
    c.allow_ideal = s.allow_ideal;
    c.rounds = s.rounds;
    c.round = c.round.min(s.rounds);
    Json(public(room, &c)).into_response()
}

/// Reveal, next round, show secrets.
async fn act(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(action): Path<String>,
    // Read, though unused: a body left unread makes the connection close
    // under the response, and a client can lose the response's end.
    _body: axum::body::Bytes,
) -> Response {
    if let Err(r) = perform(&app, &headers, &action) {
        return r.into_response();
    }
    teacher(State(app), headers).await
}

fn perform(app: &App, headers: &HeaderMap, action: &str) -> Result<(), PageError> {
    let room = room(app)?;
    room.teacher(headers)?;
    let conflict = |m: &str| PageError::new(StatusCode::CONFLICT, None, m.into());
    let mut c = room.lock();
    match action {
        "reveal" if c.revealed => return Err(conflict("this round is already revealed")),
        "reveal" => {
            let result = room
                .reveal(&c)
                .map_err(|r| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, r.path, r.message))?;
            c.history.push(result);
            c.revealed = true;
        }
        "next" if !c.revealed => return Err(conflict("reveal this round first")),
        "next" if c.round >= c.rounds => return Err(conflict("that was the last round")),
        "next" => {
            c.round += 1;
            c.revealed = false;
        }
        "secrets" if !(c.revealed && c.round == c.rounds) => {
            return Err(conflict(
                "the secrets are shown after the last round is revealed",
            ));
        }
        "secrets" => c.secrets_shown = true,
        other => {
            return Err(PageError::new(
                StatusCode::NOT_FOUND,
                None,
                format!("no teacher action `{other}`"),
            ));
        }
    }
    Ok(())
}
