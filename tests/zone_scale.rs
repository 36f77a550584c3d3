// Index loops read like the linear programmes they check.
#![allow(clippy::needless_range_loop)]

//! The agreement zone at every size a scenario may have (1 to 12 issues, 2
//! to 40 parties) against references that share no code with the crate's
//! solver.
//!
//! The reference writes the bar gap as a linear programme of its own. Over
//! the bar box each `|y_k - ideal_ik|` is linear between consecutive
//! *breakpoints* (the box's ends and the ideals inside it), so a settlement
//! can be taken as a mix `mu_kc` of each issue's breakpoints `c`, and
//!
//!     minimise t  s.t.  r_i - 1 + sum_k sum_c mu_kc w_ik |c - ideal_ik| <= t,
//!                       sum_c mu_kc = 1,  mu >= 0
//!
//! has the bar gap as its optimum (mixing only adjacent breakpoints loses
//! nothing, and mixing others only costs more, each term being convex). It
//! has a row per party and per issue, whatever the size, and its duals on
//! the party rows are the weights `lambda_i` of the certificate
//!
//!     g(lambda) = sum_i lambda_i (r_i - 1)
//!               + sum_k min over y_k in the box of sum_i lambda_i w_ik |y_k - ideal_ik|
//!
//! which bounds the bar gap from below for any weights summing to one. The
//! zone's extent is the same programme with every party held to its bar and
//! `sum_c mu_axis,c c` minimised or maximised.
//!
//! Size: each test draws its own instances from its own seed, about 200
//! (see `SHAPES` and `DRAWS`), with every issue's extent asked in one of
//! them; the whole file runs in about 2 s in a debug build on a shared
//! 2-core machine, the reference's simplex taking under 1 s of it.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zopa::zone::{Blocker, MAX_ISSUES, Solver, Terms, ZONE_TOL};

#[path = "support/linalg.rs"]
mod linalg;
#[path = "support/simplex.rs"]
mod simplex;

/// The largest scenario the format allows.
const MOST_ISSUES: usize = 12;
const MOST_PARTIES: usize = 40;

/// Agreement demanded of two exact answers (rounding in either solver).
const EXACT: f64 = 1e-7;

/// Shapes (issues, parties) every test visits: the corners of the allowed
/// range, then a spread between them. Each shape is drawn `DRAWS` times
/// under every kind of red lines, as drawn (the bars mostly apart) and,
/// where the lines leave room, with the bars lowered until a zone opens:
/// about 200 instances per test, a few seconds for the whole file.
const SHAPES: [(usize, usize); 12] = [
    (1, 2),
    (1, MOST_PARTIES),
    (2, 5),
    (3, 12),
    (4, 8),
    (5, 30),
    (6, 3),
    (7, 17),
    (8, 40),
    (10, 9),
    (MOST_ISSUES, 2),
    (MOST_ISSUES, MOST_PARTIES),
];

/// Where the parties' red lines fall.
#[derive(Debug, Clone, Copy)]
enum Lines {
    None,
    /// Lower lines below 0.4 and upper lines above 0.6: they never cross.
    LeavingRoom,
    /// Lines from 0.2 to 0.8 on most parties: they often cross.
    MayCross,
}

const ALL_LINES: [Lines; 3] = [Lines::None, Lines::LeavingRoom, Lines::MayCross];

/// Instances drawn per shape and kind of lines.
const DRAWS: usize = 3;

#[derive(Debug, Clone)]
struct Instance {
    name: String,
    dim: usize,
    terms: Vec<Terms>,
}

/// One party: ideals anywhere, weights zero on some issues (each with
/// chance 0.2, and on `unweighted` for everyone), summing to one, a bar
/// below 0.9 and at most one red line.
fn random_party(rng: &mut ChaCha8Rng, dim: usize, lines: Lines, unweighted: usize) -> Terms {
    let mut ideal = [0.0; MAX_ISSUES];
    let mut weight = [0.0; MAX_ISSUES];
    for k in 0..dim {
        ideal[k] = rng.random::<f64>();
        let zero = k == unweighted || rng.random::<f64>() < 0.2;
        weight[k] = if zero {
            0.0
        } else {
            rng.random_range(0.01..1.0)
        };
    }
    let total: f64 = weight.iter().sum();
    if total == 0.0 {
        weight[0] = 1.0;
    } else {
        weight.iter_mut().for_each(|w| *w /= total);
    }
    let mut t = Terms::new(ideal, weight, rng.random_range(0.0..0.9));
    let (low, high) = match lines {
        Lines::None => return t,
        Lines::LeavingRoom => (0.0..0.4, 0.6..1.0),
        Lines::MayCross => (0.2..0.7, 0.3..0.8),
    };
    let chance = if matches!(lines, Lines::MayCross) {
        0.6
    } else {
        0.3
    };
    if rng.random::<f64>() < chance {
        let k = rng.random_range(0..dim);
        if rng.random::<bool>() {
            t.lower[k] = rng.random_range(low);
        } else {
            t.upper[k] = rng.random_range(high);
        }
    }
    t
}

