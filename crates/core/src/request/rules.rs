//! Business rules, applied around the ranking: `exclude` removes candidates before anything
//! is scored; `boost` adds to the score of items with an id or a tag; `pin` and `sponsored`
//! put items at fixed positions; `diversity` caps how many items of one tag appear among the
//! top positions.
//!
//! Propensities stay exact for what is logged: excluded items are never candidates, a boost
//! is part of the score the policy explores over (so its probabilities include it), pinned
//! and sponsored items are placed with probability 1, and diversity only moves items *down*
//! past a cap of at least one, so whatever the ranking put first either stays first or was
//! pinned.

use super::candidate::MAX_ID_CHARS;
use super::{RankedItem, MAX_RULE_ENTRIES};
use crate::value::{Field, InputError};

const RULE_KEYS: &[&str] = &["exclude", "boost", "pin", "sponsored", "diversity"];
const BOOST_KEYS: &[&str] = &["id", "tag", "by"];
/// Largest boost either way, in reward units (a click is worth 1).
pub const MAX_BOOST: f64 = 10.0;
const PLACEMENT_KEYS: &[&str] = &["id", "position"];
const DIVERSITY_KEYS: &[&str] = &["maxPerTag", "within"];
/// Largest `diversity.within` and `position`.
pub const MAX_RULE_POSITION: u64 = 1_000;

/// A fixed position for an item, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The candidate's id.
    pub id: String,
    /// 1-based position.
    pub position: usize,
    /// Whether it is paid placement (explained as such).
    pub sponsored: bool,
}

/// At most `max_per_tag` items of any one tag among the first `within` positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Diversity {
    /// The cap per tag.
    pub max_per_tag: usize,
    /// How many top positions the cap covers.
    pub within: usize,
}

/// What a boost applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoostTarget {
    /// The candidate with this id.
    Id(String),
    /// Every candidate with this tag.
    Tag(String),
}

/// An amount added to the score of the items it targets: in reward units, so `by: 0.2`
/// weighs like a fifth of a click; negative amounts demote.
#[derive(Debug, Clone, PartialEq)]
pub struct Boost {
    /// Which items.
    pub target: BoostTarget,
    /// How much, from −[`MAX_BOOST`] to [`MAX_BOOST`].
    pub by: f64,
}

/// A request's validated rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Ids never shown.
    pub exclude: Vec<String>,
    /// Score offsets for ids and tags.
    pub boosts: Vec<Boost>,
    /// Pinned and sponsored placements.
    pub placements: Vec<Placement>,
    /// The diversity cap, if any.
    pub diversity: Option<Diversity>,
}

