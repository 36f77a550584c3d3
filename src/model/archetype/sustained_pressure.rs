//! `sustained_pressure`: a party that holds out while pressure on the other
//! side seems to work and depends on aid. Its bar rises as pressure builds
//! (resolve) and falls as aid drops below its starting level (aid
//! dependence); its red lines on the front issue give way as aid falls
//! below a threshold. A quick dealer's leverage on it is aid withheld.

use super::{Lever, Reads, Rules, Situation};
use crate::model::{Knob, Party, WorldVar};

pub struct SustainedPressure;

impl Rules for SustainedPressure {
    const NAME: &'static str = "sustained_pressure";
    const GOAL: &'static str = "wants to keep up the pressure until the other side gives way";
    const KNOBS: &'static [Knob] = &[
        Knob::PressurePerStep,
        Knob::AidPerStep,
        Knob::Resolve,
        Knob::AidDependence,
        Knob::AidThreshold,
        Knob::LineGive,
        Knob::TacticE,
        Knob::TacticK,
    ];
    const LEVER: Lever = Lever::Aid;
    const READS: Reads = Reads {
        pressure: true,
        aid: true,
    };

    #[inline]
    fn bar<const W: usize>(party: &Party, base: f64, now: &Situation, _ideal: &[f64; W]) -> f64 {
        let pressure = now.pressure;
        let lost_aid = (now.start(WorldVar::Aid) - now.aid).max(0.0);
        base + party.knob(Knob::Resolve) * (pressure - now.start(WorldVar::Pressure))
            - party.knob(Knob::AidDependence) * lost_aid
    }

    /// `line_give` in proportion to how far aid has fallen below
    /// `aid_threshold`: the mirror of a political victor's claim shrinking
    /// under pressure.
    #[inline]
    fn line_give(party: &Party, now: &Situation) -> f64 {
        let threshold = party.knob(Knob::AidThreshold);
        if threshold <= 0.0 {
            return 0.0;
        }
        let aid = now.aid;
        party.knob(Knob::LineGive) * (1.0 - aid / threshold).max(0.0)
    }
}
