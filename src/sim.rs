//! Stepping the world and the agents: one seeded run of a scenario, returned
//! as a [`Timeline`]. Prints nothing, writes nothing.
//!
//! Each step, in order: the world moves (from step 1 on), events fire, each
//! party's bar, red lines and ideal are derived from the world, the zone is
//! computed among the consenting parties, the mediator proposes and the
//! parties answer, and finally the quick-deal parties react to what blocked
//! the zone (leverage, drift, walking away). The random draws per step are
//! fixed in number and order, so changing a knob leaves the noise alone and
//! two runs differ only by what the knob changes.

use crate::model::params::WORLD_VARS;
use crate::model::{
    Archetype, Knob, Observed, Op, Party, Protocol, Scenario, Target, Trigger, WorldVar,
};
use crate::negotiate::{self, Offer, Proposal};
use crate::rng::{self, Stream};
use crate::zone::{Blocker, Gap, Interval, LineBox, MAX_ISSUES, Solver, Terms, ZONE_TOL};

/// What happened at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub step: u32,
    pub front: f64,
    pub pressure: f64,
    pub aid: f64,
    /// Each party's reservation (its bar), in scenario order.
    pub reservation: Vec<f64>,
    /// Whether each party still takes part.
    pub engaged: Vec<bool>,
    /// Each party's acceptable range on the front issue: every value it
    /// could accept if the other issues went its way (issue units).
    pub ranges: Vec<Option<Interval>>,
    /// The zone's extent on each issue, over all settlements of the other
    /// issues (issue units); `None` when there is no zone.
    pub extent: Option<Vec<Interval>>,
    /// The headline gap: the bar gap where the red lines allow settlements,
    /// positive whenever there is no zone (see `zone::Gap`).
    pub gap: f64,
    /// The bar gap over the settlements the red lines allow (utility).
    pub bar_gap: f64,
    /// On each issue, what the consenting parties' red lines leave (issue
    /// units), and whose lines bound it.
    pub lines: Vec<IssueLines>,
    /// Blocking parties (scenario indices) with their share of the gap: the
    /// red-line wall's if the lines cross, else the bar wall's.
    pub blockers: Vec<Blocker>,
    /// The parties whose red lines cross, and whose bars are apart.
    pub line_blockers: Vec<Blocker>,
    pub bar_blockers: Vec<Blocker>,
    /// The Nash point if the zone exists, else the gap's minimiser (issue units).
    pub point: Vec<f64>,
    pub point_is_nash: bool,
    /// Whether each party accepts `point`.
    pub accepts: Vec<bool>,
    /// Indices of the events that fired at this step.
    pub events: Vec<usize>,
    /// Parties that walked away at the end of this step.
    pub walked_away: Vec<usize>,
    pub proposal: Option<Proposal>,
    /// Every party's terms at this step (normalised units), and which
    /// parties' consent was needed: enough to recompute the zone.
    pub terms: Vec<Terms>,
    pub consenting: Vec<usize>,
}

impl Step {
    pub fn zone_exists(&self) -> bool {
        self.gap <= ZONE_TOL
    }
    /// The zone's extent on one issue, if the zone exists.
    pub fn extent_on(&self, issue: usize) -> Option<Interval> {
        self.extent.as_ref().map(|e| e[issue])
    }
    /// How far the consenting parties' red lines cross on issue `k` (issue
    /// units): positive when they leave no settlement, else minus the room
    /// between them.
    pub fn crossing(&self, k: usize) -> f64 {
        self.lines[k].crossing()
    }
    /// Whether the consenting parties' red lines cross on some issue.
    pub fn lines_cross(&self) -> bool {
        self.lines.iter().any(|l| l.crossing() > 0.0)
    }
    /// Whether `party` blocks the zone at this step.
    pub fn blocks(&self, party: usize) -> bool {
        self.blockers.iter().any(|b| b.party == party)
    }
}

