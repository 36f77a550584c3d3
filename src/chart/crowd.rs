//! Charts with many parties: up to [`ALL_NAMED`] parties every chart names
//! each one; beyond, a chart names only the parties that bind (whose
//! limits make the zone's edges, or who keep it closed) and sums up the
//! rest in one line, "and 31 more within the range", so forty names do not
//! cover the plot.

use plotters::style::RGBColor;

use crate::model::Scenario;
use crate::sim::Timeline;

/// Parties a chart names one by one, whatever binds: as many as the
/// charts did before scenarios grew, so small scenarios draw as before.
pub const ALL_NAMED: usize = 8;
/// At most this many parties are named beyond [`ALL_NAMED`]: those that
/// bind at the most steps.
pub const MOST_NAMED: usize = 6;

/// Which parties a chart names, in the scenario's order, and how many it
/// sums up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub parties: Vec<usize>,
    /// Parties not named.
    pub rest: usize,
    /// Of those, how many bind at some step all the same (fewer steps
    /// than every named one).
    pub rest_binding: usize,
}

impl Named {
    /// Every party of `among` named, none summed up.
    fn all(among: &[usize]) -> Named {
        Named {
            parties: among.to_vec(),
            rest: 0,
            rest_binding: 0,
        }
    }

    /// Of `among`, those with a score above zero, the [`MOST_NAMED`] with
    /// the highest (ties to the first in the file), when `among` holds
    /// more than [`ALL_NAMED`]; else all of them.
    pub(crate) fn ranked(among: &[usize], score: impl Fn(usize) -> usize) -> Named {
        if among.len() <= ALL_NAMED {
            return Named::all(among);
        }
        let mut binding: Vec<usize> = among.iter().copied().filter(|&p| score(p) > 0).collect();
        binding.sort_by_key(|&p| std::cmp::Reverse(score(p)));
        let rest_binding = binding.len().saturating_sub(MOST_NAMED);
        binding.truncate(MOST_NAMED);
        binding.sort_unstable();
        Named {
            rest: among.len() - binding.len(),
            parties: binding,
            rest_binding,
        }
    }

    pub fn names(&self, p: usize) -> bool {
        self.parties.contains(&p)
    }

    /// The line that sums up the parties not named: "and 31 more within
    /// the range" (`rest`), or where some of them bind all the same, "and
    /// 31 more (4 binding at fewer weeks)" (`binding`, after the count);
    /// "" when every party is named.
    pub fn rest_text(&self, rest: &str, binding: &str) -> String {
        match (self.rest, self.rest_binding) {
            (0, _) => String::new(),
            (n, 0) => format!("and {n} more {rest}"),
            (n, b) => format!("and {n} more ({b} {binding})"),
        }
    }
}

/// The parties the zone chart names: on the front issue, those whose limit
/// is the highest "at least" or the lowest "at most" of the parties at the
/// table at some step, or who accept nothing there, ranked by how many
/// steps they do.
pub fn zone_named(sc: &Scenario, tl: &Timeline) -> Named {
    zone_named_over(sc, &[tl])
}

/// [`zone_named`] over several runs drawn together (a variant and the
/// scenario as written beneath it), the steps counted in all of them: a
/// party that binds only as written keeps its name and colour.
pub fn zone_named_over(sc: &Scenario, runs: &[&Timeline]) -> Named {
    let issue = &sc.issues[sc.front_issue];
    let eps = issue.range() * 1e-6;
    let all: Vec<usize> = (0..sc.parties.len()).collect();
    let mut steps = vec![0usize; sc.parties.len()];
    for s in runs.iter().flat_map(|tl| &tl.steps) {
        let present = || (0..sc.parties.len()).filter(|&p| s.engaged[p]);
        let real = |v: f64| v > issue.min + eps && v < issue.max - eps;
        let lows = present().filter_map(|p| Some((p, s.ranges[p]?.low)));
        let highs = present().filter_map(|p| Some((p, s.ranges[p]?.high)));
        let top = lows.clone().map(|l| l.1).filter(|&v| real(v));
        let bottom = highs.clone().map(|h| h.1).filter(|&v| real(v));
        if let Some(most) = top.reduce(f64::max) {
            for (p, _) in lows.filter(|&(_, v)| v >= most - eps) {
                steps[p] += 1;
            }
        }
        if let Some(least) = bottom.reduce(f64::min) {
            for (p, _) in highs.filter(|&(_, v)| v <= least + eps) {
                steps[p] += 1;
            }
        }
        for p in present().filter(|&p| s.ranges[p].is_none()) {
            steps[p] += 1;
        }
    }
    Named::ranked(&all, |p| steps[p])
}

/// Of the parties `veto`, those the gap chart's strip of who blocks gives a
/// row: ranked as the run's main blocker is (`facts`), by the steps they
/// block, then by their share of the gap summed over those steps, so the
/// party the report calls the main blocker always has a row.
pub fn blockers_named(tl: &Timeline, veto: &[usize]) -> Named {
    let len = veto.iter().max().map_or(0, |m| m + 1);
    let (mut steps, mut share) = (vec![0usize; len], vec![0.0f64; len]);
    for s in &tl.steps {
        for b in s.blockers.iter().filter(|b| b.party < len) {
            steps[b.party] += 1;
            share[b.party] += b.share.max(0.0);
        }
    }
    // Steps first; the share, at most one a step, in whole thousandths
    // below them (a horizon is at most 100,000 steps).
    Named::ranked(veto, |p| {
        steps[p] * 1_000_000_000 + (share[p] * 1000.0).ceil() as usize
    })
}

/// The colours the named parties are drawn in, in the order of
/// `named.parties`: each party's own, but past [`ALL_NAMED`] parties one
/// too close to a colour already taken (forty colours repeat themselves)
/// gives way to the first of the palette that is not.
pub fn colours(sc: &Scenario, named: &Named) -> Vec<RGBColor> {
    let own = |p: usize| super::rgb(sc.parties[p].colour);
    if named.rest == 0 {
        return named.parties.iter().map(|&p| own(p)).collect();
    }
    let apart = |a: RGBColor, b: RGBColor| {
        let d = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
        (d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)).sqrt() > 90.0
    };
    let mut taken: Vec<RGBColor> = Vec::new();
    for &p in &named.parties {
        let fits = |c: RGBColor| taken.iter().all(|&t| apart(c, t));
        let colour = std::iter::once(own(p))
            .chain(super::PALETTE)
            .find(|&c| fits(c))
            .unwrap_or(own(p));
        taken.push(colour);
    }
    taken
}
