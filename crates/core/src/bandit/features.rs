//! Joint features for one (context, candidate) pair, as hashed keys grouped by block.
//!
//! Every feature is a [`Keyed`] triple (group, key, value). The *shared* group holds the
//! candidate's own numeric features, its server score and the affinity match (the visitor's
//! affinity summed over the candidate's tags). Every other group is a *candidate-side* key —
//! a tag `t` or a feature name `f` — and holds its interactions: `t`'s intercept (its main
//! effect), context × `t` and visitor-affinity × `t`; context × `f` (times its value).
//! One-hot candidates ⊗ context thus land each in a group of its own, which is what lets the
//! model's block-diagonal covariance stay exact (see `model` and `feature_map`). There is no
//! global bias and no context-only feature: both are equal for every candidate of a decision,
//! so they cannot change its order, and in the block-diagonal model they share the error with
//! the blocks that matter (measured on digits: 0.859 without them, 0.836–0.856 with them).
//! Context: strings and flags become `key=value` indicators, numbers stay numbers, hour and
//! weekday become points on a circle. Keys are hashed with 32-bit FNV-1a finished by
//! murmur3's `fmix32`: wrapping `u32` arithmetic, so wasm32 and x86_64 agree bit for bit.
//! Nothing here learns or keeps state.
//!
//! **Scales are priors.** The model's ridge penalty gives every weight the same prior, so a
//! feature's value sets how far one reward can move a prediction through it. The site's own
//! context values and candidate features enter as the site gives them (digits as a bandit,
//! 64 pixels crossed with a class, needs them at full scale). What Hearth adds on its own
//! enters small, so that a visitor's few rewards move predictions by plausible amounts in
//! reward units: a tag's intercept [`TAG_INTERCEPT`] (its effect's prior sd, with λ = 1), the
//! hour and weekday [`TIME_SCALE`], the visitor's affinities [`AFFINITY_SCALE`] and their
//! match [`AFFINITY_MATCH_SCALE`], the server's score [`SERVER_SCORE_SCALE`] (normalised to
//! 0–1 within the request). At scale 1 a single click on a new topic predicted 0.69 for it,
//! a new topic's exploration width grew with every context term it was crossed with, and a
//! shift of the clock or of the profile moved every learned preference: in simulated
//! visitors (examples/visitors) a favourite topic vanished from the top 3 for 398 of 400.

use crate::request::{Candidate, ContextValue};

/// Most visitor affinities used per decision (the strongest first is the caller's job).
pub const MAX_AFFINITIES: usize = 32;
/// Most context terms used per decision: the request's 256 site keys plus the four cyclic
/// time terms.
pub const MAX_CONTEXT_TERMS: usize = crate::request::MAX_CONTEXT_KEYS + 4;

const NS_BIAS: u8 = 1;
const NS_CONTEXT: u8 = 2;
const NS_TAG: u8 = 3;
const NS_FEATURE: u8 = 4;
const NS_SCORE: u8 = 5;
const NS_AFFINITY: u8 = 6;
const NS_AFFINITY_MATCH: u8 = 7;
/// The candidate's own id, for candidates with neither tags nor features (which would
/// otherwise all look alike): the id then acts as a tag — an intercept and its crossings with
/// the context — so that actions known only by id learn context-dependent rewards (digits
/// with the pixels as context and ten id-only actions: 0.86, as with class tags; an intercept
/// alone reached 0.10). Not added when tags or features describe the item: on digits it
/// duplicated the class tag and cost 0.008.
const NS_ID: u8 = 8;
/// Value of a tag's (or an id's) intercept: the prior sd of its effect, in reward units.
pub const TAG_INTERCEPT: f64 = 0.35;
/// Scale of the hour and weekday terms.
pub const TIME_SCALE: f64 = 0.125;
/// Scale of the visitor's affinities crossed with a candidate's tags.
pub const AFFINITY_SCALE: f64 = 0.125;
/// Scale of the affinity match (the visitor's affinity summed over a candidate's tags).
pub const AFFINITY_MATCH_SCALE: f64 = 0.2;
/// Scale of the server's score, after it is normalised to 0–1 within the request.
pub const SERVER_SCORE_SCALE: f64 = 0.35;
const HOURS_PER_DAY: f64 = 24.0;
const DAYS_PER_WEEK: f64 = 7.0;

