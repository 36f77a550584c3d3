//! `runs.csv` and `run-events.csv`: one row per run of `mc --per-run` or
//! `sweep --per-run` (per cell and run for a sweep), and one row per event
//! fired in a run.
//!
//! Chunks of runs arrive from the worker threads in any order; a reorder
//! buffer keyed by chunk writes them in run order, so the files are the
//! same bytes for any number of threads. A thread whose chunk is too far
//! ahead of the next one to write waits, so memory holds at most
//! [`WINDOW`] chunks whatever the number of runs.
//!
//! A sharded sweep writes these files per shard (each holds its own cells,
//! in cell and run order); [`merge_shards`] streams them back into exactly
//! the unsharded sweep's files.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::{Provenance, csv_field, real};
use crate::mc::{RunRecord, RunSink};
use crate::model::{Issue, Scenario};

/// Chunks a thread may finish ahead of the next chunk to be written.
pub const WINDOW: u64 = 64;

/// What a row needs besides the run's record: the ids, and for a sweep each
/// cell's grid index and swept values.
pub struct Layout {
    seed: u64,
    parties: Vec<String>,
    events: Vec<String>,
    /// Per cell position: the cell's issues (a sweep may move their ends),
    /// and for a sweep its grid index and values.
    cells: Vec<CellLayout>,
    fields: Vec<String>,
    issue_ids: Vec<String>,
    /// Which issues are discrete: their settlements are also named.
    discrete: Vec<bool>,
}

/// A cell of a sweep as its rows name it.
pub struct SweptCell<'a> {
    /// Its position in the whole grid.
    pub index: usize,
    /// The swept fields' values, in `--vary` order.
    pub values: Vec<f64>,
    pub scenario: &'a Scenario,
}

struct CellLayout {
    issues: Vec<Issue>,
    grid: Option<(usize, Vec<f64>)>,
}

impl CellLayout {
    fn plain(sc: &Scenario) -> CellLayout {
        CellLayout {
            issues: sc.issues.clone(),
            grid: None,
        }
    }
}

impl Layout {
    /// The layout of `mc --per-run`.
    pub fn mc(sc: &Scenario, seed: u64) -> Layout {
        Layout::new(sc, seed, Vec::new(), vec![CellLayout::plain(sc)])
    }

    /// The layout of `sweep --per-run`: `cells` in the order they were run.
    pub fn sweep(sc: &Scenario, seed: u64, fields: Vec<String>, cells: &[SweptCell]) -> Layout {
        let cells = cells
            .iter()
            .map(|c| CellLayout {
                issues: c.scenario.issues.clone(),
                grid: Some((c.index, c.values.clone())),
            })
            .collect();
        Layout::new(sc, seed, fields, cells)
    }

    fn new(sc: &Scenario, seed: u64, fields: Vec<String>, cells: Vec<CellLayout>) -> Layout {
        Layout {
            seed,
            parties: sc.parties.iter().map(|p| csv_field(&p.id)).collect(),
            events: (0..sc.events.len())
                .map(|e| csv_field(&super::long::event_id(sc, e)))
                .collect(),
            cells,
            fields,
            issue_ids: sc.issues.iter().map(|i| i.id.clone()).collect(),
            discrete: sc.issues.iter().map(Issue::is_discrete).collect(),
        }
    }

    fn sweep_columns(&self) -> Vec<String> {
        if self.fields.is_empty() {
            return Vec::new();
        }
        let mut head = vec!["cell".to_string()];
        head.extend(self.fields.iter().map(|f| csv_field(f)));
        head
    }

    /// The header line of `runs.csv`.
    pub fn runs_header(&self) -> String {
        let mut head = self.sweep_columns();
        head.extend(
            [
                "run",
                "seed",
                "outcome",
                "first_zone_step",
                "deal_step",
                "smallest_gap",
                "smallest_gap_step",
            ]
            .map(String::from),
        );
        head.extend(
            self.issue_ids
                .iter()
                .map(|i| csv_field(&format!("settlement_{i}"))),
        );
        head.extend(
            (self.issue_ids.iter().zip(&self.discrete))
                .filter(|(_, d)| **d)
                .map(|(i, _)| csv_field(&format!("settlement_option_{i}"))),
        );
        head.extend(["most_blocking", "most_blocking_steps"].map(String::from));
        head.join(",") + "\n"
    }

    /// The header line of `run-events.csv`.
    pub fn events_header(&self) -> String {
        let mut head: Vec<String> = self.sweep_columns().into_iter().take(1).collect();
        head.extend(["run", "step", "event"].map(String::from));
        head.join(",") + "\n"
    }

