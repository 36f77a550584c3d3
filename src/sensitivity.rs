//! Which assumptions carry a result: every bar, red line, archetype knob,
//! chance event's probability, starting world variable and the mediator's
//! noise,
//! moved down and up by a share of its span (a quarter unless asked
//! otherwise; clipped to its allowed
//! range, and to what the file's checks of values together allow: a quick
//! dealer's floor never passes its bar), each asked the Monte Carlo question again: how often does a zone
//! appear within the horizon, how often a deal, and how near do the sides
//! come (the mean over runs of the smallest gap), which still ranks the
//! assumptions where no single move opens a zone?
//!
//! Every variant runs the same streams `(seed, run)` as the scenario as
//! written (common random numbers), so a difference between them comes from
//! the moved value, not from luck; the differences are sorted, largest
//! first, into a tornado. This is one-at-a-time sensitivity: it shows which
//! single assumptions the result leans on, not how they interact (a sweep
//! over two fields does that).

use crate::mc;
use crate::mc::Counts;
use crate::model::{Scenario, Target, Trigger, WorldVar};
use crate::sweep;

/// The share of a field's span it is moved by, down and up, unless asked
/// otherwise.
pub const STEP: f64 = 0.25;

/// The largest share a step may be: a whole span down and up.
pub const MAX_STEP: f64 = 1.0;

/// The smallest change of a probability the ranking tells apart: one
/// percentage point.
pub const NOTICE: f64 = 0.01;

/// One assumption and the values it is tried at.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// The field's path, as `--set` and `sweep` write it.
    pub path: String,
    /// The field in words, for a class ("Russia's breaking pressure").
    pub words: String,
    pub target: Target,
    /// Fields moved with `target` to the same value: parties holding the
    /// same red line, whose lines only move the result together (moving
    /// one alone hands the wall to the other).
    pub also: Vec<Target>,
    pub base: f64,
    /// `base` moved down and up by the step's share of the field's span,
    /// clipped.
    pub low: f64,
    pub high: f64,
}

/// Every assumption of `sc` the analysis moves by [`STEP`].
pub fn factors(sc: &Scenario) -> Vec<Factor> {
    factors_by(sc, STEP)
}

/// Every assumption of `sc` the analysis moves by `step` of its span, in
/// the scenario's order: the world, the mediator, the events, then each
/// party.
pub fn factors_by(sc: &Scenario, step: f64) -> Vec<Factor> {
    let share = step;
    let mut paths: Vec<String> = Vec::new();
    for w in WorldVar::all() {
        let stated = sc.stated.contains(&format!("world.{}", w.spec().name));
        if stated && (w != WorldVar::Front || sc.has_front) {
            paths.push(format!("world.{}", w.spec().name));
        }
    }
    paths.push("mediator.perception_noise".into());
    if sc.learning {
        paths.push("mediator.forgetting".into());
    }
    for (e, ev) in sc.events.iter().enumerate() {
        if matches!(ev.trigger, Trigger::Chance { .. }) {
            let name = ev.id.clone().unwrap_or_else(|| (e + 1).to_string());
            paths.push(format!("events.{name}.probability"));
        }
    }
    for p in &sc.parties {
        // A field its archetype does not read is no assumption of the
        // result: the path refuses it, and it is left out below.
        paths.push(format!("parties.{}.reservation", p.id));
        for k in p.archetype.knobs() {
            // A default the file never wrote is no assumption it made.
            if !sc
                .stated
                .contains(&format!("parties.{}.{}", p.id, k.spec().name))
            {
                continue;
            }
            // Tactics are read only when the parties make their own offers.
            let tactic = matches!(k, crate::model::Knob::TacticE | crate::model::Knob::TacticK);
            if tactic && sc.protocol == crate::model::Protocol::Mediated {
                continue;
            }
            paths.push(format!("parties.{}.{}", p.id, k.spec().name));
        }
        let prefix = format!("parties.{}.red_lines.", p.id);
        paths.extend(
            sc.target_paths()
                .into_iter()
                .filter(|path| path.starts_with(&prefix)),
        );
    }
    let mut out: Vec<Factor> = paths
        .into_iter()
        .filter_map(|path| {
            let target = sc.quantity(&path).ok()?;
            let (low, high) = moved_range(sc, &[target], share);
            (high > low).then_some(Factor {
                words: words(sc, &path),
                path,
                target,
                also: Vec::new(),
                base: sc.get(target),
                low,
                high,
            })
        })
        .collect();
    let groups = same_lines(sc, &out, share);
    out.extend(groups);
    out
}

