//! The decision log: what each personalized decision was shown with, the exact probability of
//! the item it put first, and the reward that item earned — kept so a site can evaluate
//! and train policies offline (`decisions.export({ format: 'dsjson' })`).
//!
//! Bounded: the last [`MAX_LOGGED_DECISIONS`] decisions, each with at most
//! [`MAX_LOGGED_ACTIONS`] of its candidates (the ones it showed, in the order shown). Kept in
//! memory, with the rest of personalization, until storage lands; dropped with consent.

pub mod dsjson;

use crate::request::{Candidate, ContextValue};
use crate::time::Millis;
use std::collections::VecDeque;

/// Decisions kept; the oldest go first.
pub const MAX_LOGGED_DECISIONS: usize = 200;
/// Candidates kept per decision: the top of what it showed.
pub const MAX_LOGGED_ACTIONS: usize = 50;

/// One logged decision.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedDecision {
    /// The decision id (`EventId`).
    pub id: String,
    /// When it was made.
    pub at: Millis,
    /// The site's context for it.
    pub context: Vec<(String, ContextValue)>,
    /// The candidates it showed, in the order shown (the first is the chosen action).
    pub actions: Vec<Candidate>,
    /// The probability with which the first action was put first.
    pub probability: f64,
    /// The reward the first action earned, once known.
    pub reward: Option<f64>,
}

/// The bounded log.
#[derive(Debug, Default)]
pub struct DecisionLog {
    decisions: VecDeque<LoggedDecision>,
}

impl DecisionLog {
    /// Logs a decision; `shown` are the candidates in the order shown.
    pub fn record(&mut self, mut decision: LoggedDecision) {
        decision.actions.truncate(MAX_LOGGED_ACTIONS);
        if decision.actions.is_empty() {
            return;
        }
        if self.decisions.len() == MAX_LOGGED_DECISIONS {
            self.decisions.pop_front();
        }
        self.decisions.push_back(decision);
    }

    /// Joins a reward: only the first action's reward is the decision's outcome.
    pub fn reward(&mut self, decision_id: &str, item_id: &str, value: f64) {
        let decision = self
            .decisions
            .iter_mut()
            .rev()
            .find(|d| d.id == decision_id);
        if let Some(decision) = decision {
            if decision.actions.first().is_some_and(|a| a.id == item_id) {
                decision.reward = Some(value);
            }
        }
    }

    /// The logged decisions, oldest first.
    pub fn decisions(&self) -> impl Iterator<Item = &LoggedDecision> {
        self.decisions.iter()
    }

    /// How many decisions are logged.
    pub fn len(&self) -> usize {
        self.decisions.len()
    }

    /// Whether nothing is logged.
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn candidate(id: &str) -> Candidate {
        Candidate {
            id: id.into(),
            tags: vec!["t".into()],
            features: vec![("f".into(), 0.5)],
            server_score: Some(0.1),
        }
    }

    fn decision(id: &str, actions: &[&str]) -> LoggedDecision {
        LoggedDecision {
            id: id.into(),
            at: Millis(1),
            context: Vec::new(),
            actions: actions.iter().map(|a| candidate(a)).collect(),
            probability: 0.5,
            reward: None,
        }
    }

    #[test]
    fn only_the_first_actions_reward_is_the_outcome() {
        let mut log = DecisionLog::default();
        log.record(decision("d", &["a", "b"]));
        log.reward("d", "b", 1.0);
        assert_eq!(log.decisions().next().unwrap().reward, None);
        log.reward("d", "a", 1.0);
        assert_eq!(log.decisions().next().unwrap().reward, Some(1.0));
    }

    #[test]
    fn the_log_and_each_decision_are_bounded() {
        let mut log = DecisionLog::default();
        let many: Vec<String> = (0..MAX_LOGGED_ACTIONS + 5)
            .map(|i| format!("c{i}"))
            .collect();
        let ids: Vec<&str> = many.iter().map(String::as_str).collect();
        for i in 0..MAX_LOGGED_DECISIONS + 3 {
            log.record(decision(&format!("d{i}"), &ids));
        }
        assert_eq!(log.len(), MAX_LOGGED_DECISIONS);
        assert_eq!(log.decisions().next().unwrap().id, "d3");
        assert!(log
            .decisions()
            .all(|d| d.actions.len() == MAX_LOGGED_ACTIONS));
        log.record(decision("empty", &[]));
        assert_eq!(
            log.decisions().last().unwrap().id,
            format!("d{}", MAX_LOGGED_DECISIONS + 2)
        );
    }
}