/// The instances of one seed: every shape under every kind of lines, the
/// bars as drawn (mostly apart) and lowered so that a zone opens with a
/// random depth (where the lines leave room).
fn instances(seed: u64) -> Vec<Instance> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    let every = SHAPES.into_iter().flat_map(|s| ALL_LINES.map(|l| (s, l)));
    for (draw, ((dim, parties), lines)) in every.flat_map(|c| [c; DRAWS]).enumerate() {
        // An issue nobody weighs, in about a third of the instances (`dim`
        // and above name none).
        let unweighted = rng.random_range(0..dim * 3);
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_party(&mut rng, dim, lines, unweighted))
            .collect();
        let name =
            format!("seed {seed} draw {draw}: {dim} issues x {parties} parties, lines {lines:?}");
        if LineBoxRef::of(dim, &terms).worst_crossing() <= 0.0 {
            let depth = rng.random_range(0.01..0.15);
            let shift = reference_gap(dim, &terms).value + depth;
            let mut open = terms.clone();
            for t in &mut open {
                t.reservation = (t.reservation - shift).max(0.0);
            }
            let name = format!("{name}, zone");
            out.push(Instance {
                name,
                dim,
                terms: open,
            });
        }
        out.push(Instance { name, dim, terms });
    }
    out
}

/// The red lines' box the plain way: on each issue the highest lower line
/// and the lowest upper line (the first party holding it named), and the
/// box the bar gap is taken over, between the lines where they cross,
/// within the issue's range.
struct LineBoxRef {
    low: Vec<f64>,
    high: Vec<f64>,
    low_owner: Vec<Option<usize>>,
    high_owner: Vec<Option<usize>>,
}

impl LineBoxRef {
    fn of(dim: usize, terms: &[Terms]) -> LineBoxRef {
        let mut b = LineBoxRef {
            low: vec![0.0; dim],
            high: vec![1.0; dim],
            low_owner: vec![None; dim],
            high_owner: vec![None; dim],
        };
        for k in 0..dim {
            for (i, t) in terms.iter().enumerate() {
                if t.lower[k] > b.low[k] {
                    (b.low[k], b.low_owner[k]) = (t.lower[k], Some(i));
                }
                if t.upper[k] < b.high[k] {
                    (b.high[k], b.high_owner[k]) = (t.upper[k], Some(i));
                }
            }
        }
        b
    }

    fn crossing(&self, k: usize) -> f64 {
        self.low[k] - self.high[k]
    }

