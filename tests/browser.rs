//! The classroom pages in a real browser: headless Chromium driven over the
//! DevTools protocol. The explore page: a control moved (by mouse-free
//! input and by keyboard) redraws the charts, the zone opens, pinning
//! overlays, and the downloaded scenario reproduces the page. Class play:
//! a teacher page and two student pages play a round to the reveal, and a
//! phone the reveal left out reads so.
//!
//! Chromium comes from Debian's `chromium` package (`.ci/run` installs it).
//! Without it the test says so and passes, unless `ZOPA_REQUIRE_BROWSER` is
//! set, as CI sets it. Screenshots land in `target/screenshots/`.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

fn chromium() -> Option<PathBuf> {
    let named = std::env::var_os("ZOPA_CHROMIUM").map(PathBuf::from);
    let found = named.into_iter().chain(
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .map(PathBuf::from),
    );
    let found = found.into_iter().find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("ZOPA_REQUIRE_BROWSER").is_none(),
            "ZOPA_REQUIRE_BROWSER is set but no Chromium was found (install Debian's `chromium`)"
        );
        eprintln!("skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)");
    }
    found
}

#[path = "support/replay.rs"]
mod replay;
#[path = "support/server.rs"]
mod support;
use support::Server;

/// Headless Chromium and one DevTools connection to it.
struct Browser {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(exe: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,720",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let url = loop {
            line.clear();
            assert!(
                err.read_line(&mut line).unwrap() > 0,
                "Chromium ended before listening"
            );
            if let Some(at) = line.find("ws://") {
                break line[at..].trim().to_string();
            }
        };
        // Keep draining Chromium's chatter so it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = err.read_to_end(&mut sink);
        });
        let (ws, _) = tungstenite::connect(url).unwrap();
        Browser {
            child,
            ws,
            next: 1,
            _profile: profile,
        }
    }

    /// Sends one command and waits for its answer (events are skipped).
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.ws.read().unwrap() else {
                continue;
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"] == json!(id) {
                assert!(v["error"].is_null(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }

    /// A new page (tab) at `url`, sized like a projector.
    fn open(&mut self, url: &str) -> String {
        self.open_sized(url, (1280, 720), false)
    }

    /// A new page at `url` on a screen of `size`, a phone's if `mobile`.
    fn open_sized(&mut self, url: &str, size: (u32, u32), mobile: bool) -> String {
        let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let id = target["targetId"].clone();
        let att = self.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": id, "flatten": true}),
        );
        let session = att["sessionId"].as_str().unwrap().to_string();
        let size =
            json!({"width": size.0, "height": size.1, "deviceScaleFactor": 1, "mobile": mobile});
        self.call(Some(&session), "Emulation.setDeviceMetricsOverride", size);
        self.call(Some(&session), "Page.enable", json!({}));
        // Every tab behaves as focused, so keys reach the focused control.
        let focus = json!({"enabled": true});
        self.call(Some(&session), "Emulation.setFocusEmulationEnabled", focus);
        self.call(Some(&session), "Page.navigate", json!({"url": url}));
        session
    }

    /// Evaluates JavaScript in the page, awaiting a promise.
    fn eval(&mut self, session: &str, expr: &str) -> Value {
        let params = json!({"expression": expr, "awaitPromise": true, "returnByValue": true});
        let r = self.call(Some(session), "Runtime.evaluate", params);
        assert!(
            r["exceptionDetails"].is_null(),
            "{expr}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// Waits until `expr` is truthy in the page.
    fn wait(&mut self, session: &str, expr: &str) {
        let start = Instant::now();
        loop {
            let v = self.eval(
                session,
                &format!(
                    "(() => {{ try {{ return !!({expr}); }} catch (_) {{ return false; }} }})()"
                ),
            );
            if v == json!(true) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {expr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn key(&mut self, session: &str, key: &str, code: i64) {
        self.call(Some(session), "Page.bringToFront", json!({}));
        for kind in ["rawKeyDown", "keyUp"] {
            let params =
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code});
            self.call(Some(session), "Input.dispatchKeyEvent", params);
        }
    }

    fn screenshot(&mut self, session: &str, name: &str) {
        let shot = self.call(
            Some(session),
            "Page.captureScreenshot",
            json!({"format": "png"}),
        );
        let png = base64(shot["data"].as_str().unwrap());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .map(value)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        out.extend(n.to_be_bytes()[1..chunk.len()].iter());
    }
    out
}

/// Sets a control's number box as a person typing would, and waits for
/// the page to have redrawn.
fn set_number(b: &mut Browser, page: &str, path: &str, value: f64) {
    let asked = b.eval(page, "zopa.asked").as_u64().unwrap();
    b.eval(
        page,
        &format!(
            "(() => {{ const i = document.querySelector('.control[data-path=\"{path}\"] input[type=number]'); i.value = '{value}'; i.dispatchEvent(new Event('change')); }})()"
        ),
    );
    settle(b, page, asked);
}

/// Waits until the page shows the run of its last change: a run asked for
/// mid-way through a burst of keys can come back before the burst's last
/// run is even asked for, so no change may still be waiting its turn.
fn settle(b: &mut Browser, page: &str, asked_before: u64) {
    b.wait(
        page,
        &format!(
            "zopa.asked > {asked_before} && !zopa.pending && zopa.shown === zopa.asked && zopa.busy === 0"
        ),
    );
}

#[test]
fn the_explore_page_and_a_class_round_work_in_chromium() {
    let Some(exe) = chromium() else {
        return;
    };
    let mut b = Browser::launch(&exe);
    explore(&mut b);
    class_round(&mut b);
}

/// At 1280x720 the zone chart is over 900 px wide; a chart beside
/// another opens at full width with one click; every control says what it
/// is in words, with a line of help, and keeps the model's name for a
/// tooltip.
fn explore_sizes(b: &mut Browser, page: &str) {
    let zone = b.eval(
        page,
        "document.querySelector('#zone svg').getBoundingClientRect().width",
    );
    assert!(zone.as_f64().unwrap() >= 900.0, "zone chart {zone} px wide");
    // Its legend is the page's text, every entry of the API's, at 14 px or
    // more, and no longer drawn (scaled down) inside the chart.
    let legend = b.eval(
        page,
        "[...document.querySelectorAll('#zone-legend li')].map(li => [li.textContent.trim(), parseFloat(getComputedStyle(li).fontSize), li.getBoundingClientRect().height])",
    );
    let entries = b.eval(page, "zopa.view.charts.zone_legend.map(e => e.text)");
    let shown: Vec<&str> = (legend.as_array().unwrap().iter())
        .map(|e| e[0].as_str().unwrap())
        .collect();
    let asked: Vec<&str> = (entries.as_array().unwrap().iter())
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(asked.len() >= 3, "{asked:?}");
    assert_eq!(shown, asked, "the legend shows the API's entries");
    for e in legend.as_array().unwrap() {
        assert!(e[1].as_f64().unwrap() >= 14.0, "legend text {e}");
        assert!(e[2].as_f64().unwrap() >= 14.0, "legend row {e}");
    }
    let inside = b.eval(page, "document.querySelector('#zone svg').textContent");
    assert!(
        !inside.as_str().unwrap().contains("Legend"),
        "no legend panel inside the chart"
    );
    b.eval(page, "document.querySelector('#zone').scrollIntoView()");
    b.screenshot(page, "explore-zone-legend.png");
    let gap = "document.querySelector('#gap svg').getBoundingClientRect().width";
    let small = b.eval(page, gap).as_f64().unwrap();
    b.eval(
        page,
        "document.querySelector('#gap').closest('figure').click()",
    );
    let full = b.eval(page, gap).as_f64().unwrap();
    assert!(
        full >= 900.0 && full > 1.5 * small,
        "gap chart {small} px, clicked {full} px"
    );
    b.eval(
        page,
        "document.querySelector('#gap').closest('figure').click()",
    );
    let unworded = b.eval(
        page,
        "[...document.querySelectorAll('#controls .control')].filter(c => c.dataset.path && !(c.querySelector('.help') && c.querySelector('label').title.includes(c.dataset.path))).map(c => c.dataset.path)",
    );
    assert_eq!(unworded, json!([]), "controls without help or model name");
    let bar = b.eval(
        page,
        "document.querySelector('.control[data-path=\"parties.russia.reservation\"] label').textContent",
    );
    assert_eq!(
        bar,
        json!("bar (utility)"),
        "the label in words, the model's name in the tooltip"
    );
}

fn explore(b: &mut Browser) {
    let s = Server::start(&[]);
    let page = b.open(&s.url("/explore/budapest-cancelled"));
    b.wait(&page, "window.zopa && zopa.view && zopa.busy === 0");
    b.screenshot(&page, "explore-as-written.png");
    explore_sizes(b, &page);
    let before = b.eval(&page, "zopa.view.charts.zone");
    assert_eq!(
        b.eval(
            &page,
            "document.querySelector('#verdict').classList.contains('open')"
        ),
        json!(false)
    );
    // The page shows what the scenario assumed beside what the article says.
    assert_eq!(
        b.eval(
            &page,
            "!document.querySelector('#assumptions').hidden && document.querySelector('#assumptions').textContent.includes('line 35')"
        ),
        json!(true)
    );
    // ... and the values read from it, each with its line and quote.
    assert_eq!(
        b.eval(
            &page,
            "[...document.querySelectorAll('#assumptions ul.cited li')].some(li => li.textContent.includes('(line 57: \"Putin wants strategic achievements\")'))"
        ),
        json!(true)
    );
    // The freeze reading of Ukraine's line (the header's variant), then
    // Russia's breaking pressure by typing, its bar by keyboard on the slider.
    set_number(b, &page, "parties.ukraine.red_lines.territory.max", 0.0);
    set_number(b, &page, "parties.russia.breaking_pressure", 0.3);
    assert_ne!(
        b.eval(&page, "zopa.view.charts.zone"),
        before,
        "the zone chart was not redrawn"
    );
    let asked = b.eval(&page, "zopa.asked").as_u64().unwrap();
    // Open Russia's group, as a click on its heading would, and focus the slider.
    b.eval(&page, "(() => { const r = document.querySelector('.control[data-path=\"parties.russia.reservation\"] input[type=range]'); r.closest('details').open = true; r.focus(); })()");
    // 24 steps of 0.005 down: from 0.62 to 0.50.
    for _ in 0..24 {
        b.key(&page, "ArrowLeft", 37);
    }
    settle(b, &page, asked);
    let bar = b
        .eval(&page, "zopa.edits['parties.russia.reservation']")
        .as_f64()
        .unwrap();
    assert!(
        (bar - 0.50).abs() < 1e-9,
        "the arrow keys moved Russia's bar to {bar}"
    );
    // Beside the slider, the bar in territory, as the library says it.
    let sc = zopa::scenario::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/budapest-cancelled.toml"
    )))
    .unwrap();
    let russia = sc.party_index("russia").unwrap();
    let ideal = &sc.parties[russia].ideal[..sc.issues.len()];
    let aside = zopa::text::bar_aside(&sc, russia, 0.5, ideal);
    let expected = format!("= {}", &aside[2..aside.len() - 1]);
    assert!(expected.contains("territory"), "{expected}");
    assert_eq!(
        b.eval(
            &page,
            "document.querySelector('.control[data-path=\"parties.russia.reservation\"] .worth').textContent"
        ),
        json!(expected)
    );
    assert_ne!(
        b.eval(&page, "zopa.view.outcome"),
        json!("no zone ever appeared")
    );
    b.eval(&page, "document.querySelector('#at').value = zopa.view.steps_run - 1; document.querySelector('#at').dispatchEvent(new Event('change'))");
    b.wait(
        &page,
        "zopa.view.at === zopa.view.steps_run - 1 && zopa.busy === 0",
    );
    b.screenshot(&page, "explore-zone-open.png");
    // The download reproduces the page: `zopa run` on it, same seed.
    let toml = b
        .eval(&page, "zopa.scenarioText()")
        .as_str()
        .unwrap()
        .to_string();
    let csv = b
        .eval(&page, "zopa.timelineText()")
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(replay::timeline_of(&toml, 1), csv);
    // Pin, then move Ukraine's red line: the pinned run is drawn dashed.
    b.eval(&page, "document.querySelector('#pin').click()");
    b.wait(
        &page,
        "zopa.pin && zopa.busy === 0 && document.querySelector('#zone-legend').textContent.includes('pinned')",
    );
    set_number(b, &page, "parties.ukraine.red_lines.territory.max", 2.0);
    assert!(
        b.eval(&page, "document.querySelector('#zone-legend').textContent")
            .as_str()
            .unwrap()
            .contains("Dashed: pinned")
    );
    // Monte Carlo, with its progress, to the probabilities.
    b.eval(
        &page,
        "document.querySelector('#runs').value = 400; document.querySelector('#mc').click()",
    );
    b.wait(
        &page,
        "document.querySelector('#mc-status').textContent.includes('P(deal)')",
    );
    assert!(b.eval(&page, "document.querySelector('#mc-chart svg') !== null") == json!(true));
    b.eval(
        &page,
        "document.querySelector('#mc-chart').scrollIntoView()",
    );
    b.screenshot(&page, "explore-monte-carlo.png");
    // Large type, by its button.
    b.eval(&page, "document.querySelector('#big').click()");
    assert_eq!(
        b.eval(&page, "document.body.classList.contains('big')"),
        json!(true)
    );
    b.screenshot(&page, "explore-pinned-large.png");
    // A refused value is shown on the page, and the next good one clears it.
    set_number(b, &page, "parties.russia.reservation", 1.7);
    let message = b.eval(&page, "document.querySelector('#message').textContent");
    assert!(
        message.as_str().unwrap().contains("allowed range"),
        "{message}"
    );
    let marked = "document.querySelector('.control.bad').dataset.path";
    assert_eq!(b.eval(&page, marked), json!("parties.russia.reservation"));
    set_number(b, &page, "parties.russia.reservation", 0.5);
    assert_eq!(
        b.eval(&page, "document.querySelector('#message').textContent"),
        json!("")
    );
}

