//! The mediator, or the parties' own offers: who puts a settlement on the
//! table at a step, and what a learning mediator comes to believe about the
//! bars from the answers. Allocates nothing per step.

use super::{ANY_BAR, Simulation};
use crate::model::Knob;
use crate::negotiate::{self, Offer};
use crate::rng::Stream;
use crate::zone::{Interval, Terms, ZONE_TOL};

impl<const W: usize, const R: usize> Simulation<'_, W, R> {
    /// The mediator's misreading of each party's bar this step: one normal
    /// draw per party, whether it reads the bars or not, so that the stream
    /// goes on alike; draws it will not read are skipped, not worked out.
    #[inline]
    pub(super) fn draw_perception(&mut self, rng: &mut Stream, read: bool) {
        self.buf.perception.clear();
        for _ in 0..self.sc.parties.len() {
            if read {
                self.buf.perception.push(self.normals.next(rng));
            } else {
                self.normals.skip(rng);
            }
        }
    }

    /// Whether a mediator puts a settlement on the table this step: there
    /// is someone to convince, the mediator is still at the table, and the
    /// red lines, which are public and seen as they are, leave room (no
    /// misjudged bar can make the mediator see a zone the lines close).
    #[inline]
    fn mediator_proposes(&self) -> bool {
        let lines_cross = self.buf.lines > ZONE_TOL;
        !self.buf.consent_terms().is_empty()
            && self.sc.mediator.is_none_or(|m| self.st.engaged[m])
            && !lines_cross
    }

    /// One turn of alternating offers: the consenting parties take turns in
    /// the scenario's order, the time running from 0 at step 0 to 1 at the
    /// last step of the horizon.
    #[inline]
    pub(super) fn alternate(&mut self, t: u32) -> Option<Offer<W>> {
        let b = &mut self.buf;
        if b.consenting.is_empty() {
            return None;
        }
        b.tactics.clear();
        b.tactics
            .extend(b.consenting.iter().map(|&p| negotiate::Tactic {
                e: self.st.parties[p].knob(Knob::TacticE),
                k: self.st.parties[p].knob(Knob::TacticK),
            }));
        let last = f64::from(self.sc.steps.saturating_sub(1).max(1));
        let proposer = t as usize % b.consenting.len();
        let (now, next) = (f64::from(t) / last, (f64::from(t + 1) / last).min(1.0));
        let b = &self.buf;
        let offer =
            negotiate::alternate(self.dim, b.consent_terms(), &b.tactics, proposer, now, next);
        Some(offer)
    }

    /// The mediator's offer from the bars as it perceives them, and the
    /// answers to it. A learning mediator reads each bar within what it has
    /// learnt, probes with the settlement nearest to agreement when it sees
    /// no zone, and learns from every answer.
    #[inline]
    pub(super) fn mediate(&mut self, rng: &mut Stream) -> Option<Offer<W>> {
        let proposes = self.mediator_proposes();
        self.draw_perception(rng, proposes);
        if !proposes {
            return None;
        }
        let (learning, mediator) = (self.sc.learning, self.sc.mediator);
        let b = &mut self.buf;
        let veto = if b.all_consent {
            &b.terms
        } else {
            &b.veto_terms
        };
        if learning {
            forget(&mut self.st.beliefs, self.st.forgetting);
        }
        let noise = self.st.perception_noise;
        // Only the bars are read; the rest of each party's terms is public.
        b.readings.clear();
        let mut as_they_are = true;
        for (&p, tm) in b.consenting.iter().zip(veto) {
            let seen = if Some(p) == mediator {
                tm.reservation
            } else {
                let reading = (tm.reservation + noise * b.perception[p]).clamp(0.0, 1.0);
                if learning {
                    believed(reading, &mut self.st.beliefs[p], noise)
                } else {
                    reading
                }
            };
            as_they_are &= seen == tm.reservation;
            b.readings.push(seen);
        }
        // A mediator that reads every bar as it is sees the terms and the
        // gap the step has just solved: neither is built again.
        let offer = match b.gap.filter(|_| noise == 0.0 && as_they_are) {
            Some(gap) => {
                negotiate::propose_at(&mut self.solver, self.dim, veto, veto, learning, &gap)?
            }
            None => {
                b.perceived.clear();
                b.perceived
                    .extend(veto.iter().zip(&b.readings).map(|(tm, &r)| Terms {
                        reservation: r,
                        ..tm.clone()
                    }));
                negotiate::propose(&mut self.solver, self.dim, &b.perceived, veto, learning)?
            }
        };
        if learning {
            learn(&mut self.st.beliefs, &b.consenting, veto, self.dim, &offer);
        }
        Some(offer)
    }
}

/// The bar a learning mediator works with, and what it then believes: its
/// reading where the reading fits what it has learnt; the middle of what it
/// has learnt where the reading falls outside it by less than its own error
/// could explain (twice the noise; a bound itself would repeat the offer
/// that taught it the bound); and where the reading falls further outside,
/// the reading itself, the bar having moved: what it had learnt is dropped.
fn believed(reading: f64, belief: &mut Interval, noise: f64) -> f64 {
    let (low, high) = (belief.low, belief.high);
    if (low..=high).contains(&reading) {
        reading
    } else if reading >= low - 2.0 * noise && reading <= high + 2.0 * noise {
        0.5 * (low + high)
    } else {
        *belief = ANY_BAR;
        reading
    }
}

/// Beliefs widen again as bars may have moved: each bound gives up the
/// share `rate` of its distance to the end of the range.
fn forget(beliefs: &mut [Interval], rate: f64) {
    for b in beliefs {
        b.low *= 1.0 - rate;
        b.high += rate * (1.0 - b.high);
    }
}

/// What the answers to `offer` say about each consenting party's bar: a
/// party that accepts a settlement worth `u` to it has a bar of at most
/// `u`; one that rejects it, above `u`. A newer answer that contradicts
/// what was believed (the bar has moved) replaces the older bound.
fn learn<const W: usize>(
    beliefs: &mut [Interval],
    consenting: &[usize],
    terms: &[Terms<W>],
    dim: usize,
    offer: &Offer<W>,
) {
    for (i, (&p, t)) in consenting.iter().zip(terms).enumerate() {
        let u = t.utility(dim, &offer.point);
        let b = &mut beliefs[p];
        if offer.accepts(i) {
            b.high = b.high.min(u);
            if b.low > b.high {
                b.low = 0.0;
            }
        } else {
            b.low = b.low.max(u);
            if b.low > b.high {
                b.high = 1.0;
            }
        }
    }
}