impl Rules {
    /// Reads `rules` (absent: no rules).
    pub fn parse(field: Field) -> Result<Rules, InputError> {
        if field.is_absent() {
            return Ok(Rules::default());
        }
        let mut rules = field.strict_object(RULE_KEYS)?;
        let exclude = match rules
            .take("exclude")
            .optional(|f| f.list(MAX_RULE_ENTRIES))?
        {
            Some(ids) => ids
                .into_iter()
                .map(|id| id.text(MAX_ID_CHARS))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let boosts = match rules.take("boost").optional(|f| f.list(MAX_RULE_ENTRIES))? {
            Some(entries) => entries
                .into_iter()
                .map(read_boost)
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let mut placements = read_placements(rules.take("pin"), false)?;
        placements.extend(read_placements(rules.take("sponsored"), true)?);
        let diversity = rules.take("diversity").optional(read_diversity)?;
        Ok(Rules {
            exclude,
            boosts,
            placements,
            diversity,
        })
    }

    /// The total boost of a candidate with `id` and `tags` (0 when none applies).
    pub fn boost_of(&self, id: &str, tags: &[String]) -> f64 {
        self.boosts
            .iter()
            .filter(|boost| match &boost.target {
                BoostTarget::Id(target) => target == id,
                BoostTarget::Tag(tag) => tags.contains(tag),
            })
            .map(|boost| boost.by)
            .sum()
    }

    /// Whether candidate `id` competes in the ranking (neither excluded nor placed).
    pub fn competes(&self, id: &str) -> bool {
        !self.exclude.iter().any(|e| e == id) && !self.placements.iter().any(|p| p.id == id)
    }

    /// Puts the placed items at their positions (they must be among the candidates: unknown or
    /// excluded ids are skipped) and then applies the diversity cap. `placed(id)` gives the
    /// ranked item for a placed candidate, or `None` when it is not a candidate.
    pub fn arrange(
        &self,
        mut ranked: Vec<RankedItem>,
        placed: impl Fn(&Placement) -> Option<RankedItem>,
        tags: impl Fn(&str) -> Vec<String>,
    ) -> Vec<RankedItem> {
        let mut placements: Vec<&Placement> = self.placements.iter().collect();
        crate::sort::sort_by_key(&mut placements, |p| p.position);
        for placement in placements {
            if self.exclude.contains(&placement.id) || ranked.iter().any(|r| r.id == placement.id) {
                continue;
            }
            if let Some(item) = placed(placement) {
                let at = (placement.position - 1).min(ranked.len());
                ranked.insert(at, item);
            }
        }
        match self.diversity {
            Some(diversity) => {
                let placed = |id: &str| self.placements.iter().any(|p| p.id == id);
                diversify(ranked, diversity, placed, tags)
            }
            None => ranked,
        }
    }
}

fn read_placements(field: Field, sponsored: bool) -> Result<Vec<Placement>, InputError> {
    let Some(entries) = field.optional(|f| f.list(MAX_RULE_ENTRIES))? else {
        return Ok(Vec::new());
    };
    entries
        .into_iter()
        .map(|entry| {
            let mut entry = entry.strict_object(PLACEMENT_KEYS)?;
            Ok(Placement {
                id: entry.take("id").text(MAX_ID_CHARS)?,
                position: entry.take("position").integer(1, MAX_RULE_POSITION)? as usize,
                sponsored,
            })
        })
        .collect()
}

fn read_boost(field: Field) -> Result<Boost, InputError> {
    let one_target = field.error("must name exactly one of 'id' and 'tag'");
    let mut boost = field.strict_object(BOOST_KEYS)?;
    let id = boost.take("id").optional(|f| f.text(MAX_ID_CHARS))?;
    let tag = boost
        .take("tag")
        .optional(|f| f.text(super::candidate::MAX_TAG_CHARS))?;
    let target = match (id, tag) {
        (Some(id), None) => BoostTarget::Id(id),
        (None, Some(tag)) => BoostTarget::Tag(tag),
        _ => return Err(one_target),
    };
    let by_field = boost.take("by");
    let out_of_range = by_field.error("must be a number from -10 to 10 (reward units)");
    let by = by_field.finite_number()?;
    if !(-MAX_BOOST..=MAX_BOOST).contains(&by) {
        return Err(out_of_range);
    }
    Ok(Boost { target, by })
}

fn read_diversity(field: Field) -> Result<Diversity, InputError> {
    let mut diversity = field.strict_object(DIVERSITY_KEYS)?;
    Ok(Diversity {
        max_per_tag: diversity.take("maxPerTag").integer(1, MAX_RULE_POSITION)? as usize,
        within: diversity.take("within").integer(1, MAX_RULE_POSITION)? as usize,
    })
}

/// Walks the ranking once: an item that would exceed a tag's cap within the covered positions
/// is moved down to just after them, keeping the order of everything else. Placed items are
/// never moved, so a paid or pinned placement cannot fall out of the list.
fn diversify(
    ranked: Vec<RankedItem>,
    diversity: Diversity,
    placed: impl Fn(&str) -> bool,
    tags: impl Fn(&str) -> Vec<String>,
) -> Vec<RankedItem> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let (mut kept, mut demoted) = (Vec::with_capacity(ranked.len()), Vec::new());
    for item in ranked {
        if kept.len() >= diversity.within {
            kept.push(item);
            continue;
        }
        let item_tags = tags(&item.id);
        let over = item_tags.iter().any(|tag| {
            counts
                .iter()
                .any(|(t, n)| t == tag && *n >= diversity.max_per_tag)
        });
        // Pinned and sponsored items keep their place (their tags still count).
        if over && !placed(&item.id) {
            demoted.push(item);
            continue;
        }
        for tag in item_tags {
            match counts.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, n)) => *n += 1,
                None => counts.push((tag, 1)),
            }
        }
        kept.push(item);
    }
    let at = kept.len().min(diversity.within);
    kept.splice(at..at, demoted);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::from_json;

    fn item(id: &str) -> RankedItem {
        RankedItem {
            id: id.into(),
            score: 0.0,
            probability: 0.5,
            reasons: Vec::new(),
        }
    }

    fn parse(json: &str) -> Result<Rules, InputError> {
        Rules::parse(Field::root("rules", from_json(json)))
    }

    fn ids(items: &[RankedItem]) -> Vec<&str> {
        items.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn pins_and_sponsored_items_take_their_positions() {
        let rules =
            parse(r#"{"pin":[{"id":"p","position":1}],"sponsored":[{"id":"s","position":3}]}"#)
                .unwrap();
        assert!(!rules.competes("p") && !rules.competes("s") && rules.competes("a"));
        let ranked = vec![item("a"), item("b"), item("c")];
        let arranged = rules.arrange(ranked, |p| Some(item(&p.id)), |_| Vec::new());
        assert_eq!(ids(&arranged), ["p", "a", "s", "b", "c"]);
    }

    #[test]
    fn a_pin_past_the_end_goes_last_and_unknown_ids_are_skipped() {
        let rules =
            parse(r#"{"pin":[{"id":"p","position":9},{"id":"nope","position":1}]}"#).unwrap();
        let arranged = rules.arrange(
            vec![item("a")],
            |p| (p.id == "p").then(|| item("p")),
            |_| Vec::new(),
        );
        assert_eq!(ids(&arranged), ["a", "p"]);
    }

    #[test]
    fn diversity_moves_items_over_a_tags_cap_just_below_the_covered_positions() {
        let rules = parse(r#"{"diversity":{"maxPerTag":1,"within":3}}"#).unwrap();
        let tags = |id: &str| {
            vec![if id.starts_with('s') {
                "sports"
            } else {
                "news"
            }
            .to_owned()]
        };
        let ranked = vec![item("s1"), item("s2"), item("n1"), item("s3"), item("n2")];
        let arranged = rules.arrange(ranked, |_| None, tags);
        assert_eq!(ids(&arranged), ["s1", "n1", "s2", "s3", "n2"]);
    }

    #[test]
    fn a_placed_item_is_never_demoted_by_the_diversity_cap() {
        let rules =
            parse(r#"{"pin":[{"id":"p","position":2}],"diversity":{"maxPerTag":1,"within":3}}"#)
                .unwrap();
        let tags = |id: &str| vec![if id == "a" || id == "p" { "x" } else { "y" }.to_owned()];
        let arranged = rules.arrange(
            vec![item("a"), item("c"), item("d")],
            |p| Some(item(&p.id)),
            tags,
        );
        assert_eq!(ids(&arranged), ["a", "p", "c", "d"]);
    }

    #[test]
    fn boosts_add_up_by_id_and_tag() {
        let rules = parse(
            r#"{"boost":[{"id":"a","by":0.5},{"tag":"sports","by":0.25},{"tag":"old","by":-1}]}"#,
        )
        .unwrap();
        let tags = |list: &[&str]| list.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        assert_eq!(rules.boost_of("a", &tags(&["sports"])), 0.75);
        assert_eq!(rules.boost_of("b", &tags(&["sports", "old"])), -0.75);
        assert_eq!(rules.boost_of("c", &[]), 0.0);
        assert!(rules.competes("a"), "a boosted item still competes");
    }

    #[test]
    fn bad_rules_name_their_path() {
        for (json, path) in [
            (r#"{"pn":[]}"#, "rules.pn"),
            (
                r#"{"pin":[{"id":"a","position":0}]}"#,
                "rules.pin[0].position",
            ),
            (r#"{"pin":[{"id":"a"}]}"#, "rules.pin[0].position"),
            (r#"{"exclude":[""]}"#, "rules.exclude[0]"),
            (r#"{"boost":[{"by":1}]}"#, "rules.boost[0]"),
            (
                r#"{"boost":[{"id":"a","tag":"b","by":1}]}"#,
                "rules.boost[0]",
            ),
            (r#"{"boost":[{"id":"a","by":11}]}"#, "rules.boost[0].by"),
            (r#"{"boost":[{"tag":"a"}]}"#, "rules.boost[0].by"),
            (
                r#"{"diversity":{"maxPerTag":0,"within":3}}"#,
                "rules.diversity.maxPerTag",
            ),
        ] {
            assert_eq!(parse(json).unwrap_err().path, path, "{json}");
        }
    }
}
