//! Reading a session back from storage, or from another tab, strictly.
//!
//! Its one job is [`SessionState::parse`]: the stored form is what [`SessionState`]
//! serializes to, and anything else (an unknown key, a missing or out-of-range field, times
//! out of order) is refused with its path, as `corrupt_data`, so that the caller starts a
//! fresh session rather than trusting half of one. It never repairs or guesses.

use super::referrer::ReferrerClass;
use super::session::{SessionState, MAX_SESSION_ID_CHARS};
use crate::time::Millis;
use crate::value::{Field, InputError, Value, MAX_SAFE_INTEGER};
use crate::{Error, ErrorCode};

const STATE_KEYS: &[&str] = &[
    "id",
    "startedAt",
    "lastActivityAt",
    "pageViews",
    "sessionCount",
    "firstSeenAt",
    "entryReferrer",
];

/// Why a stored session could not be read; it converts to `corrupt_data` (the caller starts
/// afresh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSessionError(pub InputError);

impl From<StoredSessionError> for Error {
    fn from(e: StoredSessionError) -> Self {
        Error::new(ErrorCode::CorruptData, e.0.to_string())
    }
}

impl SessionState {
    /// Reads the stored or shared form (as serialized), strictly: an unknown key, a missing
    /// or out-of-range field, or times out of order make it invalid.
    pub fn parse(value: Value) -> Result<Self, StoredSessionError> {
        read_state(Field::root("session", value)).map_err(StoredSessionError)
    }
}

fn read_time(field: Field) -> Result<Millis, InputError> {
    field.integer(0, MAX_SAFE_INTEGER).map(Millis)
}

fn read_count(field: Field, min: u64) -> Result<u32, InputError> {
    let n = field.integer(min, u64::from(u32::MAX))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

fn read_state(field: Field) -> Result<SessionState, InputError> {
    let names = ReferrerClass::ALL.map(ReferrerClass::as_str);
    let mut object = field.strict_object(STATE_KEYS)?;
    let state = SessionState {
        id: object.take("id").text(MAX_SESSION_ID_CHARS)?,
        started_at: read_time(object.take("startedAt"))?,
        last_activity_at: read_time(object.take("lastActivityAt"))?,
        page_views: read_count(object.take("pageViews"), 0)?,
        session_count: read_count(object.take("sessionCount"), 1)?,
        first_seen_at: read_time(object.take("firstSeenAt"))?,
        entry_referrer: ReferrerClass::ALL
            .get(object.take("entryReferrer").one_of(&names)?)
            .copied()
            .unwrap_or(ReferrerClass::Other),
    };
    if state.first_seen_at > state.started_at {
        return Err(object
            .take("firstSeenAt")
            .error("must not be after startedAt"));
    }
    if state.started_at > state.last_activity_at {
        return Err(object
            .take("startedAt")
            .error("must not be after lastActivityAt"));
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::session::tests::visit;
    use crate::value::from_json;

    #[test]
    fn a_stored_state_round_trips() {
        let (state, _) = visit(None, 0);
        let (state, _) = visit(Some(state), 45);
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(SessionState::parse(from_json(&json)), Ok(state));
    }

    #[test]
    fn an_invalid_stored_state_is_refused_with_its_path() {
        let good = r#"{"id":"a","startedAt":5,"lastActivityAt":9,"pageViews":1,"sessionCount":1,"firstSeenAt":1,"entryReferrer":"direct"}"#;
        assert!(SessionState::parse(from_json(good)).is_ok());
        for (from, to, path) in [
            (r#""id":"a""#, r#""id":"""#, "session.id"),
            (
                r#""sessionCount":1"#,
                r#""sessionCount":0"#,
                "session.sessionCount",
            ),
            (r#""pageViews":1"#, r#""pageViews":-1"#, "session.pageViews"),
            ("direct", "email", "session.entryReferrer"),
            (r#""startedAt":5"#, r#""startedAt":10"#, "session.startedAt"),
            (
                r#""firstSeenAt":1"#,
                r#""firstSeenAt":6"#,
                "session.firstSeenAt",
            ),
            (r#""id":"a","#, r#""id":"a","extra":1,"#, "session.extra"),
            (r#","firstSeenAt":1"#, "", "session.firstSeenAt"),
            (good, "[]", "session"),
        ] {
            let bad = good.replace(from, to);
            let error = SessionState::parse(from_json(&bad)).unwrap_err();
            assert_eq!(error.0.path, path, "{bad}");
            assert_eq!(Error::from(error).code, ErrorCode::CorruptData);
        }
    }
}
