//! Tests of [`super::windows`]: rollover, the definitions of each window, clocks going back.
// Compiled only under `#[cfg(test)]`: the parent module includes this file with a
// `#[cfg(test)] mod` line.

use super::windows::*;
use crate::time::Millis;

fn at(day: u64, hour: u64) -> Millis {
    Millis(day * DAY_MS + hour * HOUR_MS)
}

#[test]
fn the_windows_roll_over_forty_days_exactly_at_day_granularity() {
    let mut windows = Windows::default();
    for day in 0..40 {
        windows.add(at(1_000 + day, 12), Counter::PageViews, day + 1);
    }
    let now = at(1_039, 13);
    // Days 33..=39 carry 34..=40 page views; days 10..=39 carry 11..=40.
    assert_eq!(
        windows.count(Counter::PageViews, Window::Week, now),
        (34..=40).sum::<u64>()
    );
    assert_eq!(
        windows.count(Counter::PageViews, Window::Month, now),
        (11..=40).sum::<u64>()
    );
    assert_eq!(windows.count(Counter::PageViews, Window::Day, now), 40);
    assert_eq!(
        windows.count(Counter::PageViews, Window::All, now),
        (1..=40).sum::<u64>()
    );
    assert_eq!(windows.count(Counter::Clicks, Window::Month, now), 0);
}

#[test]
fn one_day_means_the_last_twenty_four_hours_not_since_midnight() {
    let mut windows = Windows::default();
    windows.add(at(10, 23), Counter::Clicks, 1);
    windows.add(at(11, 1), Counter::Clicks, 1);
    assert_eq!(windows.count(Counter::Clicks, Window::Day, at(11, 2)), 2);
    assert_eq!(windows.count(Counter::Clicks, Window::Day, at(11, 23)), 1);
    assert_eq!(windows.count(Counter::Clicks, Window::Day, at(12, 0)), 1);
    assert_eq!(windows.count(Counter::Clicks, Window::Day, at(12, 1)), 0);
}

#[test]
fn reading_later_without_new_events_lets_old_days_fall_out() {
    let mut windows = Windows::default();
    windows.add(at(100, 0), Counter::Sessions, 3);
    assert_eq!(
        windows.count(Counter::Sessions, Window::Week, at(106, 23)),
        3
    );
    assert_eq!(
        windows.count(Counter::Sessions, Window::Week, at(107, 0)),
        0
    );
    assert_eq!(
        windows.count(Counter::Sessions, Window::Month, at(129, 0)),
        3
    );
    assert_eq!(
        windows.count(Counter::Sessions, Window::Month, at(130, 0)),
        0
    );
}

#[test]
fn a_clock_going_back_counts_in_its_own_bucket_and_very_old_events_only_in_totals() {
    let mut windows = Windows::default();
    windows.add(at(50, 0), Counter::Impressions, 1);
    windows.add(at(48, 0), Counter::Impressions, 1);
    windows.add(at(5, 0), Counter::Impressions, 1);
    assert_eq!(
        windows.count(Counter::Impressions, Window::Week, at(50, 0)),
        2
    );
    assert_eq!(
        windows.count(Counter::Impressions, Window::Week, at(48, 0)),
        1
    );
    assert_eq!(
        windows.count(Counter::Impressions, Window::All, at(50, 0)),
        3
    );
}

#[test]
fn buckets_saturate_instead_of_overflowing() {
    let mut windows = Windows::default();
    windows.add(at(1, 0), Counter::DwellMs, u64::MAX);
    windows.add(at(1, 0), Counter::DwellMs, 5);
    let month = windows.count(Counter::DwellMs, Window::Month, at(1, 0));
    assert_eq!(month, u64::from(u32::MAX));
    let all = windows.count(Counter::DwellMs, Window::All, at(1, 0));
    assert_eq!(all, crate::value::MAX_SAFE_INTEGER);
}

#[test]
fn stored_windows_round_trip_and_wrong_shapes_are_refused_with_their_path() {
    let mut windows = Windows::default();
    windows.add(at(3, 4), Counter::Clicks, 2);
    windows.add(at(9, 1), Counter::DwellMs, 1_500);
    let json = serde_json::to_string(&windows).unwrap();
    let field = crate::value::Field::root("w", crate::value::from_json(&json));
    assert_eq!(Windows::parse(field), Ok(windows));
    for (bad, path) in [
        (
            r#"{"hours":[0],"days":[0],"totals":[0,0,0,0,0]}"#,
            "w.hours",
        ),
        (r#"{"hours":[],"days":[],"totals":[]}"#, "w.hours"),
    ] {
        let field = crate::value::Field::root("w", crate::value::from_json(bad));
        assert_eq!(Windows::parse(field).unwrap_err().path, path, "{bad}");
    }
}