/// What the consenting parties' red lines leave on one issue (issue units):
/// settlements from `least` (the highest lower line, or the issue's min) to
/// `most` (the lowest upper line, or its max), and whose lines those are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueLines {
    pub least: f64,
    pub most: f64,
    /// The party whose lower line is `least`, if a line sets it.
    pub least_by: Option<usize>,
    pub most_by: Option<usize>,
}

impl IssueLines {
    /// Positive: by how much the lines cross; else minus the room left.
    pub fn crossing(&self) -> f64 {
        self.least - self.most
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Deal {
        step: u32,
        settlement: Vec<f64>,
    },
    /// A zone existed at some step but no proposal was accepted.
    Missed {
        first_zone: u32,
    },
    NoZone,
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Deal { .. } => "deal",
            Outcome::Missed { .. } => "zone appeared but was missed",
            Outcome::NoZone => "no zone ever appeared",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub seed: u64,
    pub steps: Vec<Step>,
    pub outcome: Outcome,
}

impl Timeline {
    pub fn first_zone(&self) -> Option<u32> {
        self.steps.iter().find(|s| s.zone_exists()).map(|s| s.step)
    }
}

/// Mutable per-run state; the scenario itself is never modified.
struct State {
    world: [f64; WORLD_VARS],
    parties: Vec<Party>,
    engaged: Vec<bool>,
    perception_noise: f64,
    forgetting: f64,
    /// What the mediator has learnt about each party's bar: an interval it
    /// believes the bar lies in.
    beliefs: Vec<Interval>,
    fired: Vec<bool>,
    /// The gaps of the step before, for events' conditions.
    last_gap: f64,
    last_bar_gap: f64,
    front_high: f64,
    pressure_peak: f64,
    no_zone_streak: Vec<u32>,
    leverage_pressure: f64,
    leverage_aid: f64,
}

/// One run of `scenario` under `seed` (run number 0 of that seed).
pub fn run(scenario: &Scenario, seed: u64) -> Timeline {
    run_stream(scenario, seed, &mut rng::stream(seed, 0))
}

/// One run drawing from a given stream (Monte Carlo passes run streams).
pub fn run_stream(scenario: &Scenario, seed: u64, rng: &mut Stream) -> Timeline {
    run_until(scenario, seed, rng, scenario.steps)
}

/// A run stopped after `steps` steps (or at a deal, or at the horizon).
pub fn run_until(scenario: &Scenario, seed: u64, rng: &mut Stream, steps: u32) -> Timeline {
    let mut sim = Simulation::new(scenario);
    let mut steps_out = Vec::with_capacity(scenario.steps.min(steps) as usize);
    let mut outcome = Outcome::NoZone;
    for t in 0..scenario.steps.min(steps) {
        let step = sim.step(t, rng);
        if step.zone_exists() && outcome == Outcome::NoZone {
            outcome = Outcome::Missed { first_zone: t };
        }
        let deal = step
            .proposal
            .as_ref()
            .filter(|p| p.deal)
            .map(|p| p.point.clone());
        steps_out.push(step);
        if let Some(settlement) = deal {
            outcome = Outcome::Deal {
                step: t,
                settlement,
            };
            break;
        }
    }
    Timeline {
        seed,
        steps: steps_out,
        outcome,
    }
}

/// A run in progress.
pub struct Simulation<'a> {
    sc: &'a Scenario,
    st: State,
    solver: Solver,
    dim: usize,
    buf: Buffers,
    normals: rng::Normals,
}

/// The essentials of one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Core {
    pub gap: f64,
    pub zone: bool,
    /// Where the gap is attained (normalised units).
    pub minimiser: [f64; MAX_ISSUES],
    /// The settlement, if the step ended in a deal (normalised units).
    pub deal: Option<[f64; MAX_ISSUES]>,
}

