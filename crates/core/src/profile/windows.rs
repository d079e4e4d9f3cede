//! Rolling-window counters with fixed memory: sessions, page views, clicks, impressions and
//! dwell over the last day, 7 days, 30 days and the visitor's whole history.
//!
//! Definitions (UTC, exact at their granularity):
//! - **1d**: the current clock hour and the 23 before it (24 hour buckets), so "the last 24
//!   hours" to within the hour, never "since midnight";
//! - **7d** and **30d**: the current UTC day and the 6 (or 29) days before it (30 day buckets);
//! - **all**: lifetime totals, saturating at 2^53 − 1.
//!
//! Each ring is indexed by hour or day number and cleared as time moves on, so memory is
//! fixed whatever the number of events. Events older than a ring only reach the totals; a
//! clock that goes back counts in the bucket of its own time and is read only at times at or
//! after it. Each bucket saturates at `u32::MAX` (49 days of dwell in one bucket).

use crate::time::Millis;
use crate::value::{Field, InputError, MAX_SAFE_INTEGER};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

/// One hour, in milliseconds.
pub const HOUR_MS: u64 = 60 * 60 * 1_000;
/// One day, in milliseconds.
pub const DAY_MS: u64 = 24 * HOUR_MS;
/// Hour buckets kept (the 1-day window).
pub const HOURS: usize = 24;
/// Day buckets kept (the 30-day window).
pub const DAYS: usize = 30;
/// Metrics counted per bucket.
pub const METRICS: usize = 5;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Sessions started.
    Sessions = 0,
    /// Page views.
    PageViews = 1,
    /// Clicks on items and links.
    Clicks = 2,
    /// Item impressions.
    Impressions = 3,
    /// Milliseconds of item dwell.
    DwellMs = 4,
}

impl Counter {
    /// Every counter, in bucket order; their names are [`Counter::NAMES`].
    pub const ALL: [Counter; METRICS] = [
        Counter::Sessions,
        Counter::PageViews,
        Counter::Clicks,
        Counter::Impressions,
        Counter::DwellMs,
    ];
    /// The names rules and centroids use, in bucket order.
    pub const NAMES: [&'static str; METRICS] =
        ["sessions", "pageViews", "clicks", "impressions", "dwellMs"];
}

/// A span counters are summed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The last 24 hours, at hour granularity.
    Day,
    /// The last 7 UTC days, today included.
    Week,
    /// The last 30 UTC days, today included.
    Month,
    /// The whole history.
    All,
}

impl Window {
    /// Every window; their names are [`Window::NAMES`].
    pub const ALL: [Window; 4] = [Window::Day, Window::Week, Window::Month, Window::All];
    /// The names rules use (`1d`, `7d`, `30d`, `all`), in the order of [`Window::ALL`].
    pub const NAMES: [&'static str; 4] = ["1d", "7d", "30d", "all"];
}

/// A ring of `N` buckets of counts, indexed by unit number (hour or day since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ring<const N: usize> {
    /// The latest unit recorded; buckets hold units `latest − N + 1 ..= latest`.
    pub latest: u64,
    /// Counts per unit, at index `unit % N`.
    pub buckets: [[u32; METRICS]; N],
}

impl<const N: usize> Default for Ring<N> {
    fn default() -> Self {
        Ring {
            latest: 0,
            buckets: [[0; METRICS]; N],
        }
    }
}

fn slot<const N: usize>(unit: u64) -> usize {
    (unit % N as u64) as usize
}

impl<const N: usize> Ring<N> {
    /// Adds `amount` of `counter` in `unit`, moving the ring on (and clearing what it passes)
    /// when `unit` is newer than any before; ignores units that have left the ring.
    pub fn add(&mut self, unit: u64, counter: Counter, amount: u32) {
        if unit > self.latest {
            let steps = (unit - self.latest).min(N as u64);
            for k in 0..steps {
                if let Some(bucket) = self.buckets.get_mut(slot::<N>(unit - k)) {
                    *bucket = [0; METRICS];
                }
            }
            self.latest = unit;
        } else if self.latest - unit >= N as u64 {
            return;
        }
        if let Some(count) = self
            .buckets
            .get_mut(slot::<N>(unit))
            .and_then(|b| b.get_mut(counter as usize))
        {
            *count = count.saturating_add(amount);
        }
    }

