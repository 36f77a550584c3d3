//! `timeline.csv`: the whole run, one row per step, wide: a column per
//! party and per issue, lists packed into cells with `;`. Kept for readers
//! of earlier files; the long tables in [`super::long`] hold the same facts
//! a value to a cell. Numbers are written by [`super::real`], so they read
//! back exactly; the caller puts the provenance line before the table.

use super::{csv_field, real as num};
use crate::model::Scenario;
use crate::sim::{Step, Timeline};
use crate::zone::Blocker;

/// `timeline.csv`'s table (header and one row per step), without the
/// provenance line a written file opens with ([`super::Provenance::stamp`]).
pub fn timeline_csv(sc: &Scenario, tl: &Timeline) -> String {
    timeline_csv_with(sc, tl, &crate::outcome::kalai_smorodinsky_points(sc, tl))
}

/// [`timeline_csv`] with each step's Kalai-Smorodinsky point given
/// (`crate::outcome::kalai_smorodinsky_points`), for a caller that prints
/// them in more than one table.
pub fn timeline_csv_with(sc: &Scenario, tl: &Timeline, ks: &[Option<Vec<f64>>]) -> String {
    let mut out = header(sc).join(",");
    out.push('\n');
    for (s, ks) in tl.steps.iter().zip(ks) {
        out.push_str(&row(sc, s, ks.as_deref()).join(","));
        out.push('\n');
    }
    out
}

fn header(sc: &Scenario) -> Vec<String> {
    let mut head = vec![
        "step".to_string(),
        "front".into(),
        "pressure".into(),
        "aid".into(),
    ];
    // A party's own pressure and aid, only where some party aims them at
    // it: a scenario that aims nothing keeps its columns.
    for (p, party) in sc.parties.iter().enumerate() {
        if sc.pressed(p) {
            head.push(format!("pressure_{}", party.id));
        }
        if sc.aided(p) {
            head.push(format!("aid_{}", party.id));
        }
    }
    for p in &sc.parties {
        head.push(format!("reservation_{}", p.id));
        head.push(format!("range_low_{}", p.id));
        head.push(format!("range_high_{}", p.id));
        head.push(format!("accepts_{}", p.id));
        head.push(format!("engaged_{}", p.id));
    }
    head.extend(["gap".into(), "bar_gap".into(), "zone".into()]);
    for i in &sc.issues {
        head.push(format!("zone_low_{}", i.id));
        head.push(format!("zone_high_{}", i.id));
    }
    for i in &sc.issues {
        head.push(format!("lines_cross_{}", i.id));
    }
    for i in &sc.issues {
        head.push(format!("line_least_{}", i.id));
        head.push(format!("line_least_by_{}", i.id));
        head.push(format!("line_most_{}", i.id));
        head.push(format!("line_most_by_{}", i.id));
    }
    head.extend([
        "blockers".into(),
        "blocker_shares".into(),
        "line_blockers".into(),
        "bar_blockers".into(),
        "bar_blocker_shares".into(),
        "point".into(),
    ]);
    for i in &sc.issues {
        head.push(format!("point_{}", i.id));
    }
    for i in sc.issues.iter().filter(|i| i.is_discrete()) {
        head.push(format!("point_option_{}", i.id));
        head.push(format!("zone_options_{}", i.id));
    }
    for i in &sc.issues {
        head.push(format!("ks_{}", i.id));
    }
    for i in sc.issues.iter().filter(|i| i.is_discrete()) {
        head.push(format!("ks_option_{}", i.id));
    }
    head.extend([
        "proposal".into(),
        "proposal_pareto_room".into(),
        "deal".into(),
        "events".into(),
    ]);
    head
}

