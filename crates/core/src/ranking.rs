//! The ranking pipeline: a validated request in, a [`Decision`] out. Without a model (no
//! `personalization`, or nothing learned yet) the server's order stands ([`server_order`]);
//! with one, [`bandit_order`] lets the policy choose among the competing candidates, the
//! server's order entering as a prior, and explains each pick. Either way the site's rules
//! place pinned and sponsored items and apply diversity caps ([`apply_rules`]).

use crate::bandit::{AnyPolicy, Arms, Estimate, Policy, PreparedContext};
use crate::request::{
    rules, Candidate, Decision, NotPersonalizedReason, RankRequest, RankedItem, BOOSTED,
    SERVER_ORDER_POLICY,
};
use rand_core::RngCore;

/// Keeps the server's order: deterministic, so every shown item had probability 1.
pub fn server_order(
    request: &RankRequest,
    decision_id: String,
    why: NotPersonalizedReason,
) -> Decision {
    let mut order: Vec<(usize, f64, &Candidate)> = competing(request)
        .filter_map(|index| {
            let candidate = request.candidates.get(index)?;
            let boost = request.rules.boost_of(&candidate.id, &candidate.tags);
            Some((index, boost, candidate))
        })
        .collect();
    if !request.rules.boosts.is_empty() {
        // Boosted items first, demoted ones last, the site's order within each (the index
        // breaks ties, so the sort is stable).
        crate::sort::sort_by(&mut order, |a, b| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0));
    }
    let ranked = order
        .into_iter()
        .map(|(_, boost, candidate)| {
            let mut reasons = vec![why.explain()];
            if boost > 0.0 {
                reasons.push(BOOSTED);
            }
            RankedItem {
                id: candidate.id.clone(),
                score: candidate.server_score.unwrap_or(0.0) + boost,
                probability: 1.0,
                reasons,
            }
        })
        .collect();
    Decision {
        decision_id,
        slot: request.slot.clone(),
        personalized: false,
        policy: SERVER_ORDER_POLICY,
        reason: Some(why),
        items: apply_rules(request, ranked),
    }
}

/// Indices of the candidates that compete in the ranking: neither excluded nor placed.
pub fn competing(request: &RankRequest) -> impl Iterator<Item = usize> + '_ {
    (0..request.candidates.len()).filter(|&i| {
        request
            .candidates
            .get(i)
            .is_some_and(|c| request.rules.competes(&c.id))
    })
}

/// Places pinned and sponsored items (probability 1), applies the diversity cap, and keeps
/// the first `limit`.
pub fn apply_rules(request: &RankRequest, ranked: Vec<RankedItem>) -> Vec<RankedItem> {
    let find = |id: &str| request.candidates.iter().find(|c| c.id == id);
    let placed = |placement: &rules::Placement| {
        find(&placement.id).map(|candidate| RankedItem {
            id: candidate.id.clone(),
            score: candidate.server_score.unwrap_or(0.0),
            probability: 1.0,
            reasons: vec![if placement.sponsored {
                "sponsored"
            } else {
                "placed here by the site"
            }],
        })
    };
    let tags = |id: &str| find(id).map(|c| c.tags.clone()).unwrap_or_default();
    let mut arranged = request.rules.arrange(ranked, placed, tags);
    arranged.truncate(request.limit);
    arranged
}

/// How much the server's order counts, in reward units: the site's first candidate starts
/// this much ahead of its last, and the model learns how this visitor differs from it (the
/// seeds' hybrid scoring: server relevance, then the visitor's learned preference). Without it
/// the site's order was only a learned feature among others, and one click overturned it.
pub const SERVER_PRIOR: f64 = 0.3;
/// A learned prediction at least this high (reward units) explains an item as matching the
/// visitor's interests; an exploration width at least this wide (and wider than what was
/// learned) explains it as exploring.
pub const EXPLAIN_THRESHOLD: f64 = 0.05;
/// The reason given for an item that neither learning nor exploring placed.
pub const SITE_ORDER: &str = "in the site's order";

