// Index loops mirror the linear algebra they compute.
#![allow(clippy::needless_range_loop)]

//! How a step's cost grows with the number of issues and of parties.
//!
//!     cargo bench --bench growth                        # about a minute
//!     ZOPA_BENCH_RUNS=1000 cargo bench --bench growth   # Monte Carlo runs a scenario (100)
//!     ZOPA_BENCH_REPS=21 cargo bench --bench growth     # repetitions a cell (7)
//!
//! For every cell of issues k in {1, 2, 3, 4} and parties n in {2, 3, 4,
//! 6, 8} three scenarios are generated from fixed seeds (ChaCha8): k continuous
//! issues 0..100, n parties that each veto, `quick_deal` or
//! `sustained_pressure` at random, ideals at either end of an issue or
//! between, random weights summing to one, bars that fall (a quick dealer's
//! deadline) or rise (resolve under pressure) so that zones open in some
//! steps and not in others, red lines on some issues, a mediator with
//! perception noise, 52 steps. The scenario text goes through the library's
//! own loader and must validate.
//!
//! Two measurements a cell, each the median and the fastest of the
//! repetitions, in ns a step actually run (a deal ends a run early, so the
//! steps are counted, not assumed): a recorded run (`sim::run`, every
//! step's zone, extent and Nash point kept, seeds 1..=10 of each scenario)
//! and the Monte Carlo step (`mc::simulate_quietly` on one thread). Last, the least
//! squares fit of log(time per Monte Carlo step, fastest) on log(parties)
//! and log(issues): time ~ c * n^a * k^b, over all cells and over those of
//! two issues or more (one issue's Nash point has a path of its own).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zopa::model::Scenario;
use zopa::{mc, rng, scenario, sim};

const ISSUES: [usize; 4] = [1, 2, 3, 4];
const PARTIES: [usize; 5] = [2, 3, 4, 6, 8];
const STEPS: u32 = 52;
/// Scenarios drawn for a cell, so that one draw's luck (a zone at every
/// step, or none) weighs a third.
const SCENARIOS: u64 = 3;
/// Seeds of the recorded runs timed in one repetition, per scenario.
const RECORDED_SEEDS: u64 = 10;
/// Runs replayed step by step to count the share of steps with a zone.
const ZONE_RUNS: u64 = 100;
const COLOURS: [&str; 8] = [
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000",
];

/// One cell's measurements, in ns a step.
struct Cell {
    parties: usize,
    issues: usize,
    zone_share: f64,
    steps_per_run: f64,
    run_median: f64,
    run_fastest: f64,
    mc_median: f64,
    mc_fastest: f64,
}

