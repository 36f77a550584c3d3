// Index loops mirror the linear algebra they compute.
#![allow(clippy::needless_range_loop)]

//! Monte Carlo speed: the baseline scenario's many runs on one and two
//! threads, and the per-step cost against a minimal kernel doing the same
//! arithmetic.
//!
//!     cargo bench --bench mc                 # 1,000,000 runs
//!     ZOPA_BENCH_RUNS=100000 cargo bench --bench mc
//!     ZOPA_BENCH_ROUNDS=30 cargo bench --bench mc   # rounds of the kernel ratio (15)
//!
//! The minimal kernel is the smallest loop that does what one step of the
//! baseline must do when nothing unusual happens: draw the step's random
//! numbers (one normal for the front, one uniform for the chance event) and
//! move the stream past one normal per party (the mediator's readings of the
//! bars, which it does not read while the red lines cross, as they do at
//! every step of the baseline), move the world, compute four bars, the red lines' box
//! (highest lower and lowest upper line per issue, their crossing, the box
//! the bar gap is taken over), confirm the optimal basis of the bar
//! programme over that box (offsets shifted to its corner, a 4x4
//! matrix-vector product for the prices and every party's shortfall at the
//! resulting point), and count the step into the tallies (the gap's
//! histogram bin, its least and greatest value, the zone counter). It has no events, no bookkeeping, no
//! mediator and no reactions; it only shows how close the real loop is to the
//! arithmetic it cannot avoid.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use zopa::rng::{self, Normals};
use zopa::{mc, scenario};

