//! A sentence audit. For every bundled scenario and three seeds, every
//! number in the narrative, the "why" line, the lesson's result sentence
//! and the "what would have to change" question is recomputed here from `timeline.csv` alone (or, for
//! the concessions, by asking the solver again), in the order the sentences
//! print them; no number is left unchecked; a party that walked away is never
//! said to move; ties are named as ties.

use std::collections::HashMap;
use std::path::Path;

use zopa::model::{Provenance, Scenario};
use zopa::zone::{Solver, ZONE_TOL};

/// One row of `timeline.csv`, by column name.
type Row = HashMap<String, String>;

fn parse_csv(text: &str) -> Vec<Row> {
    let mut lines = text.lines();
    let head: Vec<String> = split(lines.next().unwrap());
    lines
        .map(|l| head.iter().cloned().zip(split(l)).collect())
        .collect()
}

/// Splits a CSV line, honouring quoted fields.
fn split(line: &str) -> Vec<String> {
    let (mut out, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

fn f(row: &Row, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

/// A number as printed, with the decimals it was printed with.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    decimals: i32,
    /// How far the recomputation may stray because the timeline's columns
    /// are themselves rounded (a figure scaled up from one of them).
    slack: f64,
}

fn n(value: f64, decimals: i32) -> Num {
    Num {
        value,
        decimals,
        slack: 0.0,
    }
}

/// Every number in `text`, in order (a leading sign belongs to it when it
/// follows a space or an opening bracket).
fn numbers(text: &str) -> Vec<f64> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let signed = (b[i] == b'+' || b[i] == b'-')
            && i + 1 < b.len()
            && b[i + 1].is_ascii_digit()
            && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'(');
        if b[i].is_ascii_digit() || signed {
            let start = i;
            i += 1;
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || (b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            out.push(text[start..i].parse().unwrap());
        } else {
            i += 1;
        }
    }
    out
}

/// Checks that `text` holds exactly the `expected` numbers, in order, each
/// within half a unit of its last printed decimal (plus the CSV's own
/// rounding).
fn check(text: &str, expected: &[Num], context: &str) {
    let got = numbers(text);
    let want: Vec<f64> = expected.iter().map(|e| e.value).collect();
    assert_eq!(
        got.len(),
        expected.len(),
        "{context}\n{text}\nwant {want:?}\ngot  {got:?}"
    );
    for (g, e) in got.iter().zip(expected) {
        let tol = 0.5 * 10f64.powi(-e.decimals) + 2e-6 + e.slack;
        assert!(
            (g - e.value).abs() <= tol,
            "{context}\n{text}\nwant {want:?}\ngot  {got:?}"
        );
    }
}

fn party_by_id(sc: &Scenario, id: &str) -> usize {
    sc.parties.iter().position(|p| p.id == id).unwrap()
}

/// The numbers of the "why" text of a row, as `why::zone_text` must print
/// them, recomputed from the row.
fn why_numbers(sc: &Scenario, row: &Row) -> Vec<Num> {
    let mut out = Vec::new();
    if row["zone"] == "true" {
        let depth = -f(row, "gap");
        if depth < 5e-5 {
            out.push(n(0.0001, 4));
        } else {
            out.push(n(depth, 4));
            out.extend(depth_worth(sc, depth));
        }
        // A discrete issue's extent is said by its options' names.
        for i in sc.issues.iter().filter(|i| !i.is_discrete()) {
            out.push(n(f(row, &format!("zone_low_{}", i.id)), 2));
            out.push(n(f(row, &format!("zone_high_{}", i.id)), 2));
        }
        return out;
    }
    let crossing: Vec<usize> = (0..sc.issues.len())
        .filter(|&k| f(row, &format!("lines_cross_{}", sc.issues[k].id)) > 0.0)
        .collect();
    if crossing.is_empty() {
        out.push(n(f(row, "bar_gap"), 4));
        if let Some(w) = main_blocker_worth(sc, row) {
            out.push(w);
        }
        for share in row["bar_blocker_shares"].split(';') {
            out.push(n(100.0 * share.parse::<f64>().unwrap(), 0));
        }
        return out;
    }
    for &k in &crossing {
        let i = &sc.issues[k];
        if i.is_discrete() {
            continue;
        }
        let least = row[&format!("line_least_{}", i.id)]
            .parse()
            .unwrap_or(i.min);
        let most = row[&format!("line_most_{}", i.id)].parse().unwrap_or(i.max);
        out.push(n(least, 2));
        out.push(n(most, 2));
        out.push(n(f(row, &format!("lines_cross_{}", i.id)), 2));
    }
    if f(row, "bar_gap") > ZONE_TOL {
        out.push(n(f(row, "bar_gap"), 4));
        if let Some(w) = main_blocker_worth(sc, row) {
            out.push(w);
        }
    }
    out
}

