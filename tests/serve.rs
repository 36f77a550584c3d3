//! `zopa serve` over real HTTP on 127.0.0.1: the explore API, the download
//! that reproduces a page, the limits (one client may not hold the others
//! off), and class play's secrets.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/replay.rs"]
mod replay;
#[path = "support/server.rs"]
mod support;
use support::Server;

/// Requests as the pages make them.
trait Pages {
    fn get(&self, path: &str) -> (u16, String);
    fn post(&self, path: &str, body: &Value) -> (u16, String);
    fn teacher(&self, action: &str) -> (u16, String);
}

impl Pages for Server {
    fn get(&self, path: &str) -> (u16, String) {
        send(agent().get(self.url(path)).call())
    }

    fn post(&self, path: &str, body: &Value) -> (u16, String) {
        send(agent().post(self.url(path)).send_json(body))
    }

    fn teacher(&self, action: &str) -> (u16, String) {
        let token = self.teacher.as_deref().unwrap();
        let r = if action.is_empty() {
            agent()
                .get(self.url("/api/class/teacher"))
                .header("X-Zopa-Token", token)
                .call()
        } else {
            agent()
                .post(self.url(&format!("/api/class/teacher/{action}")))
                .header("X-Zopa-Token", token)
                .send_json(json!({}))
        };
        send(r)
    }
}

fn send(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, String) {
    {
        match r {
            Ok(mut resp) => (
                resp.status().as_u16(),
                resp.body_mut().read_to_string().unwrap(),
            ),
            Err(ureq::Error::StatusCode(code)) => (code, String::new()),
            Err(e) => panic!("{e}"),
        }
    }
}

/// ureq reads error bodies only when asked; these tests want them.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn post(s: &Server, path: &str, body: &Value) -> (u16, Value) {
    let mut r = agent().post(s.url(path)).send_json(body).unwrap();
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A bundled scenario with some fields set, as the library reads it.
fn variant(name: &str, set: &[(&str, f64)]) -> zopa::model::Scenario {
    let mut sc = zopa::scenario::load(&scenario(name)).unwrap();
    for (path, value) in set {
        let a = zopa::model::Assignment {
            path: path.to_string(),
            value: zopa::model::Setting::Number(*value),
        };
        sc.assign(&a).unwrap();
    }
    sc
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"))
}

#[test]
fn without_arguments_it_offers_every_bundled_scenario() {
    let s = Server::start(&[]);
    let (status, body) = s.get("/api/scenarios");
    assert_eq!(status, 200);
    let listed = json(&body)["scenarios"].as_array().unwrap().len();
    let on_disk = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    assert_eq!(listed, on_disk);
    let (status, page) = s.get("/explore/budapest-cancelled");
    assert_eq!(status, 200);
    assert!(page.contains("/assets/explore.js"));
    // Every asset the page names is served from the binary.
    for asset in [
        "style.css",
        "common.js",
        "explore.js",
        "class.js",
        "join.js",
    ] {
        let (status, body) = s.get(&format!("/assets/{asset}"));
        assert_eq!(status, 200, "{asset}");
        assert!(body.len() > 100, "{asset}");
    }
}

