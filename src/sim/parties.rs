//! The parties at each step: their terms, as their archetypes derive them
//! from the world, whose consent a deal needs, and what they do after a
//! step without agreement. The rules are the archetypes' own
//! (`model::archetype`); this file only gathers what they read and applies
//! what they return.

use super::Simulation;
use crate::model::archetype::{Aftermath, Situation};
use crate::model::{Party, WorldVar};
use crate::zone::{Terms, ZONE_TOL, resized};

impl<const W: usize, const R: usize> Simulation<'_, W, R> {
    /// Every party's terms at step `t`, and which parties' consent a deal
    /// needs.
    #[inline]
    pub(super) fn derive_terms(&mut self, t: u32) {
        let sc = self.sc;
        let n = sc.parties.len();
        let (st, buf) = (&self.st, &mut self.buf);
        if buf.terms.len() != n {
            buf.terms.resize(n, Terms::new([0.0; W], [0.0; W], 0.0));
            buf.ideal_of.clear();
            buf.ideal_of.resize(n, [f64::NAN; W]);
        }
        let (drag_pressure, drag_aid) = st.drag(&self.aiming);
        let parties = st.parties.iter().zip(buf.terms.iter_mut());
        for (p, ((party, terms), ideal_of)) in parties.zip(buf.ideal_of.iter_mut()).enumerate() {
            // The world as this party sees it: the pressure and aid it
            // feels are its own where some party aims them at it.
            let now = Situation {
                scenario: sc,
                world: &st.world,
                step: t,
                front_high: st.front_high,
                pressure: st.felt_pressure(&self.aiming, p),
                aid: st.felt_aid(&self.aiming, p),
                pressure_peak: st.pressure_peak[p],
                drag_pressure,
                drag_aid,
            };
            fill_terms(&now, party, terms, ideal_of);
        }
        self.buf.consenting.clear();
        for p in 0..n {
            if self.st.parties[p].veto && self.st.engaged[p] {
                self.buf.consenting.push(p);
            }
        }
        // Most steps need everyone's consent; then the terms are used as
        // they are, without a copy.
        self.buf.all_consent = self.buf.consenting.len() == n;
        if !self.buf.all_consent {
            self.buf.veto_terms.clear();
            for &p in &self.buf.consenting {
                self.buf.veto_terms.push(self.buf.terms[p].clone());
            }
        }
    }

    /// Each party's reaction to a step without agreement, as its archetype
    /// says, in scenario order (a party drifting towards one that moved
    /// earlier in this loop sees where it moved to).
    #[inline]
    pub(super) fn react(&mut self, gap: f64, minimiser: &[f64; W]) {
        let zone = gap <= ZONE_TOL;
        let mut nearest = *minimiser;
        for (y, issue) in nearest.iter_mut().zip(&self.sc.issues) {
            *y = issue.denormalise(*y);
        }
        for p in 0..self.st.parties.len() {
            if !self.st.engaged[p] {
                continue;
            }
            let party = &self.st.parties[p];
            let after = Aftermath {
                me: p,
                parties: &self.st.parties,
                blockers: self.buf.headline(),
                zone,
                dim: self.dim,
                nearest: &nearest,
                streak: self.st.no_zone_streak[p],
                pressure: self.st.leverage_pressure,
                aid: self.st.leverage_aid,
            };
            let Some(r) = party.archetype.react(party, &after) else {
                continue;
            };
            self.st.no_zone_streak[p] = r.streak;
            self.st.leverage_pressure = r.pressure;
            self.st.leverage_aid = r.aid;
            if let Some(ideal) = r.ideal {
                self.st.parties[p].ideal[..W].copy_from_slice(&ideal);
            }
            if r.walks_away {
                self.st.engaged[p] = false;
                self.buf.walked.push(p);
            }
        }
    }
}

/// A party's terms in the situation `now`, in normalised units, written in
/// place (the step loop fills its buffer without copying them around): its
/// ideal, its archetype's bar, its red lines as its archetype moves them,
/// and any demand its goal adds on the front issue. `ideal_of` is the ideal
/// (in issue units) that `terms.ideal` was last normalised from: an ideal
/// moves only when its party drifts or an event moves it, so most steps
/// keep the normalised one rather than divide again.
#[inline]
fn fill_terms<const W: usize>(
    now: &Situation,
    party: &Party,
    terms: &mut Terms<W>,
    ideal_of: &mut [f64; W],
) {
    let sc = now.scenario;
    let fi = sc.front_issue;
    for (k, i) in sc.issues.iter().enumerate() {
        if party.ideal[k].to_bits() != ideal_of[k].to_bits() {
            terms.ideal[k] = i.normalise(party.ideal[k]);
            ideal_of[k] = party.ideal[k];
        }
    }
    let derived = party.archetype.derive(party, now, &terms.ideal);
    terms.reservation = derived.bar;
    terms.weight = resized(&party.weight, 0.0);
    if terms.values.is_some() || party.values.is_some() {
        terms.values.clone_from(&party.values);
    }
    terms.lower = [f64::NEG_INFINITY; W];
    terms.upper = [f64::INFINITY; W];
    let front = now.now(WorldVar::Front);
    let give = derived.line_give;
    for rl in &party.red_lines {
        let issue = &sc.issues[rl.issue];
        let base = if rl.follows_front { front } else { 0.0 };
        // Lines on the front issue give way as the archetype says: a lower
        // line moves down, an upper line up.
        let give = if rl.issue == fi { give } else { 0.0 };
        if let Some(m) = rl.min {
            let at = issue.normalise(base + m - give);
            terms.lower[rl.issue] = terms.lower[rl.issue].max(at);
        }
        if let Some(m) = rl.max {
            let at = issue.normalise(base + m + give);
            terms.upper[rl.issue] = terms.upper[rl.issue].min(at);
        }
    }
    if let Some(demand) = derived.front_demand {
        terms.lower[fi] = terms.lower[fi].max(sc.issues[fi].normalise(demand));
    }
}