/// The bar gap's worth to the bar blocker with the largest share (the
/// first of those tied), in the front issue's units: the gap times the
/// front's range over the party's weight on it (`docs/model.md`), or on
/// its most weighted issue when it gives the front none. `None` where the
/// sentence says "more than all of ..." instead of a figure.
fn main_blocker_worth(sc: &Scenario, row: &Row) -> Option<Num> {
    let ids: Vec<&str> = row["bar_blockers"].split(';').collect();
    let shares: Vec<f64> = row["bar_blocker_shares"]
        .split(';')
        .map(|x| x.parse().unwrap())
        .collect();
    let mut main = 0;
    for (k, share) in shares.iter().enumerate() {
        if *share > shares[main] {
            main = k;
        }
    }
    let party = &sc.parties[party_by_id(sc, ids[main])];
    let mut issue = sc.front_issue;
    if party.weight[issue] <= 0.0 {
        for k in 0..sc.issues.len() {
            if party.weight[k] > party.weight[issue] {
                issue = k;
            }
        }
    }
    let scale = sc.issues[issue].range() / party.weight[issue];
    let worth = f(row, "bar_gap") * scale;
    // The column holds six decimals.
    let slack = 0.5e-6 * scale;
    (worth <= sc.issues[issue].range()).then_some(Num {
        value: worth,
        decimals: 2,
        slack,
    })
}

/// A utility `u`'s worth to `party` in the units of the front issue (or of
/// its most weighted issue when it gives the front none), and that issue:
/// `u` times the issue's range over the party's weight on it.
fn worth_of(sc: &Scenario, party: usize, u: f64) -> (f64, usize) {
    let party = &sc.parties[party];
    let mut issue = sc.front_issue;
    if party.weight[issue] <= 0.0 {
        for k in 0..sc.issues.len() {
            if party.weight[k] > party.weight[issue] {
                issue = k;
            }
        }
    }
    (u * sc.issues[issue].range() / party.weight[issue], issue)
}

/// The numbers a settlement (`a;b;c` in its column) is written with: one
/// per continuous issue; a discrete issue is written by its option's name.
fn settlement_numbers(sc: &Scenario, column: &str) -> Vec<Num> {
    (sc.issues.iter().zip(column.split(';')))
        .filter(|(i, _)| !i.is_discrete())
        .map(|(_, v)| n(v.parse().unwrap(), 2))
        .collect()
}

/// A zone's depth's worth to every party: the least of its worths on the
/// front issue, said only within the issue's range.
fn depth_worth(sc: &Scenario, depth: f64) -> Option<Num> {
    let front = sc.front_issue;
    let least = (0..sc.parties.len())
        .filter(|&p| sc.parties[p].weight[front] > 0.0)
        .map(|p| worth_of(sc, p, depth).0)
        .fold(f64::INFINITY, f64::min);
    let slack = 0.5e-6 * least / depth;
    (least <= sc.issues[front].range()).then_some(Num {
        value: least,
        decimals: 2,
        slack,
    })
}

