//! Behaviour of [`Viewability`] on timelines: the IAB/MRC impression rule, dwell, idleness,
//! hidden tabs, page views and bounds. Times are in milliseconds from the page view's start.
// Compiled only under `#[cfg(test)]`: the parent module includes this file with a
// `#[cfg(test)] mod` line.

use super::*;

fn item(id: &str) -> Item {
    Item::new(id, ["news"], Some("feed")).unwrap()
}

fn at(ms: u64) -> Millis {
    Millis(ms)
}

/// A page view at 0 with element 1 (item `a`) in view from `from`.
fn shown_from(from: u64) -> Viewability {
    let mut v = Viewability::new(at(0));
    assert!(v.set_item_visibility(1, &item("a"), true, at(from)));
    v
}

fn impressions(events: &[Event]) -> Vec<(String, Millis)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Impression { item_id, at, .. } => Some((item_id.clone(), *at)),
            _ => None,
        })
        .collect()
}

fn dwell(events: &[Event]) -> Vec<(String, u64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Dwell {
                item_id,
                visible_ms,
                ..
            } => Some((item_id.clone(), *visible_ms)),
            _ => None,
        })
        .collect()
}

#[test]
fn half_a_second_in_view_makes_no_impression() {
    let mut v = shown_from(0);
    v.set_item_visibility(1, &item("a"), false, at(500));
    assert!(v.poll(at(5_000)).is_empty());
}

#[test]
fn a_second_and_a_half_in_view_makes_one_impression_at_the_second() {
    let mut v = shown_from(100);
    assert!(v.poll(at(900)).is_empty());
    let events = v.poll(at(1_600));
    assert_eq!(impressions(&events), [("a".to_owned(), at(1_100))]);
    assert_eq!(
        serde_json::to_string(&events[0]).unwrap(),
        r#"{"type":"impression","at":1100,"itemId":"a","slot":"feed","tags":["news"]}"#
    );
    assert!(v.poll(at(10_000)).is_empty());
}

#[test]
fn an_impression_earned_between_polls_survives_the_item_leaving() {
    let mut v = shown_from(0);
    v.set_item_visibility(1, &item("a"), false, at(1_200));
    assert_eq!(
        impressions(&v.poll(at(1_300))),
        [("a".to_owned(), at(1_000))]
    );
}

#[test]
fn a_hidden_tab_breaks_continuity_and_pauses_dwell() {
    let mut v = shown_from(0);
    v.set_page_visible(false, at(600));
    assert!(v.poll(at(5_000)).is_empty(), "hidden time does not count");
    v.set_page_visible(true, at(5_000));
    assert!(v.poll(at(5_600)).is_empty(), "the timer restarted at 5,000");
    assert_eq!(
        impressions(&v.poll(at(6_000))),
        [("a".to_owned(), at(6_000))]
    );
    assert_eq!(dwell(&v.flush(at(6_000))), [("a".to_owned(), 600 + 1_000)]);
}

#[test]
fn an_idle_visitor_stops_dwell_until_the_next_input() {
    let mut v = shown_from(0);
    v.record_input(at(10_000));
    assert!(v.is_active(at(39_999)));
    assert!(!v.is_active(at(40_000)));
    v.record_input(at(100_000));
    assert_eq!(
        dwell(&v.flush(at(105_000))),
        [("a".to_owned(), 40_000 + 5_000)]
    );
}

#[test]
fn input_while_active_keeps_dwell_running_without_gaps() {
    let mut v = shown_from(0);
    for t in (1_000..=90_000).step_by(1_000) {
        v.record_input(at(t));
    }
    assert_eq!(dwell(&v.flush(at(90_000))), [("a".to_owned(), 90_000)]);
}

#[test]
fn leaving_and_reentering_the_viewport_restarts_the_continuity_timer() {
    let mut v = shown_from(0);
    v.set_item_visibility(1, &item("a"), false, at(800));
    v.set_item_visibility(1, &item("a"), true, at(900));
    assert!(v.poll(at(1_800)).is_empty());
    assert_eq!(v.next_deadline(at(1_800)), Some(at(1_900)));
    assert_eq!(
        impressions(&v.poll(at(1_900))),
        [("a".to_owned(), at(1_900))]
    );
}

