//! The archetypes, the world and events behave as docs/model.md says.

use std::path::Path;

use zopa::model::Scenario;
use zopa::scenario;
use zopa::sim::{self, Outcome};

/// A two-party scenario on one issue (0..100, front at 50) with the given
/// party tables, world lines and extra TOML appended.
fn scenario(parties: &str, world: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "spec"
title = "Spec"

[time]
steps = 20

[[issues]]
id = "land"
label = "Land"
min = 0
max = 100

{parties}

[world]
front_issue = "land"
front = 50
{world}

{extra}
"#
    );
    scenario::parse(Path::new("spec.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

const HOLDER: &str = r##"
[[parties]]
id = "holder"
name = "Holder"
colour = "#000000"
archetype = "sustained_pressure"
reservation = 0.99
ideal = { land = 0 }
"##;

#[test]
fn quick_deal_bar_follows_its_concession_curve_to_zero_at_the_deadline() {
    let sc = scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "dealer"
name = "Dealer"
colour = "#0000ff"
archetype = "quick_deal"
reservation = 0.8
ideal = {{ land = 100 }}
knobs = {{ deadline = 10, concession = 2.0 }}
"##
        ),
        "",
        "",
    );
    let tl = sim::run(&sc, 1);
    for s in &tl.steps {
        let tau = (f64::from(s.step) / 10.0).min(1.0);
        let expected = 0.8 * (1.0 - tau.powf(0.5));
        assert!(
            (s.reservation[1] - expected).abs() < 1e-12,
            "step {}",
            s.step
        );
    }
    // The holder accepts land <= 1 only, so there is no zone (and no deal)
    // until the dealer's bar has fallen to zero at its deadline.
    assert!(tl.steps.len() > 10);
    assert_eq!(tl.steps[10].reservation[1], 0.0);
}

#[test]
fn political_victory_demands_the_fronts_furthest_point_plus_a_margin_that_pressure_wears_down() {
    let sc = scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "victor"
name = "Victor"
colour = "#ff0000"
archetype = "political_victory"
reservation = 0.0
ideal = {{ land = 100 }}
knobs = {{ victory_margin = 4, breaking_pressure = 0.8 }}
"##
        ),
        // The front advances 1 per step; pressure fixed at 0.2.
        "advance = 1.0\npressure = 0.2",
        "",
    );
    let tl = sim::run(&sc, 1);
    let mut furthest = f64::NEG_INFINITY;
    for s in &tl.steps {
        furthest = furthest.max(s.front);
        let demand = furthest + 4.0 * (1.0 - 0.2 / 0.8);
        let low = s.ranges[1].expect("the victor accepts something").low;
        assert!(
            (low - demand).abs() < 1e-9,
            "step {}: {low} vs {demand}",
            s.step
        );
    }
    assert!((tl.steps[19].front - 69.0).abs() < 1e-9);
}

#[test]
fn pressure_builds_towards_the_level_its_decay_allows() {
    // P(t+1) = P(t) (1 - d) + a, so P(t) = a/d + (P0 - a/d) (1 - d)^t.
    let sc = scenario(
        r##"
[[parties]]
id = "presser"
name = "Presser"
colour = "#00ff00"
archetype = "sustained_pressure"
reservation = 0.1
ideal = { land = 0 }
knobs = { pressure_per_step = 0.02 }

[[parties]]
id = "other"
name = "Other"
colour = "#ff0000"
archetype = "sustained_pressure"
reservation = 0.1
ideal = { land = 100 }
"##,
        "pressure = 0.1\npressure_decay = 0.05",
        "",
    );
    let tl = sim::run(&sc, 1);
    let (a, d, p0) = (0.02f64, 0.05f64, 0.1f64);
    for s in &tl.steps {
        let expected = a / d + (p0 - a / d) * (1.0 - d).powi(s.step as i32);
        assert!((s.pressure - expected).abs() < 1e-12, "step {}", s.step);
    }
}