/// The numbers of a bar said as the settlements that meet it
/// (`docs/model.md`, "A bar in units"): with every other issue at the
/// party's ideal of that step, the bar `r` is met on the front issue (or
/// its most weighted one) within `(1 - r) / w` of its ideal, cut to the
/// range; none when every value meets it, one at an end of the range, two
/// inside it.
fn bar_met(sc: &Scenario, row: &Row, s: &zopa::sim::Step, p: usize) -> Vec<Num> {
    let bar = f(row, &format!("reservation_{}", sc.parties[p].id));
    // The column holds six decimals.
    bar_met_at(sc, s, p, bar, 0.5e-6)
}

/// [`bar_met`] for a bar known to within `bar_slack`.
fn bar_met_at(sc: &Scenario, s: &zopa::sim::Step, p: usize, bar: f64, bar_slack: f64) -> Vec<Num> {
    let party = &sc.parties[p];
    let (_, k) = worth_of(sc, p, 0.0);
    let i = &sc.issues[k];
    let w = party.weight[k];
    let a = s.terms[p].ideal[k];
    let reach = (1.0 - bar) / w;
    let slack = bar_slack * i.range() / w;
    let at = |y: f64| Num {
        value: i.min + y * i.range(),
        decimals: 2,
        slack,
    };
    let (lo, hi) = (a - reach, a + reach);
    if reach <= 1e-12 {
        vec![at(a)]
    } else {
        match (lo <= 1e-12, hi >= 1.0 - 1e-12) {
            (true, true) => vec![],
            (true, false) => vec![at(hi)],
            (false, true) => vec![at(lo)],
            (false, false) => vec![at(lo), at(hi)],
        }
    }
}

/// A concession's worth to a party, when the sentence gives it a figure.
fn concession_worth(sc: &Scenario, party: usize, d: f64) -> Option<Num> {
    let (w, issue) = worth_of(sc, party, d);
    (w <= sc.issues[issue].range()).then_some(n(w, 2))
}

/// Numbers that are part of the scenario's own words (issue labels and
/// units such as "% of Ukraine"), which a "why" text repeats.
fn words_numbers(sc: &Scenario) -> usize {
    sc.issues
        .iter()
        .map(|i| numbers(&i.label).len() + numbers(&i.unit).len())
        .sum()
}

/// The event sentences of a step, as the narrative writes them without a
/// source document: taken out before the numbers are read.
fn strip_events(sc: &Scenario, text: &str, events: &[usize]) -> String {
    let mut t = text.to_string();
    for &e in events {
        let ev = &sc.events[e];
        let s = match (&ev.provenance, ev.source_line) {
            (Provenance::Reported { quote }, Some(line)) => {
                format!("{} (article line {line}: \"{quote}\").", ev.label)
            }
            (Provenance::WhatIf, Some(line)) => {
                format!("{} (prompted by article line {line}).", ev.label)
            }
            (_, Some(line)) => format!("{} (article line {line}).", ev.label),
            (_, None) => format!("{}.", ev.label),
        };
        assert!(t.contains(&s), "event sentence {s:?} in {t:?}");
        t = t.replacen(&s, "", 1);
    }
    t
}

fn audit(sc: &Scenario, seed: u64) {
    audit_at(sc, seed, None)
}

