//! `zopa serve`: the classroom page on a local web server.
//!
//! The HTTP layer only: routes, limits ([`guard`], [`listen`]), and moving
//! the work (runs, charts, Monte Carlo) off the async threads. What a page
//! shows is built in [`explore`] and [`class`] from the same library calls
//! as the commands.

mod book;
pub mod class;
pub mod explore;
mod guard;
mod listen;
mod qr;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::error::{CliError, ServeError};
use book::Entry;
use explore::{Ask, Refusal};

/// The largest request body: a page's edits are a few kilobytes.
pub const BODY_LIMIT: usize = 64 * 1024;
/// The most runs one Monte Carlo button press may ask for.
pub const MAX_RUNS: u64 = 200_000;
/// Monte Carlo jobs kept for their pages to collect.
const KEPT_JOBS: usize = 16;
/// Monte Carlo jobs running at once: more would only queue for the cores
/// and slow every page.
const RUNNING_JOBS: usize = 2;

pub struct App {
    pub entries: Vec<Entry>,
    jobs: Mutex<HashMap<u64, Arc<McJob>>>,
    next_job: AtomicU64,
    /// Worker threads for Monte Carlo: all cores but one, so the pages stay
    /// quick while it runs.
    mc_threads: usize,
    /// Monte Carlo jobs running now: a job counts from its start until its
    /// thread ends, whether it finished or was cancelled.
    running: AtomicUsize,
    /// Set when the server stops: every running job gives up.
    stopping: AtomicBool,
    pub class: Option<class::Room>,
    limits: guard::Limits,
}

impl App {
    fn entry(&self, slug: &str) -> Result<&Entry, PageError> {
        self.entries.iter().find(|e| e.slug == slug).ok_or_else(|| {
            let known: Vec<&str> = self.entries.iter().map(|e| e.slug.as_str()).collect();
            PageError::new(
                StatusCode::NOT_FOUND,
                None,
                format!(
                    "no scenario `{slug}` here; this server offers {}",
                    known.join(", ")
                ),
            )
        })
    }
}

/// A JSON refusal the page shows beside the control at fault.
pub fn refuse(status: StatusCode, path: Option<String>, message: String) -> Response {
    PageError::new(status, path, message).into_response()
}

/// A request refused: the status and what the page shows.
#[derive(Debug)]
pub struct PageError(StatusCode, Refusal);

impl PageError {
    pub fn new(status: StatusCode, path: Option<String>, message: String) -> PageError {
        PageError(status, Refusal { path, message })
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

fn refused(r: Refusal) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(r)).into_response()
}

/// What `zopa serve` is asked to do.
#[derive(Clone, Debug)]
pub struct Config {
    /// The files to offer; none for the bundled scenarios.
    pub scenarios: Vec<std::path::PathBuf>,
    pub port: u16,
    pub host: IpAddr,
    /// The scenario of a class game, if one is played.
    pub class: Option<std::path::PathBuf>,
    /// Where a class game is written down as it goes, to resume it.
    pub state: Option<std::path::PathBuf>,
    pub seed: u64,
    pub quiet: bool,
}

