//! Many runs of one scenario, aggregated as they stream by.
//!
//! Run `i` draws from stream `(seed, i)`, whatever thread runs it. Each
//! thread of a rayon pool keeps its own [`Tally`] of integer counts
//! (histograms included) and takes chunks of runs from a shared counter;
//! tallies are merged by adding counts, so the result is the same bit for
//! bit for any number of threads and any order of completion. Memory
//! depends on the horizon and the thread count, never on the number of runs.
//!
//! On request each run is also recorded ([`RunRecord`]: outcome, first
//! zone, deal, smallest gap, blocking, events) and handed, a chunk at a
//! time and keyed by chunk, to a [`RunSink`]; the library only hands the
//! records over, and the sink decides how to order and write them.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::Scenario;
use crate::rng;
use crate::sim::{Core, Simulation, at_width, near_least};
use crate::zone::{MAX_ISSUES, resized};

/// Bins of the settlement histograms, per issue: a bin is 0.1% of the
/// issue's range.
pub const SETTLEMENT_BINS: usize = 1000;
/// Upper bound on gap-histogram counters (steps × bins), so that a very long
/// horizon coarsens the bins instead of exhausting memory.
const GAP_COUNTERS: usize = 8_000_000;
/// Finest gap bin count per step (a bin of 2e-4 utility over [-1, 1]).
const GAP_BINS_MAX: usize = 10_000;
/// Runs handed to a thread at a time.
const CHUNK: u64 = 512;

/// Fixed-point scale for sums of settlements, so sums are exact integers.
const FIXED: f64 = 1e9;

/// Everything counted over many runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub steps: usize,
    pub issues: usize,
    pub runs: u64,
    /// Per step: runs with a zone at that step (a run that ended in a deal
    /// keeps its last state).
    pub zone_now: Vec<u64>,
    /// Per step: runs whose zone had existed at or before that step.
    pub zone_by: Vec<u64>,
    /// Per step: runs with a deal at or before that step.
    pub deal_by: Vec<u64>,
    /// Runs whose first zone is at each step (index `steps`: never).
    pub first_zone: Vec<u64>,
    pub gap_bins: usize,
    /// `steps × gap_bins` counts of the gap over `[-1, 1]`, and per step
    /// the least and greatest gap seen, so that a quantile is never placed
    /// outside what was observed.
    pub gap_hist: Vec<u64>,
    pub gap_low: Vec<f64>,
    pub gap_high: Vec<f64>,
    /// `issues × SETTLEMENT_BINS` counts of deal settlements (normalised),
    /// and per issue the least and greatest settlement made.
    pub settlement_hist: Vec<u64>,
    pub settlement_low: Vec<f64>,
    pub settlement_high: Vec<f64>,
    /// Per issue: the sum of settlements (normalised) in units of 1e-9.
    pub settlement_sum: Vec<i128>,
}

impl Tally {
    pub fn new(steps: usize, issues: usize) -> Self {
        let gap_bins = (GAP_COUNTERS / steps.max(1)).clamp(20, GAP_BINS_MAX);
        Tally {
            steps,
            issues,
            runs: 0,
            zone_now: vec![0; steps],
            zone_by: vec![0; steps],
            deal_by: vec![0; steps],
            first_zone: vec![0; steps + 1],
            gap_bins,
            gap_hist: vec![0; steps * gap_bins],
            gap_low: vec![f64::INFINITY; steps],
            gap_high: vec![f64::NEG_INFINITY; steps],
            settlement_hist: vec![0; issues * SETTLEMENT_BINS],
            settlement_low: vec![f64::INFINITY; issues],
            settlement_high: vec![f64::NEG_INFINITY; issues],
            settlement_sum: vec![0; issues],
        }
    }

