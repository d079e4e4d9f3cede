//! The ranking context: the device and the local time, as plain values.
//!
//! Its one job is to turn raw signals the browser layer reads (media queries, viewport width,
//! `navigator.language`, `Date.getTimezoneOffset()`) and the time into a small, clamped
//! [`Context`] and the cyclic time features the ranker uses. It never looks at the user
//! agent (a fingerprinting surface), never reads a clock (the time is handed in) and never
//! fails: out-of-range input is clamped, unreadable input falls back to a neutral value.

use crate::time::Millis;
use serde::Serialize;

/// Viewports narrower than this, in CSS pixels, on a touch-first device are phones.
pub const PHONE_MAX_WIDTH_PX: f64 = 600.0;
/// Upper bounds, in CSS pixels, of the `xs`, `sm`, `md` and `lg` buckets (Bootstrap's).
pub const VIEWPORT_BREAKPOINTS_PX: [f64; 4] = [576.0, 768.0, 992.0, 1_200.0];
/// The furthest a time zone is from UTC, in minutes (UTC−14:00 to UTC+14:00).
pub const MAX_TZ_OFFSET_MIN: i16 = 840;
/// Longest language subtag kept, in characters (BCP 47 allows 2 to 8 letters).
pub const MAX_LANGUAGE_CHARS: usize = 8;
/// The language when none can be read: BCP 47's "undetermined".
pub const UNKNOWN_LANGUAGE: &str = "und";

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_HOUR: i64 = 60 * MS_PER_MINUTE;
const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;
/// 1970-01-01 was a Thursday; weekdays count from Sunday = 0, like `Date.getDay()`.
const EPOCH_WEEKDAY: i64 = 4;

/// The kind of device, from how it is pointed at and how wide it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceClass {
    /// Touch-first and narrow.
    Phone,
    /// Touch-first, wider, without hover.
    Tablet,
    /// A fine pointer, or touch with hover (a touch laptop).
    Desktop,
}

/// The viewport width bucket: `xs` < 576 ≤ `sm` < 768 ≤ `md` < 992 ≤ `lg` < 1200 ≤ `xl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ViewportBucket {
    /// Below 576 px.
    Xs,
    /// 576 to 767 px.
    Sm,
    /// 768 to 991 px.
    Md,
    /// 992 to 1199 px.
    Lg,
    /// 1200 px and wider.
    Xl,
}

/// What the browser layer reads, unchecked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawContext<'a> {
    /// `matchMedia('(pointer: coarse)').matches`.
    pub pointer_coarse: bool,
    /// `matchMedia('(hover: hover)').matches`.
    pub hover: bool,
    /// `innerWidth`, in CSS pixels.
    pub viewport_width_px: f64,
    /// `navigator.language`, e.g. `en-US`.
    pub language: &'a str,
    /// `new Date().getTimezoneOffset()`: minutes *behind* UTC (−120 for UTC+2).
    pub js_timezone_offset_min: f64,
    /// `navigator.connection?.saveData`.
    pub save_data: bool,
    /// `matchMedia('(prefers-reduced-motion: reduce)').matches`.
    pub reduced_motion: bool,
}

/// The context a decision is made in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Context {
    /// Phone, tablet or desktop.
    pub device: DeviceClass,
    /// The viewport width bucket.
    pub viewport_bucket: ViewportBucket,
    /// The primary language subtag, lower-case (`en`), or [`UNKNOWN_LANGUAGE`].
    pub language: String,
    /// Local time minus UTC, in minutes (+120 for UTC+2), within ±[`MAX_TZ_OFFSET_MIN`].
    pub tz_offset_min: i16,
    /// The local hour, 0–23.
    pub local_hour: u8,
    /// The local weekday, 0 (Sunday) to 6.
    pub weekday: u8,
    /// The visitor asked to save data.
    pub save_data: bool,
    /// The visitor prefers reduced motion.
    pub reduced_motion: bool,
}