/// Where a field (and those moved with it) goes down and up: `share` of
/// its span each way, clipped to its range and to what the file's checks
/// allow for every field moved.
fn moved_range(sc: &Scenario, targets: &[Target], share: f64) -> (f64, f64) {
    let first = targets[0];
    let (lo, hi) = sc.target_range(first);
    let base = sc.get(first);
    let step = share * sc.target_span(first);
    let (mut low, mut high) = ((base - step).max(lo), (base + step).min(hi));
    for &t in targets {
        low = fitting(sc, t, base, low);
        high = fitting(sc, t, base, high);
    }
    (low, high)
}

/// A factor per set of parties' red lines that are one line (same issue,
/// same side, same value, alike following the front or not), moving them
/// together, after the factors that move each alone.
fn same_lines(sc: &Scenario, single: &[Factor], share: f64) -> Vec<Factor> {
    let key = |t: Target| match t {
        Target::RedLine { party, line, upper } => {
            let rl = &sc.parties[party].red_lines[line];
            Some((rl.issue, upper, rl.follows_front, sc.get(t).to_bits()))
        }
        _ => None,
    };
    let mut out: Vec<Factor> = Vec::new();
    for (i, f) in single.iter().enumerate() {
        let Some(k) = key(f.target) else { continue };
        if single[..i].iter().any(|g| key(g.target) == Some(k)) {
            continue;
        }
        let members: Vec<&Factor> = single[i..]
            .iter()
            .filter(|g| key(g.target) == Some(k))
            .collect();
        if members.len() < 2 {
            continue;
        }
        let targets: Vec<Target> = members.iter().map(|g| g.target).collect();
        let (low, high) = moved_range(sc, &targets, share);
        let paths: Vec<&str> = members.iter().map(|g| g.path.as_str()).collect();
        if high > low {
            out.push(Factor {
                path: paths.join("+"),
                words: group_words(sc, &members),
                target: f.target,
                also: targets[1..].to_vec(),
                base: f.base,
                low,
                high,
            });
        }
    }
    out
}

/// "Ukraine's and Europe's red line on territory (at most), moved
/// together".
fn group_words(sc: &Scenario, members: &[&Factor]) -> String {
    let names: Vec<String> = (members.iter())
        .filter_map(|g| match g.target {
            Target::RedLine { party, .. } => Some(crate::text::possessive(&sc.parties[party].name)),
            _ => None,
        })
        .collect();
    let what = match members[0].path.split('.').collect::<Vec<_>>().as_slice() {
        [.., "red_lines", issue, "max"] => format!("on {issue} (at most)"),
        [.., "red_lines", issue, _] => format!("on {issue} (at least)"),
        _ => String::new(),
    };
    format!(
        "{} red line {what}, moved together",
        crate::text::and_list(&names)
    )
}

/// A field's path in words: "Russia's breaking pressure", "the starting
/// pressure", "the chance of the event `offensive`".
pub fn words(sc: &Scenario, path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let plain = |s: &str| s.replace('_', " ");
    match parts.as_slice() {
        ["world", name] => {
            let named = crate::model::WorldVar::from_name(name)
                .map_or_else(|| plain(name), |w| sc.labels.name(w));
            format!("the world's {named} at the start")
        }
        ["mediator", name] => format!("the mediator's {}", plain(name)),
        ["events", id, _] => format!("the chance of the event `{id}`"),
        ["parties", id, rest @ ..] => {
            let name = sc
                .party_index(id)
                .map_or(id.to_string(), |p| sc.parties[p].name.clone());
            // A line that follows the front is written as an offset from it.
            let offset = |issue: &str| {
                let follows = sc.party_index(id).is_some_and(|p| {
                    (sc.parties[p].red_lines.iter())
                        .any(|l| l.follows_front && sc.issues[l.issue].id == issue)
                });
                if follows {
                    format!(
                        ", as an offset from the {}",
                        sc.labels.name(WorldVar::Front)
                    )
                } else {
                    String::new()
                }
            };
            let what = match rest {
                ["reservation"] => "bar".to_string(),
                ["red_lines", issue, "max"] => {
                    format!("red line on {issue} (at most){}", offset(issue))
                }
                ["red_lines", issue, "min"] => {
                    format!("red line on {issue} (at least){}", offset(issue))
                }
                other => plain(&other.join(" ")),
            };
            format!("{} {what}", crate::text::possessive(&name))
        }
        _ => path.to_string(),
    }
}