    /// Adds another tally's counts (same shape).
    pub fn merge(&mut self, other: &Tally) {
        self.runs += other.runs;
        let add = |a: &mut Vec<u64>, b: &Vec<u64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.zone_now, &other.zone_now);
        add(&mut self.zone_by, &other.zone_by);
        add(&mut self.deal_by, &other.deal_by);
        add(&mut self.first_zone, &other.first_zone);
        add(&mut self.gap_hist, &other.gap_hist);
        add(&mut self.settlement_hist, &other.settlement_hist);
        // Least and greatest values merge exactly, in any order.
        let low =
            |a: &mut Vec<f64>, b: &Vec<f64>| a.iter_mut().zip(b).for_each(|(x, y)| *x = x.min(*y));
        let high =
            |a: &mut Vec<f64>, b: &Vec<f64>| a.iter_mut().zip(b).for_each(|(x, y)| *x = x.max(*y));
        low(&mut self.gap_low, &other.gap_low);
        high(&mut self.gap_high, &other.gap_high);
        low(&mut self.settlement_low, &other.settlement_low);
        high(&mut self.settlement_high, &other.settlement_high);
        self.settlement_sum
            .iter_mut()
            .zip(&other.settlement_sum)
            .for_each(|(x, y)| *x += y);
    }

    fn gap_bin(&self, gap: f64) -> usize {
        let x = ((gap + 1.0) / 2.0 * self.gap_bins as f64).floor();
        (x.max(0.0) as usize).min(self.gap_bins - 1)
    }

    /// The centre of gap bin `b`.
    pub fn gap_value(&self, b: usize) -> f64 {
        -1.0 + (b as f64 + 0.5) * 2.0 / self.gap_bins as f64
    }

    /// The `q`-quantile of the gap at `step`: the centre of the bin that
    /// holds it, so within half a bin (1e-4 for horizons up to 800 steps) of
    /// the exact sample quantile, and kept within the gaps observed (which
    /// only brings it closer).
    pub fn gap_quantile(&self, step: usize, q: f64) -> f64 {
        let row = &self.gap_hist[step * self.gap_bins..(step + 1) * self.gap_bins];
        quantile(row, q).map_or(f64::NAN, |b| {
            self.gap_value(b)
                .clamp(self.gap_low[step], self.gap_high[step])
        })
    }

    /// Runs that reached a deal.
    pub fn deals(&self) -> u64 {
        self.deal_by.last().copied().unwrap_or(0)
    }
}

/// The bin holding the `q`-quantile of a histogram (the smallest bin whose
/// cumulative count reaches `q` of the total).
pub fn quantile(hist: &[u64], q: f64) -> Option<usize> {
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return None;
    }
    let target = ((q * total as f64).ceil() as u64).clamp(1, total);
    let mut acc = 0;
    for (i, &c) in hist.iter().enumerate() {
        acc += c;
        if acc >= target {
            return Some(i);
        }
    }
    Some(hist.len() - 1)
}

/// A 95% Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    // At the ends the bound is exactly 0 (no success) or 1 (no failure);
    // the formula leaves a rounding residue such as 1e-19 there.
    let low = if k == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if k == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// Where a long job reports the runs it has finished, so that a caller can
/// draw a progress bar; the library itself never draws anything.
pub trait Progress: Sync {
    fn advance(&self, runs: u64);
}

impl Progress for AtomicU64 {
    fn advance(&self, runs: u64) {
        self.fetch_add(runs, Ordering::Relaxed);
    }
}

/// No progress reporting.
pub struct Silent;

impl Progress for Silent {
    fn advance(&self, _: u64) {}
}