    /// The rows of a chunk of runs of cell position `cell`, for both files.
    pub fn rows(&self, cell: usize, runs: &[RunRecord]) -> (String, String) {
        let (mut out, mut events) = (String::new(), String::new());
        let layout = &self.cells[cell];
        let (prefix, event_prefix) = match &layout.grid {
            Some((index, values)) => {
                let mut p = index.to_string();
                for &v in values {
                    p.push(',');
                    p.push_str(&real(v));
                }
                (p + ",", format!("{index},"))
            }
            None => (String::new(), String::new()),
        };
        for r in runs {
            out.push_str(&prefix);
            self.run_row(&layout.issues, r, &mut out);
            for e in &r.events {
                let _ = writeln!(
                    events,
                    "{event_prefix}{},{},{}",
                    r.run, e.step, self.events[e.event]
                );
            }
        }
        (out, events)
    }

    fn run_row(&self, issues: &[Issue], r: &RunRecord, out: &mut String) {
        let outcome = match (r.deal_step, r.first_zone) {
            (Some(_), _) => "deal",
            (None, Some(_)) => "missed",
            (None, None) => "no_zone",
        };
        let step = |s: Option<u32>| s.map(|s| s.to_string()).unwrap_or_default();
        let _ = write!(
            out,
            "{},{},{outcome},{},{},{},{}",
            r.run,
            self.seed,
            step(r.first_zone),
            step(r.deal_step),
            real(r.smallest_gap),
            r.smallest_gap_step
        );
        for (k, issue) in issues.iter().enumerate() {
            out.push(',');
            if r.deal_step.is_some() {
                out.push_str(&real(issue.denormalise(r.settlement[k])));
            }
        }
        for (k, issue) in issues.iter().enumerate().filter(|(_, i)| i.is_discrete()) {
            out.push(',');
            if r.deal_step.is_some() {
                let option = issue.option_at(issue.denormalise(r.settlement[k]));
                out.push_str(&csv_field(option.unwrap_or_default()));
            }
        }
        match r.most_blocking() {
            Some((p, n)) => {
                let _ = writeln!(out, ",{},{n}", self.parties[p]);
            }
            None => out.push_str(",,0\n"),
        }
    }
}

/// `runs.csv` and `run-events.csv` being written, in run order.
pub struct PerRunFiles<W: Write + Send> {
    layout: Layout,
    state: Mutex<Ordered<W>>,
    turn: Condvar,
}

struct Ordered<W> {
    /// The next chunk to write.
    next: u64,
    pending: BTreeMap<u64, (String, String)>,
    runs: W,
    events: W,
    failed: Option<std::io::Error>,
}

