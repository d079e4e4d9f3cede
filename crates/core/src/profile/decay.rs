//! Time-decayed scores: a value that halves every half-life, stored with the time it was
//! last brought up to date.
//!
//! Its one job is [`Decayed`]: adding an amount at a time and reading the value at another,
//! with exact exponential decay (`value · 2^(−Δt / half-life)`). Nothing is stepped or
//! approximated, so reading twice or adding in several parts gives the same result as one
//! computation. A clock that goes backwards never makes a score grow: an amount added before
//! the stored time is decayed forward to it, and a read before the stored time returns the
//! stored value.

use crate::time::Millis;
use serde::ser::{SerializeTuple, Serializer};
use serde::Serialize;

/// The shortest half-life used, in milliseconds; shorter ones (0 included) are raised to it.
pub const MIN_HALF_LIFE_MS: u64 = 1;

/// A score that decays exponentially; stored compactly as `[value, at]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decayed {
    /// The score at `at`.
    pub value: f64,
    /// When `value` was last brought up to date.
    pub at: Millis,
}

/// The factor a score keeps over `elapsed_ms`: `2^(−elapsed / half_life)`, 1 when nothing
/// has elapsed.
pub fn decay_factor(elapsed_ms: u64, half_life_ms: u64) -> f64 {
    if elapsed_ms == 0 {
        return 1.0;
    }
    let half_life = half_life_ms.max(MIN_HALF_LIFE_MS) as f64;
    (-(elapsed_ms as f64) / half_life).exp2()
}

impl Default for Decayed {
    /// Nothing, at the epoch.
    fn default() -> Self {
        Decayed::new(0.0, Millis(0))
    }
}

impl Decayed {
    /// A score of `value` at `at`.
    pub fn new(value: f64, at: Millis) -> Self {
        Decayed { value, at }
    }

    /// The score at `now`: decayed from `at`, or the stored value when `now` is earlier.
    pub fn value_at(&self, now: Millis, half_life_ms: u64) -> f64 {
        self.value * decay_factor(now.0.saturating_sub(self.at.0), half_life_ms)
    }

    /// Adds `amount` at `now`. When `now` is before the stored time (a clock went back, or
    /// events arrive out of order) the amount is decayed forward to the stored time instead,
    /// so the result is the same whatever the order of the additions.
    pub fn add(&mut self, amount: f64, now: Millis, half_life_ms: u64) {
        if !amount.is_finite() {
            return;
        }
        if now >= self.at {
            self.value = self.value_at(now, half_life_ms) + amount;
            self.at = now;
        } else {
            self.value += amount * decay_factor(self.at.0 - now.0, half_life_ms);
        }
    }
}

impl Serialize for Decayed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(&self.value)?;
        tuple.serialize_element(&self.at)?;
        tuple.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400_000;

    #[test]
    fn a_score_halves_exactly_every_half_life() {
        let score = Decayed::new(8.0, Millis(1_000));
        assert_eq!(score.value_at(Millis(1_000), DAY), 8.0);
        assert_eq!(score.value_at(Millis(1_000 + DAY), DAY), 4.0);
        assert_eq!(score.value_at(Millis(1_000 + 3 * DAY), DAY), 1.0);
        let half_a_day = score.value_at(Millis(1_000 + DAY / 2), DAY);
        assert!((half_a_day - 8.0 / 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn adding_in_order_or_out_of_order_gives_the_same_score() {
        let mut in_order = Decayed::default();
        in_order.add(1.0, Millis(DAY), DAY);
        in_order.add(1.0, Millis(2 * DAY), DAY);
        let mut reversed = Decayed::default();
        reversed.add(1.0, Millis(2 * DAY), DAY);
        reversed.add(1.0, Millis(DAY), DAY);
        assert_eq!(in_order, reversed);
        assert_eq!(in_order.value, 1.5);
    }

    #[test]
    fn a_clock_going_back_never_makes_a_score_grow() {
        let score = Decayed::new(2.0, Millis(10 * DAY));
        assert_eq!(score.value_at(Millis(DAY), DAY), 2.0);
        assert_eq!(score.value_at(Millis(0), 0), 2.0);
    }

    #[test]
    fn a_zero_half_life_forgets_at_once_without_dividing_by_zero() {
        let score = Decayed::new(2.0, Millis(0));
        assert_eq!(score.value_at(Millis(DAY), 0), 0.0);
        let mut added = score;
        added.add(f64::NAN, Millis(5), DAY);
        assert_eq!(added, score);
    }

    #[test]
    fn a_score_is_stored_as_a_value_and_a_time() {
        let json = serde_json::to_string(&Decayed::new(0.5, Millis(7))).unwrap();
        assert_eq!(json, "[0.5,7]");
    }
}
