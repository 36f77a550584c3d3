//! Sweep results as files: the table of every cell, and shard files that
//! `zopa merge` joins back into exactly the unsharded table.

use serde::{Deserialize, Serialize};

use super::real;
use crate::mc::wilson;
use crate::sweep::{Axis, Cell, Shard, grid};

/// What a sweep was: enough to label its table and charts, and to check
/// that shards belong together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub scenario: String,
    pub title: String,
    pub steps: u32,
    pub step_unit: String,
    pub seed: u64,
    pub runs: u64,
    pub axes: Vec<Axis>,
    /// The shard, or `None` for a whole sweep.
    pub shard: Option<Shard>,
    /// What `--set` changed (empty for the scenario as written); shards of
    /// different variants do not merge.
    #[serde(default)]
    pub variant: Vec<super::VariantField>,
}

impl Meta {
    pub fn cells(&self) -> usize {
        self.axes.iter().map(|a| a.steps).product()
    }

    /// What the sweep's CSV files record of how they were made (a shard's
    /// per-run files the same as the whole sweep's, so they join).
    pub fn provenance(&self) -> super::Provenance {
        super::Provenance {
            command: "sweep",
            scenario: self.scenario.clone(),
            seed: self.seed,
            runs: self.runs,
            variant: self.variant.clone(),
        }
    }
}

const SHARD_MARK: &str = "# zopa sweep shard ";

/// `sweep.csv`: one row per cell, in grid order, after the provenance line.
pub fn table(meta: &Meta, cells: &[Cell]) -> String {
    let mut out = meta.provenance().csv_line();
    let mut head: Vec<String> = meta
        .axes
        .iter()
        .map(|a| super::csv_field(&a.path))
        .collect();
    head.extend(
        [
            "runs",
            "p_zone",
            "p_zone_low",
            "p_zone_high",
            "p_deal",
            "p_deal_low",
            "p_deal_high",
            "zone_runs",
            "deal_runs",
        ]
        .map(String::from),
    );
    out.push_str(&head.join(","));
    out.push('\n');
    let values = grid(&meta.axes);
    for c in cells {
        let mut row: Vec<String> = values[c.index].iter().map(|&v| real(v)).collect();
        row.push(c.runs.to_string());
        for k in [c.zone, c.deal] {
            let (lo, hi) = wilson(k, c.runs);
            row.extend([real(k as f64 / c.runs.max(1) as f64), real(lo), real(hi)]);
        }
        row.push(c.zone.to_string());
        row.push(c.deal.to_string());
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// A shard's file: its description on the first line, then its cells'
/// counts.
pub fn shard_file(meta: &Meta, cells: &[Cell]) -> String {
    let mut out = format!(
        "{SHARD_MARK}{}\nindex,runs,zone_runs,deal_runs\n",
        serde_json::to_string(meta).unwrap_or_default()
    );
    for c in cells {
        out.push_str(&format!("{},{},{},{}\n", c.index, c.runs, c.zone, c.deal));
    }
    out
}

/// A sweep's cells, or a shard's, with what the sweep was.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub meta: Meta,
    pub cells: Vec<Cell>,
}

/// A shard file as read, named for messages.
#[derive(Debug, Clone)]
pub struct ShardFile {
    pub name: String,
    pub results: Results,
}

/// Reads a shard file written by [`shard_file`].
pub fn parse_shard(text: &str) -> Result<Results, String> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let json = first.strip_prefix(SHARD_MARK).ok_or(
        "its first line is not a zopa sweep shard header (was it written by `zopa sweep --shard`?)",
    )?;
    let meta: Meta =
        serde_json::from_str(json).map_err(|e| format!("its header is damaged: {e}"))?;
    if meta.shard.is_none() {
        return Err("its header names no shard".into());
    }
    if lines.next() != Some("index,runs,zone_runs,deal_runs") {
        return Err("line 2 is not the shard table's header".into());
    }
    let mut cells = Vec::new();
    for (i, line) in lines.enumerate() {
        let f: Vec<u64> = line
            .split(',')
            .map(|x| x.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("line {} is not four whole numbers", i + 3))?;
        let [index, runs, zone, deal] = f.as_slice() else {
            return Err(format!("line {} does not have four fields", i + 3));
        };
        if *index as usize >= meta.cells() || zone > runs || deal > runs {
            return Err(format!("line {} holds impossible counts", i + 3));
        }
        cells.push(Cell {
            index: *index as usize,
            runs: *runs,
            zone: *zone,
            deal: *deal,
        });
    }
    Ok(Results { meta, cells })
}

