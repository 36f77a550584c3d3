//! Zones known without the gap solver, for the Nash point's tests and its
//! bench: every party's ideal near a settlement `y0` and its bar below its
//! utility there, so `y0` is inside with room.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use zopa::zone::{MAX_ISSUES, Terms, worst_bar_shortfall};

/// A zone known without the gap solver: every party's ideal near `y0`
/// and its bar below its utility there, so `y0` is inside with room.
pub struct Instance {
    pub dim: usize,
    pub terms: Vec<Terms>,
    pub y0: [f64; MAX_ISSUES],
    /// The worst bar shortfall at `y0`: negative, the zone's depth there.
    pub gap: f64,
}

pub fn instance(rng: &mut ChaCha8Rng, dim: usize, parties: usize, red_lines: bool) -> Instance {
    let mut y0 = [0.0f64; MAX_ISSUES];
    for k in 0..dim {
        y0[k] = rng.random_range(0.2..0.8);
    }
    let terms: Vec<Terms> = (0..parties)
        .map(|_| {
            let (mut ideal, mut weight) = ([0.0; MAX_ISSUES], [0.0; MAX_ISSUES]);
            for k in 0..dim {
                ideal[k] = (y0[k] + rng.random_range(-0.35..0.35)).clamp(0.0, 1.0);
                weight[k] = if rng.random::<f64>() < 0.15 {
                    0.0
                } else {
                    rng.random::<f64>()
                };
            }
            let total: f64 = weight.iter().sum::<f64>().max(1e-9);
            weight.iter_mut().for_each(|w| *w /= total);
            let mut t = Terms::new(ideal, weight, 0.0);
            t.reservation = t.utility(dim, &y0[..dim]) - rng.random_range(0.01..0.15);
            if red_lines {
                for k in 0..dim {
                    if rng.random::<f64>() < 0.2 {
                        t.lower[k] = y0[k] - rng.random_range(0.02..0.3);
                    }
                    if rng.random::<f64>() < 0.2 {
                        t.upper[k] = y0[k] + rng.random_range(0.02..0.3);
                    }
                }
            }
            t
        })
        .collect();
    let gap = worst_bar_shortfall(dim, &terms, &y0[..dim]);
    Instance {
        dim,
        terms,
        y0,
        gap,
    }
}