/// Builds the app from the command's configuration (reading every scenario
/// first), binds, prints the address and serves until Ctrl-C or SIGTERM;
/// a class played with `--state` is written down as it goes.
pub fn main(args: Config) -> Result<(), CliError> {
    let entries = book::load(&args.scenarios, args.quiet)?;
    let class = match &args.class {
        Some(path) => {
            let mut room = book::load(std::slice::from_ref(path), args.quiet)?;
            let state = args.state.as_deref();
            let opened = class::Room::open(room.remove(0), args.seed, state);
            Some(opened.map_err(|reason| ServeError::State {
                path: state.map(|p| p.to_path_buf()).unwrap_or_default(),
                reason,
            })?)
        }
        None => None,
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let app = Arc::new(App {
        entries,
        jobs: Mutex::new(HashMap::new()),
        next_job: AtomicU64::new(1),
        mc_threads: cores.saturating_sub(1).max(1),
        running: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        class,
        limits: guard::Limits::default(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime {
            reason: e.to_string(),
        })?;
    let served = runtime.block_on(serve(
        app.clone(),
        SocketAddr::new(args.host, args.port),
        args.quiet,
    ));
    // Jobs still running give up at their next chunk; nobody waits for them.
    app.stopping.store(true, Ordering::Relaxed);
    runtime.shutdown_timeout(std::time::Duration::from_millis(300));
    if let Some(room) = &app.class {
        room.close();
    }
    if served.is_ok() && !args.quiet {
        eprintln!("zopa serve: stopped");
    }
    served
}

async fn serve(app: Arc<App>, addr: SocketAddr, quiet: bool) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServeError::Bind {
            addr,
            reason: e.to_string(),
        })?;
    let bound = listener.local_addr().map_err(|e| ServeError::Bind {
        addr,
        reason: e.to_string(),
    })?;
    let shared = announce(&app, bound, quiet);
    let any_address = bound.ip().is_unspecified();
    let hosts = Arc::new(guard::Hosts::new(bound.port(), shared, any_address));
    let stopping = app.clone();
    listen::serve(listener, router(app, hosts), async move {
        listen::stop_signal().await;
        stopping.stopping.store(true, Ordering::Relaxed);
    })
    .await;
    Ok(())
}

/// What the teacher's terminal shows: where the pages are, and the secrets
/// that only this terminal ever prints. Returns the network address other
/// machines use, if the server listens beyond loopback.
fn announce(app: &App, bound: SocketAddr, quiet: bool) -> Option<IpAddr> {
    let port = bound.port();
    let local = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let base = format!("http://{local}:{port}");
    // The address line is printed even when quiet: tests and scripts read it.
    println!("zopa serve: listening on {base}/ (Ctrl-C stops)");
    // What other machines type: this machine's address on the network.
    let mut shared = base.clone();
    let mut seen = None;
    if !bound.ip().is_loopback() {
        seen = if bound.ip().is_unspecified() {
            network_address()
        } else {
            Some(bound.ip())
        };
        if let Some(ip) = seen {
            shared = format!("http://{}", SocketAddr::new(ip, port));
        }
        let guard = if app.class.is_some() {
            "students need the join code, and teacher actions the token printed here"
        } else {
            "the pages only read the scenarios given at start"
        };
        eprintln!(
            "warning: listening on {}, so other machines on this network can open these pages ({shared}/); {guard}",
            bound.ip()
        );
    }
    if let Some(room) = &app.class {
        room.set_join_base(&shared, seen.is_some());
        println!(
            "class play: teacher page {base}/class?token={}",
            room.token()
        );
        println!(
            "class play: students open {shared}/join and enter the code {}",
            room.code()
        );
        if !quiet {
            if let Some(resumed) = room.resumed() {
                eprintln!("class play: resumed the saved class ({resumed})");
            }
            if let Some(file) = room.state_file() {
                eprintln!("class play: saved to {} after every change", file.display());
            }
        }
    }
    if !quiet {
        for e in &app.entries {
            println!("  {base}/explore/{}  {}", e.slug, e.scenario.title);
        }
    }
    seen
}

/// This machine's address on its network, as the route out of it shows
/// (a UDP socket only picks the route; nothing is sent).
fn network_address() -> Option<IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

fn router(app: Arc<App>, hosts: Arc<guard::Hosts>) -> axum::Router {
    use tower_http::compression::CompressionLayer;
    axum::Router::new()
        .route("/", get(index))
        .route("/explore/{slug}", get(|| async { Html(assets::EXPLORE) }))
        .route("/assets/{file}", get(asset))
        .route("/api/scenarios", get(list))
        .route("/api/scenarios/{slug}", get(describe))
        .route("/api/scenarios/{slug}/run", post(run))
        .route("/api/scenarios/{slug}/scenario.toml", post(download))
        .route("/api/scenarios/{slug}/timeline.csv", post(timeline))
        .route("/api/scenarios/{slug}/mc", post(mc_start))
        .route("/api/mc/{id}", get(mc_poll))
        .merge(class::routes())
        // Reads every body whole, within its time and `BODY_LIMIT`, before
        // a page's extractor sees it.
        .layer(axum::middleware::from_fn(listen::whole_body))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(hosts, guard::gate))
        .with_state(app)
}