fn main() {
    let runs: u64 = std::env::var("ZOPA_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sc =
        scenario::load(&root.join("scenarios/budapest-cancelled.toml")).expect("baseline loads");
    let steps = u64::from(sc.steps);

    // Warm up (page in, spin up the cores).
    mc::simulate_quietly(&sc, 99, 2_000, 2);

    let mut seconds = Vec::new();
    for threads in [1, 2] {
        let t = Instant::now();
        let tally = black_box(mc::simulate_quietly(&sc, 1, runs, threads));
        let s = t.elapsed().as_secs_f64();
        assert_eq!(tally.runs, runs);
        println!(
            "baseline, {runs} runs, {threads} thread(s): {s:.2} s  ({:.0} runs/s, {:.1} ns per step per core)",
            runs as f64 / s,
            s * 1e9 * threads as f64 / (runs * steps) as f64
        );
        seconds.push(s);
    }
    println!(
        "speed-up from 1 to 2 threads: {:.2}x",
        seconds[0] / seconds[1]
    );

    // The ratio to the kernel, in rounds that alternate the two, so that a
    // neighbour's burst of work or a change of clock speed falls on both
    // alike; each side's fastest round is the least disturbed one.
    let rounds: u64 = std::env::var("ZOPA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let zopa_runs = (runs / rounds).max(1);
    let kernel_steps = (zopa_runs * steps).min(4_000_000);
    let (mut zopa_ns, mut kernel_ns, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(mc::simulate_quietly(&sc, 1, zopa_runs, 1));
        let z = t.elapsed().as_secs_f64() * 1e9 / (zopa_runs * steps) as f64;
        let t = Instant::now();
        black_box(kernel(kernel_steps));
        let k = t.elapsed().as_secs_f64() * 1e9 / kernel_steps as f64;
        println!(
            "  round: zopa {z:.1} ns, kernel {k:.1} ns, ratio {:.2}",
            z / k
        );
        zopa_ns.push(z);
        kernel_ns.push(k);
        ratios.push(z / k);
    }
    let least = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    ratios.sort_by(f64::total_cmp);
    println!(
        "per step, one core: zopa {:.1} ns, minimal kernel {:.1} ns, ratio {:.2} (fastest rounds; median of the rounds' ratios {:.2})",
        least(&zopa_ns),
        least(&kernel_ns),
        least(&zopa_ns) / least(&kernel_ns),
        ratios[ratios.len() / 2]
    );
}

/// The minimal kernel (see the module comment); returns a checksum so the
/// work cannot be optimised away.
fn kernel(steps: u64) -> f64 {
    // Parties: weights, ideals (normalised), bars; as in the baseline.
    let w = [
        [0.4, 0.3, 0.3],
        [0.5, 0.3, 0.2],
        [0.5, 0.1, 0.4],
        [0.4, 0.3, 0.3],
    ];
    let ideal = [
        [0.633, 0.6, 0.3],
        [0.9, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 0.8],
    ];
    // The inverse transposed basis matrix, fixed for the run.
    let m = invert_transposed([
        [1.0, 1.0, 1.0, 0.0],
        [-0.5, 0.5, 0.0, 0.0],
        [-0.3, 0.1, 0.0, 1.0],
        [-0.2, -0.4, 0.0, 0.0],
    ]);
    let mut stream = rng::stream(1, 0);
    let mut normals = Normals::default();
    let (mut front, mut pressure, mut aid, mut peak, mut high) =
        (0.633f64, 0.35f64, 0.45f64, 0.35f64, 0.633f64);
    let mut check = 0.0;
    let mut hist = vec![0u64; 52 * 10_000];
    let mut zone = [0u64; 52];
    let (mut gap_low, mut gap_high) = ([f64::INFINITY; 52], [f64::NEG_INFINITY; 52]);
    for t in 0..steps {
        if t % 52 == 0 {
            stream = rng::stream(1, t / 52);
            front = 0.633;
            pressure = 0.35;
            aid = 0.45;
            peak = 0.35;
            high = 0.633;
        }
        let noise = normals.next(&mut stream);
        let chance = rng::uniform(&mut stream);
        pressure = (pressure * 0.97 + 0.012).clamp(0.0, 1.0);
        aid = (aid * 0.97 + 0.016).clamp(0.0, 1.0);
        front = (front + 0.001 - 0.0005 * pressure - 0.0007 * aid + 0.001 * noise).clamp(0.0, 1.0);
        peak = peak.max(pressure);
        high = high.max(front);
        let tau = ((t % 52) as f64 / 26.0).min(1.0);
        let r = [
            0.55 * (1.0 - tau.powf(1.0 / 1.5)),
            (0.65 + 1.5 * (front - 0.633) - 0.35 * (pressure - 0.35) + 0.6 * (peak - pressure))
                .clamp(0.0, 1.0),
            (0.45 + 0.1 * (pressure - 0.35) - 0.5 * (0.45 - aid).max(0.0)).clamp(0.0, 1.0),
            (0.4 + 0.15 * (pressure - 0.35)).clamp(0.0, 1.0),
        ];
        let demand = front + (high - front + 0.067) * (1.0 - pressure / 0.9).max(0.0);
        for _ in 0..4 {
            normals.skip(&mut stream);
        }
        // The line box: the highest lower and lowest upper line on each
        // issue (Russia's demand, Ukraine's line at the front), its worst
        // crossing, and the box the bar gap is taken over.
        let mut lower = [[f64::NEG_INFINITY; 3]; 4];
        let mut upper = [[f64::INFINITY; 3]; 4];
        lower[1][0] = demand;
        upper[2][0] = front;
        let (mut low, mut top) = ([0.0f64; 3], [1.0f64; 3]);
        for p in 0..4 {
            for k in 0..3 {
                low[k] = low[k].max(lower[p][k]);
                top[k] = top[k].min(upper[p][k]);
            }
        }
        let crossing = (0..3)
            .map(|k| low[k] - top[k])
            .fold(f64::NEG_INFINITY, f64::max);
        let corner: [f64; 3] = std::array::from_fn(|k| low[k].min(top[k]).clamp(0.0, 1.0));
        let size: [f64; 3] =
            std::array::from_fn(|k| low[k].max(top[k]).clamp(0.0, 1.0) - corner[k]);
        // Offsets of the basic pieces over the shifted box, then the prices.
        let offset = |p: usize, signs: [f64; 3]| {
            r[p] - 1.0
                + 2.0
                + (0..3)
                    .map(|k| signs[k] * w[p][k] * (corner[k] - ideal[p][k]))
                    .sum::<f64>()
        };
        let c = [
            offset(1, [-1.0, -1.0, 1.0]),
            offset(2, [1.0, 1.0, -1.0]),
            offset(3, [1.0, 1.0, -1.0]),
            -size[2],
        ];
        let mut price = [0.0; 4];
        for i in 0..4 {
            price[i] = (0..4).map(|j| m[i][j] * c[j]).sum();
        }
        let y: [f64; 3] = std::array::from_fn(|k| corner[k] + price[1 + k].clamp(0.0, size[k]));
        let mut worst = f64::NEG_INFINITY;
        for p in 0..4 {
            let u = 1.0
                - (0..3)
                    .map(|k| w[p][k] * (y[k] - ideal[p][k]).abs())
                    .sum::<f64>();
            worst = worst.max(r[p] - u);
        }
        let gap = if crossing > 1e-9 {
            worst.max(crossing)
        } else {
            worst
        };
        let step = (t % 52) as usize;
        let bin = (((gap + 1.0) / 2.0 * 10_000.0).floor().max(0.0) as usize).min(9_999);
        hist[step * 10_000 + bin] += 1;
        gap_low[step] = gap_low[step].min(gap);
        gap_high[step] = gap_high[step].max(gap);
        zone[step] += u64::from(gap <= 1e-9);
        check += chance * 1e-9;
    }
    check
        + hist.iter().sum::<u64>() as f64
        + zone.iter().sum::<u64>() as f64
        + gap_low.iter().sum::<f64>()
        + gap_high.iter().sum::<f64>()
}

fn invert_transposed(a: [[f64; 4]; 4]) -> [[f64; 4]; 4] {
    // Gauss-Jordan on [a^T | I].
    let mut m = [[0.0; 8]; 4];
    for i in 0..4 {
        for j in 0..4 {
            m[i][j] = a[j][i];
        }
        m[i][4 + i] = 1.0;
    }
    for col in 0..4 {
        let piv = (col..4)
            .max_by(|&x, &y| m[x][col].abs().total_cmp(&m[y][col].abs()))
            .unwrap();
        m.swap(col, piv);
        let d = m[col][col];
        for v in m[col].iter_mut() {
            *v /= d;
        }
        for r in 0..4 {
            if r != col {
                let f = m[r][col];
                for c in 0..8 {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
    }
    let mut inv = [[0.0; 4]; 4];
    for i in 0..4 {
        for j in 0..4 {
            inv[i][j] = m[i][4 + j];
        }
    }
    inv
}
