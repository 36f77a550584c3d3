//! Why there is a zone at a step, or which wall keeps it shut, in words a
//! class reads: the red lines crossing (on which issue, whose lines, by how
//! much in the issue's own units) or the bars apart (in utility, and
//! whose). The summary, the report and `explain` all say it this way.

use crate::model::Scenario;
use crate::sim::Step;
use crate::text::{
    amount, and_list, bloc_pivot_aside, depth_worth_text, extent_text, gap_text, settlement_text,
    worth_text,
};
use crate::zone::{Blocker, ZONE_TOL};

/// "Russia (25%)": a blocker and its share.
fn named(sc: &Scenario, b: &Blocker) -> String {
    format!("{} ({:.0}%)", sc.parties[b.party].name, 100.0 * b.share)
}

/// The bar blockers, a bloc among them named with the member whose yes
/// would decide its own: "Coalition (100%; Hungary's yes completes its
/// qualified majority)".
fn names(sc: &Scenario, blockers: &[Blocker]) -> String {
    let parts: Vec<String> = (blockers.iter())
        .map(|b| match bloc_pivot_aside(sc, b.party) {
            Some(aside) => {
                let name = &sc.parties[b.party].name;
                format!("{name} ({:.0}%; {aside})", 100.0 * b.share)
            }
            None => named(sc, b),
        })
        .collect();
    parts.join(", ")
}

/// Where the zone is, or which wall closes it: the red lines crossing (on
/// which issues, whose lines, by how much in each issue's units) or the
/// bars apart (by how much in utility, and whose).
pub fn zone_text(sc: &Scenario, s: &Step) -> String {
    if let Some(extent) = &s.extent {
        let spans: Vec<String> = sc
            .issues
            .iter()
            .zip(extent)
            .enumerate()
            .map(|(k, (i, z))| {
                let options = s.options_in_zone.get(k).map_or(&[][..], Vec::as_slice);
                format!("{} {}", i.label, extent_text(i, z.low, z.high, options))
            })
            .collect();
        let depth = if -s.gap < 5e-5 {
            "only just: depth under 0.0001".to_string()
        } else {
            let worth = depth_worth_text(sc, -s.gap);
            let worth = if worth.is_empty() {
                worth
            } else {
                format!(", {worth}")
            };
            format!("depth {}{worth}", gap_text(-s.gap))
        };
        return format!("the zone exists ({depth}); it spans {}", spans.join("; "));
    }
    if s.lines_cross() {
        let crossed: Vec<String> = (0..sc.issues.len())
            .filter(|&k| s.crossing(k) > 0.0)
            .map(|k| crossing_text(sc, s, k))
            .collect();
        let mut text = format!(
            "there is no zone: the red lines cross: {}",
            crossed.join("; ")
        );
        if s.bar_gap > ZONE_TOL {
            text.push_str(&format!(
                "; even between those lines the bars would be {} apart{}",
                gap_text(s.bar_gap),
                main_worth(sc, &s.bar_blockers, s.bar_gap)
            ));
        }
        return text;
    }
    format!(
        "there is no zone: the red lines leave room, but the bars are {} apart{}, blocked by {}",
        gap_text(s.bar_gap),
        main_worth(sc, &s.bar_blockers, s.bar_gap),
        names(sc, &s.bar_blockers)
    )
}

/// " (worth 1.05 % of Ukraine of territory to Russia)": a bar gap's worth to
/// the blocker with the largest share (the first of those tied), since
/// every bar blocker falls short by the same utility at the gap.
fn main_worth(sc: &Scenario, blockers: &[Blocker], gap: f64) -> String {
    let main = blockers
        .iter()
        .fold(None::<&Blocker>, |best, b| match best {
            Some(m) if m.share >= b.share => Some(m),
            _ => Some(b),
        });
    match main.map(|b| worth_text(sc, b.party, gap)) {
        Some(w) if !w.is_empty() => format!(" ({w})"),
        _ => String::new(),
    }
}

/// "Russia needs at least 20.22 % of Ukraine, Ukraine gives at most 19.00 %
/// of Ukraine: 1.22 % of Ukraine apart on Territory". Every party holding
/// the binding line is named ("Ford, General Motors and Stellantis give at
/// most 10.00 %"), since moving one of them alone opens nothing.
fn crossing_text(sc: &Scenario, s: &Step, k: usize) -> String {
    let (issue, l) = (&sc.issues[k], &s.lines[k]);
    let who = |upper: bool, one: &str, many: &str| {
        let holders: Vec<&str> = (s.line_holders(k, upper).into_iter())
            .map(|p| sc.parties[p].name.as_str())
            .collect();
        match holders.len() {
            0 => format!("the issue's range {one}"),
            1 => format!("{} {one}", holders[0]),
            _ => format!("{} {many}", and_list(&holders)),
        }
    };
    if issue.is_discrete() {
        return format!(
            "{} at least {}, {} at most {}: no option of {} is left",
            who(false, "needs", "need"),
            amount(issue, l.least),
            who(true, "gives", "give"),
            amount(issue, l.most),
            issue.label
        );
    }
    format!(
        "{} at least {}, {} at most {}: {} apart on {}",
        who(false, "needs", "need"),
        amount(issue, l.least),
        who(true, "gives", "give"),
        amount(issue, l.most),
        amount(issue, l.crossing()),
        issue.label
    )
}

/// The parties that block at a step, with their shares: "Russia (25%) and
/// Ukraine (75%)", or "nobody".
pub fn blocker_names(sc: &Scenario, blockers: &[Blocker]) -> String {
    let n: Vec<String> = blockers.iter().map(|b| named(sc, b)).collect();
    if n.is_empty() {
        "nobody".into()
    } else {
        and_list(&n)
    }
}

/// What was on the table at a step and who said yes: "the mediator
/// proposed price 5.35 thousand EUR; accepted by Seller and Buyer".
pub fn proposal_text(sc: &Scenario, s: &Step) -> String {
    let Some(p) = &s.proposal else {
        return "nothing was on the table".into();
    };
    let who = match (sc.protocol, sc.mediator) {
        (crate::model::Protocol::AlternatingOffers, _) => "the offer on the table was".to_string(),
        (_, Some(m)) => format!("{}, as mediator, proposed", sc.parties[m].name),
        (_, None) => "the mediator proposed".to_string(),
    };
    let yes: Vec<&str> = p
        .accepted_by
        .iter()
        .map(|&q| sc.parties[q].name.as_str())
        .collect();
    let yes = if yes.is_empty() {
        "nobody".to_string()
    } else {
        and_list(&yes)
    };
    format!("{who} {}; accepted by {yes}", settlement_text(sc, &p.point))
}
