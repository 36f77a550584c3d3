// Index loops mirror the linear algebra they compute.
#![allow(clippy::needless_range_loop)]

//! How a step's cost grows with the number of issues and of parties.
//!
//!     cargo bench --bench growth                            # about 2 minutes
//!     ZOPA_BENCH_BUDGET_MS=1000 cargo bench --bench growth  # ms a repetition may take (500)
//!     ZOPA_BENCH_RUNS=1000 cargo bench --bench growth       # most Monte Carlo runs a scenario (100)
//!     ZOPA_BENCH_REPS=21 cargo bench --bench growth         # repetitions a cell (7)
//!     ZOPA_GROWTH_WRITE=DIR cargo bench --bench growth      # write the scenarios to DIR, time nothing
//!     ZOPA_GROWTH_CELLS=40x12,2x4 cargo bench --bench growth # only these cells (parties x issues)
//!
//! For every cell of issues k in {1, 2, 4, 8, 12} and parties n in {2, 4,
//! 8, 16, 40} three scenarios are generated from fixed seeds (ChaCha8): k
//! continuous issues 0..100, n parties that each veto, `quick_deal` or
//! `sustained_pressure` at random, ideals at either end of an issue or
//! between, random weights summing to one, bars that fall (a quick dealer's
//! deadline) or rise (resolve under pressure) so that zones open in some
//! steps and not in others, red lines on some issues, a mediator with
//! perception noise, 52 steps. The scenario text goes through the library's
//! own loader and must validate. The scenarios of the cells of at most 8
//! parties and 4 issues are the ones this bench drew before it grew; beyond
//! 8 parties the colours walk the hue circle, and `zopa validate` warns that
//! some of them look alike to a colour-blind reader (no chart is drawn here).
//!
//! Two measurements a cell, each the median and the fastest of the
//! repetitions, in ns a step actually run (a deal ends a run early, so the
//! steps are counted, not assumed) and in µs a whole run: a recorded run
//! (`sim::run`, every step's zone, extent and Nash point kept, seeds 1 to at
//! most 10 of each scenario) and the Monte Carlo (`mc::simulate_quietly` on
//! one thread, up to `ZOPA_BENCH_RUNS` runs of each scenario). A recorded
//! step of 12 issues and 40 parties costs about a thousand times one of 1
//! issue and 2 parties, so each cell is first timed on one run of each
//! scenario and a repetition runs no more runs than fit in
//! `ZOPA_BENCH_BUDGET_MS` (at least two Monte Carlo runs and one recorded
//! run of each scenario); the table says how many it ran. The runs replayed
//! to count the zones are bounded the same way.
//!
//! Last, for the Monte Carlo step and for the recorded run's, least squares
//! fits of log(time per step, fastest) on log(parties) and log(issues):
//! time ~ c * n^a * k^b over all cells, over those of two issues or more
//! (one issue's Nash point has a path of its own), over those the Nash
//! point's pieces serve (up to 4 issues and 8 parties), over those past
//! them and over those past 4 issues; one with a constant of its own for
//! each count of issues and one exponent of the parties; and the exponent
//! of each row and column alone.
//! Each fit says its R^2 and its largest residual, as the factor between
//! the time measured and the time fitted.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zopa::model::Scenario;
use zopa::{mc, rng, scenario, sim};

const ISSUES: [usize; 5] = [1, 2, 4, 8, 12];
const PARTIES: [usize; 5] = [2, 4, 8, 16, 40];
const STEPS: u32 = 52;
/// Scenarios drawn for a cell, so that one draw's luck (a zone at every
/// step, or none) weighs a third.
const SCENARIOS: u64 = 3;
/// Most seeds of the recorded runs timed in one repetition, per scenario.
const RECORDED_SEEDS: u64 = 10;
/// Most runs replayed step by step to count the share of steps with a zone.
const ZONE_RUNS: u64 = 100;
/// Fewest Monte Carlo runs of a scenario in a repetition.
const MIN_MC_RUNS: u64 = 2;
/// The first parties' colours (Okabe and Ito's palette); the later ones
/// walk the hue circle by the golden angle.
const COLOURS: [&str; 8] = [
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000",
];

