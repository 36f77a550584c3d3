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
ideal = {{ stake = 1 }}
knobs = {{ lookahead = {lookahead}, cost_per_step = {} }}

[[parties]]
id = "b"
name = "B"
colour = "#d55e00"
archetype = "war_bargaining"
veto = true
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

mod outcome_space {
    use zopa::zone::outcome::{kalai_smorodinsky, pareto_pair, pareto_room};
    use zopa::zone::{MAX_ISSUES, Solver, Terms};

    fn terms(ideal: &[f64], weight: &[f64], bar: f64) -> Terms {
        let (mut i, mut w) = ([0.0; MAX_ISSUES], [0.0; MAX_ISSUES]);
        i[..ideal.len()].copy_from_slice(ideal);
        w[..weight.len()].copy_from_slice(weight);
        Terms::new(i, w, bar)
    }

    /// The frontier's `b` utility at `a` utility `u` (it falls as `u`
    /// rises), by linear interpolation between its corners; left of its
    /// end, `b`'s best (every such settlement is dominated by `b`'s ideal).
    fn frontier_at(front: &[(f64, f64)], u: f64) -> f64 {
        let end = front.last().unwrap();
        if u < end.0 {
            return end.1;
        }
        let mut best = f64::NEG_INFINITY;
        for w in front.windows(2) {
            let ((u0, v0), (u1, v1)) = (w[0], w[1]);
            let (lo, hi) = (u0.min(u1), u0.max(u1));
            if u >= lo - 1e-12 && u <= hi + 1e-12 {
                let v = if (u1 - u0).abs() < 1e-15 {
                    v0.max(v1)
                } else {
                    v0 + (v1 - v0) * (u - u0) / (u1 - u0)
                };
                best = best.max(v);
            }
        }
        best
    }

    #[test]
    fn no_settlement_beats_the_pareto_frontier_of_two_parties() {
        let a = terms(&[0.1, 0.9, 0.5], &[0.5, 0.2, 0.3], 0.4);
        let b = terms(&[0.8, 0.2, 0.5], &[0.1, 0.6, 0.3], 0.4);
        let front = pareto_pair(3, &a, &b);
        assert!((front[0].0 - 1.0).abs() < 1e-12, "starts at a's ideal");
        assert!(
            (front.last().unwrap().1 - 1.0).abs() < 1e-12,
            "ends at b's ideal"
        );
        let n = 21;
        for i in 0..n {
            for j in 0..n {
                for k in 0..n {
                    let y = [i as f64 / 20.0, j as f64 / 20.0, k as f64 / 20.0];
                    let (u, v) = (a.utility(3, &y), b.utility(3, &y));
                    assert!(
                        v <= frontier_at(&front, u) + 1e-9,
                        "{y:?} beats the frontier"
                    );
                }
            }
        }
    }

    #[test]
    fn the_kalai_smorodinsky_point_gives_every_party_the_same_share_of_its_best_gain() {
        // Fearon's range on one issue: KS is its middle, 0.625.
        let a = terms(&[1.0], &[1.0], 0.5);
        let b = terms(&[0.0], &[1.0], 0.25);
        let ks = kalai_smorodinsky(&mut <Solver>::default(), 1, &[a, b]).unwrap();
        assert!((ks[0] - 0.625).abs() < 1e-9, "{ks:?}");
        // Two issues, unequal weights: equal shares of the best gains.
        let a = terms(&[1.0, 1.0], &[0.7, 0.3], 0.3);
        let b = terms(&[0.0, 0.0], &[0.2, 0.8], 0.2);
        let mut solver = <Solver>::default();
        let ks = kalai_smorodinsky(&mut solver, 2, &[a.clone(), b.clone()]).unwrap();
        let best = |t: &Terms, other: &Terms| {
            // The best t can get with `other` at its bar, by a fine grid.
            let mut m = f64::NEG_INFINITY;
            for i in 0..=400 {
                for j in 0..=40 {
                    let y = [i as f64 / 400.0, j as f64 / 40.0];
                    if other.utility(2, &y) >= other.reservation - 1e-12 {
                        m = m.max(t.utility(2, &y));
                    }
                }
            }
            m
        };
        let share =
            |t: &Terms, m: f64| (t.utility(2, &ks[..2]) - t.reservation) / (m - t.reservation);
        let (sa, sb) = (share(&a, best(&a, &b)), share(&b, best(&b, &a)));
        assert!((sa - sb).abs() < 0.01, "{sa} vs {sb}");
        // And it is on the frontier: nobody can gain without the other losing.
        assert!(pareto_room(&mut solver, 2, &[a, b], &ks[..2]) < 1e-9);
    }