/// How the hashed space is cut: `blocks × block_dim` dimensions, block 0 shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    blocks: u32,
    block_dim: u32,
}

impl Layout {
    /// A layout, when there are at least two blocks (shared + one for interactions) and
    /// each block has at least one slot.
    pub fn new(blocks: u32, block_dim: u32) -> Option<Layout> {
        (blocks >= 2 && block_dim >= 1).then_some(Layout { blocks, block_dim })
    }

    /// Number of blocks, the shared one included.
    pub fn blocks(&self) -> u32 {
        self.blocks
    }

    /// Slots per block.
    pub fn block_dim(&self) -> u32 {
        self.block_dim
    }

    /// The total dimension `d = blocks × block_dim`.
    pub fn dimension(&self) -> u32 {
        self.blocks.saturating_mul(self.block_dim)
    }
}

/// What is known about the visitor and the page for one decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// Site context: strings and flags become `key=value` indicators, numbers stay numbers.
    pub values: Vec<(String, ContextValue)>,
    /// Local hour of day, 0 to 24 (fractions allowed); encoded as a point on a circle.
    pub hour_of_day: Option<f64>,
    /// Day of the week, 0 to 7; encoded as a point on a circle.
    pub weekday: Option<f64>,
    /// The visitor's tag affinities (tag, strength), strongest first.
    pub affinities: Vec<(String, f64)>,
    /// The lowest and highest server score in the request, which normalise each candidate's
    /// score to 0–1; `None` (or equal bounds) leaves the score out.
    pub server_scores: Option<(f64, f64)>,
}

/// One hashed term: a key's hash and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Term {
    hash: u32,
    value: f64,
}

/// A context hashed once per decision, then crossed with every candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedContext {
    terms: Vec<Term>,
    affinities: Vec<Term>,
    server_scores: Option<(f64, f64)>,
}

/// 32-bit FNV-1a over `namespace` then `parts`, each part followed by a 0x1F separator.
pub fn fnv1a(namespace: u8, parts: &[&[u8]]) -> u32 {
    const OFFSET: u32 = 0x811C_9DC5;
    const PRIME: u32 = 0x0100_0193;
    let step = |h: u32, b: &u8| (h ^ u32::from(*b)).wrapping_mul(PRIME);
    let mut hash = step(OFFSET, &namespace);
    for part in parts {
        hash = part.iter().fold(hash, step);
        hash = step(hash, &0x1F);
    }
    hash
}

/// murmur3's 32-bit finaliser: spreads FNV's weak low bits before `% block_dim`.
pub fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

/// The hash of a namespaced key.
pub fn key_hash(namespace: u8, parts: &[&[u8]]) -> u32 {
    fmix32(fnv1a(namespace, parts))
}

/// `(sin, cos)` of the angle `value / period` of a full turn.
fn cyclic(value: f64, period: f64) -> (f64, f64) {
    crate::math::turn(value / period)
}

fn context_term(key: &str, value: &ContextValue) -> Term {
    let indicator = |text: &[u8]| Term {
        hash: key_hash(NS_CONTEXT, &[key.as_bytes(), text]),
        value: 1.0,
    };
    match value {
        ContextValue::Text(text) => indicator(text.as_bytes()),
        ContextValue::Flag(flag) => indicator(if *flag { b"true" } else { b"false" }),
        ContextValue::Number(n) => Term {
            hash: key_hash(NS_CONTEXT, &[key.as_bytes()]),
            value: if n.is_finite() { *n } else { 0.0 },
        },
    }
}

fn cyclic_terms(name: &str, value: Option<f64>, period: f64) -> Vec<Term> {
    let Some(value) = value.filter(|v| v.is_finite()) else {
        return Vec::new();
    };
    let (sin, cos) = cyclic(value, period);
    let term = |part: &[u8], value: f64| Term {
        hash: key_hash(NS_CONTEXT, &[name.as_bytes(), part]),
        value: value * TIME_SCALE,
    };
    vec![term(b"sin", sin), term(b"cos", cos)]
}

