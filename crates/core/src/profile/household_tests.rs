//! Tests of [`super::household`]: switching, listing, removing and the stored form.
// Compiled only under `#[cfg(test)]`: the parent module includes this file with a
// `#[cfg(test)] mod` line.

use super::household::*;
use super::ProfileConfig;
use crate::event::{Event, ReferrerClass};
use crate::time::Millis;
use crate::value::from_json;

fn household() -> Profiles {
    Profiles::new(ProfileConfig::default())
}

#[test]
fn using_a_profile_creates_it_and_events_go_to_the_active_one() {
    let mut profiles = household();
    assert_eq!(profiles.use_profile("kid"), Ok(true));
    let now = Millis(5);
    let view = Event::page_view(now, "/", ReferrerClass::Direct);
    profiles.active_mut().apply(&view, now);
    assert_eq!(profiles.use_profile("default"), Ok(false));
    assert_eq!(profiles.active_name(), "default");
    assert_eq!(profiles.active().last_seen(), None);
    assert_eq!(profiles.get("kid").and_then(|p| p.last_seen()), Some(now));
    assert_eq!(profiles.list(), ["default", "kid"]);
}

#[test]
fn profile_names_and_counts_are_bounded() {
    let mut profiles = household();
    for bad in ["", "a b", "é", &"x".repeat(65)] {
        assert_eq!(
            profiles.use_profile(bad),
            Err(HouseholdError::InvalidName),
            "{bad}"
        );
    }
    for i in 1..MAX_PROFILES {
        assert_eq!(profiles.use_profile(&format!("p{i}")), Ok(true));
    }
    assert_eq!(
        profiles.use_profile("one-more"),
        Err(HouseholdError::TooMany)
    );
    assert_eq!(profiles.use_profile("p1"), Ok(false));
    assert_eq!(profiles.list().len(), MAX_PROFILES);
    assert_eq!(HouseholdError::TooMany.code(), "invalid_profile");
}

#[test]
fn removing_the_active_profile_falls_back_to_default_then_to_the_first_by_name() {
    let mut profiles = household();
    profiles.use_profile("zoe").unwrap();
    profiles.use_profile("ann").unwrap();
    assert_eq!(profiles.remove("ann"), Ok(true));
    assert_eq!(profiles.active_name(), "default");
    assert_eq!(profiles.remove("default"), Ok(true));
    assert_eq!(profiles.active_name(), "zoe");
    assert_eq!(profiles.list(), ["zoe"]);
    assert_eq!(profiles.remove("nobody"), Ok(false));
}

#[test]
fn removing_the_last_profile_leaves_a_fresh_default() {
    let mut profiles = household();
    profiles.use_profile("solo").unwrap();
    profiles.remove("default").unwrap();
    let now = Millis(9);
    let view = Event::page_view(now, "/", ReferrerClass::Direct);
    profiles.active_mut().apply(&view, now);
    assert_eq!(profiles.remove("solo"), Ok(true));
    assert_eq!(profiles.list(), ["default"]);
    assert_eq!(profiles.active().last_seen(), None);
}

#[test]
fn a_stored_household_round_trips_and_must_name_an_existing_active_profile() {
    let mut profiles = household();
    profiles.use_profile("kid").unwrap();
    let now = Millis(77);
    let view = Event::page_view(now, "/", ReferrerClass::Direct);
    profiles.active_mut().apply(&view, now);
    let text = serde_json::to_string(&profiles).unwrap();
    let back = Profiles::parse(from_json(&text), ProfileConfig::default()).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    assert_eq!(back.active_name(), "kid");
    let orphan = text.replace(r#""active":"kid""#, r#""active":"ghost""#);
    let error = Profiles::parse(from_json(&orphan), ProfileConfig::default()).unwrap_err();
    assert_eq!(error.path, "profiles.active");
    let bad_name = text.replace(r#""kid":{"#, r#""k d":{"#);
    let error = Profiles::parse(from_json(&bad_name), ProfileConfig::default()).unwrap_err();
    assert_eq!(error.path, "profiles.profiles.k d");
}
