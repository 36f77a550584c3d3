//! What would open the zone: for each party whose consent is needed, the
//! smallest change of its bar, and of each of its knobs, that makes a zone
//! exist at a chosen step, and the cheapest single move among them.
//!
//! A bar is changed at the step itself (the zone there is recomputed
//! exactly). A knob changes the whole history, so the run is replayed from
//! step 0 with the same seed and the new value: "had Russia been this
//! sensitive to pressure from the start, would there be a zone at week 20?"

use crate::facts::Facts;
use crate::model::params::Span;
use crate::model::{Knob, Scenario, Target};
use crate::rng;
use crate::sim::{self, Outcome, Timeline};
use crate::zone::Solver;

/// What is changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lever {
    /// The party's bar (reservation) at the chosen step.
    Bar,
    Knob(Knob),
    /// One of its red lines at the chosen step, in the issue's units: its
    /// lower line (`upper` false: how little it accepts) or upper line.
    RedLine {
        issue: usize,
        upper: bool,
    },
}

impl Lever {
    pub fn name(self, sc: &Scenario) -> String {
        match self {
            Lever::Bar => "bar (reservation)".into(),
            Lever::Knob(k) => k.spec().name.into(),
            Lever::RedLine { issue, upper } => format!(
                "{} line ({})",
                sc.issues[issue].id,
                if upper { "at most" } else { "at least" }
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub party: usize,
    pub lever: Lever,
    pub from: f64,
    /// The value that opens the zone, or `None` if no value in the searched
    /// range does.
    pub to: Option<f64>,
    /// `|to - from|` as a share of the lever's span, comparable across levers.
    pub cost: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Openings {
    pub step: u32,
    pub moves: Vec<Move>,
    /// Index into `moves` of the cheapest move that opens the zone.
    pub cheapest: Option<usize>,
}

/// The step worth asking about: the step with the smallest gap if the zone
/// never existed, else step 0 if it was shut then; `None` when the zone was
/// open from the start.
pub fn default_step(facts: &Facts) -> Option<u32> {
    match facts.first_zone {
        None => Some(facts.smallest_gap.step),
        Some(0) => None,
        Some(_) => Some(0),
    }
}

/// Bisection steps: enough for a change accurate to about 1e-8 of its span.
const BISECT: usize = 30;
/// Grid points searched in each direction before bisecting, so a narrow
/// window where the zone opens is not skipped.
const GRID: usize = 16;

pub fn openings(sc: &Scenario, tl: &Timeline, step: u32) -> Openings {
    let Some(at) = tl.steps.iter().find(|s| s.step == step) else {
        return Openings {
            step,
            moves: Vec::new(),
            cheapest: None,
        };
    };
    let dim = sc.issues.len();
    let mut solver = Solver::default();
    let mut moves = Vec::new();
    let mut terms: Vec<_> = at.consenting.iter().map(|&q| at.terms[q]).collect();
    for (pos, &p) in at.consenting.iter().enumerate() {
        // The bar at this step: the zone is monotone in it, so bisect.
        let from = terms[pos].reservation;
        let mut opens = |r: f64| {
            terms[pos].reservation = r;
            solver.gap_only(dim, &terms).opens()
        };
        let to = threshold(&mut opens, from, 0.0);
        // The next party's question is asked of the true terms.
        terms[pos].reservation = from;
        moves.push(Move {
            party: p,
            lever: Lever::Bar,
            from,
            to,
            cost: to.map(|v| (from - v).abs()),
        });

        moves.extend(line_moves(sc, &mut solver, &mut terms, pos, p));
        for &knob in sc.parties[p].archetype.knobs() {
            moves.push(knob_move(sc, tl.seed, step, p, knob));
        }
    }
    let cheapest = moves
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.cost.filter(|c| *c > 0.0).map(|c| (i, c)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    Openings {
        step,
        moves,
        cheapest,
    }
}

/// The value between `now` and `far` nearest to `now` at which the zone
/// opens, when opening is monotone along the way: `now` itself if it is
/// open already, `None` if even `far` is not, else found by bisection.
fn threshold(opens: &mut impl FnMut(f64) -> bool, now: f64, far: f64) -> Option<f64> {
    if opens(now) {
        return Some(now);
    }
    if !opens(far) {
        return None;
    }
    let (mut no, mut yes) = (now, far);
    for _ in 0..BISECT * 2 {
        let mid = 0.5 * (no + yes);
        if opens(mid) { yes = mid } else { no = mid }
    }
    Some(yes)
}

/// For each red line of the party at `pos`, the smallest shift that opens
/// the zone at this step, the other parties' terms and its own bar as they
/// are, in the issue's own units; `to` is `None` when even dropping the
/// line opens nothing. Red-line moves are not ranked against bars and
/// knobs (they are in another currency): their `cost` is `None`.
fn line_moves(
    sc: &Scenario,
    solver: &mut Solver,
    terms: &mut [crate::zone::Terms],
    pos: usize,
    party: usize,
) -> Vec<Move> {
    let dim = sc.issues.len();
    let mut out = Vec::new();
    for issue in 0..dim {
        for upper in [false, true] {
            let line = if upper {
                terms[pos].upper[issue]
            } else {
                terms[pos].lower[issue]
            };
            if (upper && line >= 1.0) || (!upper && line <= 0.0) {
                continue;
            }
            let mut opens = |shift: f64| {
                let t = &mut terms[pos];
                if upper {
                    t.upper[issue] = line + shift;
                } else {
                    t.lower[issue] = line - shift;
                }
                let open = solver.gap_only(dim, terms).opens();
                let t = &mut terms[pos];
                if upper {
                    t.upper[issue] = line;
                } else {
                    t.lower[issue] = line;
                }
                open
            };
            // Relaxing a line never closes a zone, so the shift that opens
            // it is found by bisection; beyond the whole range the line no
            // longer binds.
            let shift = threshold(&mut opens, 0.0, 1.0 + line.abs());
            let i = &sc.issues[issue];
            let sign = if upper { 1.0 } else { -1.0 };
            out.push(Move {
                party,
                lever: Lever::RedLine { issue, upper },
                from: i.denormalise(line),
                to: shift.map(|s| i.denormalise(line + sign * s)),
                cost: None,
            });
        }
    }
    out
}

fn span(sc: &Scenario, knob: Knob) -> f64 {
    match knob.span() {
        Span::Horizon => f64::from(sc.steps),
        Span::FrontRange => sc.issues[sc.front_issue].range(),
        Span::Fixed(v) => v,
    }
}

/// Whether the replayed run with `value` has a zone at `step` (or reached a
/// deal by then, which needs one).
fn opens_with(sc: &Scenario, seed: u64, step: u32, target: Target, value: f64) -> bool {
    let mut changed = sc.clone();
    changed.set(target, value);
    let tl = sim::run_until(&changed, seed, &mut rng::stream(seed, 0), step + 1);
    match &tl.outcome {
        Outcome::Deal { step: s, .. } if *s <= step => true,
        _ => tl
            .steps
            .last()
            .is_some_and(|s| s.step == step && s.zone_exists()),
    }
}

fn knob_move(sc: &Scenario, seed: u64, step: u32, party: usize, knob: Knob) -> Move {
    let target = Target::Knob { party, knob };
    let from = sc.get(target);
    let width = span(sc, knob);
    let (lo, hi) = sc.target_range(target);
    let mut best: Option<f64> = None;
    for end in [(from - width).max(lo), (from + width).min(hi)] {
        if end == from {
            continue;
        }
        // Walk out from the current value; the first grid point that opens
        // the zone brackets the threshold with the one before it.
        let mut prev = from;
        for g in 1..=GRID {
            let v = from + (end - from) * g as f64 / GRID as f64;
            if opens_with(sc, seed, step, target, v) {
                let (mut no, mut yes) = (prev, v);
                for _ in 0..BISECT {
                    let mid = 0.5 * (no + yes);
                    if opens_with(sc, seed, step, target, mid) {
                        yes = mid
                    } else {
                        no = mid
                    }
                }
                if best.is_none_or(|b| (yes - from).abs() < (b - from).abs()) {
                    best = Some(yes);
                }
                break;
            }
            prev = v;
        }
    }
    Move {
        party,
        lever: Lever::Knob(knob),
        from,
        to: best,
        cost: best.map(|v| (v - from).abs() / width),
    }
}

/// What one event did to a run, found by running the same seed again
/// without it (its effects dropped, its random draws kept, so nothing else
/// changes).
#[derive(Debug, Clone, PartialEq)]
pub struct EventEffect {
    pub event: usize,
    /// The step it fired at.
    pub step: u32,
    /// The mean of (gap with it − gap without it) over the steps from its
    /// firing to the end of the shorter of the two runs: positive, it kept
    /// the parties further apart.
    pub mean_gap_change: f64,
    /// Other events that fired at the same step (each measured apart).
    pub same_step: Vec<usize>,
}

/// The effect of every event that fired in `tl`, in firing order.
pub fn event_effects(sc: &Scenario, tl: &Timeline) -> Vec<EventEffect> {
    let mut out = Vec::new();
    for s in &tl.steps {
        for &e in &s.events {
            let mut without = sc.clone();
            without.events[e].effects.clear();
            let other = sim::run_stream(&without, tl.seed, &mut rng::stream(tl.seed, 0));
            let from = s.step as usize;
            let to = tl.steps.len().min(other.steps.len());
            let diffs: Vec<f64> = (from..to)
                .map(|t| tl.steps[t].gap - other.steps[t].gap)
                .collect();
            let mean_gap_change = if diffs.is_empty() {
                0.0
            } else {
                diffs.iter().sum::<f64>() / diffs.len() as f64
            };
            out.push(EventEffect {
                event: e,
                step: s.step,
                mean_gap_change,
                same_step: s.events.iter().copied().filter(|&o| o != e).collect(),
            });
        }
    }
    out
}
