//! Reading the page: which item or link a click landed on, an item's attributes, scroll
//! geometry. Never element text, form values, or anything inside fields the visitor types in.

use hearth_core::capture::Observed;
use hearth_core::event::{split_tags, Item};
use web_sys::Element;

/// Elements whose clicks are never recorded: fields the visitor types in, and anything the
/// site marks with `data-hearth-ignore`.
pub const IGNORED: &str = "input, textarea, select, [contenteditable]:not([contenteditable='false']), [data-hearth-ignore]";

/// The ignore selector: the built-in one plus the site's own, if any.
pub fn ignore_selector(site_selector: Option<&str>) -> String {
    match site_selector {
        Some(extra) if !extra.trim().is_empty() => format!("{IGNORED}, {extra}"),
        _ => IGNORED.to_owned(),
    }
}

/// Attributes a click to an item or a link, or to nothing (ignored fields, plain page).
pub fn click_observation(target: &Element, ignore: &str) -> Option<Observed> {
    // An invalid site selector makes `closest` throw; treat that as "not ignored" rather than
    // dropping every click (the selector is validated when capture starts).
    if target.closest(ignore).ok().flatten().is_some() {
        return None;
    }
    if let Some(item) = target.closest("[data-hearth-item]").ok().flatten() {
        return item_of(&item).map(Observed::ItemClick);
    }
    let link = target.closest("a[href]").ok().flatten()?;
    let href = js_sys::Reflect::get(&link, &"href".into())
        .ok()?
        .as_string()?;
    Some(Observed::LinkClick(href))
}

/// An item element's identity from `data-hearth-item`, `data-hearth-tags` and the nearest
/// `data-hearth-rank`; `None` when the id is empty.
pub fn item_of(element: &Element) -> Option<Item> {
    let id = element.get_attribute("data-hearth-item")?;
    let tags = element
        .get_attribute("data-hearth-tags")
        .unwrap_or_default();
    let slot = element
        .closest("[data-hearth-rank]")
        .ok()
        .flatten()
        .and_then(|list| list.get_attribute("data-hearth-rank"));
    Item::new(&id, split_tags(&tags), slot.as_deref())
}

/// `(scroll top, viewport height, document height)` in CSS pixels.
pub fn scroll_geometry(window: &web_sys::Window) -> (f64, f64, f64) {
    let top = window.scroll_y().unwrap_or(0.0);
    let viewport = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let document = window
        .document()
        .and_then(|d| d.document_element())
        .map(|root| f64::from(root.scroll_height()))
        .unwrap_or(0.0);
    (top, viewport, document)
}
