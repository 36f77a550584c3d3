//! Events that repeat (`every`, `until`), watch the step, move red lines,
//! and read the state as the step began: each stated on a small scenario
//! whose answer can be written down, and each bad value refused where it
//! is written, exit 2, nothing written.

use std::path::Path;
use std::process::{Command, Output};

use zopa::model::Scenario;
use zopa::{scenario, sim};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

/// The textbook with the mediator made blind to nothing and no deal
/// possible by default (the buyer's line at 3 keeps the zone shut unless an
/// event opens it), plus `events`.
fn textbook_with(events: &str) -> String {
    let buyer = "ideal = { price = 0 }\n";
    assert!(TEXTBOOK.contains(buyer));
    let text = TEXTBOOK.replacen(
        buyer,
        "ideal = { price = 0 }\nred_lines = [{ issue = \"price\", max = 3 }]\n",
        1,
    );
    format!("{text}\n{events}")
}

fn load(text: String) -> Scenario {
    scenario::parse(Path::new("events.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

/// The steps at which event `e` fired in a run of seed 1.
fn fired_at(sc: &Scenario, e: usize) -> Vec<u32> {
    let tl = sim::run(sc, 1);
    tl.steps
        .iter()
        .filter(|s| s.events.contains(&e))
        .map(|s| s.step)
        .collect()
}

const PRESSURE_UP: &str = "effects = [{ target = \"world.pressure\", add = 0.1 }]";

#[test]
fn a_fixed_step_event_with_every_fires_at_each_wave_up_to_until() {
    let sc = load(textbook_with(&format!(
        "[[events]]\nlabel = \"strike wave\"\nat_step = 2\nevery = 3\nuntil = 9\n{PRESSURE_UP}\n"
    )));
    assert_eq!(fired_at(&sc, 0), vec![2, 5, 8]);
    // Without until it runs to the horizon (12 steps: 0 to 11).
    let sc = load(textbook_with(&format!(
        "[[events]]\nlabel = \"strike wave\"\nat_step = 2\nevery = 3\n{PRESSURE_UP}\n"
    )));
    assert_eq!(fired_at(&sc, 0), vec![2, 5, 8, 11]);
}

#[test]
fn a_chance_event_with_every_may_fire_again_once_that_many_steps_have_passed() {
    let sc = load(textbook_with(&format!(
        "[[events]]\nlabel = \"walkout\"\nprobability = 1\nfrom_step = 1\nuntil_step = 8\nevery = 4\n{PRESSURE_UP}\n"
    )));
    assert_eq!(fired_at(&sc, 0), vec![1, 5]);
}

#[test]
fn a_condition_on_the_step_holds_from_that_step_on() {
    let sc = load(textbook_with(&format!(
        "[[events]]\nlabel = \"late\"\nprobability = 1\nwhen = {{ variable = \"step\", above = 6 }}\n{PRESSURE_UP}\n"
    )));
    assert_eq!(fired_at(&sc, 0), vec![7]);
}

#[test]
fn two_chained_waves_fire_in_consecutive_steps_not_the_same_one() {
    // The second wave waits for the pressure the first adds: it sees the
    // state as the step began, so it fires one step later.
    let sc = load(textbook_with(
        "[[events]]\nlabel = \"first wave\"\nat_step = 3\neffects = [{ target = \"world.pressure\", set = 0.5 }]\n\n\
         [[events]]\nlabel = \"second wave\"\nprobability = 1\nwhen = { variable = \"pressure\", above = 0.4 }\neffects = [{ target = \"world.aid\", set = 0.5 }]\n",
    ));
    assert_eq!(fired_at(&sc, 0), vec![3]);
    assert_eq!(fired_at(&sc, 1), vec![4]);
}

#[test]
fn an_event_that_moves_a_red_line_opens_the_zone_from_its_step() {
    // Seller needs a price of at least 4 (bar 0.4 over 0 to 10); the
    // buyer's line at 3 shuts the zone until the event moves it to 6, when
    // the zone is [4, 6].
    let sc = load(textbook_with(
        "[[events]]\nlabel = \"the buyer's budget grows\"\nat_step = 2\neffects = [{ target = \"parties.buyer.red_lines.price.max\", set = 6 }]\n",
    ));
    let tl = sim::run(&sc, 1);
    assert!(!tl.steps[0].zone_exists() && !tl.steps[1].zone_exists());
    let zone = tl.steps[2].extent_on(0).expect("a zone at step 2");
    assert!(
        (zone.low - 4.0).abs() < 1e-9 && (zone.high - 6.0).abs() < 1e-9,
        "{zone:?}"
    );
    // The scenario itself keeps the line as written.
    assert_eq!(sc.parties[1].red_lines[0].max, Some(3.0));
}

fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

#[test]
fn bad_repeats_and_red_line_effects_are_located_refused_and_write_nothing() {
    let cases: [(&str, &str, &str); 5] = [
        (
            "[[events]]\nlabel = \"w\"\nat_step = 2\nevery = 0\n",
            "every = 0",
            "repeats every 0 steps",
        ),
        (
            "[[events]]\nlabel = \"w\"\nat_step = 2\nuntil = 5\n",
            "until = 5",
            "does not repeat",
        ),
        (
            "[[events]]\nlabel = \"w\"\nat_step = 6\nevery = 2\nuntil = 4\n",
            "until = 4",
            "before it first fires",
        ),
        (
            "[[events]]\nlabel = \"w\"\nat_step = 2\neffects = [{ target = \"parties.buyer.red_lines.price.max\", add = 20 }]\n",
            "\"parties.buyer.red_lines.price.max\", add",
            "outside",
        ),
        (
            "[[events]]\nlabel = \"w\"\nat_step = 2\neffects = [{ target = \"parties.buyer.red_lines.price.max\", set = 11 }]\n",
            "\"parties.buyer.red_lines.price.max\", set",
            "outside",
        ),
    ];
    let tmp = tempfile::tempdir().expect("temp dir");
    for (i, (event, at, says)) in cases.iter().enumerate() {
        let event = if event.contains("effects") {
            event.to_string()
        } else {
            format!("{event}{PRESSURE_UP}\n")
        };
        let text = textbook_with(&event);
        let file = tmp.path().join(format!("case{i}.toml"));
        std::fs::write(&file, &text).expect("write");
        let out = tmp.path().join(format!("out{i}"));
        let o = zopa(&[
            "run",
            &file.display().to_string(),
            "--out",
            &out.display().to_string(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "case {i}: {err}");
        assert!(err.contains(says), "case {i}: {err}");
        let offset = text.find(at).expect("the case's text");
        let line = text[..offset].matches('\n').count() + 1;
        assert!(
            err.contains(&format!("case{i}.toml:{line}:")),
            "case {i} at line {line}: {err}"
        );
        assert!(!out.exists(), "case {i} wrote output");
    }
}

/// A fixed-step event fires exactly at the steps its trigger names, in file
/// order among chance events that draw at every step, in every run of a
/// simulation reused from run to run as the Monte Carlo reuses it; and a
/// reused simulation fires what a fresh one fires.
#[test]
fn fixed_step_events_fire_exactly_when_due_among_chance_events_run_after_run() {
    let fixed = |label: &str, at: u32, repeat: &str| {
        format!("[[events]]\nlabel = \"{label}\"\nat_step = {at}\n{repeat}{PRESSURE_UP}\n\n")
    };
    let chance = |label: &str, rest: &str| {
        format!("[[events]]\nlabel = \"{label}\"\n{rest}\n{PRESSURE_UP}\n\n")
    };
    let events = [
        chance("coin", "probability = 0.5\nevery = 1"),
        fixed("opening", 0, ""),
        fixed("twin a", 3, ""),
        chance(
            "sure thing",
            "probability = 1\nfrom_step = 5\nuntil_step = 6\nevery = 1",
        ),
        fixed("twin b", 3, ""),
        fixed("wave", 2, "every = 4\nuntil = 10\n"),
        fixed("last", 11, ""),
    ]
    .concat();
    let sc = load(textbook_with(&events));
    let sure = 3;
    let expected_fixed = |t: u32| -> Vec<usize> {
        (0..sc.events.len())
            .filter(|&e| {
                let ev = &sc.events[e];
                matches!(ev.trigger, zopa::model::Trigger::At(_)) && ev.due(t, None)
            })
            .collect()
    };
    let mut reused = sim::Simulation::new(&sc);
    for seed in [1, 2, 3, 1] {
        let mut fresh = sim::Simulation::new(&sc);
        reused.reset();
        let (mut a, mut b) = (zopa::rng::stream(seed, 0), zopa::rng::stream(seed, 0));
        for t in 0..sc.steps {
            reused.advance(t, &mut a);
            fresh.advance(t, &mut b);
            let fired = reused.fired().to_vec();
            assert_eq!(fired, fresh.fired(), "seed {seed}, step {t}");
            assert!(fired.is_sorted(), "file order at step {t}: {fired:?}");
            let fixed_fired: Vec<usize> = (fired.iter().copied())
                .filter(|&e| matches!(sc.events[e].trigger, zopa::model::Trigger::At(_)))
                .collect();
            assert_eq!(fixed_fired, expected_fixed(t), "seed {seed}, step {t}");
            assert_eq!(fired.contains(&sure), (5..=6).contains(&t), "step {t}");
        }
    }
    // The coin is drawn at every step: in the run of seed 1 it fires at
    // some of the 12 steps and not at others.
    let coin: Vec<u32> = fired_at(&sc, 0);
    assert!(!coin.is_empty() && coin.len() < 12, "{coin:?}");
}