    #[test]
    fn pareto_room_is_the_equal_gain_left_on_the_table() {
        // Opposed ideals on one issue: every settlement is efficient.
        let a = terms(&[1.0], &[1.0], 0.0);
        let b = terms(&[0.0], &[1.0], 0.0);
        assert!(pareto_room(&mut <Solver>::default(), 1, &[a, b], &[0.3]) < 1e-9);
        // Shared ideals on a second issue: settling it away from them
        // leaves room, exactly the loss each takes there.
        let a = terms(&[1.0, 0.5], &[0.5, 0.5], 0.0);
        let b = terms(&[0.0, 0.5], &[0.5, 0.5], 0.0);
        let room = pareto_room(&mut <Solver>::default(), 2, &[a, b], &[0.5, 0.9]);
        assert!((room - 0.2).abs() < 1e-9, "{room}");
    }
}

#[test]
fn run_writes_the_outcome_chart_and_refuses_an_unknown_pair() {
    let out = tempfile::tempdir().unwrap();
    let zopa = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    };
    let dir = out.path().join("a");
    let o = zopa(&[
        "run",
        "scenarios/budapest-cancelled.toml",
        "-q",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let svg = std::fs::read_to_string(dir.join("outcome.svg")).unwrap();
    assert!(svg.contains("what Russia and Ukraine can get at week 51"));
    assert!(dir.join("outcome.png").is_file());
    let bad = out.path().join("b");
    let o = zopa(&[
        "run",
        "scenarios/budapest-cancelled.toml",
        "--outcome-pair",
        "russia,kremlin",
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`kremlin`") && err.contains("usa, russia, ukraine, europe"),
        "{err}"
    );
    assert!(!bad.exists(), "nothing written");
}

/// The rationalist-explanations scenario with the switches `set` turned on.
fn rationalist(set: &[(&str, f64)]) -> zopa::model::Scenario {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rationalist-explanations.toml");
    let mut sc = zopa::scenario::load(&path).unwrap();
    for (path, value) in set {
        let a = zopa::model::Assignment {
            path: path.to_string(),
            value: zopa::model::Setting::Number(*value),
        };
        sc.assign(&a).unwrap();
    }
    sc
}

const SEEDS: std::ops::RangeInclusive<u64> = 1..=8;

#[test]
fn as_written_both_prefer_a_deal_to_war_and_make_one_at_once() {
    let sc = rationalist(&[]);
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        assert!(tl.steps[0].zone_exists(), "seed {seed}");
        assert!(
            matches!(tl.outcome, zopa::sim::Outcome::Deal { step: 0, .. }),
            "seed {seed}"
        );
    }
}

#[test]
fn private_information_delays_the_deal_though_the_zone_is_there_throughout() {
    let sc = rationalist(&[("mediator.perception_noise", 0.2)]);
    let mut late = 0;
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        assert!(
            tl.steps.iter().all(|s| s.zone_exists()),
            "seed {seed}: a zone at every step"
        );
        match tl.outcome {
            zopa::sim::Outcome::Deal { step, .. } if step > 0 => late += 1,
            zopa::sim::Outcome::Missed { .. } => late += 1,
            _ => {}
        }
    }
    assert!(
        late >= 6,
        "the deal comes late (or never) in most runs: {late} of 8"
    );
}

#[test]
fn a_commitment_problem_keeps_the_zone_shut_for_months_and_moves_the_deal() {
    let calm = rationalist(&[]);
    let sc = rationalist(&[("world.advance", 0.5)]);
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        let first = tl.first_zone().expect("it opens in the end");
        assert!(
            first >= 10,
            "seed {seed}: no zone for months (first at {first})"
        );
        let (
            zopa::sim::Outcome::Deal { settlement, .. },
            zopa::sim::Outcome::Deal {
                settlement: at_once,
                ..
            },
        ) = (&tl.outcome, &sim::run(&calm, seed).outcome)
        else {
            panic!("seed {seed}: deals expected");
        };
        assert!(
            settlement[0] > at_once[0] + 5.0,
            "seed {seed}: far beyond today's line"
        );
    }
}

#[test]
fn an_indivisible_stake_crosses_the_lines_while_the_bars_leave_room() {
    let sc = rationalist(&[
        ("parties.russia.red_lines.territory.min", 2.0),
        ("parties.ukraine.red_lines.territory.max", 0.0),
    ]);
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        for s in &tl.steps {
            assert!(
                !s.zone_exists() && s.lines_cross(),
                "seed {seed} step {}",
                s.step
            );
            assert!(
                s.bar_gap <= 0.0,
                "seed {seed} step {}: the bars alone leave room",
                s.step
            );
        }
    }
}