    /// The sum of `counter` over the `span` units ending with `now_unit` (at most `N`).
    pub fn sum(&self, now_unit: u64, span: usize, counter: Counter) -> u64 {
        let mut total = 0u64;
        for k in 0..span.min(N) as u64 {
            let Some(unit) = now_unit.checked_sub(k) else {
                break;
            };
            if unit > self.latest {
                continue;
            }
            if self.latest - unit >= N as u64 {
                break;
            }
            let bucket = self.buckets.get(slot::<N>(unit));
            total += bucket
                .and_then(|b| b.get(counter as usize))
                .map_or(0, |c| u64::from(*c));
        }
        total
    }
}

impl<const N: usize> Ring<N> {
    /// Reads the stored form (see [`Serialize`]): exactly `N` buckets of [`METRICS`] counts.
    pub fn parse(field: Field) -> Result<Self, InputError> {
        let whole = field.error(format!("must hold the latest unit and {N} buckets"));
        let mut entries = field.list(N + 1)?.into_iter();
        let mut ring = Ring::<N> {
            latest: match entries.next() {
                Some(latest) => latest.integer(0, MAX_SAFE_INTEGER)?,
                None => return Err(whole),
            },
            ..Ring::default()
        };
        for bucket in &mut ring.buckets {
            let Some(entry) = entries.next() else {
                return Err(whole);
            };
            *bucket = read_counts(entry)?;
        }
        Ok(ring)
    }
}

fn read_counts(field: Field) -> Result<[u32; METRICS], InputError> {
    let whole = field.error(format!("must hold {METRICS} counts"));
    let entries = field.list(METRICS)?;
    if entries.len() != METRICS {
        return Err(whole);
    }
    let mut counts = [0u32; METRICS];
    for (count, entry) in counts.iter_mut().zip(entries) {
        let n = entry.integer(0, u64::from(u32::MAX))?;
        *count = u32::try_from(n).unwrap_or(u32::MAX);
    }
    Ok(counts)
}

impl<const N: usize> Serialize for Ring<N> {
    /// Stored as `[latest, bucket 0, …, bucket N − 1]`: the latest unit, then the buckets in
    /// ring order (index `unit % N`), each `[sessions, pageViews, clicks, impressions, dwellMs]`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(N + 1))?;
        seq.serialize_element(&self.latest)?;
        for bucket in &self.buckets {
            seq.serialize_element(bucket)?;
        }
        seq.end()
    }
}

/// The counters of one profile: hours, days and lifetime totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Windows {
    /// Hour buckets, for the 1-day window.
    pub hours: Ring<HOURS>,
    /// Day buckets, for the 7- and 30-day windows.
    pub days: Ring<DAYS>,
    /// Lifetime totals, in [`Counter`] order.
    pub totals: [u64; METRICS],
}

impl Windows {
    /// Reads the stored form (`{hours, days, totals}`), strictly.
    pub fn parse(field: Field) -> Result<Self, InputError> {
        let mut object = field.strict_object(&["hours", "days", "totals"])?;
        let hours = Ring::parse(object.take("hours"))?;
        let days = Ring::parse(object.take("days"))?;
        let totals_field = object.take("totals");
        let whole = totals_field.error(format!("must hold {METRICS} totals"));
        let entries = totals_field.list(METRICS)?;
        if entries.len() != METRICS {
            return Err(whole);
        }
        let mut totals = [0u64; METRICS];
        for (total, entry) in totals.iter_mut().zip(entries) {
            *total = entry.integer(0, MAX_SAFE_INTEGER)?;
        }
        Ok(Windows {
            hours,
            days,
            totals,
        })
    }

    /// Counts `amount` of `counter` at `at`.
    pub fn add(&mut self, at: Millis, counter: Counter, amount: u64) {
        let bucket_amount = u32::try_from(amount).unwrap_or(u32::MAX);
        self.hours.add(at.0 / HOUR_MS, counter, bucket_amount);
        self.days.add(at.0 / DAY_MS, counter, bucket_amount);
        if let Some(total) = self.totals.get_mut(counter as usize) {
            *total = total.saturating_add(amount).min(MAX_SAFE_INTEGER);
        }
    }

    /// `counter` summed over `window` ending at `now`.
    pub fn count(&self, counter: Counter, window: Window, now: Millis) -> u64 {
        match window {
            Window::Day => self.hours.sum(now.0 / HOUR_MS, HOURS, counter),
            Window::Week => self.days.sum(now.0 / DAY_MS, 7, counter),
            Window::Month => self.days.sum(now.0 / DAY_MS, DAYS, counter),
            Window::All => self.totals.get(counter as usize).copied().unwrap_or(0),
        }
    }
}