/// Per-step details, kept between steps so that their memory is reused.
#[derive(Debug, Default)]
struct Buffers {
    front: f64,
    pressure: f64,
    aid: f64,
    fired: Vec<usize>,
    terms: Vec<Terms>,
    consenting: Vec<usize>,
    veto_terms: Vec<Terms>,
    perceived: Vec<Terms>,
    perception: Vec<f64>,
    blockers: Vec<Blocker>,
    line_blockers: Vec<Blocker>,
    bar_blockers: Vec<Blocker>,
    bars: f64,
    /// The red lines' worst crossing this step (normalised).
    lines: f64,
    walked: Vec<usize>,
    proposal: Option<Offer>,
    all_consent: bool,
    /// The consenting parties' tactics, under alternating offers.
    tactics: Vec<negotiate::Tactic>,
}

impl Buffers {
    /// The consenting parties' terms, as the step loop keeps them.
    fn consent_terms(&self) -> &[Terms] {
        if self.all_consent {
            &self.terms
        } else {
            &self.veto_terms
        }
    }
}

impl<'a> Simulation<'a> {
    pub fn new(sc: &'a Scenario) -> Self {
        let n = sc.parties.len();
        Simulation {
            sc,
            st: State {
                world: sc.world,
                parties: sc.parties.clone(),
                engaged: vec![true; n],
                perception_noise: sc.perception_noise,
                forgetting: sc.forgetting,
                beliefs: vec![Interval::new(0.0, 1.0); n],
                fired: vec![false; sc.events.len()],
                last_gap: f64::NAN,
                last_bar_gap: f64::NAN,
                front_high: sc.world[WorldVar::Front as usize],
                pressure_peak: sc.world[WorldVar::Pressure as usize],
                no_zone_streak: vec![0; n],
                leverage_pressure: 0.0,
                leverage_aid: 0.0,
            },
            solver: Solver::default(),
            dim: sc.issues.len(),
            buf: Buffers::default(),
            normals: rng::Normals::default(),
        }
    }

    /// Back to step 0, keeping the memory of the previous run.
    pub fn reset(&mut self) {
        let sc = self.sc;
        let st = &mut self.st;
        st.world = sc.world;
        st.parties.clone_from(&sc.parties);
        st.engaged.iter_mut().for_each(|e| *e = true);
        st.perception_noise = sc.perception_noise;
        st.forgetting = sc.forgetting;
        st.beliefs
            .iter_mut()
            .for_each(|b| *b = Interval::new(0.0, 1.0));
        st.fired.iter_mut().for_each(|f| *f = false);
        st.last_gap = f64::NAN;
        st.last_bar_gap = f64::NAN;
        st.front_high = sc.world[WorldVar::Front as usize];
        st.pressure_peak = sc.world[WorldVar::Pressure as usize];
        st.no_zone_streak.iter_mut().for_each(|s| *s = 0);
        st.leverage_pressure = 0.0;
        st.leverage_aid = 0.0;
        self.solver.forget();
        self.normals = rng::Normals::default();
    }

    /// The scenario's horizon.
    pub fn steps(&self) -> u32 {
        self.sc.steps
    }

    /// How many parties the scenario has.
    pub fn parties(&self) -> usize {
        self.sc.parties.len()
    }

    /// The events fired by the last [`Simulation::advance`], in file order
    /// (what a per-run record of many runs reads without a full [`Step`]).
    pub fn fired(&self) -> &[usize] {
        &self.buf.fired
    }

    /// The parties closing the zone at the last [`Simulation::advance`].
    pub fn blockers(&self) -> &[Blocker] {
        &self.buf.blockers
    }

    /// What an event's condition watches: the talks' gaps at the step
    /// before (NaN before any talks, so no gap condition holds), the world
    /// as it stands.
    fn observe(&self, what: Observed) -> f64 {
        match what {
            Observed::Gap => self.st.last_gap,
            Observed::BarGap => self.st.last_bar_gap,
            Observed::Front => self.w(WorldVar::Front),
            Observed::Pressure => self.w(WorldVar::Pressure),
            Observed::Aid => self.w(WorldVar::Aid),
        }
    }