#[test]
fn scripted_events_fire_at_their_step_and_chance_events_by_their_probability() {
    let parties = format!(
        r##"{HOLDER}
[[parties]]
id = "other"
name = "Other"
colour = "#ff0000"
archetype = "sustained_pressure"
reservation = 0.9
ideal = {{ land = 100 }}
"##
    );
    let events = r#"
[[events]]
label = "pressure jumps"
at_step = 5
effects = [{ target = "world.pressure", set = 0.7 }]

[[events]]
label = "certain"
probability = 1.0
from_step = 3
effects = [{ target = "parties.other.reservation", scale = 0.5 }]

[[events]]
label = "impossible"
probability = 0.0
effects = [{ target = "world.aid", add = 0.5 }]
"#;
    let sc = scenario(&parties, "", events);
    let tl = sim::run(&sc, 3);
    for s in &tl.steps {
        let fired: Vec<&str> = s
            .events
            .iter()
            .map(|&e| sc.events[e].label.as_str())
            .collect();
        match s.step {
            3 => assert_eq!(fired, ["certain"]),
            5 => assert_eq!(fired, ["pressure jumps"]),
            _ => assert!(fired.is_empty(), "step {}: {fired:?}", s.step),
        }
        assert_eq!(s.pressure, if s.step >= 5 { 0.7 } else { 0.0 });
        assert_eq!(s.aid, 0.0);
        let expected = if s.step >= 3 { 0.45 } else { 0.9 };
        assert!((s.reservation[1] - expected).abs() < 1e-12);
    }
}

#[test]
fn a_deal_is_accepted_by_every_consenting_party_and_ends_the_run() {
    let sc = scenario(
        r##"
[[parties]]
id = "a"
name = "A"
colour = "#ff0000"
archetype = "sustained_pressure"
reservation = 0.3
ideal = { land = 0 }

[[parties]]
id = "b"
name = "B"
colour = "#0000ff"
archetype = "sustained_pressure"
reservation = 0.3
ideal = { land = 100 }
"##,
        "",
        "[mediator]\nperception_noise = 0.2",
    );
    for seed in 0..40 {
        let tl = sim::run(&sc, seed);
        let Outcome::Deal { step, settlement } = &tl.outcome else {
            panic!(
                "a wide zone and a noisy mediator still reach a deal within 20 steps (seed {seed})"
            );
        };
        assert_eq!(
            *step as usize,
            tl.steps.len() - 1,
            "the run ends at the deal"
        );
        // Both accept: A needs land <= 70, B needs land >= 30.
        assert!(
            (30.0 - 1e-6..=70.0 + 1e-6).contains(&settlement[0]),
            "{settlement:?}"
        );
        let last = tl.steps.last().unwrap();
        assert_eq!(last.proposal.as_ref().unwrap().accepted_by, vec![0, 1]);
    }
}

#[test]
fn an_impatient_quick_dealer_walks_away_and_its_consent_is_no_longer_needed() {
    // Holder wants 0 at any price; the dealer wants 100 and gives up after
    // 3 steps without a zone. Afterwards only the holder's consent counts,
    // so the zone opens.
    let sc = scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "dealer"
name = "Dealer"
colour = "#0000ff"
archetype = "quick_deal"
reservation = 0.9
ideal = {{ land = 100 }}
knobs = {{ deadline = 1000, patience = 3 }}
"##
        ),
        "",
        "",
    );
    let tl = sim::run(&sc, 1);
    let walked: Vec<(u32, &Vec<usize>)> = tl
        .steps
        .iter()
        .filter(|s| !s.walked_away.is_empty())
        .map(|s| (s.step, &s.walked_away))
        .collect();
    assert_eq!(walked, vec![(2, &vec![1])]);
    assert!(!tl.steps[2].zone_exists() && tl.steps[3].zone_exists());
    assert!(!tl.steps[3].engaged[1]);
}

