//! A party may stand for a bloc of members, each with its own bar and
//! votes, deciding by unanimity or a qualified majority. Members share the
//! party's utility, so the bloc is exactly one party whose bar is its
//! pivotal member's: these tests hold the validation, that equivalence and
//! the pivot rule (against brute force over every subset of members) to it.

use std::path::Path;

use zopa::model::Scenario;
use zopa::model::bloc::{Bloc, Member, Rule};
use zopa::scenario;
use zopa::sim;

// Only the explore page's test below uses the server; class play's
// fields of it are not read here.
#[path = "support/server.rs"]
#[allow(dead_code)]
mod support;

#[path = "support/cli.rs"]
mod cli;
use cli::{locate, zopa};

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

/// The textbook with the buyer standing for a bloc: `bloc` is the body of
/// its `[parties.bloc]` table, and the buyer's own reservation is gone.
fn buyer_bloc(bloc: &str) -> String {
    let from = "reservation = 0.3\nideal = { price = 0 }\n";
    assert!(TEXTBOOK.contains(from), "the textbook's buyer changed");
    TEXTBOOK.replacen(
        from,
        &format!("ideal = {{ price = 0 }}\n\n[parties.bloc]\n{bloc}\n"),
        1,
    )
}

const THREE: &str = "members = [\n  { id = \"a\", name = \"Ann\", reservation = 0.2 },\n  \
                     { id = \"b\", name = \"Bo\", reservation = 0.5, votes = 2 },\n  \
                     { id = \"c\", name = \"Cy\", reservation = 0.35 },\n]";

struct Case {
    name: &'static str,
    text: String,
    /// Text the error must point at (its line and column are checked).
    at: &'static str,
    says: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let forty_one: Vec<String> = (1..=41)
        .map(|k| format!("{{ id = \"m{k:02}\", reservation = 0.3 }}"))
        .collect();
    vec![
        Case {
            name: "an empty bloc",
            text: buyer_bloc("rule = \"unanimity\"\nmembers = []"),
            at: "[]",
            says: &[
                "the bloc `buyer` has no members",
                "list at least one member",
            ],
        },
        Case {
            name: "more than 40 members",
            text: buyer_bloc(&format!(
                "rule = \"unanimity\"\nmembers = [{}]",
                forty_one.join(", ")
            )),
            at: "[{ id = \"m01\"",
            says: &[
                "the bloc `buyer` has 41 members",
                "a bloc has 1 to 40 members",
            ],
        },
        Case {
            name: "a member id used twice in one bloc",
            text: buyer_bloc(&format!(
                "rule = \"unanimity\"\n{}",
                THREE.replace("\"c\"", "\"a\"")
            )),
            at: "\"a\", name = \"Cy\"",
            says: &["member id `a` is used twice", "give each member its own id"],
        },
        Case {
            name: "a member id used in two blocs",
            text: buyer_bloc(&format!("rule = \"unanimity\"\n{THREE}")).replacen(
                "reservation = 0.4\nideal = { price = 10 }\n",
                "ideal = { price = 10 }\n\n[parties.bloc]\nrule = \"unanimity\"\n\
                 members = [{ id = \"b\", name = \"Bea\", reservation = 0.4 }]\n",
                1,
            ),
            at: "\"b\", name = \"Bo\"",
            says: &["member id `b` is used twice", "unique across all blocs"],
        },
        Case {
            name: "a member id equal to a party id",
            text: buyer_bloc(&format!(
                "rule = \"unanimity\"\n{}",
                THREE.replace("\"c\"", "\"seller\"")
            )),
            at: "\"seller\", name",
            says: &[
                "member id `seller` is also a party's id",
                "rename the member",
            ],
        },
        Case {
            name: "a quota of 0",
            text: buyer_bloc(&format!(
                "rule = \"qualified_majority\"\nquota = 0\n{THREE}"
            )),
            at: "0\nmembers",
            says: &[
                "the quota of the bloc `buyer` is 0, outside (0, 1]",
                "0.55 for 55%",
            ],
        },
        Case {
            name: "a quota above 1",
            text: buyer_bloc(&format!(
                "rule = \"qualified_majority\"\nquota = 1.2\n{THREE}"
            )),
            at: "1.2",
            says: &["is 1.2, outside (0, 1]", "at most 1"],
        },
        Case {
            name: "a qualified majority without a quota",
            text: buyer_bloc(&format!("rule = \"qualified_majority\"\n{THREE}")),
            at: "\"qualified_majority\"",
            says: &["missing field `quota`"],
        },
        Case {
            name: "a quota beside unanimity",
            text: buyer_bloc(&format!("rule = \"unanimity\"\nquota = 0.5\n{THREE}")),
            at: "0.5\nmembers",
            says: &["decides by unanimity, which has no quota", "remove `quota`"],
        },
        Case {
            name: "an unknown rule",
            text: buyer_bloc(&format!("rule = \"majority\"\n{THREE}")),
            at: "\"majority\"",
            says: &["bloc rule", "qualified_majority"],
        },
        Case {
            name: "negative votes",
            text: buyer_bloc(&format!(
                "rule = \"qualified_majority\"\nquota = 0.5\n{}",
                THREE.replace("votes = 2", "votes = -2")
            )),
            at: "-2",
            says: &[
                "member `b` has -2 votes; votes must be a number, 0 or more",
                "0 or more votes",
            ],
        },
        Case {
            name: "no votes at all",
            text: buyer_bloc(
                "rule = \"qualified_majority\"\nquota = 0.5\nmembers = [{ id = \"a\", reservation = 0.2, votes = 0 }]",
            ),
            at: "[{ id = \"a\"",
            says: &[
                "hold 0 votes in all: no majority can be reached",
                "positive number of votes",
            ],
        },
        Case {
            name: "a reservation on the bloc party itself",
            text: buyer_bloc(&format!("rule = \"unanimity\"\n{THREE}")).replacen(
                "ideal = { price = 0 }",
                "reservation = 0.25\nideal = { price = 0 }",
                1,
            ),
            at: "0.25",
            says: &[
                "`buyer` is a bloc: its bar comes from its members",
                "remove `reservation` here",
            ],
        },
        Case {
            name: "a member's bar out of range",
            text: buyer_bloc(&format!(
                "rule = \"unanimity\"\n{}",
                THREE.replace("0.35", "1.35")
            )),
            at: "1.35",
            says: &["reservation of `c` is 1.35, outside [0, 1]"],
        },
    ]
}

