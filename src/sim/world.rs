//! The world between steps: the front, pressure and aid move, events fire
//! and change what they target, and event conditions watch the talks.

use super::{Simulation, State};
use crate::model::{Knob, MAX_PARTIES, Observed, Op, Scenario, Target, Trigger, WorldVar};
use crate::rng::{self, Stream};

/// Who has pressure or aid aimed at it (`pressure_on`, `aid_to`). No event
/// changes where a party aims, so this is worked out once per scenario
/// rather than by a search of the parties for every party at every step.
#[derive(Debug, Clone, Copy)]
pub(super) struct Aiming {
    /// Whether any party aims its pressure or aid.
    pub(super) any: bool,
    /// Bit `p` set when party `p` has pressure (aid) aimed at it: one
    /// word, read without a bounds check, for up to 64 parties.
    pressed: u64,
    aided: u64,
}

const _: () = assert!(MAX_PARTIES <= 64, "a party's bit in `Aiming`");

impl Aiming {
    pub(super) fn of(sc: &Scenario) -> Aiming {
        let mut aiming = Aiming {
            any: sc.aims(),
            pressed: 0,
            aided: 0,
        };
        for p in 0..sc.parties.len() {
            aiming.pressed |= u64::from(sc.pressed(p)) << p;
            aiming.aided |= u64::from(sc.aided(p)) << p;
        }
        aiming
    }
}

/// The world as the step's events find it, before any of them changes it:
/// what every condition of the step reads, so an event's effect never
/// triggers another event in the same step.
#[derive(Clone, Copy)]
struct AtStart {
    step: u32,
    front: f64,
    pressure: f64,
    aid: f64,
}

