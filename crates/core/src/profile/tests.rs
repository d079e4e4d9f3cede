//! Tests of [`super::Profile`]: what each event does, top affinities, eviction, and the
//! stored size after 100,000 events of any mix.
// Compiled only under `#[cfg(test)]`: the parent module includes this file with a
// `#[cfg(test)] mod` line.

use super::windows::{DAY_MS, HOUR_MS};
use super::*;
use crate::event::{parse_track, split_tags, Item, ReferrerClass};
use crate::value::{from_json, Value};
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

const T0: u64 = 1_750_000_000_000;

fn item(id: &str, tags: &str, slot: Option<&str>) -> Item {
    Item::new(id, split_tags(tags), slot).unwrap()
}

fn profile() -> Profile {
    Profile::new(ProfileConfig::default())
}

#[test]
fn clicks_weigh_more_than_impressions_and_dwell_credits_the_tags_of_a_seen_item() {
    let mut p = profile();
    let now = Millis(T0);
    p.apply(
        &Event::impression(now, &item("a", "news", Some("feed"))),
        now,
    );
    p.apply(
        &Event::item_click(now, item("b", "sports", Some("feed"))),
        now,
    );
    assert_eq!(p.affinity("news", now), DEFAULT_IMPRESSION_WEIGHT);
    assert_eq!(p.affinity("sports", now), DEFAULT_CLICK_WEIGHT);
    p.apply(&Event::dwell(now, &item("a", "", None), 30_000), now);
    let expected = DEFAULT_IMPRESSION_WEIGHT + 30.0 * DEFAULT_DWELL_WEIGHT_PER_SECOND;
    assert!((p.affinity("news", now) - expected).abs() < 1e-12);
    p.apply(&Event::dwell(now, &item("unseen", "", None), 30_000), now);
    assert_eq!(p.count(Counter::DwellMs, Window::Day, now), 60_000);
    let feed = p.slot("feed").unwrap();
    assert_eq!(
        (feed.impressions, feed.clicks, feed.ctr()),
        (1, 1, Some(1.0))
    );
}

use super::config::{
    DEFAULT_CLICK_WEIGHT, DEFAULT_DWELL_WEIGHT_PER_SECOND, DEFAULT_IMPRESSION_WEIGHT,
};

#[test]
fn affinities_halve_every_configured_half_life() {
    let config = ProfileConfig {
        half_life_ms: 7 * DAY_MS,
        ..ProfileConfig::default()
    };
    let mut p = Profile::new(config);
    let now = Millis(T0);
    p.apply(&Event::item_click(now, item("a", "x", None)), now);
    assert_eq!(p.affinity("x", Millis(T0 + 7 * DAY_MS)), 0.5);
    assert_eq!(p.affinity("x", Millis(T0 + 21 * DAY_MS)), 0.125);
}

#[test]
fn recency_counters_and_custom_events_are_recorded() {
    let mut p = profile();
    let now = Millis(T0);
    p.apply(&Event::page_view(now, "/", ReferrerClass::Search), now);
    let click_at = Millis(T0 + HOUR_MS);
    p.apply(
        &Event::link_click(click_at, "https://ex.com/x").unwrap(),
        Millis(T0 + 2 * HOUR_MS),
    );
    let track = parse_track(Value::String("signup".into()), Value::Null, now).unwrap();
    p.apply(&track, now);
    p.apply(&track, now);
    assert_eq!(
        (p.first_seen(), p.last_seen(), p.last_click()),
        (Some(now), Some(click_at), Some(click_at))
    );
    assert_eq!(p.count(Counter::PageViews, Window::Week, now), 1);
    assert_eq!(p.custom_count("signup"), 2);
    assert_eq!(p.metric(&Metric::Custom("signup".into()), now), Some(2.0));
}

#[test]
fn an_event_dated_after_now_is_counted_at_now() {
    let mut p = profile();
    let now = Millis(T0);
    p.apply(
        &Event::page_view(Millis(T0 + 90 * DAY_MS), "/", ReferrerClass::Direct),
        now,
    );
    assert_eq!(p.last_seen(), Some(now));
    assert_eq!(p.count(Counter::PageViews, Window::Day, now), 1);
}

#[test]
fn sessions_are_counted_once_each_however_often_their_state_is_applied() {
    use crate::event::session::{page_view, SESSION_TIMEOUT_MS};
    let mut p = profile();
    let visit = |state, at| {
        page_view(
            state,
            Millis(at),
            SESSION_TIMEOUT_MS,
            ReferrerClass::Direct,
            || "s".into(),
        )
        .0
    };
    let first = visit(None, T0);
    p.apply_session(&first);
    let same = visit(Some(first), T0 + 60_000);
    p.apply_session(&same);
    let second = visit(Some(same), T0 + DAY_MS);
    p.apply_session(&second);
    p.apply_session(&second);
    let now = Millis(T0 + DAY_MS);
    assert_eq!(p.count(Counter::Sessions, Window::Week, now), 2);
    assert_eq!((p.session_count(), p.first_seen()), (2, Some(Millis(T0))));
}

#[test]
fn top_affinities_are_the_strongest_first_with_ties_broken_by_name() {
    let mut p = profile();
    let now = Millis(T0);
    for (tags, clicks) in [("c", 1), ("a", 3), ("b", 1), ("d", 2)] {
        for _ in 0..clicks {
            p.apply(&Event::item_click(now, item("i", tags, None)), now);
        }
    }
    let top = p.top_affinities(3, now);
    let names: Vec<&str> = top.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(names, ["a", "d", "b"]);
    assert_eq!(p.top_affinities(99, now).len(), 4);
    assert!(p.top_affinities(0, now).is_empty());
}