#[test]
fn moving_russias_breaking_pressure_and_bar_opens_the_zone() {
    let s = Server::start(&[scenario("budapest-cancelled").to_str().unwrap()]);
    let (status, base) = post(
        &s,
        "/api/scenarios/budapest-cancelled/run",
        &json!({"seed": 1}),
    );
    assert_eq!(status, 200, "{base}");
    assert_eq!(base["outcome"], "no zone ever appeared");
    let edits = json!([
        {"path": "parties.ukraine.red_lines.territory.max", "value": 0.0},
        {"path": "parties.russia.breaking_pressure", "value": 0.3},
        {"path": "parties.russia.reservation", "value": 0.5}
    ]);
    let (_, opened) = post(
        &s,
        "/api/scenarios/budapest-cancelled/run",
        &json!({"seed": 1, "edits": edits}),
    );
    assert_ne!(opened["outcome"], "no zone ever appeared", "{opened}");
    assert_eq!(opened["changes"].as_array().unwrap().len(), 3);
    // Russia's new bar said in units: territory within (1 - 0.5) / w of its
    // ideal (30, the top of the range), the other issues at its ideal.
    let sc0 = zopa::scenario::load(&scenario("budapest-cancelled")).unwrap();
    let russia = &sc0.parties[sc0.party_index("russia").unwrap()];
    let w = russia.weight[sc0.front_issue];
    let least = 30.0 - (1.0 - 0.5) / w * sc0.issues[sc0.front_issue].range();
    let change = (opened["changes"].as_array().unwrap().iter())
        .find(|c| c["path"] == "parties.russia.reservation")
        .unwrap();
    // Half its weight on territory: a bar of 0.5 reaches the whole range.
    let met = if least <= 0.0 {
        "any territory".to_string()
    } else {
        format!("territory of at least {least:.2} % of Ukraine")
    };
    assert_eq!(
        change["units"],
        format!(" (met by {met}, other issues at its ideal)")
    );
    for c in opened["changes"].as_array().unwrap() {
        if c["path"] != "parties.russia.reservation" {
            assert_eq!(c["units"], "", "{c}");
        }
    }
    // The page's numbers are the library's for the same variant.
    let sc = variant(
        "budapest-cancelled",
        &[
            ("parties.ukraine.red_lines.territory.max", 0.0),
            ("parties.russia.breaking_pressure", 0.3),
            ("parties.russia.reservation", 0.5),
        ],
    );
    let tl = zopa::sim::run(&sc, 1);
    let facts = zopa::facts::Facts::of(&sc, &tl);
    assert_eq!(opened["outcome"], facts.outcome.label());
    assert_eq!(opened["first_zone"], facts.first_zone_text(&sc.step_unit));
    // The verdict and the why line are about the step the page looks at.
    let at = opened["at"].as_u64().unwrap() as usize;
    assert_eq!(at as u32, facts.telling_step());
    assert_eq!(opened["zone_at"], tl.steps[at].zone_exists());
    let why = format!("week {at}: {}", zopa::why::zone_text(&sc, &tl.steps[at]));
    assert_eq!(opened["why"], why);
    for chart in ["zone", "gap", "issues", "outcome"] {
        let svg = opened["charts"][chart].as_str().unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
        assert_ne!(
            svg,
            base["charts"][chart].as_str().unwrap(),
            "{chart} was not redrawn"
        );
    }
}

#[test]
fn a_bad_value_gets_a_message_naming_the_control_and_the_server_keeps_running() {
    let s = Server::start(&[scenario("textbook").to_str().unwrap()]);
    let bad = json!({"edits": [{"path": "parties.seller.reservation", "value": 1.7}]});
    let (status, r) = post(&s, "/api/scenarios/textbook/run", &bad);
    assert_eq!(status, 422);
    assert_eq!(r["path"], "parties.seller.reservation");
    assert!(r["message"].as_str().unwrap().contains("0 to 1"), "{r}");
    // Refused by the file's own rules: no party would have a veto left.
    let no_veto = json!({"edits": [
        {"path": "parties.seller.veto", "value": false},
        {"path": "parties.buyer.veto", "value": false}
    ]});
    let (status, r) = post(&s, "/api/scenarios/textbook/run", &no_veto);
    assert_eq!(status, 422);
    assert!(r["message"].as_str().unwrap().contains("veto"), "{r}");
    let (status, r) = post(&s, "/api/scenarios/textbook/run", &json!({"at": 99}));
    assert_eq!((status, r["path"].as_str()), (422, Some("at")));
    let (status, r) = post(&s, "/api/scenarios/nowhere/run", &json!({}));
    assert_eq!(status, 404);
    assert!(r["message"].as_str().unwrap().contains("textbook"), "{r}");
    // Bodies are size-limited, and no path reaches the file system.
    let huge = json!({"edits": [{"path": "x".repeat(100_000), "value": 1.0}]});
    assert_eq!(post(&s, "/api/scenarios/textbook/run", &huge).0, 413);
    for path in [
        "/assets/..%2F..%2FCargo.toml",
        "/assets/../Cargo.toml",
        "/scenarios/textbook.toml",
    ] {
        let (status, body) = s.get(path);
        assert!(
            status == 404 || !body.contains("[package]"),
            "{path}: {status}"
        );
    }
    let (status, _) = post(&s, "/api/scenarios/textbook/run", &json!({}));
    assert_eq!(status, 200, "still serving");
}

