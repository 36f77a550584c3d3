//! Data out of a run: the timeline table, the summary (text and JSON), and
//! writing files so that a reader never sees half of one.

pub mod mc;
pub mod sweep;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::chart::{self, Figure};

use crate::model::Scenario;
use crate::sim::{Outcome, Timeline};

/// Shortens a label to `max` characters with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Fixed precision keeps the table byte-identical across platforms and easy
/// to read; six decimals is far below any quantity the model can resolve.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{x:.6}");
    if s == "-0.000000" {
        "0.000000".into()
    } else {
        s
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `timeline.csv`: one row per step.
pub fn timeline_csv(sc: &Scenario, tl: &Timeline) -> String {
    let mut out = String::new();
    let mut head = vec![
        "step".to_string(),
        "front".into(),
        "pressure".into(),
        "aid".into(),
    ];
    for p in &sc.parties {
        head.push(format!("reservation_{}", p.id));
        head.push(format!("range_low_{}", p.id));
        head.push(format!("range_high_{}", p.id));
        head.push(format!("accepts_{}", p.id));
    }
    head.extend([
        "gap".into(),
        "zone".into(),
        "zone_low".into(),
        "zone_high".into(),
        "blockers".into(),
        "point".into(),
    ]);
    for i in &sc.issues {
        head.push(format!("point_{}", i.id));
    }
    head.extend(["proposal".into(), "deal".into(), "events".into()]);
    out.push_str(&head.join(","));
    out.push('\n');
    let opt = |v: Option<f64>| v.map(num).unwrap_or_default();
    for s in &tl.steps {
        let mut row = vec![
            s.step.to_string(),
            num(s.front),
            num(s.pressure),
            num(s.aid),
        ];
        for (p, _) in sc.parties.iter().enumerate() {
            row.push(num(s.reservation[p]));
            row.push(opt(s.ranges[p].map(|r| r.0)));
            row.push(opt(s.ranges[p].map(|r| r.1)));
            row.push(s.accepts[p].to_string());
        }
        row.push(num(s.gap));
        row.push(s.zone_exists().to_string());
        row.push(opt(s.extent.map(|z| z.0)));
        row.push(opt(s.extent.map(|z| z.1)));
        let blockers: Vec<&str> = s
            .blockers
            .iter()
            .map(|&(p, _)| sc.parties[p].id.as_str())
            .collect();
        row.push(blockers.join(";"));
        row.push(if s.point_is_nash { "nash" } else { "minimiser" }.into());
        row.extend(s.point.iter().map(|&x| num(x)));
        match &s.proposal {
            Some(p) => {
                row.push(
                    p.point
                        .iter()
                        .map(|&x| num(x))
                        .collect::<Vec<_>>()
                        .join(";"),
                );
                row.push(p.deal.to_string());
            }
            None => {
                row.push(String::new());
                row.push("false".into());
            }
        }
        let events: Vec<&str> = s
            .events
            .iter()
            .map(|&e| sc.events[e].label.as_str())
            .collect();
        row.push(csv_field(&events.join("; ")));
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The facts of a run a reader wants first, shared by the text and JSON
/// summaries.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub steps_run: usize,
    pub step_unit: String,
    pub outcome: String,
    pub deal_step: Option<u32>,
    pub settlement: Option<Vec<IssueValue>>,
    pub first_zone_step: Option<u32>,
    pub smallest_gap: f64,
    pub smallest_gap_step: u32,
    pub blocking_steps: Vec<PartyCount>,
    pub walked_away: Vec<PartyStep>,
}

#[derive(Debug, Serialize)]
pub struct IssueValue {
    pub issue: String,
    pub value: f64,
    pub unit: String,
}

#[derive(Debug, Serialize)]
pub struct PartyCount {
    pub party: String,
    pub steps: u32,
}

#[derive(Debug, Serialize)]
pub struct PartyStep {
    pub party: String,
    pub step: u32,
}

pub fn summary(sc: &Scenario, tl: &Timeline) -> Summary {
    let (smallest_gap, smallest_gap_step) = tl.smallest_gap();
    let (deal_step, settlement) = match &tl.outcome {
        Outcome::Deal { step, settlement } => (
            Some(*step),
            Some(
                sc.issues
                    .iter()
                    .zip(settlement)
                    .map(|(i, &v)| IssueValue {
                        issue: i.id.clone(),
                        value: v,
                        unit: i.unit.clone(),
                    })
                    .collect(),
            ),
        ),
        _ => (None, None),
    };
    Summary {
        scenario: sc.name.clone(),
        title: sc.title.clone(),
        seed: tl.seed,
        steps_run: tl.steps.len(),
        step_unit: sc.step_unit.clone(),
        outcome: tl.outcome.label().into(),
        deal_step,
        settlement,
        first_zone_step: tl.first_zone(),
        smallest_gap,
        smallest_gap_step,
        blocking_steps: sc
            .parties
            .iter()
            .zip(tl.blocking_steps(sc.parties.len()))
            .map(|(p, n)| PartyCount {
                party: p.id.clone(),
                steps: n,
            })
            .collect(),
        walked_away: tl
            .steps
            .iter()
            .flat_map(|s| {
                s.walked_away.iter().map(move |&p| PartyStep {
                    party: sc.parties[p].id.clone(),
                    step: s.step,
                })
            })
            .collect(),
    }
}

/// The summary as a person reads it in a terminal (fits 80 columns).
pub fn summary_text(sc: &Scenario, tl: &Timeline) -> String {
    let s = summary(sc, tl);
    let unit = &sc.step_unit;
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", sc.title, sc.name);
    let _ = writeln!(
        o,
        "seed {}, {} {unit}s run of {}",
        s.seed, s.steps_run, sc.steps
    );
    let _ = writeln!(o);
    let outcome = match (&tl.outcome, &s.settlement) {
        (Outcome::Deal { step, .. }, Some(values)) => {
            let terms: Vec<String> = values
                .iter()
                .map(|v| format!("{} {:.2} {}", v.issue, v.value, v.unit))
                .collect();
            format!("DEAL at {unit} {step}: {}", terms.join(", "))
        }
        (Outcome::Missed { first_zone }, _) => {
            format!("ZONE APPEARED (first at {unit} {first_zone}) BUT WAS MISSED")
        }
        _ => "NO ZONE EVER APPEARED".into(),
    };
    let _ = writeln!(o, "outcome:       {outcome}");
    let _ = writeln!(
        o,
        "first zone:    {}",
        s.first_zone_step
            .map_or("never".into(), |t| format!("{unit} {t}"))
    );
    let _ = writeln!(
        o,
        "smallest gap:  {:+.4} at {unit} {} ({})",
        s.smallest_gap,
        s.smallest_gap_step,
        if s.smallest_gap <= crate::zone::ZONE_TOL {
            "zone depth"
        } else {
            "parties apart"
        }
    );
    // Blockers over time: one column per step (or per group of steps when
    // the horizon is longer than the strip), `#` where the party blocked.
    let width = tl.steps.len().clamp(1, 50);
    let _ = writeln!(o, "blocking:      steps  over time (# = blocks the zone)");
    for (p, party) in sc.parties.iter().enumerate() {
        let strip: String = (0..width)
            .map(|c| {
                let (from, to) = (
                    c * tl.steps.len() / width,
                    ((c + 1) * tl.steps.len() / width).max(c * tl.steps.len() / width + 1),
                );
                let blocks = tl.steps[from..to.min(tl.steps.len())]
                    .iter()
                    .any(|st| st.blockers.iter().any(|b| b.0 == p));
                if blocks { '#' } else { '.' }
            })
            .collect();
        let _ = writeln!(
            o,
            "  {:<13} {:>5}  {strip}",
            shorten(&party.name, 13),
            s.blocking_steps[p].steps
        );
    }
    for w in &s.walked_away {
        let _ = writeln!(o, "walked away:   {} at {unit} {}", w.party, w.step);
    }
    o
}

/// The temporary name a file is written under before being renamed. It
/// keeps the extension, because the PNG encoder picks its format by it.
pub fn temp_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!(".{stem}.{}.tmp{ext}", std::process::id()))
}

