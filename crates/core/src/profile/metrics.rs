//! The named measures of a profile that site rules and server centroids read.
//!
//! Its one job is [`Metric`]: parsing a rule's `metric` (and `window`) or a centroid's
//! feature name, and reading the value from a [`Profile`]. Rules name counters and windows
//! apart (`{metric: "clicks", window: "7d"}`); centroids join them (`clicks7d`,
//! `sessionsAll`). A metric with no value yet (the days since a visit never seen, the
//! click-through of a slot never shown) reads as `None`.

use super::windows::{Counter, Window, DAY_MS};
use super::Profile;
use crate::event::custom::MAX_EVENT_NAME_CHARS;
use crate::event::item::{MAX_ITEM_SLOT_CHARS, MAX_ITEM_TAG_CHARS};
use crate::time::Millis;
use crate::value::{Field, InputError};

/// Longest metric or feature name, in characters (`affinity:` and a 64-character tag).
pub const MAX_METRIC_CHARS: usize = 80;
/// What an unknown metric's message lists.
pub const METRIC_NAMES: &str = "sessions, pageViews, clicks, impressions, dwellMs (with a \
window), sessionCount, engagement, recencyDays, ageDays, affinity:<tag>, custom:<event name>, \
ctr:<slot>";

/// A measure of the profile.
#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    /// A counter over a window.
    Count(Counter, Window),
    /// Sessions so far, from the session state.
    SessionCount,
    /// The engagement score ([`super::engagement`]).
    Engagement,
    /// Days (fractional) since the latest activity.
    RecencyDays,
    /// Days (fractional) since the visitor was first seen.
    AgeDays,
    /// The decayed affinity for a tag (0 when never seen).
    Affinity(String),
    /// How many times a custom event was tracked (0 when never).
    Custom(String),
    /// Click-through in a slot.
    Ctr(String),
}

/// A metric name before its window: a counter needs one, the others take none.
enum Named {
    Counter(Counter),
    Plain(Metric),
}

fn with_param(name: &str, prefix: &str, max_chars: usize) -> Option<String> {
    let param = name.strip_prefix(prefix)?;
    let length = param.chars().count();
    (length > 0 && length <= max_chars).then(|| param.to_owned())
}

fn named(name: &str) -> Option<Named> {
    if let Some(i) = Counter::NAMES.iter().position(|n| *n == name) {
        return Counter::ALL.get(i).copied().map(Named::Counter);
    }
    let plain = match name {
        "sessionCount" => Metric::SessionCount,
        "engagement" => Metric::Engagement,
        "recencyDays" => Metric::RecencyDays,
        "ageDays" => Metric::AgeDays,
        _ => {
            if let Some(tag) = with_param(name, "affinity:", MAX_ITEM_TAG_CHARS) {
                Metric::Affinity(tag)
            } else if let Some(event) = with_param(name, "custom:", MAX_EVENT_NAME_CHARS) {
                Metric::Custom(event)
            } else {
                Metric::Ctr(with_param(name, "ctr:", MAX_ITEM_SLOT_CHARS)?)
            }
        }
    };
    Some(Named::Plain(plain))
}

impl Metric {
    /// Reads a rule's `metric` and `window`: a counter needs a window (`1d`, `7d`, `30d` or
    /// `all`); any other metric must have none.
    pub fn parse_rule(metric: Field, window: Field) -> Result<Metric, InputError> {
        let unknown = metric.error(format!("unknown metric; expected one of {METRIC_NAMES}"));
        let name = metric.text(MAX_METRIC_CHARS)?;
        match named(&name) {
            None => Err(unknown),
            Some(Named::Counter(counter)) => {
                if window.is_absent() {
                    return Err(window.error(format!("is required for {name}")));
                }
                let i = window.one_of(&Window::NAMES)?;
                let window = Window::ALL.get(i).copied().unwrap_or(Window::All);
                Ok(Metric::Count(counter, window))
            }
            Some(Named::Plain(_)) if !window.is_absent() => {
                Err(window.error(format!("does not apply to {name}; remove it")))
            }
            Some(Named::Plain(plain)) => Ok(plain),
        }
    }

