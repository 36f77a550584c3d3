//! Stepping the world and the agents: one seeded run of a scenario, returned
//! as a [`Timeline`]. Prints nothing, writes nothing.
//!
//! Each step, in order: the world moves (from step 1 on), events fire, each
//! party's bar, red lines and ideal are derived from the world, the zone is
//! computed among the consenting parties, the mediator proposes and the
//! parties answer, and finally the parties react to what blocked the zone
//! (a quick dealer's leverage, drift, walking away). What a party's terms
//! and reactions are is its archetype's to say (`model::archetype`); this
//! module keeps the state and the order. The random draws per step are
//! fixed in number and order, so changing a knob leaves the noise alone and
//! two runs differ only by what the knob changes.
//!
//! `mod.rs` holds the step loop, `parties.rs` the parties' terms and
//! reactions, `world.rs` the world and the events, `mediator.rs` who puts
//! a settlement on the table, `record.rs` what a run leaves behind.

mod mediator;
mod parties;
mod record;
mod world;

pub(crate) use record::near_least;
pub use record::{Core, IssueLines, Outcome, Step, Timeline, extreme_gap};

use crate::model::params::WORLD_VARS;
use crate::model::{Party, Protocol, Scenario, Trigger, WorldVar};
use crate::negotiate::{self, Offer, Proposal};
use crate::rng::{self, Stream};
use crate::zone::{Blocker, Blocking, Gap, Interval, LineBox, MAX_ISSUES, Solver, Terms};

/// The widest a run's arrays are at the limits the format once had: a
/// scenario within them runs on arrays of this width, so the common case
/// pays nothing for the largest.
pub const NARROW: usize = 4;

/// The gap when nobody's consent is needed any more (every party with a
/// veto has walked away): anything goes, by a clear margin.
const NOBODY_TO_CONVINCE: f64 = -1.0;

/// The middle of every issue's range (normalised): the settlement recorded
/// when nobody's consent is needed.
const MIDDLE: f64 = 0.5;

/// What a mediator that has learnt nothing believes of a bar: anywhere.
const ANY_BAR: Interval = Interval {
    low: 0.0,
    high: 1.0,
};

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
    /// The step each event last fired at.
    fired: Vec<Option<u32>>,
    /// The gaps of the step before, for events' conditions.
    last_gap: f64,
    last_bar_gap: f64,
    /// The widest gap of the steps before, for `gap_narrowed`.
    gap_peak: f64,
    front_high: f64,
    /// The highest pressure each party has felt so far (its own where
    /// pressure is aimed at it, else the world's).
    pressure_peak: Vec<f64>,
    /// The pressure and aid aimed at each party (`pressure_on`, `aid_to`)
    /// that has built up, beyond the world's: 0 for a party nobody aims at.
    aimed_pressure: Vec<f64>,
    aimed_aid: Vec<f64>,
    no_zone_streak: Vec<u32>,
    leverage_pressure: f64,
    leverage_aid: f64,
}

impl State {
    /// The state at step 0 of `sc`, reusing `self`'s memory: the one place
    /// that says what a run starts from.
    fn reset_from(&mut self, sc: &Scenario) {
        let n = sc.parties.len();
        self.world = sc.world;
        self.parties.clone_from(&sc.parties);
        refill(&mut self.engaged, n, true);
        self.perception_noise = sc.perception_noise;
        self.forgetting = sc.forgetting;
        refill(&mut self.beliefs, n, ANY_BAR);
        refill(&mut self.fired, sc.events.len(), None);
        self.last_gap = f64::NAN;
        self.last_bar_gap = f64::NAN;
        self.gap_peak = f64::NAN;
        self.front_high = sc.world[WorldVar::Front as usize];
        refill(
            &mut self.pressure_peak,
            n,
            sc.world[WorldVar::Pressure as usize],
        );
        refill(&mut self.aimed_pressure, n, 0.0);
        refill(&mut self.aimed_aid, n, 0.0);
        refill(&mut self.no_zone_streak, n, 0);
        self.leverage_pressure = 0.0;
        self.leverage_aid = 0.0;
    }

    /// The state at step 0 of `sc`, its memory sized once for the run.
    fn new(sc: &Scenario) -> State {
        let n = sc.parties.len();
        let mut st = State {
            world: sc.world,
            parties: Vec::with_capacity(n),
            engaged: Vec::with_capacity(n),
            perception_noise: 0.0,
            forgetting: 0.0,
            beliefs: Vec::with_capacity(n),
            fired: Vec::with_capacity(sc.events.len()),
            last_gap: f64::NAN,
            last_bar_gap: f64::NAN,
            gap_peak: f64::NAN,
            front_high: 0.0,
            pressure_peak: Vec::with_capacity(n),
            aimed_pressure: Vec::with_capacity(n),
            aimed_aid: Vec::with_capacity(n),
            no_zone_streak: Vec::with_capacity(n),
            leverage_pressure: 0.0,
            leverage_aid: 0.0,
        };
        st.reset_from(sc);
        st
    }
}

