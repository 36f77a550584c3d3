//! Class play over HTTP: the pages, the polls (small: a round's charts
//! live at their own address with an ETag), joining (rate-limited per
//! client address), submitting and the teacher's actions.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zopa::scenario::edit::Edit;

use zopa::model::Target;

use super::play::{Class, Given, Mix};
use super::{MAX_NAME, MAX_STUDENTS, Room, Seat, card, same, secret};
use crate::serve::{App, PageError, assets, refuse};

pub fn routes() -> axum::Router<Arc<App>> {
    axum::Router::new()
        .route("/class", get(|| async { Html(assets::CLASS) }))
        .route("/join", get(|| async { Html(assets::JOIN) }))
        .route("/api/class/parties", get(parties))
        .route("/api/class/join", post(join))
        .route("/api/class/join.svg", get(join_qr))
        .route("/api/class/round/{round}", get(round))
        .route("/api/class/round/{round}/{chart}", get(round_chart))
        .route("/api/class/student/{id}", get(student))
        .route("/api/class/student/{id}/submit", post(submit))
        .route("/api/class/teacher", get(teacher))
        .route("/api/class/teacher/settings", post(settings))
        .route("/api/class/teacher/remove", post(remove))
        .route("/api/class/teacher/reset", post(reset))
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

fn unknown() -> PageError {
    let message = "unknown student; join again with the code".to_string();
    PageError::new(StatusCode::NOT_FOUND, None, message)
}

/// A round's heading: "Round 1: week 13". A scenario that counts its own
/// steps in rounds would read "Round 1: round 0", two rounds that are not
/// the same: the class's and the scenario's are then named apart.
fn heading(round: u32, step_unit: &str, step: u32) -> String {
    if step_unit.eq_ignore_ascii_case("round") {
        format!("Class round {round}: scenario {step_unit} {step}")
    } else {
        format!("Round {round}: {step_unit} {step}")
    }
}

/// A revealed round as any page may see it: the verdict, the sentences,
/// the positions played, and where its charts are.
fn round_view(r: &super::RoundResult) -> serde_json::Value {
    serde_json::json!({
        "round": r.round, "step": r.step, "step_unit": r.step_unit,
        "heading": heading(r.round, &r.step_unit, r.step),
        "zone": r.zone, "why": r.why, "gap": r.gap, "blockers": r.blockers,
        "proposal": r.proposal, "deal": r.deal, "positions": r.positions,
        "zone_chart": format!("/api/class/round/{}/zone.svg", r.round),
        "gap_chart": format!("/api/class/round/{}/gap.svg", r.round),
    })
}

/// What every page may know: the parties, seats taken, the round, each
/// revealed round in one line, and the current round's result in full.
fn public(room: &Room, c: &Class) -> serde_json::Value {
    let sc = room.sc();
    let parties: Vec<serde_json::Value> = sc
        .parties
        .iter()
        .enumerate()
        .map(|(p, party)| {
            serde_json::json!({
                "id": party.id, "name": party.name,
                "colour": format!("#{:02x}{:02x}{:02x}", party.colour[0], party.colour[1], party.colour[2]),
                "seats": c.seats[p], "any": c.seats[p] as usize >= MAX_STUDENTS,
                "taken": c.seated(p),
            })
        })
        .collect();
    let history: Vec<serde_json::Value> = c
        .history
        .iter()
        .map(|r| serde_json::json!({"round": r.round, "heading": heading(r.round, &r.step_unit, r.step), "zone": r.zone, "deal": r.deal}))
        .collect();
    let step = room.round_step(c.round, c.rounds);
    let result = c.history.last().filter(|_| c.revealed).map(round_view);
    serde_json::json!({
        "title": sc.title, "description": sc.description,
        "step_unit": sc.step_unit, "steps": sc.steps,
        "round": c.round, "rounds": c.rounds, "revealed": c.revealed,
        "round_step": step, "heading": heading(c.round, &sc.step_unit, step),
        "finished": c.finished(),
        "allow_ideal": c.allow_ideal,
        "parties": parties,
        "history": history,
        "result": result,
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

/// A response the browser may keep and ask again about with its ETag.
fn cached(headers: &HeaderMap, body: String, kind: &'static str) -> Response {
    let tag = format!("\"{}\"", zopa::output::fingerprint(body.as_bytes()));
    let seen = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let common = [
        (header::ETAG, tag),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    if seen {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, [(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn round(State(app): State<Arc<App>>, Path(n): Path<u32>, headers: HeaderMap) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let view = room
        .lock()
        .history
        .iter()
        .find(|r| r.round == n)
        .map(round_view);
    match view {
        Some(v) => cached(&headers, v.to_string(), "application/json"),
        None => refuse(
            StatusCode::NOT_FOUND,
            None,
            format!("round {n} is not revealed"),
        ),
    }
}

async fn round_chart(
    State(app): State<Arc<App>>,
    Path((n, chart)): Path<(u32, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = room(&app) {
        return r.into_response();
    }
    // Drawn again after a restart: off the async threads.
    let worker = app.clone();
    let charts =
        tokio::task::spawn_blocking(move || worker.class.as_ref().and_then(|r| r.round_charts(n)))
            .await
            .ok()
            .flatten();
    let svg = match (charts, chart.as_str()) {
        (Some(c), "zone.svg") => c.zone,
        (Some(c), "gap.svg") => c.gap,
        _ => {
            return refuse(
                StatusCode::NOT_FOUND,
                None,
                format!("no chart {chart} of round {n}"),
            );
        }
    };
    cached(&headers, svg, "image/svg+xml")
}

/// The join address as a QR code, for phones to scan off the projector.
async fn join_qr(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let Some((base, _)) = room.join_base.get() else {
        return refuse(StatusCode::NOT_FOUND, None, "no join address yet".into());
    };
    match crate::serve::qr::svg(&format!("{base}/join")) {
        Some(svg) => cached(&headers, svg, "image/svg+xml"),
        None => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            "the address is too long for a QR code".into(),
        ),
    }
}

#[derive(Deserialize)]
struct JoinAsk {
    code: String,
    name: String,
    party: String,
}

async fn join(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(ask): Json<JoinAsk>,
) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let bad =
        |path: &str, m: String| refuse(StatusCode::UNPROCESSABLE_ENTITY, Some(path.into()), m);
    if let Err(wait) = app.limits.joins.take(peer.ip()) {
        return slow_down("joins", wait);
    }
    if !same(
        ask.code.trim().to_uppercase().as_bytes(),
        room.code.as_bytes(),
    ) {
        if let Err(wait) = app.limits.guesses.take(peer.ip()) {
            return slow_down("wrong codes", wait);
        }
        return bad(
            "code",
            "that is not this class's join code; it is on the projector".into(),
        );
    }
    let name = card::clean_name(&ask.name, MAX_NAME);
    if name.is_empty() {
        return bad("name", format!("a name of 1 to {MAX_NAME} letters, please"));
    }
    let Some(p) = room.sc().party_index(&ask.party) else {
        return bad("party", format!("no party `{}` in this game", ask.party));
    };
    let seated = match seat(room, p, name) {
        Ok(done) => done,
        Err(r) => return r.into_response(),
    };
    room.saved(seated.saving).await;
    Json(serde_json::json!({ "student": seated.id, "name": seated.name })).into_response()
}

/// A student just seated: their secret id and the name the class sees.
struct Seated {
    id: String,
    name: String,
    saving: super::Saving,
}

/// Seats a student at party `p` under the room's lock.
fn seat(room: &Room, p: usize, name: String) -> Result<Seated, PageError> {
    let bad = |path: &str, m: String| {
        PageError::new(StatusCode::UNPROCESSABLE_ENTITY, Some(path.into()), m)
    };
    let mut c = room.lock();
    if c.students.len() >= MAX_STUDENTS {
        return Err(bad(
            "name",
            format!("the class is full ({MAX_STUDENTS} students)"),
        ));
    }
    if c.seated(p) as u32 >= c.seats[p] {
        let party = &room.sc().parties[p].name;
        return Err(bad(
            "party",
            format!("{party}'s seats are all taken; pick another party"),
        ));
    }
    let name = distinct(&c, name);
    let id = secret(12);
    let key = c.next_key;
    c.next_key += 1;
    c.students.push(super::play::Student {
        id: id.clone(),
        key,
        name: name.clone(),
        party: p,
        values: Vec::new(),
        submitted_in: 0,
        order: 0,
        played: Vec::new(),
    });
    Ok(Seated {
        id,
        name,
        saving: room.save(&c),
    })
}

/// `name`, or "name (2)", "name (3)"... if it is taken.
fn distinct(c: &Class, name: String) -> String {
    let taken = |n: &str| c.students.iter().any(|s| s.name.eq_ignore_ascii_case(n));
    if !taken(&name) {
        return name;
    }
    (2..)
        .map(|k| format!("{name} ({k})"))
        .find(|n| !taken(n))
        .unwrap_or(name)
}

fn slow_down(what: &str, wait: std::time::Duration) -> Response {
    let secs = wait.as_secs().max(1);
    let message = format!("too many {what} from this device; try again in {secs} s");
    let mut r = refuse(StatusCode::TOO_MANY_REQUESTS, None, message);
    if let Ok(v) = secs.to_string().parse() {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// A student's own page: the public state, their party's role card and
/// fields, their own values, never anyone else's.
async fn student(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let c = room.lock();
    let Some(s) = c
        .students
        .iter()
        .find(|s| same(s.id.as_bytes(), id.as_bytes()))
    else {
        return unknown().into_response();
    };
    let open = c.open_round();
    // The last reveal left this student's values out when it played none
    // of what they had submitted for it. The reason stays the teacher's:
    // it may name what classmates set.
    let last = c.history.last().map(|r| r.round);
    let left_out_of =
        last.filter(|&r| s.submitted_in == r && s.played.is_empty() && !s.values.is_empty());
    Json(serde_json::json!({
        "class": public(room, &c),
        "name": s.name,
        "left_out_of": left_out_of,
        "party": room.sc().parties[s.party].name,
        "party_id": room.sc().parties[s.party].id,
        "card": role_card(room, s.party),
        "fields": room.phone_fields(s.party, c.allow_ideal, &s.values),
        "submitted": open.is_some_and(|r| s.submitted_in == r),
        "submitted_in": s.submitted_in,
        "open_round": open,
    }))
    .into_response()
}

/// A party's brief: its goal, red lines and ideal in units, and the
/// article's lines behind them, as the scenario file gives them.
pub(super) fn role_card(room: &Room, p: usize) -> serde_json::Value {
    let sc = room.sc();
    let party = &sc.parties[p];
    let lines: Vec<String> = room
        .fields(p, false)
        .iter()
        .filter(|f| matches!(f.seat, Seat::Model(Target::RedLine { .. })))
        .map(|f| card::sentence(sc, p, f.seat, card::number(&f.control)).line)
        .collect();
    let ideal: Vec<String> = sc
        .issues
        .iter()
        .enumerate()
        .map(|(issue, i)| {
            let seat = Seat::Model(Target::Ideal { party: p, issue });
            let v = party.ideal[issue].clamp(i.min, i.max);
            card::sentence(sc, p, seat, v).line
        })
        .collect();
    let quotes = card::quotes(&room.entry.text, room.entry.source.as_deref(), &party.id, 4);
    serde_json::json!({
        "party": party.name,
        "goal": format!("{} {}", party.name, party.goal_text()),
        "red_lines": lines,
        "ideal": ideal,
        "quotes": quotes,
        // A bloc's rule and members, to read: no student moves a member.
        "bloc": zopa::text::bloc_line(sc, p),
    })
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
    let app2 = app.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let room = app2.class.as_ref().ok_or_else(unknown)?;
        check(room, &id, &edits).map(|values| (id, values))
    })
    .await;
    let (id, values) = match checked {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return e.into_response(),
        Err(e) => {
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                format!("the check failed: {e}"),
            );
        }
    };
    let (open, saving) = match store(room, &id, values) {
        Ok(done) => done,
        Err(r) => return r.into_response(),
    };
    room.saved(saving).await;
    Json(serde_json::json!({ "submitted": true, "round": open })).into_response()
}

/// Keeps a checked submission for the round open now: under the same lock
/// as a reveal, so it is either played by this round or counts for the next.
fn store(room: &Room, id: &str, values: Vec<Given>) -> Result<(u32, super::Saving), PageError> {
    let mut c = room.lock();
    let Some(open) = c.open_round() else {
        return Err(PageError::new(
            StatusCode::CONFLICT,
            None,
            "the last round is revealed: the game is over".into(),
        ));
    };
    c.submissions += 1;
    let order = c.submissions;
    let Some(s) = c
        .students
        .iter_mut()
        .find(|s| same(s.id.as_bytes(), id.as_bytes()))
    else {
        return Err(unknown());
    };
    s.values = values;
    s.submitted_in = open;
    s.order = order;
    Ok((open, room.save(&c)))
}

/// A submission checked as the reveal would play it: alone against the
/// file's rules, then within the class's combined position. Refusals never
/// carry a classmate's number.
fn check(room: &Room, id: &str, edits: &[Edit]) -> Result<Vec<Given>, PageError> {
    let find = |c: &Class| {
        c.students
            .iter()
            .position(|s| same(s.id.as_bytes(), id.as_bytes()))
            .ok_or_else(unknown)
    };
    let (values, with, party) = {
        let c = room.lock();
        let i = find(&c)?;
        let s = &c.students[i];
        let values = room.to_model(s.party, c.allow_ideal, &s.values, edits)?;
        let mix = Mix {
            include: &|_| true,
            replace: Some((i, &values)),
        };
        (values.clone(), room.combine(&c, &mix).0, s.party)
    };
    // A refusal of the bar names the control the phone shows for it.
    let settlement = format!(
        "parties.{}.{}",
        room.sc().parties[party].id,
        card::SETTLEMENT
    );
    let bar = room
        .fields(party, false)
        .into_iter()
        .find(|f| f.is_bar())
        .map(|f| f.control.path);
    let shown_as = |p: String| {
        let as_settlement = bar.as_ref() == Some(&p) && edits.iter().any(|e| e.path == settlement);
        if as_settlement { settlement.clone() } else { p }
    };
    let unplayable = |r: super::explore::Refusal| {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            r.path.map(shown_as),
            r.message,
        )
    };
    room.plays(&values).map_err(unplayable)?;
    if room.playable(&with) {
        return Ok(values);
    }
    // Not this student's doing if the class cannot be played without them
    // either: the reveal will leave someone out, and says whom.
    let without = {
        let c = room.lock();
        let i = find(&c)?;
        let others = Mix {
            include: &|j| j != i,
            replace: None,
        };
        room.combine(&c, &others).0
    };
    if room.playable(&without) {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            "these values pass on their own but not within your party's combined position (the median the reveal plays), so the reveal would leave them out; move them nearer your party's starting values".into(),
        ));
    }
    Ok(values)
}

/// The projector's view: who has joined and submitted, never what, until
/// a reveal; the secrets after the last round.
async fn teacher(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let room = match room(&app) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    if let Err(r) = room.teacher(&headers) {
        return r.into_response();
    }
    let c = room.lock();
    let open = c.open_round();
    let members: Vec<serde_json::Value> = c
        .students
        .iter()
        .map(|s| {
            serde_json::json!({
                "key": s.key, "name": s.name,
                "party": room.sc().parties[s.party].id,
                "submitted": open.is_some_and(|r| s.submitted_in == r),
            })
        })
        .collect();
    let (base, reachable) = room.join_base.get().cloned().unwrap_or_default();
    let left_out = c
        .history
        .last()
        .filter(|_| c.revealed)
        .map(|r| r.left_out.clone())
        .unwrap_or_default();
    Json(serde_json::json!({
        "class": public(room, &c),
        "code": room.code,
        "join": {"url": format!("{base}/join"), "reachable": reachable},
        "students": members,
        "left_out": left_out,
        "secrets": c.secrets_shown.then(|| secrets(room, &c)),
    }))
    .into_response()
}

/// What each student set, as the last round played it: a bar with its
/// settlement, an option by its name, no unit where the field has none.
fn secrets(room: &Room, c: &Class) -> Vec<serde_json::Value> {
    let sc = room.sc();
    c.students
        .iter()
        .map(|s| {
            let fields = room.fields(s.party, true);
            let values: Vec<String> = s
                .played
                .iter()
                .filter_map(|g| {
                    let f = fields.iter().find(|f| f.seat == g.seat)?;
                    let bar = f
                        .is_bar()
                        .then(|| card::bar_position(sc, s.party, g.value))
                        .flatten();
                    let discrete = card::issue_of(sc, g.seat).filter(|i| i.is_discrete());
                    let shown = match (bar, discrete) {
                        (Some(bar), _) => bar,
                        (None, Some(issue)) => card::issue_amount(issue, g.value),
                        (None, None) => format!(
                            "{}{}",
                            zopa::text::value(g.value),
                            card::unit_suffix(&f.control.unit)
                        ),
                    };
                    Some(format!("{}: {shown}", f.control.label))
                })
                .collect();
            serde_json::json!({ "name": s.name, "party": sc.parties[s.party].name, "values": values })
        })
        .collect()
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
    match apply_settings(&app, &headers, s) {
        Ok((v, saving)) => {
            if let Some(room) = &app.class {
                room.saved(saving).await;
            }
            Json(v).into_response()
        }
        Err(e) => e.into_response(),
    }
}

fn apply_settings(
    app: &App,
    headers: &HeaderMap,
    s: Settings,
) -> Result<(serde_json::Value, super::Saving), PageError> {
    let room = room(app)?;
    room.teacher(headers)?;
    let bad = |path: &str, m: String| {
        PageError::new(StatusCode::UNPROCESSABLE_ENTITY, Some(path.into()), m)
    };
    let mut c = room.lock();
    if !c.history.is_empty() {
        return Err(bad(
            "rounds",
            "the game has started; settings are fixed for this class".into(),
        ));
    }
    if s.seats.len() != c.seats.len() || s.seats.iter().any(|&n| n > MAX_STUDENTS as u32) {
        return Err(bad(
            "seats",
            format!("one seat count per party, each 0 to {MAX_STUDENTS}"),
        ));
    }
    let steps = room.sc().steps;
    if !(1..=steps.min(20)).contains(&s.rounds) {
        return Err(bad(
            "rounds",
            format!("rounds must be 1 to {}", steps.min(20)),
        ));
    }
    for (p, &n) in s.seats.iter().enumerate() {
        let taken = c.seated(p) as u32;
        if n < taken {
            let party = &room.sc().parties[p].name;
            return Err(bad(
                "seats",
                format!("{party} already has {taken} students"),
            ));
        }
    }
    if c.allow_ideal && !s.allow_ideal {
        // Values of fields no longer allowed are dropped.
        let allowed: Vec<Vec<Seat>> = (0..c.seats.len())
            .map(|p| room.fields(p, false).into_iter().map(|f| f.seat).collect())
            .collect();
        for st in &mut c.students {
            st.values.retain(|g| allowed[st.party].contains(&g.seat));
        }
    }
    c.seats = s.seats;
    c.allow_ideal = s.allow_ideal;
    c.rounds = s.rounds;
    c.round = c.round.min(s.rounds);
    Ok((public(room, &c), room.save(&c)))
}

#[derive(Deserialize)]
struct Someone {
    student: u32,
}

async fn remove(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(w): Json<Someone>,
) -> Response {
    match on_student(&app, &headers, w.student, true) {
        Ok(saving) => saved(&app, saving).await,
        Err(e) => return e.into_response(),
    }
    teacher(State(app), headers).await
}

async fn reset(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(w): Json<Someone>,
) -> Response {
    match on_student(&app, &headers, w.student, false) {
        Ok(saving) => saved(&app, saving).await,
        Err(e) => return e.into_response(),
    }
    teacher(State(app), headers).await
}

/// Removes a student from the class, or clears their values.
fn on_student(
    app: &App,
    headers: &HeaderMap,
    key: u32,
    remove: bool,
) -> Result<super::Saving, PageError> {
    let room = room(app)?;
    room.teacher(headers)?;
    let mut c = room.lock();
    let Some(i) = c.students.iter().position(|s| s.key == key) else {
        return Err(PageError::new(
            StatusCode::NOT_FOUND,
            Some("student".into()),
            format!("no student {key} in this class"),
        ));
    };
    if remove {
        c.students.remove(i);
    } else {
        let s = &mut c.students[i];
        s.values.clear();
        s.submitted_in = 0;
    }
    Ok(room.save(&c))
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
    let (app2, h2) = (app.clone(), headers.clone());
    let done = tokio::task::spawn_blocking(move || perform(&app2, &h2, &action)).await;
    match done {
        Ok(Ok(saving)) => {
            saved(&app, saving).await;
            teacher(State(app), headers).await
        }
        Ok(Err(r)) => r.into_response(),
        Err(e) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            format!("the action failed: {e}"),
        ),
    }
}

fn perform(app: &App, headers: &HeaderMap, action: &str) -> Result<super::Saving, PageError> {
    let room = room(app)?;
    room.teacher(headers)?;
    let conflict = |m: &str| PageError::new(StatusCode::CONFLICT, None, m.into());
    let mut c = room.lock();
    match action {
        "reveal" if c.revealed => return Err(conflict("this round is already revealed")),
        "reveal" => room
            .reveal(&mut c)
            .map_err(|r| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, r.path, r.message))?,
        "next" if !c.revealed => return Err(conflict("reveal this round first")),
        "next" if c.round >= c.rounds => return Err(conflict("that was the last round")),
        "next" => {
            c.round += 1;
            c.revealed = false;
        }
        "secrets" if !c.finished() => {
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
    Ok(room.save(&c))
}

/// Waits until a change is on disk, if the class is saved at all.
async fn saved(app: &App, saving: super::Saving) {
    if let Some(room) = &app.class {
        room.saved(saving).await;
    }
}

#[cfg(test)]
mod tests {
    use super::heading;

    #[test]
    fn a_scenario_counted_in_rounds_names_the_class_round_apart_from_its_own() {
        assert_eq!(heading(1, "week", 13), "Round 1: week 13");
        assert_eq!(heading(1, "round", 0), "Class round 1: scenario round 0");
    }
}
