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

/// Two parties on one issue [0, 1] bargaining by alternating offers with
/// linear tactics: a buyer (ideal 0) whose limit is `b`, a seller (ideal
/// 1) whose limit is `s`, over `steps` steps.
fn linear_sale(b: f64, s: f64, steps: u32) -> String {
    format!(
        r##"
[scenario]
name = "sale"
title = "Sale"
description = "Linear tactics."
source = ""

[time]
steps = {steps}
step_unit = "round"

[[issues]]
id = "price"
label = "Price"
min = 0
max = 1

[[parties]]
id = "buyer"
name = "Buyer"
colour = "#0072b2"
archetype = "sustained_pressure"
reservation = {}
ideal = {{ price = 0 }}
knobs = {{ tactic_e = 1, tactic_k = 0 }}

[[parties]]
id = "seller"
name = "Seller"
colour = "#d55e00"
archetype = "sustained_pressure"
reservation = {s}
ideal = {{ price = 1 }}
knobs = {{ tactic_e = 1, tactic_k = 0 }}

[world]
front_issue = "price"

[mediator]
protocol = "alternating_offers"
"##,
        1.0 - b
    )
}

#[test]
fn linear_tactics_meet_where_the_two_lines_cross() {
    // The buyer offers b t, the seller 1 - (1 - s) t: they cross at
    // t* = 1 / (1 + b - s), at the price b t*.
    for (b, s) in [(0.7, 0.4), (0.9, 0.2), (0.55, 0.45)] {
        let steps = 201;
        let tl = sim::run(&load(linear_sale(b, s, steps)), 1);
        let zopa::sim::Outcome::Deal { step, settlement } = &tl.outcome else {
            panic!("{b} {s}: no deal");
        };
        let dt = 1.0 / f64::from(steps - 1);
        let t = f64::from(*step) * dt;
        let t_star = 1.0 / (1.0 + b - s);
        assert!(
            (t - t_star).abs() <= dt + 1e-12,
            "{b} {s}: t {t} vs {t_star}"
        );
        let price = b * t_star;
        assert!(
            (settlement[0] - price).abs() <= dt,
            "{b} {s}: {} vs {price}",
            settlement[0]
        );
    }
}

#[test]
fn a_boulware_agent_concedes_less_early_than_a_conceder() {
    use zopa::negotiate::Tactic;
    let boulware = Tactic { e: 0.25, k: 0.0 };
    let conceder = Tactic { e: 4.0, k: 0.0 };
    let linear = Tactic { e: 1.0, k: 0.0 };
    for t in [0.1, 0.3, 0.5, 0.8] {
        assert!(boulware.conceded(t) < linear.conceded(t));
        assert!(linear.conceded(t) < conceder.conceded(t));
        assert!((linear.conceded(t) - t).abs() < 1e-15);
    }
    for tactic in [boulware, conceder, linear] {
        assert_eq!(tactic.conceded(0.0), 0.0);
        assert_eq!(tactic.conceded(1.0), 1.0);
    }
    // k is conceded at once.
    assert!((Tactic { e: 1.0, k: 0.2 }.conceded(0.0) - 0.2).abs() < 1e-15);
}

#[test]
fn the_negmas_setup_by_alternating_offers_meets_where_the_hand_calculation_says() {
    // A (Boulware, e = 0.25) offers 70 t^4, B (Conceder, e = 4) offers
    // 100 - 60 t^(1/4), t = step / 59; each accepts an offer at least as
    // good as its own next one. The first step where that holds, by hand:
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/negmas-alternating.toml");
    let sc = zopa::scenario::load(&path).unwrap();
    let offer = |step: u32| {
        let t = f64::from(step) / 59.0;
        if step.is_multiple_of(2) {
            70.0 * t.powi(4)
        } else {
            100.0 - 60.0 * t.powf(0.25)
        }
    };
    let accepted = |step: u32| {
        let next = f64::from(step + 1) / 59.0;
        if step.is_multiple_of(2) {
            offer(step) >= 100.0 - 60.0 * next.powf(0.25) - 1e-9
        } else {
            offer(step) <= 70.0 * next.powi(4) + 1e-9
        }
    };
    let deal = (0..60).find(|&s| accepted(s)).unwrap();
    let tl = sim::run(&sc, 1);
    let zopa::sim::Outcome::Deal { step, settlement } = &tl.outcome else {
        panic!("no deal");
    };
    assert_eq!(*step, deal);
    assert!((settlement[0] - offer(deal)).abs() < 1e-6, "{settlement:?}");
}
