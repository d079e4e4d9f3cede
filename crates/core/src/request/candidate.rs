//! Candidate validation: what the site's server sends is checked once, here, with the index
//! and the reason of the first bad entry. Properties other than `id`, `tags`, `features` and
//! `score` are ignored unread, so a site can pass its own item objects.

use crate::value::{Field, InputError, Value};
use std::collections::HashSet;
use std::rc::Rc;

/// Most candidates in one `rank` call.
pub const MAX_CANDIDATES: usize = 10_000;
/// Longest candidate id, in characters.
pub const MAX_ID_CHARS: usize = 256;
/// Most tags on one candidate.
pub const MAX_TAGS: usize = 32;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;
/// Most numeric features on one candidate.
pub const MAX_FEATURES: usize = 256;
/// Longest feature name, in characters.
pub const MAX_FEATURE_NAME_CHARS: usize = 64;

/// A validated candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Unique, non-empty, at most [`MAX_ID_CHARS`].
    pub id: String,
    /// Non-empty tags of at most [`MAX_TAG_CHARS`].
    pub tags: Vec<String>,
    /// Finite feature values by name, in the order given (names shared across candidates).
    pub features: Vec<(Rc<str>, f64)>,
    /// The server's own score, finite; `None` when the server sent none.
    pub server_score: Option<f64>,
}

/// Why a candidate list was rejected: the offending entry, when one is at fault, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateError {
    /// The offending entry's position.
    pub index: Option<usize>,
    /// Where and what.
    pub error: InputError,
}

impl From<CandidateError> for crate::Error {
    fn from(e: CandidateError) -> Self {
        crate::Error {
            code: crate::ErrorCode::InvalidCandidates,
            message: e.error.to_string(),
            index: e.index,
        }
    }
}

/// Reads and validates a whole list: every entry, then that ids are unique.
pub fn read_candidates(field: Field) -> Result<Vec<Candidate>, CandidateError> {
    if field.is_absent() {
        let error = field.error("is required (an array of candidates)");
        return Err(CandidateError { index: None, error });
    }
    let over_limit_index =
        matches!(field.value(), crate::value::Value::List(_)).then_some(MAX_CANDIDATES);
    let entries = field.list(MAX_CANDIDATES).map_err(|error| CandidateError {
        index: over_limit_index,
        error,
    })?;
    let mut candidates = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let candidate = read_candidate(entry).map_err(|error| CandidateError {
            index: Some(index),
            error,
        })?;
        candidates.push(candidate);
    }
    reject_duplicate_ids(&candidates)?;
    Ok(candidates)
}

