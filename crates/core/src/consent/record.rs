//! The consent record: an append-only, bounded history of the visitor's decisions.
//!
//! It is the one thing Hearth keeps whatever the visitor chose (remembering a refusal is
//! itself necessary), so it holds only what a decision is: purposes, source, time and policy
//! version. Never anything about behaviour.

use super::{DecisionSource, Purposes};
use crate::time::Millis;
use crate::value::{Field, InputError, Value};
use serde::Serialize;

/// Longest accepted consent policy version, in characters.
pub const MAX_POLICY_VERSION_CHARS: usize = 64;

/// Most entries kept; the oldest are dropped first.
pub const MAX_RECORD_ENTRIES: usize = 100;
/// The stored format's version.
pub const RECORD_FORMAT_VERSION: u64 = 1;

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordEntry {
    /// What was allowed.
    pub purposes: Purposes,
    /// Who decided.
    pub source: DecisionSource,
    /// When.
    pub at: Millis,
    /// Under which version of the site's policy.
    pub policy_version: String,
}

/// The history, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    /// Format version of the stored form.
    pub version: u64,
    /// Decisions, oldest first, at most [`MAX_RECORD_ENTRIES`].
    pub entries: Vec<RecordEntry>,
}

impl ConsentRecord {
    /// An empty record.
    pub fn new() -> Self {
        ConsentRecord {
            version: RECORD_FORMAT_VERSION,
            entries: Vec::new(),
        }
    }

    /// The latest decision made under `policy_version`.
    pub fn latest_for(&self, policy_version: &str) -> Option<&RecordEntry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.policy_version == policy_version)
    }

    /// Appends a decision unless it repeats the latest one (a CMP re-announces the same
    /// choice on every page load); drops the oldest past the bound. Returns whether it grew.
    pub fn append(&mut self, entry: RecordEntry) -> bool {
        let repeats = self.entries.last().is_some_and(|last| {
            last.purposes == entry.purposes
                && last.source == entry.source
                && last.policy_version == entry.policy_version
        });
        if repeats {
            return false;
        }
        if self.entries.len() == MAX_RECORD_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(entry);
        true
    }

    /// Reads a stored record. Entries that do not parse make the whole record invalid: a
    /// partial history would misstate what the visitor chose.
    pub fn parse(value: Value) -> Result<Self, InputError> {
        let mut record =
            Field::root("consentRecord", value).strict_object(&["version", "entries"])?;
        let version_field = record.take("version");
        let version = version_field.integer(1, RECORD_FORMAT_VERSION)?;
        let entries_field = record.take("entries");
        let out_of_order = entries_field.error("entries must be in the order they were decided");
        let entries = entries_field
            .list(MAX_RECORD_ENTRIES)?
            .into_iter()
            .map(read_entry)
            .collect::<Result<Vec<_>, _>>()?;
        if entries.windows(2).any(|pair| match pair {
            [earlier, later] => earlier.at > later.at,
            _ => false, // `windows(2)` yields only pairs
        }) {
            return Err(out_of_order);
        }
        Ok(ConsentRecord { version, entries })
    }
}

fn read_entry(field: Field) -> Result<RecordEntry, InputError> {
    let mut entry = field.strict_object(&["purposes", "source", "at", "policyVersion"])?;
    Ok(RecordEntry {
        purposes: Purposes::parse_complete(entry.take("purposes"))?,
        source: DecisionSource::parse(entry.take("source"))?,
        at: Millis(
            entry
                .take("at")
                .integer(0, crate::value::MAX_SAFE_INTEGER)?,
        ),
        policy_version: entry
            .take("policyVersion")
            .optional(|f| f.text_or_empty(MAX_POLICY_VERSION_CHARS))?
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: u64, storage: bool, source: DecisionSource, policy: &str) -> RecordEntry {
        RecordEntry {
            purposes: Purposes {
                storage,
                ..Purposes::default()
            },
            source,
            at: Millis(at),
            policy_version: policy.into(),
        }
    }

    #[test]
    fn the_record_keeps_the_last_hundred_entries() {
        let mut record = ConsentRecord::new();
        for i in 0..250 {
            record.append(entry(i, i % 2 == 0, DecisionSource::User, "v1"));
        }
        assert_eq!(record.entries.len(), MAX_RECORD_ENTRIES);
        assert_eq!(record.entries[0].at, Millis(150));
    }

    #[test]
    fn a_repeated_decision_is_not_appended_again() {
        let mut record = ConsentRecord::new();
        assert!(record.append(entry(1, true, DecisionSource::Tcf, "v1")));
        assert!(!record.append(entry(2, true, DecisionSource::Tcf, "v1")));
        assert!(record.append(entry(3, true, DecisionSource::User, "v1")));
    }

    #[test]
    fn latest_for_looks_only_at_the_given_policy_version() {
        let mut record = ConsentRecord::new();
        record.append(entry(1, true, DecisionSource::User, "v1"));
        record.append(entry(2, false, DecisionSource::User, "v2"));
        assert!(record.latest_for("v1").unwrap().purposes.storage);
        assert!(!record.latest_for("v2").unwrap().purposes.storage);
        assert!(record.latest_for("v3").is_none());
    }

    #[test]
    fn a_stored_record_round_trips_and_bad_ones_are_rejected() {
        let mut record = ConsentRecord::new();
        record.append(entry(5, true, DecisionSource::Site, "2026-11"));
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(
            ConsentRecord::parse(crate::value::from_json(&json)).unwrap(),
            record
        );
        for bad in [
            r#"{"version":2,"entries":[]}"#,
            r#"{"version":1,"entries":[{"purposes":{"storage":true},"source":"user","at":1,"policyVersion":""}]}"#,
            r#"{"version":1,"entries":[{"purposes":{"storage":true,"measurement":false,"personalization":false},"source":"gpc","at":1,"policyVersion":""}]}"#,
            r#"[]"#,
            r#"{"version":1,"entries":[{"purposes":{"storage":true,"measurement":false,"personalization":false},"source":"user","at":9,"policyVersion":""},{"purposes":{"storage":false,"measurement":false,"personalization":false},"source":"user","at":1,"policyVersion":""}]}"#,
        ] {
            assert!(
                ConsentRecord::parse(crate::value::from_json(bad)).is_err(),
                "{bad}"
            );
        }
    }
}
