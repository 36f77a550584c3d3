//! The facts of one run, computed once from its timeline.
//!
//! The summary, the report, its narrative and `explain` all read these
//! values instead of recounting the timeline, so two views of one run can
//! never disagree about who blocked, when the zone opened or how far apart
//! the parties were.

use crate::model::Scenario;
use crate::outcome::{self, Quality};
use crate::sim::{self, Outcome, Step, Timeline};
use crate::zone::Blocker;

/// How one party blocked the zone over a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blocking {
    /// Steps at which the party blocked.
    pub steps: u32,
    /// The sum of its shares of the gap over those steps.
    pub share_sum: f64,
    /// Steps at which its red lines crossed another's, and at which its bar
    /// kept the bars apart.
    pub line_steps: u32,
    pub bar_steps: u32,
}

impl Blocking {
    /// Its average share of the gap over the steps it blocked.
    pub fn average_share(&self) -> f64 {
        if self.steps == 0 {
            0.0
        } else {
            self.share_sum / f64::from(self.steps)
        }
    }
}

/// A gap and the first step at which the run reached it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapAt {
    pub gap: f64,
    pub step: u32,
}

/// The agreed settlement and when it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    pub step: u32,
    /// One value per issue, in issue units.
    pub values: Vec<f64>,
}

/// A bar change smaller than this is not worth telling.
pub const BAR_NOTICE: f64 = 0.005;

/// How far a party's bar moved over the part of the run it took part in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarChange {
    pub party: usize,
    /// Its bar at step 0 and at the last step it was at the table.
    pub from: f64,
    pub to: f64,
    pub last_step: u32,
}

impl BarChange {
    /// Signed: negative when the bar fell (the party gave ground).
    pub fn change(&self) -> f64 {
        self.to - self.from
    }
}

/// A party that walked away, and at which step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Departure {
    pub party: usize,
    pub step: u32,
}

/// A change the model made on its own, which a class should be told of
/// though no event names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Turn {
    /// The tightest red line on an issue passed from one party to another:
    /// `to`'s line now binds (`now`, issue units), where `from`'s did a
    /// step before (`was`). `upper`: the line says how much at most.
    LinePassed {
        issue: usize,
        upper: bool,
        from: usize,
        to: usize,
        was: f64,
        now: f64,
    },
    /// A party's bar reached an end of its range: 1, where only its ideal
    /// on every issue would do, or 0, where anything its red lines allow
    /// would.
    BarAtBound { party: usize, bound: f64 },
    /// The wall that keeps the zone shut changed: the red lines now cross
    /// (`lines_cross`), or they now leave room and the bars alone keep it
    /// shut.
    WallChanged { lines_cross: bool },
    /// The parties blocking most at a step changed (several when tied).
    MainBlocker {
        from: Vec<Blocker>,
        to: Vec<Blocker>,
    },
}

/// A turning point and the step it happened at.
#[derive(Debug, Clone, PartialEq)]
pub struct TurningPoint {
    pub step: u32,
    pub turn: Turn,
}

/// Two blockers' shares within this of each other both lead a step: the
/// shares print as whole percents, so a smaller lead is no change a class
/// could see.
pub const SHARE_TIE: f64 = 0.005;

/// A party that held, at every step a main blocker blocked by its red
/// line, that same line: the line's owner in the record is the first in
/// the file, so it is not a blocker there, yet moving either alone opens
/// nothing, and a class is told of both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePeer {
    pub party: usize,
    /// The main blocker whose line it holds.
    pub of: usize,
}

/// Everything a reader is told first about a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub outcome: Outcome,
    pub first_zone: Option<u32>,
    pub smallest_gap: GapAt,
    pub largest_gap: GapAt,
    /// One entry per party, in scenario order.
    pub blocking: Vec<Blocking>,
    /// The parties that blocked at the most steps with the largest total
    /// share: one, or several tied (in scenario order); none if nobody
    /// blocked.
    pub main_blockers: Vec<usize>,
    /// Parties holding a main blocker's line wherever it blocked by it.
    pub line_peers: Vec<LinePeer>,
    pub settlement: Option<Settlement>,
    pub walked_away: Vec<Departure>,
    /// One entry per party that was at the table at some step, in scenario
    /// order (a party that walked away is not said to concede what it no
    /// longer negotiates).
    pub bar_changes: Vec<BarChange>,
    /// The bargaining solutions of the first zone, in issue units; `None`
    /// without a zone.
    pub first_zone_nash: Option<Vec<f64>>,
    pub first_zone_kalai_smorodinsky: Option<Vec<f64>>,
    /// How good the deal is, if one was made.
    pub deal_quality: Option<Quality>,
    /// Steps in the timeline (fewer than the horizon after a deal).
    pub steps_run: usize,
    /// The model's own turning points, in step order.
    pub turning_points: Vec<TurningPoint>,
}

