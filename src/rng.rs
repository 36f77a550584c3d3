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
#[derive(Debug, Clone, Default)]
pub struct Normals {
    spare: Option<f64>,
}

impl Normals {
    #[inline]
    pub fn next(&mut self, rng: &mut Stream) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = 2.0 * uniform(rng) - 1.0;
            let v = 2.0 * uniform(rng) - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let f = (-2.0 * s.ln() / s).sqrt();
                self.spare = Some(v * f);
                return u * f;
            }
        }
    }
}
