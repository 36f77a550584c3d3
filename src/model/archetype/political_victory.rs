//! `political_victory`: a party that wants a result it can call a victory.
//! Its bar rises as the front advances (confidence) and when pressure eases
//! below its peak (stall), and falls as pressure rises (sensitivity); its
//! goal puts a threshold on the front issue, the front's furthest point
//! plus a margin, that pressure wears down to the current line. A quick
//! dealer's leverage on it is pressure.

use super::{Conflict, Lever, Reads, Rules, Situation};
use crate::model::{Knob, Party, Scenario, WorldVar};

pub struct PoliticalVictory;

impl Rules for PoliticalVictory {
    const NAME: &'static str = "political_victory";
    const GOAL: &'static str =
        "wants a result it can present as a victory, and settles only under enough pressure";
    const KNOBS: &'static [Knob] = &[
        Knob::VictoryMargin,
        Knob::BreakingPressure,
        Knob::PressureSensitivity,
        Knob::Confidence,
        Knob::Stall,
        Knob::PressurePerStep,
        Knob::AidPerStep,
        Knob::TacticE,
        Knob::TacticK,
    ];
    const LEVER: Lever = Lever::Pressure;
    const READS: Reads = Reads {
        pressure: true,
        aid: false,
    };

    #[inline]
    fn bar<const W: usize>(party: &Party, base: f64, now: &Situation, _ideal: &[f64; W]) -> f64 {
        let sc = now.scenario;
        let front_range = sc.issues[sc.front_issue].range();
        let front = now.now(WorldVar::Front);
        let pressure = now.pressure;
        base + party.knob(Knob::Confidence) * (front - now.start(WorldVar::Front)) / front_range
            - party.knob(Knob::PressureSensitivity) * (pressure - now.start(WorldVar::Pressure))
            + party.knob(Knob::Stall) * (now.pressure_peak - pressure)
    }

    /// The victory threshold: with no pressure, the front's furthest point
    /// (it never gives back ground) plus its margin; pressure wears both
    /// down, to the current line at breaking pressure.
    #[inline]
    fn front_demand(party: &Party, now: &Situation) -> Option<f64> {
        let front = now.now(WorldVar::Front);
        let pressure = now.pressure;
        let relief = (1.0 - pressure / party.knob(Knob::BreakingPressure)).max(0.0);
        let claim = now.front_high - front + party.knob(Knob::VictoryMargin);
        Some(front + claim * relief)
    }

    /// Its threshold is a floor at the front: an ideal at the bottom of
    /// the issue (`"less"`) would have it claim more and want less.
    fn conflicts(sc: &Scenario, p: usize, out: &mut Vec<Conflict>) {
        let party = &sc.parties[p];
        let f = sc.front_issue;
        let issue = &sc.issues[f];
        let ideal = party.ideal[f];
        if ideal <= issue.min {
            out.push(Conflict::VictoryWantsLess {
                party: party.id.clone(),
                issue: f,
                issue_id: issue.id.clone(),
                ideal,
            });
        }
    }
}