    /// Reads a centroid feature name: a counter joined to its window (`clicks7d`,
    /// `dwellMs30d`, `sessionsAll`) or any other metric name.
    pub fn parse_feature(name: &str) -> Option<Metric> {
        for (counter, counter_name) in Counter::ALL.iter().zip(Counter::NAMES) {
            let Some(suffix) = name.strip_prefix(counter_name) else {
                continue;
            };
            let window = match suffix {
                "1d" => Window::Day,
                "7d" => Window::Week,
                "30d" => Window::Month,
                "All" => Window::All,
                _ => continue,
            };
            return Some(Metric::Count(*counter, window));
        }
        match named(name)? {
            Named::Plain(metric) => Some(metric),
            Named::Counter(_) => None,
        }
    }
}

fn days_since(at: Option<Millis>, now: Millis) -> Option<f64> {
    at.map(|at| now.0.saturating_sub(at.0) as f64 / DAY_MS as f64)
}

impl Profile {
    /// The value of `metric` at `now`, `None` when it has none yet.
    pub fn metric(&self, metric: &Metric, now: Millis) -> Option<f64> {
        match metric {
            Metric::Count(counter, window) => Some(self.count(*counter, *window, now) as f64),
            Metric::SessionCount => Some(f64::from(self.session_count())),
            Metric::Engagement => Some(self.engagement(now).score),
            Metric::RecencyDays => days_since(self.last_seen(), now),
            Metric::AgeDays => days_since(self.first_seen(), now),
            Metric::Affinity(tag) => Some(self.affinity(tag, now)),
            Metric::Custom(name) => Some(f64::from(self.custom_count(name))),
            Metric::Ctr(slot) => self.slot(slot).and_then(|s| s.ctr()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{from_json, Value};

    fn rule(metric: &str, window: Option<&str>) -> Result<Metric, InputError> {
        let window = window.map_or(Value::Null, from_json);
        Metric::parse_rule(
            Field::root("m", from_json(metric)),
            Field::root("w", window),
        )
    }

    #[test]
    fn counters_need_a_window_and_other_metrics_refuse_one() {
        let clicks = Metric::Count(Counter::Clicks, Window::Week);
        assert_eq!(rule(r#""clicks""#, Some(r#""7d""#)), Ok(clicks));
        assert_eq!(rule(r#""clicks""#, None).unwrap_err().path, "w");
        assert_eq!(rule(r#""clicks""#, Some(r#""2d""#)).unwrap_err().path, "w");
        let sports = Metric::Affinity("sports".into());
        assert_eq!(rule(r#""affinity:sports""#, None), Ok(sports));
        assert_eq!(
            rule(r#""engagement""#, Some(r#""7d""#)).unwrap_err().path,
            "w"
        );
    }

    #[test]
    fn unknown_metrics_and_empty_parameters_are_refused() {
        for bad in [r#""views""#, r#""affinity:""#, r#""ctr""#, "3"] {
            let error = rule(bad, None).unwrap_err();
            assert_eq!(error.path, "m", "{bad}");
        }
    }

    #[test]
    fn feature_names_join_a_counter_to_its_window() {
        assert_eq!(
            Metric::parse_feature("dwellMs30d"),
            Some(Metric::Count(Counter::DwellMs, Window::Month))
        );
        assert_eq!(
            Metric::parse_feature("sessionsAll"),
            Some(Metric::Count(Counter::Sessions, Window::All))
        );
        assert_eq!(
            Metric::parse_feature("sessionCount"),
            Some(Metric::SessionCount)
        );
        assert_eq!(Metric::parse_feature("clicks"), None);
        assert_eq!(Metric::parse_feature("clicks2d"), None);
    }
}