    fn worst_crossing(&self) -> f64 {
        (0..self.low.len())
            .map(|k| self.crossing(k))
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// The ends of the bar box on issue `k`.
    fn ends(&self, k: usize) -> (f64, f64) {
        let (a, b) = (self.low[k], self.high[k]);
        (a.min(b).clamp(0.0, 1.0), a.max(b).clamp(0.0, 1.0))
    }

    /// The parties whose lines cross, each crossing's share (in proportion
    /// to how far it crosses) split between its two owners.
    fn blockers(&self) -> Vec<Blocker> {
        let crossing: Vec<usize> = (0..self.low.len())
            .filter(|&k| self.crossing(k) > ZONE_TOL)
            .collect();
        let total: f64 = crossing.iter().map(|&k| self.crossing(k)).sum();
        let mut out: Vec<Blocker> = Vec::new();
        for &k in &crossing {
            for owner in [self.low_owner[k], self.high_owner[k]]
                .into_iter()
                .flatten()
            {
                let share = 0.5 * self.crossing(k) / total;
                match out.iter_mut().find(|b| b.party == owner) {
                    Some(b) => b.share += share,
                    None => out.push(Blocker {
                        party: owner,
                        share,
                    }),
                }
            }
        }
        out.sort_by_key(|b| b.party);
        out
    }
}

/// `r_i - U_i(y)` from the formula.
fn bar_shortfall(dim: usize, t: &Terms, y: &[f64]) -> f64 {
    t.reservation - 1.0
        + (0..dim)
            .map(|k| t.weight[k] * (y[k] - t.ideal[k]).abs())
            .sum::<f64>()
}

fn worst_bar_shortfall(dim: usize, terms: &[Terms], y: &[f64]) -> f64 {
    terms
        .iter()
        .map(|t| bar_shortfall(dim, t, y))
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Each issue's breakpoints within the bar box: its ends and the ideals of
/// the parties that weigh it, in order.
fn breakpoints(dim: usize, terms: &[Terms], lines: &LineBoxRef) -> Vec<Vec<f64>> {
    (0..dim)
        .map(|k| {
            let (lo, hi) = lines.ends(k);
            let mut c = vec![lo, hi];
            let inside = terms.iter().filter(|t| t.weight[k] > 0.0);
            c.extend(inside.map(|t| t.ideal[k]).filter(|&a| lo < a && a < hi));
            c.sort_by(f64::total_cmp);
            c.dedup();
            c
        })
        .collect()
}

/// The breakpoint programme's rows: for each party its loss at each
/// breakpoint (columns `mu_kc` in issue order, after `before` leading
/// columns), then one row per issue making its mix sum to one.
struct Programme {
    points: Vec<Vec<f64>>,
    columns: usize,
}

impl Programme {
    fn new(dim: usize, terms: &[Terms]) -> Programme {
        let points = breakpoints(dim, terms, &LineBoxRef::of(dim, terms));
        let columns = points.iter().map(Vec::len).sum();
        Programme { points, columns }
    }

    /// Row of party `t`'s losses over the mix columns.
    fn losses(&self, t: &Terms) -> Vec<f64> {
        let mut row = Vec::with_capacity(self.columns);
        for (k, points) in self.points.iter().enumerate() {
            row.extend(points.iter().map(|&c| t.weight[k] * (c - t.ideal[k]).abs()));
        }
        row
    }

    /// Rows making each issue's mix sum to one, after `before` columns and
    /// followed by `after` zero columns.
    fn mix_rows(&self, before: usize, after: usize) -> Vec<Vec<f64>> {
        let mut start = before;
        let mut rows = Vec::new();
        for points in &self.points {
            let mut row = vec![0.0; before + self.columns + after];
            row[start..start + points.len()]
                .iter_mut()
                .for_each(|v| *v = 1.0);
            start += points.len();
            rows.push(row);
        }
        rows
    }

    /// The settlement a mix stands for.
    fn settlement(&self, mix: &[f64]) -> Vec<f64> {
        let mut at = 0;
        let mut y = Vec::new();
        for points in &self.points {
            y.push((0..points.len()).map(|c| mix[at + c] * points[c]).sum());
            at += points.len();
        }
        y
    }
}

/// The bar gap by the reference: its value, a settlement attaining it and
/// the weight of each party in the certificate.
struct Reference {
    value: f64,
    y: Vec<f64>,
    lambda: Vec<f64>,
}

/// Columns: `t + 2` (kept non-negative, since every bar shortfall is at
/// least -1), the mixes, then one surplus per party.
fn reference_gap(dim: usize, terms: &[Terms]) -> Reference {
    let prog = Programme::new(dim, terms);
    let (n, np) = (1 + prog.columns, terms.len());
    let mut rows = Vec::new();
    let mut rhs = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        // t + 2 - losses - surplus = r_i - 1 + 2.
        let mut row = vec![1.0];
        row.extend(prog.losses(t).iter().map(|l| -l));
        row.extend((0..np).map(|j| if i == j { -1.0 } else { 0.0 }));
        rows.push(row);
        rhs.push(t.reservation + 1.0);
    }
    rows.extend(prog.mix_rows(1, np));
    rhs.extend(std::iter::repeat_n(1.0, dim));
    let mut cost = vec![0.0; n + np];
    cost[0] = 1.0;
    let opt = simplex::minimise(&cost, &rows, &rhs).expect("the bar programme is feasible");
    Reference {
        value: opt.value - 2.0,
        y: prog.settlement(&opt.x[1..n]),
        lambda: opt.duals[..np].to_vec(),
    }
}

/// The lowest (or, `highest`, the highest) value of `axis` at which every
/// party falls short of its bar by at most `slack`, with a settlement
/// reaching it; `None` when none does.
fn reference_extent(
    dim: usize,
    terms: &[Terms],
    axis: usize,
    slack: f64,
    highest: bool,
) -> Option<(f64, Vec<f64>)> {
    let prog = Programme::new(dim, terms);
    let np = terms.len();
    let mut rows = Vec::new();
    let mut rhs = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        // losses + surplus = 1 - r_i + slack.
        let mut row = prog.losses(t);
        row.extend((0..np).map(|j| if i == j { 1.0 } else { 0.0 }));
        rows.push(row);
        rhs.push(1.0 - t.reservation + slack);
    }
    rows.extend(prog.mix_rows(0, np));
    rhs.extend(std::iter::repeat_n(1.0, dim));
    let mut cost = vec![0.0; prog.columns + np];
    let start: usize = prog.points[..axis].iter().map(Vec::len).sum();
    let sign = if highest { -1.0 } else { 1.0 };
    for (c, &p) in prog.points[axis].iter().enumerate() {
        cost[start + c] = sign * p;
    }
    let opt = simplex::minimise(&cost, &rows, &rhs)?;
    Some((sign * opt.value, prog.settlement(&opt.x[..prog.columns])))
}