/// `v` made `n` copies of `x`, keeping its memory.
fn refill<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// One run of `scenario` under `seed` (run number 0 of that seed).
pub fn run(scenario: &Scenario, seed: u64) -> Timeline {
    run_stream(scenario, seed, &mut rng::stream(seed, 0))
}

/// One run drawing from a given stream (Monte Carlo passes run streams).
pub fn run_stream(scenario: &Scenario, seed: u64, rng: &mut Stream) -> Timeline {
    run_until(scenario, seed, rng, scenario.steps)
}

/// Calls the generic function `$f` at the narrowest width of arrays the
/// scenario `$sc` fits: [`NARROW`] issues, or the most a scenario may hold.
/// The two widths are the same code, so a run's results do not depend on
/// which one it ran at (a test holds them byte for byte); only its speed
/// does.
macro_rules! at_width {
    ($sc:expr, $f:ident($($arg:expr),* $(,)?)) => {
        if $sc.issues.len() <= $crate::sim::NARROW {
            $f::<{ $crate::sim::NARROW }, { $crate::sim::NARROW + 1 }>($($arg),*)
        } else {
            $f::<{ $crate::zone::MAX_ISSUES }, { $crate::zone::MAX_ISSUES + 1 }>($($arg),*)
        }
    };
}
pub(crate) use at_width;

/// A run stopped after `steps` steps (or at a deal, or at the horizon).
pub fn run_until(scenario: &Scenario, seed: u64, rng: &mut Stream, steps: u32) -> Timeline {
    at_width!(scenario, run_at(scenario, seed, rng, steps))
}

fn run_at<const W: usize, const R: usize>(
    scenario: &Scenario,
    seed: u64,
    rng: &mut Stream,
    steps: u32,
) -> Timeline {
    let mut sim = Simulation::<W, R>::with_width(scenario);
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
pub struct Simulation<'a, const W: usize = MAX_ISSUES, const R: usize = { MAX_ISSUES + 1 }> {
    sc: &'a Scenario,
    st: State,
    solver: Solver<W, R>,
    dim: usize,
    buf: Buffers<W>,
    normals: rng::Normals,
    /// Whether two parties may ever bring the same terms to a step (they
    /// start alike): only then are blocking shares split among twins.
    twins: bool,
    aiming: world::Aiming,
    /// The chance events, in file order: the events a step looks at when
    /// no fixed-step event is due.
    chance_events: Vec<usize>,
}

/// Per-step details, kept between steps so that their memory is reused.
#[derive(Debug, Default)]
struct Buffers<const W: usize> {
    front: f64,
    pressure: f64,
    aid: f64,
    /// Each party's own pressure and aid, kept only when the scenario aims
    /// some (else empty).
    own_pressure: Vec<f64>,
    own_aid: Vec<f64>,
    /// Each party's own pressure and aid as the step began, before its
    /// events (what their conditions read), when the scenario aims some.
    start_own: Vec<(f64, f64)>,
    fired: Vec<usize>,
    /// Steps `[from, until)` at none of which a fixed-step event is due
    /// (see `fire_events`); empty until the first step asks.
    no_fixed_due: (u32, u32),
    terms: Vec<Terms<W>>,
    /// The ideals, in issue units, that `terms` hold normalised.
    ideal_of: Vec<[f64; W]>,
    consenting: Vec<usize>,
    veto_terms: Vec<Terms<W>>,
    perceived: Vec<Terms<W>>,
    /// The bars as the mediator reads them this step.
    readings: Vec<f64>,
    perception: Vec<f64>,
    /// The step's blockers, wall by wall; the headline is the red lines'
    /// when `lines_close`, else the bars' (see [`Buffers::headline`]).
    lines_close: bool,
    line_blockers: Vec<Blocker>,
    bar_blockers: Vec<Blocker>,
    bars: f64,
    /// The red lines' worst crossing this step (normalised).
    lines: f64,
    walked: Vec<usize>,
    proposal: Option<Offer<W>>,
    all_consent: bool,
    /// The consenting parties' tactics, under alternating offers.
    tactics: Vec<negotiate::Tactic>,
    /// This step's gap among the consenting parties, once solved.
    gap: Option<Gap<W>>,
}