fn class_round(b: &mut Browser) {
    let textbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/textbook.toml");
    let s = Server::start(&["--class", textbook.to_str().unwrap()]);
    let token = s.teacher.clone().unwrap();
    let code = s.code.clone().unwrap();
    let teacher = b.open(&format!("{}/class?token={token}", s.base));
    b.wait(
        &teacher,
        &format!("document.querySelector('#code').textContent === '{code}'"),
    );
    // The projector never shows the token: it left the address bar.
    let shown = b.eval(&teacher, "location.href + document.body.innerText");
    assert!(!shown.as_str().unwrap().contains(&token), "{shown}");
    // On loopback the page says phones cannot reach it, and which flag helps.
    let reach = b.eval(&teacher, "document.querySelector('#reach').innerText");
    assert!(
        reach.as_str().unwrap().contains("phones cannot reach it")
            && reach.as_str().unwrap().contains("--host 0.0.0.0"),
        "{reach}"
    );
    let mut students = Vec::new();
    // Prices in thousand EUR: Ann's least price 4.173 is the seller's bar
    // 0.4173 (ideal 10 on 0-10, all weight on price).
    for (name, party, price) in [("Ann", "seller", 4.173), ("Bob", "buyer", 8.0)] {
        // Students on phones.
        let page = b.open_sized(&s.url("/join"), (390, 844), true);
        b.wait(
            &page,
            &format!("document.querySelector('[data-party=\"{party}\"]')"),
        );
        b.eval(&page, &format!(
            "document.querySelector('#code').value = '{}'; document.querySelector('#name').value = '{name}'; document.querySelector('[data-party=\"{party}\"]').click()",
            code.to_lowercase()
        ));
        b.wait(
            &page,
            "!document.querySelector('#play').classList.contains('hidden') && document.querySelector('#card-body p')",
        );
        // The role card and the controls in the issue's units.
        let card = b.eval(&page, "document.querySelector('#card').innerText");
        let card = card.as_str().unwrap();
        assert!(card.contains("would like best on price"), "{card}");
        let control = format!(".control[data-path=\"parties.{party}.settlement\"]");
        let label = b.eval(
            &page,
            &format!("document.querySelector('{control} label').innerText"),
        );
        assert!(label.as_str().unwrap().contains("thousand EUR"), "{label}");
        let status = b.eval(&page, "document.querySelector('#status').textContent");
        assert_eq!(status, json!("not submitted yet"));
        b.eval(&page, &format!(
            "(() => {{ const i = document.querySelector('{control} input[type=number]'); i.value = '{price}'; i.dispatchEvent(new Event('change')); document.querySelector('#submit').click(); }})()"
        ));
        // At once after Submit: the state and the control's sentence.
        b.wait(
            &page,
            "document.querySelector('#status').textContent.startsWith('submitted for round 1')",
        );
        // The bar said as the story says it (`text::bar_met`): the
        // seller's is met from its least price up, the buyer's up to its
        // most.
        let (who, word) = if party == "seller" {
            ("Seller", "least")
        } else {
            ("Buyer", "most")
        };
        let expected = format!("{who}'s bar is met by price of at {word} {price:.2} thousand EUR");
        b.wait(
            &page,
            &format!(
                "document.querySelector('{control} .line').textContent === {}",
                json!(expected)
            ),
        );
        students.push(page);
    }
    b.screenshot(&students[0], "class-student.png");
    // The phone's page fits its width: nothing sideways to scroll.
    let wide = b.eval(
        &students[0],
        "document.documentElement.scrollWidth <= window.innerWidth",
    );
    assert_eq!(wide, json!(true));
    b.wait(
        &teacher,
        "document.querySelectorAll('#parties .tick').length === 2",
    );
    let projected = b
        .eval(&teacher, "document.body.innerText")
        .as_str()
        .unwrap()
        .to_string();
    assert!(projected.contains("Ann") && projected.contains("Bob"));
    assert!(
        !projected.contains("0.417"),
        "the projector showed a secret before the reveal"
    );
    let bobs_page = b
        .eval(&students[1], "document.body.innerText")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !bobs_page.contains("0.417") && !bobs_page.contains("4.2"),
        "Bob's page showed Ann's secret"
    );
    b.screenshot(&teacher, "class-teacher-before-reveal.png");
    b.eval(&teacher, "document.querySelector('#reveal').click()");
    b.wait(
        &teacher,
        "document.querySelector('#result').innerText.includes('0.417') && [...document.querySelectorAll('#result img')].every(i => i.complete && i.naturalWidth > 0)",
    );
    let heading = b.eval(&teacher, "document.querySelector('#result h2').innerText");
    assert!(
        heading
            .as_str()
            .unwrap()
            .starts_with("Class round 1: scenario round 0"),
        "{heading}"
    );
    b.screenshot(&teacher, "class-teacher-revealed.png");
    b.eval(
        &teacher,
        "document.querySelectorAll('#result figure')[1].scrollIntoView()",
    );
    b.screenshot(&teacher, "class-teacher-revealed-gap.png");
    b.eval(&teacher, "window.scrollTo(0, 0)");
    b.wait(
        &students[1],
        "document.querySelector('#revealed').innerText.includes('round 1') && document.querySelector('#revealed img').complete",
    );
    b.screenshot(&students[1], "class-student-revealed.png");
    // A phone can submit for the next round at once.
    let status = b.eval(
        &students[1],
        "document.querySelector('#status').textContent",
    );
    assert!(
        status.as_str().unwrap().contains("counts for round 2"),
        "{status}"
    );
    room_network(b, &textbook);
    role_card(b);
    left_out_phone(b);
}

