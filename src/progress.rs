//! A progress bar on standard error for long runs, drawn by `indicatif`:
//! shown only when standard error is a terminal and `--quiet` is not given,
//! so logs and pipes stay clean.

use std::io::IsTerminal as _;

use std::fmt::Write;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// A bar for `total` runs; the library reports to it through
/// [`zopa::mc::Progress`].
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(total: u64, quiet: bool) -> Bar {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(ProgressBar::hidden());
        }
        let bar = ProgressBar::new(total);
        // The template is a constant known to be valid.
        if let Ok(style) = ProgressStyle::with_template(
            "[{bar:24}] {percent:>3}% {human_pos}/{human_len} runs  {rate}  ~{eta} left",
        ) {
            let style = style
                .with_key("rate", |state: &ProgressState, w: &mut dyn Write| {
                    let _ = write!(w, "{:.0} runs/s", state.per_sec());
                })
                .progress_chars("#>.");
            bar.set_style(style);
        }
        Bar(bar)
    }

    /// Removes the bar's line once the work is done.
    pub fn done(self) {
        self.0.finish_and_clear();
    }
}

impl zopa::mc::Progress for Bar {
    fn advance(&self, runs: u64) {
        self.0.inc(runs);
    }
}
