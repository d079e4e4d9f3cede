//! Capture's event model: what Hearth records about engagement, as plain values.
//!
//! Every [`Event`] carries its time ([`Millis`], handed in) and only bounded data the site
//! itself exposed: item ids, tags and slots from its markup, paths without query strings,
//! referrers reduced to a [`ReferrerClass`]. Builders here cut over-long text to the bounds
//! instead of failing, because this input comes from the page's markup, not from a caller
//! who could fix it. This module never reads the DOM or a clock and never decides whether
//! capture is allowed: consent does that before an event is built.
//!
//! Submodules: [`item`] bounds marked-up items; [`custom`] validates `hearth.track`;
//! [`ring`] keeps the last raw events; [`session`], [`stored_session`] and [`referrer`] run
//! sessions; [`scroll`] and [`viewability`] turn observations into events; [`context`]
//! describes the device and local time for ranking; [`url`] cuts URLs down.

pub mod context;
pub mod custom;
pub mod item;
pub mod referrer;
pub mod ring;
pub mod scroll;
pub mod session;
pub mod stored_session;
pub mod url;
pub mod viewability;

pub use custom::{parse_track, Props, TrackError};
pub use item::{split_tags, ClickTarget, Item};
pub use referrer::{classify_referrer, ReferrerClass};
pub use session::{SessionChange, SessionState};

use crate::time::Millis;
use serde::Serialize;

/// The highest percentage (of scroll depth).
pub const MAX_PCT: u8 = 100;

/// One captured event; serialized as `{"type": "click", "at": …, …}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Event {
    /// A click on an item or a link.
    Click {
        /// When.
        at: Millis,
        /// On what.
        target: ClickTarget,
    },
    /// A scroll milestone was reached for the first time in this page view.
    Scroll {
        /// When.
        at: Millis,
        /// The deepest point reached so far, 0–100.
        depth_pct: u8,
        /// The milestone reached (25, 50, 75, 90 or 100).
        milestone: u8,
    },
    /// An item was at least half visible for a second, continuously (IAB/MRC rule).
    Impression {
        /// When the rule was met.
        at: Millis,
        /// Which item.
        item_id: String,
        /// In which placement.
        slot: Option<String>,
        /// Its tags.
        tags: Vec<String>,
    },
    /// How long an item was visible while the visitor was there and active.
    Dwell {
        /// When this dwell was reported.
        at: Millis,
        /// Which item.
        item_id: String,
        /// In which placement.
        slot: Option<String>,
        /// Milliseconds of attended visibility since the last report.
        visible_ms: u64,
    },
    /// A page (or SPA route) was shown.
    PageView {
        /// When.
        at: Millis,
        /// Its path, without query or fragment.
        path: String,
        /// Where the visitor came from, as a class.
        referrer: ReferrerClass,
    },
    /// A page (or SPA route) was left.
    PageLeave {
        /// When.
        at: Millis,
        /// Its path, without query or fragment.
        path: String,
        /// Milliseconds since its page view.
        time_on_page_ms: u64,
        /// The deepest scroll reached, 0–100.
        max_scroll_pct: u8,
    },
    /// A site-defined event from `hearth.track` (see [`custom`]).
    Custom {
        /// When.
        at: Millis,
        /// Its validated name.
        name: String,
        /// Its validated properties.
        props: Props,
    },
}

impl Event {
    /// A click on a marked-up item.
    pub fn item_click(at: Millis, item: Item) -> Event {
        let target = ClickTarget::Item(item);
        Event::Click { at, target }
    }

    /// A click on a link; `None` unless `href` is an absolute http(s) URL.
    pub fn link_click(at: Millis, href: &str) -> Option<Event> {
        let url = url::link_path(href)?;
        let target = ClickTarget::Link { url };
        Some(Event::Click { at, target })
    }

    /// A page view of `raw_path` (query and fragment dropped, cut to bounds).
    pub fn page_view(at: Millis, raw_path: &str, referrer: ReferrerClass) -> Event {
        let path = url::clean_path(raw_path);
        Event::PageView { at, path, referrer }
    }

