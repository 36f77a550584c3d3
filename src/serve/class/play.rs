//! The class's state and the rules of play: who sits where, what each
//! student entered, how a party's position is combined, and what a reveal
//! plays. Everything here runs under the room's lock, so a submission and
//! a reveal never interleave: what arrives after a round closed belongs to
//! the next round.
//!
//! The privacy rule: a party's position is the median of its students'
//! values; once a party has two or more students, that median is rounded
//! to a twentieth of the field's range before it is played or shown (0.05
//! on a bar, 1.5 % of Ukraine on a territory of 0-30 %, red lines included;
//! on a yes/no or options issue, the nearest option). With the
//! position rounded, no classmate can work back to another's exact value;
//! a party of one student plays its student's own value.

use serde::{Deserialize, Serialize};
use zopa::model::{Scenario, Target};

use super::{Seat, Settable, card};

/// A position is rounded to this fraction of its field's range.
pub const GRID: f64 = 20.0;

/// A value a student gave (or a round played), in the model's units, and
/// the field it sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Given {
    pub seat: Seat,
    pub value: f64,
}

/// A value as the `--state` file keeps it: the field's path (as `--set`
/// and the page name it, stable from one version to the next) and the
/// value.
pub type Stored = (String, f64);

/// The class: `Class<Given>` in play, `Class<Stored>` in the `--state`
/// file ([`Class::try_map`] turns one into the other).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Class<V = Given> {
    /// Seats per party, in scenario order.
    pub seats: Vec<u32>,
    /// Whether students may also set their party's ideal and weights.
    pub allow_ideal: bool,
    pub rounds: u32,
    /// The round being played, from 1.
    pub round: u32,
    /// Whether the current round has been revealed.
    pub revealed: bool,
    pub students: Vec<Student<V>>,
    pub history: Vec<RoundResult<V>>,
    pub secrets_shown: bool,
    /// The next student's public number (the teacher's handle on them).
    pub next_key: u32,
    /// Counts submissions, to order them.
    pub submissions: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Student<V = Given> {
    /// The secret the student's page holds.
    pub id: String,
    /// A public number: the teacher removes or resets a student by it.
    pub key: u32,
    pub name: String,
    pub party: usize,
    /// The student's values, once submitted.
    pub values: Vec<V>,
    /// The round the last submission counts for (0: none yet).
    pub submitted_in: u32,
    /// When the last submission arrived, in the class's order.
    pub order: u64,
    /// The values the last reveal played (empty when none or left out).
    pub played: Vec<V>,
}

/// What a reveal shows, and what the end of the game lists round by round.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoundResult<V = Given> {
    pub round: u32,
    pub step: u32,
    pub step_unit: String,
    pub zone: bool,
    pub why: String,
    /// The gap at the step, as every view prints it.
    pub gap: String,
    pub blockers: String,
    pub proposal: String,
    pub deal: bool,
    /// Each party's position as played: field, value, and whose it is.
    pub positions: Vec<Position>,
    /// The values the round played, to redraw its charts after a restart.
    #[serde(default = "Vec::new")]
    pub edits: Vec<V>,
    /// Students whose values could not be played, and why: the teacher's
    /// page only.
    #[serde(default)]
    pub left_out: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Position {
    pub party: String,
    pub field: String,
    pub value: String,
    pub from: String,
}

impl<A> Class<A> {
    /// The same class with every value turned by `f`: a class in play into
    /// the file's form, or a saved one back, which fails on a value `f`
    /// cannot place.
    pub fn try_map<B, E>(&self, mut f: impl FnMut(&A) -> Result<B, E>) -> Result<Class<B>, E> {
        let mut all = |v: &[A]| v.iter().map(&mut f).collect::<Result<Vec<B>, E>>();
        let mut students = Vec::with_capacity(self.students.len());
        for s in &self.students {
            students.push(Student {
                id: s.id.clone(),
                key: s.key,
                name: s.name.clone(),
                party: s.party,
                values: all(&s.values)?,
                submitted_in: s.submitted_in,
                order: s.order,
                played: all(&s.played)?,
            });
        }
        let mut history = Vec::with_capacity(self.history.len());
        for r in &self.history {
            history.push(RoundResult {
                round: r.round,
                step: r.step,
                step_unit: r.step_unit.clone(),
                zone: r.zone,
                why: r.why.clone(),
                gap: r.gap.clone(),
                blockers: r.blockers.clone(),
                proposal: r.proposal.clone(),
                deal: r.deal,
                positions: r.positions.clone(),
                edits: all(&r.edits)?,
                left_out: r.left_out.clone(),
            });
        }
        Ok(Class {
            seats: self.seats.clone(),
            allow_ideal: self.allow_ideal,
            rounds: self.rounds,
            round: self.round,
            revealed: self.revealed,
            students,
            history,
            secrets_shown: self.secrets_shown,
            next_key: self.next_key,
            submissions: self.submissions,
        })
    }
}