/// A student the reveal left out reads so on their phone, with the round,
/// and not why: three Russians weighting one issue each, once the fourth,
/// whose even weights made them playable together, is removed.
fn left_out_phone(b: &mut Browser) {
    let budapest = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/budapest-cancelled.toml");
    let s = Server::start(&["--class", budapest.to_str().unwrap()]);
    let token = s.teacher.clone().unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |path: &str, body: Value, teacher: bool| -> Value {
        let mut r = agent.post(s.url(path));
        if teacher {
            r = r.header("X-Zopa-Token", &token);
        }
        let mut r = r.send_json(body).expect("the server answers");
        assert_eq!(r.status().as_u16(), 200);
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap()
    };
    let settings = json!({"seats": [200, 200, 200, 200], "allow_ideal": true, "rounds": 2});
    post("/api/class/teacher/settings", settings, true);
    let mut ids = Vec::new();
    for (name, w) in [
        ("A", [1, 0, 0]),
        ("B", [0, 1, 0]),
        ("D", [1, 1, 1]),
        ("C", [0, 0, 1]),
    ] {
        let join = json!({"code": s.code.clone().unwrap(), "name": name, "party": "russia"});
        let id = post("/api/class/join", join, false)["student"]
            .as_str()
            .unwrap()
            .to_string();
        let edits: Vec<Value> = ["territory", "sanctions", "security"]
            .iter()
            .zip(w)
            .map(
                |(issue, v)| json!({"path": format!("parties.russia.weights.{issue}"), "value": v}),
            )
            .collect();
        post(
            &format!("/api/class/student/{id}/submit"),
            json!(edits),
            false,
        );
        ids.push(id);
    }
    let roster = agent
        .get(s.url("/api/class/teacher"))
        .header("X-Zopa-Token", &token)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let roster: Value = serde_json::from_str(&roster).unwrap();
    let d = (roster["students"].as_array().unwrap().iter())
        .find(|st| st["name"] == "D")
        .unwrap()["key"]
        .clone();
    post("/api/class/teacher/remove", json!({"student": d}), true);
    let revealed = post("/api/class/teacher/reveal", json!({}), true);
    assert_eq!(revealed["left_out"].as_array().unwrap().len(), 1);
    let phone = b.open_sized(&format!("{}/join#{}", s.base, ids[3]), (390, 844), true);
    let said = "your values were left out of round 1: with your party's other students' they could not be played (your teacher sees why); what you submit now counts for round 2";
    b.wait(
        &phone,
        &format!(
            "document.querySelector('#status').textContent === {}",
            json!(said)
        ),
    );
    b.eval(&phone, "document.querySelector('#status').scrollIntoView()");
    b.screenshot(&phone, "class-student-left-out.png");
    // The others' phones say nothing of it.
    let other = b.open_sized(&format!("{}/join#{}", s.base, ids[0]), (390, 844), true);
    b.wait(
        &other,
        "document.querySelector('#status').textContent.length > 0",
    );
    let status = b.eval(&other, "document.querySelector('#status').textContent");
    assert!(!status.as_str().unwrap().contains("left out"), "{status}");
}