fn audit_at(sc: &Scenario, seed: u64, at: Option<u32>) {
    let tl = zopa::sim::run(sc, seed);
    let rows = parse_csv(&zopa::output::timeline_csv(sc, &tl));
    let a = zopa::report::analyse(sc, tl.clone(), None, at);
    assert_eq!(
        words_numbers(sc),
        0,
        "issue labels and units hold no digits"
    );
    let ctx = |what: &str| format!("{} seed {seed}: {what}", sc.name);
    let story = &a.narrative;

    // The opening: the "why" at step 0 and every bar.
    let mut want = vec![n(0.0, 0)];
    want.extend(why_numbers(sc, &rows[0]));
    for (p, party) in sc.parties.iter().enumerate() {
        want.push(n(f(&rows[0], &format!("reservation_{}", party.id)), 3));
        want.extend(bar_met(sc, &rows[0], &tl.steps[0], p));
    }
    check(&story[0], &want, &ctx("opening"));

    // A paragraph per step where something happened.
    let mut paragraphs = story[1..story.len() - 2].iter();
    for (t, s) in tl.steps.iter().enumerate() {
        let (prev, row) = (&rows[t.saturating_sub(1)], &rows[t]);
        let opened = t > 0 && row["zone"] != prev["zone"];
        let deal = row["deal"] == "true";
        let walked: Vec<usize> = (0..sc.parties.len())
            .filter(|&p| {
                t > 0
                    && prev[&format!("engaged_{}", sc.parties[p].id)] == "true"
                    && row[&format!("engaged_{}", sc.parties[p].id)] == "false"
            })
            .collect();
        let turns = if t > 0 {
            turn_numbers(sc, prev, row, t)
        } else {
            Vec::new()
        };
        if s.events.is_empty() && !opened && !deal && walked.is_empty() && turns.is_empty() {
            continue;
        }
        let text = paragraphs.next().expect("a paragraph for this step");
        let rest = strip_events(sc, text, &s.events);
        let mut want = vec![n(t as f64, 0)];
        if t > 0 && !s.events.is_empty() {
            want.extend([n(t as f64 - 1.0, 0), n(t as f64, 0)]);
            want.extend([n(f(prev, "gap"), 4), n(f(row, "gap"), 4)]);
            want.extend(moves(sc, prev, row, s, &rest, &ctx("step")));
        }
        if opened {
            want.extend(why_numbers(sc, row));
        }
        want.extend(turns.into_iter().flatten());
        if deal {
            want.extend(settlement_numbers(sc, &row["proposal"]));
        }
        check(&rest, &want, &ctx(&format!("step {t}")));
    }

    // Who blocked, and where the gap was largest and smallest.
    let blocking = &story[story.len() - 2];
    let steps = rows.len() as f64;
    let mut want = Vec::new();
    for p in &sc.parties {
        let shares: Vec<f64> = rows
            .iter()
            .filter_map(|r| {
                let ids: Vec<&str> = r["blockers"].split(';').collect();
                let at = ids.iter().position(|id| *id == p.id)?;
                Some(r["blocker_shares"].split(';').nth(at)?.parse().unwrap())
            })
            .collect();
        if !shares.is_empty() {
            let mean = shares.iter().sum::<f64>() / shares.len() as f64;
            want.extend([n(shares.len() as f64, 0), n(steps, 0), n(100.0 * mean, 0)]);
        }
    }
    if !want.is_empty() {
        let gaps: Vec<f64> = rows.iter().map(|r| f(r, "gap")).collect();
        let hi = gaps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = gaps.iter().copied().fold(f64::INFINITY, f64::min);
        let at = |v: f64| gaps.iter().position(|g| (g - v).abs() < 2e-6).unwrap() as f64;
        want.extend([n(at(hi), 0), n(hi, 4), n(at(lo), 0), n(lo, 4)]);
    }
    check(blocking, &want, &ctx("blocking"));
    let main = &a.facts.main_blockers;
    if main.len() > 1 {
        assert!(
            a.facts.main_blocker_name(sc).contains("(tied)"),
            "a tie is named as one"
        );
    }

    // The "why" line of `explain` (and of the summary and report): at the
    // first zone, else where the parties came closest.
    let told = match rows.iter().position(|r| r["zone"] == "true") {
        Some(z) => z,
        None => {
            let gaps: Vec<f64> = rows.iter().map(|r| f(r, "gap")).collect();
            let lo = gaps.iter().copied().fold(f64::INFINITY, f64::min);
            gaps.iter().position(|g| (g - lo).abs() < 2e-6).unwrap()
        }
    };
    let text = zopa::report::text::render(&a);
    let why: String = text
        .lines()
        .skip_while(|l| !l.starts_with("why:"))
        .take_while(|l| l.starts_with("why:") || l.starts_with("   "))
        .collect::<Vec<_>>()
        .join(" ");
    let mut want = vec![n(told as f64, 0)];
    want.extend(why_numbers(sc, &rows[told]));
    check(&why, &want, &ctx("why"));

    // The outcome.
    let outcome = story.last().unwrap();
    let want: Vec<Num> = if let Some(d) = rows.iter().position(|r| r["deal"] == "true") {
        let mut w = vec![n(d as f64, 0)];
        w.extend(settlement_numbers(sc, &rows[d]["proposal"]));
        w
    } else if let Some(z) = rows.iter().position(|r| r["zone"] == "true") {
        vec![n(z as f64, 0)]
    } else {
        vec![n(steps, 0)]
    };
    check(outcome, &want, &ctx("outcome"));

    // The lesson's result sentence, on the slide of the run as written.
    let result = zopa::report::lesson::result_sentence(sc, &tl);
    let mut want = Vec::new();
    if let Some(d) = rows.iter().position(|r| r["deal"] == "true") {
        // "The zone first opens at step Z; a deal at step D: ..." when the
        // zone opened before the deal's step.
        let z = rows.iter().position(|r| r["zone"] == "true");
        if let Some(z) = z.filter(|&z| z < d) {
            want.push(n(z as f64, 0));
        }
        want.push(n(d as f64, 0));
        want.extend(settlement_numbers(sc, &rows[d]["proposal"]));
    } else if let Some(z) = rows.iter().position(|r| r["zone"] == "true") {
        want.push(n(z as f64, 0));
    } else {
        want.push(n(told as f64, 0));
        want.extend(why_numbers(sc, &rows[told]));
    }
    check(&result, &want, &ctx("lesson result"));
    let question = zopa::report::lesson::decision_question(sc);
    check(&question, &[], &ctx("lesson question"));

    // Who gave up the most: the bar's two ends, each with the settlements
    // that meet it at its own step.
    let q = (a.questions.iter())
        .find(|q| q.starts_with("Who gave up") || q.starts_with("Of those who blocked"));
    if let Some(c) = a.facts.largest_bar_fall().or(a.facts.largest_bar_rise()) {
        let q = q.expect("the question names the bar's change");
        let col = format!("reservation_{}", sc.parties[c.party].id);
        let last = c.last_step as usize;
        let mut want = vec![n(f(&rows[0], &col), 3)];
        want.extend(bar_met(sc, &rows[0], &tl.steps[0], c.party));
        want.push(n(f(&rows[last], &col), 3));
        want.extend(bar_met(sc, &rows[last], &tl.steps[last], c.party));
        if q.starts_with("Who gave up") {
            want.extend([n(0.0, 0), n(last as f64, 0)]);
        }
        check(q, &want, &ctx("who gave up the most"));
    }

    // What would have to change: each concession named opens the zone, and
    // nine tenths of it does not.
    if let Some(o) = &a.openings {
        let q = a
            .questions
            .iter()
            .find(|q| q.starts_with("What would have to change?"))
            .expect("the question is asked");
        let mut want = vec![n(f64::from(o.step), 0)];
        for al in &o.alone {
            if let Some(d) = al.concession {
                want.push(n(d, 3));
                want.extend(concession_worth(sc, al.party, d));
            }
        }
        let s = &tl.steps[o.step as usize];
        let dim = sc.issues.len();
        for g in &o.groups {
            want.extend(group_numbers(
                sc,
                s,
                &rows[o.step as usize],
                g,
                &ctx("group"),
            ));
        }
        if let Some(j) = o.smallest_joint() {
            let d = j.concession.unwrap();
            want.extend([n(d, 3), n(d, 3)]);
            want.extend(j.parties.iter().filter_map(|&p| concession_worth(sc, p, d)));
            want.push(n(100.0 * d, 1));
            let gap_at = |d: f64| {
                let terms: Vec<_> = s
                    .consenting
                    .iter()
                    .map(|&p| {
                        let t = s.terms[p].clone();
                        if j.parties.contains(&p) {
                            zopa::explain::concede(&t, dim, d)
                        } else {
                            t
                        }
                    })
                    .collect();
                <Solver>::default().gap(dim, &terms).value
            };
            assert!(gap_at(d) <= ZONE_TOL + 1e-9, "{}", ctx("joint move opens"));
            assert!(
                d == 0.0 || gap_at(0.9 * d) > ZONE_TOL,
                "{}",
                ctx("and is the least")
            );
            // Both are needed: either alone, conceding as much, does not
            // open it.
            for p in j.parties {
                let terms: Vec<_> = (s.consenting.iter())
                    .map(|&q| {
                        let t = s.terms[q].clone();
                        if q == p {
                            zopa::explain::concede(&t, dim, d * 0.999_999)
                        } else {
                            t
                        }
                    })
                    .collect();
                assert!(
                    <Solver>::default().gap(dim, &terms).value > ZONE_TOL,
                    "{}",
                    ctx("a joint move needs both")
                );
            }
        }
        check(q, &want, &ctx("what would have to change"));

        // The openings table of the text report: each bar row said in
        // units, and each joint move with its worth to both parties.
        let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let report = flat(&text);
        // The HTML report's (and the classroom page's) openings say the
        // same words.
        let html = zopa::report::html::openings_html(sc, &tl, o);
        let row = &rows[o.step as usize];
        for m in o.alone.iter().flat_map(|a| &a.moves) {
            let Some(note) = zopa::report::bar_row_note(sc, s, m) else {
                assert!(m.lever.issue().is_some(), "{}", ctx("a bar row has a note"));
                continue;
            };
            assert!(
                report.contains(&flat(&note)),
                "{}: {note}",
                ctx("bar note shown")
            );
            assert!(html.contains(&note), "{}: {note}", ctx("bar note in HTML"));
            let col = format!("reservation_{}", sc.parties[m.party].id);
            let mut want = vec![n(f(row, &col), 3)];
            want.extend(bar_met(sc, row, s, m.party));
            if let Some(to) = m.to {
                want.push(n(to, 3));
                want.extend(bar_met_at(sc, s, m.party, to, 0.0));
            }
            check(&note, &want, &ctx("bar row in units"));
        }
        for j in &o.joint {
            let cell = zopa::report::joint_concession_text(sc, j);
            assert!(
                report.contains(&flat(&cell)),
                "{}: {cell}",
                ctx("joint row shown")
            );
            assert!(html.contains(&cell), "{}: {cell}", ctx("joint row in HTML"));
            let want: Vec<Num> = match j.concession {
                Some(d) => std::iter::once(n(d, 3))
                    .chain(j.parties.iter().filter_map(|&p| concession_worth(sc, p, d)))
                    .collect(),
                None => Vec::new(),
            };
            check(&cell, &want, &ctx("joint move in units"));
        }
    }
}