impl<W: Write + Send> PerRunFiles<W> {
    /// Starts both files: the provenance line and the header.
    pub fn start(
        layout: Layout,
        provenance: &Provenance,
        mut runs: W,
        mut events: W,
    ) -> std::io::Result<Self> {
        runs.write_all(provenance.csv_line().as_bytes())?;
        runs.write_all(layout.runs_header().as_bytes())?;
        events.write_all(provenance.csv_line().as_bytes())?;
        events.write_all(layout.events_header().as_bytes())?;
        Ok(PerRunFiles {
            layout,
            state: Mutex::new(Ordered {
                next: 0,
                pending: BTreeMap::new(),
                runs,
                events,
                failed: None,
            }),
            turn: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Ordered<W>> {
        // A panicking writer thread has already failed the job.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Flushes both files and returns them, or the first write error.
    pub fn finish(self) -> std::io::Result<(W, W)> {
        let mut st = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = st.failed.take() {
            return Err(e);
        }
        if !st.pending.is_empty() {
            return Err(std::io::Error::other("a chunk of runs never arrived"));
        }
        st.runs.flush()?;
        st.events.flush()?;
        Ok((st.runs, st.events))
    }
}

impl<W: Write + Send> RunSink for PerRunFiles<W> {
    fn put(&self, key: u64, cell: usize, runs: &[RunRecord]) {
        let rows = self.layout.rows(cell, runs);
        let mut st = self.lock();
        // The chunk `next` was taken before this one and is not waiting
        // here, so the wait always ends.
        while key >= st.next + WINDOW {
            st = self.turn.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        st.pending.insert(key, rows);
        let mut advanced = false;
        loop {
            let next = st.next;
            let Some((r, e)) = st.pending.remove(&next) else {
                break;
            };
            if st.failed.is_none() {
                let written = st
                    .runs
                    .write_all(r.as_bytes())
                    .and_then(|_| st.events.write_all(e.as_bytes()));
                if let Err(err) = written {
                    st.failed = Some(err);
                }
            }
            st.next += 1;
            advanced = true;
        }
        drop(st);
        if advanced {
            self.turn.notify_all();
        }
    }
}

/// Why the per-run files of a sharded sweep do not join: the shard (by
/// position, shard `k` at `k - 1`) and what is wrong.
#[derive(Debug)]
pub enum MergeError {
    /// A shard's file could not be read.
    Read {
        shard: usize,
        reason: std::io::Error,
    },
    /// A shard's file is not what `sweep --shard K/N --per-run` writes for
    /// this sweep.
    Invalid { shard: usize, reason: String },
    /// The joined file could not be written.
    Write(std::io::Error),
}

/// One shard's file being read, a line ahead.
struct ShardLines<R> {
    reader: R,
    /// The next line, with its line end, once read.
    next: Option<String>,
    /// Its line number, from 1.
    line: usize,
}

impl<R: BufRead> ShardLines<R> {
    fn advance(&mut self, shard: usize) -> Result<(), MergeError> {
        let mut text = String::new();
        let n = self
            .reader
            .read_line(&mut text)
            .map_err(|reason| MergeError::Read { shard, reason })?;
        self.next = (n > 0).then_some(text);
        self.line += 1;
        Ok(())
    }

    /// The cell of the next row (its first field), or `None` at the end.
    fn cell(&self, shard: usize) -> Result<Option<usize>, MergeError> {
        let Some(row) = &self.next else {
            return Ok(None);
        };
        let first = row.split([',', '\n']).next().unwrap_or_default();
        first.parse().map(Some).map_err(|_| MergeError::Invalid {
            shard,
            reason: format!("line {} does not start with a cell number", self.line),
        })
    }
}

/// Joins the shards' `runs-shard-K-of-N.csv` (or `run-events-shard-...`)
/// files, `shards[k - 1]` being shard `k` of `shards.len()`, into the file
/// the unsharded sweep of `cells` cells writes: the provenance line
/// (which must be `provenance`, the sweep's own), the header every shard
/// shares, then each cell's rows in cell order, taken from the shard that
/// holds the cell. Rows are streamed, so memory stays flat.
pub fn merge_shards<R: BufRead, W: Write>(
    shards: Vec<R>,
    cells: usize,
    provenance: &Provenance,
    out: &mut W,
) -> Result<(), MergeError> {
    let count = shards.len();
    let mut files = Vec::with_capacity(count);
    let expected = provenance.csv_line();
    let mut header: Option<String> = None;
    for (shard, reader) in shards.into_iter().enumerate() {
        let mut f = ShardLines {
            reader,
            next: None,
            line: 0,
        };
        let invalid = |reason: &str| MergeError::Invalid {
            shard,
            reason: reason.to_string(),
        };
        f.advance(shard)?;
        if f.next.as_deref() != Some(expected.as_str()) {
            return Err(invalid(
                "its first line does not record this sweep (scenario, seed, runs or --set differ, or it is from an earlier sweep)",
            ));
        }
        f.advance(shard)?;
        match (&header, &f.next) {
            (_, None) => return Err(invalid("it has no header line")),
            (Some(h), Some(this)) if h != this => {
                return Err(invalid(
                    "its header differs from shard 1's (--vary differs)",
                ));
            }
            (None, Some(this)) => header = Some(this.clone()),
            _ => {}
        }
        f.advance(shard)?;
        files.push(f);
    }
    out.write_all(expected.as_bytes())
        .and_then(|_| out.write_all(header.unwrap_or_default().as_bytes()))
        .map_err(MergeError::Write)?;
    for cell in 0..cells {
        let shard = cell % count;
        let f = &mut files[shard];
        while let Some(at) = f.cell(shard)? {
            if at > cell && at % count == shard {
                break;
            }
            if at != cell {
                return Err(MergeError::Invalid {
                    shard,
                    reason: format!(
                        "line {} holds cell {at}, out of order or not this shard's",
                        f.line
                    ),
                });
            }
            let row = f.next.take().unwrap_or_default();
            out.write_all(row.as_bytes()).map_err(MergeError::Write)?;
            f.advance(shard)?;
        }
    }
    for (shard, f) in files.iter().enumerate() {
        if let Some(at) = f.cell(shard)? {
            return Err(MergeError::Invalid {
                shard,
                reason: format!(
                    "line {} holds cell {at}, beyond the sweep's {cells} cells",
                    f.line
                ),
            });
        }
    }
    out.flush().map_err(MergeError::Write)
}