/// Runs `work` once on each thread of a pool of `threads` threads; every
/// call takes chunks `0..chunks` from a shared counter until none are left,
/// and returns what it gathered. Each chunk is taken exactly once.
pub fn on_pool<T: Send>(
    threads: usize,
    chunks: u64,
    work: impl Fn(&dyn Fn() -> Option<u64>) -> T + Sync,
) -> Vec<T> {
    let next = AtomicU64::new(0);
    let take = || {
        let c = next.fetch_add(1, Ordering::Relaxed);
        (c < chunks).then_some(c)
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
    {
        Ok(pool) => pool.broadcast(|_| work(&take)),
        // No threads to be had: do the work here, alone.
        Err(_) => vec![work(&take)],
    }
}

/// Runs `runs` runs of `sc` under `seed` on `threads` threads, reporting
/// finished runs to `progress`.
pub fn simulate(
    sc: &Scenario,
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn Progress,
) -> Tally {
    simulate_into(sc, seed, runs, threads, progress, None)
}

/// As [`simulate`], and hands every run's record to `sink`, a chunk at a
/// time (chunk `k` holds runs `k * CHUNK ..`; chunks arrive in any order,
/// each once, and the sink puts them back in order).
pub fn simulate_per_run(
    sc: &Scenario,
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn Progress,
    sink: &dyn RunSink,
) -> Tally {
    simulate_into(sc, seed, runs, threads, progress, Some(sink))
}

fn simulate_into(
    sc: &Scenario,
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn Progress,
    sink: Option<&dyn RunSink>,
) -> Tally {
    let tallies = on_pool(threads, chunks(runs), |take| {
        at_width!(sc, run_chunks(sc, seed, runs, progress, sink, take))
    });
    let mut total = Tally::new(sc.steps as usize, sc.issues.len());
    for t in &tallies {
        total.merge(t);
    }
    total
}

/// One thread's share of [`simulate_into`]: the chunks it takes, on one
/// simulation `W` issues wide.
fn run_chunks<const W: usize, const R: usize>(
    sc: &Scenario,
    seed: u64,
    runs: u64,
    progress: &dyn Progress,
    sink: Option<&dyn RunSink>,
    take: &dyn Fn() -> Option<u64>,
) -> Tally {
    let mut tally = Tally::new(sc.steps as usize, sc.issues.len());
    let mut sim = Simulation::<W, R>::with_width(sc);
    let mut records: Vec<RunRecord> = Vec::new();
    while let Some(chunk) = take() {
        let (start, end) = (chunk * CHUNK, ((chunk + 1) * CHUNK).min(runs));
        match sink {
            None => {
                for run in start..end {
                    one_run(&mut sim, sc, seed, run, &mut tally, None);
                }
            }
            Some(sink) => {
                let n = (end - start) as usize;
                if records.len() < n {
                    records.resize_with(n, RunRecord::default);
                }
                for (run, rec) in (start..end).zip(records.iter_mut()) {
                    one_run(&mut sim, sc, seed, run, &mut tally, Some(rec));
                }
                sink.put(chunk, 0, &records[..n]);
            }
        }
        progress.advance(end - start);
    }
    tally
}

/// What a chunk of runs found, as a sweep cell or a sensitivity variant
/// counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub runs: u64,
    /// Runs in which a zone existed at some step of the horizon.
    pub zone: u64,
    pub deal: u64,
    /// The sum over runs of the smallest gap each run reached, in units of
    /// 1e-9 (integers add up the same in any order, so the total does not
    /// depend on the threads).
    pub smallest_gap_sum: i128,
    /// The sum of the squares of those gaps, in units of 1e-18 (from the
    /// same rounded values), for the spread of the mean.
    pub smallest_gap_squares: i128,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.runs += other.runs;
        self.zone += other.zone;
        self.deal += other.deal;
        self.smallest_gap_sum += other.smallest_gap_sum;
        self.smallest_gap_squares += other.smallest_gap_squares;
    }

    /// The sample variance over runs of the smallest gap each reached (0
    /// with fewer than two runs).
    pub fn smallest_gap_variance(&self) -> f64 {
        if self.runs < 2 {
            return 0.0;
        }
        let n = self.runs as f64;
        let sum = self.smallest_gap_sum as f64 / FIXED;
        let squares = self.smallest_gap_squares as f64 / (FIXED * FIXED);
        ((squares - sum * sum / n) / (n - 1.0)).max(0.0)
    }

    /// Counts one run's smallest gap.
    fn add_gap(&mut self, gap: f64) {
        let fixed = (gap * FIXED).round() as i128;
        self.smallest_gap_sum += fixed;
        self.smallest_gap_squares += fixed * fixed;
    }

    /// The mean over runs of the smallest gap each reached.
    pub fn mean_smallest_gap(&self) -> f64 {
        if self.runs == 0 {
            0.0
        } else {
            self.smallest_gap_sum as f64 / FIXED / self.runs as f64
        }
    }
}

/// Runs the chunk of `CHUNK` runs numbered `chunk` (the last one may be
/// shorter) and counts how they ended.
pub fn count_chunk<const W: usize, const R: usize>(
    sim: &mut Simulation<'_, W, R>,
    seed: u64,
    runs: u64,
    chunk: u64,
) -> Counts {
    let (start, end) = (chunk * CHUNK, ((chunk + 1) * CHUNK).min(runs));
    let mut c = Counts {
        runs: end - start,
        ..Counts::default()
    };
    for run in start..end {
        let ending = run_to_end(sim, seed, run);
        c.zone += u64::from(ending.seen_zone);
        c.deal += u64::from(ending.deal);
        c.add_gap(ending.smallest_gap);
    }
    c
}

