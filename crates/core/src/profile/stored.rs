//! Reading a stored profile back, strictly.
//!
//! Its one job is [`Profile::parse`]: the stored form is what [`Profile`] serializes to
//! (`{version, firstSeen, lastSeen, lastClick, sessionCount, lastSessionStart, affinities:
//! {tag: [value, at]}, slots: {slot: [impressions, clicks]}, custom: {name: count},
//! windows}`). Anything else — an unknown key or version, a map past its bounds, a
//! negative score — is refused with its path as `corrupt_data`, and the caller starts a
//! fresh profile rather than trusting half of one. Bounds are checked as on the way in, so
//! a stored profile can never be larger than one built from events.

use super::bounded::Bounded;
use super::decay::Decayed;
use super::items::{RecentItems, SlotStats};
use super::windows::Windows;
use super::*;
use crate::value::{Field, InputError, Value, MAX_SAFE_INTEGER};
use crate::{Error, ErrorCode};

const PROFILE_KEYS: &[&str] = &[
    "version",
    "firstSeen",
    "lastSeen",
    "lastClick",
    "sessionCount",
    "lastSessionStart",
    "affinities",
    "slots",
    "custom",
    "windows",
];

/// Why a stored profile could not be read; it converts to `corrupt_data` (the caller starts
/// afresh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfileError(pub InputError);

impl From<StoredProfileError> for Error {
    fn from(e: StoredProfileError) -> Self {
        Error::new(ErrorCode::CorruptData, e.0.to_string())
    }
}

fn time(field: Field) -> Result<Option<Millis>, InputError> {
    field.optional(|f| f.integer(0, MAX_SAFE_INTEGER).map(Millis))
}

fn count(field: Field) -> Result<u32, InputError> {
    let n = field.integer(0, u64::from(u32::MAX))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

fn decayed(field: Field) -> Result<Decayed, InputError> {
    let whole = field.error("must be [value, at] with a value of 0 or more");
    let mut entries = field.list(2)?.into_iter();
    let (Some(value), Some(at)) = (entries.next(), entries.next()) else {
        return Err(whole);
    };
    let value = value.finite_number()?;
    if value < 0.0 {
        return Err(whole);
    }
    let at = at.integer(0, MAX_SAFE_INTEGER)?;
    Ok(Decayed::new(value, Millis(at)))
}

impl Profile {
    /// Reads the stored form (as serialized), strictly, to be weighed by `config` from now on.
    pub fn parse(value: Value, config: ProfileConfig) -> Result<Profile, StoredProfileError> {
        read(Field::root("profile", value), config).map_err(StoredProfileError)
    }
}

/// Reads a profile at `field` (also used for each profile of a household).
pub(super) fn read(field: Field, config: ProfileConfig) -> Result<Profile, InputError> {
    let mut object = field.strict_object(PROFILE_KEYS)?;
    let version = object.take("version").integer(1, PROFILE_FORMAT_VERSION)?;
    Ok(Profile {
        version,
        first_seen: time(object.take("firstSeen"))?,
        last_seen: time(object.take("lastSeen"))?,
        last_click: time(object.take("lastClick"))?,
        session_count: count(object.take("sessionCount"))?,
        last_session_start: time(object.take("lastSessionStart"))?,
        affinities: Bounded::parse(
            object.take("affinities"),
            MAX_TAGS,
            MAX_TAG_NAME_BYTES,
            decayed,
        )?,
        slots: Bounded::parse(
            object.take("slots"),
            MAX_SLOTS,
            MAX_SLOT_NAME_BYTES,
            SlotStats::parse,
        )?,
        custom: Bounded::parse(
            object.take("custom"),
            MAX_CUSTOM_NAMES,
            MAX_CUSTOM_NAME_BYTES,
            count,
        )?,
        windows: Windows::parse(object.take("windows"))?,
        config,
        recent: RecentItems::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Item, ReferrerClass};
    use crate::value::from_json;

    fn sample() -> Profile {
        let mut profile = Profile::new(ProfileConfig::default());
        let now = Millis(1_700_000_000_000);
        let item = Item::new("a1", ["sports", "nba"], Some("feed")).unwrap();
        profile.apply(&Event::impression(now, &item), now);
        profile.apply(&Event::item_click(now, item), now);
        profile.apply(&Event::page_view(now, "/", ReferrerClass::Direct), now);
        let track = crate::event::parse_track(Value::String("signup".into()), Value::Null, now);
        profile.apply(&track.unwrap(), now);
        profile
    }

    fn json(profile: &Profile) -> serde_json::Value {
        serde_json::to_value(profile).unwrap()
    }

    #[test]
    fn a_stored_profile_round_trips() {
        let profile = sample();
        let text = serde_json::to_string(&profile).unwrap();
        let back = Profile::parse(from_json(&text), ProfileConfig::default()).unwrap();
        assert_eq!(json(&back), json(&profile));
        assert_eq!(back.slot("feed"), profile.slot("feed"));
    }

    #[test]
    fn an_invalid_stored_profile_is_refused_with_its_path_as_corrupt_data() {
        let good = json(&sample());
        let cases: [(&str, serde_json::Value, &str); 5] = [
            ("version", 2.into(), "profile.version"),
            ("extra", 1.into(), "profile.extra"),
            ("sessionCount", (-1).into(), "profile.sessionCount"),
            (
                "affinities",
                from_str(r#"{"a":[-1,0]}"#),
                "profile.affinities.a",
            ),
            ("slots", from_str(r#"{"s":[1]}"#), "profile.slots.s"),
        ];
        for (key, value, path) in cases {
            let mut bad = good.clone();
            bad[key] = value;
            let text = bad.to_string();
            let error = Profile::parse(from_json(&text), ProfileConfig::default()).unwrap_err();
            assert_eq!(error.0.path, path, "{text}");
            assert_eq!(Error::from(error).code, ErrorCode::CorruptData);
        }
    }

    fn from_str(text: &str) -> serde_json::Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_stored_map_past_its_bounds_is_refused() {
        let mut bad = json(&sample());
        let many: serde_json::Map<String, serde_json::Value> = (0..=MAX_SLOTS)
            .map(|i| (format!("s{i}"), from_str("[1,1]")))
            .collect();
        bad["slots"] = serde_json::Value::Object(many);
        let error = Profile::parse(from_json(&bad.to_string()), ProfileConfig::default());
        assert_eq!(error.unwrap_err().0.path, "profile.slots");
    }
}