/// Hashes a context once per decision (bounded by [`MAX_CONTEXT_TERMS`] and
/// [`MAX_AFFINITIES`]).
pub fn prepare_context(context: &Context) -> PreparedContext {
    let mut terms = cyclic_terms("hour", context.hour_of_day, HOURS_PER_DAY);
    terms.extend(cyclic_terms("weekday", context.weekday, DAYS_PER_WEEK));
    let site = context.values.iter().map(|(k, v)| context_term(k, v));
    terms.extend(site.take(MAX_CONTEXT_TERMS.saturating_sub(terms.len())));
    let affinities = context
        .affinities
        .iter()
        .filter(|(_, a)| a.is_finite())
        .take(MAX_AFFINITIES)
        .map(|(tag, a)| Term {
            hash: key_hash(NS_TAG, &[tag.as_bytes()]),
            value: *a,
        })
        .collect();
    let server_scores = context
        .server_scores
        .filter(|(low, high)| low.is_finite() && high.is_finite() && high > low);
    PreparedContext {
        terms,
        affinities,
        server_scores,
    }
}

/// The group of the shared block: the candidate's own features, server score, affinity match.
pub const SHARED_GROUP: u32 = 0;

/// One joint feature before it has an index: the block group it belongs to (a candidate-side
/// key's hash, or [`SHARED_GROUP`]), its key inside that group, and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyed {
    /// The block group.
    pub group: u32,
    /// The key inside the group.
    pub key: u32,
    /// The value.
    pub value: f64,
}

/// A candidate's joint features as keys; the model's `FeatureMap` turns them into indices.
/// This is also the form to keep in a decision log: it does not depend on the model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyedFeatures {
    entries: Vec<Keyed>,
}

impl KeyedFeatures {
    /// Wraps entries as they are (non-finite values are dropped).
    pub fn new(mut entries: Vec<Keyed>) -> Self {
        entries.retain(|k| k.value.is_finite());
        KeyedFeatures { entries }
    }

    /// The entries, in construction order.
    pub fn entries(&self) -> &[Keyed] {
        &self.entries
    }
}

/// A candidate-side key's group: its hash, moved off the shared group's number.
fn group_of(hash: u32) -> u32 {
    if hash == SHARED_GROUP {
        1
    } else {
        hash
    }
}

fn shared(key: u32, value: f64) -> Keyed {
    Keyed {
        group: SHARED_GROUP,
        key,
        value,
    }
}

/// One piece of a candidate's joint features. The interactions of a tag, and those of a
/// numeric feature divided by its value, are the same vector for every candidate of a
/// decision: `arms` computes their share of a score once per decision rather than once per
/// candidate, and [`joint_features`] is just the sum of a candidate's parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Part {
    /// An entry of its own: the server score, the affinity match, or an item's id.
    Entry(Keyed),
    /// A tag, by key hash: its intercept, context × tag and affinity × tag.
    Tag(u32),
    /// A numeric feature, by key hash, and its value: the value in the shared block, and
    /// context × feature times the value.
    Feature {
        /// The feature name's key hash.
        hash: u32,
        /// The candidate's value for it.
        value: f64,
    },
}

/// The parts of `candidate` in `context`, appended to `out` in the order
/// [`joint_features`] lays their entries out.
pub fn parts(context: &PreparedContext, candidate: &Candidate, out: &mut Vec<Part>) {
    if candidate.tags.is_empty() && candidate.features.is_empty() {
        // Described by nothing but its id: the id is its tag (intercept, context × id).
        out.push(Part::Tag(key_hash(NS_ID, &[candidate.id.as_bytes()])));
    }
    if let (Some(score), Some((low, high))) = (candidate.server_score, context.server_scores) {
        let normalised = ((score - low) / (high - low)).clamp(0.0, 1.0);
        out.push(Part::Entry(shared(
            key_hash(NS_SCORE, &[]),
            SERVER_SCORE_SCALE * normalised,
        )));
    }
    let mut affinity_match = 0.0;
    for tag in &candidate.tags {
        let hash = key_hash(NS_TAG, &[tag.as_bytes()]);
        affinity_match += matching_affinity(context, hash);
        out.push(Part::Tag(hash));
    }
    if affinity_match != 0.0 {
        out.push(Part::Entry(shared(
            key_hash(NS_AFFINITY_MATCH, &[]),
            AFFINITY_MATCH_SCALE * affinity_match,
        )));
    }
    for (name, value) in &candidate.features {
        let hash = key_hash(NS_FEATURE, &[name.as_bytes()]);
        out.push(Part::Feature {
            hash,
            value: *value,
        });
    }
}