/// As [`count_chunk`], keeping each run's record in `records` (resized to
/// the chunk's runs; their memory is reused from chunk to chunk).
pub fn count_chunk_recorded<const W: usize, const R: usize>(
    sim: &mut Simulation<'_, W, R>,
    seed: u64,
    runs: u64,
    chunk: u64,
    records: &mut Vec<RunRecord>,
) -> Counts {
    let (start, end) = (chunk * CHUNK, ((chunk + 1) * CHUNK).min(runs));
    let n = (end - start) as usize;
    if records.len() < n {
        records.resize_with(n, RunRecord::default);
    }
    records.truncate(n);
    let mut c = Counts {
        runs: end - start,
        ..Counts::default()
    };
    for (run, rec) in (start..end).zip(records.iter_mut()) {
        record_run(sim, seed, run, rec);
        c.zone += u64::from(rec.first_zone.is_some());
        c.deal += u64::from(rec.deal_step.is_some());
        c.add_gap(rec.smallest_gap);
    }
    c
}

/// Counts chunk `chunk` of `sc`'s runs on a simulation of its own, at the
/// narrowest width `sc` fits, keeping each run's record in `records` when
/// given (as [`count_chunk_recorded`]).
pub fn count_fresh(
    sc: &Scenario,
    seed: u64,
    runs: u64,
    chunk: u64,
    records: Option<&mut Vec<RunRecord>>,
) -> Counts {
    at_width!(sc, count_fresh_at(sc, seed, runs, chunk, records))
}

fn count_fresh_at<const W: usize, const R: usize>(
    sc: &Scenario,
    seed: u64,
    runs: u64,
    chunk: u64,
    records: Option<&mut Vec<RunRecord>>,
) -> Counts {
    let mut sim = Simulation::<W, R>::with_width(sc);
    match records {
        Some(records) => count_chunk_recorded(&mut sim, seed, runs, chunk, records),
        None => count_chunk(&mut sim, seed, runs, chunk),
    }
}

/// One run, recorded (and nothing tallied).
fn record_run<const W: usize, const R: usize>(
    sim: &mut Simulation<'_, W, R>,
    seed: u64,
    run: u64,
    rec: &mut RunRecord,
) {
    sim.reset();
    let mut stream = rng::stream(seed, run);
    rec.begin(run, sim.parties());
    for t in 0..sim.steps() {
        let core = sim.advance(t, &mut stream);
        rec.observe(t, &core, sim);
        if core.deal.is_some() {
            break;
        }
    }
}

/// What one run did, as `--per-run` writes it: a row of `runs.csv` and
/// its rows of `run-events.csv`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRecord {
    /// The run's number: it drew from the stream `(seed, run)`.
    pub run: u64,
    pub first_zone: Option<u32>,
    pub deal_step: Option<u32>,
    /// The deal's settlement (normalised), when `deal_step` is set.
    pub settlement: [f64; MAX_ISSUES],
    /// The smallest gap of the run and the first step that came within the
    /// zone's tolerance of it (as [`crate::sim::extreme_gap`] names it).
    pub smallest_gap: f64,
    pub smallest_gap_step: u32,
    /// The run's gaps so far, one a step from step 0.
    gaps: Vec<f64>,
    /// Per party: the steps at which it closed the zone.
    pub blocking: Vec<u32>,
    /// Each event fired, with its step, in step order then file order.
    pub events: Vec<FiredEvent>,
}

/// An event that fired in a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FiredEvent {
    pub step: u32,
    /// The event's position in the scenario's list.
    pub event: usize,
}

impl RunRecord {
    /// Empties the record for run `run` of a scenario with `parties` parties.
    fn begin(&mut self, run: u64, parties: usize) {
        self.run = run;
        self.first_zone = None;
        self.deal_step = None;
        self.settlement = [0.0; MAX_ISSUES];
        self.smallest_gap = f64::INFINITY;
        self.smallest_gap_step = 0;
        self.gaps.clear();
        self.blocking.clear();
        self.blocking.resize(parties, 0);
        self.events.clear();
    }