/// The policy's order of the competing candidates in `prepared`, the server's order entering
/// as a prior, each pick explained; then the site's rules.
pub fn bandit_order(
    policy: &AnyPolicy,
    rng: &mut impl RngCore,
    request: &RankRequest,
    prepared: &PreparedContext,
    decision_id: String,
) -> Decision {
    // Only competing candidates are chosen from; with a diversity cap the whole ranking
    // is needed, since items past the cap move down.
    let competing: Vec<usize> = competing(request).collect();
    let competing_candidates: Vec<&Candidate> = competing
        .iter()
        .filter_map(|&i| request.candidates.get(i))
        .collect();
    let boosts: Vec<f64> = competing
        .iter()
        .filter_map(|&i| request.candidates.get(i))
        .map(|c| request.rules.boost_of(&c.id, &c.tags))
        .collect();
    // The server's order as a prior, added to the score like a boost (so the logged
    // probabilities include it).
    let n = request.candidates.len();
    let offsets: Vec<f64> = competing
        .iter()
        .zip(&boosts)
        .map(|(&i, boost)| boost + server_prior(i, n))
        .collect();
    let limit = if request.rules.diversity.is_some() {
        competing.len()
    } else {
        request.limit
    };
    let arms = Arms::candidates(prepared, &competing_candidates).boosted_by(&offsets);
    let slate = policy.choose(&arms, limit, rng);
    let picked: Vec<(&Candidate, Option<Estimate>)> = slate
        .picks
        .iter()
        .enumerate()
        .filter_map(|(at, pick)| {
            let candidate = competing_candidates.get(pick.index).copied()?;
            Some((candidate, slate.estimates.get(at).copied()))
        })
        .collect();
    let ranked = slate
        .picks
        .iter()
        .filter_map(|pick| {
            let candidate = competing_candidates.get(pick.index)?;
            Some(RankedItem {
                id: candidate.id.clone(),
                score: pick.score,
                probability: pick.probability,
                reasons: Vec::new(), // filled for what is finally shown, below
            })
        })
        .collect();
    let mut items = apply_rules(request, ranked);
    explain_picks(policy, prepared, request, &picked, &mut items);
    Decision {
        decision_id,
        slot: request.slot.clone(),
        personalized: true,
        policy: policy.name(),
        reason: None,
        items,
    }
}

/// Gives each item the policy `picked` that is finally shown (those without a reason yet:
/// placed items have theirs) the reasons that decided it, from the estimates the policy chose
/// with, or, for a policy that keeps none (Thompson sampling draws), from the model's estimates
/// of the shown items only — at most `limit` of them, whatever the list's length.
fn explain_picks(
    policy: &AnyPolicy,
    prepared: &PreparedContext,
    request: &RankRequest,
    picked: &[(&Candidate, Option<Estimate>)],
    items: &mut [RankedItem],
) {
    let by_id: std::collections::HashMap<&str, (&Candidate, Option<Estimate>)> = picked
        .iter()
        .map(|&(c, e)| (c.id.as_str(), (c, e)))
        .collect();
    let shown: Vec<(usize, &Candidate, Option<Estimate>)> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.reasons.is_empty())
        .filter_map(|(at, item)| {
            let &(candidate, estimate) = by_id.get(item.id.as_str())?;
            Some((at, candidate, estimate))
        })
        .collect();
    let missing: Vec<&Candidate> = shown
        .iter()
        .filter(|(_, _, e)| e.is_none())
        .map(|(_, c, _)| *c)
        .collect();
    let mut computed = Arms::candidates(prepared, &missing)
        .estimates(policy.model())
        .into_iter();
    for (at, candidate, estimate) in shown {
        let Some(estimate) = estimate.or_else(|| computed.next()) else {
            continue;
        };
        let Some(item) = items.get_mut(at) else {
            continue;
        };
        let width = policy.exploration_width(estimate.variance);
        let mut reasons = explain(estimate.mean, width, item.probability);
        if request.rules.boost_of(&candidate.id, &candidate.tags) > 0.0 {
            reasons.push(BOOSTED);
        }
        item.reasons = reasons;
    }
}