#[test]
fn each_bad_bloc_gets_a_located_error_exit_code_2_and_nothing_written() {
    for case in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("case.toml");
        std::fs::write(&path, &case.text).unwrap();
        let out = tmp.path().join("results");
        let o = zopa(&[
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        let name = case.name;
        assert_eq!(
            o.status.code(),
            Some(2),
            "{name}: exit code; stderr:\n{err}"
        );
        assert!(!err.contains("panicked"), "{name}: no panic");
        for s in case.says {
            assert!(err.contains(s), "{name}: says `{s}`\n{err}");
        }
        assert!(err.contains("help:"), "{name}: says how to fix it\n{err}");
        let (line, col) = locate(&case.text, case.at);
        let place = format!("{}:{line}:{col}", path.display());
        assert!(err.contains(&place), "{name}: points at {place}\n{err}");
        assert!(!out.exists(), "{name}: nothing written");
        assert!(o.stdout.is_empty(), "{name}: no summary printed");
    }
}

fn parse(text: &str) -> Scenario {
    scenario::parse(Path::new("case.toml"), text.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_bloc_starts_at_its_pivots_bar_and_keeps_its_members() {
    let sc = parse(&buyer_bloc(&format!(
        "rule = \"qualified_majority\"\nquota = 0.5\n{THREE}"
    )));
    let buyer = &sc.parties[sc.party_index("buyer").unwrap()];
    let bloc = buyer.bloc.as_ref().expect("the buyer is a bloc");
    // By bar: Ann 0.2 (1 vote), Cy 0.35 (1), Bo 0.5 (2); half of 4 votes
    // is reached with Cy.
    assert_eq!(bloc.members[bloc.pivot_at_start()].name, "Cy");
    assert_eq!(buyer.reservation, 0.35);
    assert_eq!(bloc.members[0].votes, 1.0, "votes default to 1");
    let unanimity = parse(&buyer_bloc(&format!("rule = \"unanimity\"\n{THREE}")));
    let buyer = &unanimity.parties[unanimity.party_index("buyer").unwrap()];
    assert_eq!(
        buyer.reservation, 0.5,
        "unanimity waits for the highest bar"
    );
}

/// The same scenario run with the buyer as a unanimity bloc and as one
/// plain party at the highest member bar: the same timeline, bit for bit,
/// for every archetype that reads a bar.
#[test]
fn a_unanimity_bloc_runs_exactly_as_one_party_at_its_highest_member_bar() {
    for archetype in ["sustained_pressure", "quick_deal"] {
        // The buyer's archetype; a quick dealer's bar falls towards its
        // floor as the rounds pass, so every member's bar moves.
        let with = |text: String| {
            let buyer = text.find("id = \"buyer\"").unwrap();
            let (seller, buyer) = text.split_at(buyer);
            let own = format!("archetype = \"{archetype}\"\nknobs = {{ floor = 0.1 }}");
            let buyer = buyer.replacen("archetype = \"sustained_pressure\"", &own, 1);
            let buyer = if archetype == "quick_deal" {
                buyer
            } else {
                buyer.replace("\nknobs = { floor = 0.1 }", "")
            };
            format!("{seller}{buyer}")
        };
        let bloc = with(buyer_bloc(&format!("rule = \"unanimity\"\n{THREE}")));
        let plain = with(TEXTBOOK.replacen("reservation = 0.3", "reservation = 0.5", 1));
        let (bloc, plain) = (parse(&bloc), parse(&plain));
        for seed in [1, 2, 3] {
            assert_eq!(
                sim::run(&bloc, seed),
                sim::run(&plain, seed),
                "{archetype}, seed {seed}"
            );
        }
    }
}

/// The same through the command line: `zopa run --format json` prints the
/// same summary for the bloc and for the one party.
#[test]
fn a_unanimity_bloc_prints_the_same_summary_as_one_party() {
    let tmp = tempfile::tempdir().unwrap();
    let bloc = tmp.path().join("bloc.toml");
    let plain = tmp.path().join("plain.toml");
    std::fs::write(&bloc, buyer_bloc(&format!("rule = \"unanimity\"\n{THREE}"))).unwrap();
    std::fs::write(
        &plain,
        TEXTBOOK.replacen("reservation = 0.3", "reservation = 0.5", 1),
    )
    .unwrap();
    let json = |path: &Path| {
        let out = tmp.path().join(path.file_stem().unwrap());
        let o = zopa(&[
            "run",
            path.to_str().unwrap(),
            "--format",
            "json",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // The files it lists lie in each run's own folder.
        String::from_utf8(o.stdout)
            .unwrap()
            .replace(out.to_str().unwrap(), "OUT")
    };
    assert_eq!(json(&bloc), json(&plain));
}

/// A small deterministic generator, so a failure names its case.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Whether some set of members whose votes meet the rule all accept
/// utility `u`, tried over every subset.
fn accepts_by_brute_force(bloc: &Bloc, u: f64) -> bool {
    let m = bloc.members.len();
    (1u32..1 << m).any(|set| {
        let inside = |k: usize| set & (1 << k) != 0;
        let all_accept = (0..m)
            .filter(|&k| inside(k))
            .all(|k| bloc.members[k].reservation <= u);
        let meets = match bloc.rule {
            Rule::Unanimity => set == (1 << m) - 1,
            Rule::QualifiedMajority { .. } => bloc.carries(
                (0..m)
                    .filter(|&k| inside(k))
                    .map(|k| bloc.members[k].votes)
                    .sum(),
            ),
        };
        all_accept && meets
    })
}

#[test]
fn the_pivots_bar_agrees_with_every_subset_of_members_meeting_the_quota() {
    let mut rng = Lcg(7);
    for case in 0..400 {
        let m = 1 + (rng.next() * 10.0) as usize;
        let members: Vec<Member> = (0..m)
            .map(|k| Member {
                id: format!("m{k}"),
                name: format!("M{k}"),
                // Bars on a coarse grid, so ties happen.
                reservation: (rng.next() * 10.0).floor() / 10.0,
                votes: (rng.next() * 4.0).floor(),
            })
            .collect();
        if members.iter().all(|x| x.votes == 0.0) {
            continue;
        }
        let rule = if rng.next() < 0.2 {
            Rule::Unanimity
        } else {
            Rule::QualifiedMajority {
                quota: 0.01 + 0.99 * rng.next(),
            }
        };
        let bloc = Bloc { rule, members };
        let bars: Vec<f64> = bloc.members.iter().map(|x| x.reservation).collect();
        let bar = bars[bloc.pivot(&bars)];
        for step in 0..=40 {
            let u = step as f64 / 40.0;
            assert_eq!(
                u >= bar,
                accepts_by_brute_force(&bloc, u),
                "case {case}: {bloc:?} at utility {u}, pivot's bar {bar}"
            );
        }
    }
}

// --- The bundled scenario: the Coalition of the Willing as a bloc ----------

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

fn coalition() -> Scenario {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/coalition-of-the-willing.toml");
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn set(sc: &mut Scenario, path: &str, v: f64) {
    let t = sc.parse_target(path).unwrap();
    sc.set(t, v);
}

/// The header's freeze reading: Ukraine accepts a freeze and Russia's
/// breaking pressure is 0.3, so the lines meet and the bars decide.
fn freeze_reading(coalition_bar: Option<f64>) -> Scenario {
    let mut sc = coalition();
    set(&mut sc, "parties.ukraine.red_lines.territory.max", 0.0);
    set(&mut sc, "parties.russia.breaking_pressure", 0.3);
    if let Some(bar) = coalition_bar {
        set(&mut sc, "parties.coalition.reservation", bar);
    }
    sc
}

#[test]
fn the_coalition_is_a_bloc_of_35_deciding_by_20_votes_with_member_20_as_pivot() {
    let sc = coalition();
    let p = sc.party_index("coalition").unwrap();
    let bloc = sc.parties[p].bloc.as_ref().unwrap();
    assert_eq!(bloc.members.len(), 35, "line 45: 35 countries");
    assert_eq!(bloc.rule, Rule::QualifiedMajority { quota: 0.55 });
    assert_eq!(bloc.members[bloc.pivot_at_start()].id, "member-20");
    assert!((sc.parties[p].reservation - 0.40).abs() < 1e-12);
}

#[test]
fn coalition_baseline_has_no_zone_all_year_and_the_coalition_never_blocks() {
    let sc = coalition();
    let (russia, ukraine, coalition) = (
        sc.party_index("russia").unwrap(),
        sc.party_index("ukraine").unwrap(),
        sc.party_index("coalition").unwrap(),
    );
    for seed in SEEDS {
        let tl = sim::run(&sc, seed);
        assert_eq!(tl.steps.len(), sc.steps as usize, "seed {seed}");
        for s in &tl.steps {
            assert!(s.extent.is_none(), "seed {seed}, week {}: a zone", s.step);
            assert!(s.lines_cross(), "seed {seed}, week {}", s.step);
            assert!(
                s.blocks(russia) && s.blocks(ukraine),
                "seed {seed}, week {}",
                s.step
            );
            assert!(!s.blocks(coalition), "seed {seed}, week {}", s.step);
        }
    }
}

#[test]
fn under_the_freeze_reading_the_bars_keep_it_shut_and_the_coalitions_bar_is_met() {
    let sc = freeze_reading(None);
    let (russia, ukraine, coalition) = (
        sc.party_index("russia").unwrap(),
        sc.party_index("ukraine").unwrap(),
        sc.party_index("coalition").unwrap(),
    );
    for seed in SEEDS {
        for s in &sim::run(&sc, seed).steps {
            let at = format!("seed {seed}, week {}", s.step);
            assert!(
                s.extent.is_none() && !s.lines_cross(),
                "{at}: the bars decide"
            );
            assert!(s.blocks(russia) && s.blocks(ukraine), "{at}");
            assert!(!s.blocks(coalition), "{at}: member-20's bar is met");
        }
    }
}

#[test]
fn with_every_member_a_tenth_higher_the_coalition_blocks_and_member_20_is_named() {
    let sc = freeze_reading(Some(0.5));
    let coalition = sc.party_index("coalition").unwrap();
    let russia = sc.party_index("russia").unwrap();
    for seed in SEEDS {
        for s in &sim::run(&sc, seed).steps {
            let at = format!("seed {seed}, week {}", s.step);
            assert!(s.bar_blockers.iter().any(|b| b.party == coalition), "{at}");
            assert!(s.blocks(russia), "{at}");
            let why = zopa::why::zone_text(&sc, s);
            assert!(
                why.contains("Coalition (")
                    && why.contains("Member 20's yes completes its qualified majority"),
                "{at}: {why}"
            );
        }
    }
}

/// The sentence's claim recomputed from the file alone: with every member
/// of a bar below member-20's saying yes the votes fall short of 55%, with
/// member-20 they reach it; and the bloc runs exactly as one party at
/// member-20's bar would, whatever the shift of every member's bar.
#[test]
fn member_20_is_the_pivot_by_the_votes_and_by_the_run() {
    let sc = coalition();
    let p = sc.party_index("coalition").unwrap();
    let bloc = sc.parties[p].bloc.clone().unwrap();
    let m20 = bloc.members.iter().find(|m| m.id == "member-20").unwrap();
    let votes_below: f64 = (bloc.members.iter())
        .filter(|m| m.reservation < m20.reservation)
        .map(|m| m.votes)
        .sum();
    let total: f64 = bloc.members.iter().map(|m| m.votes).sum();
    assert!(votes_below < 0.55 * total && votes_below + m20.votes >= 0.55 * total);
    for shift in [0.0, 0.1] {
        let bloc_run = freeze_reading(Some(m20.reservation + shift));
        let mut plain = bloc_run.clone();
        plain.parties[p].bloc = None;
        for seed in [1, 2] {
            assert_eq!(
                sim::run(&bloc_run, seed),
                sim::run(&plain, seed),
                "shift {shift}, seed {seed}"
            );
        }
    }
}

#[test]
fn explain_states_the_coalitions_rule_and_lists_its_members_and_bars() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/coalition-of-the-willing.toml");
    let o = zopa(&["explain", path.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The terminal wraps lines; read the words as one text.
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "Coalition is a bloc of 35 members deciding by a qualified majority (55% of the votes)"
        ),
        "{out}"
    );
    assert!(
        words.contains("its bar is that of Member 20, 0.400"),
        "{out}"
    );
    assert!(words.contains("Member 01 0.210, Member 02 0.220"), "{out}");
    assert!(words.contains("Member 35 0.550."), "{out}");
}

/// The explore page's view lists the coalition's rule and members as
/// text: the page has no control that moves a member.
#[test]
fn the_explore_page_shows_the_coalitions_rule_and_members_read_only() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/coalition-of-the-willing.toml");
    let s = support::Server::start(&[path.to_str().unwrap()]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = s.url("/api/scenarios/coalition-of-the-willing/run");
    let mut r = agent
        .post(&url)
        .send_json(serde_json::json!({"seed": 1}))
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let view: serde_json::Value =
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    let blocs = view["blocs"].as_array().expect("a list of blocs");
    assert_eq!(blocs.len(), 1);
    let text = blocs[0].as_str().unwrap();
    assert!(
        text.starts_with("Coalition is a bloc of 35 members"),
        "{text}"
    );
    assert!(text.contains("Member 20, 0.400"), "{text}");
    let scenario = coalition();
    let controls = zopa::scenario::edit::controls(&scenario);
    assert!(
        !controls
            .iter()
            .any(|c| c.path == "parties.coalition.reservation"),
        "no control for a bar the file does not hold"
    );
}

/// The bloc's `reservation` is its pivot's bar: `--set` (and so sweeps,
/// sensitivity and events) moves every member's bar by the same amount,
/// so the same member stays the pivot.
#[test]
fn setting_a_blocs_reservation_moves_every_members_bar_alike() {
    let mut sc = parse(&buyer_bloc(&format!(
        "rule = \"qualified_majority\"\nquota = 0.5\n{THREE}"
    )));
    let buyer = sc.party_index("buyer").unwrap();
    set(&mut sc, "parties.buyer.reservation", 0.45);
    let tl = sim::run(&sc, 1);
    // Ann 0.3, Cy 0.45, Bo 0.6: Cy still completes half the votes, so the
    // bloc's bar is Cy's moved bar (a sustained-pressure bar starts as
    // written).
    assert!((tl.steps[0].reservation[buyer] - 0.45).abs() < 1e-12);
    let mut plain = sc.clone();
    plain.parties[buyer].bloc = None;
    assert_eq!(sim::run(&plain, 1), tl);
}

/// The engine runs a bloc's bar as one party's, from its `reservation` (the
/// pivot's base): that is the members' pivot at every step only because
/// each archetype a bloc may have moves every member's bar by the same
/// non-decreasing function of its base. Here the members' bars are worked
/// out one by one, in many situations, for each such archetype, and their
/// pivot's bar must be the one the engine runs.
#[test]
fn the_bar_the_engine_runs_for_a_bloc_is_its_members_pivot_in_any_situation() {
    use rand::{Rng, SeedableRng};
    use zopa::model::Archetype;
    use zopa::model::archetype::Situation;
    use zopa::model::bloc::bloc_bar;
    use zopa::zone::MAX_ISSUES;

    let sc = coalition();
    let p = sc.parties.iter().position(|p| p.bloc.is_some()).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let ideal = [0.5; MAX_ISSUES];
    let mut checked = 0;
    for archetype in [
        Archetype::QuickDeal,
        Archetype::PoliticalVictory,
        Archetype::SustainedPressure,
    ] {
        let mut party = sc.parties[p].clone();
        party.archetype = archetype;
        let bloc = party.bloc.clone().unwrap();
        for _ in 0..2_000 {
            // A moved reservation (an event, --set) moves every member.
            party.reservation = sc.parties[p].reservation + rng.random_range(-0.3..0.3);
            let world = std::array::from_fn(|_| rng.random::<f64>());
            let now = Situation {
                scenario: &sc,
                world: &world,
                step: rng.random_range(0..=sc.steps),
                front_high: rng.random(),
                pressure: rng.random(),
                aid: rng.random(),
                pressure_peak: rng.random(),
                drag_pressure: rng.random(),
                drag_aid: rng.random(),
            };
            let members = bloc_bar(&bloc, &party, &now, &ideal);
            let engine = party.archetype.derive(&party, &now, &ideal).bar;
            assert!(
                (members - engine).abs() < 1e-12,
                "{archetype:?}: the members' pivot has {members}, the engine runs {engine}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6_000);
}

/// The bloc's line gives its bars' worth in the front issue's units: the
/// pivot's bar as the territory that meets it (the coalition's other
/// issues at its ideal) and what a step of 0.01 of bar is worth, both
/// worked out here from the coalition's weights and ideal.
#[test]
fn the_blocs_line_says_its_bars_in_territory() {
    let sc = coalition();
    let p = sc.parties.iter().position(|p| p.bloc.is_some()).unwrap();
    let party = &sc.parties[p];
    let front = &sc.issues[sc.front_issue];
    let w = party.weight[sc.front_issue];
    let line = zopa::text::bloc_line(&sc, p).unwrap();

    // A step of bar is worth its share of the issue's range over the weight.
    let step = zopa::text::amount(front, 0.01 * front.range() / w);
    assert!(
        line.ends_with(&format!(
            "Each 0.010 of bar is worth {step} of {} to {}.",
            front.id, party.name
        )),
        "{line}"
    );

    // The pivot's bar of 0.40 leaves a reach of (1 - 0.40) / w on either
    // side of the ideal: beyond the whole issue, any territory meets it.
    let ideal = front.normalise(party.ideal[sc.front_issue]);
    let reach = (1.0 - 0.40) / w;
    assert!(ideal - reach <= 0.0 && ideal + reach >= 1.0);
    assert!(
        line.contains(&format!(
            "its bar is that of Member 20, 0.400 (met by any {}, other issues at its ideal).",
            front.id
        )),
        "{line}"
    );
}
