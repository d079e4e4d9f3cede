//! A `rank` request: read from a [`Value`], validated once.
//!
//! Errors inside the candidate list are `invalid_candidates` with the entry's index; every
//! other mistake (unknown key, bad `limit`, bad `context`) is `invalid_request`.

use super::candidate::{read_candidates, Candidate, MAX_CANDIDATES};
use super::rules::Rules;
use crate::value::{Field, InputError, Value};
use crate::{Error, ErrorCode};

/// Most keys in a request's `context`: room for a 64-value embedding or a few hundred
/// sensor readings alongside the page's own keys.
pub const MAX_CONTEXT_KEYS: usize = 256;
/// Longest context string, in characters.
pub const MAX_CONTEXT_TEXT_CHARS: usize = 256;
/// Longest slot name, in characters.
pub const MAX_SLOT_CHARS: usize = 64;

const REQUEST_KEYS: &[&str] = &["slot", "candidates", "context", "limit", "rules"];

/// A site-supplied context value.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextValue {
    /// A string, such as a page type.
    Text(String),
    /// A finite number.
    Number(f64),
    /// A flag.
    Flag(bool),
}

/// A validated request.
#[derive(Debug, Clone, PartialEq)]
pub struct RankRequest {
    /// The placement being ranked, e.g. `home-feed`.
    pub slot: Option<String>,
    /// Validated candidates in the server's order.
    pub candidates: Vec<Candidate>,
    /// Site context for this decision.
    pub context: Vec<(String, ContextValue)>,
    /// How many items to return; at least 1.
    pub limit: usize,
    /// Business rules applied around the ranking.
    pub rules: Rules,
}

fn invalid_request(error: InputError) -> Error {
    Error::new(ErrorCode::InvalidRequest, error.to_string())
}

impl RankRequest {
    /// Reads and validates a request.
    pub fn parse(value: Value) -> Result<Self, Error> {
        let mut request = Field::root("request", value)
            .strict_object(REQUEST_KEYS)
            .map_err(invalid_request)?;
        let candidates = read_candidates(request.take("candidates"))?;
        let slot = request.take("slot").optional(|f| f.text(MAX_SLOT_CHARS));
        let context = request.take("context").optional(read_context);
        let limit = request
            .take("limit")
            .optional(|f| f.integer(1, MAX_CANDIDATES as u64));
        let rules = Rules::parse(request.take("rules")).map_err(invalid_request)?;
        Ok(RankRequest {
            slot: slot.map_err(invalid_request)?,
            context: context.map_err(invalid_request)?.unwrap_or_default(),
            limit: limit
                .map_err(invalid_request)?
                .map_or(candidates.len(), |n| n as usize),
            candidates,
            rules,
        })
    }
}

fn read_context(field: Field) -> Result<Vec<(String, ContextValue)>, InputError> {
    field
        .object()?
        .into_entries(MAX_CONTEXT_KEYS)?
        .into_iter()
        .map(|(key, value)| Ok((key, read_context_value(value)?)))
        .collect()
}

fn read_context_value(field: Field) -> Result<ContextValue, InputError> {
    match field.value() {
        Value::Bool(b) => Ok(ContextValue::Flag(*b)),
        Value::Number(_) => field.finite_number().map(ContextValue::Number),
        Value::String(_) => field.text(MAX_CONTEXT_TEXT_CHARS).map(ContextValue::Text),
        other => Err(field.error(format!(
            "must be a string, number or boolean, got {}",
            other.describe()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::from_json;

    fn parse(json: &str) -> Result<RankRequest, Error> {
        RankRequest::parse(from_json(json))
    }

    #[test]
    fn a_minimal_request_ranks_every_candidate() {
        let request = parse(r#"{"candidates":[{"id":"a"},{"id":"b"}]}"#).unwrap();
        assert_eq!(request.limit, 2);
        assert_eq!(request.slot, None);
    }

    #[test]
    fn missing_candidates_or_not_an_array_are_invalid_candidates() {
        let error = parse(r#"{"candidates":{"id":"a"}}"#).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidCandidates);
        assert_eq!(error.index, None);
        let error = parse(r#"{"slot":"x"}"#).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidCandidates);
        assert_eq!(
            error.message,
            "request.candidates: is required (an array of candidates)"
        );
    }

    #[test]
    fn a_type_error_inside_a_candidate_carries_its_index() {
        let error = parse(r#"{"candidates":[{"id":"a"},{"id":7}]}"#).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidCandidates);
        assert_eq!(error.index, Some(1));
        assert_eq!(
            error.message,
            "request.candidates[1].id: must be a string, got the number 7"
        );
    }

    #[test]
    fn request_level_mistakes_are_invalid_request() {
        for json in [
            r#"{"candidates":[],"limt":3}"#,
            r#"{"candidates":[],"limit":0}"#,
            r#"{"candidates":[],"limit":-1}"#,
            r#"{"candidates":[],"limit":2.5}"#,
            r#"{"candidates":[],"context":{"page":[1]}}"#,
            r#"{"candidates":[],"slot":""}"#,
            r#""not an object""#,
        ] {
            assert_eq!(
                parse(json).unwrap_err().code,
                ErrorCode::InvalidRequest,
                "{json}"
            );
        }
    }

    #[test]
    fn context_values_may_be_strings_numbers_or_flags() {
        let request =
            parse(r#"{"candidates":[],"context":{"page":"home","depth":2,"app":true}}"#).unwrap();
        assert_eq!(request.context[0].1, ContextValue::Text("home".into()));
        assert_eq!(request.context[1].1, ContextValue::Number(2.0));
        assert_eq!(request.context[2].1, ContextValue::Flag(true));
    }

    #[test]
    fn a_context_may_hold_256_keys_such_as_an_embedding() {
        let context = |n: usize| {
            let keys: Vec<String> = (0..n).map(|i| format!(r#""e{i}":0.{i}"#)).collect();
            format!(r#"{{"candidates":[],"context":{{{}}}}}"#, keys.join(","))
        };
        let request = parse(&context(MAX_CONTEXT_KEYS)).unwrap();
        assert_eq!(request.context.len(), 256);
        let error = parse(&context(MAX_CONTEXT_KEYS + 1)).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidRequest);
    }
}