impl Facts {
    pub fn of(sc: &Scenario, tl: &Timeline) -> Facts {
        let blocking = blocking(sc.parties.len(), tl);
        let settlement = match &tl.outcome {
            Outcome::Deal { step, settlement } => Some(Settlement {
                step: *step,
                values: settlement.clone(),
            }),
            _ => None,
        };
        let first_zone = tl.first_zone().map(|t| &tl.steps[t as usize]);
        let main = main_blockers(&blocking, &twins(tl));
        Facts {
            outcome: tl.outcome.clone(),
            first_zone: tl.first_zone(),
            smallest_gap: gap_at(tl, false),
            largest_gap: gap_at(tl, true),
            line_peers: line_peers(tl, &main),
            main_blockers: main,
            blocking,
            deal_quality: (settlement.as_ref())
                .map(|s| outcome::quality(sc, &tl.steps[s.step as usize], &s.values)),
            settlement,
            walked_away: tl
                .steps
                .iter()
                .flat_map(|s| {
                    s.walked_away.iter().map(move |&party| Departure {
                        party,
                        step: s.step,
                    })
                })
                .collect(),
            bar_changes: bar_changes(sc.parties.len(), tl),
            first_zone_nash: first_zone.and_then(outcome::nash),
            first_zone_kalai_smorodinsky: first_zone
                .and_then(|s| outcome::kalai_smorodinsky(sc, s)),
            steps_run: tl.steps.len(),
            turning_points: turning_points(tl),
        }
    }

    /// The turning points of one step.
    pub fn turns_at(&self, step: u32) -> impl Iterator<Item = &Turn> {
        (self.turning_points.iter())
            .filter(move |t| t.step == step)
            .map(|t| &t.turn)
    }

    /// "week 16", or "never".
    pub fn first_zone_text(&self, unit: &str) -> String {
        crate::text::first_zone_text(self.first_zone, unit)
    }

    /// The main blocker's name, tied ones named together ("Russia and
    /// Ukraine (tied)"), with every party holding the same line ("UAW and
    /// Ford (tied), with GM holding the same line as Ford"), or "nobody".
    pub fn main_blocker_name(&self, sc: &Scenario) -> String {
        let names: Vec<&str> = (self.main_blockers.iter())
            .map(|&p| sc.parties[p].name.as_str())
            .collect();
        let main = match names.as_slice() {
            [] => return "nobody".into(),
            [one] => one.to_string(),
            [rest @ .., last] => format!("{} and {last} (tied)", rest.join(", ")),
        };
        let peers: Vec<String> = (self.line_peers.iter())
            .map(|l| {
                let (p, of) = (&sc.parties[l.party].name, &sc.parties[l.of].name);
                format!("{p} holding the same line as {of}")
            })
            .collect();
        if peers.is_empty() {
            main
        } else {
            format!("{main}, with {}", crate::text::and_list(&peers))
        }
    }

    /// The step a reader should be told about: the first with a zone, or,
    /// if none had one, the first where the parties came closest.
    pub fn telling_step(&self) -> u32 {
        self.first_zone.unwrap_or(self.smallest_gap.step)
    }

    /// The two parties an outcome chart of `step` shows by default: the
    /// parties that block most at the step, then the run's main blockers,
    /// then the first parties whose consent is needed (then parties 0 and
    /// 1, so a pair is always found).
    pub fn outcome_pair(&self, step: &Step) -> [usize; 2] {
        let mut blockers = step.blockers.clone();
        blockers.sort_by(|a, b| b.share.total_cmp(&a.share));
        let mut pick: Vec<usize> = Vec::new();
        let candidates = blockers.iter().map(|b| b.party);
        let candidates = candidates.chain(self.main_blockers.iter().copied());
        for p in candidates
            .chain(step.consenting.iter().copied())
            .chain([0, 1])
        {
            if pick.len() >= 2 {
                break;
            }
            if !pick.contains(&p) {
                pick.push(p);
            }
        }
        [pick[0], pick[1]]
    }

    /// Who gave up the most: the largest fall of a bar, if one fell by at
    /// least [`BAR_NOTICE`], among the parties that blocked at some step:
    /// giving ground matters only for a party whose consent was in the way.
    pub fn largest_bar_fall(&self) -> Option<&BarChange> {
        self.blockers_changes()
            .min_by(|a, b| a.change().total_cmp(&b.change()))
            .filter(|c| c.change() < -BAR_NOTICE)
    }

