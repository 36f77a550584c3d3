//! `quick_deal`: a party that wants a deal by a deadline. Its bar falls
//! from its reservation to its floor by the deadline; after each step
//! without a zone it leans on whoever blocks (leverage), moves its ideal
//! towards the settlement nearest agreement (drift), and walks away once its patience
//! runs out.

use super::{Aftermath, Conflict, Lever, Reaction, Rules, Situation};
use crate::model::{Knob, Party, Scenario};
use crate::zone::MAX_ISSUES;

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
    fn bar(party: &Party, now: &Situation, _ideal: &[f64; MAX_ISSUES]) -> f64 {
        let d = party.knob(Knob::Deadline);
        let deadline = if d > 0.0 {
            d
        } else {
            f64::from(now.scenario.steps)
        };
        let tau = (f64::from(now.step) / deadline).min(1.0);
        let floor = party.knob(Knob::Floor);
        let r0 = party.reservation;
        floor + (r0 - floor) * (1.0 - tau.powf(1.0 / party.knob(Knob::Concession)))
    }

    #[inline]
    fn react(party: &Party, after: &Aftermath) -> Option<Reaction> {
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
            let mut ideal = party.ideal;
            for (own, target) in ideal.iter_mut().zip(&after.nearest).take(after.dim) {
                *own += drift * (target - *own);
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