/// Results staged under temporary names in their folder and renamed into
/// place together by [`Staged::commit`]. Dropped without a commit (an error
/// on the way), it removes what it staged: the folder keeps only what was
/// there before.
pub struct Staged {
    dir: PathBuf,
    files: Vec<(PathBuf, PathBuf)>,
}

pub type StageError = Box<dyn std::error::Error + Send + Sync>;

impl Staged {
    pub fn new(dir: &Path) -> Self {
        Staged {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        }
    }

    fn stage(&mut self, name: &str) -> PathBuf {
        let path = self.dir.join(name);
        let tmp = temp_name(&path);
        self.files.push((path, tmp.clone()));
        tmp
    }

    /// Stages a data file.
    pub fn data(&mut self, name: &str, contents: &[u8]) -> Result<(), StageError> {
        let tmp = self.stage(name);
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        Ok(())
    }

    /// Stages `<stem>.svg` and `<stem>.png`.
    pub fn figure(&mut self, stem: &str, figure: &impl Figure) -> Result<(), StageError> {
        let svg = chart::svg(figure)?;
        self.data(&format!("{stem}.svg"), svg.as_bytes())?;
        let tmp = self.stage(&format!("{stem}.png"));
        chart::png(figure, &tmp)
    }

    /// Renames every staged file into place; returns the final paths.
    pub fn commit(mut self) -> std::io::Result<Vec<PathBuf>> {
        let files = std::mem::take(&mut self.files);
        let mut done = Vec::new();
        for (i, (path, tmp)) in files.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, path) {
                for (_, t) in &files[i..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
            done.push(path.clone());
        }
        Ok(done)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (_, tmp) in &self.files {
            let _ = std::fs::remove_file(tmp);
        }
    }
}