/// Edits of every kind the page makes, for a scenario.
fn many_edits(name: &str) -> Value {
    match name {
        "budapest-cancelled" => json!([
            {"path": "parties.ukraine.red_lines.territory.max", "value": 1.5},
            {"path": "parties.russia.weights.territory", "value": 0.3},
            {"path": "parties.europe.veto", "value": false},
            {"path": "events.offensive.probability", "value": 0.9},
            {"path": "events.3.enabled", "value": false},
            {"path": "world.pressure", "value": 0.6},
            {"path": "mediator.protocol", "value": "alternating_offers"},
            {"path": "parties.usa.deadline", "value": 12}
        ]),
        _ => json!([
            {"path": "parties.seller.reservation", "value": 0.55},
            {"path": "parties.buyer.ideal.price", "value": 1.25},
            {"path": "mediator.learning", "value": false},
            {"path": "mediator.perception_noise", "value": 0.3}
        ]),
    }
}

#[test]
fn the_downloaded_scenario_reproduces_the_pages_timeline_byte_for_byte() {
    let s = Server::start(&[]);
    for (name, seed) in [("budapest-cancelled", 4), ("textbook", 9)] {
        let ask = json!({"seed": seed, "edits": many_edits(name)});
        let (status, toml) = s.post(&format!("/api/scenarios/{name}/scenario.toml"), &ask);
        assert_eq!(status, 200);
        assert!(toml.contains(&format!("--seed {seed}")), "{toml}");
        assert!(toml.contains("changed on the page"));
        let (_, page_csv) = s.post(&format!("/api/scenarios/{name}/timeline.csv"), &ask);
        let (_, view) = post(&s, &format!("/api/scenarios/{name}/run"), &ask);
        let cli_csv = replay::timeline_of(&toml, seed);
        assert_eq!(cli_csv, page_csv, "{name}");
        // The edits are in the downloaded file's text, not `--set` values:
        // the provenance line names the scenario and seed, and no variant.
        let first = page_csv.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!(
                r#"# zopa {{"command":"run","scenario":"{name}","seed":{seed},"runs":1,"variant":[]}}"#
            ),
            "{name}"
        );
        assert_eq!(
            view["timeline_hash"],
            zopa::output::fingerprint(cli_csv.as_bytes()),
            "{name}"
        );
        assert_eq!(
            view["changes"].as_array().unwrap().len(),
            many_edits(name).as_array().unwrap().len()
        );
    }
}

