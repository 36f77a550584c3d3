//! A bloc's section of a party (`[parties.bloc]`): its rule, its members
//! and their bars and votes, checked into a `model::Bloc`. The bloc
//! party's own `reservation` is refused: its bar is its pivotal member's.

use std::sync::Arc;

use super::{Checker, Own, bar_of, span};
use crate::model::bloc::{Bloc, MAX_MEMBERS, Member, Rule};
use crate::model::{Archetype, Field, Party};
use crate::scenario::problem::{BlocProblem, SyntaxProblem};
use crate::scenario::raw;

/// The party's bloc and its bar at step 0 (its pivot's), if it is one.
pub(super) fn bloc(
    c: &mut Checker,
    rp: &raw::Party,
    own: &Own,
    archetype: Archetype,
    issues: &[crate::model::Issue],
) -> Option<(Arc<Bloc>, f64)> {
    let rb = rp.bloc.as_ref()?.get_ref();
    let party = own.id.to_string();
    if let Some(v) = &rp.reservation {
        let problem = BlocProblem::OwnReservation {
            party: party.clone(),
        };
        c.push(problem, span(v));
    }
    if archetype.unread(Field::Reservation).is_some() {
        let problem = BlocProblem::Unread {
            party: party.clone(),
            archetype: archetype.name(),
        };
        c.push(problem, span(&rp.archetype));
    }
    let rule = rule(c, rb, &party);
    let members = members(c, rb, own, issues);
    if members.is_empty() {
        return None;
    }
    let bloc = Bloc { rule, members };
    if bloc.total_votes() <= 0.0 {
        c.push(BlocProblem::NoVotes { party }, span(&rb.members));
        return None;
    }
    let bar = bloc.members[bloc.pivot_at_start()].reservation;
    Some((Arc::new(bloc), bar))
}

fn rule(c: &mut Checker, rb: &raw::Bloc, party: &str) -> Rule {
    let party = party.to_string();
    match (rb.rule.get_ref().as_str(), &rb.quota) {
        ("unanimity", None) => Rule::Unanimity,
        ("unanimity", Some(q)) => {
            c.push(BlocProblem::QuotaWithUnanimity { party }, span(q));
            Rule::Unanimity
        }
        ("qualified_majority", None) => {
            let field = "quota".to_string();
            c.push(SyntaxProblem::MissingField { field }, span(&rb.rule));
            Rule::Unanimity
        }
        ("qualified_majority", Some(q)) => {
            let quota = *q.get_ref();
            if !(quota > 0.0 && quota <= 1.0) {
                c.push(BlocProblem::Quota { party, quota }, span(q));
                return Rule::Unanimity;
            }
            Rule::QualifiedMajority { quota }
        }
        _ => {
            c.unknown(&rb.rule, "bloc rule", &Rule::NAMES);
            Rule::Unanimity
        }
    }
}

/// The members as written, each bar read as a party's `reservation` is
/// (on the bloc party's own utility, which the members share).
fn members(
    c: &mut Checker,
    rb: &raw::Bloc,
    own: &Own,
    issues: &[crate::model::Issue],
) -> Vec<Member> {
    let given = rb.members.get_ref().len();
    let party = own.id.to_string();
    if given == 0 {
        c.push(BlocProblem::NoMembers { party }, span(&rb.members));
        return Vec::new();
    }
    if given > MAX_MEMBERS {
        let max = MAX_MEMBERS;
        let problem = BlocProblem::TooManyMembers { party, given, max };
        c.push(problem, span(&rb.members));
    }
    let mut out = Vec::new();
    for rm in rb.members.get_ref().iter().take(MAX_MEMBERS) {
        let id = rm.id.get_ref().clone();
        let mine = Own { id: &id, ..*own };
        let reservation = bar_of(c, &rm.reservation, &mine, issues);
        let votes = rm.votes.as_ref().map_or(1.0, |v| {
            let votes = *v.get_ref();
            if !(votes.is_finite() && votes >= 0.0) {
                let member = id.clone();
                c.push(BlocProblem::Votes { member, votes }, span(v));
                return 0.0;
            }
            votes
        });
        out.push(Member {
            name: rm.name.clone().unwrap_or_else(|| id.clone()),
            id,
            reservation,
            votes,
        });
    }
    out
}

/// Member ids are names of their own: unique across all blocs and apart
/// from every party's id, so a sentence naming one names one thing.
pub(super) fn member_ids(c: &mut Checker, raw: &[raw::Party], parties: &[Party]) {
    let mut seen: Vec<&str> = Vec::new();
    for rp in raw {
        let Some(rb) = &rp.bloc else { continue };
        for rm in rb.get_ref().members.get_ref() {
            let id = rm.id.get_ref();
            if seen.contains(&id.as_str()) {
                let problem = BlocProblem::DuplicateMember { id: id.clone() };
                c.push(problem, span(&rm.id));
            } else if parties.iter().any(|p| p.id == *id) {
                let problem = BlocProblem::MemberIsParty { id: id.clone() };
                c.push(problem, span(&rm.id));
            }
            seen.push(id);
        }
    }
}
