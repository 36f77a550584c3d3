//! Random valid scenarios: no panic, and the invariants hold at every step.

use proptest::prelude::*;
use zopa::model::params::{KNOB_SPECS, KNOBS, WORLD_VARS};
use zopa::model::{
    Archetype, Effect, Event, Issue, Knob, Op, Party, RedLine, Scenario, Target, Trigger, WorldVar,
};
use zopa::sim::{self, Outcome};
use zopa::zone::{MAX_ISSUES, Solver, ZONE_TOL};

fn issue(k: usize) -> Issue {
    Issue {
        id: format!("i{k}"),
        label: format!("Issue {k}"),
        unit: String::new(),
        min: 0.0,
        max: 10.0,
        low_label: String::new(),
        high_label: String::new(),
        marks: Vec::new(),
        status_quo: None,
        options: Vec::new(),
    }
}

prop_compose! {
    fn party(dim: usize, id: usize)(
        archetype in 0..3usize,
        veto in prop::bool::weighted(0.8),
        reservation in 0.0..0.9f64,
        ideal in prop::collection::vec(0.0..10.0f64, MAX_ISSUES),
        weight in prop::collection::vec(0.0..1.0f64, MAX_ISSUES),
        knob_draw in prop::collection::vec(0.0..1.0f64, KNOBS),
        line in prop::option::of((0..MAX_ISSUES, 0.0..10.0f64, prop::bool::ANY)),
    ) -> Party {
        let archetype = Archetype::ALL[archetype];
        let mut w = [0.0; MAX_ISSUES];
        w[..dim].copy_from_slice(&weight[..dim]);
        w[0] += 0.05; // never all zero
        let total: f64 = w.iter().sum();
        w.iter_mut().for_each(|x| *x /= total);
        let mut i = [0.0; MAX_ISSUES];
        i[..dim].copy_from_slice(&ideal[..dim]);
        // Knobs somewhere in a modest part of their range.
        let mut knobs = Knob::defaults();
        for (k, s) in KNOB_SPECS.iter().enumerate() {
            let hi = s.max.min(s.min + 3.0);
            knobs[k] = s.min + knob_draw[k] * (hi - s.min);
        }
        let red_lines = line
            .filter(|l| l.0 < dim)
            .map(|(k, v, upper)| RedLine { issue: k, min: (!upper).then_some(v), max: upper.then_some(v), follows_front: false })
            .into_iter()
            .collect();
        Party {
            goal: None,
            id: format!("p{id}"),
            name: format!("P{id}"),
            colour: [0, 0, 0],
            archetype,
            veto,
            reservation,
            ideal: i,
            weight: w,
            red_lines,
            knobs,
            pressure_on: None,
            aid_to: None,
            values: None,
            bloc: None,
        }
    }
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (1..=MAX_ISSUES, 2..=6usize, 1..=30u32)
        .prop_flat_map(|(dim, n, steps)| {
            let parties = (0..n).map(|i| party(dim, i)).collect::<Vec<_>>();
            (
                Just(dim),
                parties,
                Just(steps),
                prop::collection::vec(0.0..1.0f64, WORLD_VARS),
                prop::option::of(0..n),
                0.0..0.3f64,
                prop::collection::vec((0.0..1.0f64, 0..3usize, 0.0..1.0f64, prop::bool::ANY), 0..4),
            )
        })
        .prop_map(
            |(dim, mut parties, steps, world_draw, mediator, noise, events)| {
                if !parties.iter().any(|p| p.veto) {
                    parties[0].veto = true;
                }
                let mut world = [0.0; WORLD_VARS];
                for w in WorldVar::all() {
                    let s = w.spec();
                    let (lo, hi) = if w == WorldVar::Front {
                        (0.0, 10.0)
                    } else {
                        (s.min.max(-1.0), s.max.min(1.0))
                    };
                    world[w as usize] = lo + world_draw[w as usize] * (hi - lo);
                }
                let n = parties.len();
                let events = events
                    .into_iter()
                    .map(|(when, who, value, chance)| Event {
                        id: None,
                        label: "e".into(),
                        source_line: None,
                        provenance: Default::default(),
                        repeat: None,
                        muted_at: None,
                        trigger: if chance {
                            Trigger::Chance {
                                probability: when,
                                from: 0,
                                until: steps - 1,
                                when: None,
                            }
                        } else {
                            Trigger::At(((when * f64::from(steps)) as u32).min(steps - 1))
                        },
                        effects: vec![
                            Effect {
                                target: Target::Reservation(who % n),
                                op: Op::Set(value),
                            },
                            Effect {
                                target: Target::World(WorldVar::Pressure),
                                op: Op::Add(value - 0.5),
                            },
                            Effect {
                                target: Target::Engaged(who % n),
                                op: Op::Set(if value < 0.2 { 0.0 } else { 1.0 }),
                            },
                        ],
                    })
                    .collect();
                Scenario {
                    name: "prop".into(),
                    title: "Property".into(),
                    description: String::new(),
                    source: String::new(),
                    assumptions: Vec::new(),
                    stated: Vec::new(),
                    cites: Vec::new(),
                    steps,
                    step_unit: "step".into(),
                    issues: (0..dim).map(issue).collect(),
                    parties,
                    front_issue: 0,
                    world,
                    has_front: true,
                    labels: Default::default(),
                    chart_marks: Vec::new(),
                    mediator,
                    perception_noise: noise,
                    // Learning on or off by the noise's last bit of chance.
                    learning: noise < 0.2,
                    protocol: zopa::model::Protocol::Mediated,
                    forgetting: noise,
                    events,
                    chart_y: None,
                    variants: Vec::new(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_keep_the_invariants(sc in scenario(), seed in 0..1000u64) {
        let tl = sim::run(&sc, seed);
        let dim = sc.issues.len();
        let mut fresh = <Solver>::default();
        for s in &tl.steps {
            let terms: Vec<_> = s.consenting.iter().map(|&p| s.terms[p].clone()).collect();
            if terms.is_empty() {
                prop_assert!(s.zone_exists());
                continue;
            }
            // The gap the run reports (warm-started) is the gap of its terms.
            let gap = fresh.gap(dim, &terms).value;
            prop_assert!((gap - s.gap).abs() < 1e-9, "step {}: {} vs {}", s.step, s.gap, gap);
            prop_assert_eq!(s.zone_exists(), s.gap <= ZONE_TOL);
            // The point on record: the Nash point lies in the zone; the
            // minimiser attains the bar gap, and the headline gap is that or,
            // where the red lines cross, the worst crossing.
            let y: Vec<f64> = sc.issues.iter().zip(&s.point).map(|(i, &x)| i.normalise(x)).collect();
            if s.zone_exists() {
                let worst = zopa::zone::worst_shortfall(dim, &terms, &y);
                prop_assert!(s.point_is_nash);
                prop_assert!(worst <= 1e-6, "Nash point outside the zone: {}", worst);
            } else {
                let worst = zopa::zone::worst_bar_shortfall(dim, &terms, &y);
                prop_assert!((worst - s.bar_gap).abs() < 1e-6);
                let crossing = sc.issues.iter().enumerate()
                    .map(|(k, i)| s.crossing(k) / i.range())
                    .fold(f64::NEG_INFINITY, f64::max);
                let headline = if crossing > ZONE_TOL { s.bar_gap.max(crossing) } else { s.bar_gap };
                prop_assert!((headline - s.gap).abs() < 1e-9, "{} vs {}", headline, s.gap);
            }
        }
        if let Outcome::Deal { step, settlement } = &tl.outcome {
            let s = &tl.steps[*step as usize];
            let y: Vec<f64> = sc.issues.iter().zip(settlement).map(|(i, &x)| i.normalise(x)).collect();
            for &p in &s.consenting {
                prop_assert!(s.terms[p].accepts(dim, &y), "party {} rejects the deal", p);
            }
        }
        prop_assert_eq!(sim::run(&sc, seed), tl, "deterministic per seed");
    }
}
