//! Pressure and aid aimed at a party (`pressure_on`, `aid_to`): the party
//! aimed at reads the world's plus what is aimed at it, by a closed form
//! (docs/model.md, "Pressure and aid aimed at a party"); the others read the
//! world's; the front moves as it would had nobody aimed; `timeline.csv`
//! gains a column per party aimed at; the narrative says whom a leaver's
//! pressure was on; and every bad aim is refused where it is written, exit
//! 2, nothing written.

use std::path::Path;
use std::process::Command;

use zopa::model::Scenario;
use zopa::{scenario, sim};

const KAPPA: f64 = 0.5;
const PI: f64 = 0.05;
const DECAY: f64 = 0.1;
const DRAG: f64 = 2.0;

/// Two political victors on the same side and a broker that adds `PI`
/// pressure a step, aimed as `aim` says (empty: at the world), and
/// `extra` appended (more parties, events).
fn scenario_text(aim: &str, extra: &str) -> String {
    format!(
        r##"[scenario]
name = "aimed"
title = "Pressure aimed at one of two victors"

[time]
steps = 20

[[issues]]
id = "land"
label = "Land"
min = 0
max = 100

[[parties]]
id = "north"
name = "North"
colour = "#0072b2"
archetype = "political_victory"
reservation = 0.8
ideal = {{ land = "more" }}
[parties.knobs]
pressure_sensitivity = {KAPPA}

[[parties]]
id = "south"
name = "South"
colour = "#d55e00"
archetype = "political_victory"
reservation = 0.8
ideal = {{ land = "more" }}
[parties.knobs]
pressure_sensitivity = {KAPPA}

[[parties]]
id = "broker"
name = "Broker"
colour = "#009e73"
archetype = "quick_deal"
reservation = 0.5
ideal = {{ land = 50 }}
# Its line keeps the zone shut: the victors want at least the front (40).
red_lines = [{{ issue = "land", max = 30 }}]
{aim}
[parties.knobs]
pressure_per_step = {PI}

[world]
front_issue = "land"
front = 40
pressure_decay = {DECAY}
pressure_drag = {DRAG}
{extra}"##
    )
}