    /// Who hardened the most among the parties that blocked: the largest
    /// rise of a bar (the last of equal ones), if it rose by at least
    /// [`BAR_NOTICE`] (a bar that stayed put is no answer to "who
    /// hardened").
    pub fn largest_bar_rise(&self) -> Option<&BarChange> {
        self.blockers_changes()
            .max_by(|a, b| a.change().total_cmp(&b.change()))
            .filter(|c| c.change() >= BAR_NOTICE)
    }

    fn blockers_changes(&self) -> impl Iterator<Item = &BarChange> {
        (self.bar_changes.iter())
            .filter(|c| self.blocking.get(c.party).is_some_and(|b| b.steps > 0))
    }

    /// Whether any party blocked at any step.
    pub fn anyone_blocked(&self) -> bool {
        self.blocking.iter().any(|b| b.steps > 0)
    }
}

fn blocking(parties: usize, tl: &Timeline) -> Vec<Blocking> {
    let mut out = vec![
        Blocking {
            steps: 0,
            share_sum: 0.0,
            line_steps: 0,
            bar_steps: 0,
        };
        parties
    ];
    for s in &tl.steps {
        for b in &s.blockers {
            out[b.party].steps += 1;
            out[b.party].share_sum += b.share;
        }
        for b in &s.line_blockers {
            out[b.party].line_steps += 1;
        }
        for b in &s.bar_blockers {
            out[b.party].bar_steps += 1;
        }
    }
    out
}

fn bar_changes(parties: usize, tl: &Timeline) -> Vec<BarChange> {
    let Some(first) = tl.steps.first() else {
        return Vec::new();
    };
    (0..parties)
        .filter_map(|p| {
            let last = tl.steps.iter().rev().find(|s| s.engaged[p])?;
            Some(BarChange {
                party: p,
                from: first.reservation[p],
                to: last.reservation[p],
                last_step: last.step,
            })
        })
        .collect()
}

/// Red lines this close (normalised) are one line.
const SAME_LINE: f64 = 1e-9;

/// The parties that held a main blocker's binding red line at every step
/// it blocked by it, in scenario order.
fn line_peers(tl: &Timeline, main: &[usize]) -> Vec<LinePeer> {
    let mut out = Vec::new();
    for &m in main {
        let mut held: Option<Vec<usize>> = None;
        for s in tl
            .steps
            .iter()
            .filter(|s| s.line_blockers.iter().any(|b| b.party == m))
        {
            let here = co_holders(s, m);
            held = Some(match held {
                None => here,
                Some(h) => h.into_iter().filter(|q| here.contains(q)).collect(),
            });
        }
        for party in held.unwrap_or_default() {
            if !main.contains(&party) && !out.iter().any(|l: &LinePeer| l.party == party) {
                out.push(LinePeer { party, of: m });
            }
        }
    }
    out
}

/// The consenting parties other than `owner` whose red line equals the
/// line `owner` binds with on an issue where the lines cross.
fn co_holders(s: &Step, owner: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for (k, l) in s
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.crossing() > 0.0)
    {
        for (by, upper) in [(l.least_by, false), (l.most_by, true)] {
            if by != Some(owner) {
                continue;
            }
            let line = |p: usize| {
                let t = &s.terms[p];
                if upper { t.upper[k] } else { t.lower[k] }
            };
            for &q in &s.consenting {
                if q != owner && (line(q) - line(owner)).abs() <= SAME_LINE && !out.contains(&q) {
                    out.push(q);
                }
            }
        }
    }
    out.sort_unstable();
    out
}

/// Every turning point of a run: for each step after the first, what
/// changed from the step before.
fn turning_points(tl: &Timeline) -> Vec<TurningPoint> {
    let mut out = Vec::new();
    for pair in tl.steps.windows(2) {
        let (prev, s) = (&pair[0], &pair[1]);
        let mut push = |turn| out.push(TurningPoint { step: s.step, turn });
        for (issue, (a, b)) in prev.lines.iter().zip(&s.lines).enumerate() {
            let sides = [(a.least_by, b.least_by, a.least, b.least, false)];
            let sides = sides
                .into_iter()
                .chain([(a.most_by, b.most_by, a.most, b.most, true)]);
            for (was_by, now_by, was, now, upper) in sides {
                if let (Some(from), Some(to)) = (was_by, now_by)
                    && from != to
                {
                    push(Turn::LinePassed {
                        issue,
                        upper,
                        from,
                        to,
                        was,
                        now,
                    });
                }
            }
        }
        for p in (0..s.reservation.len()).filter(|&p| prev.engaged[p] && s.engaged[p]) {
            let (a, b) = (prev.reservation[p], s.reservation[p]);
            for bound in [0.0, 1.0] {
                let reached = if bound > 0.5 {
                    a < 1.0 && b >= 1.0
                } else {
                    a > 0.0 && b <= 0.0
                };
                if reached {
                    push(Turn::BarAtBound { party: p, bound });
                }
            }
        }
        if !prev.zone_exists() && !s.zone_exists() && prev.lines_cross() != s.lines_cross() {
            push(Turn::WallChanged {
                lines_cross: s.lines_cross(),
            });
        }
        let (from, to) = (leading(&prev.blockers), leading(&s.blockers));
        let parties = |g: &[Blocker]| g.iter().map(|b| b.party).collect::<Vec<_>>();
        if !from.is_empty() && !to.is_empty() && parties(&from) != parties(&to) {
            push(Turn::MainBlocker { from, to });
        }
    }
    out
}

