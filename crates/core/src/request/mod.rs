//! The vocabulary of ranking, read by the pipeline ([`crate::ranking`]), the bandit and the
//! decision log alike, and depending on none of them: a validated [`RankRequest`] (its
//! [`Candidate`]s, context and business [`rules`]) and what a decision returns
//! ([`Decision`], [`RankedItem`], [`NotPersonalizedReason`]).

pub mod candidate;
mod rank_request;
pub mod rules;

pub use candidate::Candidate;
pub use rank_request::{
    ContextValue, RankRequest, MAX_CONTEXT_KEYS, MAX_CONTEXT_TEXT_CHARS, MAX_SLOT_CHARS,
};
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

/// The reason given for an item the site's `boost` rule raised.
pub const BOOSTED: &str = "promoted by the site";