/// The scenario of `issues` continuous issues and `parties` parties drawn
/// from `seed`, as TOML text.
fn scenario_text(issues: usize, parties: usize, seed: u64) -> String {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let mut t = String::new();
    let name = format!("growth-{parties}p-{issues}i");
    writeln!(t, "[scenario]\nname = \"{name}\"\ntitle = \"{name}\"\n").unwrap();
    writeln!(t, "[time]\nsteps = {STEPS}\n").unwrap();
    for k in 0..issues {
        writeln!(
            t,
            "[[issues]]\nid = \"i{k}\"\nlabel = \"Issue {k}\"\nmin = 0\nmax = 100\n"
        )
        .unwrap();
    }
    for (p, colour) in COLOURS.iter().enumerate().take(parties) {
        // Ideals: either end, or anywhere between.
        let ideal: Vec<f64> = (0..issues)
            .map(|_| match r.random_range(0..3) {
                0 => 0.0,
                1 => 100.0,
                _ => r.random_range(0..=100) as f64,
            })
            .collect();
        let raw: Vec<f64> = (0..issues).map(|_| r.random_range(0.1..1.0)).collect();
        let total: f64 = raw.iter().sum();
        let list = |v: &dyn Fn(usize) -> String| {
            (0..issues)
                .map(|k| format!("i{k} = {}", v(k)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // The first party deals quickly, so that every scenario has a bar
        // that falls; the others at random.
        let quick = p == 0 || r.random_bool(0.5);
        // A quick dealer starts out of reach and falls to its floor by its
        // deadline; the others start within reach of a compromise.
        let reservation = if quick {
            r.random_range(0.85..0.95)
        } else {
            r.random_range(0.25..0.45)
        };
        writeln!(
            t,
            "[[parties]]\nid = \"p{p}\"\nname = \"Party {p}\"\ncolour = \"{}\"",
            colour
        )
        .unwrap();
        let archetype = if quick {
            "quick_deal"
        } else {
            "sustained_pressure"
        };
        writeln!(t, "archetype = \"{archetype}\"\nveto = true").unwrap();
        writeln!(t, "reservation = {reservation:.3}").unwrap();
        writeln!(t, "ideal = {{ {} }}", list(&|k| format!("{}", ideal[k]))).unwrap();
        writeln!(
            t,
            "weights = {{ {} }}",
            list(&|k| format!("{:.4}", raw[k] / total))
        )
        .unwrap();
        // A red line on one issue for about a third of the parties, on the
        // side of its ideal, never past the middle: lines of two parties
        // never cross, so the red lines narrow the zone without closing it.
        if r.random_bool(0.35) {
            let k = r.random_range(0..issues);
            let bound = r.random_range(0..=40);
            if ideal[k] >= 50.0 {
                writeln!(t, "red_lines = [{{ issue = \"i{k}\", min = {bound} }}]").unwrap();
            } else {
                writeln!(
                    t,
                    "red_lines = [{{ issue = \"i{k}\", max = {} }}]",
                    100 - bound
                )
                .unwrap();
            }
        }
        writeln!(t, "[parties.knobs]").unwrap();
        if quick {
            let deadline = r.random_range(20..=52);
            let concession = r.random_range(0.5..2.0);
            let floor = r.random_range(0.15..0.35);
            writeln!(
                t,
                "deadline = {deadline}\nconcession = {concession:.3}\nfloor = {floor:.3}\npressure_per_step = {:.4}",
                r.random_range(0.0..0.02)
            )
            .unwrap();
        } else {
            writeln!(
                t,
                "resolve = {:.3}\npressure_per_step = {:.4}",
                r.random_range(0.0..0.2),
                r.random_range(0.0..0.02)
            )
            .unwrap();
        }
        writeln!(t).unwrap();
    }
    writeln!(
        t,
        "[world]\nfront_issue = \"i0\"\npressure = 0.2\npressure_decay = 0.03\n"
    )
    .unwrap();
    writeln!(
        t,
        "[mediator]\nprotocol = \"mediated\"\nperception_noise = 0.25\nlearning = false"
    )
    .unwrap();
    t
}

/// What `ZONE_RUNS` runs replayed step by step found.
struct Replay {
    steps: u64,
    zone: u64,
}

/// Replays `ZONE_RUNS` runs as the Monte Carlo does, asserting every gap
/// finite, and counts the steps run and those with a zone.
fn replay(sc: &Scenario, seed: u64) -> Replay {
    let mut s = sim::Simulation::new(sc);
    let mut count = Replay { steps: 0, zone: 0 };
    for run in 0..ZONE_RUNS {
        s.reset();
        let mut stream = rng::stream(seed, run);
        for t in 0..s.steps() {
            let core = s.advance(t, &mut stream);
            assert!(
                core.gap.is_finite(),
                "{}: gap {} at step {t}",
                sc.name,
                core.gap
            );
            count.steps += 1;
            count.zone += u64::from(core.zone);
            if core.deal.is_some() {
                break;
            }
        }
    }
    count
}

/// Steps the Monte Carlo ran: a run ends at its deal, so every run that
/// dealt at or before step t ran no step t + 1.
fn steps_run(tally: &mc::Tally) -> u64 {
    let horizon = tally.steps as u64 * tally.runs;
    let cut: u64 = tally.deal_by[..tally.steps - 1].iter().sum();
    horizon - cut
}

/// Median and fastest of `reps` repetitions of `f`, which returns the
/// steps it ran; in ns a step.
fn time(reps: usize, mut f: impl FnMut() -> u64) -> (f64, f64) {
    f();
    let mut ns: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            let steps = f();
            t.elapsed().as_secs_f64() * 1e9 / steps as f64
        })
        .collect();
    ns.sort_by(f64::total_cmp);
    (ns[reps / 2], ns[0])
}

fn measure(issues: usize, parties: usize, runs: u64, reps: usize) -> Cell {
    let scenarios: Vec<Scenario> = (0..SCENARIOS)
        .map(|i| {
            let seed = 1000 * (i + 1) + 10 * parties as u64 + issues as u64;
            let text = scenario_text(issues, parties, seed);
            let sc = scenario::parse(Path::new("growth.toml"), text)
                .unwrap_or_else(|e| panic!("the generated scenario validates:\n{e}"));
            assert_eq!((sc.issues.len(), sc.parties.len()), (issues, parties));
            sc
        })
        .collect();
    let (mut steps, mut zone) = (0, 0);
    for sc in &scenarios {
        let r = replay(sc, 1);
        // The Monte Carlo's runs are the replayed ones, so the steps counted
        // from its tally must be the steps replayed.
        let tally = mc::simulate_quietly(sc, 1, ZONE_RUNS, 1);
        assert_eq!(steps_run(&tally), r.steps, "{}", sc.name);
        steps += r.steps;
        zone += r.zone;
    }
    let (run_median, run_fastest) = time(reps, || {
        let mut steps = 0;
        for sc in &scenarios {
            for s in 1..=RECORDED_SEEDS {
                let tl = black_box(sim::run(black_box(sc), s));
                assert!(tl.steps.iter().all(|st| st.gap.is_finite()));
                steps += tl.steps.len() as u64;
            }
        }
        steps
    });
    let (mc_median, mc_fastest) = time(reps, || {
        let mut steps = 0;
        for sc in &scenarios {
            let tally = black_box(mc::simulate_quietly(black_box(sc), 1, runs, 1));
            assert_eq!(tally.runs, runs);
            steps += steps_run(&tally);
        }
        steps
    });
    Cell {
        parties,
        issues,
        zone_share: zone as f64 / steps as f64,
        steps_per_run: steps as f64 / (SCENARIOS * ZONE_RUNS) as f64,
        run_median,
        run_fastest,
        mc_median,
        mc_fastest,
    }
}

/// time ~ c * n^a * k^b, fitted to the fastest Monte Carlo step.
struct Fit {
    /// ns a step.
    c: f64,
    a: f64,
    b: f64,
    r2: f64,
}

/// Least squares of ln time on [1, ln n, ln k].
fn fit(cells: &[&Cell]) -> Fit {
    let rows: Vec<([f64; 3], f64)> = cells
        .iter()
        .map(|c| {
            (
                [1.0, (c.parties as f64).ln(), (c.issues as f64).ln()],
                c.mc_fastest.ln(),
            )
        })
        .collect();
    // Normal equations, solved by Gaussian elimination with pivoting.
    let mut m = [[0.0f64; 4]; 3];
    for (x, y) in &rows {
        for i in 0..3 {
            for j in 0..3 {
                m[i][j] += x[i] * x[j];
            }
            m[i][3] += x[i] * y;
        }
    }
    for col in 0..3 {
        let piv = (col..3)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .expect("three rows");
        m.swap(col, piv);
        for r in 0..3 {
            if r != col {
                let f = m[r][col] / m[col][col];
                for c in col..4 {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
    }
    let beta: [f64; 3] = std::array::from_fn(|i| m[i][3] / m[i][i]);
    let mean = rows.iter().map(|r| r.1).sum::<f64>() / rows.len() as f64;
    let (mut residual, mut total) = (0.0, 0.0);
    for (x, y) in &rows {
        let e = y - (0..3).map(|i| beta[i] * x[i]).sum::<f64>();
        residual += e * e;
        total += (y - mean) * (y - mean);
    }
    Fit {
        c: beta[0].exp(),
        a: beta[1],
        b: beta[2],
        r2: 1.0 - residual / total,
    }
}

fn main() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runs = env("ZOPA_BENCH_RUNS", 100);
    let reps = env("ZOPA_BENCH_REPS", 7).max(1) as usize;
    println!(
        "{SCENARIOS} scenarios a cell; a repetition runs each {runs} times in the Monte Carlo and records {RECORDED_SEEDS} runs of each; {reps} repetitions; ns a step run"
    );
    println!(
        "{:>7} {:>6} {:>6} {:>7} {:>11} {:>11} {:>11} {:>11}",
        "parties", "issues", "zone", "steps", "run med", "run fast", "mc med", "mc fast"
    );
    let mut cells = Vec::new();
    for &n in &PARTIES {
        for &k in &ISSUES {
            let c = measure(k, n, runs, reps);
            println!(
                "{:>7} {:>6} {:>5.0}% {:>7.1} {:>11.1} {:>11.1} {:>11.1} {:>11.1}",
                c.parties,
                c.issues,
                100.0 * c.zone_share,
                c.steps_per_run,
                c.run_median,
                c.run_fastest,
                c.mc_median,
                c.mc_fastest
            );
            cells.push(c);
        }
    }

    println!("\nMonte Carlo step, fastest of the repetitions, ns (rows parties, columns issues):");
    print!("{:>7}", "");
    for k in ISSUES {
        print!(" {:>8}", format!("k={k}"));
    }
    println!();
    for n in PARTIES {
        print!("{:>7}", format!("n={n}"));
        for k in ISSUES {
            let c = cells
                .iter()
                .find(|c| c.parties == n && c.issues == k)
                .expect("every cell measured");
            print!(" {:>8.0}", c.mc_fastest);
        }
        println!();
    }
    // One issue has a Nash point of its own (bisection); from two issues
    // on the barrier method finds it, so the fit is also given without it.
    let all: Vec<&Cell> = cells.iter().collect();
    let several: Vec<&Cell> = cells.iter().filter(|c| c.issues >= 2).collect();
    for (label, cells) in [("all cells", all), ("two issues or more", several)] {
        let f = fit(&cells);
        println!(
            "fit, {label}: time per Monte Carlo step ~ {:.1} ns * n^{:.2} * k^{:.2}  (R^2 {:.3})",
            f.c, f.a, f.b, f.r2
        );
    }
}