impl Class {
    pub fn new(parties: usize, rounds: u32) -> Class {
        Class {
            seats: vec![super::MAX_STUDENTS as u32; parties],
            allow_ideal: false,
            rounds,
            round: 1,
            revealed: false,
            students: Vec::new(),
            history: Vec::new(),
            secrets_shown: false,
            next_key: 1,
            submissions: 0,
        }
    }

    /// The round a submission made now counts for: the current one until
    /// it is revealed, then the next; `None` once the last is revealed.
    pub fn open_round(&self) -> Option<u32> {
        match (self.revealed, self.round < self.rounds) {
            (false, _) => Some(self.round),
            (true, true) => Some(self.round + 1),
            (true, false) => None,
        }
    }

    pub fn finished(&self) -> bool {
        self.revealed && self.round == self.rounds
    }

    pub fn seated(&self, p: usize) -> usize {
        self.students.iter().filter(|s| s.party == p).count()
    }
}

/// Which students' values a combination takes, and whose values replace
/// a student's own (a submission being checked).
pub struct Mix<'a> {
    pub include: &'a dyn Fn(usize) -> bool,
    pub replace: Option<(usize, &'a [Given])>,
}

impl Mix<'_> {
    fn values<'c>(&'c self, c: &'c Class, i: usize) -> &'c [Given] {
        match self.replace {
            Some((j, v)) if j == i => v,
            _ => &c.students[i].values,
        }
    }
}

/// The rounding step of a field: a twentieth of its range, or for a red
/// line of its issue's range (a line measured from the front may lie a
/// whole range either side of it, which would make the step twice as
/// coarse). A weight is rounded too: unrounded, the median of two would
/// give away the other student's weight.
pub fn grid(sc: &Scenario, seat: Seat) -> Option<f64> {
    let span = match seat {
        Seat::Model(Target::RedLine { party, line, .. }) => {
            sc.issues[sc.parties[party].red_lines[line].issue].range()
        }
        _ => {
            let (lo, hi) = range(sc, seat);
            hi - lo
        }
    };
    let g = span / GRID;
    (g.is_finite() && g > 0.0).then_some(g)
}

/// The values a field may take: a weight's control runs from 0 to 1.
fn range(sc: &Scenario, seat: Seat) -> (f64, f64) {
    match seat {
        Seat::Model(t) => sc.target_range(t),
        Seat::Weight { .. } => (0.0, 1.0),
    }
}

/// `v` on the field's grid, kept inside its range; an ideal or a red line
/// on a discrete issue at the nearest option (a median of two options may
/// fall between them).
pub fn rounded(sc: &Scenario, seat: Seat, v: f64) -> f64 {
    let from_front = match seat {
        Seat::Model(Target::RedLine { party, line, .. }) => {
            sc.parties[party].red_lines[line].follows_front
        }
        _ => false,
    };
    if let Some(i) = card::issue_of(sc, seat).filter(|i| i.is_discrete() && !from_front) {
        return ((v - i.min).round() + i.min).clamp(i.min, i.max);
    }
    let Some(g) = grid(sc, seat) else {
        return v;
    };
    let (lo, hi) = range(sc, seat);
    // Rounded through the integer count of steps, then trimmed of the
    // float's tail so that it prints as the grid value it is.
    let r = ((v / g).round() * g).clamp(lo, hi);
    (r * 1e9).round() / 1e9
}

fn median(mut vals: Vec<f64>) -> f64 {
    vals.sort_by(f64::total_cmp);
    let n = vals.len();
    if n % 2 == 1 {
        vals[n / 2]
    } else {
        (vals[n / 2 - 1] + vals[n / 2]) / 2.0
    }
}

