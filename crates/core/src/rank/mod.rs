//! Ranking: a validated request in, a [`Decision`] out.
//!
//! Today the pipeline has one stage: the server's order is returned unchanged, truncated to
//! `limit`, and the decision says why it is not personalized (no `personalization` consent,
//! or nothing learned yet).

pub mod candidate;
pub mod request;
pub mod rules;

pub use candidate::Candidate;
pub use request::RankRequest;
use serde::Serialize;

/// Why a decision is not personalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotPersonalizedReason {
    /// The visitor has not allowed `personalization`.
    ConsentRequired,
    /// Nothing has been learned yet, so the server's order stands.
    ColdStart,
}

impl NotPersonalizedReason {
    /// A sentence a person can read, also used as each item's reason.
    pub fn explain(self) -> &'static str {
        match self {
            NotPersonalizedReason::ConsentRequired => {
                "in the site's order: personalization is not allowed"
            }
            NotPersonalizedReason::ColdStart => "in the site's order: nothing learned yet",
        }
    }
}

/// One ranked item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedItem {
    /// The candidate's id.
    pub id: String,
    /// The score the order follows; the server's score (0 when it sent none) when not personalized.
    pub score: f64,
    /// The probability with which this item was chosen for its position.
    pub probability: f64,
    /// Short explanations a person understands.
    pub reasons: Vec<&'static str>,
}

/// The outcome of one `rank` call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Identifies the decision for `reward`.
    pub decision_id: String,
    /// The placement ranked, when the request named one.
    pub slot: Option<String>,
    /// Whether the visitor's profile shaped the order.
    pub personalized: bool,
    /// The policy that ordered the items.
    pub policy: &'static str,
    /// Why the decision is not personalized, when it is not.
    pub reason: Option<NotPersonalizedReason>,
    /// The items, best first, at most `limit`.
    pub items: Vec<RankedItem>,
}

/// Most entries in each rule list (`exclude`, `pin`, `sponsored`).
pub const MAX_RULE_ENTRIES: usize = 1_000;

/// The policy name reported when the server's order is kept.
pub const SERVER_ORDER_POLICY: &str = "server_order";

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

/// The reason given for an item the site's `boost` rule raised.
pub const BOOSTED: &str = "promoted by the site";

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