/// Listening on every interface: the teacher page shows the address phones
/// reach and its QR code (when this machine has a network address at all).
fn room_network(b: &mut Browser, scenario: &Path) {
    let s = Server::start(&["--class", scenario.to_str().unwrap(), "--host", "0.0.0.0"]);
    let token = s.teacher.clone().unwrap();
    let teacher = b.open(&format!("{}/class?token={token}", s.base));
    b.wait(&teacher, "window.teacher && teacher.state");
    if b.eval(&teacher, "teacher.state.join.reachable") != json!(true) {
        eprintln!("no network address on this machine: the QR code is not shown");
        return;
    }
    b.wait(
        &teacher,
        "document.querySelector('#qr-img').complete && document.querySelector('#qr-img').naturalWidth > 0",
    );
    let url = b.eval(&teacher, "document.querySelector('#join-url').textContent");
    assert!(!url.as_str().unwrap().contains("127.0.0.1"), "{url}");
    b.screenshot(&teacher, "class-teacher-qr.png");
}

/// A phone playing Russia in the article's scenario: the role card quotes
/// the article, the bar reads in % of Ukraine.
fn role_card(b: &mut Browser) {
    let budapest = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/budapest-cancelled.toml");
    let s = Server::start(&["--class", budapest.to_str().unwrap()]);
    let code = s.code.clone().unwrap();
    let page = b.open_sized(&s.url("/join"), (390, 844), true);
    b.wait(&page, "document.querySelector('[data-party=\"russia\"]')");
    b.eval(&page, &format!(
        "document.querySelector('#code').value = '{code}'; document.querySelector('#name').value = 'Sasha'; document.querySelector('[data-party=\"russia\"]').click()"
    ));
    b.wait(
        &page,
        "document.querySelectorAll('#card blockquote').length >= 2",
    );
    let line = b.eval(
        &page,
        "document.querySelector('.control[data-path=\"parties.russia.settlement\"] .line').textContent",
    );
    assert!(
        line.as_str()
            .unwrap()
            .starts_with("Russia's bar is met by territory of at least "),
        "{line}"
    );
    let quote = b.eval(
        &page,
        "document.querySelector('#card blockquote').innerText",
    );
    assert!(
        quote.as_str().unwrap().contains("the article, line"),
        "{quote}"
    );
    b.screenshot(&page, "class-phone-role-card.png");
    // Moved but not submitted: the sentence is marked as the old value's.
    let control = ".control[data-path=\"parties.russia.settlement\"]";
    b.eval(&page, &format!(
        "(() => {{ const i = document.querySelector('{control} input[type=number]'); i.value = '12'; i.dispatchEvent(new Event('change')); }})()"
    ));
    let stale = format!("document.querySelector('{control}').classList.contains('stale')");
    assert_eq!(b.eval(&page, &stale), json!(true));
    b.eval(&page, "document.querySelector('#submit').click()");
    b.wait(&page, &format!("!{stale} && document.querySelector('{control} .line').textContent.includes(' at least 12.00 % of Ukraine')"));
}