impl<const W: usize, const R: usize> Simulation<'_, W, R> {
    /// What an event's condition watches: the talks' gaps at the step
    /// before (NaN before any talks, so no gap condition holds), the world
    /// as the step began.
    #[inline]
    fn observe(&self, what: Observed, now: &AtStart) -> f64 {
        match what {
            Observed::Gap => self.st.last_gap,
            Observed::BarGap => self.st.last_bar_gap,
            Observed::GapNarrowed => gap_narrowed(self.st.last_gap, self.st.gap_peak),
            Observed::Front => now.front,
            Observed::Pressure => now.pressure,
            Observed::Aid => now.aid,
            Observed::Step => f64::from(now.step),
            // Kept in the buffers (filled as the step began, when the
            // scenario aims some): a copy for every party, on every step,
            // would cost a scenario of many parties that aims none.
            Observed::PressureOf(p) => self.buf.start_own[p].0,
            Observed::AidOf(p) => self.buf.start_own[p].1,
        }
    }

    /// Fires the events due at step `t` (one uniform draw per chance event,
    /// whether or not it can still fire, so the stream stays aligned), in
    /// file order. A fixed-step event is looked at only at a step it is due
    /// at: it has no draw to take, and its steps follow from its trigger.
    #[inline]
    pub(super) fn fire_events(&mut self, t: u32, rng: &mut Stream) {
        let sc = self.sc;
        self.buf.fired.clear();
        let now = AtStart {
            step: t,
            front: self.w(WorldVar::Front),
            pressure: self.w(WorldVar::Pressure),
            aid: self.w(WorldVar::Aid),
        };
        if self.aiming.any {
            self.buf.start_own.clear();
            for p in 0..sc.parties.len() {
                let own = (
                    self.st.felt_pressure(&self.aiming, p),
                    self.st.felt_aid(&self.aiming, p),
                );
                self.buf.start_own.push(own);
            }
        }
        if self.fixed_due(t) {
            for e in 0..sc.events.len() {
                self.consider(e, t, rng, &now);
            }
        } else {
            for i in 0..self.chance_events.len() {
                self.consider(self.chance_events[i], t, rng, &now);
            }
        }
    }

    /// Whether some fixed-step event is due at step `t`. The steps before
    /// the next one are remembered, so that most steps answer without
    /// looking at the events; they depend on the scenario alone, so they
    /// hold across runs.
    #[inline]
    fn fixed_due(&mut self, t: u32) -> bool {
        let (from, until) = self.buf.no_fixed_due;
        if (from..until).contains(&t) {
            return false;
        }
        let next = (self.sc.events.iter())
            .filter_map(|ev| ev.next_fixed_due(t))
            .min();
        match next {
            Some(n) if n == t => true,
            later => {
                self.buf.no_fixed_due = (t, later.unwrap_or(u32::MAX));
                false
            }
        }
    }

    /// Event `e` at step `t`: its draw if it is a chance event, and its
    /// effects if it fires.
    #[inline(always)]
    fn consider(&mut self, e: usize, t: u32, rng: &mut Stream, now: &AtStart) {
        let ev = &self.sc.events[e];
        let due = ev.due(t, self.st.fired[e]);
        let fires = match ev.trigger {
            Trigger::At(_) => due,
            Trigger::Chance {
                probability, when, ..
            } => {
                let u = rng::uniform(rng);
                // The condition is read only when the draw could count.
                due && u < probability
                    && when.is_none_or(|c| c.holds(self.observe(c.variable, now)))
            }
        };
        if fires {
            self.st.fired[e] = Some(t);
            self.buf.fired.push(e);
            if ev.muted_at != Some(t) {
                for fx in &ev.effects {
                    self.apply(fx.target, fx.op);
                }
            }
        }
    }

    /// Records the world as the parties see it this step, and the peaks
    /// their archetypes remember.
    #[inline]
    pub(super) fn observe_world(&mut self) {
        let front = self.w(WorldVar::Front);
        self.st.front_high = self.st.front_high.max(front);
        for p in 0..self.sc.parties.len() {
            let felt = self.st.felt_pressure(&self.aiming, p);
            self.st.pressure_peak[p] = self.st.pressure_peak[p].max(felt);
        }
        self.buf.front = front;
        self.buf.pressure = self.w(WorldVar::Pressure);
        self.buf.aid = self.w(WorldVar::Aid);
        self.buf.own_pressure.clear();
        self.buf.own_aid.clear();
        if self.aiming.any {
            for p in 0..self.sc.parties.len() {
                let (pressure, aid) = (
                    self.st.felt_pressure(&self.aiming, p),
                    self.st.felt_aid(&self.aiming, p),
                );
                self.buf.own_pressure.push(pressure);
                self.buf.own_aid.push(aid);
            }
        }
    }

    #[inline]
    pub(super) fn move_world(&mut self, noise: f64) {
        let sc = self.sc;
        let (mut add_pressure, mut add_aid) = (0.0, 0.0);
        let st = &mut self.st;
        let decay_pressure = 1.0 - st.world[WorldVar::PressureDecay as usize];
        let decay_aid = 1.0 - st.world[WorldVar::AidDecay as usize];
        // What is aimed at a party decays as the world's does (where
        // nobody aims, there is nothing to decay).
        if self.aiming.any {
            for e in &mut st.aimed_pressure {
                *e *= decay_pressure;
            }
            for e in &mut st.aimed_aid {
                *e *= decay_aid;
            }
        }
        // Every party still at the table contributes its pressure and aid,
        // to the world or to the party it aims them at; one that walked
        // away stops.
        for (p, party) in st.parties.iter().enumerate() {
            if st.engaged[p] {
                let pressure = party.knob(Knob::PressurePerStep);
                match party.pressure_on {
                    Some(j) => st.aimed_pressure[j] += pressure,
                    None => add_pressure += pressure,
                }
                let aid = party.knob(Knob::AidPerStep);
                match party.aid_to {
                    Some(j) => st.aimed_aid[j] += aid,
                    None => add_aid += aid,
                }
            }
        }
        if self.aiming.any {
            for e in st.aimed_pressure.iter_mut().chain(&mut st.aimed_aid) {
                *e = e.clamp(0.0, 1.0);
            }
        }
        let w = &mut st.world;
        let pressure =
            (w[WorldVar::Pressure as usize] * decay_pressure + add_pressure + st.leverage_pressure)
                .clamp(0.0, 1.0);
        let aid =
            (w[WorldVar::Aid as usize] * decay_aid + add_aid - st.leverage_aid).clamp(0.0, 1.0);
        w[WorldVar::Pressure as usize] = pressure;
        w[WorldVar::Aid as usize] = aid;
        st.leverage_pressure = 0.0;
        st.leverage_aid = 0.0;
        let (drag_pressure, drag_aid) = self.st.drag(&self.aiming);
        let w = &mut self.st.world;
        let issue = &sc.issues[sc.front_issue];
        let front = (w[WorldVar::Front as usize] + w[WorldVar::Advance as usize]
            - w[WorldVar::PressureDrag as usize] * drag_pressure
            - w[WorldVar::AidDrag as usize] * drag_aid
            + w[WorldVar::Noise as usize] * noise)
            .clamp(issue.min, issue.max);
        w[WorldVar::Front as usize] = front;
    }

    #[inline]
    pub(super) fn apply(&mut self, target: Target, op: Op) {
        let (lo, hi) = self.sc.target_range(target);
        let st = &mut self.st;
        let slot: &mut f64 = match target {
            Target::World(w) => &mut st.world[w as usize],
            Target::Reservation(p) => &mut st.parties[p].reservation,
            Target::Ideal { party, issue } => &mut st.parties[party].ideal[issue],
            Target::Knob { party, knob } => &mut st.parties[party].knobs[knob as usize],
            Target::PerceptionNoise => &mut st.perception_noise,
            Target::Forgetting => &mut st.forgetting,
            // Validation keeps events from targeting events.
            Target::EventProbability(_) => return,
            Target::RedLine { party, line, upper } => {
                let rl = &mut st.parties[party].red_lines[line];
                let bound = if upper { &mut rl.max } else { &mut rl.min };
                if let Some(b) = bound {
                    *b = op.apply(*b).clamp(lo, hi);
                }
                return;
            }
            Target::Engaged(p) => {
                let now = if st.engaged[p] { 1.0 } else { 0.0 };
                st.engaged[p] = op.apply(now) >= 0.5;
                st.no_zone_streak[p] = 0;
                return;
            }
        };
        *slot = op.apply(*slot).clamp(lo, hi);
    }
}