/// The turning points between two rows, each as the numbers its sentence
/// prints, in the narrative's order: the tightest line on an issue passing
/// to another party (its new value, the old one, the step before), a bar
/// reaching 0 or 1, the wall changing (the "why" numbers), the step's
/// leading blockers changing (shares now, shares before, the step before).
fn turn_numbers(sc: &Scenario, prev: &Row, row: &Row, t: usize) -> Vec<Vec<Num>> {
    let mut out = Vec::new();
    for i in &sc.issues {
        for side in ["least", "most"] {
            let by = |r: &Row| r[&format!("line_{side}_by_{}", i.id)].clone();
            let (a, b) = (by(prev), by(row));
            if !a.is_empty() && !b.is_empty() && a != b {
                let col = format!("line_{side}_{}", i.id);
                out.push(vec![
                    n(f(row, &col), 2),
                    n(f(prev, &col), 2),
                    n(t as f64 - 1.0, 0),
                ]);
            }
        }
    }
    for p in &sc.parties {
        let engaged = |r: &Row| r[&format!("engaged_{}", p.id)] == "true";
        if !(engaged(prev) && engaged(row)) {
            continue;
        }
        let col = format!("reservation_{}", p.id);
        let (a, b) = (f(prev, &col), f(row, &col));
        if a > 0.0 && b <= 0.0 {
            out.push(vec![n(0.0, 3)]);
        }
        if a < 1.0 && b >= 1.0 {
            out.push(vec![n(1.0, 3)]);
        }
    }
    let cross = |r: &Row| {
        sc.issues
            .iter()
            .any(|i| f(r, &format!("lines_cross_{}", i.id)) > 0.0)
    };
    if prev["zone"] == "false" && row["zone"] == "false" && cross(prev) != cross(row) {
        out.push(why_numbers(sc, row));
    }
    let (was, now) = (leading(sc, prev), leading(sc, row));
    let ids = |g: &[(usize, f64)]| g.iter().map(|x| x.0).collect::<Vec<_>>();
    if !was.is_empty() && !now.is_empty() && ids(&was) != ids(&now) {
        let mut nums: Vec<Num> = now.iter().map(|x| n(100.0 * x.1, 0)).collect();
        nums.extend(was.iter().map(|x| n(100.0 * x.1, 0)));
        nums.push(n(t as f64 - 1.0, 0));
        out.push(nums);
    }
    out
}