pub mod assets {
    //! Every file a page needs, compiled in: the pages work offline.
    pub const EXPLORE: &str = include_str!("page/explore.html");
    pub const INDEX: &str = include_str!("page/index.html");
    pub const CLASS: &str = include_str!("page/class.html");
    pub const JOIN: &str = include_str!("page/join.html");
    pub const STYLE: &str = include_str!("page/style.css");
    pub const COMMON: &str = include_str!("page/common.js");
    pub const EXPLORE_JS: &str = include_str!("page/explore.js");
    pub const CLASS_JS: &str = include_str!("page/class.js");
    pub const JOIN_JS: &str = include_str!("page/join.js");
}

async fn index() -> Html<&'static str> {
    Html(assets::INDEX)
}

async fn asset(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "style.css" => (assets::STYLE, "text/css; charset=utf-8"),
        "common.js" => (assets::COMMON, "text/javascript; charset=utf-8"),
        "explore.js" => (assets::EXPLORE_JS, "text/javascript; charset=utf-8"),
        "class.js" => (assets::CLASS_JS, "text/javascript; charset=utf-8"),
        "join.js" => (assets::JOIN_JS, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn list(State(app): State<Arc<App>>) -> Response {
    let items: Vec<serde_json::Value> = app
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "slug": e.slug,
                "title": e.scenario.title,
                "description": e.scenario.description,
            })
        })
        .collect();
    Json(serde_json::json!({ "scenarios": items, "class": app.class.is_some() })).into_response()
}

async fn describe(State(app): State<Arc<App>>, Path(slug): Path<String>) -> Response {
    let e = match app.entry(&slug) {
        Ok(e) => e,
        Err(r) => return r.into_response(),
    };
    let sc = &e.scenario;
    Json(serde_json::json!({
        "slug": e.slug,
        "title": sc.title,
        "description": sc.description,
        "steps": sc.steps,
        "step_unit": sc.step_unit,
        "controls": zopa::scenario::edit::controls(sc),
    }))
    .into_response()
}

/// Runs `work` on a blocking thread with the entry named by `slug`.
async fn with_entry<T: Send + 'static>(
    app: Arc<App>,
    slug: String,
    work: impl FnOnce(&Entry) -> Result<T, Refusal> + Send + 'static,
) -> Result<T, PageError> {
    app.entry(&slug)?;
    let result = tokio::task::spawn_blocking(move || {
        let entry = app.entry(&slug).map_err(|_| Refusal {
            path: None,
            message: "gone".into(),
        })?;
        work(entry)
    })
    .await;
    match result {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(r)) => Err(PageError(StatusCode::UNPROCESSABLE_ENTITY, r)),
        Err(e) => Err(PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            format!("the run failed: {e}"),
        )),
    }
}

async fn run(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
    Json(ask): Json<Ask>,
) -> Response {
    match with_entry(app, slug, move |e| explore::view(e, &ask)).await {
        Ok(view) => Json(view).into_response(),
        Err(r) => r.into_response(),
    }
}

async fn download(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
    Json(ask): Json<Ask>,
) -> Response {
    let name = slug.clone();
    match with_entry(app, slug, move |e| {
        explore::variant(e, &ask.edits, ask.seed)
    })
    .await
    {
        Ok(v) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/toml; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}-variant.toml\""),
                ),
            ],
            v.text,
        )
            .into_response(),
        Err(r) => r.into_response(),
    }
}

