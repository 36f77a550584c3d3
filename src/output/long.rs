//! The long tables of one run, beside `timeline.csv`: `parties.csv` (a row
//! per step and party), `issues.csv` (a row per step and issue) and
//! `events.csv` (a row per event fired). Every cell holds one value: no
//! list is packed into a cell and no id is built into a column name, so a
//! table loads into a data frame without reshaping.
//!
//! Numbers are written by [`super::real`] (they read back exactly), ids and
//! labels by [`super::csv_field`].

use super::{csv_field, real};
use crate::model::Scenario;
use crate::sim::{Step, Timeline};
use crate::zone::Blocker;

/// An optional number: empty when absent.
fn opt(v: Option<f64>) -> String {
    v.map(real).unwrap_or_default()
}

/// A party's share among `blockers`, 0 when it is not one of them.
fn share_of(blockers: &[Blocker], party: usize) -> String {
    real(
        blockers
            .iter()
            .find(|b| b.party == party)
            .map_or(0.0, |b| b.share),
    )
}

/// `parties.csv`: one row per step and party, parties in file order.
pub fn parties_csv(sc: &Scenario, tl: &Timeline) -> String {
    let mut out = String::from(
        "step,party,bar,range_low,range_high,accepts,engaged,blocker_share,line_blocker_share,bar_blocker_share\n",
    );
    for s in &tl.steps {
        for (p, party) in sc.parties.iter().enumerate() {
            let range = s.ranges[p];
            let row = [
                s.step.to_string(),
                csv_field(&party.id),
                real(s.reservation[p]),
                opt(range.map(|r| r.low)),
                opt(range.map(|r| r.high)),
                s.accepts[p].to_string(),
                s.engaged[p].to_string(),
                share_of(&s.blockers, p),
                share_of(&s.line_blockers, p),
                share_of(&s.bar_blockers, p),
            ];
            out.push_str(&row.join(","));
            out.push('\n');
        }
    }
    out
}

/// `issues.csv`: one row per step and issue, issues in file order.
pub fn issues_csv(sc: &Scenario, tl: &Timeline) -> String {
    issues_csv_with(sc, tl, &crate::outcome::kalai_smorodinsky_points(sc, tl))
}

/// [`issues_csv`] with each step's Kalai-Smorodinsky point given, as
/// [`super::timeline_csv_with`] takes them.
pub fn issues_csv_with(sc: &Scenario, tl: &Timeline, ks: &[Option<Vec<f64>>]) -> String {
    let mut out = String::from(
        "step,issue,zone_low,zone_high,lines_cross,line_least,line_least_by,line_most,line_most_by,nash,closest,kalai_smorodinsky,proposal",
    );
    // With a discrete issue, its options by name, as the reader says them.
    let named = sc.issues.iter().any(|i| i.is_discrete());
    if named {
        out.push_str(",point_option,kalai_smorodinsky_option,zone_options");
    }
    out.push('\n');
    for (s, ks) in tl.steps.iter().zip(ks) {
        for (k, issue) in sc.issues.iter().enumerate() {
            let mut row = issue_row(sc, s, k, &issue.id, ks.as_deref());
            if named {
                let option = |y: Option<f64>| {
                    csv_field(y.and_then(|y| issue.option_at(y)).unwrap_or_default())
                };
                row.push(option(s.point.get(k).copied()));
                row.push(option(ks.as_deref().and_then(|v| v.get(k).copied())));
                let open = s.options_in_zone.get(k).map_or(&[][..], Vec::as_slice);
                let names: Vec<&str> = (open.iter().filter(|_| issue.is_discrete()))
                    .map(|&o| issue.options[o].as_str())
                    .collect();
                row.push(csv_field(&names.join(";")));
            }
            out.push_str(&row.join(","));
            out.push('\n');
        }
    }
    out
}

fn issue_row(sc: &Scenario, s: &Step, k: usize, id: &str, ks: Option<&[f64]>) -> Vec<String> {
    let party = |p: Option<usize>| p.map_or(String::new(), |p| csv_field(&sc.parties[p].id));
    let l = &s.lines[k];
    let extent = s.extent_on(k);
    let point = s.point.get(k).copied();
    vec![
        s.step.to_string(),
        csv_field(id),
        opt(extent.map(|z| z.low)),
        opt(extent.map(|z| z.high)),
        real(s.crossing(k)),
        // A bound no party's line sets is the end of the issue: left empty.
        opt(l.least_by.map(|_| l.least)),
        party(l.least_by),
        opt(l.most_by.map(|_| l.most)),
        party(l.most_by),
        opt(point.filter(|_| s.point_is_nash)),
        opt(point.filter(|_| !s.point_is_nash)),
        opt(ks.and_then(|v| v.get(k).copied())),
        opt(s.proposal.as_ref().and_then(|p| p.point.get(k).copied())),
    ]
}

/// The id an event goes by in files: its `id`, else its position in the
/// file from 1 (as `--set events.N.probability` names it).
pub fn event_id(sc: &Scenario, e: usize) -> String {
    sc.events[e]
        .id
        .clone()
        .unwrap_or_else(|| (e + 1).to_string())
}

/// `events.csv`: one row per event fired, in step order, then file order.
pub fn events_csv(sc: &Scenario, tl: &Timeline) -> String {
    let mut out = String::from("step,event,label,kind,source_line\n");
    for s in &tl.steps {
        for &e in &s.events {
            let ev = &sc.events[e];
            let kind = if ev.source_line.is_some() {
                "reported"
            } else {
                "what-if"
            };
            let row = [
                s.step.to_string(),
                csv_field(&event_id(sc, e)),
                csv_field(&ev.label),
                kind.to_string(),
                ev.source_line.map(|l| l.to_string()).unwrap_or_default(),
            ];
            out.push_str(&row.join(","));
            out.push('\n');
        }
    }
    out
}