/// Joins shards into the whole sweep; every shard of the same sweep must be
/// there, once.
pub fn merge(shards: &[ShardFile]) -> Result<Results, String> {
    let Some(ShardFile {
        name: first_name,
        results: Results { meta: first, .. },
    }) = shards.first()
    else {
        return Err("no shard files given".into());
    };
    let whole = Meta {
        shard: None,
        ..first.clone()
    };
    let count = first.shard.map_or(1, Shard::count);
    let mut seen = vec![false; count];
    let mut cells: Vec<Option<Cell>> = vec![None; whole.cells()];
    for ShardFile {
        name,
        results: Results {
            meta,
            cells: shard_cells,
        },
    } in shards
    {
        if (Meta {
            shard: None,
            ..meta.clone()
        }) != whole
        {
            return Err(format!(
                "{name} is a shard of a different sweep than {first_name} (scenario, seed, runs, --set or --vary differ)"
            ));
        }
        let (k, n) = meta.shard.map_or((1, 1), |s| (s.index(), s.count()));
        if n != count {
            return Err(format!(
                "{name} is shard {k} of {n}, but {first_name} is from a sweep cut into {count}"
            ));
        }
        if std::mem::replace(&mut seen[k - 1], true) {
            return Err(format!("shard {k} of {n} is given twice ({name})"));
        }
        for c in shard_cells {
            cells[c.index] = Some(*c);
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(format!("shard {} of {count} is missing", missing + 1));
    }
    let cells: Option<Vec<Cell>> = cells.into_iter().collect();
    let cells = cells.ok_or("the shards do not cover every cell (was a shard cut short?)")?;
    Ok(Results { meta: whole, cells })
}

/// The sweep as a person reads it in a terminal: the first 40 cells'
/// probabilities of a zone and of a deal.
pub fn summary_text(meta: &Meta, cells: &[Cell]) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let values = grid(&meta.axes);
    let names: Vec<&str> = meta.axes.iter().map(|a| a.path.as_str()).collect();
    let _ = writeln!(
        o,
        "{} ({}): {} cells x {} runs, seed {}",
        meta.title,
        meta.scenario,
        cells.len(),
        meta.runs,
        meta.seed
    );
    let _ = writeln!(
        o,
        "{:<40} {:>8} {:>8}",
        names.join(" x "),
        "P(zone)",
        "P(deal)"
    );
    for c in cells.iter().take(40) {
        let v: Vec<String> = values[c.index].iter().map(|x| format!("{x:.4}")).collect();
        let n = c.runs.max(1) as f64;
        let _ = writeln!(
            o,
            "{:<40} {:>7.1}% {:>7.1}%",
            v.join(" x "),
            100.0 * c.zone as f64 / n,
            100.0 * c.deal as f64 / n
        );
    }
    if cells.len() > 40 {
        let _ = writeln!(o, "... {} more cells in the table", cells.len() - 40);
    }
    for a in meta.axes.iter().filter(|a| a.path.starts_with("world.")) {
        let _ = writeln!(
            o,
            "note: {} is its value at step 0; the world moves on from there (a pressure that then decays counts as easing, and a political victor stalls)",
            a.path
        );
    }
    o
}
