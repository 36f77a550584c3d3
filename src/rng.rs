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
pub fn uniform(rng: &mut Stream) -> f64 {
    rng.random::<f64>()
}

/// A standard normal draw (Box-Muller; one draw per call keeps the number
/// of values consumed per step fixed).
pub fn normal(rng: &mut Stream) -> f64 {
    let u1 = 1.0 - uniform(rng); // in (0, 1], so the log is finite
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}
