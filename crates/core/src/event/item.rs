//! Items and click targets as capture keeps them: what the site marked up, within bounds.
//!
//! Its one job is to bound markup values (`data-hearth-item`, `data-hearth-tags`,
//! `data-hearth-rank`) once, when they enter the core, by cutting and dropping rather than
//! failing: the page's markup is not a caller who could fix an error. It never reads the DOM
//! and never keeps element text, only the ids, tags and slots the site chose to expose.

use super::url;
use serde::Serialize;

/// Longest item id kept, in characters: the longest candidate id, so captured items can match.
pub const MAX_ITEM_ID_CHARS: usize = crate::request::candidate::MAX_ID_CHARS;
/// Most tags kept on one item; later ones are dropped.
pub const MAX_ITEM_TAGS: usize = crate::request::candidate::MAX_TAGS;
/// Longest tag kept, in characters.
pub const MAX_ITEM_TAG_CHARS: usize = crate::request::candidate::MAX_TAG_CHARS;
/// Longest slot name kept, in characters: the longest `rank` slot.
pub const MAX_ITEM_SLOT_CHARS: usize = crate::request::MAX_SLOT_CHARS;

/// An item the site marked up (`data-hearth-item`, `data-hearth-tags`, `data-hearth-rank`),
/// within bounds. Built only by [`Item::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    item_id: String,
    tags: Vec<String>,
    slot: Option<String>,
}

impl Item {
    /// An item from markup values: the id trimmed and cut to [`MAX_ITEM_ID_CHARS`]; tags
    /// trimmed, empty and repeated ones dropped, at most [`MAX_ITEM_TAGS`] of at most
    /// [`MAX_ITEM_TAG_CHARS`]; an empty slot is none. `None` when the id is empty.
    pub fn new<'a>(
        id: &str,
        tags: impl IntoIterator<Item = &'a str>,
        slot: Option<&str>,
    ) -> Option<Item> {
        let item_id = url::truncate_chars(id.trim(), MAX_ITEM_ID_CHARS).to_owned();
        if item_id.is_empty() {
            return None;
        }
        let mut kept: Vec<String> = Vec::new();
        for tag in tags {
            if kept.len() == MAX_ITEM_TAGS {
                break;
            }
            let tag = url::truncate_chars(tag.trim(), MAX_ITEM_TAG_CHARS);
            if !tag.is_empty() && !kept.iter().any(|t| t == tag) {
                kept.push(tag.to_owned());
            }
        }
        let slot = slot
            .map(|s| url::truncate_chars(s.trim(), MAX_ITEM_SLOT_CHARS))
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        Some(Item {
            item_id,
            tags: kept,
            slot,
        })
    }

    /// The item's id.
    pub fn id(&self) -> &str {
        &self.item_id
    }

    /// The item's tags, in markup order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// The placement the item was shown in, if any.
    pub fn slot(&self) -> Option<&str> {
        self.slot.as_deref()
    }
}

/// Splits a `data-hearth-tags` attribute (`"sports, nba"`) for [`Item::new`].
pub fn split_tags(attribute: &str) -> impl Iterator<Item = &str> {
    attribute.split(',')
}

/// What a click landed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ClickTarget {
    /// A marked-up item.
    Item(Item),
    /// A link, as origin and path only (see [`url::link_path`]).
    Link {
        /// `https://host/path`, without query or fragment.
        url: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_trimmed_deduplicated_and_bounded_rather_than_refused() {
        let many: Vec<String> = (0..50).map(|i| format!("t{i}")).collect();
        let long_tag = "x".repeat(100);
        let tags = std::iter::once(long_tag.as_str())
            .chain([" a ", "", "a"])
            .chain(many.iter().map(String::as_str));
        let long_id = "i".repeat(300);
        let built = Item::new(&long_id, tags, Some("  ")).unwrap();
        assert_eq!(built.id().chars().count(), MAX_ITEM_ID_CHARS);
        assert_eq!(built.tags().len(), MAX_ITEM_TAGS);
        assert_eq!(built.tags()[0].chars().count(), MAX_ITEM_TAG_CHARS);
        assert_eq!(built.tags()[1], "a");
        assert_eq!(built.tags()[2], "t0");
        assert_eq!(built.slot(), None);
    }

    #[test]
    fn an_item_without_an_id_is_not_an_item() {
        assert_eq!(Item::new("  ", split_tags("a"), None), None);
    }
}