    fn w(&self, v: WorldVar) -> f64 {
        self.st.world[v as usize]
    }

    /// Advances to step `t` and returns what happened there, in full.
    pub fn step(&mut self, t: u32, rng: &mut Stream) -> Step {
        let core = self.advance(t, rng);
        let sc = self.sc;
        let fi = sc.front_issue;
        let issue = &sc.issues[fi];
        let to_units = |y: Interval| y.map(|v| issue.denormalise(v));
        let (nash, extent) = self.record_zone(&core);
        let lines = self.lines();
        let b = &self.buf;
        let y = nash.unwrap_or(core.minimiser);
        let proposal = b.proposal.map(|offer| Proposal {
            point: self.to_units(&offer.point),
            accepted_by: b
                .consenting
                .iter()
                .enumerate()
                .filter(|&(i, _)| offer.accepted_by >> i & 1 == 1)
                .map(|(_, &p)| p)
                .collect(),
            deal: offer.deal,
        });
        Step {
            step: t,
            front: b.front,
            pressure: b.pressure,
            aid: b.aid,
            reservation: b.terms.iter().map(|tm| tm.reservation).collect(),
            engaged: self.st.engaged.clone(),
            ranges: b
                .terms
                .iter()
                .map(|tm| tm.acceptable_range(self.dim, fi).map(to_units))
                .collect(),
            extent: extent.map(|e| {
                (e.into_iter().enumerate())
                    .map(|(k, x)| x.map(|v| sc.issues[k].denormalise(v)))
                    .collect()
            }),
            gap: core.gap,
            bar_gap: b.bars,
            lines,
            blockers: b.blockers.clone(),
            line_blockers: b.line_blockers.clone(),
            bar_blockers: b.bar_blockers.clone(),
            point: self.to_units(&y),
            point_is_nash: nash.is_some(),
            accepts: b.terms.iter().map(|tm| tm.accepts(self.dim, &y)).collect(),
            events: b.fired.clone(),
            walked_away: b.walked.clone(),
            proposal,
            terms: b.terms.clone(),
            consenting: b.consenting.clone(),
        }
    }

    /// The Nash point and the zone's extent on every issue (normalised),
    /// which only the recorded step needs: the gap and its minimiser are
    /// already known from `advance`.
    fn record_zone(&mut self, core: &Core) -> (Option<[f64; MAX_ISSUES]>, Option<Vec<Interval>>) {
        let veto_terms = self.buf.consent_terms();
        if veto_terms.is_empty() {
            let whole = vec![Interval::new(0.0, 1.0); self.dim];
            return (Some([0.5; MAX_ISSUES]), Some(whole));
        }
        if !core.zone {
            return (None, None);
        }
        let nash = self
            .solver
            .nash(self.dim, veto_terms, core.gap, &core.minimiser);
        let extent: Option<Vec<Interval>> = (0..self.dim)
            .map(|k| self.solver.extent(self.dim, veto_terms, k, core.gap))
            .collect();
        (Some(nash), extent)
    }

    /// What the consenting parties' red lines leave on each issue, in issue
    /// units, with the parties whose lines bound it.
    fn lines(&self) -> Vec<IssueLines> {
        let b = &self.buf;
        let lines = LineBox::of(self.dim, b.consent_terms());
        let party = |i: Option<usize>| i.map(|i| b.consenting[i]);
        (0..self.dim)
            .map(|k| {
                let issue = &self.sc.issues[k];
                IssueLines {
                    least: issue.denormalise(lines.low[k]),
                    most: issue.denormalise(lines.high[k]),
                    least_by: party(lines.low_owner[k]),
                    most_by: party(lines.high_owner[k]),
                }
            })
            .collect()
    }