/// The entry a numeric feature has in the shared block.
pub fn feature_entry(hash: u32, value: f64) -> Keyed {
    shared(hash, value)
}

/// The interactions of a tag or numeric feature (for a feature, per unit of its value),
/// appended to `out`; nothing for an [`Part::Entry`].
pub fn interactions(context: &PreparedContext, part: Part, out: &mut Vec<Keyed>) {
    match part {
        Part::Entry(_) => {}
        Part::Tag(hash) => push_tag_interactions(context, group_of(hash), out),
        Part::Feature { hash, .. } => {
            let group = group_of(hash);
            out.extend(context.terms.iter().map(|t| Keyed {
                group,
                key: t.hash,
                value: t.value,
            }));
        }
    }
}

/// The joint features of `candidate` in `context`.
pub fn joint_features(context: &PreparedContext, candidate: &Candidate) -> KeyedFeatures {
    let mut pieces = Vec::with_capacity(3 + candidate.tags.len() + candidate.features.len());
    parts(context, candidate, &mut pieces);
    let mut out = Vec::with_capacity(5 + (context.terms.len() + 2) * (1 + pieces.len()));
    for part in pieces {
        match part {
            Part::Entry(entry) => out.push(entry),
            Part::Tag(_) => interactions(context, part, &mut out),
            Part::Feature { hash, value } => {
                out.push(feature_entry(hash, value));
                let from = out.len();
                interactions(context, part, &mut out);
                out.iter_mut().skip(from).for_each(|k| k.value *= value);
            }
        }
    }
    KeyedFeatures::new(out)
}

/// Interactions keyed by one tag: its intercept, context × tag and affinity × tag.
fn push_tag_interactions(context: &PreparedContext, group: u32, out: &mut Vec<Keyed>) {
    out.push(Keyed {
        group,
        key: key_hash(NS_BIAS, &[]),
        value: TAG_INTERCEPT,
    });
    out.extend(context.terms.iter().map(|t| Keyed {
        group,
        key: t.hash,
        value: t.value,
    }));
    let salt = key_hash(NS_AFFINITY, &[]);
    out.extend(context.affinities.iter().map(|t| Keyed {
        group,
        key: t.hash ^ salt,
        value: t.value * AFFINITY_SCALE,
    }));
}