async fn timeline(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
    Json(ask): Json<Ask>,
) -> Response {
    match with_entry(app, slug, move |e| explore::timeline(e, &ask)).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"timeline.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(r) => r.into_response(),
    }
}

/// A Monte Carlo run in the background, polled by its page.
struct McJob {
    runs: u64,
    done: AtomicU64,
    result: OnceLock<serde_json::Value>,
    /// Set when the job is dropped from the kept list: it stops at its
    /// next chunk of runs.
    cancelled: AtomicBool,
}

/// How a cancelled job leaves the library's pool: an unwinding that no
/// panic hook reports, caught where the job was started.
struct Cancelled;

/// The job's progress counter, which also stops the job once it is
/// cancelled or the server stops.
struct Watch<'a> {
    job: &'a McJob,
    stopping: &'a AtomicBool,
}

impl zopa::mc::Progress for Watch<'_> {
    fn advance(&self, runs: u64) {
        self.job.done.fetch_add(runs, Ordering::Relaxed);
        if self.job.cancelled.load(Ordering::Relaxed) || self.stopping.load(Ordering::Relaxed) {
            std::panic::resume_unwind(Box::new(Cancelled));
        }
    }
}

/// One place among the running jobs, held by the job's thread and given
/// back when it ends, however it ends.
struct Running(Arc<App>);

impl Running {
    /// Takes a place, unless [`RUNNING_JOBS`] are running already.
    fn take(app: &Arc<App>) -> Result<Running, usize> {
        app.running
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < RUNNING_JOBS).then_some(n + 1)
            })
            .map(|_| Running(app.clone()))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Deserialize)]
struct McAsk {
    #[serde(flatten)]
    ask: Ask,
    runs: u64,
}

async fn mc_start(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
    Json(m): Json<McAsk>,
) -> Response {
    if !(1..=MAX_RUNS).contains(&m.runs) {
        let message = format!("runs must be 1 to {MAX_RUNS}; {} was asked", m.runs);
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("runs".into()),
            message,
        );
    }
    let variant = {
        let e = match app.entry(&slug) {
            Ok(e) => e,
            Err(r) => return r.into_response(),
        };
        match explore::variant(e, &m.ask.edits, m.ask.seed) {
            Ok(v) => v,
            Err(r) => return refused(r),
        }
    };
    let place = match Running::take(&app) {
        Ok(place) => place,
        Err(running) => {
            let message =
                format!("{running} Monte Carlo runs are going already; wait for one to finish");
            return refuse(StatusCode::TOO_MANY_REQUESTS, Some("runs".into()), message);
        }
    };
    let id = app.next_job.fetch_add(1, Ordering::Relaxed);
    let job = Arc::new(McJob {
        runs: m.runs,
        done: AtomicU64::new(0),
        result: OnceLock::new(),
        cancelled: AtomicBool::new(false),
    });
    keep(&app, id, job.clone());
    tokio::task::spawn_blocking(move || {
        let worker = &place.0;
        let watch = Watch {
            job: &job,
            stopping: &worker.stopping,
        };
        let sc = &variant.scenario;
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            zopa::mc::simulate(sc, m.ask.seed, m.runs, worker.mc_threads, &watch)
        }));
        let Ok(tally) = ran else { return };
        let chart =
            zopa::chart::svg(&zopa::chart::mc::McProbability(sc, &tally)).unwrap_or_default();
        let n = tally.runs.max(1) as f64;
        let _ = job.result.set(serde_json::json!({
            "chart": chart,
            "p_zone_ever": tally.zone_by.last().copied().unwrap_or(0) as f64 / n,
            "p_deal": tally.deals() as f64 / n,
        }));
    });
    Json(serde_json::json!({ "job": id, "runs": m.runs })).into_response()
}