impl<const W: usize> Buffers<W> {
    /// The consenting parties' terms, as the step loop keeps them.
    fn consent_terms(&self) -> &[Terms<W>] {
        if self.all_consent {
            &self.terms
        } else {
            &self.veto_terms
        }
    }

    /// The parties closing the zone: the red lines' blockers when they
    /// cross, else the bars'.
    fn headline(&self) -> &[Blocker] {
        Blocking {
            bars: &self.bar_blockers,
            lines: &self.line_blockers,
            lines_close: self.lines_close,
        }
        .headline()
    }
}

impl<'a> Simulation<'a> {
    /// A run at the widest arrays, which any valid scenario fits.
    pub fn new(sc: &'a Scenario) -> Self {
        Simulation::with_width(sc)
    }
}

impl<'a, const W: usize, const R: usize> Simulation<'a, W, R> {
    /// A run on arrays `W` issues wide (`R = W + 1`); the scenario must
    /// have at most `W` issues.
    pub fn with_width(sc: &'a Scenario) -> Self {
        assert!(
            sc.issues.len() <= W,
            "a scenario wider than its run's arrays"
        );
        Simulation {
            sc,
            st: State::new(sc),
            solver: Solver::with_grid(sc.grid()),
            dim: sc.issues.len(),
            buf: Buffers::default(),
            normals: rng::Normals::default(),
            twins: (sc.parties.iter().enumerate())
                .any(|(i, p)| sc.parties[..i].iter().any(|q| q.same_position(p))),
            aiming: world::Aiming::of(sc),
            chance_events: (sc.events.iter().enumerate())
                .filter(|(_, ev)| matches!(ev.trigger, Trigger::Chance { .. }))
                .map(|(e, _)| e)
                .collect(),
        }
    }

    /// Back to step 0, keeping the memory of the previous run.
    pub fn reset(&mut self) {
        self.st.reset_from(self.sc);
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
        self.buf.headline()
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
        let options_in_zone = self.options_in_zone(&core);
        let lines = self.lines();
        let b = &self.buf;
        let y = nash.unwrap_or(core.minimiser);
        let proposal = b.proposal.map(|offer| Proposal {
            point: self.to_units(&offer.point),
            accepted_by: b
                .consenting
                .iter()
                .enumerate()
                .filter(|&(i, _)| offer.accepts(i))
                .map(|(_, &p)| p)
                .collect(),
            deal: offer.deal,
        });
        Step {
            step: t,
            front: b.front,
            pressure: b.pressure,
            aid: b.aid,
            own_pressure: b.own_pressure.clone(),
            own_aid: b.own_aid.clone(),
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
            options_in_zone,
            gap: core.gap,
            bar_gap: b.bars,
            lines,
            blockers: b.headline().to_vec(),
            line_blockers: b.line_blockers.clone(),
            bar_blockers: b.bar_blockers.clone(),
            point: self.to_units(&y),
            point_is_nash: nash.is_some(),
            accepts: b.terms.iter().map(|tm| tm.accepts(self.dim, &y)).collect(),
            events: b.fired.clone(),
            walked_away: b.walked.clone(),
            proposal,
            terms: b.terms.iter().map(Terms::resized).collect(),
            consenting: b.consenting.clone(),
        }
    }