impl Context {
    /// Builds the context at `now` from raw signals, clamping and normalizing each.
    pub fn from_raw(raw: &RawContext<'_>, now: Millis) -> Context {
        let width = if raw.viewport_width_px.is_finite() {
            raw.viewport_width_px
        } else {
            0.0
        };
        let tz_offset_min = tz_offset_min(raw.js_timezone_offset_min);
        let now_ms = i64::try_from(now.0).unwrap_or(i64::MAX / 2);
        let local_ms = now_ms.saturating_add(i64::from(tz_offset_min) * MS_PER_MINUTE);
        let local_hour = local_ms.rem_euclid(MS_PER_DAY) / MS_PER_HOUR;
        let weekday = (local_ms.div_euclid(MS_PER_DAY) + EPOCH_WEEKDAY).rem_euclid(7);
        Context {
            device: device_class(raw.pointer_coarse, raw.hover, width),
            viewport_bucket: viewport_bucket(width),
            language: primary_language(raw.language),
            tz_offset_min,
            local_hour: u8::try_from(local_hour).unwrap_or(0),
            weekday: u8::try_from(weekday).unwrap_or(0),
            save_data: raw.save_data,
            reduced_motion: raw.reduced_motion,
        }
    }

    /// `[sin, cos]` of the hour over 24, then of the weekday over 7: neighbouring hours (23
    /// and 0) and days (Saturday and Sunday) stay close for a linear model.
    pub fn cyclic_time_features(&self) -> [f64; 4] {
        let (hour_sin, hour_cos) = crate::math::turn(f64::from(self.local_hour) / 24.0);
        let (day_sin, day_cos) = crate::math::turn(f64::from(self.weekday) / 7.0);
        [hour_sin, hour_cos, day_sin, day_cos]
    }
}

/// Touch-first (coarse pointer) devices are phones when narrow, tablets without hover, and
/// desktops with it; anything with a fine pointer is a desktop.
pub fn device_class(pointer_coarse: bool, hover: bool, viewport_width_px: f64) -> DeviceClass {
    if !pointer_coarse {
        DeviceClass::Desktop
    } else if viewport_width_px.is_nan() || viewport_width_px < PHONE_MAX_WIDTH_PX {
        DeviceClass::Phone
    } else if hover {
        DeviceClass::Desktop
    } else {
        DeviceClass::Tablet
    }
}

/// The bucket of a viewport width; non-finite or negative widths are `xs`.
pub fn viewport_bucket(width_px: f64) -> ViewportBucket {
    const BUCKETS: [ViewportBucket; 4] = [
        ViewportBucket::Xs,
        ViewportBucket::Sm,
        ViewportBucket::Md,
        ViewportBucket::Lg,
    ];
    if width_px.is_nan() {
        return ViewportBucket::Xs;
    }
    VIEWPORT_BREAKPOINTS_PX
        .iter()
        .zip(BUCKETS)
        .find(|(limit, _)| width_px < **limit)
        .map_or(ViewportBucket::Xl, |(_, bucket)| bucket)
}

/// The primary subtag of a language tag (`en-US`, `zh_Hant_TW`), lower-case; 2 to
/// [`MAX_LANGUAGE_CHARS`] ASCII letters, otherwise [`UNKNOWN_LANGUAGE`].
pub fn primary_language(tag: &str) -> String {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
    let valid = (2..=MAX_LANGUAGE_CHARS).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic());
    if valid {
        primary.to_ascii_lowercase()
    } else {
        UNKNOWN_LANGUAGE.to_owned()
    }
}

