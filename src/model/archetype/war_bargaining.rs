//! `war_bargaining`: Fearon's bargaining model of war. The bar is the
//! value of fighting on: the utility of the settlement the war would reach
//! after `lookahead` steps, less their cost. So the `reservation` every
//! other archetype starts from is not read; it needs a front line to fight
//! over and a status quo on every other issue. Leverage works on goals, not
//! on a reckoning of war: a quick dealer has none on it.

use super::{Conflict, Field, Rules, Situation, Unread};
use crate::model::{Knob, Party, Scenario, WorldVar};

pub struct WarBargaining;

impl Rules for WarBargaining {
    const NAME: &'static str = "war_bargaining";
    const GOAL: &'static str = "weighs any deal against what it expects from fighting on";
    const KNOBS: &'static [Knob] = &[
        Knob::Lookahead,
        Knob::CostPerStep,
        Knob::PressurePerStep,
        Knob::AidPerStep,
        Knob::TacticE,
        Knob::TacticK,
    ];
    const UNREAD: &'static [Unread] = &[Unread {
        field: Field::Reservation,
        why: "its bar is the value of fighting on, worked out each step from the front, \
              its lookahead and its cost per step",
        instead: &[Knob::Lookahead, Knob::CostPerStep],
    }];

    /// The utility of the settlement fighting on would reach after
    /// `lookahead` steps (the front moved by its expected drift under
    /// today's pressure and aid, every other issue at its status quo), less
    /// the cost of those steps.
    #[inline]
    fn bar<const W: usize>(party: &Party, _base: f64, now: &Situation, ideal: &[f64; W]) -> f64 {
        let sc = now.scenario;
        let w = |v: WorldVar| now.now(v);
        let look = party.knob(Knob::Lookahead);
        // The front feels all the pressure and aid in the world, aimed at a
        // party or not.
        let drift = w(WorldVar::Advance)
            - w(WorldVar::PressureDrag) * now.drag_pressure
            - w(WorldVar::AidDrag) * now.drag_aid;
        let fi = sc.front_issue;
        let front = &sc.issues[fi];
        let expected = (w(WorldVar::Front) + drift * look).clamp(front.min, front.max);
        let loss: f64 = sc
            .issues
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let at = if k == fi {
                    expected
                } else {
                    i.status_quo.unwrap_or(i.min)
                };
                let table = party
                    .values
                    .as_deref()
                    .and_then(|v| v.loss(k, i.normalise(at)));
                party.weight[k] * table.unwrap_or_else(|| (i.normalise(at) - ideal[k]).abs())
            })
            .sum();
        1.0 - loss - party.knob(Knob::CostPerStep) * look
    }

    fn conflicts(sc: &Scenario, p: usize, out: &mut Vec<Conflict>) {
        let party = &sc.parties[p];
        let id = &party.id;
        if !sc.has_front {
            out.push(Conflict::WarWithoutFront { party: id.clone() });
        }
        let lookahead = party.knob(Knob::Lookahead);
        if lookahead > f64::from(sc.steps) {
            out.push(Conflict::LookaheadBeyondHorizon {
                party: id.clone(),
                lookahead,
                steps: sc.steps,
            });
        }
        for (k, i) in sc.issues.iter().enumerate() {
            if k != sc.front_issue && i.status_quo.is_none() {
                out.push(Conflict::NoStatusQuo {
                    issue: k,
                    issue_id: i.id.clone(),
                    party: id.clone(),
                    min: i.min,
                    max: i.max,
                });
            }
        }
    }
}
