//! Vowpal Wabbit's DSJSON ("decision service JSON") form of logged decisions, one object per
//! line, read by `vw --dsjson --cb_explore_adf`.
//!
//! Each decision becomes: `_label_cost` = −reward of the chosen (first) action — only when its
//! outcome was observed (a click, an explicit reward, or seen and not clicked within the
//! no-click window, which is an observed 0); a decision whose outcome was never observed has
//! no `_label_cost` and `_skipLearn: true`, so that Vowpal Wabbit does not read "shown and not
//! clicked" into it — `_label_probability` = the exact probability with which it was put first,
//! `_label_Action` / `_labelIndex` = its 1-based id / 0-based index, `a` = the actions in the
//! order shown, `c` = the shared context (namespace `context`) and `_multi` = one object per
//! action (namespace `item`: `id=…`, `tag=…` indicators, the numeric features and the server
//! score). Objects, not text: JavaScript writes each line with `JSON.stringify`, so no float
//! formatting is needed in the wasm.

use super::LoggedDecision;
use crate::request::{Candidate, ContextValue};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One DSJSON line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DsjsonLine<'a> {
    /// −reward of the chosen action; absent when its outcome was never observed.
    #[serde(rename = "_label_cost", skip_serializing_if = "Option::is_none")]
    pub label_cost: Option<f64>,
    /// Probability the chosen action was chosen.
    #[serde(rename = "_label_probability")]
    pub label_probability: f64,
    /// The chosen action, 1-based.
    #[serde(rename = "_label_Action")]
    pub label_action: usize,
    /// The chosen action, 0-based.
    #[serde(rename = "_labelIndex")]
    pub label_index: usize,
    /// Set when the outcome was never observed: VW learns nothing from the line.
    #[serde(rename = "_skipLearn", skip_serializing_if = "std::ops::Not::not")]
    pub skip_learn: bool,
    /// The format version VW expects.
    #[serde(rename = "Version")]
    pub version: &'static str,
    /// The decision id.
    #[serde(rename = "EventId")]
    pub event_id: &'a str,
    /// Action ids (1-based) in the order shown.
    pub a: Vec<usize>,
    /// The shared context and the actions' features.
    pub c: DsjsonContext<'a>,
}

/// The `c` object.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DsjsonContext<'a> {
    /// Namespace `context`.
    pub context: ContextFeatures<'a>,
    /// One object per action, in the logged order.
    #[serde(rename = "_multi")]
    pub multi: Vec<ActionFeatures<'a>>,
}

/// The site's context as VW features: strings and flags as `key=value` indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextFeatures<'a>(pub &'a [(String, ContextValue)]);

/// One action as `{ "item": { … } }`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActionFeatures<'a> {
    /// Namespace `item`.
    pub item: ItemFeatures<'a>,
}

/// A candidate as VW features.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFeatures<'a>(pub &'a Candidate);

/// A decision's DSJSON line.
pub fn line(decision: &LoggedDecision) -> DsjsonLine<'_> {
    DsjsonLine {
        label_cost: decision.reward.map(|r| -r),
        skip_learn: decision.reward.is_none(),
        label_probability: decision.probability,
        label_action: 1,
        label_index: 0,
        version: "1",
        event_id: &decision.id,
        a: (1..=decision.actions.len()).collect(),
        c: DsjsonContext {
            context: ContextFeatures(&decision.context),
            multi: decision
                .actions
                .iter()
                .map(|a| ActionFeatures {
                    item: ItemFeatures(a),
                })
                .collect(),
        },
    }
}

impl Serialize for ContextFeatures<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            match value {
                ContextValue::Number(n) => map.serialize_entry(key, n)?,
                ContextValue::Text(text) => map.serialize_entry(&format!("{key}={text}"), &1)?,
                ContextValue::Flag(flag) => map.serialize_entry(&format!("{key}={flag}"), &1)?,
            }
        }
        map.end()
    }
}

impl Serialize for ItemFeatures<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let candidate = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(&format!("id={}", candidate.id), &1)?;
        for tag in &candidate.tags {
            map.serialize_entry(&format!("tag={tag}"), &1)?;
        }
        for (name, value) in &candidate.features {
            map.serialize_entry(&**name, value)?;
        }
        if let Some(score) = candidate.server_score {
            map.serialize_entry("serverScore", &score)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    #[test]
    fn a_rewarded_decision_becomes_a_dsjson_line_with_cost_and_probability() {
        let decision = LoggedDecision {
            id: "d1".into(),
            at: Millis(0),
            context: vec![
                ("page".into(), ContextValue::Text("home".into())),
                ("depth".into(), ContextValue::Number(2.0)),
            ],
            actions: vec![
                super::super::tests::candidate("a"),
                super::super::tests::candidate("b"),
            ],
            probability: 0.75,
            reward: Some(1.0),
        };
        let json = serde_json::to_value(line(&decision)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "_label_cost": -1.0, "_label_probability": 0.75, "_label_Action": 1, "_labelIndex": 0,
                "Version": "1", "EventId": "d1", "a": [1, 2],
                "c": {
                    "context": { "page=home": 1, "depth": 2.0 },
                    "_multi": [
                        { "item": { "id=a": 1, "tag=t": 1, "f": 0.5, "serverScore": 0.1 } },
                        { "item": { "id=b": 1, "tag=t": 1, "f": 0.5, "serverScore": 0.1 } }
                    ]
                }
            })
        );
    }

    #[test]
    fn a_decision_whose_outcome_was_never_observed_carries_no_label() {
        let decision = LoggedDecision {
            id: "d2".into(),
            at: Millis(0),
            context: Vec::new(),
            actions: vec![super::super::tests::candidate("a")],
            probability: 1.0,
            reward: None,
        };
        let json = serde_json::to_value(line(&decision)).unwrap();
        assert_eq!(json.get("_label_cost"), None);
        assert_eq!(json.get("_skipLearn"), Some(&serde_json::json!(true)));
        assert_eq!(
            json.get("_label_probability"),
            Some(&serde_json::json!(1.0))
        );
        let observed_zero = LoggedDecision {
            reward: Some(0.0),
            ..decision
        };
        let json = serde_json::to_value(line(&observed_zero)).unwrap();
        assert_eq!(json.get("_label_cost"), Some(&serde_json::json!(-0.0)));
        assert_eq!(
            json.get("_skipLearn"),
            None,
            "a seen-and-not-clicked 0 is a label"
        );
    }
}