    /// Takes in step `t`, just advanced by `sim`.
    fn observe<const W: usize, const R: usize>(
        &mut self,
        t: u32,
        core: &Core<W>,
        sim: &Simulation<'_, W, R>,
    ) {
        if core.zone && self.first_zone.is_none() {
            self.first_zone = Some(t);
        }
        self.note_gap(core.gap);
        for b in sim.blockers() {
            self.blocking[b.party] += 1;
        }
        self.events.extend(
            sim.fired()
                .iter()
                .map(|&event| FiredEvent { step: t, event }),
        );
        if let Some(y) = core.deal {
            self.deal_step = Some(t);
            self.settlement = resized(&y, 0.0);
        }
    }

    /// Takes in the next step's gap. The least gap only falls, so the first
    /// step within the tolerance of it only moves on: the search for it
    /// starts where it last stopped, and a run's are linear in its steps.
    fn note_gap(&mut self, gap: f64) {
        self.gaps.push(gap);
        if gap < self.smallest_gap {
            self.smallest_gap = gap;
            let from = self.smallest_gap_step as usize;
            if let Some(i) = self.gaps[from..].iter().position(|&g| near_least(g, gap)) {
                self.smallest_gap_step = (from + i) as u32;
            }
        }
    }

    /// The party that closed the zone at the most steps (the first in the
    /// file on a tie), with that count; `None` when no party ever did.
    pub fn most_blocking(&self) -> Option<(usize, u32)> {
        let mut best: Option<(usize, u32)> = None;
        for (p, &n) in self.blocking.iter().enumerate() {
            if n > 0 && best.is_none_or(|(_, m)| n > m) {
                best = Some((p, n));
            }
        }
        best
    }
}

/// Where `--per-run` records go: a chunk of runs at a time, from any
/// thread. `key` orders the chunks (every key from 0 up arrives exactly
/// once, in any order); `cell` is the position of the chunk's scenario
/// among those run (always 0 for one scenario).
pub trait RunSink: Sync {
    fn put(&self, key: u64, cell: usize, runs: &[RunRecord]);
}

/// Chunks of runs needed for `runs` runs.
pub fn chunks(runs: u64) -> u64 {
    runs.div_ceil(CHUNK)
}

/// How one run ended, as the sweep counts it.
struct Ending {
    seen_zone: bool,
    deal: bool,
    smallest_gap: f64,
}

fn run_to_end<const W: usize, const R: usize>(
    sim: &mut Simulation<'_, W, R>,
    seed: u64,
    run: u64,
) -> Ending {
    sim.reset();
    let mut stream = rng::stream(seed, run);
    let mut seen_zone = false;
    let mut smallest_gap = f64::INFINITY;
    for t in 0..sim.steps() {
        let core = sim.advance(t, &mut stream);
        seen_zone |= core.zone;
        smallest_gap = smallest_gap.min(core.gap);
        if core.deal.is_some() {
            return Ending {
                seen_zone,
                deal: true,
                smallest_gap,
            };
        }
    }
    Ending {
        seen_zone,
        deal: false,
        smallest_gap: if smallest_gap.is_finite() {
            smallest_gap
        } else {
            0.0
        },
    }
}

/// One run, counted into `tally` and, if given, recorded into `rec`.
fn one_run<const W: usize, const R: usize>(
    sim: &mut Simulation<'_, W, R>,
    sc: &Scenario,
    seed: u64,
    run: u64,
    tally: &mut Tally,
    mut rec: Option<&mut RunRecord>,
) {
    sim.reset();
    let mut stream = rng::stream(seed, run);
    let steps = sc.steps as usize;
    let mut seen_zone = false;
    let mut deal_at: Option<usize> = None;
    let mut last = (f64::NAN, false);
    if let Some(r) = rec.as_deref_mut() {
        r.begin(run, sc.parties.len());
    }
    for t in 0..steps {
        let core = sim.advance(t as u32, &mut stream);
        if let Some(r) = rec.as_deref_mut() {
            r.observe(t as u32, &core, sim);
        }
        last = (core.gap, core.zone);
        record(tally, t, core.gap, core.zone, &mut seen_zone, false);
        if let Some(y) = core.deal {
            deal_at = Some(t);
            for (k, &v) in y.iter().enumerate().take(sc.issues.len()) {
                let b = settlement_bin(v);
                tally.settlement_hist[k * SETTLEMENT_BINS + b] += 1;
                tally.settlement_low[k] = tally.settlement_low[k].min(v);
                tally.settlement_high[k] = tally.settlement_high[k].max(v);
                tally.settlement_sum[k] += (v * FIXED).round() as i128;
            }
            tally.deal_by[t] += 1;
            break;
        }
    }
    // After a deal the run's last state stands for the rest of the horizon.
    if let Some(d) = deal_at {
        for t in d + 1..steps {
            record(tally, t, last.0, last.1, &mut seen_zone, true);
            tally.deal_by[t] += 1;
        }
    }
    if !seen_zone {
        tally.first_zone[steps] += 1;
    }
    tally.runs += 1;
}

