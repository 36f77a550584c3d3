//! Bargaining theory against its closed forms: Fearon's range of
//! settlements both sides prefer to war, and its Nash point.

use std::path::Path;

use zopa::sim;

/// Fearon's one-issue war: A gets share `y` of a stake on [0, 1] (its ideal
/// 1), B the rest (ideal 0); fighting gives A an expected `p` at a cost
/// `c_a`, B `1 - p` at `c_b`. The front stands still at `p`.
fn fearon(p: f64, c_a: f64, c_b: f64, lookahead: u32) -> String {
    let per = |c: f64| c / f64::from(lookahead);
    format!(
        r##"
[scenario]
name = "fearon"
title = "Fearon"
description = "The bargaining range of war."
source = ""

[time]
steps = 20
step_unit = "round"

[[issues]]
id = "stake"
label = "A's share of the stake"
min = 0
max = 1

[[parties]]
id = "a"
name = "A"
colour = "#0072b2"
archetype = "war_bargaining"
veto = true
reservation = 0.5
ideal = {{ stake = 1 }}
knobs = {{ lookahead = {lookahead}, cost_per_step = {} }}

[[parties]]
id = "b"
name = "B"
colour = "#d55e00"
archetype = "war_bargaining"
veto = true
reservation = 0.5
ideal = {{ stake = 0 }}
knobs = {{ lookahead = {lookahead}, cost_per_step = {} }}

[world]
front_issue = "stake"
front = {p}
advance = 0
pressure_drag = 0
aid_drag = 0
noise = 0

[mediator]
perception_noise = 0
"##,
        per(c_a),
        per(c_b)
    )
}

fn load(text: String) -> zopa::model::Scenario {
    zopa::scenario::parse(Path::new("fearon.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_zone_is_fearons_bargaining_range_and_the_nash_point_its_middle() {
    for lookahead in [1, 4] {
        let sc = load(fearon(0.6, 0.1, 0.15, lookahead));
        let tl = sim::run(&sc, 1);
        let s = &tl.steps[0];
        let z = s.extent_on(0).expect("a zone");
        assert!((z.low - 0.5).abs() < 1e-9, "{z:?}");
        assert!((z.high - 0.75).abs() < 1e-9, "{z:?}");
        assert!(s.point_is_nash);
        assert!((s.point[0] - 0.625).abs() < 1e-6, "{:?}", s.point);
        // The bars are the values of war: p - c_a and 1 - p - c_b.
        assert!((s.reservation[0] - 0.5).abs() < 1e-12);
        assert!((s.reservation[1] - 0.25).abs() < 1e-12);
    }
}

#[test]
fn costlier_war_widens_the_range_by_exactly_the_added_cost() {
    for (c_a, c_b) in [(0.0, 0.0), (0.05, 0.2), (0.3, 0.1)] {
        let p = 0.4;
        let sc = load(fearon(p, c_a, c_b, 2));
        let z = sim::run(&sc, 1).steps[0].extent_on(0).unwrap();
        assert!((z.low - (p - c_a)).abs() < 1e-9, "{c_a} {c_b}: {z:?}");
        assert!((z.high - (p + c_b)).abs() < 1e-9, "{c_a} {c_b}: {z:?}");
    }
}