impl State {
    /// The pressure party `p` feels as the world stands: the world's, plus
    /// what is aimed at it if any party aims pressure at it.
    #[inline]
    pub(super) fn felt_pressure(&self, aiming: &Aiming, p: usize) -> f64 {
        let world = self.world[WorldVar::Pressure as usize];
        if aiming.pressed >> p & 1 == 1 {
            (world + self.aimed_pressure[p]).clamp(0.0, 1.0)
        } else {
            world
        }
    }

    /// The aid party `p` feels, as [`State::felt_pressure`].
    #[inline]
    pub(super) fn felt_aid(&self, aiming: &Aiming, p: usize) -> f64 {
        let world = self.world[WorldVar::Aid as usize];
        if aiming.aided >> p & 1 == 1 {
            (world + self.aimed_aid[p]).clamp(0.0, 1.0)
        } else {
            world
        }
    }

    /// The pressure and aid that drag the front: the world's plus all that
    /// is aimed at parties, so aiming decides who feels pressure and aid,
    /// not how hard the front is held back.
    #[inline]
    pub(super) fn drag(&self, aiming: &Aiming) -> (f64, f64) {
        let (pressure, aid) = (
            self.world[WorldVar::Pressure as usize],
            self.world[WorldVar::Aid as usize],
        );
        if aiming.any {
            let aimed = |v: &[f64]| v.iter().sum::<f64>();
            (
                pressure + aimed(&self.aimed_pressure),
                aid + aimed(&self.aimed_aid),
            )
        } else {
            (pressure, aid)
        }
    }
}

/// The share by which the gap of the step before has narrowed from the
/// widest it has been: `(G* - G) / G*`, within [0, 1]; 1 once the gap has
/// closed or when it was never open; NaN before any talks.
fn gap_narrowed(gap: f64, peak: f64) -> f64 {
    if gap.is_nan() {
        f64::NAN
    } else if peak > 0.0 {
        ((peak - gap) / peak).clamp(0.0, 1.0)
    } else {
        1.0
    }
}
