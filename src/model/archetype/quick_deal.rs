//! `quick_deal`: a party that wants a deal by a deadline. Its bar falls
//! from its reservation to its floor by the deadline; after each step
//! without a zone it leans on whoever blocks (leverage), moves its ideal
//! towards the settlement nearest agreement (drift), and walks away once its patience
//! runs out.

use super::{Aftermath, Conflict, Lever, Reaction, Rules, Situation};
use crate::model::{Knob, Party, Scenario};
use crate::zone::resized;

pub struct QuickDeal;

impl Rules for QuickDeal {
    const NAME: &'static str = "quick_deal";
    const GOAL: &'static str = "wants a deal soon, and gives ground as its deadline nears";
    const KNOBS: &'static [Knob] = &[
        Knob::Deadline,
        Knob::Concession,
        Knob::Floor,
        Knob::Drift,
        Knob::Leverage,
        Knob::Patience,
        Knob::PressurePerStep,
        Knob::AidPerStep,
        Knob::TacticE,
        Knob::TacticK,
    ];

    /// `floor + (r0 - floor) (1 - tau^(1/concession))`, `tau` the share of
    /// the time to its deadline (the horizon when it sets none) gone by.
    #[inline]
    fn bar<const W: usize>(party: &Party, base: f64, now: &Situation, _ideal: &[f64; W]) -> f64 {
        let d = party.knob(Knob::Deadline);
        let deadline = if d > 0.0 {
            d
        } else {
            f64::from(now.scenario.steps)
        };
        let tau = (f64::from(now.step) / deadline).min(1.0);
        let floor = party.knob(Knob::Floor);
        let r0 = base;
        floor + (r0 - floor) * (1.0 - power(tau, 1.0 / party.knob(Knob::Concession)))
    }

    #[inline(always)]
    fn react<const W: usize>(party: &Party, after: &Aftermath<W>) -> Option<Reaction<W>> {
        let me = after.me;
        if after.zone {
            return Some(Reaction {
                streak: 0,
                pressure: after.pressure,
                aid: after.aid,
                ideal: None,
                walks_away: false,
            });
        }
        let streak = after.streak + 1;
        let leverage = party.knob(Knob::Leverage);
        let (mut pressure, mut aid) = (after.pressure, after.aid);
        let others = || after.blockers.iter().filter(|b| b.party != me);
        for b in others() {
            match after.parties[b.party].archetype.lever() {
                Lever::Pressure => pressure += leverage * b.share,
                Lever::Aid => aid += leverage * b.share,
                Lever::None => {}
            }
        }
        // Drift towards the settlement nearest agreement, while anyone else
        // blocks: a share of the way each step, so never past it, and never
        // onto one side's ideal (the nearest settlement lies between the
        // sides' limits).
        let ideal = others().next().map(|_| {
            let drift = party.knob(Knob::Drift);
            let mut ideal: [f64; W] = resized(&party.ideal, 0.0);
            for (own, target) in ideal.iter_mut().zip(after.nearest).take(after.dim) {
                *own += drift * (target - *own);
            }
            // A table of values is the party's own: drift leaves it, and the
            // best option it names, as they are.
            if let Some(v) = party.values.as_deref() {
                for k in (0..after.dim).filter(|&k| v.has(k)) {
                    ideal[k] = party.ideal[k];
                }
            }
            ideal
        });
        let patience = party.knob(Knob::Patience);
        Some(Reaction {
            streak,
            pressure,
            aid,
            ideal,
            walks_away: patience > 0.0 && f64::from(streak) >= patience,
        })
    }

    fn conflicts(sc: &Scenario, p: usize, out: &mut Vec<Conflict>) {
        let party = &sc.parties[p];
        let floor = party.knob(Knob::Floor);
        if floor > party.reservation {
            out.push(Conflict::FloorAboveBar {
                party: party.id.clone(),
                floor,
                bar: party.reservation,
            });
        }
    }
}

/// `base.powf(exponent)`, remembered. A run asks the same few powers at
/// every step (one per quick dealer and step), and a Monte Carlo of many
/// runs asks them again in every run; `powf` is the dearest arithmetic of a
/// step. A small table per thread, indexed by a hash of both arguments'
/// bits, answers a repeated question with the very value `powf` gave, so
/// the result is the same bit for bit, only sooner.
#[inline]
fn power(base: f64, exponent: f64) -> f64 {
    use std::cell::RefCell;
    const SLOTS: usize = 1024;
    thread_local! {
        // (base bits, exponent bits, power); an exponent of 0 never comes
        // (a concession is at most 100), so the empty slots never match.
        static SEEN: RefCell<[(u64, u64, f64); SLOTS]> =
            const { RefCell::new([(0, 0, 0.0); SLOTS]) };
    }
    let (b, e) = (base.to_bits(), exponent.to_bits());
    let slot = ((b ^ e.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize;
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        let (kb, ke, v) = seen[slot % SLOTS];
        if kb == b && ke == e {
            return v;
        }
        let v = base.powf(exponent);
        seen[slot % SLOTS] = (b, e, v);
        v
    })
}

#[cfg(test)]
mod tests {
    use super::power;

    #[test]
    fn a_remembered_power_is_powf_bit_for_bit_even_when_slots_collide() {
        // Far more distinct questions than slots, each asked twice in a
        // row and again after the others have overwritten its slot.
        let questions: Vec<(f64, f64)> = (0..5000)
            .map(|i| (f64::from(i % 97) / 96.0, 0.01 + f64::from(i % 53) * 1.7))
            .collect();
        for _ in 0..2 {
            for &(b, e) in &questions {
                assert_eq!(power(b, e).to_bits(), b.powf(e).to_bits(), "{b}^{e}");
                assert_eq!(power(b, e).to_bits(), b.powf(e).to_bits(), "{b}^{e} again");
            }
        }
    }
}