fn row(sc: &Scenario, s: &Step, ks: Option<&[f64]>) -> Vec<String> {
    let opt = |v: Option<f64>| v.map(num).unwrap_or_default();
    let mut row = vec![
        s.step.to_string(),
        num(s.front),
        num(s.pressure),
        num(s.aid),
    ];
    for p in 0..sc.parties.len() {
        if sc.pressed(p) {
            row.push(num(s.own_pressure[p]));
        }
        if sc.aided(p) {
            row.push(num(s.own_aid[p]));
        }
    }
    for (p, _) in sc.parties.iter().enumerate() {
        row.push(num(s.reservation[p]));
        row.push(opt(s.ranges[p].map(|r| r.low)));
        row.push(opt(s.ranges[p].map(|r| r.high)));
        row.push(s.accepts[p].to_string());
        row.push(s.engaged[p].to_string());
    }
    row.push(num(s.gap));
    row.push(num(s.bar_gap));
    row.push(s.zone_exists().to_string());
    for k in 0..sc.issues.len() {
        row.push(opt(s.extent_on(k).map(|z| z.low)));
        row.push(opt(s.extent_on(k).map(|z| z.high)));
    }
    row.extend((0..sc.issues.len()).map(|k| num(s.crossing(k))));
    let id = |p: Option<usize>| p.map_or(String::new(), |p| sc.parties[p].id.clone());
    for l in &s.lines {
        // A bound no party's line sets is the end of the issue: left empty.
        row.push(opt(l.least_by.map(|_| l.least)));
        row.push(id(l.least_by));
        row.push(opt(l.most_by.map(|_| l.most)));
        row.push(id(l.most_by));
    }
    let ids = |bs: &[Blocker]| -> String {
        let ids: Vec<&str> = bs.iter().map(|b| sc.parties[b.party].id.as_str()).collect();
        ids.join(";")
    };
    row.push(ids(&s.blockers));
    let shares: Vec<String> = s.blockers.iter().map(|b| num(b.share)).collect();
    row.push(shares.join(";"));
    row.push(ids(&s.line_blockers));
    row.push(ids(&s.bar_blockers));
    let shares: Vec<String> = s.bar_blockers.iter().map(|b| num(b.share)).collect();
    row.push(shares.join(";"));
    row.push(if s.point_is_nash { "nash" } else { "minimiser" }.into());
    row.extend(s.point.iter().map(|&x| num(x)));
    // On a discrete issue the point's option and the zone's options by
    // name, as a reader says them.
    for (k, i) in sc
        .issues
        .iter()
        .enumerate()
        .filter(|(_, i)| i.is_discrete())
    {
        row.push(csv_field(i.option_at(s.point[k]).unwrap_or_default()));
        let open = s.options_in_zone.get(k).map_or(&[][..], Vec::as_slice);
        let names: Vec<&str> = open.iter().map(|&o| i.options[o].as_str()).collect();
        row.push(csv_field(&names.join(";")));
    }
    // The Kalai-Smorodinsky point beside the Nash point, when there is a zone.
    match ks {
        Some(ks) => {
            row.extend(ks.iter().map(|&x| num(x)));
            let named = (sc.issues.iter().zip(ks)).filter(|(i, _)| i.is_discrete());
            row.extend(named.map(|(i, &x)| csv_field(i.option_at(x).unwrap_or_default())));
        }
        None => {
            let discrete = sc.issues.iter().filter(|i| i.is_discrete()).count();
            row.extend((0..sc.issues.len() + discrete).map(|_| String::new()));
        }
    }
    match &s.proposal {
        Some(p) => {
            let point: Vec<String> = p.point.iter().map(|&x| num(x)).collect();
            row.push(point.join(";"));
            // How far the offer is from the Pareto frontier: the equal gain
            // every consenting party could still have.
            row.push(num(crate::outcome::pareto_room(sc, s, &p.point)));
            row.push(p.deal.to_string());
        }
        None => {
            row.push(String::new());
            row.push(String::new());
            row.push("false".into());
        }
    }
    let events: Vec<&str> = s
        .events
        .iter()
        .map(|&e| sc.events[e].label.as_str())
        .collect();
    row.push(csv_field(&events.join("; ")));
    row
}