    /// Advances to step `t`: the world, events, the parties' terms, the gap,
    /// the mediator's proposal and the reactions. Keeps the details in
    /// reusable buffers and allocates nothing once warmed up, so that Monte
    /// Carlo runs pay only for the model's arithmetic.
    pub fn advance(&mut self, t: u32, rng: &mut Stream) -> Core {
        let front_noise = self.normals.next(rng);
        if t > 0 {
            self.move_world(front_noise);
        }
        self.fire_events(t, rng);
        self.observe_world();
        self.derive_terms(t);
        self.draw_perception(rng);
        let gap = self.solve_gap();
        self.st.last_gap = gap.value;
        self.st.last_bar_gap = gap.bars;
        self.buf.proposal = match self.sc.protocol {
            Protocol::Mediated => self.mediate(),
            Protocol::AlternatingOffers => self.alternate(t),
        };
        let deal = self.buf.proposal.filter(|p| p.deal).map(|p| p.point);
        self.buf.walked.clear();
        if deal.is_none() {
            self.react(gap.value);
        }
        Core {
            gap: gap.value,
            zone: gap.opens(),
            minimiser: gap.minimiser,
            deal,
        }
    }

    /// Fires the events due at step `t` (one uniform draw per chance event,
    /// whether or not it can still fire, so the stream stays aligned).
    fn fire_events(&mut self, t: u32, rng: &mut Stream) {
        let sc = self.sc;
        self.buf.fired.clear();
        for (e, ev) in sc.events.iter().enumerate() {
            let fires = match ev.trigger {
                Trigger::At(s) => s == t,
                Trigger::Chance {
                    probability,
                    from,
                    until,
                    when,
                } => {
                    let u = rng::uniform(rng);
                    let holds = when.is_none_or(|c| c.holds(self.observe(c.variable)));
                    !self.st.fired[e] && (from..=until).contains(&t) && holds && u < probability
                }
            };
            if fires {
                self.st.fired[e] = true;
                self.buf.fired.push(e);
                for fx in &ev.effects {
                    self.apply(fx.target, fx.op);
                }
            }
        }
    }

    /// Records the world as the parties see it this step, and the peaks
    /// their archetypes remember.
    fn observe_world(&mut self) {
        let front = self.w(WorldVar::Front);
        let pressure = self.w(WorldVar::Pressure);
        self.st.front_high = self.st.front_high.max(front);
        self.st.pressure_peak = self.st.pressure_peak.max(pressure);
        self.buf.front = front;
        self.buf.pressure = pressure;
        self.buf.aid = self.w(WorldVar::Aid);
    }

