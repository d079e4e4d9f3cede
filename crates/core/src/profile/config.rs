//! How events weigh on the profile: the half-life of affinities and the weight of each kind
//! of engagement, with the defaults a site gets without configuring anything.
//!
//! Its one job is [`ProfileConfig`] and its strict reader from an options object
//! (`{ halfLifeDays, weights: { click, impression, dwellSecond } }`). The configuration is
//! not stored with the profile: it is the site's choice, read again at every start, so a
//! changed half-life applies to stored scores at once (they are stored with their time).

use super::windows::DAY_MS;
use crate::value::{Field, InputError};
use serde::Serialize;

/// Default affinity half-life: 14 days, in milliseconds.
pub const DEFAULT_HALF_LIFE_MS: u64 = 14 * DAY_MS;
/// Shortest configurable half-life: one hour, in days.
pub const MIN_HALF_LIFE_DAYS: f64 = 1.0 / 24.0;
/// Longest configurable half-life: ten years, in days.
pub const MAX_HALF_LIFE_DAYS: f64 = 3_650.0;
/// Default affinity added to each tag of a clicked item.
pub const DEFAULT_CLICK_WEIGHT: f64 = 1.0;
/// Default affinity added to each tag of an item seen (an impression).
pub const DEFAULT_IMPRESSION_WEIGHT: f64 = 0.1;
/// Default affinity added per second of dwell on an item, to each of its tags (a minute of
/// attention weighs a little more than a click).
pub const DEFAULT_DWELL_WEIGHT_PER_SECOND: f64 = 0.02;
/// Largest configurable weight.
pub const MAX_WEIGHT: f64 = 1_000.0;
/// Most dwell one event adds to affinities, in milliseconds (10 minutes): a tab left open
/// on one item should not outweigh everything else.
pub const MAX_DWELL_MS_PER_EVENT: u64 = 10 * 60 * 1_000;

/// The site's profile settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileConfig {
    /// Affinities halve every this many milliseconds.
    pub half_life_ms: u64,
    /// Affinity per click, to each tag of the item.
    pub click_weight: f64,
    /// Affinity per impression, to each tag of the item.
    pub impression_weight: f64,
    /// Affinity per second of dwell (up to [`MAX_DWELL_MS_PER_EVENT`] per event), to each tag.
    pub dwell_weight_per_second: f64,
}

impl Default for ProfileConfig {
    fn default() -> Self {
        ProfileConfig {
            half_life_ms: DEFAULT_HALF_LIFE_MS,
            click_weight: DEFAULT_CLICK_WEIGHT,
            impression_weight: DEFAULT_IMPRESSION_WEIGHT,
            dwell_weight_per_second: DEFAULT_DWELL_WEIGHT_PER_SECOND,
        }
    }
}

fn weight(field: Field, default: f64) -> Result<f64, InputError> {
    let read = |f: Field| {
        // A literal, not `{MAX_WEIGHT}`: formatting a float costs wasm size.
        let error = f.error("must be a number from 0 to 1000");
        match f.finite_number()? {
            n if (0.0..=MAX_WEIGHT).contains(&n) => Ok(n),
            _ => Err(error),
        }
    };
    Ok(field.optional(read)?.unwrap_or(default))
}

impl ProfileConfig {
    /// Reads `{ halfLifeDays?, weights?: { click?, impression?, dwellSecond? } }`; absent
    /// fields keep their defaults, unknown keys are refused.
    pub fn parse(field: Field) -> Result<Self, InputError> {
        let mut object = field.strict_object(&["halfLifeDays", "weights"])?;
        let mut config = ProfileConfig::default();
        let half_life = object.take("halfLifeDays");
        let out_of_range =
            half_life.error("must be a number of days from 1/24 (an hour) to 3650 (ten years)");
        if let Some(days) = half_life.optional(Field::finite_number)? {
            if !(MIN_HALF_LIFE_DAYS..=MAX_HALF_LIFE_DAYS).contains(&days) {
                return Err(out_of_range);
            }
            config.half_life_ms = (days * DAY_MS as f64) as u64;
        }
        let weights = object
            .take("weights")
            .optional(|f| f.strict_object(&["click", "impression", "dwellSecond"]))?;
        if let Some(mut weights) = weights {
            config.click_weight = weight(weights.take("click"), config.click_weight)?;
            config.impression_weight =
                weight(weights.take("impression"), config.impression_weight)?;
            config.dwell_weight_per_second =
                weight(weights.take("dwellSecond"), config.dwell_weight_per_second)?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::from_json;

    fn parse(json: &str) -> Result<ProfileConfig, InputError> {
        ProfileConfig::parse(Field::root("profile", from_json(json)))
    }

    #[test]
    fn absent_settings_keep_their_defaults() {
        assert_eq!(parse("{}"), Ok(ProfileConfig::default()));
        let config = parse(r#"{"halfLifeDays":7,"weights":{"impression":0.5}}"#).unwrap();
        assert_eq!(config.half_life_ms, 7 * DAY_MS);
        assert_eq!(config.impression_weight, 0.5);
        assert_eq!(config.click_weight, DEFAULT_CLICK_WEIGHT);
    }

    #[test]
    fn out_of_range_or_unknown_settings_are_refused_with_their_path() {
        for (bad, path) in [
            (r#"{"halfLifeDays":0}"#, "profile.halfLifeDays"),
            (r#"{"halfLifeDays":"7"}"#, "profile.halfLifeDays"),
            (r#"{"weights":{"click":-1}}"#, "profile.weights.click"),
            (r#"{"weights":{"scroll":1}}"#, "profile.weights.scroll"),
            (r#"{"decay":1}"#, "profile.decay"),
        ] {
            assert_eq!(parse(bad).unwrap_err().path, path, "{bad}");
        }
    }
}