/// The blockers of a step with the largest share, those within
/// [`SHARE_TIE`] of it together, in scenario order.
pub fn leading(blockers: &[Blocker]) -> Vec<Blocker> {
    let top = blockers
        .iter()
        .map(|b| b.share)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut out: Vec<Blocker> = (blockers.iter())
        .filter(|b| b.share >= top - SHARE_TIE)
        .copied()
        .collect();
    out.sort_by_key(|b| b.party);
    out
}

/// The run's least (greatest) gap and the first step that came within the
/// zone's tolerance of it ([`sim::extreme_gap`]).
fn gap_at(tl: &Timeline, greatest: bool) -> GapAt {
    let gaps: Vec<f64> = tl.steps.iter().map(|s| s.gap).collect();
    match sim::extreme_gap(&gaps, greatest) {
        Some((gap, at)) => GapAt {
            gap,
            step: tl.steps[at].step,
        },
        None => GapAt {
            gap: f64::INFINITY,
            step: 0,
        },
    }
}

/// Shares summed over a run agree to this much when two parties are tied
/// (rounding in the certificate's weights, far below any shown digit).
const TIE: f64 = 1e-9;

/// The parties that blocked most: most steps, then the largest share.
/// Parties in the same position all run long (`twin[p]`: the first party
/// in `p`'s position) split each step's share among them, so they are
/// ranked by their position's share, and named together.
fn main_blockers(blocking: &[Blocking], twin: &[usize]) -> Vec<usize> {
    let shares: Vec<f64> = (0..blocking.len())
        .map(|p| {
            (0..blocking.len())
                .filter(|&q| twin[q] == twin[p])
                .map(|q| blocking[q].share_sum)
                .sum()
        })
        .collect();
    let Some(top) = (0..blocking.len())
        .filter(|&p| blocking[p].steps > 0)
        .max_by(|&x, &y| {
            (blocking[x].steps)
                .cmp(&blocking[y].steps)
                .then(shares[x].total_cmp(&shares[y]))
        })
    else {
        return Vec::new();
    };
    let (steps, share) = (blocking[top].steps, shares[top]);
    (0..blocking.len())
        .filter(|&p| {
            blocking[p].steps == steps && (shares[p] - share).abs() <= TIE * f64::from(steps)
        })
        .collect()
}

/// For each party, the first party (in file order) in the same position as
/// it at every step of the run: the same ideal, weights, bar and red lines,
/// and taking part at the same steps. A party with no twin is its own.
fn twins(tl: &Timeline) -> Vec<usize> {
    let n = tl.steps.first().map_or(0, |s| s.terms.len());
    (0..n)
        .map(|p| {
            (0..p)
                .find(|&q| {
                    tl.steps
                        .iter()
                        .all(|s| s.engaged[p] == s.engaged[q] && s.terms[p] == s.terms[q])
                })
                .unwrap_or(p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(steps: u32, share_sum: f64) -> Blocking {
        Blocking {
            steps,
            share_sum,
            line_steps: 0,
            bar_steps: 0,
        }
    }

    #[test]
    fn equal_blocking_is_a_tie_and_a_larger_share_is_not() {
        // 52 steps each at 50/50: tied.
        let even = [b(0, 0.0), b(52, 26.0), b(52, 26.0)];
        assert_eq!(main_blockers(&even, &[0, 1, 2]), [1, 2]);
        // 51/49 at every step: the larger share leads alone.
        let lean = [b(52, 52.0 * 0.51), b(52, 52.0 * 0.49)];
        assert_eq!(main_blockers(&lean, &[0, 1]), [0]);
        // More steps beat a larger share.
        assert_eq!(main_blockers(&[b(10, 9.0), b(11, 2.0)], &[0, 1]), [1]);
        assert!(main_blockers(&[b(0, 0.0)], &[0]).is_empty());
        // Two parties in one position split a half: together they tie
        // with the party holding the other half, and all three are named.
        let split = [b(52, 26.0), b(52, 13.0), b(52, 13.0)];
        assert_eq!(main_blockers(&split, &[0, 1, 1]), [0, 1, 2]);
        assert_eq!(main_blockers(&split, &[0, 1, 2]), [0]);
    }
}
