//! The classroom server's speed, measured over HTTP on loopback against the
//! release binary: from a control change (a run request) to the complete
//! response carrying all four redrawn charts, for every bundled scenario;
//! and a class of 40, then of 200 students each submitting 20 changes at
//! once.
//!
//! `cargo bench --bench serve`

use std::time::Instant;

use serde_json::{Value, json};

#[path = "../tests/support/server.rs"]
mod support;
use support::Server;

fn post(agent: &ureq::Agent, url: &str, body: &Value) -> Value {
    let mut r = agent.post(url).send_json(body).unwrap();
    assert_eq!(r.status().as_u16(), 200);
    serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap()
}

fn get(agent: &ureq::Agent, url: &str) -> Value {
    let text = agent.get(url).call().unwrap().body_mut().read_to_string();
    serde_json::from_str(&text.unwrap()).unwrap()
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

/// Moves the page's first number control (the first party's bar, or the
/// first knob where its archetype reads no bar) up from its value and back,
/// as a slider dragged back and forth, and times each full response.
fn control_changes(s: &Server, agent: &ureq::Agent) {
    let list = get(agent, &s.url("/api/scenarios"));
    println!("control change -> all four charts redrawn (60 changes each, after 5 warm-up)");
    println!(
        "{:<28} {:>9} {:>9} {:>9}",
        "scenario", "p50 ms", "p95 ms", "max ms"
    );
    let mut worst: f64 = 0.0;
    for sc in list["scenarios"].as_array().unwrap() {
        let slug = sc["slug"].as_str().unwrap();
        let url = format!("{}/api/scenarios/{slug}", s.base);
        let desc = get(agent, &url);
        let bar = (desc["controls"].as_array().unwrap().iter())
            .find(|c| c["kind"] == "number")
            .unwrap_or_else(|| panic!("{slug} has no number control"));
        // From the value as written upwards: a bar below its floor is refused.
        let (low, high) = (
            bar["value"].as_f64().unwrap(),
            bar["high"].as_f64().unwrap(),
        );
        let path = bar["path"].as_str().unwrap();
        let mut times = Vec::new();
        for i in 0..65 {
            let x = low + (high - low) * f64::from(i % 20) / 19.0;
            let ask = json!({"seed": 1, "edits": [{"path": path, "value": x}]});
            let t = Instant::now();
            let v = post(agent, &format!("{url}/run"), &ask);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            assert!(v["charts"]["zone"].as_str().unwrap().starts_with("<svg"));
            if i >= 5 {
                times.push(ms);
            }
        }
        times.sort_by(f64::total_cmp);
        let p95 = percentile(&times, 0.95);
        worst = worst.max(p95);
        println!(
            "{slug:<28} {:>9.1} {p95:>9.1} {:>9.1}",
            percentile(&times, 0.5),
            times[times.len() - 1]
        );
    }
    println!("worst p95: {worst:.1} ms (target: under 100 ms)");
}

/// Joins a student, waiting out the per-address join limit (every bench
/// student comes from 127.0.0.1, as no classroom's phones do).
fn join(agent: &ureq::Agent, s: &Server, name: &str, party: &str) -> String {
    let code = s.code.clone().unwrap();
    loop {
        let mut r = agent
            .post(s.url("/api/class/join"))
            .send_json(json!({"code": code, "name": name, "party": party}))
            .unwrap();
        let text = r.body_mut().read_to_string().unwrap();
        match r.status().as_u16() {
            200 => {
                let v: Value = serde_json::from_str(&text).unwrap();
                return v["student"].as_str().unwrap().to_string();
            }
            429 => std::thread::sleep(std::time::Duration::from_millis(260)),
            other => panic!("join: {other} {text}"),
        }
    }
}

/// `students` students, spread over the four parties, each submit their
/// bar `changes` times as fast as the server answers, all at once; then
/// the teacher reveals. Returns the p95 of a submission in ms.
fn class_round(students: usize, changes: usize) -> f64 {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/budapest-cancelled.toml"
    );
    let s = Server::start(&["--class", scenario]);
    let token = s.teacher.clone().unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let parties = ["usa", "russia", "ukraine", "europe"];
    let ids: Vec<(String, &str)> = (0..students)
        .map(|i| {
            let p = parties[i % 4];
            (join(&agent, &s, &format!("s{i}"), p), p)
        })
        .collect();
    let errors = std::sync::atomic::AtomicUsize::new(0);
    let times = std::sync::Mutex::new(Vec::new());
    let t = Instant::now();
    std::thread::scope(|scope| {
        for (n, (id, party)) in ids.iter().enumerate() {
            let (agent, base, errors, times) = (agent.clone(), s.base.clone(), &errors, &times);
            scope.spawn(move || {
                for k in 0..changes {
                    // Settlements on the front issue, in % of Ukraine.
                    let x = 2.0 + ((n + k) % 20) as f64 * 0.5;
                    let body = json!([{"path": format!("parties.{party}.settlement"), "value": x}]);
                    let start = Instant::now();
                    let r = agent
                        .post(format!("{base}/api/class/student/{id}/submit"))
                        .send_json(&body);
                    let ms = start.elapsed().as_secs_f64() * 1e3;
                    match r {
                        Ok(mut r) if r.status().as_u16() == 200 => {
                            let _ = r.body_mut().read_to_string();
                            times.lock().unwrap().push(ms);
                        }
                        _ => {
                            errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    let wall = t.elapsed().as_secs_f64();
    let mut times = times.into_inner().unwrap();
    times.sort_by(f64::total_cmp);
    let t = Instant::now();
    let mut r = agent
        .post(s.url("/api/class/teacher/reveal"))
        .header("X-Zopa-Token", &token)
        .send_json(json!({}))
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let _ = r.body_mut().read_to_string();
    let reveal = t.elapsed().as_secs_f64() * 1e3;
    let p95 = percentile(&times, 0.95);
    println!(
        "class: {students} students x {changes} changes at once: {} submissions in {wall:.1} s, {} errors; p50 {:.1} ms, p95 {p95:.1} ms, max {:.1} ms; the reveal {reveal:.0} ms",
        times.len(),
        errors.load(std::sync::atomic::Ordering::Relaxed),
        percentile(&times, 0.5),
        times[times.len() - 1],
    );
    p95
}

fn main() {
    let s = Server::start(&[]);
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    control_changes(&s, &agent);
    let p95 = class_round(40, 20);
    println!("40 students: p95 {p95:.1} ms (target: under 50 ms)");
    let p95 = class_round(200, 20);
    println!("200 students: p95 {p95:.1} ms (target: under 150 ms)");
}