// Once a step in every run: a call here costs as much as the tallying.
#[inline(always)]
fn record(tally: &mut Tally, t: usize, gap: f64, zone: bool, seen: &mut bool, frozen: bool) {
    let b = tally.gap_bin(gap);
    tally.gap_hist[t * tally.gap_bins + b] += 1;
    tally.gap_low[t] = tally.gap_low[t].min(gap);
    tally.gap_high[t] = tally.gap_high[t].max(gap);
    if zone {
        tally.zone_now[t] += 1;
        if !*seen && !frozen {
            tally.first_zone[t] += 1;
        }
        *seen = true;
    }
    if *seen {
        tally.zone_by[t] += 1;
    }
}

/// Mean settlement on each issue over the deals (normalised), if any.
/// The deals that settled issue `k` at the normalised value `y` exactly:
/// an option of a discrete issue, whose bin holds no other value.
pub fn settlement_at(t: &Tally, k: usize, y: f64) -> u64 {
    t.settlement_hist[k * SETTLEMENT_BINS + settlement_bin(y)]
}

/// The bin of a settlement's normalised value.
fn settlement_bin(y: f64) -> usize {
    ((y * SETTLEMENT_BINS as f64) as usize).min(SETTLEMENT_BINS - 1)
}

pub fn settlement_mean(t: &Tally) -> Vec<Option<f64>> {
    let deals = t.deals();
    t.settlement_sum
        .iter()
        .map(|&s| (deals > 0).then(|| s as f64 / FIXED / deals as f64))
        .collect()
}

/// A quantile of the settlement on issue `k` (normalised): the centre of
/// the bin that holds it, so within half a bin (0.05% of the range) of the
/// exact sample quantile, kept within the settlements made.
pub fn settlement_quantile(t: &Tally, k: usize, q: f64) -> Option<f64> {
    let row = &t.settlement_hist[k * SETTLEMENT_BINS..(k + 1) * SETTLEMENT_BINS];
    quantile(row, q).map(|b| {
        ((b as f64 + 0.5) / SETTLEMENT_BINS as f64).clamp(t.settlement_low[k], t.settlement_high[k])
    })
}

/// Convenience for tests and benches: no progress reporting.
pub fn simulate_quietly(sc: &Scenario, seed: u64, runs: u64, threads: usize) -> Tally {
    simulate(sc, seed, runs, threads, &Silent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::ZONE_TOL;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A run's record names the same least gap and step, gap by gap, as the
    /// whole run's definition does, on gaps that fall, rise, stay level to
    /// the last bits (plateaus the solver's rounding makes) and creep down
    /// by less than the tolerance a step.
    #[test]
    fn a_record_names_the_smallest_gap_as_the_whole_run_does() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut moved = 0;
        for _ in 0..2000 {
            let mut rec = RunRecord::default();
            rec.begin(0, 2);
            let mut gaps = Vec::new();
            let mut g: f64 = rng.random_range(-0.2..0.8);
            for _ in 0..rng.random_range(1..60) {
                g += match rng.random_range(0..5) {
                    0 => rng.random_range(-0.1..0.1),
                    1 => rng.random_range(-1e-15..1e-15),
                    2 => -0.4 * ZONE_TOL,
                    3 => 0.0,
                    _ => rng.random_range(-2.0 * ZONE_TOL..2.0 * ZONE_TOL),
                };
                gaps.push(g);
                rec.note_gap(g);
                let (least, at) = crate::sim::extreme_gap(&gaps, false).expect("gaps");
                assert_eq!(rec.smallest_gap.to_bits(), least.to_bits(), "{gaps:?}");
                assert_eq!(rec.smallest_gap_step as usize, at, "{gaps:?}");
                let first_least = gaps.iter().position(|&x| x == least).expect("least");
                moved += usize::from(at < first_least);
            }
        }
        assert!(
            moved > 1000,
            "only {moved} plateaus named earlier than their least"
        );
    }
}