#[test]
fn past_max_tags_the_weakest_affinity_is_evicted() {
    let mut p = profile();
    let now = Millis(T0);
    p.apply(&Event::item_click(now, item("i", "loved", None)), now);
    p.apply(&Event::item_click(now, item("i", "loved", None)), now);
    for i in 0..2 * MAX_TAGS {
        let later = Millis(T0 + i as u64 * HOUR_MS);
        p.apply(
            &Event::item_click(later, item("i", &format!("t{i}"), None)),
            later,
        );
    }
    assert_eq!(p.tag_count(), MAX_TAGS);
    let end = Millis(T0 + 2 * MAX_TAGS as u64 * HOUR_MS);
    assert!(
        p.affinity("loved", end) > 0.0,
        "a strong old interest outlives weak new ones"
    );
    assert_eq!(p.affinity("t0", end), 0.0);
    assert!(p.affinity(&format!("t{}", 2 * MAX_TAGS - 1), end) > 0.0);
}

#[test]
fn the_fixture_rules_and_centroids_parse_and_apply() {
    let rules = Rules::parse(from_json(include_str!(
        "../../../../tests/fixtures/profile/rules.json"
    )));
    let centroids = Centroids::parse(from_json(include_str!(
        "../../../../tests/fixtures/profile/centroids.json"
    )));
    let defs = SegmentDefs {
        rules: rules.unwrap(),
        centroids: centroids.unwrap(),
    };
    let mut p = profile();
    let now = Millis(T0);
    for _ in 0..3 {
        p.apply(&Event::item_click(now, item("a", "sports", None)), now);
    }
    assert_eq!(
        defs.segments(&p, now),
        ["new", "sports-fan", "cluster:sports-reader"]
    );
}

/// A random event: mostly items with fresh tags, slots and custom names, time moving on
/// (sometimes back), and a new session now and then.
fn random_event(rng: &mut Xoshiro256PlusPlus, now: Millis, long_names: bool) -> Event {
    let r = rng.next_u64();
    let name = |prefix: &str, n: u64| {
        if long_names {
            // 64 characters that each cost 6 bytes of JSON, made distinct by the number.
            let mut s: String = "\u{1}".repeat(48);
            s.push_str(&format!("{prefix}{n:0>15}"));
            s.chars().take(64).collect::<String>()
        } else {
            format!("{prefix}{n}")
        }
    };
    let tags: Vec<String> = (0..1 + r % 4)
        .map(|k| name("t", (r >> 8).wrapping_add(k) % 50_000))
        .collect();
    let slot = name("s", (r >> 24) % 500);
    let shown = Item::new(
        &name("i", r % 1_000),
        tags.iter().map(String::as_str),
        Some(&slot),
    )
    .unwrap();
    match r % 8 {
        0 | 1 => Event::impression(now, &shown),
        2 => Event::item_click(now, shown),
        3 => Event::dwell(now, &shown, (r >> 32) % 120_000),
        4 => Event::page_view(now, "/x", ReferrerClass::Internal),
        5 => Event::link_click(now, "https://ex.com/a")
            .unwrap_or_else(|| Event::page_leave(now, "/", 1, 1)),
        6 => parse_track(
            Value::String(name("e", (r >> 40) % 1_000).into()),
            Value::Null,
            now,
        )
        .unwrap(),
        _ => Event::page_leave(now, "/x", 1_000, 50),
    }
}

fn stored_size_after_random_events(long_names: bool) -> usize {
    use crate::event::session::{touch, SESSION_TIMEOUT_MS};
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let mut p = profile();
    let mut session = None;
    let mut now = T0;
    for _ in 0..100_000 {
        let step = rng.next_u64() % (2 * HOUR_MS);
        now = if step % 97 == 0 {
            now.saturating_sub(step)
        } else {
            now + step / 20
        };
        if step % 50 == 0 {
            let (state, _) = touch(
                session,
                Millis(now),
                SESSION_TIMEOUT_MS,
                ReferrerClass::Direct,
                || "s".into(),
            );
            p.apply_session(&state);
            session = Some(state);
        }
        p.apply(
            &random_event(&mut rng, Millis(now), long_names),
            Millis(now),
        );
    }
    let bytes = serde_json::to_vec(&p).unwrap();
    let back = Profile::parse(
        from_json(std::str::from_utf8(&bytes).unwrap()),
        ProfileConfig::default(),
    );
    assert!(back.is_ok(), "the stored form reads back: {:?}", back.err());
    bytes.len()
}

#[test]
fn the_stored_profile_stays_under_64_kb_after_100_000_random_events() {
    let size = stored_size_after_random_events(false);
    eprintln!("stored profile after 100,000 events: {size} bytes");
    assert!(size <= MAX_STORED_BYTES, "{size} bytes");
}

#[test]
fn the_stored_profile_stays_under_64_kb_even_with_the_costliest_names() {
    let size = stored_size_after_random_events(true);
    eprintln!("stored profile after 100,000 events with 6-byte characters: {size} bytes");
    assert!(size <= MAX_STORED_BYTES, "{size} bytes");
}

/// The fixture the schema-1 migration tests store (`tests/fixtures/profile-v1.json`) is a
/// valid stored profile: four clicks on a sports item.
#[test]
fn the_schema_1_fixture_is_a_stored_profile() {
    let text = include_str!("../../../../tests/fixtures/profile-v1.json");
    let profile = Profile::parse(crate::value::from_json(text), ProfileConfig::default())
        .expect("the fixture reads");
    assert_eq!(
        profile.count(Counter::Clicks, Window::All, Millis(1_764_000_000_000)),
        4
    );
}