/// Local time minus UTC, in minutes, from `getTimezoneOffset()` (which has the opposite
/// sign), rounded and clamped to ±[`MAX_TZ_OFFSET_MIN`]; 0 when not finite.
pub fn tz_offset_min(js_timezone_offset_min: f64) -> i16 {
    if !js_timezone_offset_min.is_finite() {
        return 0;
    }
    let limit = f64::from(MAX_TZ_OFFSET_MIN);
    // Clamped first, so the cast is exact.
    (-js_timezone_offset_min).round().clamp(-limit, limit) as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(coarse: bool, hover: bool, width: f64) -> RawContext<'static> {
        RawContext {
            pointer_coarse: coarse,
            hover,
            viewport_width_px: width,
            language: "en-US",
            js_timezone_offset_min: 0.0,
            save_data: false,
            reduced_motion: true,
        }
    }

    /// 2026-03-01 is a Sunday; this is 23:30 UTC on it.
    const SUNDAY_2330_UTC: Millis = Millis(1_772_407_800_000);

    #[test]
    fn the_device_class_comes_from_pointer_hover_and_width_only() {
        assert_eq!(device_class(true, false, 390.0), DeviceClass::Phone);
        assert_eq!(device_class(true, false, 820.0), DeviceClass::Tablet);
        assert_eq!(device_class(true, true, 1_280.0), DeviceClass::Desktop);
        assert_eq!(device_class(false, true, 390.0), DeviceClass::Desktop);
        assert_eq!(device_class(true, false, f64::NAN), DeviceClass::Phone);
    }

    #[test]
    fn viewport_widths_fall_into_their_buckets() {
        use ViewportBucket::*;
        for (width, bucket) in [
            (-1.0, Xs),
            (575.9, Xs),
            (576.0, Sm),
            (767.0, Sm),
            (768.0, Md),
            (991.0, Md),
            (992.0, Lg),
            (1_199.0, Lg),
            (1_200.0, Xl),
            (f64::INFINITY, Xl),
            (f64::NAN, Xs),
        ] {
            assert_eq!(viewport_bucket(width), bucket, "{width}");
        }
    }

    #[test]
    fn the_language_is_the_lower_case_primary_subtag_or_undetermined() {
        assert_eq!(primary_language("en-US"), "en");
        assert_eq!(primary_language("ZH_Hant_TW"), "zh");
        assert_eq!(primary_language("gsw"), "gsw");
        for bad in ["", "e", "toolongtag-x", "1a", "ü-x"] {
            assert_eq!(primary_language(bad), UNKNOWN_LANGUAGE, "{bad}");
        }
    }

    #[test]
    fn the_offset_is_flipped_from_javascript_and_clamped() {
        assert_eq!(tz_offset_min(-120.0), 120);
        assert_eq!(tz_offset_min(300.0), -300);
        assert_eq!(tz_offset_min(-99_999.0), MAX_TZ_OFFSET_MIN);
        assert_eq!(tz_offset_min(99_999.0), -MAX_TZ_OFFSET_MIN);
        assert_eq!(tz_offset_min(f64::NAN), 0);
    }

    #[test]
    fn local_hour_and_weekday_follow_the_offset_across_midnight() {
        let mut signals = raw(false, true, 1_440.0);
        let utc = Context::from_raw(&signals, SUNDAY_2330_UTC);
        assert_eq!((utc.local_hour, utc.weekday), (23, 0));
        signals.js_timezone_offset_min = -60.0; // UTC+1: already Monday 00:30
        let plus_one = Context::from_raw(&signals, SUNDAY_2330_UTC);
        assert_eq!(
            (
                plus_one.local_hour,
                plus_one.weekday,
                plus_one.tz_offset_min
            ),
            (0, 1, 60)
        );
        let epoch = Context::from_raw(&signals, Millis(0));
        assert_eq!((epoch.local_hour, epoch.weekday), (1, 4));
    }

    #[test]
    fn cyclic_features_put_midnight_next_to_eleven_pm() {
        let mut context = Context::from_raw(&raw(true, false, 390.0), SUNDAY_2330_UTC);
        let late = context.cyclic_time_features();
        context.local_hour = 0;
        let midnight = context.cyclic_time_features();
        assert!((midnight[0] - 0.0).abs() < 1e-12 && (midnight[1] - 1.0).abs() < 1e-12);
        let distance = (late[0] - midnight[0]).hypot(late[1] - midnight[1]);
        assert!(distance < 0.3, "{distance}");
    }

    #[test]
    fn the_context_serializes_in_camel_case() {
        let context = Context::from_raw(&raw(true, false, 390.0), SUNDAY_2330_UTC);
        assert_eq!(
            serde_json::to_string(&context).unwrap(),
            r#"{"device":"phone","viewportBucket":"xs","language":"en","tzOffsetMin":0,"localHour":23,"weekday":0,"saveData":false,"reducedMotion":true}"#
        );
    }
}