    /// Every party's terms at step `t`, and which parties' consent a deal
    /// needs.
    fn derive_terms(&mut self, t: u32) {
        let sc = self.sc;
        let n = sc.parties.len();
        self.buf
            .terms
            .resize(n, Terms::new([0.0; MAX_ISSUES], [0.0; MAX_ISSUES], 0.0));
        for p in 0..n {
            fill_terms(sc, &self.st, p, t, &mut self.buf.terms[p]);
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
                self.buf.veto_terms.push(self.buf.terms[p]);
            }
        }
    }

    /// The mediator's misreading of each party's bar this step (one normal
    /// draw per party, used or not).
    fn draw_perception(&mut self, rng: &mut Stream) {
        self.buf.perception.clear();
        for _ in 0..self.sc.parties.len() {
            self.buf.perception.push(self.normals.next(rng));
        }
    }

    /// The gap among the consenting parties, with the blockers recorded.
    fn solve_gap(&mut self) -> Gap {
        let b = &mut self.buf;
        let veto = if b.all_consent {
            &b.terms
        } else {
            &b.veto_terms
        };
        b.blockers.clear();
        b.line_blockers.clear();
        b.bar_blockers.clear();
        if veto.is_empty() {
            // Nobody's consent is needed any more: anything goes.
            b.bars = -1.0;
            b.lines = -1.0;
            return Gap {
                value: -1.0,
                minimiser: [0.5; MAX_ISSUES],
                bars: -1.0,
                lines: -1.0,
            };
        }
        let gap = self.solver.gap_only(self.dim, veto);
        b.bars = gap.bars;
        b.lines = gap.lines;
        let to_party = |x: &Blocker| Blocker {
            party: b.consenting[x.party],
            share: x.share,
        };
        b.blockers
            .extend(self.solver.blockers().iter().map(to_party));
        b.line_blockers
            .extend(self.solver.line_blockers().iter().map(to_party));
        b.bar_blockers
            .extend(self.solver.bar_blockers().iter().map(to_party));
        gap
    }

    fn to_units(&self, y: &[f64; MAX_ISSUES]) -> Vec<f64> {
        self.sc
            .issues
            .iter()
            .enumerate()
            .map(|(k, i)| i.denormalise(y[k]))
            .collect()
    }

    fn move_world(&mut self, noise: f64) {
        let sc = self.sc;
        let (mut add_pressure, mut add_aid) = (0.0, 0.0);
        // Every party still at the table contributes its pressure and aid;
        // one that walked away stops.
        for (p, party) in self.st.parties.iter().enumerate() {
            if self.st.engaged[p] {
                add_pressure += party.knob(Knob::PressurePerStep);
                add_aid += party.knob(Knob::AidPerStep);
            }
        }
        let w = &mut self.st.world;
        let pressure = (w[WorldVar::Pressure as usize]
            * (1.0 - w[WorldVar::PressureDecay as usize])
            + add_pressure
            + self.st.leverage_pressure)
            .clamp(0.0, 1.0);
        let aid = (w[WorldVar::Aid as usize] * (1.0 - w[WorldVar::AidDecay as usize]) + add_aid
            - self.st.leverage_aid)
            .clamp(0.0, 1.0);
        let issue = &sc.issues[sc.front_issue];
        let front = (w[WorldVar::Front as usize] + w[WorldVar::Advance as usize]
            - w[WorldVar::PressureDrag as usize] * pressure
            - w[WorldVar::AidDrag as usize] * aid
            + w[WorldVar::Noise as usize] * noise)
            .clamp(issue.min, issue.max);
        w[WorldVar::Pressure as usize] = pressure;
        w[WorldVar::Aid as usize] = aid;
        w[WorldVar::Front as usize] = front;
        self.st.leverage_pressure = 0.0;
        self.st.leverage_aid = 0.0;
    }

    fn apply(&mut self, target: Target, op: Op) {
        let (lo, hi) = self.sc.target_range(target);
        let st = &mut self.st;
        let slot: &mut f64 = match target {
            Target::World(w) => &mut st.world[w as usize],
            Target::Reservation(p) => &mut st.parties[p].reservation,
            Target::Ideal { party, issue } => &mut st.parties[party].ideal[issue],
            Target::Knob { party, knob } => &mut st.parties[party].knobs[knob as usize],
            Target::PerceptionNoise => &mut st.perception_noise,
            Target::Forgetting => &mut st.forgetting,
            // Validation keeps events from targeting events or red lines.
            Target::EventProbability(_) | Target::RedLine { .. } => return,
            Target::Engaged(p) => {
                let now = if st.engaged[p] { 1.0 } else { 0.0 };
                st.engaged[p] = op.apply(now) >= 0.5;
                st.no_zone_streak[p] = 0;
                return;
            }
        };
        *slot = op.apply(*slot).clamp(lo, hi);
    }

    /// One turn of alternating offers: the consenting parties take turns in
    /// the scenario's order, the time running from 0 at step 0 to 1 at the
    /// last step of the horizon.
    fn alternate(&mut self, t: u32) -> Option<Offer> {
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
    fn mediate(&mut self) -> Option<Offer> {
        let learning = self.sc.learning;
        let b = &mut self.buf;
        let veto = if b.all_consent {
            &b.terms
        } else {
            &b.veto_terms
        };
        if veto.is_empty() {
            return None;
        }
        let mediator = self.sc.mediator;
        if mediator.is_some_and(|m| !self.st.engaged[m]) {
            return None;
        }
        // Red lines are public and seen as they are: if they alone keep the
        // parties apart, no misjudged bar can make the mediator see a zone.
        if b.lines > ZONE_TOL {
            return None;
        }
        if learning {
            forget(&mut self.st.beliefs, self.st.forgetting);
        }
        let noise = self.st.perception_noise;
        b.perceived.clear();
        for (&p, tm) in b.consenting.iter().zip(veto) {
            let mut seen = *tm;
            if Some(p) != mediator {
                let reading = (tm.reservation + noise * b.perception[p]).clamp(0.0, 1.0);
                seen.reservation = if learning {
                    believed(reading, &mut self.st.beliefs[p], noise)
                } else {
                    reading
                };
            }
            b.perceived.push(seen);
        }
        let offer = negotiate::propose(&mut self.solver, self.dim, &b.perceived, veto, learning)?;
        if learning {
            learn(&mut self.st.beliefs, &b.consenting, veto, self.dim, &offer);
        }
        Some(offer)
    }

    /// The quick-deal parties' reaction to a step without agreement.
    fn react(&mut self, gap: f64) {
        let blockers = &self.buf.blockers;
        let walked = &mut self.buf.walked;
        let zone_exists = gap <= crate::zone::ZONE_TOL;
        for p in 0..self.st.parties.len() {
            if self.st.parties[p].archetype != Archetype::QuickDeal || !self.st.engaged[p] {
                continue;
            }
            if zone_exists {
                self.st.no_zone_streak[p] = 0;
                continue;
            }
            self.st.no_zone_streak[p] += 1;
            let leverage = self.st.parties[p].knob(Knob::Leverage);
            for b in blockers.iter().filter(|b| b.party != p) {
                match self.st.parties[b.party].archetype {
                    Archetype::PoliticalVictory => self.st.leverage_pressure += leverage * b.share,
                    Archetype::SustainedPressure => self.st.leverage_aid += leverage * b.share,
                    // Leverage works on goals, not on a reckoning of war.
                    Archetype::QuickDeal | Archetype::WarBargaining => {}
                }
            }
            // Drift towards whoever blocks most (the last one talked to).
            let main = blockers
                .iter()
                .filter(|b| b.party != p)
                .max_by(|a, b| a.share.total_cmp(&b.share))
                .map(|b| b.party);
            if let Some(b) = main {
                let drift = self.st.parties[p].knob(Knob::Drift);
                for k in 0..self.dim {
                    let target = self.st.parties[b].ideal[k];
                    let own = &mut self.st.parties[p].ideal[k];
                    *own += drift * (target - *own);
                }
            }
            let patience = self.st.parties[p].knob(Knob::Patience);
            if patience > 0.0 && f64::from(self.st.no_zone_streak[p]) >= patience {
                self.st.engaged[p] = false;
                walked.push(p);
            }
        }
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
        *belief = Interval::new(0.0, 1.0);
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
fn learn(
    beliefs: &mut [Interval],
    consenting: &[usize],
    terms: &[Terms],
    dim: usize,
    offer: &Offer,
) {
    for (i, (&p, t)) in consenting.iter().zip(terms).enumerate() {
        let u = t.utility(dim, &offer.point);
        let b = &mut beliefs[p];
        if offer.accepted_by >> i & 1 == 1 {
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

/// How far a sustained-pressure party's red lines on the front issue give
/// way at this level of aid (front issue's units): `line_give` in
/// proportion to how far aid has fallen below `aid_threshold`, the mirror
/// of a political victor's claim shrinking under pressure.
fn line_give(party: &Party, aid: f64) -> f64 {
    let threshold = party.knob(Knob::AidThreshold);
    if party.archetype != Archetype::SustainedPressure || threshold <= 0.0 {
        return 0.0;
    }
    party.knob(Knob::LineGive) * (1.0 - aid / threshold).max(0.0)
}

/// Fearon's value of war to a party: the utility of the settlement fighting
/// on would reach after `lookahead` steps (the front moved by its expected
/// drift under today's pressure and aid, every other issue at its status
/// quo), less the cost of those steps. `ideal` is normalised.
pub fn war_value(sc: &Scenario, world: &[f64], party: &Party, ideal: &[f64]) -> f64 {
    let w = |v: WorldVar| world[v as usize];
    let look = party.knob(Knob::Lookahead);
    let drift = w(WorldVar::Advance)
        - w(WorldVar::PressureDrag) * w(WorldVar::Pressure)
        - w(WorldVar::AidDrag) * w(WorldVar::Aid);
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
            party.weight[k] * (i.normalise(at) - ideal[k]).abs()
        })
        .sum();
    1.0 - loss - party.knob(Knob::CostPerStep) * look
}

/// A party's terms at step `t`, in normalised units, written in place
/// (the step loop fills its buffer without copying them around).
fn fill_terms(sc: &Scenario, st: &State, p: usize, t: u32, terms: &mut Terms) {
    let party = &st.parties[p];
    let fi = sc.front_issue;
    let front_issue = &sc.issues[fi];
    let w = |v: WorldVar| st.world[v as usize];
    let front = w(WorldVar::Front);
    let pressure = w(WorldVar::Pressure);
    let (p0, a0, f0) = (
        sc.world[WorldVar::Pressure as usize],
        sc.world[WorldVar::Aid as usize],
        sc.world[WorldVar::Front as usize],
    );
    for (k, i) in sc.issues.iter().enumerate() {
        terms.ideal[k] = i.normalise(party.ideal[k]);
    }
    let r0 = party.reservation;
    let reservation = match party.archetype {
        Archetype::QuickDeal => {
            let d = party.knob(Knob::Deadline);
            let deadline = if d > 0.0 { d } else { f64::from(sc.steps) };
            let tau = (f64::from(t) / deadline).min(1.0);
            let floor = party.knob(Knob::Floor);
            floor + (r0 - floor) * (1.0 - tau.powf(1.0 / party.knob(Knob::Concession)))
        }
        Archetype::PoliticalVictory => {
            r0 + party.knob(Knob::Confidence) * (front - f0) / front_issue.range()
                - party.knob(Knob::PressureSensitivity) * (pressure - p0)
                + party.knob(Knob::Stall) * (st.pressure_peak - pressure)
        }
        Archetype::SustainedPressure => {
            r0 + party.knob(Knob::Resolve) * (pressure - p0)
                - party.knob(Knob::AidDependence) * (a0 - w(WorldVar::Aid)).max(0.0)
        }
        Archetype::WarBargaining => war_value(sc, &st.world, party, &terms.ideal),
    }
    .clamp(0.0, 1.0);
    terms.reservation = reservation;
    terms.weight = party.weight;
    terms.lower = [f64::NEG_INFINITY; MAX_ISSUES];
    terms.upper = [f64::INFINITY; MAX_ISSUES];
    let give = line_give(party, w(WorldVar::Aid));
    for rl in &party.red_lines {
        let issue = &sc.issues[rl.issue];
        let base = if rl.follows_front { front } else { 0.0 };
        // Lines on the front issue give way as aid fails: a lower line
        // moves down, an upper line up.
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
    if party.archetype == Archetype::PoliticalVictory {
        // The victory threshold: with no pressure, the front's furthest
        // point (it never gives back ground) plus its margin; pressure
        // wears both down, to the current line at breaking pressure.
        let relief = (1.0 - pressure / party.knob(Knob::BreakingPressure)).max(0.0);
        let claim = st.front_high - front + party.knob(Knob::VictoryMargin);
        let demand = front + claim * relief;
        terms.lower[fi] = terms.lower[fi].max(front_issue.normalise(demand));
    }
}