fn read_candidate(field: Field) -> Result<Candidate, InputError> {
    let mut object = field.object()?;
    let id_field = object.take("id");
    if id_field.is_absent() {
        return Err(id_field.error("is required (a non-empty string)"));
    }
    let id = id_field.text(MAX_ID_CHARS)?;
    let tags = match object.take("tags").optional(|f| f.list(MAX_TAGS))? {
        Some(tags) => tags
            .into_iter()
            .map(|tag| tag.text(MAX_TAG_CHARS))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let features = match object.take("features").optional(Field::object)? {
        Some(features) => read_features(features)?,
        None => Vec::new(),
    };
    let server_score = object.take("score").optional(Field::finite_number)?;
    Ok(Candidate {
        id,
        tags,
        features,
        server_score,
    })
}

fn read_features(features: crate::value::Object) -> Result<Vec<(Rc<str>, f64)>, InputError> {
    let crate::value::Pairs { path, entries } = features.into_pairs(MAX_FEATURES)?;
    entries
        .into_iter()
        .map(|(name, value)| {
            let name_fits = !name.is_empty()
                && (name.len() <= MAX_FEATURE_NAME_CHARS
                    || name.chars().count() <= MAX_FEATURE_NAME_CHARS);
            match value {
                Value::Number(n) if n.is_finite() && name_fits => Ok((name, n)),
                value => {
                    let field = Field::child(&path, &name, value);
                    if !name_fits {
                        return Err(field.error(format!(
                            "feature names must be 1 to {MAX_FEATURE_NAME_CHARS} characters"
                        )));
                    }
                    Ok((name, field.finite_number()?))
                }
            }
        })
        .collect()
}

fn reject_duplicate_ids(candidates: &[Candidate]) -> Result<(), CandidateError> {
    let mut seen = HashSet::with_capacity(candidates.len());
    for (index, candidate) in candidates.iter().enumerate() {
        if !seen.insert(candidate.id.as_str()) {
            let error = InputError {
                path: format!("candidates[{index}].id"),
                reason: format!("'{}' is a duplicate of an earlier candidate", candidate.id),
            };
            return Err(CandidateError {
                index: Some(index),
                error,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{from_json, Value};

    fn read(json: &str) -> Result<Vec<Candidate>, CandidateError> {
        read_candidates(Field::root("candidates", from_json(json)))
    }

    #[test]
    fn valid_candidates_keep_their_order_and_fields() {
        let list = read(
            r#"[{"id":"a","tags":["x"],"features":{"f":0.5},"score":0.3,"title":"ignored"},
                {"id":"b"}]"#,
        )
        .unwrap();
        assert_eq!(list[0].id, "a");
        assert_eq!(list[0].features, vec![("f".into(), 0.5)]);
        assert_eq!(list[0].server_score, Some(0.3));
        assert_eq!(list[1].tags, Vec::<String>::new());
    }

    #[test]
    fn a_missing_id_is_reported_with_its_index() {
        let error = read(r#"[{"id":"a"},{"tags":[]}]"#).unwrap_err();
        assert_eq!(error.index, Some(1));
        assert_eq!(
            error.error.to_string(),
            "candidates[1].id: is required (a non-empty string)"
        );
    }

    #[test]
    fn a_duplicate_id_is_reported_at_its_second_occurrence() {
        let error = read(r#"[{"id":"a"},{"id":"b"},{"id":"a"}]"#).unwrap_err();
        assert_eq!(error.index, Some(2));
        assert!(error.error.reason.contains("duplicate"));
    }

    #[test]
    fn non_finite_numbers_are_rejected() {
        let candidate = |key: &str, n: f64| {
            let value = match key {
                "score" => Value::Number(n),
                _ => Value::Object(vec![("recency".into(), Value::Number(n))]),
            };
            Value::List(vec![Value::Object(vec![
                ("id".into(), Value::String("a".into())),
                (key.into(), value),
            ])])
        };
        let error = read_candidates(Field::root("candidates", candidate("features", f64::NAN)))
            .unwrap_err();
        assert_eq!(
            error.error.to_string(),
            "candidates[0].features.recency: must be a finite number, got the number NaN"
        );
        let error = read_candidates(Field::root("candidates", candidate("score", f64::INFINITY)))
            .unwrap_err();
        assert_eq!(error.error.path, "candidates[0].score");
    }

    #[test]
    fn not_an_array_has_no_index_and_too_many_names_the_first_extra() {
        assert_eq!(read(r#"{"id":"a"}"#).unwrap_err().index, None);
        let many: Vec<String> = (0..=MAX_CANDIDATES)
            .map(|i| format!(r#"{{"id":"c{i}"}}"#))
            .collect();
        let error = read(&format!("[{}]", many.join(","))).unwrap_err();
        assert_eq!(error.index, Some(MAX_CANDIDATES));
        assert_eq!(error.error.path, "candidates[10000]");
    }

    #[test]
    fn empty_and_overlong_ids_and_tags_are_rejected() {
        assert!(read(r#"[{"id":""}]"#).is_err());
        let long = "x".repeat(MAX_ID_CHARS + 1);
        assert!(read(&format!(r#"[{{"id":"{long}"}}]"#)).is_err());
        let error = read(r#"[{"id":"a","tags":["ok",""]}]"#).unwrap_err();
        assert_eq!(error.error.path, "candidates[0].tags[1]");
    }
}