/// A row's blockers with the largest share, and those within half a
/// percent of it, in scenario order: (party, share).
fn leading(sc: &Scenario, row: &Row) -> Vec<(usize, f64)> {
    if row["blockers"].is_empty() {
        return Vec::new();
    }
    let all: Vec<(usize, f64)> = row["blockers"]
        .split(';')
        .zip(row["blocker_shares"].split(';'))
        .map(|(id, s)| (party_by_id(sc, id), s.parse().unwrap()))
        .collect();
    let top = all.iter().map(|x| x.1).fold(f64::NEG_INFINITY, f64::max);
    let mut out: Vec<(usize, f64)> = all.into_iter().filter(|x| x.1 >= top - 0.005).collect();
    out.sort_by_key(|x| x.0);
    out
}

/// A group holding one line: the line is the row's tightest, each holder
/// holds it, none moving alone opens the zone, all moving to the value
/// named do and nine tenths of the way does not; its numbers.
fn group_numbers(
    sc: &Scenario,
    s: &zopa::sim::Step,
    row: &Row,
    g: &zopa::explain::LineGroup,
    ctx: &str,
) -> Vec<Num> {
    let i = &sc.issues[g.issue];
    let side = if g.upper { "most" } else { "least" };
    let at = f(row, &format!("line_{side}_{}", i.id));
    let dim = sc.issues.len();
    let line_of = |t: &zopa::zone::Terms| {
        if g.upper {
            t.upper[g.issue]
        } else {
            t.lower[g.issue]
        }
    };
    let gap_with = |movers: &[usize], to: f64| {
        let terms: Vec<_> = (s.consenting.iter())
            .map(|&q| {
                let mut t = s.terms[q].clone();
                if movers.contains(&q) {
                    let v = (to - i.min) / i.range();
                    if g.upper {
                        t.upper[g.issue] = v
                    } else {
                        t.lower[g.issue] = v
                    }
                }
                t
            })
            .collect();
        <Solver>::default().gap(dim, &terms).value
    };
    for &p in &g.parties {
        let held = i.min + line_of(&s.terms[p]) * i.range();
        assert!((held - at).abs() < 1e-5, "{ctx}: {} holds the line", p);
    }
    let mut out = vec![n(at, 2)];
    if let Some(to) = g.to {
        assert!(
            gap_with(&g.parties, to) <= ZONE_TOL + 1e-9,
            "{ctx}: all moving opens it"
        );
        let short = at + 0.9 * (to - at);
        assert!(
            gap_with(&g.parties, short) > ZONE_TOL,
            "{ctx}: and is the least"
        );
        for &p in &g.parties {
            assert!(gap_with(&[p], to) > ZONE_TOL, "{ctx}: one alone does not");
        }
        out.push(n(to, 2));
    }
    out
}