fn load(text: String) -> Scenario {
    scenario::parse(Path::new("aimed.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

/// What has built up at step `t` from `per_step` a step decaying at
/// `decay`, starting from nothing: `per_step (1 - (1 - decay)^t) / decay`.
fn built_up(per_step: f64, decay: f64, t: u32) -> f64 {
    per_step * (1.0 - (1.0 - decay).powi(t as i32)) / decay
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn pressure_aimed_at_one_victor_lowers_its_bar_by_the_closed_form_and_not_the_others() {
    let sc = load(scenario_text("pressure_on = \"north\"", ""));
    let tl = sim::run(&sc, 1);
    assert_eq!(tl.steps.len(), 20, "no deal: the victors want more");
    for s in &tl.steps {
        let aimed = built_up(PI, DECAY, s.step);
        // The world's pressure stays at 0: all of it is aimed.
        assert_eq!(s.pressure, 0.0, "step {}", s.step);
        assert!(close(s.own_pressure[0], aimed), "step {}", s.step);
        assert_eq!(s.own_pressure[1], 0.0, "south feels the world's");
        let north = (0.8 - KAPPA * aimed).clamp(0.0, 1.0);
        assert!(
            close(s.reservation[0], north),
            "step {}: north's bar {} against {north}",
            s.step,
            s.reservation[0]
        );
        assert!(close(s.reservation[1], 0.8), "south's bar stays");
    }
    // By the horizon north's bar has fallen by a tenth or more.
    assert!(tl.steps[19].reservation[0] < 0.8 - 0.1);

    let csv = zopa::output::timeline_csv(&sc, &tl);
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = head.iter().position(|h| *h == "pressure_north");
    let col = col.expect("a column for the party aimed at");
    assert_eq!(col, 4, "after the world's step, front, pressure, aid");
    for absent in ["pressure_south", "pressure_broker", "aid_north"] {
        assert!(!head.contains(&absent), "{absent}");
    }
    for (s, line) in tl.steps.iter().zip(lines) {
        let cell: f64 = line
            .split(',')
            .nth(col)
            .expect("cell")
            .parse()
            .expect("a number");
        assert_eq!(cell, s.own_pressure[0], "step {}", s.step);
    }
}

#[test]
fn aiming_moves_the_front_as_the_world_pressure_would_and_a_war_bargainer_expects_it() {
    // A war bargainer beside them: its bar is the value of fighting on,
    // which reads the front's expected drift.
    let war = r##"
[[parties]]
id = "war"
name = "War"
colour = "#cc79a7"
archetype = "war_bargaining"
ideal = { land = 0 }
[parties.knobs]
lookahead = 5
"##;
    let aimed = sim::run(&load(scenario_text("pressure_on = \"north\"", war)), 1);
    let global = sim::run(&load(scenario_text("", war)), 1);
    let mut front = 40.0;
    for (a, g) in aimed.steps.iter().zip(&global.steps) {
        let p = built_up(PI, DECAY, a.step);
        if a.step > 0 {
            front -= DRAG * p;
        }
        assert!(
            close(a.front, front),
            "step {}: {} against {front}",
            a.step,
            a.front
        );
        assert!(close(g.front, a.front), "step {}", a.step);
        assert!(close(g.pressure, p), "step {}", a.step);
        assert!(
            close(a.reservation[3], g.reservation[3]),
            "the war bargainer's bar"
        );
        // Unaimed, both victors feel the world's pressure alike.
        assert!(close(g.reservation[0], g.reservation[1]));
        assert!(close(g.reservation[0], a.reservation[0]));
        // Aimed, the world's drift makes no column for anyone else.
        assert!(g.own_pressure.is_empty(), "nothing kept when nobody aims");
    }
    // The war bargainer expects land to fall, so its bar rises: not a
    // constant the test could pass by accident.
    assert!(aimed.steps[19].reservation[3] > aimed.steps[0].reservation[3]);
}

#[test]
fn aid_sent_to_one_party_holds_its_bar_while_the_world_aid_runs_down() {
    // Two sustained_pressure parties that depend on aid; the world's aid
    // (0.5) decays by a tenth a step, and the broker sends exactly what
    // that loses at the start to `south`: 0.5 * 0.1 a step.
    let text = scenario_text("aid_to = \"south\"", "aid = 0.5\naid_decay = 0.1\n")
        .replace(
            "archetype = \"political_victory\"",
            "archetype = \"sustained_pressure\"",
        )
        .replace(
            &format!("pressure_sensitivity = {KAPPA}"),
            "aid_dependence = 0.4",
        )
        .replace(&format!("pressure_per_step = {PI}"), "aid_per_step = 0.05");
    let sc = load(text);
    let tl = sim::run(&sc, 1);
    for s in &tl.steps {
        let world = 0.5 * 0.9f64.powi(s.step as i32);
        let sent = built_up(0.05, 0.1, s.step);
        assert!(close(s.aid, world), "step {}", s.step);
        assert!(
            close(s.own_aid[1], (world + sent).min(1.0)),
            "step {}",
            s.step
        );
        assert!(close(s.own_aid[0], world), "north feels the world's");
        // north's bar: r0 - eta (A0 - A(t)); south's: A0 - A_j(t) = 0.
        assert!(close(s.reservation[0], 0.8 - 0.4 * (0.5 - world)));
        assert!(close(s.reservation[1], 0.8), "step {}", s.step);
    }
    assert!(tl.steps[19].reservation[0] < 0.8 - 0.1);
    let head = zopa::output::timeline_csv(&sc, &tl);
    let head = head.lines().next().expect("header");
    assert!(head.contains(",aid_south,") && !head.contains("pressure_south"));
}

#[test]
fn a_victor_stalls_from_the_peak_of_its_own_pressure() {
    // At step 10 the broker stops: what was aimed at north decays, and
    // north's stall raises its bar by sigma (P*_j - P_j), its own peak.
    let stops = "\n[[events]]\nlabel = \"broker stops\"\nat_step = 10\neffects = [{ target = \"parties.broker.pressure_per_step\", set = 0 }]\n";
    let text = scenario_text("pressure_on = \"north\"", stops).replacen(
        &format!("pressure_sensitivity = {KAPPA}"),
        &format!("pressure_sensitivity = {KAPPA}\nstall = 0.3"),
        1,
    );
    let tl = sim::run(&load(text), 1);
    assert_eq!(tl.steps.len(), 20);
    // Its last contribution lands at step 10 (the world moves before the
    // event fires); from step 11 the store only decays.
    let peak = built_up(PI, DECAY, 10);
    for s in &tl.steps[11..] {
        let own = peak * (1.0 - DECAY).powi(s.step as i32 - 10);
        assert!(close(s.own_pressure[0], own), "step {}", s.step);
        let bar = 0.8 - KAPPA * own + 0.3 * (peak - own);
        assert!(close(s.reservation[0], bar), "step {}", s.step);
        assert!(close(s.reservation[1], 0.8), "south never felt any");
    }
}

#[test]
fn the_narrative_says_whom_a_leavers_pressure_and_aid_were_on() {
    // An ally without a veto, pressing north and arming south, leaves.
    let ally = r##"
[[parties]]
id = "ally"
name = "Ally"
colour = "#cc79a7"
archetype = "quick_deal"
veto = false
reservation = 0.5
ideal = { land = 50 }
pressure_on = "north"
aid_to = "south"
[parties.knobs]
pressure_per_step = 0.01
aid_per_step = 0.01

[[events]]
label = "ally leaves"
at_step = 10
effects = [{ target = "parties.ally.engaged", set = 0 }]
"##;
    let text = scenario_text("", ally).replacen(
        "archetype = \"political_victory\"\nreservation = 0.8\nideal = { land = \"more\" }\n[parties.knobs]\npressure_sensitivity = 0.5\n\n[[parties]]\nid = \"broker\"",
        "archetype = \"sustained_pressure\"\nreservation = 0.8\nideal = { land = \"more\" }\n[parties.knobs]\naid_dependence = 0.5\n\n[[parties]]\nid = \"broker\"",
        1,
    );
    let sc = load(text);
    assert_eq!(sc.parties[1].archetype.name(), "sustained_pressure");
    let tl = sim::run(&sc, 1);
    let story = zopa::report::analyse(&sc, tl, None, None)
        .narrative
        .join("\n");
    assert!(
        story.contains(
            "Ally leaves the talks; its consent is no longer needed. What stops with it: \
             its own sanctions on North (so North's pressure falls); \
             its own aid to South (so South's aid falls)."
        ),
        "{story}"
    );
}

/// An event that fires (probability 1, at most once) when `variable` is
/// above 0.2.
fn watching(variable: &str) -> String {
    format!(
        "\n[[events]]\nlabel = \"watch\"\nprobability = 1\nwhen = {{ variable = \"{variable}\", above = 0.2 }}\neffects = [{{ target = \"parties.south.stall\", set = 0 }}]\n"
    )
}

#[test]
fn a_condition_reads_the_pressure_a_party_feels_as_the_step_began() {
    // North's own pressure passes 0.2 when 0.5 (1 - 0.9^t) > 0.2, that is
    // 0.9^t < 0.6: at t = 5 (ln 0.6 / ln 0.9 = 4.85); the world's stays 0.
    let first = (0..20u32)
        .find(|&t| built_up(PI, DECAY, t) > 0.2)
        .expect("it passes 0.2");
    assert_eq!(first, 5);
    for (variable, fires) in [("pressure.north", Some(first)), ("pressure", None)] {
        let sc = load(scenario_text(
            "pressure_on = \"north\"",
            &watching(variable),
        ));
        let tl = sim::run(&sc, 1);
        let fired: Vec<u32> = (tl.steps.iter())
            .filter(|s| s.events.contains(&0))
            .map(|s| s.step)
            .collect();
        assert_eq!(fired, fires.into_iter().collect::<Vec<_>>(), "{variable}");
    }
}

#[test]
fn a_condition_on_a_party_nothing_is_aimed_at_is_refused_where_it_is_written() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let text = scenario_text("pressure_on = \"north\"", &watching("pressure.south"));
    check_refused(
        tmp.path(),
        0,
        &text,
        "variable = \"pressure.south\"",
        "no party aims its pressure at `south`: the pressure it feels is the world's",
        "write variable = \"pressure\"",
    );
    let text = scenario_text("pressure_on = \"north\"", &watching("aid.nort"));
    check_refused(
        tmp.path(),
        1,
        &text,
        "variable = \"aid.nort\"",
        "unknown party in `aid.<party>` `nort`",
        "did you mean `north`?",
    );
}

fn zopa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

#[test]
fn a_bad_aim_is_refused_where_it_is_written_and_nothing_is_written() {
    let cases = [
        (
            "pressure_on = \"nort\"",
            "unknown `pressure_on` party `nort`",
            "did you mean `north`?",
        ),
        (
            "pressure_on = \"broker\"",
            "aims its pressure at itself",
            "name another party",
        ),
        (
            "aid_to = \"north\"",
            "a political_victory party whose terms read no aid",
            "(sustained_pressure)",
        ),
    ];
    let tmp = tempfile::tempdir().expect("temp dir");
    for (i, (aim, says, hint)) in cases.iter().enumerate() {
        let text = scenario_text(aim, "");
        check_refused(tmp.path(), i, &text, aim, says, hint);
    }
    // A quick dealer's terms read no pressure: north aims at the broker.
    let aim = "pressure_on = \"broker\"";
    let text = scenario_text("", "").replacen(
        "reservation = 0.8\n",
        &format!("reservation = 0.8\n{aim}\n"),
        1,
    );
    check_refused(
        tmp.path(),
        9,
        &text,
        aim,
        "`north` aims its pressure at `broker`, a quick_deal party whose terms read no pressure",
        "political_victory, sustained_pressure",
    );
}

fn check_refused(dir: &Path, i: usize, text: &str, at: &str, says: &str, hint: &str) {
    let file = dir.join(format!("case{i}.toml"));
    std::fs::write(&file, text).expect("write");
    let out = dir.join(format!("out{i}"));
    let o = zopa(&[
        "run",
        &file.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "case {i}: {err}");
    assert!(err.contains(says), "case {i}: {err}");
    assert!(err.contains(hint), "case {i}: {err}");
    let offset = text.find(at).expect("the case's text");
    let line = text[..offset].matches('\n').count() + 1;
    let column = offset - text[..offset].rfind('\n').map_or(0, |n| n + 1) + 1;
    let value = column + at.find('"').expect("a quoted id");
    assert!(
        err.contains(&format!("case{i}.toml:{line}:{value}")),
        "case {i} at {line}:{value}: {err}"
    );
    assert!(!out.exists(), "case {i} wrote output");
}

/// The written file `name` under `dir`, without its provenance line (which
/// names the command line).
fn table(dir: &Path, name: &str) -> String {
    let text = std::fs::read_to_string(dir.join(name)).expect("written");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn set_moves_what_is_aimed_by_the_closed_form_and_many_runs_agree_across_threads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("aimed.toml");
    let text = scenario_text("pressure_on = \"north\"", "noise = 0.5\n");
    std::fs::write(&file, text).expect("write");
    let file = file.display().to_string();
    let out = tmp.path().join("run");
    let o = zopa(&[
        "run",
        &file,
        "--quiet",
        "--no-charts",
        "--set",
        "parties.broker.pressure_per_step=0.1",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = table(&out, "timeline.csv");
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().expect("header").split(',').collect();
    let at = |name: &str| head.iter().position(|h| *h == name).expect(name);
    let (own, bar) = (at("pressure_north"), at("reservation_north"));
    for (t, line) in lines.enumerate() {
        let cells: Vec<f64> = line
            .split(',')
            .map(|c| c.parse().unwrap_or(f64::NAN))
            .collect();
        let aimed = built_up(0.1, DECAY, t as u32);
        assert!(close(cells[own], aimed), "step {t}");
        assert!(close(cells[bar], 0.8 - KAPPA * aimed), "step {t}");
    }

    let mc = |threads: &str| {
        let out = tmp.path().join(format!("mc-{threads}"));
        let o = zopa(&[
            "mc",
            &file,
            "--runs",
            "64",
            "--per-run",
            "--quiet",
            "--threads",
            threads,
            "--out",
            &out.display().to_string(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (table(&out, "mc.csv"), table(&out, "runs.csv"))
    };
    assert_eq!(mc("1"), mc("3"));
}