    /// Leaving `raw_path` after `time_on_page_ms`, having scrolled to `max_scroll_pct`
    /// (capped at 100).
    pub fn page_leave(
        at: Millis,
        raw_path: &str,
        time_on_page_ms: u64,
        max_scroll_pct: u8,
    ) -> Event {
        Event::PageLeave {
            at,
            path: url::clean_path(raw_path),
            time_on_page_ms,
            max_scroll_pct: max_scroll_pct.min(MAX_PCT),
        }
    }

    /// An impression of `item`.
    pub fn impression(at: Millis, item: &Item) -> Event {
        Event::Impression {
            at,
            item_id: item.id().to_owned(),
            slot: item.slot().map(str::to_owned),
            tags: item.tags().to_vec(),
        }
    }

    /// `visible_ms` of dwell on `item`.
    pub fn dwell(at: Millis, item: &Item, visible_ms: u64) -> Event {
        Event::Dwell {
            at,
            item_id: item.id().to_owned(),
            slot: item.slot().map(str::to_owned),
            visible_ms,
        }
    }

    /// When the event happened.
    pub fn at(&self) -> Millis {
        match self {
            Event::Click { at, .. }
            | Event::Scroll { at, .. }
            | Event::Impression { at, .. }
            | Event::Dwell { at, .. }
            | Event::PageView { at, .. }
            | Event::PageLeave { at, .. }
            | Event::Custom { at, .. } => *at,
        }
    }

    /// The `type` it is serialized with: `click`, `scroll`, `impression`, `dwell`,
    /// `pageView`, `pageLeave` or `custom`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Click { .. } => "click",
            Event::Scroll { .. } => "scroll",
            Event::Impression { .. } => "impression",
            Event::Dwell { .. } => "dwell",
            Event::PageView { .. } => "pageView",
            Event::PageLeave { .. } => "pageLeave",
            Event::Custom { .. } => "custom",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, tags: &str, slot: Option<&str>) -> Item {
        Item::new(id, split_tags(tags), slot).unwrap()
    }

    #[test]
    fn events_serialize_with_a_type_tag_and_camel_case_fields() {
        let click = Event::item_click(Millis(5), item("a1", "sports,nba", Some("feed")));
        assert_eq!(
            serde_json::to_string(&click).unwrap(),
            r#"{"type":"click","at":5,"target":{"kind":"item","itemId":"a1","tags":["sports","nba"],"slot":"feed"}}"#
        );
        let leave = Event::page_leave(Millis(9), "/a?b", 1_500, 120);
        assert_eq!(
            serde_json::to_string(&leave).unwrap(),
            r#"{"type":"pageLeave","at":9,"path":"/a","timeOnPageMs":1500,"maxScrollPct":100}"#
        );
        let view = Event::page_view(Millis(1), "/", ReferrerClass::Search);
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            r#"{"type":"pageView","at":1,"path":"/","referrer":"search"}"#
        );
    }

    #[test]
    fn a_link_click_keeps_origin_and_path_and_refuses_other_schemes() {
        let click = Event::link_click(Millis(2), "https://ex.com/p?token=secret#x").unwrap();
        assert_eq!(
            serde_json::to_string(&click).unwrap(),
            r#"{"type":"click","at":2,"target":{"kind":"link","url":"https://ex.com/p"}}"#
        );
        assert_eq!(Event::link_click(Millis(2), "javascript:void(0)"), None);
    }

    #[test]
    fn every_event_reports_its_time_and_its_serialized_type() {
        let shown = item("a", "", None);
        let events = [
            Event::item_click(Millis(1), shown.clone()),
            Event::Scroll {
                at: Millis(1),
                depth_pct: 30,
                milestone: 25,
            },
            Event::impression(Millis(1), &shown),
            Event::dwell(Millis(1), &shown, 10),
            Event::page_view(Millis(1), "/", ReferrerClass::Direct),
            Event::page_leave(Millis(1), "/", 0, 0),
            parse_track(
                crate::value::Value::String("x".into()),
                crate::value::Value::Null,
                Millis(1),
            )
            .unwrap(),
        ];
        for event in events {
            assert_eq!(event.at(), Millis(1));
            let json = serde_json::to_string(&event).unwrap();
            assert!(
                json.starts_with(&format!(r#"{{"type":"{}""#, event.kind())),
                "{json}"
            );
        }
    }
}