/// The certificate's lower bound `g(lambda)` on the bar gap over the bar
/// box: each issue's weighted loss is convex and piecewise linear, so its
/// least value is at a breakpoint.
fn dual_bound(dim: usize, terms: &[Terms], lambda: &[f64]) -> f64 {
    let points = breakpoints(dim, terms, &LineBoxRef::of(dim, terms));
    let mut g: f64 = (terms.iter().zip(lambda))
        .map(|(t, l)| l * (t.reservation - 1.0))
        .sum();
    for k in 0..dim {
        let loss = |y: f64| -> f64 {
            (terms.iter().zip(lambda))
                .map(|(t, l)| l * t.weight[k] * (y - t.ideal[k]).abs())
                .sum()
        };
        g += points[k]
            .iter()
            .map(|&c| loss(c))
            .fold(f64::INFINITY, f64::min);
    }
    g
}

/// Whether a certificate proves that no settlement with `axis` at `at`
/// keeps every party within `slack` of its bar: the bar gap with the axis
/// pinned there (by one more pair of lines) is bounded from below by
/// `g(lambda)` for any weights, whichever solver found them.
fn certified_outside(dim: usize, terms: &[Terms], axis: usize, at: f64, slack: f64) -> bool {
    let (lo, hi) = LineBoxRef::of(dim, terms).ends(axis);
    if at < lo || at > hi {
        return true;
    }
    let mut pinned = terms.to_vec();
    (pinned[0].lower[axis], pinned[0].upper[axis]) = (at, at);
    let lambda = reference_gap(dim, &pinned).lambda;
    // Any non-negative weights summing to one give a lower bound.
    let total: f64 = lambda.iter().map(|l| l.max(0.0)).sum();
    let weights: Vec<f64> = lambda.iter().map(|l| l.max(0.0) / total).collect();
    dual_bound(dim, &pinned, &weights) > slack
}

/// The headline gap by its definition, with the bar gap found some other
/// way: the bar gap, or the crossing where the lines cross.
fn headline(bars: f64, crossing: f64) -> f64 {
    if crossing > ZONE_TOL {
        bars.max(crossing)
    } else {
        bars
    }
}

fn parties(blockers: &[Blocker]) -> Vec<usize> {
    blockers.iter().map(|b| b.party).collect()
}

#[test]
fn bar_and_headline_gaps_match_an_independent_programme_at_every_size() {
    for case in instances(1) {
        let Instance { name, dim, terms } = &case;
        let gap = <Solver>::default().gap(*dim, terms);
        let reference = reference_gap(*dim, terms);
        // The reference's own settlement attains its value, and its
        // certificate proves it.
        let at = worst_bar_shortfall(*dim, terms, &reference.y);
        assert!((at - reference.value).abs() < EXACT, "{name}: {at}");
        let weights: f64 = reference.lambda.iter().sum();
        assert!(reference.lambda.iter().all(|&l| l >= -1e-12), "{name}");
        assert!(
            (weights - 1.0).abs() < 1e-9,
            "{name}: weights sum to {weights}"
        );
        let proof = dual_bound(*dim, terms, &reference.lambda);
        assert!((proof - reference.value).abs() < EXACT, "{name}: {proof}");
        assert!(
            (gap.bars - reference.value).abs() < EXACT,
            "{name}: bar gap {} against the reference's {}",
            gap.bars,
            reference.value
        );
        let crossing = LineBoxRef::of(*dim, terms).worst_crossing();
        assert!((gap.lines - crossing).abs() < 1e-12, "{name}");
        assert!(
            (gap.value - headline(reference.value, crossing)).abs() < EXACT,
            "{name}: headline gap {}",
            gap.value
        );
    }
}

