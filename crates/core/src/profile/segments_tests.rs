//! Tests of [`super::segments`] and [`super::centroids`]: built-in groups, the order of the
//! list, nearest-centroid assignment and change detection.
// Compiled only under `#[cfg(test)]`: the parent module includes this file with a
// `#[cfg(test)] mod` line.

use super::centroids::*;
use super::segments::*;
use super::windows::DAY_MS;
use super::{Profile, ProfileConfig, Rules};
use crate::event::session::{page_view, SESSION_TIMEOUT_MS};
use crate::event::{Event, Item, ReferrerClass, SessionState};
use crate::time::Millis;
use crate::value::from_json;

fn session(state: Option<SessionState>, at: u64) -> SessionState {
    let id = format!("s{at}");
    page_view(
        state,
        Millis(at),
        SESSION_TIMEOUT_MS,
        ReferrerClass::Direct,
        || id,
    )
    .0
}

fn centroids(json: &str) -> Centroids {
    Centroids::parse(from_json(json)).unwrap()
}

#[test]
fn built_in_groups_follow_sessions_activity_and_engagement() {
    let defs = SegmentDefs::default();
    let mut profile = Profile::new(ProfileConfig::default());
    let day0 = 1_000 * DAY_MS;
    let first = session(None, day0);
    profile.apply_session(&first);
    assert_eq!(defs.segments(&profile, Millis(day0)), ["new"]);
    let mut state = first;
    for day in 1..5 {
        state = session(Some(state), day0 + day * DAY_MS);
        profile.apply_session(&state);
    }
    let now = Millis(day0 + 4 * DAY_MS);
    assert_eq!(defs.segments(&profile, now), ["returning", "frequent"]);
    for _ in 0..10 {
        let click = Event::link_click(now, "https://ex.com/a").unwrap();
        profile.apply(&click, now);
    }
    assert_eq!(
        defs.segments(&profile, now),
        ["returning", "frequent", "engaged"]
    );
    let later = Millis(now.0 + DORMANT_AFTER_MS);
    assert_eq!(defs.segments(&profile, later), ["returning", "dormant"]);
}

#[test]
fn segments_list_built_ins_then_rules_then_the_cluster() {
    let rules = Rules::parse(from_json(
        r#"[{"name":"b","any":[{"metric":"sessionCount","op":"gte","value":0}]},
            {"name":"a","any":[{"metric":"sessionCount","op":"gte","value":0}]}]"#,
    ))
    .unwrap();
    let defs = SegmentDefs {
        rules,
        centroids: centroids(r#"[{"name":"only","features":{"clicks7d":0}}]"#),
    };
    let profile = Profile::new(ProfileConfig::default());
    assert_eq!(
        defs.segments(&profile, Millis(0)),
        ["new", "b", "a", "cluster:only"]
    );
}

#[test]
fn the_visitor_is_assigned_to_the_nearest_centroid_by_euclidean_distance() {
    let defs = centroids(
        r#"[{"name":"casual","features":{"clicks7d":1,"affinity:sports":0}},
            {"name":"sports","features":{"clicks7d":3,"affinity:sports":3}},
            {"name":"heavy","features":{"clicks7d":20}}]"#,
    );
    let mut profile = Profile::new(ProfileConfig::default());
    let now = Millis(50 * DAY_MS);
    assert_eq!(defs.nearest(&profile, now).map(|(n, _)| n), Some("casual"));
    for _ in 0..3 {
        let item = Item::new("a", ["sports"], None).unwrap();
        profile.apply(&Event::item_click(now, item), now);
    }
    assert_eq!(defs.vector(&profile, now), [3.0, 3.0]);
    let (name, distance) = defs.nearest(&profile, now).unwrap();
    assert_eq!((name, distance), ("sports", 0.0));
    assert_eq!(
        defs.segment(&profile, now).as_deref(),
        Some("cluster:sports")
    );
}

#[test]
fn centroids_are_validated_with_their_path() {
    for (bad, path) in [
        (
            r#"[{"name":"a","features":{"likes":1}}]"#,
            "centroids[0].features.likes",
        ),
        (
            r#"[{"name":"a","features":{"clicks7d":"x"}}]"#,
            "centroids[0].features.clicks7d",
        ),
        (
            r#"[{"name":"a","features":{}},{"name":"a","features":{}}]"#,
            "centroids[1].name",
        ),
        (r#"[{"name":"a:b","features":{}}]"#, "centroids[0].name"),
        (r#"[{"features":{}}]"#, "centroids[0].name"),
        (
            r#"[{"name":"a","features":{},"size":3}]"#,
            "centroids[0].size",
        ),
    ] {
        let error = Centroids::parse(from_json(bad)).unwrap_err();
        assert_eq!(error.0.path, path, "{bad}");
        assert_eq!(error.code(), "invalid_centroids");
    }
    let too_many: Vec<String> = (0..=MAX_CENTROIDS)
        .map(|i| format!(r#"{{"name":"c{i}","features":{{}}}}"#))
        .collect();
    let error = Centroids::parse(from_json(&format!("[{}]", too_many.join(",")))).unwrap_err();
    assert_eq!(error.0.path, format!("centroids[{MAX_CENTROIDS}]"));
    assert!(Centroids::parse(crate::value::Value::Null)
        .unwrap()
        .is_empty());
}

#[test]
fn the_tracker_reports_a_list_only_when_it_changes() {
    let mut tracker = SegmentTracker::new();
    assert_eq!(tracker.update(vec![]), None);
    assert_eq!(
        tracker.update(vec!["new".into()]),
        Some(vec!["new".to_string()])
    );
    assert_eq!(tracker.update(vec!["new".into()]), None);
    let changed = vec!["returning".to_string(), "engaged".to_string()];
    assert_eq!(tracker.update(changed.clone()), Some(changed.clone()));
    assert_eq!(tracker.current(), changed.as_slice());
    let mut seeded = SegmentTracker::seeded(changed.clone());
    assert_eq!(seeded.update(changed), None);
}

#[test]
fn the_tracker_notices_the_change_an_event_makes() {
    let defs = SegmentDefs {
        rules: Rules::parse(from_json(
            r#"[{"name":"clicker","all":[{"metric":"clicks","window":"1d","op":"gte","value":1}]}]"#,
        ))
        .unwrap(),
        centroids: Centroids::default(),
    };
    let mut profile = Profile::new(ProfileConfig::default());
    let now = Millis(10 * DAY_MS);
    let mut tracker = SegmentTracker::seeded(defs.segments(&profile, now));
    let view = Event::page_view(now, "/", ReferrerClass::Direct);
    profile.apply(&view, now);
    assert_eq!(tracker.refresh(&defs, &profile, now), None);
    profile.apply(&Event::link_click(now, "https://ex.com/").unwrap(), now);
    let expected = vec!["new".to_string(), "clicker".to_string()];
    assert_eq!(tracker.refresh(&defs, &profile, now), Some(expected));
    let tomorrow = Millis(now.0 + DAY_MS);
    assert_eq!(
        tracker.refresh(&defs, &profile, tomorrow),
        Some(vec!["new".to_string()])
    );
}
