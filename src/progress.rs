//! A progress bar on standard error for long runs: shown only when standard
//! error is a terminal and `--quiet` is not given, so logs and pipes stay
//! clean.

use std::io::{IsTerminal as _, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Runs `work`, which counts its progress in the counter it is given, while
/// drawing a bar for `total` units of `what` (e.g. "runs").
pub fn watch<T: Send>(
    total: u64,
    what: &str,
    quiet: bool,
    work: impl FnOnce(&AtomicU64) -> T + Send,
) -> T {
    let done = AtomicU64::new(0);
    if quiet || !std::io::stderr().is_terminal() {
        return work(&done);
    }
    let start = Instant::now();
    let result = std::thread::scope(|scope| {
        let handle = scope.spawn(|| work(&done));
        while !handle.is_finished() {
            draw(done.load(Ordering::Relaxed), total, what, start.elapsed());
            std::thread::sleep(Duration::from_millis(100));
        }
        handle.join().expect("the work thread panicked")
    });
    // Clear the bar's line.
    eprint!("\r{}\r", " ".repeat(79));
    let _ = std::io::stderr().flush();
    result
}

fn draw(done: u64, total: u64, what: &str, elapsed: Duration) {
    let frac = if total == 0 {
        1.0
    } else {
        done as f64 / total as f64
    };
    let width = 24;
    let filled = (frac * width as f64) as usize;
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    let left = if rate > 0.0 {
        (total - done.min(total)) as f64 / rate
    } else {
        f64::NAN
    };
    let left = if left.is_finite() {
        format!("~{left:.0} s left")
    } else {
        "estimating".into()
    };
    eprint!(
        "\r[{}{}] {:>3.0}% {done}/{total} {what}  {}/s  {left}   ",
        "#".repeat(filled),
        ".".repeat(width - filled),
        100.0 * frac,
        human(rate)
    );
    let _ = std::io::stderr().flush();
}

fn human(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.1}M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}