#[test]
fn the_solvers_minimiser_and_blockers_certify_its_bar_gap() {
    // Upper bound: the worst shortfall at the solver's minimiser, from the
    // formula. Lower bound: g(shares of the bar blockers), for any weights
    // summing to one at most the bar gap. Both equal to the reported gap
    // proves it optimal without trusting any solver.
    let mut certified = 0;
    for case in instances(2) {
        let Instance { name, dim, terms } = &case;
        let mut solver = <Solver>::default();
        let (gap, blocking) = solver.blocked_gap(*dim, terms);
        let lines = LineBoxRef::of(*dim, terms);
        for k in 0..*dim {
            let (lo, hi) = lines.ends(k);
            let y = gap.minimiser[k];
            assert!(lo - 1e-12 <= y && y <= hi + 1e-12, "{name}: issue {k}");
        }
        let upper = worst_bar_shortfall(*dim, terms, &gap.minimiser);
        assert!(
            (upper - gap.bars).abs() < EXACT,
            "{name}: {upper} vs {}",
            gap.bars
        );
        if gap.bars <= ZONE_TOL {
            assert!(blocking.bars.is_empty(), "{name}: the bars meet");
            continue;
        }
        let mut lambda = vec![0.0; terms.len()];
        for b in blocking.bars {
            assert!(b.share > 0.0, "{name}");
            lambda[b.party] += b.share;
        }
        let total: f64 = lambda.iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{name}: shares sum to {total}");
        let lower = dual_bound(*dim, terms, &lambda);
        assert!(
            (gap.bars - lower).abs() < EXACT,
            "{name}: the blockers' certificate proves only {lower} of {}",
            gap.bars
        );
        certified += 1;
    }
    assert!(certified > 25, "only {certified} gaps were certified");
}

#[test]
fn blockers_are_the_positive_dual_weights_or_the_crossing_lines_owners() {
    let (mut bar_walls, mut line_walls) = (0, 0);
    for case in instances(3) {
        let Instance { name, dim, terms } = &case;
        let mut solver = <Solver>::default();
        let (gap, blocking) = solver.blocked_gap(*dim, terms);
        let lines = LineBoxRef::of(*dim, terms);
        let reference = reference_gap(*dim, terms);
        // Bar wall: the parties the reference's certificate weighs, with
        // the same weights (the certificate is unique for instances in
        // general position, as random ones are).
        let expected: Vec<Blocker> = if reference.value > ZONE_TOL {
            (reference.lambda.iter().enumerate())
                .filter(|&(_, &l)| l > 1e-9)
                .map(|(party, &share)| Blocker { party, share })
                .collect()
        } else {
            Vec::new()
        };
        assert_eq!(parties(blocking.bars), parties(&expected), "{name}");
        for (got, want) in blocking.bars.iter().zip(&expected) {
            assert!(
                (got.share - want.share).abs() < 1e-6,
                "{name}: {got:?} vs {want:?}"
            );
        }
        // Line wall: the owners of the crossing lines.
        let crossing = lines.blockers();
        assert_eq!(parties(blocking.lines), parties(&crossing), "{name}");
        for (got, want) in blocking.lines.iter().zip(&crossing) {
            assert!((got.share - want.share).abs() < 1e-12, "{name}");
        }
        // Headline: the line wall when the lines cross, else the bar wall;
        // nobody when the zone exists.
        let headline = if gap.value <= ZONE_TOL {
            &[][..]
        } else if lines.worst_crossing() > ZONE_TOL {
            line_walls += 1;
            blocking.lines
        } else {
            bar_walls += 1;
            blocking.bars
        };
        assert_eq!(blocking.headline(), headline, "{name}");
    }
    assert!(
        bar_walls > 15 && line_walls > 5,
        "{bar_walls} bar walls, {line_walls} line walls"
    );
}