#[test]
fn a_run_is_a_pure_function_of_scenario_and_seed() {
    let sc = scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "victor"
name = "Victor"
colour = "#ff0000"
archetype = "political_victory"
reservation = 0.5
ideal = {{ land = 100 }}
"##
        ),
        "noise = 2.0\nadvance = 0.5",
        "[[events]]\nlabel = \"x\"\nprobability = 0.2\neffects = [{ target = \"world.front\", add = 3 }]\n",
    );
    assert_eq!(sim::run(&sc, 11), sim::run(&sc, 11));
    assert_ne!(sim::run(&sc, 11), sim::run(&sc, 12));
}

#[test]
fn when_every_consenting_party_walks_away_nothing_blocks_any_more() {
    // Found by the property test: the blockers of the step before must not
    // be carried into a step where nobody's consent is needed.
    let sc = scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "other"
name = "Other"
colour = "#ff0000"
archetype = "sustained_pressure"
reservation = 0.99
ideal = {{ land = 100 }}
"##
        ),
        "",
        r#"
[[events]]
label = "everyone leaves"
at_step = 2
effects = [
  { target = "parties.holder.engaged", set = 0 },
  { target = "parties.other.engaged", set = 0 },
]
"#,
    );
    let tl = sim::run(&sc, 1);
    assert!(!tl.steps[1].zone_exists() && !tl.steps[1].blockers.is_empty());
    assert!(tl.steps[2].zone_exists() && tl.steps[2].blockers.is_empty());
}

/// The holder against a dealer whose bar falls to zero by step 10: the gap
/// shrinks step by step (no mediator, so no deal ends the run).
fn closing_talks(event: &str) -> Scenario {
    scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "dealer"
name = "Dealer"
colour = "#0000ff"
archetype = "quick_deal"
reservation = 0.8
ideal = {{ land = 100 }}
knobs = {{ deadline = 10, concession = 1.0 }}
"##
        ),
        "",
        &format!(
            "[mediator]\nparty = \"holder\"\nlearning = false\nperception_noise = 1\n\n{event}"
        ),
    )
}

#[test]
fn an_event_conditioned_on_the_gap_fires_only_once_talks_are_that_close() {
    // "As talks near a breakthrough" (article line 23): certain once the
    // gap of the step before is below 0.3, impossible before.
    let sc = closing_talks(
        r##"[[events]]
id = "offensive"
label = "Offensive as talks near a breakthrough"
probability = 1
when = { variable = "gap", below = 0.3 }
effects = [{ target = "world.front", add = 5 }]
"##,
    );
    let tl = sim::run(&sc, 1);
    let fired: Vec<u32> = tl
        .steps
        .iter()
        .filter(|s| !s.events.is_empty())
        .map(|s| s.step)
        .collect();
    assert_eq!(fired.len(), 1, "fires once: {fired:?}");
    let at = fired[0] as usize;
    assert!(
        at > 0 && tl.steps[at - 1].gap < 0.3,
        "the gap before was below 0.3"
    );
    for s in 1..at {
        assert!(
            tl.steps[s - 1].gap >= 0.3,
            "step {s}: the gap before was {}",
            tl.steps[s - 1].gap
        );
    }
    // Its id names it for sweeps; numbers on charts follow the file.
    assert_eq!(
        sc.parse_target("events.offensive.probability"),
        Ok(zopa::model::Target::EventProbability(0))
    );
    assert_eq!(zopa::chart::fired_events(&sc, &tl)[0].number, 1);
}

