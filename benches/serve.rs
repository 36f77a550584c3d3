//! The classroom server's speed, measured over HTTP on loopback against the
//! release binary: from a control change (a run request) to the complete
//! response carrying all four redrawn charts, for every bundled scenario;
//! and one class round of 40 students submitting at once.
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

/// Moves the first party's bar up from its value and back, as a slider dragged back and
/// forth, and times each full response.
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
        let bar = &desc["controls"][0];
        // From the bar as written upwards: a bar below its floor is refused.
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

/// 40 students, 10 per party, submit their bars and red lines at once.
fn class_round() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/budapest-cancelled.toml"
    );
    let s = Server::start(&["--class", scenario]);
    let token = s.teacher.clone().unwrap();
    let code = s.code.clone().unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let seats = json!({"seats": [10, 10, 10, 10], "allow_ideal": false, "rounds": 4});
    agent
        .post(s.url("/api/class/teacher/settings"))
        .header("X-Zopa-Token", &token)
        .send_json(&seats)
        .unwrap();
    let parties = ["usa", "russia", "ukraine", "europe"];
    let ids: Vec<(String, &str)> = (0..40)
        .map(|i| {
            let p = parties[i % 4];
            let r = post(
                &agent,
                &s.url("/api/class/join"),
                &json!({"code": code, "name": format!("s{i}"), "party": p}),
            );
            (r["student"].as_str().unwrap().to_string(), p)
        })
        .collect();
    let mut rounds = Vec::new();
    for round in 0..5 {
        let t = Instant::now();
        std::thread::scope(|scope| {
            for (n, (id, party)) in ids.iter().enumerate() {
                let (agent, base) = (agent.clone(), s.base.clone());
                scope.spawn(move || {
                    let bar = 0.35 + 0.01 * ((n + round) % 25) as f64;
                    let body =
                        json!([{"path": format!("parties.{party}.reservation"), "value": bar}]);
                    post(
                        &agent,
                        &format!("{base}/api/class/student/{id}/submit"),
                        &body,
                    );
                });
            }
        });
        rounds.push(t.elapsed().as_secs_f64() * 1e3);
    }
    rounds.sort_by(f64::total_cmp);
    let t = Instant::now();
    let mut r = agent
        .post(s.url("/api/class/teacher/reveal"))
        .header("X-Zopa-Token", &token)
        .send_json(json!({}))
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let _ = r.body_mut().read_to_string();
    let reveal = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "class round: 40 students submitting at once, 5 rounds: median {:.0} ms, slowest {:.0} ms (target: under 1 s); the reveal {reveal:.0} ms",
        rounds[2], rounds[4]
    );
}

fn main() {
    let s = Server::start(&[]);
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    control_changes(&s, &agent);
    class_round();
}