    /// The Nash point and the zone's extent on every issue (normalised),
    /// which only the recorded step needs: the gap and its minimiser are
    /// already known from `advance`.
    fn record_zone(&mut self, core: &Core<W>) -> (Option<[f64; W]>, Option<Vec<Interval>>) {
        let veto_terms = self.buf.consent_terms();
        if veto_terms.is_empty() {
            let whole = vec![Interval::new(0.0, 1.0); self.dim];
            return (Some([MIDDLE; W]), Some(whole));
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

    /// With discrete issues and a zone, the options in the zone on each
    /// issue (see [`Step::options_in_zone`]).
    fn options_in_zone(&mut self, core: &Core<W>) -> Vec<Vec<usize>> {
        let terms = self.buf.consent_terms();
        if !core.zone || terms.is_empty() || self.sc.grid().is_continuous() {
            return Vec::new();
        }
        (0..self.dim)
            .map(|k| self.solver.options_in_zone(self.dim, terms, k))
            .collect()
    }

    /// What the consenting parties' red lines leave on each issue, in issue
    /// units, with the parties whose lines bound it; on a discrete issue the
    /// options they leave (a line between two options keeps the one inside),
    /// so the lines cross there exactly when they leave no option.
    fn lines(&self) -> Vec<IssueLines> {
        let b = &self.buf;
        let lines = LineBox::of(self.dim, b.consent_terms());
        let party = |i: Option<usize>| i.map(|i| b.consenting[i]);
        (0..self.dim)
            .map(|k| {
                let issue = &self.sc.issues[k];
                let (mut least, mut most) = (
                    issue.denormalise(lines.low[k]),
                    issue.denormalise(lines.high[k]),
                );
                if issue.is_discrete() {
                    (least, most) = ((least - 1e-9).ceil(), (most + 1e-9).floor());
                }
                IssueLines {
                    least,
                    most,
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
    pub fn advance(&mut self, t: u32, rng: &mut Stream) -> Core<W> {
        let front_noise = self.normals.next(rng);
        if t > 0 {
            self.move_world(front_noise);
        }
        self.fire_events(t, rng);
        self.observe_world();
        self.derive_terms(t);
        let gap = self.solve_gap();
        self.buf.gap = Some(gap);
        self.st.last_gap = gap.value;
        self.st.last_bar_gap = gap.bars;
        // f64::max ignores the NaN the peak starts from.
        self.st.gap_peak = gap.value.max(self.st.gap_peak);
        self.buf.proposal = match self.sc.protocol {
            Protocol::Mediated => self.mediate(rng),
            Protocol::AlternatingOffers => {
                self.draw_perception(rng, false);
                self.alternate(t)
            }
        };
        let deal = self.buf.proposal.filter(|p| p.deal).map(|p| p.point);
        self.buf.walked.clear();
        if deal.is_none() {
            self.react(gap.value, &gap.minimiser);
        }
        Core {
            gap: gap.value,
            zone: gap.opens(),
            minimiser: gap.minimiser,
            deal,
        }
    }

    /// The gap among the consenting parties, with the blockers recorded.
    fn solve_gap(&mut self) -> Gap<W> {
        let b = &mut self.buf;
        let veto = if b.all_consent {
            &b.terms
        } else {
            &b.veto_terms
        };
        b.lines_close = false;
        b.line_blockers.clear();
        b.bar_blockers.clear();
        if veto.is_empty() {
            b.bars = NOBODY_TO_CONVINCE;
            b.lines = NOBODY_TO_CONVINCE;
            return Gap {
                value: NOBODY_TO_CONVINCE,
                minimiser: [MIDDLE; W],
                bars: NOBODY_TO_CONVINCE,
                lines: NOBODY_TO_CONVINCE,
            };
        }
        let (gap, blocking) = self.solver.blocked_gap(self.dim, veto);
        b.bars = gap.bars;
        b.lines = gap.lines;
        b.lines_close = blocking.lines_close;
        if b.all_consent {
            // Positions among the consenting parties are the parties.
            b.line_blockers.extend_from_slice(blocking.lines);
            b.bar_blockers.extend_from_slice(blocking.bars);
        } else {
            let to_party = |x: &Blocker| Blocker {
                party: b.consenting[x.party],
                share: x.share,
            };
            b.line_blockers.extend(blocking.lines.iter().map(to_party));
            b.bar_blockers.extend(blocking.bars.iter().map(to_party));
        }
        if self.twins {
            for list in [&mut b.line_blockers, &mut b.bar_blockers] {
                share_with_twins(list, veto, &b.consenting);
            }
        }
        gap
    }

    fn to_units(&self, y: &[f64; W]) -> Vec<f64> {
        self.sc
            .issues
            .iter()
            .enumerate()
            .map(|(k, i)| i.denormalise(y[k]))
            .collect()
    }
}

/// Parties in the same position (the same ideal, weights, bar and red
/// lines) block alike: the certificate names whichever of them the solver
/// met first, so its share is split evenly among all of them, and a class
/// never reads that one of two identical companies blocks while the other
/// does not. `terms` and `consenting` are indexed alike; blockers are kept
/// in party order.
fn share_with_twins<const W: usize>(
    list: &mut Vec<Blocker>,
    terms: &[Terms<W>],
    consenting: &[usize],
) {
    let n = list.len();
    if n == 0 || terms.len() < 2 {
        return;
    }
    let position = |party: usize| consenting.iter().position(|&q| q == party);
    let mut added = false;
    for i in 0..n {
        let Some(at) = position(list[i].party) else {
            continue;
        };
        let twins: Vec<usize> = (0..terms.len())
            .filter(|&j| j != at && terms[j] == terms[at])
            .map(|j| consenting[j])
            .filter(|q| !list.iter().any(|b| b.party == *q))
            .collect();
        if twins.is_empty() {
            continue;
        }
        let share = list[i].share / (twins.len() + 1) as f64;
        list[i].share = share;
        list.extend(twins.into_iter().map(|party| Blocker { party, share }));
        added = true;
    }
    if added {
        list.sort_by_key(|b| b.party);
    }
}
