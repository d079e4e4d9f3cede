//! Time as a value: the core never reads a clock, it is handed [`Millis`].

use serde::Serialize;

/// Milliseconds since the Unix epoch, as `Date.now()` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Millis(pub u64);

impl Millis {
    /// Converts a JavaScript timestamp, clamping values that are not finite or before 1970.
    pub fn from_js(ms: f64) -> Self {
        if ms.is_finite() && ms > 0.0 {
            // Saturating float-to-int cast: values past u64::MAX become u64::MAX.
            Millis(ms as u64)
        } else {
            Millis(0)
        }
    }
}