/// Each party's position under `mix`: the median of the values given,
/// rounded when the party has two or more students, or the scenario's own
/// where nobody gave one. `fields(p)` lists party `p`'s fields. The values
/// to play are those the students moved; the positions, every field.
pub fn positions(
    sc: &Scenario,
    c: &Class,
    mix: &Mix,
    fields: &dyn Fn(usize) -> Vec<Settable>,
) -> (Vec<Given>, Vec<Position>) {
    let (mut played, mut shown) = (Vec::new(), Vec::new());
    for (p, party) in sc.parties.iter().enumerate() {
        let members: Vec<usize> = (0..c.students.len())
            .filter(|&i| c.students[i].party == p && (mix.include)(i))
            .collect();
        let classmates = c.seated(p) >= 2;
        for f in fields(p) {
            let vals: Vec<f64> = members
                .iter()
                .filter_map(|&i| {
                    let v = mix.values(c, i);
                    v.iter().find(|g| g.seat == f.seat).map(|g| g.value)
                })
                .collect();
            let n = vals.len();
            let (value, from) = if n == 0 {
                let Some(v) = card::model_value(sc, f.seat, &f.control) else {
                    continue;
                };
                (v, "the scenario (nobody submitted)".to_string())
            } else {
                let m = median(vals);
                let m = if classmates {
                    rounded(sc, f.seat, m)
                } else {
                    m
                };
                played.push(Given {
                    seat: f.seat,
                    value: m,
                });
                let who = match (n, classmates) {
                    (1, false) => "1 student".to_string(),
                    (1, true) => "1 student, rounded".to_string(),
                    _ => format!("the median of {n} students, rounded"),
                };
                (m, who)
            };
            shown.push(position(sc, p, &f, value, from, &party.name));
        }
    }
    (played, shown)
}

/// A position as the reveal shows it: the bar through its settlement when
/// it has one, an ideal or red line on a discrete issue as its option,
/// every other field in its units.
fn position(
    sc: &Scenario,
    p: usize,
    f: &Settable,
    value: f64,
    from: String,
    party: &str,
) -> Position {
    let bar = f
        .is_bar()
        .then(|| card::bar_position(sc, p, value))
        .flatten();
    let discrete = card::issue_of(sc, f.seat).filter(|i| i.is_discrete());
    let value = match (bar, discrete) {
        (Some(shown), _) => shown,
        (None, Some(issue)) => card::issue_amount(issue, value),
        (None, None) => {
            let span = match f.seat {
                Seat::Model(t) => {
                    let (lo, hi) = sc.target_range(t);
                    hi - lo
                }
                Seat::Weight { .. } => 1.0,
            };
            format!(
                "{}{}",
                card::amount(value, span),
                card::unit_suffix(&f.control.unit)
            )
        }
    };
    Position {
        party: party.to_string(),
        field: f.control.label.clone(),
        value,
        from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_median_between_two_options_is_played_as_the_nearest_option() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/every-new-field.toml");
        let sc = zopa::scenario::load(&path).expect("the scenario");
        let city = sc.party_index("city").expect("city");
        let shifts = sc.issue_index("shifts").expect("shifts");
        let seat = Seat::Model(Target::Ideal {
            party: city,
            issue: shifts,
        });
        // day (0) and mixed (1): mixed; mixed and night: night.
        assert_eq!(rounded(&sc, seat, 0.5), 1.0);
        assert_eq!(rounded(&sc, seat, 1.5), 2.0);
        assert_eq!(rounded(&sc, seat, 0.2), 0.0);
        // A wage line keeps its grid of a twentieth of 0-10 %.
        let firm = sc.party_index("firm").expect("firm");
        let line = Seat::Model(Target::RedLine {
            party: firm,
            line: 0,
            upper: true,
        });
        assert_eq!(rounded(&sc, line, 2.3), 2.5);
    }

    /// Two students' weights of 0.83 and 0.3 have the median 0.565: shown
    /// as it is, it would give the first student's weight away to the
    /// second (2 x 0.565 - 0.3). On the grid of a twentieth it is 0.55,
    /// which leaves any weight from 0.775 to 0.875.
    #[test]
    fn a_weight_is_rounded_to_a_twentieth_as_every_other_field() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/budapest-cancelled.toml");
        let sc = zopa::scenario::load(&path).expect("the scenario");
        let weight = Seat::Weight { party: 0, issue: 0 };
        assert_eq!(grid(&sc, weight), Some(0.05));
        assert_eq!(rounded(&sc, weight, median(vec![0.83, 0.3])), 0.55);
        assert_eq!(rounded(&sc, weight, 0.99), 1.0);
        assert_eq!(rounded(&sc, weight, 0.01), 0.0);
    }
}