/// An item's share of [`SERVER_PRIOR`] from its place among `n` candidates in the server's
/// order: the whole prior for the first, none for the last.
pub fn server_prior(index: usize, n: usize) -> f64 {
    if n < 2 {
        return 0.0;
    }
    SERVER_PRIOR * (1.0 - index as f64 / (n - 1) as f64)
}

/// The lowest and highest server score among `candidates`, if any has one.
pub fn score_range(candidates: &[Candidate]) -> Option<(f64, f64)> {
    candidates
        .iter()
        .filter_map(|c| c.server_score)
        .fold(None, |range, s| match range {
            None => Some((s, s)),
            Some((low, high)) => Some((f64::min(low, s), f64::max(high, s))),
        })
}

/// Short reasons a person understands, true to what placed the item: what the model learned
/// of this visitor (`learned`, its prediction beyond the site's order), the exploration part of
/// its score (`width`), and, for the policies that explore by chance, its probability.
pub fn explain(learned: f64, width: f64, probability: f64) -> Vec<&'static str> {
    let mut reasons = Vec::new();
    if learned >= EXPLAIN_THRESHOLD {
        reasons.push("matches your interests");
    }
    let explored_by_score = width >= EXPLAIN_THRESHOLD && width > learned;
    if explored_by_score || probability < 0.5 {
        reasons.push("exploring: shown to learn what you like");
    }
    if reasons.is_empty() {
        reasons.push(SITE_ORDER);
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: &str) -> RankRequest {
        RankRequest::parse(crate::value::from_json(json)).unwrap()
    }

    #[test]
    fn boosts_reorder_the_servers_order_stably() {
        let decision = server_order(
            &request(
                r#"{"candidates":[{"id":"a"},{"id":"b","tags":["old"]},{"id":"c","tags":["new"]},{"id":"d","tags":["new"]},{"id":"e"}],
                    "rules":{"boost":[{"tag":"new","by":0.5},{"tag":"old","by":-1}]}}"#,
            ),
            "d1".into(),
            NotPersonalizedReason::ColdStart,
        );
        let ids: Vec<&str> = decision.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["c", "d", "a", "e", "b"]);
        assert_eq!(
            decision.items[0].reasons,
            [NotPersonalizedReason::ColdStart.explain(), BOOSTED]
        );
        assert_eq!(
            decision.items[2].reasons,
            [NotPersonalizedReason::ColdStart.explain()]
        );
    }

    #[test]
    fn rules_apply_to_the_servers_order_too() {
        let decision = server_order(
            &request(
                r#"{"candidates":[{"id":"a","tags":["x"]},{"id":"b","tags":["x"]},{"id":"c","tags":["y"]},{"id":"d"}],
                    "rules":{"exclude":["d"],"pin":[{"id":"c","position":1}],"diversity":{"maxPerTag":1,"within":2}},"limit":3}"#,
            ),
            "d2".into(),
            NotPersonalizedReason::ConsentRequired,
        );
        let ids: Vec<&str> = decision.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        assert_eq!(decision.items[0].reasons, ["placed here by the site"]);
    }

    #[test]
    fn server_order_keeps_the_order_given_and_truncates_to_limit() {
        let decision = server_order(
            &request(
                r#"{"candidates":[{"id":"c","score":0.1},{"id":"a","score":0.9},{"id":"b"}],"limit":2}"#,
            ),
            "d1".into(),
            NotPersonalizedReason::ConsentRequired,
        );
        let ids: Vec<&str> = decision.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["c", "a"]);
        assert_eq!(decision.items[1].score, 0.9);
        assert!(!decision.personalized);
        assert_eq!(
            decision.reason,
            Some(NotPersonalizedReason::ConsentRequired)
        );
        assert!(decision.items.iter().all(|i| i.probability == 1.0));
    }
}