#[test]
fn monte_carlo_reports_progress_and_the_libraries_probabilities() {
    let s = Server::start(&[scenario("freeze-the-front").to_str().unwrap()]);
    let (status, job) = post(
        &s,
        "/api/scenarios/freeze-the-front/mc",
        &json!({"seed": 5, "runs": 3000}),
    );
    assert_eq!(status, 200, "{job}");
    let id = job["job"].as_u64().unwrap();
    let result = loop {
        let (_, body) = s.get(&format!("/api/mc/{id}"));
        let poll = json(&body);
        assert!(poll["done"].as_u64().unwrap() <= 3000);
        if !poll["result"].is_null() {
            assert_eq!(poll["done"], 3000);
            break poll["result"].clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let sc = zopa::scenario::load(&scenario("freeze-the-front")).unwrap();
    let t = zopa::mc::simulate(&sc, 5, 3000, 1, &zopa::mc::Silent);
    let zone = *t.zone_by.last().unwrap() as f64 / 3000.0;
    assert_eq!(result["p_zone_ever"].as_f64().unwrap(), zone);
    assert_eq!(
        result["p_deal"].as_f64().unwrap(),
        t.deals() as f64 / 3000.0
    );
    assert!(result["chart"].as_str().unwrap().starts_with("<svg"));
    let (status, r) = post(
        &s,
        "/api/scenarios/freeze-the-front/mc",
        &json!({"runs": 0}),
    );
    assert_eq!((status, r["path"].as_str()), (422, Some("runs")));
}

fn join(s: &Server, name: &str, party: &str) -> String {
    let code = s.code.clone().unwrap();
    let (status, r) = post(
        s,
        "/api/class/join",
        &json!({"code": code, "name": name, "party": party}),
    );
    assert_eq!(status, 200, "{r}");
    r["student"].as_str().unwrap().to_string()
}

#[test]
fn a_students_secret_reaches_no_other_page_before_the_reveal() {
    let s = Server::start(&[
        "--class",
        scenario("textbook").to_str().unwrap(),
        "--seed",
        "3",
    ]);
    let (status, r) = post(
        &s,
        "/api/class/join",
        &json!({"code": "WRONG1", "name": "Ann", "party": "seller"}),
    );
    assert_eq!((status, r["path"].as_str()), (422, Some("code")));
    // Any number of seats per party by default; the teacher sets one each.
    let seats = json!({"seats": [1, 1], "allow_ideal": false, "rounds": 4});
    let r = agent()
        .post(s.url("/api/class/teacher/settings"))
        .header("X-Zopa-Token", s.teacher.as_deref().unwrap())
        .send_json(&seats)
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let ann = join(&s, "Ann", "seller");
    let bob = join(&s, "Bob", "buyer");
    let code = s.code.clone().unwrap();
    let (status, r) = post(
        &s,
        "/api/class/join",
        &json!({"code": code, "name": "Cy", "party": "seller"}),
    );
    assert_eq!((status, r["path"].as_str()), (422, Some("party")));
    // Ann's secret: a bar no page has any other reason to print.
    let secret = json!([{"path": "parties.seller.reservation", "value": 0.4173}]);
    let (status, _) = post(&s, &format!("/api/class/student/{ann}/submit"), &secret);
    assert_eq!(status, 200);
    let bobs = json!([{"path": "parties.buyer.reservation", "value": 0.2}]);
    assert_eq!(
        post(&s, &format!("/api/class/student/{bob}/submit"), &bobs).0,
        200
    );
    // A field of another party, or out of range, is refused.
    let theirs = json!([{"path": "parties.buyer.reservation", "value": 0.1}]);
    assert_eq!(
        post(&s, &format!("/api/class/student/{ann}/submit"), &theirs).0,
        422
    );
    let wild = json!([{"path": "parties.seller.reservation", "value": 4.0}]);
    assert_eq!(
        post(&s, &format!("/api/class/student/{ann}/submit"), &wild).0,
        422
    );
    let leaks = |body: &str| body.contains("0.4173") || body.contains("0.417");
    let (_, projector) = s.teacher("");
    assert!(
        !leaks(&projector),
        "the projector saw the secret: {projector}"
    );
    assert!(
        json(&projector)["students"]
            .as_array()
            .unwrap()
            .iter()
            .all(|st| st["submitted"] == true)
    );
    let (_, other) = s.get(&format!("/api/class/student/{bob}"));
    assert!(!leaks(&other), "another student saw the secret: {other}");
    let (_, public) = s.get("/api/class/parties");
    assert!(!leaks(&public));
    let (_, own) = s.get(&format!("/api/class/student/{ann}"));
    // A student sees their own value: the bar as a settlement, the
    // utility in small print.
    assert!(own.contains("its bar: 0.417 utility"), "{own}");
    // The card says the bar in the library's words, as the story and the
    // explore page do: the settlements that meet it, in thousand EUR.
    let sc = variant("textbook", &[]);
    let seller = sc.party_index("seller").unwrap();
    let ideal = &sc.parties[seller].ideal[..sc.issues.len()];
    let met = zopa::text::bar_settlement(&sc, seller, 0.4173, ideal).unwrap();
    assert_eq!(met.meets, zopa::text::BarMet::AtLeast(4.173));
    let said = zopa::text::bar_met(&sc, seller, 0.4173, ideal).unwrap();
    let card = &json(&own)["fields"][0];
    assert_eq!(card["path"], "parties.seller.settlement");
    assert_eq!(card["line"], format!("Seller's bar is {said}"));
    assert_eq!(
        card["line"],
        "Seller's bar is met by price of at least 4.17 thousand EUR"
    );
    // Teacher actions need the token.
    let (status, _) = post(&s, "/api/class/teacher/reveal", &json!({}));
    assert_eq!(status, 403);
    let (status, revealed) = s.teacher("reveal");
    assert_eq!(status, 200);
    assert!(leaks(&revealed), "the reveal shows the class's numbers");
    // The reveal is the library's run of the class's numbers.
    let r = &json(&revealed)["class"]["result"];
    assert_eq!(r["round"], 1);
    let sc = variant(
        "textbook",
        &[
            ("parties.seller.reservation", 0.4173),
            ("parties.buyer.reservation", 0.2),
        ],
    );
    let tl = zopa::sim::run(&sc, 3);
    let step = &tl.steps[0];
    assert_eq!(r["zone"], step.zone_exists());
    assert_eq!(r["why"], zopa::why::zone_text(&sc, step));
    assert_eq!(r["gap"], format!("{:+.4}", step.gap));
    // The proposal sentence, recomputed from the step's own record.
    let p = step.proposal.as_ref().unwrap();
    let proposal = r["proposal"].as_str().unwrap();
    assert!(proposal.starts_with("the mediator proposed "), "{proposal}");
    assert!(
        proposal.contains(&format!("price {:.2} thousand EUR", p.point[0])),
        "{proposal}"
    );
    let yes: Vec<&str> = p
        .accepted_by
        .iter()
        .map(|&q| sc.parties[q].name.as_str())
        .collect();
    let expected = match yes.as_slice() {
        [] => "nobody".to_string(),
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        _ => unreachable!("two parties"),
    };
    assert!(
        proposal.ends_with(&format!("accepted by {expected}")),
        "{proposal}"
    );
    assert_eq!(r["deal"], p.deal);
    let blockers = r["blockers"].as_str().unwrap();
    if step.blockers.is_empty() {
        assert_eq!(blockers, "nobody");
    } else {
        for b in &step.blockers {
            let named = format!("{} ({:.0}%)", sc.parties[b.party].name, 100.0 * b.share);
            assert!(blockers.contains(&named), "{blockers}");
        }
    }
    // The secrets come after the last round, on the teacher's click.
    assert_eq!(s.teacher("secrets").0, 409);
    // Round 2: both revise to bars that cannot meet; the reveal names the
    // blockers the library finds at the round's step.
    assert_eq!(s.teacher("next").0, 200);
    for (id, path, v) in [
        (&ann, "parties.seller.reservation", 0.8),
        (&bob, "parties.buyer.reservation", 0.5),
    ] {
        let body = json!([{"path": path, "value": v}]);
        assert_eq!(
            post(&s, &format!("/api/class/student/{id}/submit"), &body).0,
            200
        );
    }
    let (_, second) = s.teacher("reveal");
    let r2 = &json(&second)["class"]["result"];
    assert_eq!(r2["round"], 2);
    let sc2 = variant(
        "textbook",
        &[
            ("parties.seller.reservation", 0.8),
            ("parties.buyer.reservation", 0.5),
        ],
    );
    let step2 = &zopa::sim::run(&sc2, 3).steps[r2["step"].as_u64().unwrap() as usize];
    assert_eq!(r2["zone"], false);
    assert!(!step2.blockers.is_empty());
    for b in &step2.blockers {
        let named = format!("{} ({:.0}%)", sc2.parties[b.party].name, 100.0 * b.share);
        assert!(
            r2["blockers"].as_str().unwrap().contains(&named),
            "{}",
            r2["blockers"]
        );
    }
    assert_eq!(r2["gap"], format!("{:+.4}", step2.gap));
    let rounds = json(&revealed)["class"]["rounds"].as_u64().unwrap();
    for _ in 2..rounds {
        assert_eq!(s.teacher("next").0, 200);
        assert_eq!(s.teacher("reveal").0, 200);
    }
    let (status, end) = s.teacher("secrets");
    assert_eq!(status, 200);
    let secrets = &json(&end)["secrets"];
    assert_eq!(secrets.as_array().unwrap().len(), 2);
    // Each student's latest values, by name.
    assert!(secrets.to_string().contains("0.800") && secrets.to_string().contains("Ann"));
}

#[test]
fn forty_students_submitting_twenty_times_each_get_no_errors() {
    let s = Server::start(&["--class", scenario("budapest-cancelled").to_str().unwrap()]);
    let token = s.teacher.clone().unwrap();
    let seats = json!({"seats": [10, 10, 10, 10], "allow_ideal": true, "rounds": 4});
    let r = agent()
        .post(s.url("/api/class/teacher/settings"))
        .header("X-Zopa-Token", &token)
        .send_json(&seats)
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let parties = ["usa", "russia", "ukraine", "europe"];
    let ids: Vec<(String, &str)> = (0..40)
        .map(|i| {
            (
                join(&s, &format!("student {i}"), parties[i % 4]),
                parties[i % 4],
            )
        })
        .collect();
    let latencies = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for (n, (id, party)) in ids.iter().enumerate() {
            let (s, latencies) = (&s, &latencies);
            scope.spawn(move || {
                for k in 0..20 {
                    let bar = 0.35 + 0.01 * ((n + k) % 30) as f64;
                    let body =
                        json!([{"path": format!("parties.{party}.reservation"), "value": bar}]);
                    let t = std::time::Instant::now();
                    let (status, r) = post(s, &format!("/api/class/student/{id}/submit"), &body);
                    assert_eq!(status, 200, "{r}");
                    latencies
                        .lock()
                        .unwrap()
                        .push(t.elapsed().as_secs_f64() * 1e3);
                }
            });
        }
    });
    let mut l = latencies.into_inner().unwrap();
    assert_eq!(l.len(), 800);
    l.sort_by(f64::total_cmp);
    eprintln!(
        "800 submissions from 40 students: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        l[400], l[760], l[799]
    );
    let (_, projector) = s.teacher("");
    let students = json(&projector)["students"].as_array().unwrap().len();
    assert_eq!(students, 40);
    assert_eq!(s.teacher("reveal").0, 200);
}