/// The numbers of the bar and limit moves in a step's effect sentence, and
/// a check that no party that walked away is said to move.
fn moves(
    sc: &Scenario,
    prev: &Row,
    row: &Row,
    s: &zopa::sim::Step,
    text: &str,
    ctx: &str,
) -> Vec<Num> {
    let mut out = Vec::new();
    for p in &sc.parties {
        let engaged = |r: &Row| r[&format!("engaged_{}", p.id)] == "true";
        if !(engaged(prev) && engaged(row)) {
            assert!(
                !text.contains(&format!("{} bar", p.name))
                    && !text.contains(&format!("{}' bar", p.name))
                    && !text.contains(&format!("{} now accepts", p.name)),
                "{ctx}: {} walked away but is said to move: {text}",
                p.name
            );
            continue;
        }
        let col = format!("reservation_{}", p.id);
        if (f(row, &col) - f(prev, &col)).abs() >= 0.005 {
            let pi = party_by_id(sc, &p.id);
            let mut nums = vec![n(f(prev, &col), 3), n(f(row, &col), 3)];
            nums.extend(bar_met(sc, row, s, pi));
            out.push((0, pi, nums));
        }
    }
    let issue = &sc.issues[sc.front_issue];
    let notice = 0.01 * issue.range();
    for p in &sc.parties {
        let engaged = |r: &Row| r[&format!("engaged_{}", p.id)] == "true";
        if !(engaged(prev) && engaged(row)) {
            continue;
        }
        let get = |r: &Row, c: &str| r[&format!("{c}_{}", p.id)].parse::<f64>().ok();
        let pi = party_by_id(sc, &p.id);
        for (c, inside) in [("range_low", 1), ("range_high", 2)] {
            let (Some(a), Some(b)) = (get(prev, c), get(row, c)) else {
                continue;
            };
            let real = if inside == 1 {
                b > issue.min
            } else {
                b < issue.max
            };
            if (a - b).abs() >= notice && real {
                out.push((inside, pi, vec![n(b, 2), n(a, 2)]));
            }
        }
    }
    // Bars first, then limits party by party (low before high).
    out.sort_by_key(|(kind, p, _)| (*kind > 0, *p, *kind));
    out.into_iter().flat_map(|(_, _, nums)| nums).collect()
}

#[test]
fn every_number_in_the_story_is_recomputed_from_the_timeline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(root.join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let sc = zopa::scenario::load(&path).unwrap();
        for seed in [1, 2, 3] {
            audit(&sc, seed);
        }
    }
    // The freeze reading of Ukraine's line, where Ukraine's and Europe's
    // lines part and the tightest passes from one to the other.
    let mut sc = zopa::scenario::load(&root.join("scenarios/freeze-the-front.toml")).unwrap();
    let freeze = "parties.ukraine.red_lines.territory.max=0".parse().unwrap();
    sc.assign(&freeze).unwrap();
    for seed in [1, 2, 3] {
        audit(&sc, seed);
    }
    // At week 10 of that reading Ukraine and Europe hold one line.
    audit_at(&sc, 1, Some(10));
}

#[test]
fn the_number_reader_reads_signs_decimals_and_ranges() {
    assert_eq!(
        numbers("week 3 to week 4 the gap went +0.0407 → -0.0366 (was 19.53), 50%"),
        [3.0, 4.0, 0.0407, -0.0366, 19.53, 50.0]
    );
    assert_eq!(numbers("Russia-Ukraine 2-3"), [2.0, 3.0]);
}
