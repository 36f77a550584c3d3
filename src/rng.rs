//! Seeded randomness whose stream does not depend on the platform or on
//! the `rand` crate's choice of default generator.
//!
//! Every run draws from its own ChaCha8 stream, chosen by `(seed, run)`, so
//! runs are independent and any run can be replayed alone, in any order, on
//! any number of threads.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub type Stream = ChaCha8Rng;

/// The stream of run number `run` under `seed`.
pub fn stream(seed: u64, run: u64) -> Stream {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// A uniform draw in `[0, 1)`.
#[inline]
pub fn uniform(rng: &mut Stream) -> f64 {
    rng.random::<f64>()
}

/// Standard normal draws by Marsaglia's polar method, which yields them in
/// pairs without trigonometry; the second of each pair is kept for the next
/// call. The sequence is a pure function of the stream.
///
/// A draw the caller will not read can be skipped: the stream moves on
/// exactly as the draw would move it, but a pair whose first half is
/// skipped keeps its second half unevaluated, and its logarithm and square
/// root are taken only if that half is read. Values read are the same, bit
/// for bit, as if nothing had been skipped.
#[derive(Debug, Clone, Default)]
pub struct Normals {
    spare: Spare,
}

/// The second half of the last pair, if not yet taken.
#[derive(Debug, Clone, Copy, Default)]
enum Spare {
    #[default]
    None,
    Ready(f64),
    /// `v` and `s = u^2 + v^2` of an accepted pair: the value is
    /// `v * sqrt(-2 ln s / s)`.
    Unevaluated {
        v: f64,
        s: f64,
    },
}

impl Normals {
    #[inline]
    pub fn next(&mut self, rng: &mut Stream) -> f64 {
        match std::mem::take(&mut self.spare) {
            Spare::Ready(z) => z,
            Spare::Unevaluated { v, s } => v * polar_factor(s),
            Spare::None => {
                let (u, v, s) = accepted_pair(rng);
                let f = polar_factor(s);
                self.spare = Spare::Ready(v * f);
                u * f
            }
        }
    }

    /// Moves on as [`Normals::next`] would, without working out the draw.
    #[inline]
    pub fn skip(&mut self, rng: &mut Stream) {
        if let Spare::None = std::mem::take(&mut self.spare) {
            let (_, v, s) = accepted_pair(rng);
            self.spare = Spare::Unevaluated { v, s };
        }
    }
}

/// Points drawn in the square until one falls inside the unit circle
/// (centre excluded): the point and its squared radius.
#[inline]
fn accepted_pair(rng: &mut Stream) -> (f64, f64, f64) {
    loop {
        let u = 2.0 * uniform(rng) - 1.0;
        let v = 2.0 * uniform(rng) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return (u, v, s);
        }
    }
}

#[inline]
fn polar_factor(s: f64) -> f64 {
    (-2.0 * s.ln() / s).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading some draws and skipping others leaves every draw read equal,
    /// bit for bit, to the same draw in a stream read throughout, and the
    /// stream itself where it would have been.
    #[test]
    fn a_skipped_draw_changes_no_draw_read_after_it() {
        let mut pattern = stream(7, 3);
        for case in 0..200u64 {
            let (mut all, mut some) = (stream(11, case), stream(11, case));
            let (mut read_all, mut read_some) = (Normals::default(), Normals::default());
            for _ in 0..60 {
                let full = read_all.next(&mut all);
                if uniform(&mut pattern) < 0.5 {
                    read_some.skip(&mut some);
                } else {
                    assert_eq!(read_some.next(&mut some).to_bits(), full.to_bits());
                }
            }
            assert_eq!(uniform(&mut all).to_bits(), uniform(&mut some).to_bits());
        }
    }

    /// The draws are standard normal: mean 0 and variance 1 within four
    /// standard errors over 200,000 draws.
    #[test]
    fn the_draws_have_mean_zero_and_variance_one() {
        let (mut rng, mut normals) = (stream(5, 0), Normals::default());
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|_| normals.next(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / n as f64;
        let se = (1.0 / n as f64).sqrt();
        assert!(mean.abs() < 4.0 * se, "mean {mean}");
        // The variance of a sample variance of normals is 2 / n.
        assert!(
            (var - 1.0).abs() < 4.0 * (2.0 / n as f64).sqrt(),
            "variance {var}"
        );
    }
}