/// What the deck's slide on screen measures: its box, whether its content
/// overflows it, and the smallest font of any text outside the charts.
const SLIDE_MEASURE: &str = r#"(() => {
  const s = document.querySelector('.slide.on');
  const r = s.getBoundingClientRect();
  let smallest = 1000, where = '';
  for (const el of s.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < smallest) { smallest = px; where = el.textContent.slice(0, 40); }
  }
  const inside = [...s.querySelectorAll('*')].every(el => {
    const b = el.getBoundingClientRect();
    return b.width === 0 || (b.left >= r.left - 0.5 && b.right <= r.right + 0.5
      && b.top >= r.top - 0.5 && b.bottom <= r.bottom + 0.5);
  });
  const index = [...document.querySelectorAll('.slide')].indexOf(s);
  return { index, left: r.left, top: r.top, width: r.width, height: r.height,
    overflow: s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1,
    inside, smallest, where };
})()"#;

#[test]
fn every_lesson_slide_fits_1280_by_720_with_text_a_room_can_read() {
    let Some(exe) = chromium() else { return };
    let mut b = Browser::launch(&exe);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (scenario, level) in [
        ("budapest-cancelled", "basic"),
        ("freeze-the-front", "advanced"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let file = root.join(format!("scenarios/{scenario}.toml"));
        let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(["lesson", file.to_str().unwrap(), "--level", level, "--out"])
            .arg(out.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let deck = out.path().join("deck.html");
        let page = b.open(&format!("file://{}", deck.display()));
        b.wait(&page, "document.querySelector('.slide.on') !== null");
        let count = b.eval(&page, "document.querySelectorAll('.slide').length");
        let count = count.as_u64().unwrap();
        assert!(count >= 8, "{scenario}: {count} slides");
        for k in 0..count {
            let m = b.eval(&page, SLIDE_MEASURE);
            let ctx = format!("{scenario} ({level}) slide {}: {m}", k + 1);
            assert_eq!(
                m["index"].as_u64(),
                Some(k),
                "{ctx}: the arrow key moves on"
            );
            assert_eq!(m["width"].as_f64(), Some(1280.0), "{ctx}");
            assert_eq!(m["height"].as_f64(), Some(720.0), "{ctx}");
            assert_eq!(m["overflow"], json!(false), "{ctx}");
            assert_eq!(m["inside"], json!(true), "{ctx}");
            assert!(m["smallest"].as_f64().unwrap() >= 24.0, "{ctx}");
            b.screenshot(&page, &format!("lesson-{scenario}-{}.png", k + 1));
            b.key(&page, "ArrowRight", 39);
        }
        let deck_pages = printed_pages(&mut b, &page);
        assert_eq!(
            deck_pages, count as usize,
            "{scenario}: one slide per printed page"
        );
        let handout = out.path().join("handout.html");
        let page = b.open(&format!("file://{}", handout.display()));
        b.wait(&page, "document.readyState === 'complete'");
        let pages = printed_pages(&mut b, &page);
        assert!(
            (1..=2).contains(&pages),
            "{scenario}: handout prints to {pages} pages"
        );
    }
}

/// The pages a page prints to, as Chromium prints it (A4 unless the page
/// sets its own size).
fn printed_pages(b: &mut Browser, page: &str) -> usize {
    let params = json!({"preferCSSPageSize": true, "paperWidth": 8.27, "paperHeight": 11.69});
    let pdf = b.call(Some(page), "Page.printToPDF", params);
    let bytes = base64(pdf["data"].as_str().unwrap());
    let text = String::from_utf8_lossy(&bytes);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// The explore page of a scenario of 40 parties and 12 issues: the
/// controls come grouped by party, every group folded, the parties' groups
/// inside one fold of their own and each party's per-issue controls folded
/// by kind; on a phone the page is one column no wider than the screen.
/// A small scenario keeps its first group open and no fold by issue.
#[test]
fn the_explore_page_folds_its_controls_at_40_parties_and_12_issues() {
    let Some(exe) = chromium() else { return };
    let data =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scale-12-issues-40-parties.toml");
    let sc = zopa::scenario::load(&data).unwrap();
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/budapest-cancelled.toml");
    let s = Server::start(&[data.to_str().unwrap(), small.to_str().unwrap()]);
    let mut b = Browser::launch(&exe);
    let shape = r#"(() => {
      const groups = [...document.querySelectorAll('#controls details.group')];
      const outer = document.querySelector('#controls details.parties-group');
      return {
        groups: groups.length,
        open: groups.filter(d => d.open).length,
        inParties: outer ? outer.querySelectorAll(':scope > details.group').length : 0,
        outerOpen: outer ? outer.open : null,
        outerSummary: outer ? outer.querySelector('summary').textContent : null,
        folds: [...document.querySelectorAll('details.per-issue')].map(d => [d.querySelector('summary').textContent, d.querySelectorAll('.control').length, d.open]),
        controls: document.querySelectorAll('#controls .control[data-path]').length,
        width: document.documentElement.scrollWidth,
      };
    })()"#;
    for (size, mobile, name) in [((1280, 900), false, "desktop"), ((390, 844), true, "phone")] {
        let page = b.open_sized(&s.url("/explore/scale-40p-12i"), size, mobile);
        b.wait(
            &page,
            "document.querySelectorAll('#controls .control[data-path]').length > 0",
        );
        b.wait(&page, "document.querySelector('#zone svg') !== null");
        let m = b.eval(&page, shape);
        let parties = sc.parties.len() as u64;
        assert_eq!(m["inParties"].as_u64(), Some(parties), "{name}: {m}");
        assert_eq!(m["outerOpen"], json!(false), "{name}: {m}");
        assert_eq!(
            m["outerSummary"],
            json!(format!("Parties ({parties})")),
            "{name}"
        );
        assert_eq!(
            m["open"].as_u64(),
            Some(0),
            "{name}: every group folded: {m}"
        );
        assert!(
            m["groups"].as_u64().unwrap() > parties,
            "{name}: World, Mediator too"
        );
        // Each party's ideal and weight on each of the 12 issues fold by kind.
        let folds = m["folds"].as_array().unwrap();
        let issues = sc.issues.len();
        for kind in ["ideal", "weight"] {
            let want = format!("{kind} on each issue ({issues})");
            let of_kind: Vec<&Value> = folds.iter().filter(|f| f[0] == json!(want)).collect();
            assert_eq!(of_kind.len() as u64, parties, "{name}: {want}");
            assert!(
                of_kind
                    .iter()
                    .all(|f| f[1].as_u64() == Some(issues as u64) && f[2] == json!(false))
            );
        }
        if mobile {
            assert!(
                m["width"].as_u64().unwrap() <= 390,
                "{name}: no sideways scroll: {m}"
            );
        }
        b.screenshot(&page, &format!("explore-40-parties-{name}.png"));
        // A refused value opens the folds around its control.
        let path = "parties.p7.reservation";
        set_number(&mut b, &page, path, 1.7);
        b.wait(
            &page,
            &format!("document.querySelector('.control.bad[data-path=\"{path}\"]') !== null"),
        );
        let opened = b.eval(&page, &format!(r#"(() => {{
          const c = document.querySelector('.control[data-path="{path}"]');
          const all = []; for (let d = c.closest('details'); d; d = d.parentElement.closest('details')) all.push(d.open);
          return all; }})()"#));
        assert_eq!(opened, json!([true, true]), "{name}");
    }
    let page = b.open(&s.url("/explore/budapest-cancelled"));
    b.wait(
        &page,
        "document.querySelectorAll('#controls .control[data-path]').length > 0",
    );
    let m = b.eval(&page, shape);
    assert_eq!(m["outerOpen"], json!(null), "a small scenario: {m}");
    assert_eq!(m["open"].as_u64(), Some(1), "its first group open: {m}");
    assert_eq!(m["folds"], json!([]), "{m}");
}