/// `to`, or where the scenario reader's checks of values together (a
/// quick dealer's floor at most its bar) stop a move from `base` towards
/// it: a moved value is always one the file could hold.
fn fitting(sc: &Scenario, target: Target, base: f64, to: f64) -> f64 {
    let mut trial = sc.clone();
    let fits = |trial: &mut Scenario, v: f64| trial.try_value("", target, v).is_ok();
    if fits(&mut trial, to) {
        return to;
    }
    // `base` fits (the scenario is valid) and `to` does not: halve the way.
    let (mut good, mut bad) = (base, to);
    for _ in 0..52 {
        let mid = 0.5 * (good + bad);
        if fits(&mut trial, mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    good
}

/// The scenario with one factor's fields moved to `value`.
fn with(sc: &Scenario, f: &Factor, value: f64) -> Scenario {
    let mut moved = sc.clone();
    for &t in std::iter::once(&f.target).chain(&f.also) {
        moved.set(t, value);
    }
    moved
}

/// What one factor did.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub factor: Factor,
    pub low: Counts,
    pub high: Counts,
}

/// The analysis of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub seed: u64,
    pub runs: u64,
    /// The share of each field's span it was moved by.
    pub step: f64,
    /// The scenario as written.
    pub base: Counts,
    /// Largest effect on P(zone within the horizon) first; ties (and
    /// effects under [`NOTICE`]) by the effect on P(deal), then on the mean
    /// smallest gap, then in the scenario's order.
    pub rows: Vec<Row>,
}

/// A share of runs.
pub fn share(count: u64, runs: u64) -> f64 {
    if runs == 0 {
        0.0
    } else {
        count as f64 / runs as f64
    }
}

impl Row {
    /// The largest change of P(zone) either move makes.
    pub fn zone_effect(&self, base: &Counts) -> f64 {
        let b = share(base.zone, base.runs);
        (share(self.low.zone, self.low.runs) - b)
            .abs()
            .max((share(self.high.zone, self.high.runs) - b).abs())
    }
    /// The largest change of P(deal) either move makes.
    pub fn deal_effect(&self, base: &Counts) -> f64 {
        let b = share(base.deal, base.runs);
        (share(self.low.deal, self.low.runs) - b)
            .abs()
            .max((share(self.high.deal, self.high.runs) - b).abs())
    }
    /// The largest change of the mean smallest gap either move makes: how
    /// much nearer (or further) the sides come even where no zone opens.
    pub fn gap_effect(&self, base: &Counts) -> f64 {
        let b = base.mean_smallest_gap();
        (self.low.mean_smallest_gap() - b)
            .abs()
            .max((self.high.mean_smallest_gap() - b).abs())
    }
}

/// Runs the analysis with every field moved by [`STEP`].
pub fn analyse(
    sc: &Scenario,
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn mc::Progress,
) -> Sensitivity {
    analyse_by(sc, STEP, seed, runs, threads, progress)
}

/// Runs the analysis: `runs` runs of the scenario and of each factor's two
/// variants (moved by `step` of its span), all on one pool.
pub fn analyse_by(
    sc: &Scenario,
    step: f64,
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &dyn mc::Progress,
) -> Sensitivity {
    let fs = factors_by(sc, step);
    let mut cells = vec![sc.clone()];
    for f in &fs {
        cells.push(with(sc, f, f.low));
        cells.push(with(sc, f, f.high));
    }
    let counts = sweep::count(&cells, seed, runs, threads, progress);
    let base = counts[0];
    let mut rows: Vec<Row> = fs
        .into_iter()
        .enumerate()
        .map(|(i, factor)| Row {
            factor,
            low: counts[1 + 2 * i],
            high: counts[2 + 2 * i],
        })
        .collect();
    // Effects on a probability under one point are not told apart (with a
    // thousand runs they are a handful of runs); a stable sort keeps the
    // scenario's order among equal effects.
    let seen = |e: f64| if e >= NOTICE { e } else { 0.0 };
    rows.sort_by(|a, b| {
        seen(b.zone_effect(&base))
            .total_cmp(&seen(a.zone_effect(&base)))
            .then(seen(b.deal_effect(&base)).total_cmp(&seen(a.deal_effect(&base))))
            .then(b.gap_effect(&base).total_cmp(&a.gap_effect(&base)))
    });
    Sensitivity {
        seed,
        runs,
        step,
        base,
        rows,
    }
}

/// How many variants [`analyse`] runs (the scenario as written included).
pub fn cells(sc: &Scenario) -> u64 {
    cells_by(sc, STEP)
}

/// How many variants [`analyse_by`] runs with `step`.
pub fn cells_by(sc: &Scenario, step: f64) -> u64 {
    1 + 2 * factors_by(sc, step).len() as u64
}

/// A change of a probability that counts as carrying the result: five
/// percentage points.
pub const CARRIES: f64 = 0.05;

/// The paths of the factors whose move changes P(zone) or P(deal) by at
/// least [`CARRIES`], largest first.
pub fn carriers(s: &Sensitivity) -> Vec<String> {
    s.rows
        .iter()
        .filter(|r| r.zone_effect(&s.base) >= CARRIES || r.deal_effect(&s.base) >= CARRIES)
        .map(|r| r.factor.path.clone())
        .collect()
}
