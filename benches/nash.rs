// Index loops mirror the formulas they compute.
#![allow(clippy::needless_range_loop)]

//! What one Nash point costs at 4 issues x 4 parties (the pieces' method),
//! 8 x 16 and 12 x 40 (the structured barrier method), with the
//! structured method at 4 x 4 too for comparison.
//!
//!     cargo bench --bench nash                     # a few seconds
//!     ZOPA_BENCH_REPS=51 cargo bench --bench nash  # repetitions a size (21)
//!
//! Each size draws 5 zones from fixed seeds (ChaCha8): ideals within 0.35
//! of a point `y0` in the middle of the box, random weights summing to one
//! (a few zero), bars 0.01 to 0.15 below each party's utility at `y0`, so
//! `y0` is inside and is passed as the gap's minimiser with its worst bar
//! shortfall as the gap. Reported: the median and the fastest repetition,
//! each the mean over the 5 zones of one Nash point from scratch.

#[path = "../tests/support/open_zone.rs"]
mod open_zone;

use open_zone::Instance as Zone;
use std::hint::black_box;
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use zopa::zone::{MAX_ISSUES, Solver};

const SIZES: [(usize, usize); 3] = [(4, 4), (8, 16), (12, 40)];
const ZONES: u64 = 5;

/// A zone known without the gap solver (`tests/support/open_zone.rs`),
/// drawn from its own seed.
fn zone(seed: u64, dim: usize, parties: usize) -> Zone {
    open_zone::instance(&mut ChaCha8Rng::seed_from_u64(seed), dim, parties, false)
}

/// The median and the fastest of `reps` repetitions, in microseconds a
/// Nash point.
fn time(reps: usize, zones: &[Zone], point: impl Fn(&Zone) -> [f64; MAX_ISSUES]) -> (f64, f64) {
    let mut each: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            for z in zones {
                black_box(point(black_box(z)));
            }
            start.elapsed().as_secs_f64() * 1e6 / zones.len() as f64
        })
        .collect();
    each.sort_by(f64::total_cmp);
    (each[reps / 2], each[0])
}

fn main() {
    let reps: usize = std::env::var("ZOPA_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(21)
        .max(1);
    println!("one Nash point from scratch, us (median / fastest of {reps})");
    for (dim, parties) in SIZES {
        let zones: Vec<Zone> = (0..ZONES).map(|s| zone(s, dim, parties)).collect();
        // A fresh solver each time: its memo would answer a repeat at once.
        let (median, fastest) = time(reps, &zones, |z| {
            <Solver>::default().nash(z.dim, &z.terms, z.gap, &z.y0)
        });
        println!("{dim:>2} issues x {parties:>2} parties: {median:>10.1} / {fastest:>10.1}");
        if dim == 4 {
            let (median, fastest) = time(reps, &zones, |z| {
                Solver::nash_structured(z.dim, &z.terms, z.gap, &z.y0)
            });
            println!("   the same, structured: {median:>10.1} / {fastest:>10.1}");
        }
    }
}