/// Keeps `job` for its page to poll; past [`KEPT_JOBS`] the oldest is
/// dropped, and cancelled if it still runs.
fn keep(app: &App, id: u64, job: Arc<McJob>) {
    let mut jobs = app.jobs.lock().unwrap_or_else(|p| p.into_inner());
    if jobs.len() >= KEPT_JOBS {
        let finished = jobs
            .iter()
            .filter(|(_, j)| j.result.get().is_some())
            .map(|(&k, _)| k)
            .min();
        let oldest = finished.or_else(|| jobs.keys().min().copied());
        if let Some(old) = oldest.and_then(|k| jobs.remove(&k)) {
            old.cancelled.store(true, Ordering::Relaxed);
        }
    }
    jobs.insert(id, job);
}

async fn mc_poll(State(app): State<Arc<App>>, Path(id): Path<u64>) -> Response {
    let job = app
        .jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
        .cloned();
    let Some(job) = job else {
        return refuse(
            StatusCode::NOT_FOUND,
            None,
            format!("no Monte Carlo job {id}"),
        );
    };
    Json(serde_json::json!({
        "runs": job.runs,
        "done": job.done.load(Ordering::Relaxed).min(job.runs),
        "result": job.result.get(),
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> Arc<App> {
        Arc::new(App {
            entries: Vec::new(),
            jobs: Mutex::new(HashMap::new()),
            next_job: AtomicU64::new(1),
            mc_threads: 1,
            running: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
            class: None,
            limits: guard::Limits::default(),
        })
    }

    fn job(runs: u64) -> Arc<McJob> {
        Arc::new(McJob {
            runs,
            done: AtomicU64::new(0),
            result: OnceLock::new(),
            cancelled: AtomicBool::new(false),
        })
    }

    #[test]
    fn a_job_dropped_from_the_kept_list_is_cancelled_and_finished_ones_go_first() {
        let app = app();
        let kept: Vec<Arc<McJob>> = (0..KEPT_JOBS as u64).map(|_| job(1)).collect();
        for (id, j) in kept.iter().enumerate() {
            keep(&app, id as u64, j.clone());
        }
        // Job 5 has finished: it goes before the older running ones.
        let _ = kept[5].result.set(serde_json::json!({}));
        keep(&app, 100, job(1));
        assert!(!app.jobs.lock().unwrap().contains_key(&5));
        let running = kept.iter().filter(|j| j.result.get().is_none());
        assert!(
            running
                .map(|j| j.cancelled.load(Ordering::Relaxed))
                .all(|c| !c)
        );
        // With none finished, the oldest running job is dropped and cancelled.
        keep(&app, 101, job(1));
        assert!(!app.jobs.lock().unwrap().contains_key(&0));
        assert!(kept[0].cancelled.load(Ordering::Relaxed));
    }

    #[test]
    fn no_more_than_two_jobs_hold_a_place_and_a_place_comes_back_when_dropped() {
        let app = app();
        let first = Running::take(&app).unwrap();
        let _second = Running::take(&app).unwrap();
        assert_eq!(Running::take(&app).err(), Some(RUNNING_JOBS));
        drop(first);
        assert!(Running::take(&app).is_ok());
        assert_eq!(app.running.load(Ordering::Relaxed), RUNNING_JOBS - 1);
    }

    #[test]
    fn a_cancelled_job_stops_the_librarys_pool_at_its_next_chunk() {
        let text = include_str!("../../scenarios/textbook.toml");
        let sc =
            zopa::scenario::parse(std::path::Path::new("textbook.toml"), text.to_string()).unwrap();
        let j = job(1_000_000);
        j.cancelled.store(true, Ordering::Relaxed);
        let stopping = AtomicBool::new(false);
        let watch = Watch {
            job: &j,
            stopping: &stopping,
        };
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            zopa::mc::simulate(&sc, 1, j.runs, 2, &watch)
        }));
        assert!(ran.is_err());
        assert!(j.done.load(Ordering::Relaxed) < j.runs / 10);
    }
}