#[test]
fn a_condition_on_the_world_reads_this_steps_world() {
    // Pressure rises by 0.1 a step from 0; an event waits for it to pass 0.45.
    let sc = scenario(
        HOLDER,
        "pressure = 0\n",
        r##"[[parties]]
id = "squeezer"
name = "Squeezer"
colour = "#00ff00"
archetype = "sustained_pressure"
reservation = 0.1
ideal = { land = 100 }
knobs = { pressure_per_step = 0.1 }

[[events]]
label = "Pressure bites"
probability = 1
when = { variable = "pressure", above = 0.45 }
effects = [{ target = "parties.holder.reservation", set = 0.5 }]
"##,
    );
    let tl = sim::run(&sc, 1);
    let at = tl
        .steps
        .iter()
        .position(|s| !s.events.is_empty())
        .expect("it fires");
    assert!(tl.steps[at].pressure > 0.45 && tl.steps[at - 1].pressure <= 0.45);
}

#[test]
fn a_quick_dealers_bar_falls_to_its_floor_not_to_nothing() {
    let sc = scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "dealer"
name = "Dealer"
colour = "#0000ff"
archetype = "quick_deal"
reservation = 0.8
ideal = {{ land = "more" }}
knobs = {{ deadline = 10, concession = 1.0, floor = 0.3 }}
"##
        ),
        "",
        "",
    );
    assert_eq!(sc.parties[1].ideal[0], 100.0, "\"more\" is the issue's max");
    let tl = sim::run(&sc, 1);
    for s in &tl.steps {
        let tau = (f64::from(s.step) / 10.0).min(1.0);
        let expected = 0.3 + 0.5 * (1.0 - tau);
        assert!(
            (s.reservation[1] - expected).abs() < 1e-12,
            "step {}",
            s.step
        );
    }
}

#[test]
fn a_territorial_line_gives_way_as_aid_falls_below_its_threshold() {
    // Aid decays from 0.6 by 20% a step; the holder's line at the front
    // (50) gives way by up to 10 land units as aid falls below 0.4.
    let sc = scenario(
        r##"
[[parties]]
id = "holder"
name = "Holder"
colour = "#000000"
archetype = "sustained_pressure"
reservation = 0.2
ideal = { land = 0 }
red_lines = [{ issue = "land", max = 0, follows_front = true }]
knobs = { aid_threshold = 0.4, line_give = 10 }

[[parties]]
id = "taker"
name = "Taker"
colour = "#0000ff"
archetype = "sustained_pressure"
reservation = 0.6
ideal = { land = 100 }
"##,
        "aid = 0.6\naid_decay = 0.2\n",
        "",
    );
    let tl = sim::run(&sc, 1);
    for s in &tl.steps {
        let give = 10.0 * (1.0 - s.aid / 0.4).max(0.0);
        let high = s.ranges[0].expect("the holder accepts something").high;
        assert!(
            (high - (50.0 + give).min(100.0)).abs() < 1e-9,
            "step {}: {high}",
            s.step
        );
    }
    assert!(
        tl.steps.last().unwrap().aid < 0.4,
        "aid fell below the threshold"
    );
}

#[test]
fn any_party_may_contribute_aid_and_stops_when_it_walks_away() {
    // A quick dealer gives 0.05 aid a step and walks away after 3 steps
    // without a zone (the holder and it are far apart).
    let sc = scenario(
        &format!(
            r##"{HOLDER}
[[parties]]
id = "dealer"
name = "Dealer"
colour = "#0000ff"
archetype = "quick_deal"
reservation = 0.9
ideal = {{ land = 100 }}
knobs = {{ aid_per_step = 0.05, patience = 3 }}
"##
        ),
        "aid = 0",
        "",
    );
    let tl = sim::run(&sc, 1);
    let left = tl
        .steps
        .iter()
        .position(|s| !s.walked_away.is_empty())
        .expect("it walks away");
    for s in 1..=left {
        assert!(
            (tl.steps[s].aid - 0.05 * s as f64).abs() < 1e-12,
            "step {s}"
        );
    }
    let after = tl.steps[left].aid;
    assert!(
        tl.steps[left + 1..].iter().all(|s| s.aid == after),
        "no aid once it has left"
    );
}