#[test]
fn the_protocol_flag_gives_the_timeline_of_the_file_with_that_protocol() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/negmas-bilateral.toml")).unwrap();
    let edited = tmp.path().join("edited.toml");
    std::fs::write(
        &edited,
        text.replace(
            "[mediator]\n",
            "[mediator]\nprotocol = \"alternating_offers\"\n",
        ),
    )
    .unwrap();
    let run = |args: &[&str], out: &Path| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(args)
            .args(["-q", "--out", out.to_str().unwrap()])
            .current_dir(root)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = std::fs::read_to_string(out.join("timeline.csv")).unwrap();
        // The provenance line, then the table.
        let (provenance, table) = text.split_once('\n').unwrap();
        (provenance.to_string(), table.to_string())
    };
    let flag = run(
        &[
            "run",
            "scenarios/negmas-bilateral.toml",
            "--protocol",
            "alternating_offers",
        ],
        &tmp.path().join("a"),
    );
    let file = run(&["run", edited.to_str().unwrap()], &tmp.path().join("b"));
    assert_eq!(flag.1, file.1);
    // Only the flag is a variant, and its provenance line says so.
    assert!(
        flag.0.contains(r#""path":"mediator.protocol""#),
        "{}",
        flag.0
    );
    assert!(file.0.contains(r#""variant":[]"#), "{}", file.0);
    let mediated = run(
        &["run", "scenarios/negmas-bilateral.toml"],
        &tmp.path().join("c"),
    );
    assert_ne!(flag.1, mediated.1, "the protocol changes the run");
}

#[test]
fn a_proposals_room_to_the_pareto_frontier_matches_a_search_over_settlements() {
    // The Fearon scenario on two issues, with a mediator that misjudges the
    // bars so its proposals wander: for each, the equal gain left for both
    // parties, found by a fine grid within their red lines, matches the
    // column (to the grid's resolution).
    let sc = rationalist(&[("mediator.perception_noise", 0.2)]);
    let tl = sim::run(&sc, 3);
    let csv = zopa::output::timeline_csv(&sc, &tl);
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = head
        .iter()
        .position(|h| *h == "proposal_pareto_room")
        .unwrap();
    let mut checked = 0;
    for (s, line) in tl.steps.iter().zip(lines) {
        let Some(p) = &s.proposal else { continue };
        let room: f64 = line.split(',').nth(col).unwrap().parse().unwrap();
        let norm: Vec<f64> = sc
            .issues
            .iter()
            .zip(&p.point)
            .map(|(i, &v)| i.normalise(v))
            .collect();
        let terms: Vec<_> = s.consenting.iter().map(|&q| s.terms[q].clone()).collect();
        let mut best = f64::NEG_INFINITY;
        for i in 0..=300 {
            for j in 0..=60 {
                let y = [i as f64 / 300.0, j as f64 / 60.0];
                let inside = terms.iter().all(|t| {
                    (0..2).all(|k| y[k] >= t.lower[k] - 1e-12 && y[k] <= t.upper[k] + 1e-12)
                });
                if inside {
                    let gain = terms
                        .iter()
                        .map(|t| t.utility(2, &y) - t.utility(2, &norm))
                        .fold(f64::INFINITY, f64::min);
                    best = best.max(gain);
                }
            }
        }
        assert!(
            room >= best.max(0.0) - 1e-6,
            "step {}: {room} < {best}",
            s.step
        );
        assert!(
            room <= best.max(0.0) + 0.01,
            "step {}: {room} > {best}",
            s.step
        );
        checked += 1;
    }
    assert!(checked >= 2, "{checked} proposals checked");
}

#[test]
fn the_summary_prints_the_bargaining_points_and_the_deal_quality_it_reports() {
    // The text summary's lines, recomputed from the JSON summary's numbers.
    let run = |format: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args([
                "run",
                "scenarios/rationalist-explanations.toml",
                "--seed",
                "2",
            ])
            .args(["--set", "mediator.perception_noise=0.2", "--format", format])
            .arg("--out")
            .arg(tempfile::tempdir().unwrap().path().join(format))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    let text = run("text").replace("\n               ", " ");
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let point = |key: &str| {
        let parts: Vec<String> = v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{} {:.2}",
                    p["issue"].as_str().unwrap(),
                    p["value"].as_f64().unwrap()
                )
            })
            .collect();
        parts.join(", ")
    };
    assert!(text.contains(&format!(
        "nash point:    {} (first zone)",
        point("first_zone_nash")
    )));
    assert!(text.contains(&format!(
        "kalai-smor.:   {} (first zone)",
        point("first_zone_kalai_smorodinsky")
    )));
    let room = v["deal_pareto_room"].as_f64().unwrap();
    let nash = v["deal_nash_distance"].as_f64().unwrap();
    let quality = format!(
        "deal quality:  {room:.4} of utility left for everyone (0: Pareto-efficient); {nash:.4} from the Nash point"
    );
    assert!(text.contains(&quality), "{quality}\n{text}");
}