/// Party `p`'s colour, as `#rrggbb`.
fn colour(p: usize) -> String {
    if let Some(c) = COLOURS.get(p) {
        return (*c).to_string();
    }
    // HSL with saturation 0.7 and lightness 0.45.
    let h = (p as f64 * 0.618_034).fract() * 6.0;
    let (s, l) = (0.7, 0.45);
    let chroma = (1.0 - (2.0 * l - 1.0f64).abs()) * s;
    let x = chroma * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as usize {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = l - chroma / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

/// One cell's measurements.
struct Cell {
    parties: usize,
    issues: usize,
    zone_share: f64,
    steps_per_run: f64,
    /// Monte Carlo runs of each scenario in a repetition.
    mc_runs: u64,
    /// Recorded runs of each scenario in a repetition.
    recorded_runs: u64,
    run: Timing,
    mc: Timing,
}

/// Median and fastest of the repetitions, in ns a step and in ns a run.
struct Timing {
    step_median: f64,
    step_fastest: f64,
    run_median: f64,
    run_fastest: f64,
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
    for p in 0..parties {
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
            colour(p)
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

/// What `runs` runs replayed step by step found.
struct Replay {
    steps: u64,
    zone: u64,
}

/// Replays `runs` runs as the Monte Carlo does, asserting every gap finite,
/// and counts the steps run and those with a zone.
fn replay(sc: &Scenario, seed: u64, runs: u64) -> Replay {
    let mut s = sim::Simulation::new(sc);
    let mut count = Replay { steps: 0, zone: 0 };
    for run in 0..runs {
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
/// steps and the runs it ran.
fn time(reps: usize, mut f: impl FnMut() -> (u64, u64)) -> Timing {
    f();
    let (mut step, mut run): (Vec<f64>, Vec<f64>) = (0..reps)
        .map(|_| {
            let t = Instant::now();
            let (steps, runs) = f();
            let ns = t.elapsed().as_secs_f64() * 1e9;
            (ns / steps as f64, ns / runs as f64)
        })
        .unzip();
    step.sort_by(f64::total_cmp);
    run.sort_by(f64::total_cmp);
    Timing {
        step_median: step[reps / 2],
        step_fastest: step[0],
        run_median: run[reps / 2],
        run_fastest: run[0],
    }
}

/// The cell's scenarios, validated by the library's loader.
fn scenarios(issues: usize, parties: usize) -> Vec<(u64, String, Scenario)> {
    (0..SCENARIOS)
        .map(|i| {
            let seed = 1000 * (i + 1) + 10 * parties as u64 + issues as u64;
            let text = scenario_text(issues, parties, seed);
            let sc = scenario::parse(Path::new("growth.toml"), text.clone())
                .unwrap_or_else(|e| panic!("the generated scenario validates:\n{e}"));
            assert_eq!((sc.issues.len(), sc.parties.len()), (issues, parties));
            (seed, text, sc)
        })
        .collect()
}

/// Runs of each scenario that fit in `budget` ns, given a run's cost, within
/// `least..=most`.
fn runs_within(budget: f64, ns_a_run: f64, least: u64, most: u64) -> u64 {
    ((budget / (SCENARIOS as f64 * ns_a_run)) as u64).clamp(least, most.max(least))
}

fn measure(issues: usize, parties: usize, most_runs: u64, reps: usize, budget: f64) -> Cell {
    let scenarios: Vec<Scenario> = scenarios(issues, parties)
        .into_iter()
        .map(|s| s.2)
        .collect();
    // What a run costs, from one run of each scenario: recorded, then the
    // Monte Carlo's (the first run of a scenario is its dearest, so this
    // errs towards fewer runs).
    let t = Instant::now();
    for sc in &scenarios {
        black_box(sim::run(black_box(sc), 1));
    }
    let recorded_ns = t.elapsed().as_secs_f64() * 1e9 / SCENARIOS as f64;
    let t = Instant::now();
    for sc in &scenarios {
        black_box(mc::simulate_quietly(black_box(sc), 1, 1, 1));
    }
    let mc_ns = t.elapsed().as_secs_f64() * 1e9 / SCENARIOS as f64;
    let mc_runs = runs_within(budget, mc_ns, MIN_MC_RUNS, most_runs);
    let recorded_runs = runs_within(budget, recorded_ns, 1, RECORDED_SEEDS);
    let zone_runs = runs_within(budget, mc_ns, MIN_MC_RUNS, ZONE_RUNS);

    let (mut steps, mut zone) = (0, 0);
    for sc in &scenarios {
        let r = replay(sc, 1, zone_runs);
        // The Monte Carlo's runs are the replayed ones, so the steps counted
        // from its tally must be the steps replayed.
        let tally = mc::simulate_quietly(sc, 1, zone_runs, 1);
        assert_eq!(steps_run(&tally), r.steps, "{}", sc.name);
        steps += r.steps;
        zone += r.zone;
    }
    let run = time(reps, || {
        let mut steps = 0;
        for sc in &scenarios {
            for s in 1..=recorded_runs {
                let tl = black_box(sim::run(black_box(sc), s));
                assert!(tl.steps.iter().all(|st| st.gap.is_finite()));
                steps += tl.steps.len() as u64;
            }
        }
        (steps, SCENARIOS * recorded_runs)
    });
    let mc = time(reps, || {
        let mut steps = 0;
        for sc in &scenarios {
            let tally = black_box(mc::simulate_quietly(black_box(sc), 1, mc_runs, 1));
            assert_eq!(tally.runs, mc_runs);
            steps += steps_run(&tally);
        }
        (steps, SCENARIOS * mc_runs)
    });
    Cell {
        parties,
        issues,
        zone_share: zone as f64 / steps as f64,
        steps_per_run: steps as f64 / (SCENARIOS * zone_runs) as f64,
        mc_runs,
        recorded_runs,
        run,
        mc,
    }
}

/// A least squares fit of ln(time) on some columns.
struct Fit {
    beta: Vec<f64>,
    r2: f64,
    /// The largest residual, as a factor: exp(max |ln measured - ln fitted|).
    worst: f64,
}

/// Least squares of `y` on the rows `x`, by the normal equations solved by
/// Gaussian elimination with pivoting.
fn least_squares(rows: &[(Vec<f64>, f64)]) -> Fit {
    let p = rows[0].0.len();
    let mut m = vec![vec![0.0f64; p + 1]; p];
    for (x, y) in rows {
        for i in 0..p {
            for j in 0..p {
                m[i][j] += x[i] * x[j];
            }
            m[i][p] += x[i] * y;
        }
    }
    for col in 0..p {
        let piv = (col..p)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .expect("a row");
        m.swap(col, piv);
        for r in 0..p {
            if r != col {
                let f = m[r][col] / m[col][col];
                for c in col..=p {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
    }
    let beta: Vec<f64> = (0..p).map(|i| m[i][p] / m[i][i]).collect();
    let mean = rows.iter().map(|r| r.1).sum::<f64>() / rows.len() as f64;
    let (mut residual, mut total, mut worst) = (0.0, 0.0, 0.0f64);
    for (x, y) in rows {
        let e = y - (0..p).map(|i| beta[i] * x[i]).sum::<f64>();
        residual += e * e;
        total += (y - mean) * (y - mean);
        worst = worst.max(e.abs());
    }
    Fit {
        beta,
        r2: 1.0 - residual / total,
        worst: worst.exp(),
    }
}

/// The time of a step a fit is made to: the fastest repetition's.
type Measure = fn(&Cell) -> f64;

/// time ~ c * n^a * k^b over `cells`.
fn power_law(cells: &[&Cell], time: Measure) -> Fit {
    let rows: Vec<(Vec<f64>, f64)> = cells
        .iter()
        .map(|c| {
            (
                vec![1.0, (c.parties as f64).ln(), (c.issues as f64).ln()],
                time(c).ln(),
            )
        })
        .collect();
    least_squares(&rows)
}

/// time ~ c_k * n^a: a constant for each count of issues, one exponent of
/// the parties. The constants first, in the order of `ISSUES`, then a.
fn issues_apart(cells: &[&Cell], time: Measure) -> Fit {
    let rows: Vec<(Vec<f64>, f64)> = cells
        .iter()
        .map(|c| {
            let mut x: Vec<f64> = ISSUES
                .iter()
                .map(|&k| if k == c.issues { 1.0 } else { 0.0 })
                .collect();
            x.push((c.parties as f64).ln());
            (x, time(c).ln())
        })
        .collect();
    least_squares(&rows)
}

/// time ~ c * v^e over `cells`, v the count `var` gives.
fn one_variable(cells: &[&Cell], var: impl Fn(&Cell) -> usize, time: Measure) -> Fit {
    let rows: Vec<(Vec<f64>, f64)> = cells
        .iter()
        .map(|c| (vec![1.0, (var(c) as f64).ln()], time(c).ln()))
        .collect();
    least_squares(&rows)
}

/// Which cells a fit is made over.
type Within = fn(&Cell) -> bool;

/// Every fit of `time` over the cells.
fn fits(cells: &[Cell], label: &str, time: Measure) {
    println!(
        "\nFits of the {label} (fastest); worst: the largest factor between measured and fitted"
    );
    // One issue has a Nash point of its own (bisection); from two issues
    // on a barrier method finds it, so the fits are also given without it.
    // Up to 4 issues and 8 parties that method works on every party's
    // utility pieces (2^k of them); past either it works on a compact form
    // whose step costs O(n k^2 + k^3) (`src/zone/nash.rs`, docs/model.md),
    // and past 4 issues the gap's programme adds the pieces as they bind
    // instead of listing them: one power law spans different algorithms,
    // so each is also fitted alone.
    let regimes: [(&str, Within); 5] = [
        ("all cells", |_| true),
        ("two issues or more", |c| c.issues >= 2),
        ("pieces (2 to 4 issues, 8 parties or fewer)", |c| {
            (2..=4).contains(&c.issues) && c.parties <= 8
        }),
        (
            "compact (2 issues or more, past 4 issues or 8 parties)",
            |c| c.issues >= 2 && (c.issues > 4 || c.parties > 8),
        ),
        ("more than 4 issues", |c| c.issues > 4),
    ];
    for (label, within) in regimes {
        let these: Vec<&Cell> = cells.iter().filter(|c| within(c)).collect();
        let f = power_law(&these, time);
        println!(
            "  {label}: time ~ {:.1} ns * n^{:.2} * k^{:.2}  (R^2 {:.3}, worst x{:.2})",
            f.beta[0].exp(),
            f.beta[1],
            f.beta[2],
            f.r2,
            f.worst
        );
    }
    let all: Vec<&Cell> = cells.iter().collect();
    let f = issues_apart(&all, time);
    let constants: Vec<String> = ISSUES
        .iter()
        .zip(&f.beta)
        .map(|(k, b)| format!("c_{k} {:.0}", b.exp()))
        .collect();
    println!(
        "  a constant for each count of issues: time ~ c_k * n^{:.2}  (R^2 {:.3}, worst x{:.2}); ns: {}",
        f.beta[ISSUES.len()],
        f.r2,
        f.worst,
        constants.join(", ")
    );
    for k in ISSUES {
        let row: Vec<&Cell> = cells.iter().filter(|c| c.issues == k).collect();
        let f = one_variable(&row, |c| c.parties, time);
        println!(
            "  {k:>2} issues alone: time ~ {:.0} ns * n^{:.2}  (R^2 {:.3}, worst x{:.2})",
            f.beta[0].exp(),
            f.beta[1],
            f.r2,
            f.worst
        );
    }
    for n in PARTIES {
        let column: Vec<&Cell> = cells
            .iter()
            .filter(|c| c.parties == n && c.issues >= 2)
            .collect();
        let f = one_variable(&column, |c| c.issues, time);
        println!(
            "  {n:>2} parties alone, two issues or more: time ~ {:.0} ns * k^{:.2}  (R^2 {:.3}, worst x{:.2})",
            f.beta[0].exp(),
            f.beta[1],
            f.r2,
            f.worst
        );
    }
}

/// A table of `value` over the cells, rows parties and columns issues, as
/// Markdown.
fn grid(cells: &[Cell], title: &str, value: impl Fn(&Cell) -> String) {
    println!("\n{title} (rows parties, columns issues):\n");
    print!("| parties \\ issues |");
    for k in ISSUES {
        print!(" {k} |");
    }
    println!();
    println!("|---|{}", "---|".repeat(ISSUES.len()));
    for n in PARTIES {
        print!("| {n} |");
        for k in ISSUES {
            let c = cells
                .iter()
                .find(|c| c.parties == n && c.issues == k)
                .expect("every cell measured");
            print!(" {} |", value(c));
        }
        println!();
    }
}

/// `x` rounded, with commas between thousands.
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Writes every cell's scenarios to `dir`, as growth-<n>p-<k>i-<seed>.toml.
fn write_scenarios(dir: &Path) {
    std::fs::create_dir_all(dir).expect("the folder can be made");
    for &n in &PARTIES {
        for &k in &ISSUES {
            for (seed, text, _) in scenarios(k, n) {
                let path = dir.join(format!("growth-{n}p-{k}i-{seed}.toml"));
                std::fs::write(&path, text).expect("the scenario can be written");
                println!("{}", path.display());
            }
        }
    }
}

fn main() {
    if let Some(dir) = std::env::var_os("ZOPA_GROWTH_WRITE") {
        write_scenarios(Path::new(&dir));
        return;
    }
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let most_runs = env("ZOPA_BENCH_RUNS", 100).max(1);
    let reps = env("ZOPA_BENCH_REPS", 7).max(1) as usize;
    let budget = env("ZOPA_BENCH_BUDGET_MS", 500) as f64 * 1e6;
    println!(
        "{SCENARIOS} scenarios a cell; a repetition runs each up to {most_runs} times in the Monte Carlo and records up to {RECORDED_SEEDS} runs of each, as many as fit in {} ms; {reps} repetitions",
        budget / 1e6
    );
    println!(
        "{:>7} {:>6} {:>5} {:>6} {:>4} {:>4} | {:>10} {:>10} {:>10} {:>10} | {:>10} {:>10} {:>10} {:>10}",
        "", "", "", "", "runs", "", "ns a step", "", "", "", "µs a run", "", "", ""
    );
    println!(
        "{:>7} {:>6} {:>5} {:>6} {:>4} {:>4} | {:>10} {:>10} {:>10} {:>10} | {:>10} {:>10} {:>10} {:>10}",
        "parties",
        "issues",
        "zone",
        "steps",
        "rec",
        "mc",
        "run med",
        "run fast",
        "mc med",
        "mc fast",
        "run med",
        "run fast",
        "mc med",
        "mc fast"
    );
    let only = std::env::var("ZOPA_GROWTH_CELLS").ok();
    let wanted = |n: usize, k: usize| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|c| c.trim() == format!("{n}x{k}")))
    };
    let started = Instant::now();
    let mut cells = Vec::new();
    for &n in &PARTIES {
        for &k in ISSUES.iter().filter(|&&k| wanted(n, k)) {
            let c = measure(k, n, most_runs, reps, budget);
            println!(
                "{:>7} {:>6} {:>4.0}% {:>6.1} {:>4} {:>4} | {:>10.0} {:>10.0} {:>10.0} {:>10.0} | {:>10.1} {:>10.1} {:>10.1} {:>10.1}",
                c.parties,
                c.issues,
                100.0 * c.zone_share,
                c.steps_per_run,
                c.recorded_runs,
                c.mc_runs,
                c.run.step_median,
                c.run.step_fastest,
                c.mc.step_median,
                c.mc.step_fastest,
                c.run.run_median / 1e3,
                c.run.run_fastest / 1e3,
                c.mc.run_median / 1e3,
                c.mc.run_fastest / 1e3
            );
            cells.push(c);
        }
    }
    println!("measured in {:.0} s", started.elapsed().as_secs_f64());
    if only.is_some() {
        // The tables and fits need every cell.
        return;
    }

    grid(
        &cells,
        "Monte Carlo step, ns, fastest of the repetitions",
        |c| thousands(c.mc.step_fastest),
    );
    grid(
        &cells,
        "Recorded run's step, ns, fastest of the repetitions",
        |c| thousands(c.run.step_fastest),
    );
    grid(
        &cells,
        "Monte Carlo run, µs, fastest of the repetitions",
        |c| thousands(c.mc.run_fastest / 1e3),
    );
    grid(
        &cells,
        "Recorded run, µs, fastest of the repetitions",
        |c| thousands(c.run.run_fastest / 1e3),
    );

    fits(&cells, "Monte Carlo step", |c| c.mc.step_fastest);
    fits(&cells, "recorded run's step", |c| c.run.step_fastest);
}