/// Class play on 40 parties: the teacher's seats and a phone's party
/// buttons sit several a row, within the screen's width.
#[test]
fn class_play_at_40_parties_sets_seats_and_party_buttons_side_by_side() {
    let Some(exe) = chromium() else { return };
    let data =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scale-12-issues-40-parties.toml");
    let parties = zopa::scenario::load(&data).unwrap().parties.len();
    let s = Server::start(&["--class", data.to_str().unwrap()]);
    let token = s.teacher.clone().unwrap();
    let mut b = Browser::launch(&exe);
    // How many of the list's items share the first one's row, how many
    // there are, and whether the page scrolls sideways.
    let rows = |list: &str, item: &str| {
        format!(
            r#"(() => {{
              const items = [...document.querySelectorAll('{list} {item}')];
              const top = items[0].getBoundingClientRect().top;
              return {{ count: items.length,
                first_row: items.filter(i => Math.abs(i.getBoundingClientRect().top - top) < 2).length,
                wide: document.documentElement.scrollWidth > window.innerWidth }};
            }})()"#
        )
    };
    let teacher = b.open(&format!("{}/class?token={token}", s.base));
    b.wait(
        &teacher,
        "document.querySelectorAll('#seats input').length > 0",
    );
    let m = b.eval(&teacher, &rows("#seats", ".control"));
    assert_eq!(m["count"].as_u64(), Some(parties as u64), "{m}");
    assert!(
        m["first_row"].as_u64().unwrap() >= 4,
        "teacher's seats: {m}"
    );
    assert_eq!(m["wide"], json!(false), "{m}");
    b.screenshot(&teacher, "class-40-parties-teacher.png");
    let join = b.open_sized(&s.url("/join"), (390, 844), true);
    b.wait(
        &join,
        "document.querySelectorAll('#party-list button').length > 0",
    );
    let m = b.eval(&join, &rows("#party-list", "button"));
    assert_eq!(m["count"].as_u64(), Some(parties as u64), "{m}");
    assert!(
        m["first_row"].as_u64().unwrap() >= 2,
        "a phone's party buttons: {m}"
    );
    assert_eq!(m["wide"], json!(false), "{m}");
    b.screenshot(&join, "class-40-parties-join-phone.png");
}
