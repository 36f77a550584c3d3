//! What would open the zone at a chosen step, and what each event did.
//!
//! Openings are asked of the step's terms as they stand, party by party,
//! each in its own currency: the bar in utility, a red line or an ideal in
//! the issue's units. Nothing here ranks one party's lever against another's;
//! how much the *assumptions* (archetype knobs, event probabilities) carry a
//! result is the sensitivity analysis's question, asked over many runs.
//!
//! One common measure makes parties comparable where a class needs it: a
//! *concession* `d` lowers a party's bar by `d` and moves each of its red
//! lines outward by `d` of its issue's range (both in normalised units,
//! where one unit of utility is one whole issue range at full weight). The
//! smallest `d` that opens the zone for one party alone, or for two parties
//! conceding alike, is the "smallest joint move".

use crate::facts::Facts;
use crate::model::Scenario;
use crate::rng;
use crate::sim::{self, Timeline};
use crate::zone::{Solver, Terms, ZONE_TOL};

/// What is changed, at the chosen step only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lever {
    /// The party's bar (reservation), in utility.
    Bar,
    /// One of its red lines, in the issue's units: its lower line (`upper`
    /// false: how little it accepts) or its upper line.
    RedLine { issue: usize, upper: bool },
    /// Its ideal settlement on one issue, in the issue's units.
    Ideal { issue: usize },
}

impl Lever {
    pub fn name(self, sc: &Scenario) -> String {
        match self {
            Lever::Bar => "bar".into(),
            Lever::RedLine { issue, upper } => format!(
                "{} line {}",
                sc.issues[issue].id,
                if upper { "at most" } else { "at least" }
            ),
            Lever::Ideal { issue } => format!("{} ideal", sc.issues[issue].id),
        }
    }

    /// The issue whose units the lever is in; `None` for the bar (utility).
    pub fn issue(self) -> Option<usize> {
        match self {
            Lever::Bar => None,
            Lever::RedLine { issue, .. } | Lever::Ideal { issue } => Some(issue),
        }
    }
}

/// One lever of one party moved alone, everything else as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub party: usize,
    pub lever: Lever,
    /// The lever's value now, in its currency.
    pub from: f64,
    /// The nearest value that opens the zone, or `None` when no value of
    /// this lever alone does.
    pub to: Option<f64>,
}

/// What one party could do alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Alone {
    pub party: usize,
    /// Its bar, each of its red lines and its ideal on each issue, one at a
    /// time.
    pub moves: Vec<Move>,
    /// The smallest concession that opens the zone with all its levers at
    /// once; `None` when even accepting everything would not: the others
    /// have no zone among themselves, so it is impossible alone.
    pub concession: Option<f64>,
}

/// Two parties conceding alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Joint {
    pub parties: [usize; 2],
    /// The smallest concession, made by both, that opens the zone; `None`
    /// when the remaining parties have no zone among themselves.
    pub concession: Option<f64>,
}

/// Why openings are asked at their step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The reader named the step.
    Chosen,
    /// The zone never opened: the last step, with every event fired and
    /// the world as far as it went.
    LastStep,
    /// The zone opened later: the step at which `event`, the last event
    /// before the opening that changed the gap, took effect.
    AfterEvent { event: usize, opened: u32 },
    /// The zone opened later and no event before it changed the gap.
    Start { opened: u32 },
}

/// The step to ask at and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AskAt {
    pub step: u32,
    pub reason: Reason,
}

/// Several parties holding the same tightest red line on one issue and
/// side: moving any one of them alone leaves the others' line in place.
#[derive(Debug, Clone, PartialEq)]
pub struct LineGroup {
    pub issue: usize,
    pub upper: bool,
    /// In scenario order.
    pub parties: Vec<usize>,
    /// The line they hold, in the issue's units.
    pub at: f64,
    /// The nearest value that opens the zone when all of them move their
    /// line to it together; `None` when even that does not.
    pub to: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Openings {
    pub step: u32,
    pub reason: Reason,
    /// One entry per party whose consent is needed, in the scenario's order.
    pub alone: Vec<Alone>,
    /// Every pair of those parties, smallest concession first (those that
    /// cannot open it last).
    pub joint: Vec<Joint>,
    /// Parties holding the same tightest line where none of them alone
    /// opens the zone by moving it.
    pub groups: Vec<LineGroup>,
}

/// Two concessions this close are one: the same bisection on the same
/// answers.
const SAME: f64 = 1e-9;

impl Openings {
    /// The pair with the smallest joint concession that opens the zone and
    /// needs both: a pair one of whose members opens it alone with as
    /// little is no joint move.
    pub fn smallest_joint(&self) -> Option<&Joint> {
        (self.joint.iter()).find(|j| j.concession.is_some() && self.both_needed(j))
    }