fn matching_affinity(context: &PreparedContext, tag_hash: u32) -> f64 {
    context
        .affinities
        .iter()
        .filter(|a| a.hash == tag_hash)
        .map(|a| a.value)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(tags: &[&str], features: &[(&str, f64)]) -> Candidate {
        Candidate {
            id: "c".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            features: features.iter().map(|(k, v)| ((*k).into(), *v)).collect(),
            server_score: None,
        }
    }

    #[test]
    fn hashes_are_fixed_values_on_every_platform() {
        // Values from an independent Python implementation; FNV-1a of the single byte 0 is the
        // published 0x050C5D1F.
        assert_eq!(fnv1a(0, &[]), 0x050C_5D1F);
        assert_eq!(key_hash(NS_TAG, &[b"sports"]), 0x6A5D_757E);
        assert_eq!(fmix32(0), 0);
    }

    #[test]
    fn a_candidate_without_tags_or_features_is_still_told_apart_by_its_id() {
        let context = prepare_context(&Context {
            values: vec![("page".into(), ContextValue::Text("home".into()))],
            ..Context::default()
        });
        let a = joint_features(&context, &candidate(&[], &[]));
        let mut other = candidate(&[], &[]);
        other.id = "d".into();
        let b = joint_features(&context, &other);
        assert_eq!(a.entries().len(), 2, "the id's intercept and context × id");
        assert_ne!(a.entries()[0].group, b.entries()[0].group);
    }

    #[test]
    fn one_hot_candidates_put_their_interactions_in_one_group() {
        let context = prepare_context(&Context {
            values: (0..10)
                .map(|i| (format!("p{i}"), ContextValue::Number(1.0)))
                .collect(),
            hour_of_day: Some(13.5),
            ..Context::default()
        });
        let x = joint_features(&context, &candidate(&["digit:3"], &[]));
        let id_group = group_of(key_hash(NS_ID, &[]));
        let mut groups: Vec<u32> = x
            .entries()
            .iter()
            .map(|k| k.group)
            .filter(|g| *g != id_group)
            .collect();
        groups.dedup();
        assert_eq!(groups.len(), 1, "only the tag's group: {groups:?}");
        assert_ne!(groups[0], SHARED_GROUP);
        assert_eq!(
            x.entries().iter().filter(|k| k.group == id_group).count(),
            0,
            "the tag describes it: no id intercept"
        );

        let tag_entries = x.entries().iter().filter(|k| k.group == groups[0]).count();
        assert_eq!(
            tag_entries,
            1 + 12,
            "intercept, 10 context values, sin and cos of the hour"
        );
    }

    #[test]
    fn numeric_candidate_features_cross_the_context_by_product() {
        let context = prepare_context(&Context {
            values: vec![("depth".into(), ContextValue::Number(3.0))],
            ..Context::default()
        });
        let x = joint_features(&context, &candidate(&[], &[("recency", 0.5)]));
        assert!(x
            .entries()
            .iter()
            .any(|k| k.group != SHARED_GROUP && k.value == 1.5));
    }

    #[test]
    fn server_scores_enter_normalised_within_the_request_and_not_at_all_when_equal() {
        let with_range = |range| {
            prepare_context(&Context {
                server_scores: range,
                ..Context::default()
            })
        };
        let mut c = candidate(&[], &[]);
        c.server_score = Some(30.0);
        let key = key_hash(NS_SCORE, &[]);
        let x = joint_features(&with_range(Some((10.0, 50.0))), &c);
        assert!(x.entries().contains(&shared(key, 0.5 * SERVER_SCORE_SCALE)));
        for range in [None, Some((30.0, 30.0))] {
            let x = joint_features(&with_range(range), &c);
            assert!(x.entries().iter().all(|k| k.key != key), "{range:?}");
        }
    }

    #[test]
    fn what_hearth_adds_enters_at_its_prior_scale() {
        let context = prepare_context(&Context {
            values: vec![("pixel".into(), ContextValue::Number(0.8))],
            hour_of_day: Some(6.0),
            affinities: vec![("sports".into(), 1.0)],
            ..Context::default()
        });
        let x = joint_features(&context, &candidate(&["news"], &[]));
        let values: Vec<f64> = x.entries().iter().map(|k| k.value).collect();
        assert_eq!(values[0], TAG_INTERCEPT, "the intercept");
        assert!(values.contains(&0.8), "the site's own context at its value");
        assert!(values.contains(&TIME_SCALE), "sin of 6 o'clock is 1");
        assert!(values.contains(&AFFINITY_SCALE));
    }

    #[test]
    fn the_hour_is_cyclic_so_midnight_and_24_coincide() {
        let at = |h| {
            prepare_context(&Context {
                hour_of_day: Some(h),
                ..Context::default()
            })
        };
        let (a, b) = (at(0.0), at(24.0));
        for (x, y) in a.terms.iter().zip(&b.terms) {
            assert!((x.value - y.value).abs() < 1e-12);
        }
    }

    #[test]
    fn affinity_for_a_candidates_tag_is_a_shared_match_feature() {
        let with = prepare_context(&Context {
            affinities: vec![("sports".into(), 0.5)],
            ..Context::default()
        });
        let key = key_hash(NS_AFFINITY_MATCH, &[]);
        let x = joint_features(&with, &candidate(&["sports"], &[]));
        assert!(x
            .entries()
            .contains(&shared(key, 0.5 * AFFINITY_MATCH_SCALE)));
    }
}