#[test]
fn listening_beyond_loopback_warns_and_still_guards_the_teacher() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "serve", "--port", "0", "--quiet", "--host", "0.0.0.0", "--class",
        ])
        .arg(scenario("textbook"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = out.next().unwrap().unwrap();
    let warning = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    assert!(
        warning.starts_with("warning: listening on 0.0.0.0"),
        "{warning}"
    );
    assert!(
        warning.contains("join code") && warning.contains("token"),
        "{warning}"
    );
    let teacher_line = out.next().unwrap().unwrap();
    assert!(teacher_line.contains("token="));
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/');
    let r = agent()
        .get(format!("{base}/api/class/teacher"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = agent()
        .get(format!("{base}/api/class/teacher"))
        .header("X-Zopa-Token", "0".repeat(32))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_readmes_classroom_moves_do_what_it_says() {
    let s = Server::start(&[]);
    let run = |slug: &str, edits: Value| {
        let (status, v) = post(
            &s,
            &format!("/api/scenarios/{slug}/run"),
            &json!({"edits": edits}),
        );
        assert_eq!(status, 200, "{v}");
        v
    };
    let bp = json!({"path": "parties.russia.breaking_pressure", "value": 0.3});
    // Ukraine read the freeze way (the scenarios' variant): line 35 has it
    // refuse the current line, and then nothing opens.
    let uk = json!({"path": "parties.ukraine.red_lines.territory.max", "value": 0.0});
    assert_eq!(
        run("freeze-the-front", json!([bp]))["outcome"],
        "no zone ever appeared"
    );
    let freeze = run("freeze-the-front", json!([uk, bp]));
    assert_eq!(freeze["first_zone"], "week 1");
    assert!(
        freeze["summary"]
            .as_str()
            .unwrap()
            .contains("DEAL at week 14"),
        "{}",
        freeze["summary"]
    );
    let base = run("budapest-cancelled", json!([uk, bp]));
    assert_eq!(base["outcome"], "no zone ever appeared");
    for bar in [
        json!({"path": "parties.russia.reservation", "value": 0.5}),
        json!({"path": "parties.ukraine.reservation", "value": 0.3}),
    ] {
        let opened = run("budapest-cancelled", json!([uk, bp, bar]));
        assert_ne!(opened["outcome"], "no zone ever appeared", "{bar}");
    }
    let line = json!({"path": "parties.ukraine.red_lines.territory.max", "value": 3.0});
    assert_eq!(
        run("budapest-cancelled", json!([line]))["outcome"],
        "no zone ever appeared"
    );
}

#[test]
fn a_partys_position_is_the_median_of_its_students() {
    let s = Server::start(&["--class", scenario("textbook").to_str().unwrap()]);
    let token = s.teacher.clone().unwrap();
    let seats = json!({"seats": [3, 2], "allow_ideal": true, "rounds": 2});
    let r = agent()
        .post(s.url("/api/class/teacher/settings"))
        .header("X-Zopa-Token", &token)
        .send_json(&seats)
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    for (name, bar) in [("A", 0.3), ("B", 0.9), ("C", 0.5)] {
        let id = join(&s, name, "seller");
        let body = json!([
            {"path": "parties.seller.reservation", "value": bar},
            {"path": "parties.seller.ideal.price", "value": 9.0}
        ]);
        assert_eq!(
            post(&s, &format!("/api/class/student/{id}/submit"), &body).0,
            200
        );
    }
    // Two buyers: the median of two is their mean. One buyer sets only
    // the bar, so the ideal is the scenario's own.
    for (name, bar) in [("D", 0.2), ("E", 0.4)] {
        let id = join(&s, name, "buyer");
        let body = json!([{"path": "parties.buyer.reservation", "value": bar}]);
        assert_eq!(
            post(&s, &format!("/api/class/student/{id}/submit"), &body).0,
            200
        );
    }
    let (_, revealed) = s.teacher("reveal");
    let positions = json(&revealed)["class"]["result"]["positions"].clone();
    let find = |party: &str, field: &str| {
        let p = positions
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["party"] == party && p["field"] == field);
        p.unwrap_or_else(|| panic!("{party} {field}: {positions}"))
            .clone()
    };
    // Bars read as settlements: the seller (ideal 10 of 0-10, all its
    // weight on price) is worth 0.5 at a price of 5, the buyer (ideal 0)
    // 0.3 at 7.
    let seller = find("Seller", "bar (reservation)");
    assert_eq!(
        (seller["value"].as_str(), seller["from"].as_str()),
        (
            Some("5.0 thousand EUR (bar 0.500 utility)"),
            Some("the median of 3 students, rounded")
        )
    );
    let buyer = find("Buyer", "bar (reservation)");
    assert_eq!(
        (buyer["value"].as_str(), buyer["from"].as_str()),
        (
            Some("7.0 thousand EUR (bar 0.300 utility)"),
            Some("the median of 2 students, rounded")
        )
    );
    assert_eq!(find("Seller", "ideal: Price")["value"], "9.0 thousand EUR");
    assert_eq!(
        find("Buyer", "ideal: Price")["from"],
        "the scenario (nobody submitted)"
    );
    // The run used exactly these numbers.
    let sc = variant(
        "textbook",
        &[
            ("parties.seller.reservation", 0.5),
            ("parties.seller.ideal.price", 9.0),
            ("parties.buyer.reservation", 0.3),
        ],
    );
    let step = &zopa::sim::run(&sc, 1).steps[0];
    assert_eq!(
        json(&revealed)["class"]["result"]["why"],
        zopa::why::zone_text(&sc, step)
    );
}

#[test]
fn the_negotiations_beyond_the_war_serve_their_page_and_a_class() {
    let files = [
        scenario("job-offer"),
        scenario("uaw-strike"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/every-new-field.toml"),
    ];
    let args: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    let s = Server::start(&args);
    for file in &files {
        let sc = zopa::scenario::load(file).unwrap();
        let tl = zopa::sim::run(&sc, 1);
        let facts = zopa::facts::Facts::of(&sc, &tl);
        let (status, view) = post(
            &s,
            &format!("/api/scenarios/{}/run", sc.name),
            &json!({"seed": 1}),
        );
        assert_eq!(status, 200, "{}: {view}", sc.name);
        assert_eq!(view["outcome"], facts.outcome.label(), "{}", sc.name);
        // Every bar slider has its worth in units beside it.
        let worth = view["bar_worth"].as_array().unwrap();
        assert!(!worth.is_empty(), "{}", sc.name);
        assert!(
            worth
                .iter()
                .all(|w| w["text"].as_str().unwrap().starts_with("met ")),
            "{}: {worth:?}",
            sc.name
        );
    }
    // An option picked by name on the page: the candidate gives up wanting
    // remote work, said back by name.
    let edits = json!([{"path": "parties.candidate.ideal.remote", "value": "no"}]);
    let (status, view) = post(
        &s,
        "/api/scenarios/job-offer/run",
        &json!({"seed": 1, "edits": edits}),
    );
    assert_eq!(status, 200, "{view}");
    let changes = view["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{view}");
    assert_eq!(changes[0]["to"], "no", "{view}");
    assert!(
        view["summary"].as_str().unwrap().contains("remote: no"),
        "{view}"
    );
    // A class on the job offer: a student joins the candidate's side.
    let job = scenario("job-offer");
    let class = Server::start(&["--class", job.to_str().unwrap()]);
    let student = join(&class, "Ada", "candidate");
    let (status, card) = class.get(&format!("/api/class/student/{student}"));
    assert_eq!(status, 200, "{card}");
    assert!(card.contains("Candidate"), "{card}");
}

// One client that would hold the others off: it may keep at most half the
// connections open, and a body it drips a byte at a time is cut off once
// the body's time is up in all.

/// `listen::MAX_PER_ADDRESS`: half of the 512 connections the server keeps
/// open at once.
const PER_ADDRESS: usize = 256;

/// A connection from `from` (an address of the loopback network, which
/// the server sees as a client address of its own) that asks for the
/// scenario list and keeps the connection open; whether it was answered.
async fn ask(server: SocketAddr, from: [u8; 4]) -> (bool, Option<TcpStream>) {
    let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
        return (false, None);
    };
    if socket.bind(SocketAddr::from((from, 0))).is_err() {
        return (false, None);
    }
    let Ok(stream) = socket.connect(server).await else {
        return (false, None);
    };
    // Blocking from here: one request, the first bytes of its answer.
    let Ok(mut stream) = stream.into_std() else {
        return (false, None);
    };
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    let request = format!("GET /api/scenarios HTTP/1.1\r\nHost: {server}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return (false, None);
    }
    let mut head = [0u8; 12];
    let answered = stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200");
    (answered, Some(stream))
}

#[test]
fn one_address_holds_at_most_half_the_connections_and_the_class_still_gets_in() {
    let s = Server::start(&[]);
    let server: SocketAddr = s.addr().parse().expect("an address");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        // One client, busy on as many connections as it can open.
        let mut held = Vec::new();
        let mut answered = 0;
        for _ in 0..PER_ADDRESS + 40 {
            let (ok, stream) = ask(server, [127, 0, 0, 2]).await;
            answered += usize::from(ok);
            held.extend(stream);
        }
        assert_eq!(answered, PER_ADDRESS, "the flooding address");
        // Everybody else is still answered, on connections of their own.
        let mut others = Vec::new();
        for last in 3..23 {
            let (ok, stream) = ask(server, [127, 0, 0, last]).await;
            assert!(ok, "127.0.0.{last} is shut out");
            others.extend(stream);
        }
        // Once the client lets its connections go, it may open new ones.
        drop(held);
        let start = Instant::now();
        loop {
            let (ok, _) = ask(server, [127, 0, 0, 2]).await;
            if ok {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(3), "never let in");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
}

#[test]
fn a_body_dripped_a_byte_at_a_time_is_cut_off_when_the_bodys_ten_seconds_are_up() {
    let s = Server::start(&[]);
    let mut stream = TcpStream::connect(s.addr()).expect("a connection");
    stream
        .set_read_timeout(Some(Duration::from_millis(10)))
        .unwrap();
    let head = format!(
        "POST /api/scenarios/textbook/run HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        s.addr()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let start = Instant::now();
    let mut answer = Vec::new();
    // A byte every 0.4 s: each piece arrives well within any deadline of
    // its own, and the 100 bytes would take 40 s.
    while start.elapsed() < Duration::from_secs(20) {
        let mut buf = [0u8; 512];
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(_) if !answer.is_empty() => break,
            Err(_) => {}
        }
        if answer.is_empty() && stream.write_all(b" ").is_err() {
            // The server has answered and closed; read what it said.
            stream
                .set_read_timeout(Some(Duration::from_secs(1)))
                .unwrap();
            let _ = stream.read_to_end(&mut answer);
            break;
        }
        std::thread::sleep(Duration::from_millis(400));
    }
    let took = start.elapsed();
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "after {took:?}: {answer}"
    );
    assert!(answer.contains("did not arrive within 10 s"), "{answer}");
    assert!(
        took >= Duration::from_secs(9) && took < Duration::from_secs(13),
        "answered after {took:?}"
    );
}