#[test]
fn an_item_makes_one_impression_per_page_view() {
    let mut v = shown_from(0);
    assert_eq!(v.poll(at(1_000)).len(), 1);
    v.set_item_visibility(1, &item("a"), false, at(2_000));
    v.set_item_visibility(1, &item("a"), true, at(3_000));
    assert!(v.poll(at(9_000)).is_empty());
    assert_eq!(v.next_deadline(at(9_000)), None);
}

#[test]
fn a_new_page_view_flushes_dwell_and_allows_new_impressions_of_items_in_view() {
    let mut v = shown_from(0);
    v.set_item_visibility(2, &item("b"), true, at(0));
    v.set_item_visibility(2, &item("b"), false, at(100));
    v.poll(at(1_000));
    let events = v.reset_page_view(at(2_000));
    assert_eq!(
        dwell(&events),
        [("a".to_owned(), 2_000), ("b".to_owned(), 100)]
    );
    assert_eq!(v.tracked_count(), 1, "elements out of view are forgotten");
    assert_eq!(
        impressions(&v.poll(at(3_000))),
        [("a".to_owned(), at(3_000))]
    );
}

#[test]
fn flushing_reports_dwell_once_and_starts_again_from_zero() {
    let mut v = shown_from(0);
    v.set_item_visibility(2, &item("b"), true, at(0));
    v.set_item_visibility(2, &item("b"), false, at(0));
    let events = v.flush(at(1_500));
    assert_eq!(impressions(&events), [("a".to_owned(), at(1_000))]);
    assert_eq!(
        dwell(&events),
        [("a".to_owned(), 1_500)],
        "no event for zero dwell"
    );
    assert_eq!(dwell(&v.flush(at(2_000))), [("a".to_owned(), 500)]);
}

#[test]
fn the_next_deadline_is_the_earliest_pending_impression() {
    let mut v = Viewability::new(at(0));
    assert_eq!(v.next_deadline(at(0)), None);
    v.set_item_visibility(2, &item("b"), true, at(100));
    v.set_item_visibility(1, &item("a"), true, at(300));
    assert_eq!(v.next_deadline(at(500)), Some(at(1_100)));
    v.set_page_visible(false, at(600));
    assert_eq!(
        v.next_deadline(at(700)),
        None,
        "nothing can happen while hidden"
    );
    v.set_page_visible(true, at(800));
    v.set_item_visibility(2, &item("b"), false, at(2_000));
    assert_eq!(
        v.next_deadline(at(2_000)),
        Some(at(2_000)),
        "an earned impression is due now"
    );
}

#[test]
fn removing_an_element_returns_its_last_events_and_frees_its_place() {
    let mut v = shown_from(0);
    v.set_item_visibility(2, &item("b"), true, at(0));
    let events = v.remove_item(1, at(1_200));
    assert_eq!(impressions(&events), [("a".to_owned(), at(1_000))]);
    assert_eq!(dwell(&events), [("a".to_owned(), 1_200)]);
    assert!(v.remove_item(1, at(1_300)).is_empty());
    assert_eq!(v.tracked_count(), 1);
    assert_eq!(
        impressions(&v.poll(at(1_300))),
        [("b".to_owned(), at(1_000))]
    );
}

#[test]
fn new_elements_beyond_the_bound_are_ignored() {
    let mut v = Viewability::new(at(0));
    let shown = item("x");
    for key in 0..MAX_TRACKED_ITEMS as u32 {
        assert!(v.set_item_visibility(key, &shown, true, at(0)));
    }
    assert!(!v.set_item_visibility(u32::MAX, &shown, true, at(0)));
    assert!(
        v.set_item_visibility(0, &shown, false, at(10)),
        "known ones still update"
    );
    assert_eq!(v.tracked_count(), MAX_TRACKED_ITEMS);
    assert!(!v.set_item_visibility(u32::MAX - 1, &item("y"), false, at(0)));
}

#[test]
fn a_clock_that_goes_back_counts_nothing_twice() {
    let mut v = shown_from(0);
    v.set_item_visibility(2, &item("b"), true, at(1_000));
    v.set_item_visibility(2, &item("b"), false, at(500));
    v.record_input(at(200));
    assert_eq!(
        dwell(&v.flush(at(2_000))),
        [("a".to_owned(), 2_000)],
        "b was in view for no time at all"
    );
}