    /// Whether neither party of the pair opens the zone alone with the
    /// pair's concession.
    pub fn both_needed(&self, j: &Joint) -> bool {
        j.concession.is_some() && self.suffices_alone(j).is_none()
    }

    /// The first party of the pair that opens the zone alone with the
    /// pair's concession, so the other's move adds nothing.
    pub fn suffices_alone(&self, j: &Joint) -> Option<usize> {
        let d = j.concession?;
        j.parties.iter().copied().find(|p| {
            let alone = self.alone.iter().find(|a| a.party == *p);
            alone
                .and_then(|a| a.concession)
                .is_some_and(|c| c <= d + SAME)
        })
    }
}

/// The step worth asking about, and why: the last step if the zone never
/// opened; if it opened later, the step at which the last event before the
/// opening that changed the gap took effect (step 0 if none did); `None`
/// when the zone was open from the start. `effects` are the run's event
/// effects ([`event_effects`]).
pub fn default_step(facts: &Facts, effects: &[EventEffect]) -> Option<AskAt> {
    match facts.first_zone {
        None => Some(AskAt {
            step: facts.steps_run.saturating_sub(1) as u32,
            reason: Reason::LastStep,
        }),
        Some(0) => None,
        Some(opened) => {
            let last = (effects.iter())
                .filter(|e| e.step < opened && e.mean_gap_change != 0.0)
                .max_by_key(|e| e.step);
            Some(match last {
                Some(e) => AskAt {
                    step: e.step,
                    reason: Reason::AfterEvent {
                        event: e.event,
                        opened,
                    },
                },
                None => AskAt {
                    step: 0,
                    reason: Reason::Start { opened },
                },
            })
        }
    }
}

/// Bisection halvings: a value accurate to about 1e-18 of the searched
/// width, so a threshold prints exactly at any precision a class sees.
const BISECT: usize = 60;

/// What would open the zone at `step`, asked for by the reader.
pub fn openings(sc: &Scenario, tl: &Timeline, step: u32) -> Openings {
    openings_at(
        sc,
        tl,
        AskAt {
            step,
            reason: Reason::Chosen,
        },
    )
}

/// What would open the zone at a step, with why that step was chosen.
pub fn openings_at(sc: &Scenario, tl: &Timeline, ask_at: AskAt) -> Openings {
    let (step, reason) = (ask_at.step, ask_at.reason);
    let Some(at) = tl.steps.iter().find(|s| s.step == step) else {
        return Openings {
            step,
            reason,
            alone: Vec::new(),
            joint: Vec::new(),
            groups: Vec::new(),
        };
    };
    let terms: Vec<Terms> = at.consenting.iter().map(|&q| at.terms[q].clone()).collect();
    let mut ask = Ask {
        sc,
        solver: <Solver>::with_grid(sc.grid()),
        terms,
    };
    let alone: Vec<Alone> = (0..at.consenting.len())
        .map(|pos| Alone {
            party: at.consenting[pos],
            moves: ask.moves(pos, at.consenting[pos]),
            concession: ask.concession(&[pos]),
        })
        .collect();
    let mut joint = Vec::new();
    for a in 0..at.consenting.len() {
        for b in a + 1..at.consenting.len() {
            joint.push(Joint {
                parties: [at.consenting[a], at.consenting[b]],
                concession: ask.concession(&[a, b]),
            });
        }
    }
    // Smallest first; those that cannot open it last; ties in file order.
    joint.sort_by(|x, y| match (x.concession, y.concession) {
        (Some(p), Some(q)) => p.total_cmp(&q),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let groups = ask.line_groups(&at.consenting, &alone);
    Openings {
        step,
        reason,
        alone,
        joint,
        groups,
    }
}

/// The value between `now` and `far` nearest to `now` at which the zone
/// opens, when opening is monotone along the way: `now` itself if it is
/// open already, `None` if even `far` is not, else found by bisection.
pub fn threshold(opens: &mut impl FnMut(f64) -> bool, now: f64, far: f64) -> Option<f64> {
    if opens(now) {
        return Some(now);
    }
    if !opens(far) {
        return None;
    }
    let (mut no, mut yes) = (now, far);
    for _ in 0..BISECT {
        let mid = 0.5 * (no + yes);
        if opens(mid) { yes = mid } else { no = mid }
    }
    Some(yes)
}

/// The consenting parties' terms at the step, and a solver to ask them
/// "what if" questions; every question restores the terms it changed.
struct Ask<'a> {
    sc: &'a Scenario,
    solver: Solver,
    terms: Vec<Terms>,
}

impl Ask<'_> {
    fn opens_with(&mut self, pos: usize, change: impl Fn(&mut Terms)) -> bool {
        self.gap_with(pos, change) <= ZONE_TOL
    }

    /// The gap (headline value) with one party's terms changed.
    fn gap_with(&mut self, pos: usize, change: impl Fn(&mut Terms)) -> f64 {
        let kept = self.terms[pos].clone();
        change(&mut self.terms[pos]);
        let gap = self.solver.gap(self.sc.issues.len(), &self.terms).value;
        self.terms[pos] = kept;
        gap
    }

    fn moves(&mut self, pos: usize, party: usize) -> Vec<Move> {
        // Lowering the bar never closes a zone; below zero it binds nothing.
        let from = self.terms[pos].reservation;
        let to = threshold(
            &mut |r| self.opens_with(pos, |t| t.reservation = r),
            from,
            -1.0,
        );
        let mut out = vec![Move {
            party,
            lever: Lever::Bar,
            from,
            to: to.map(|r| r.max(0.0)),
        }];
        let tabled = self.sc.parties[party].values.clone();
        for issue in 0..self.sc.issues.len() {
            out.extend(self.line_moves(pos, party, issue));
            // A table of values is no ideal to move: the file alone sets it.
            if !tabled.as_deref().is_some_and(|v| v.has(issue)) {
                out.push(self.ideal_move(pos, party, issue));
            }
        }
        out
    }

    /// For each red line of the party on `issue`, the smallest shift that
    /// opens the zone, in the issue's units; relaxing a line never closes a
    /// zone, so bisection finds it, and beyond the whole range the line no
    /// longer binds.
    fn line_moves(&mut self, pos: usize, party: usize, issue: usize) -> Vec<Move> {
        let mut out = Vec::new();
        for upper in [false, true] {
            let t = self.terms[pos].clone();
            let line = if upper {
                t.upper[issue]
            } else {
                t.lower[issue]
            };
            if (upper && line >= 1.0) || (!upper && line <= 0.0) {
                continue;
            }
            let sign = if upper { 1.0 } else { -1.0 };
            let shift = threshold(
                &mut |s| {
                    self.opens_with(pos, |t| {
                        if upper {
                            t.upper[issue] = line + s;
                        } else {
                            t.lower[issue] = line - s;
                        }
                    })
                },
                0.0,
                1.0 + line.abs(),
            );
            let i = &self.sc.issues[issue];
            out.push(Move {
                party,
                lever: Lever::RedLine { issue, upper },
                from: i.denormalise(line),
                to: shift.map(|s| i.denormalise((line + sign * s).clamp(0.0, 1.0))),
            });
        }
        out
    }

    /// The nearest ideal on `issue` that opens the zone. The gap is convex
    /// in a party's ideal (a minimum over settlements of a maximum of
    /// functions jointly convex in settlement and ideal), so the values that
    /// open it form one interval: on each side the lowest gap is found by
    /// ternary search, and if it opens the zone, the threshold by bisection.
    fn ideal_move(&mut self, pos: usize, party: usize, issue: usize) -> Move {
        let now = self.terms[pos].ideal[issue];
        let set = move |v: f64| move |t: &mut Terms| t.ideal[issue] = v;
        let i = &self.sc.issues[issue];
        if i.is_discrete() {
            // An ideal a file may write is an option: the nearest other
            // option that opens the zone, by trying each.
            let last = (i.options.len() - 1) as f64;
            let mut options: Vec<f64> = (0..i.options.len())
                .map(|o| o as f64 / last)
                .filter(|&y| (y - now).abs() > 1e-12)
                .collect();
            options.sort_by(|a, b| (a - now).abs().total_cmp(&(b - now).abs()));
            let to = options.into_iter().find(|&y| self.opens_with(pos, set(y)));
            let i = &self.sc.issues[issue];
            return Move {
                party,
                lever: Lever::Ideal { issue },
                from: i.denormalise(now),
                to: to.map(|v| i.denormalise(v)),
            };
        }
        let mut best: Option<f64> = None;
        for end in [0.0, 1.0] {
            let (mut lo, mut hi) = (now, end);
            for _ in 0..BISECT {
                let a = lo + (hi - lo) / 3.0;
                let b = hi - (hi - lo) / 3.0;
                if self.gap_with(pos, set(a)) <= self.gap_with(pos, set(b)) {
                    hi = b
                } else {
                    lo = a
                }
            }
            let lowest = 0.5 * (lo + hi);
            let to = threshold(&mut |v| self.opens_with(pos, set(v)), now, lowest);
            if let Some(v) = to.filter(|v| best.is_none_or(|b| (v - now).abs() < (b - now).abs())) {
                best = Some(v);
            }
        }
        let i = &self.sc.issues[issue];
        Move {
            party,
            lever: Lever::Ideal { issue },
            from: i.denormalise(now),
            to: best.map(|v| i.denormalise(v)),
        }
    }

    /// On each issue and side, the parties holding the same tightest line
    /// when there are several and none of them opens the zone by moving
    /// it alone; with the value that opens it when they move together.
    fn line_groups(&mut self, consenting: &[usize], alone: &[Alone]) -> Vec<LineGroup> {
        let mut out = Vec::new();
        for issue in 0..self.sc.issues.len() {
            for upper in [false, true] {
                let line = |t: &Terms| {
                    if upper {
                        t.upper[issue]
                    } else {
                        t.lower[issue]
                    }
                };
                let tightest = if upper {
                    self.terms.iter().map(line).fold(f64::INFINITY, f64::min)
                } else {
                    self.terms
                        .iter()
                        .map(line)
                        .fold(f64::NEG_INFINITY, f64::max)
                };
                let holders: Vec<usize> = (0..self.terms.len())
                    .filter(|&pos| (line(&self.terms[pos]) - tightest).abs() <= SAME)
                    .collect();
                let lever = Lever::RedLine { issue, upper };
                let moves_alone = holders.iter().any(|&pos| {
                    (alone[pos].moves.iter()).any(|m| m.lever == lever && m.to.is_some())
                });
                if holders.len() < 2 || moves_alone || !(0.0..=1.0).contains(&tightest) {
                    continue;
                }
                let shift = self.group_shift(&holders, issue, upper, tightest);
                let i = &self.sc.issues[issue];
                let sign = if upper { 1.0 } else { -1.0 };
                out.push(LineGroup {
                    issue,
                    upper,
                    parties: holders.iter().map(|&pos| consenting[pos]).collect(),
                    at: i.denormalise(tightest),
                    to: shift.map(|s| i.denormalise((tightest + sign * s).clamp(0.0, 1.0))),
                });
            }
        }
        out
    }

    /// The smallest shift outward of the line the parties at `holders`
    /// share that opens the zone when they all make it.
    fn group_shift(
        &mut self,
        holders: &[usize],
        issue: usize,
        upper: bool,
        line: f64,
    ) -> Option<f64> {
        let kept: Vec<Terms> = holders.iter().map(|&p| self.terms[p].clone()).collect();
        let dim = self.sc.issues.len();
        let mut opens = |s: f64| {
            for &p in holders {
                if upper {
                    self.terms[p].upper[issue] = line + s;
                } else {
                    self.terms[p].lower[issue] = line - s;
                }
            }
            let open = self.solver.gap(dim, &self.terms).opens();
            for (&p, k) in holders.iter().zip(&kept) {
                self.terms[p] = k.clone();
            }
            open
        };
        threshold(&mut opens, 0.0, 1.0 + line.abs())
    }

    /// The smallest concession `d`, made alike by the parties at `who`, that
    /// opens the zone: each bar lowered by `d`, each red line moved outward
    /// by `d`. At `d = 1` they accept every settlement, so `None` means the
    /// others have no zone among themselves.
    fn concession(&mut self, who: &[usize]) -> Option<f64> {
        let kept: Vec<Terms> = who.iter().map(|&p| self.terms[p].clone()).collect();
        let dim = self.sc.issues.len();
        let mut opens = |d: f64| {
            for (&p, k) in who.iter().zip(&kept) {
                self.terms[p] = concede(k, dim, d);
            }
            let open = self.solver.gap(dim, &self.terms).opens();
            for (&p, k) in who.iter().zip(&kept) {
                self.terms[p] = k.clone();
            }
            open
        };
        threshold(&mut opens, 0.0, 1.0)
    }
}

/// A party's terms after a concession of `d`.
pub fn concede(t: &Terms, dim: usize, d: f64) -> Terms {
    let mut c = t.clone();
    c.reservation -= d;
    for k in 0..dim {
        c.lower[k] -= d;
        c.upper[k] += d;
    }
    c
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

/// The event whose absence changes the gap most, on average over the rest
/// of the run (the last of equal ones); `None` when no event fired.
pub fn mattered_most(effects: &[EventEffect]) -> Option<&EventEffect> {
    effects
        .iter()
        .max_by(|a, b| a.mean_gap_change.abs().total_cmp(&b.mean_gap_change.abs()))
}

/// The effect of every event that fired in `tl`, in firing order.
pub fn event_effects(sc: &Scenario, tl: &Timeline) -> Vec<EventEffect> {
    let mut out = Vec::new();
    for s in &tl.steps {
        for &e in &s.events {
            // Only this firing is left out: a repeating event's other
            // firings stay, so each firing is measured on its own.
            let mut without = sc.clone();
            without.events[e].muted_at = Some(s.step);
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