#[test]
fn zone_extent_on_every_issue_matches_an_independent_programme() {
    let mut zones = 0;
    for case in instances(4) {
        let Instance { name, dim, terms } = &case;
        let mut solver = <Solver>::default();
        let gap = solver.gap(*dim, terms);
        let open = gap.value <= ZONE_TOL;
        zones += usize::from(open);
        // The zone asked with the gap's own tolerance.
        let slack = gap.value.max(0.0);
        for axis in 0..*dim {
            let extent = solver.extent(*dim, terms, axis, gap.value);
            let low = reference_extent(*dim, terms, axis, slack, false);
            let high = reference_extent(*dim, terms, axis, slack, true);
            if !open {
                assert_eq!(extent, None, "{name}: no zone, no extent");
                continue;
            }
            let e = extent.unwrap_or_else(|| panic!("{name}: a zone without extent"));
            let (lo, hi) = (low.expect("reference low"), high.expect("reference high"));
            // The reference's own settlements are in the zone and reach it.
            for (end, y) in [lo.clone(), hi.clone()] {
                assert!((y[axis] - end).abs() < 1e-9, "{name}");
                assert!(
                    worst_bar_shortfall(*dim, terms, &y) <= slack + 1e-9,
                    "{name}"
                );
            }
            let (lo, hi) = (lo.0, hi.0);
            // And a step beyond either end, nothing is.
            for beyond in [lo - EXACT, hi + EXACT] {
                let outside = certified_outside(*dim, terms, axis, beyond, slack);
                assert!(outside, "{name}, issue {axis}: {beyond} not proven outside");
            }
            assert!(
                (e.low - lo).abs() < EXACT && (e.high - hi).abs() < EXACT,
                "{name}, issue {axis}: extent {e:?} against [{lo}, {hi}]"
            );
        }
    }
    assert!(zones > 100, "only {zones} zones");
}

#[test]
fn small_instances_agree_with_vertex_enumeration() {
    // Every vertex of the pieces' epigraph, visited: slow, so only where
    // the pieces are few.
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for case in 0..60 {
        let dim = 1 + case % 3;
        let parties = rng.random_range(2..=[6, 4, 3][dim - 1]);
        let lines = ALL_LINES[case % 3];
        let terms: Vec<Terms> = (0..parties)
            .map(|_| random_party(&mut rng, dim, lines, dim))
            .collect();
        let b = LineBoxRef::of(dim, &terms);
        let (lo, hi): (Vec<f64>, Vec<f64>) = (0..dim).map(|k| b.ends(k)).unzip();
        let mut pieces: Vec<(Vec<f64>, f64)> = Vec::new();
        for t in &terms {
            for signs in 0..1u32 << dim {
                let (mut a, mut c) = (vec![0.0; dim], t.reservation - 1.0);
                for k in 0..dim {
                    let s = if signs >> k & 1 == 1 { -1.0 } else { 1.0 };
                    a[k] = s * t.weight[k];
                    c -= s * t.weight[k] * t.ideal[k];
                }
                pieces.push((a, c));
            }
        }
        let brute = linalg::least_max_over_box(&pieces, dim, &lo, &hi);
        let gap = <Solver>::default().gap(dim, &terms);
        let reference = reference_gap(dim, &terms);
        assert!(
            (gap.bars - brute).abs() < EXACT,
            "case {case}: {} vs {brute}",
            gap.bars
        );
        assert!(
            (reference.value - brute).abs() < EXACT,
            "case {case}: reference"
        );
    }
}

#[test]
fn a_solver_reused_along_a_walk_stays_exact() {
    // A run asks one solver step after step, with bars, ideals and lines
    // moving a little: every answer must still be the reference's.
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    for (walk, (dim, parties)) in SHAPES.into_iter().enumerate() {
        let lines = ALL_LINES[walk % 3];
        let mut terms: Vec<Terms> = (0..parties)
            .map(|_| random_party(&mut rng, dim, lines, dim))
            .collect();
        let mut solver = <Solver>::default();
        for step in 0..6 {
            let who = rng.random_range(0..parties);
            let k = rng.random_range(0..dim);
            let t = &mut terms[who];
            t.reservation = (t.reservation + rng.random_range(-0.05..0.05)).clamp(0.0, 1.0);
            t.ideal[k] = (t.ideal[k] + rng.random_range(-0.05..0.05)).clamp(0.0, 1.0);
            if t.upper[k] < 1.0 {
                t.upper[k] = (t.upper[k] + rng.random_range(-0.05..0.05)).clamp(0.0, 1.0);
            }
            let gap = solver.gap(dim, &terms);
            let reference = reference_gap(dim, &terms);
            assert!(
                (gap.bars - reference.value).abs() < EXACT,
                "walk {walk} ({dim} x {parties}), step {step}: {} vs {}",
                gap.bars,
                reference.value
            );
        }
    }
}
