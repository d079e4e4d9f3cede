//! The candidates of one decision as a policy sees them, and their estimates in bulk.
//!
//! A policy needs, per candidate, the model's predicted reward `θᵀx` and its uncertainty
//! `xᵀPx`. Built one candidate at a time, `x` has hundreds of keyed entries (each numeric
//! feature crossed with every context term) that must each be looked up in the feature map.
//! But most of `x` repeats across a decision: a tag's interactions are the same vector `z` for
//! every candidate with that tag, and a numeric feature's are its value times one vector. So
//! [`Arms::estimates`] resolves each such vector once per decision and keeps its mean `θᵀz`,
//! its variance `zᵀPz` and, lazily, its covariance with the others in its block; a candidate
//! then costs one lookup per tag or feature, its shared-block quadratic form, and
//! `Σ αᵤαᵥ·Cov(u, v)` over its parts that share a block. The result is the same as resolving
//! [`joint_features`](super::joint_features) (tests hold them to 1e-9, and candidates alike
//! but for the order of their parts to an exact tie), which is still what the decision log
//! keeps and what Thompson sampling draws with. Where products overflow, a candidate is
//! estimated from its joint features. One case is approximate: two names whose 32-bit hashes
//! coincide share a group, and their keys without a slot are then counted as independent.

use super::feature_map::IntMap;
use super::features::{
    feature_entry, interactions, joint_features, parts, Keyed, KeyedFeatures, Part,
    PreparedContext, SHARED_GROUP,
};
use super::linalg::{SparseVector, SquareMatrix};
use super::model::RidgeModel;
use crate::request::Candidate;

/// What a policy chooses from: candidates with their score boosts.
#[derive(Debug, Clone, Copy)]
pub struct Arms<'a> {
    source: Source<'a>,
    boosts: &'a [f64],
}

#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    /// Joint features built by the caller.
    Keyed(&'a [KeyedFeatures]),
    /// Site candidates in a prepared context.
    Candidates {
        context: &'a PreparedContext,
        candidates: &'a [&'a Candidate],
    },
}

/// A candidate's predicted reward and the model's uncertainty about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// `θᵀx`.
    pub mean: f64,
    /// `xᵀPx`, never negative.
    pub variance: f64,
}

impl<'a> Arms<'a> {
    /// Arms given as joint features (tests, benchmarks, offline evaluation).
    pub fn keyed(features: &'a [KeyedFeatures]) -> Self {
        Arms {
            source: Source::Keyed(features),
            boosts: &[],
        }
    }

    /// Site candidates in `context`: scored without building each one's joint features.
    pub fn candidates(context: &'a PreparedContext, candidates: &'a [&'a Candidate]) -> Self {
        Arms {
            source: Source::Candidates {
                context,
                candidates,
            },
            boosts: &[],
        }
    }

    /// The same arms with `boosts[i]` added to arm `i`'s score (a site's `boost` rule, in
    /// reward units; missing entries are 0) before exploring, so that the probabilities
    /// account for them.
    pub fn boosted_by(self, boosts: &'a [f64]) -> Self {
        Arms { boosts, ..self }
    }

    /// How many arms there are.
    pub fn len(&self) -> usize {
        match self.source {
            Source::Keyed(features) => features.len(),
            Source::Candidates { candidates, .. } => candidates.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `scores` with the boosts added.
    pub fn boost(&self, mut scores: Vec<f64>) -> Vec<f64> {
        for (score, boost) in scores.iter_mut().zip(self.boosts) {
            *score += boost;
        }
        scores
    }

    /// Each arm's joint features in the model's indices (for policies that need the vectors).
    pub fn resolved(&self, model: &RidgeModel) -> Vec<SparseVector> {
        match self.source {
            Source::Keyed(features) => features.iter().map(|x| model.resolve(x)).collect(),
            Source::Candidates {
                context,
                candidates,
            } => candidates
                .iter()
                .map(|c| model.resolve(&joint_features(context, c)))
                .collect(),
        }
    }

    /// Each arm's mean and variance under `model`.
    pub fn estimates(&self, model: &RidgeModel) -> Vec<Estimate> {
        match self.source {
            Source::Keyed(features) => features
                .iter()
                .map(|x| exact_estimate(model, &model.resolve(x)))
                .collect(),
            Source::Candidates {
                context,
                candidates,
            } => {
                let mut shared = SharedWork::new(model, context);
                candidates.iter().map(|c| shared.estimate(c)).collect()
            }
        }
    }
}

fn exact_estimate(model: &RidgeModel, x: &SparseVector) -> Estimate {
    Estimate {
        mean: model.mean(x),
        variance: model.variance(x),
    }
}

/// A tag's or feature's interactions (or an entry of its own outside the shared block),
/// resolved once per decision.
#[derive(Debug)]
struct Unit {
    x: SparseVector,
    /// The interaction block it lies in; `None` when no entry has a slot yet.
    block: Option<u32>,
    mean: f64,
    variance: f64,
    /// For a numeric feature: its shared-block entry's slot, when it has one.
    shared_slot: Option<u32>,
    /// Covariances with the other units of its block, as candidates have needed them.
    covariances: Vec<(u32, f64)>,
    /// The candidate that last used it, and its place among that candidate's members.
    seen_by: u32,
    member: u32,
}

/// A unit in the candidate being estimated: `alpha` times its vector.
#[derive(Debug, Clone, Copy)]
struct Member {
    unit: u32,
    alpha: f64,
}

/// What one decision's candidates have in common, computed as they first need it.
struct SharedWork<'a> {
    model: &'a RidgeModel,
    context: &'a PreparedContext,
    units: Vec<Unit>,
    tags: IntMap<u32>,
    features: IntMap<u32>,
    entries: IntMap<u64>,
    shared_slots: IntMap<u32, Option<u32>>,
    /// Counts candidates, to tell whose marks a unit or block carries.
    candidate: u32,
    // Per-candidate work space, kept to reuse its allocations.
    pieces: Vec<Part>,
    shared: Vec<(u32, f64)>,
    /// Shared-block entries without a slot, by key.
    unseen: Vec<(u32, f64)>,
    members: Vec<Member>,
    /// Per block: the candidate that last marked it and its latest member there; per
    /// member: the previous member in the same block (`u32::MAX` ends the chain).
    block_heads: Vec<(u32, u32)>,
    previous_in_block: Vec<u32>,
    scratch: Vec<Keyed>,
}

const NO_MEMBER: u32 = u32::MAX;

impl<'a> SharedWork<'a> {
    fn new(model: &'a RidgeModel, context: &'a PreparedContext) -> Self {
        SharedWork {
            model,
            context,
            units: Vec::new(),
            tags: IntMap::default(),
            features: IntMap::default(),
            entries: IntMap::default(),
            shared_slots: IntMap::default(),
            candidate: 0,
            pieces: Vec::new(),
            shared: Vec::new(),
            unseen: Vec::new(),
            members: Vec::new(),
            block_heads: vec![(0, NO_MEMBER); model.layout().blocks() as usize],
            previous_in_block: Vec::new(),
            scratch: Vec::new(),
        }
    }

    fn estimate(&mut self, candidate: &Candidate) -> Estimate {
        let estimate = self.estimate_by_parts(candidate);
        if estimate.mean.is_finite() && estimate.variance.is_finite() {
            Estimate {
                variance: estimate.variance.max(0.0),
                ..estimate
            }
        } else {
            // Products overflowed: the joint features drop non-finite entries, so defer to them.
            let x = self.model.resolve(&joint_features(self.context, candidate));
            exact_estimate(self.model, &x)
        }
    }

    fn estimate_by_parts(&mut self, candidate: &Candidate) -> Estimate {
        self.candidate = self.candidate.wrapping_add(1);
        let mut pieces = std::mem::take(&mut self.pieces);
        pieces.clear();
        parts(self.context, candidate, &mut pieces);
        self.shared.clear();
        self.unseen.clear();
        self.members.clear();
        for &part in &pieces {
            let (unit, alpha, shared) = match part {
                Part::Entry(entry) if entry.group == SHARED_GROUP => {
                    let slot = self.shared_slot(entry.key);
                    (None, 0.0, Some((entry.key, slot, entry.value)))
                }
                Part::Entry(entry) => (Some(self.entry_unit(entry)), 1.0, None),
                Part::Tag(hash) => (Some(self.interaction_unit(part, hash, true)), 1.0, None),
                Part::Feature { hash, value } => {
                    let unit = self.interaction_unit(part, hash, false);
                    let slot = self.units.get(unit as usize).and_then(|u| u.shared_slot);
                    (Some(unit), value, Some((hash, slot, value)))
                }
            };
            match shared {
                Some((_, Some(slot), value)) => self.shared.push((slot, value)),
                Some((key, None, value)) => self.unseen.push((key, value)),
                None => {}
            }
            if let Some(unit) = unit {
                self.add_member(unit, alpha);
            }
        }
        self.pieces = pieces;
        self.put_in_canonical_order();
        let unseen = self.unseen_mass();
        let mut estimate = self.shared_estimate(unseen);
        self.add_members(&mut estimate);
        estimate
    }

    /// Sums in an order that does not depend on the order of the candidate's tags and
    /// features, so that two candidates alike but for that order tie exactly, as their joint
    /// features (sorted by index) do. Candidates of one request usually list their parts in
    /// one order, so the checks nearly always find them sorted.
    fn put_in_canonical_order(&mut self) {
        if !self.members.is_sorted_by_key(|m| m.unit) {
            crate::sort::sort_by_key(&mut self.members, |m| m.unit);
        }
        let entry_order = |e: &(u32, f64)| (e.0, e.1.to_bits());
        if !self.shared.is_sorted_by_key(entry_order) {
            crate::sort::sort_by_key(&mut self.shared, entry_order);
        }
    }

    /// Σ value² over the shared-block keys without a slot, a repeated key counted once with
    /// its values summed (as [`FeatureMap::resolve`](super::feature_map::FeatureMap::resolve)
    /// does).
    fn unseen_mass(&mut self) -> f64 {
        crate::sort::sort_by_key(&mut self.unseen, |e| (e.0, e.1.to_bits()));
        self.unseen
            .chunk_by(|a, b| a.0 == b.0)
            .map(|same| same.iter().map(|(_, v)| v).sum::<f64>().powi(2))
            .sum()
    }

    /// The shared block's part: `θᵀx₀`, `x₀ᵀP₀x₀` and the prior variance of the unseen.
    fn shared_estimate(&self, unseen: f64) -> Estimate {
        let weights = self.model.weights();
        let mean = self
            .shared
            .iter()
            .map(|&(slot, v)| weights.get(slot as usize).copied().unwrap_or(0.0) * v)
            .sum();
        let prior = 1.0 / self.model.ridge();
        let variance = match self.model.block(0) {
            Some(p) => symmetric_form(p, &self.shared),
            None => prior * identity_form(&self.shared),
        };
        Estimate {
            mean,
            variance: variance + prior * unseen,
        }
    }

    /// Adds `α` of `unit` to the candidate (twice the same unit, as a repeated tag, sums).
    fn add_member(&mut self, unit: u32, alpha: f64) {
        let candidate = self.candidate;
        let Some(u) = self.units.get_mut(unit as usize) else {
            return;
        };
        if u.seen_by == candidate {
            if let Some(member) = self.members.get_mut(u.member as usize) {
                member.alpha += alpha;
            }
            return;
        }
        u.seen_by = candidate;
        // At most one member per part of one candidate, far below `u32::MAX`.
        u.member = self.members.len() as u32;
        self.members.push(Member { unit, alpha });
    }

    /// Adds `Σ αᵤ·meanᵤ`, `Σ αᵤ²·varᵤ` and `2·Σ αᵤαᵥ·Cov(u, v)` over the members that share
    /// a block, walking each block's members as a chain.
    fn add_members(&mut self, estimate: &mut Estimate) {
        let members = std::mem::take(&mut self.members);
        self.previous_in_block.clear();
        for (k, member) in (0u32..).zip(&members) {
            let Some(unit) = self.units.get(member.unit as usize) else {
                self.previous_in_block.push(NO_MEMBER);
                continue;
            };
            estimate.mean += member.alpha * unit.mean;
            estimate.variance += member.alpha * member.alpha * unit.variance;
            let head = unit
                .block
                .and_then(|b| self.block_heads.get(b as usize).map(|h| (b, *h)));
            let Some((block, (marked_by, latest))) = head else {
                self.previous_in_block.push(NO_MEMBER);
                continue;
            };
            let mut other = if marked_by == self.candidate {
                latest
            } else {
                NO_MEMBER
            };
            self.previous_in_block.push(other);
            while let Some(&earlier) = members.get(other as usize) {
                let cross = self.covariance(member.unit, earlier.unit);
                estimate.variance += 2.0 * member.alpha * earlier.alpha * cross;
                other = self
                    .previous_in_block
                    .get(other as usize)
                    .copied()
                    .unwrap_or(NO_MEMBER);
            }
            if let Some(h) = self.block_heads.get_mut(block as usize) {
                *h = (self.candidate, k);
            }
        }
        self.members = members;
    }

    fn covariance(&mut self, u: u32, v: u32) -> f64 {
        let known = self.units.get(u as usize).and_then(|unit| {
            unit.covariances
                .iter()
                .find(|(other, _)| *other == v)
                .map(|(_, c)| *c)
        });
        if let Some(c) = known {
            return c;
        }
        let value = match (self.units.get(u as usize), self.units.get(v as usize)) {
            (Some(a), Some(b)) => self.model.covariance(&a.x, &b.x),
            _ => 0.0,
        };
        for (a, b) in [(u, v), (v, u)] {
            if let Some(unit) = self.units.get_mut(a as usize) {
                unit.covariances.push((b, value));
            }
        }
        value
    }

    /// A shared-block key's slot, looked up once per decision.
    fn shared_slot(&mut self, key: u32) -> Option<u32> {
        if let Some(&slot) = self.shared_slots.get(&key) {
            return slot;
        }
        let entry = KeyedFeatures::new(vec![Keyed {
            group: SHARED_GROUP,
            key,
            value: 1.0,
        }]);
        let slot = self
            .model
            .resolve(&entry)
            .entries()
            .first()
            .map(|(i, _)| *i);
        self.shared_slots.insert(key, slot);
        slot
    }

    /// The unit of a tag's or feature's interactions, resolved on first use.
    fn interaction_unit(&mut self, part: Part, hash: u32, tag: bool) -> u32 {
        let known = if tag {
            self.tags.get(&hash)
        } else {
            self.features.get(&hash)
        };
        if let Some(&unit) = known {
            return unit;
        }
        self.scratch.clear();
        interactions(self.context, part, &mut self.scratch);
        let shared_slot = if tag {
            None
        } else {
            self.shared_slot(feature_entry(hash, 1.0).key)
        };
        let unit = self.push_unit(KeyedFeatures::new(self.scratch.clone()), shared_slot);
        if tag {
            self.tags.insert(hash, unit);
        } else {
            self.features.insert(hash, unit);
        }
        unit
    }

    /// The unit of an entry outside the shared block (an item's id), resolved on first use.
    fn entry_unit(&mut self, entry: Keyed) -> u32 {
        let key = (u64::from(entry.group) << 32) | u64::from(entry.key);
        if let Some(&unit) = self.entries.get(&key) {
            return unit;
        }
        let unit = self.push_unit(KeyedFeatures::new(vec![entry]), None);
        self.entries.insert(key, unit);
        unit
    }

    fn push_unit(&mut self, features: KeyedFeatures, shared_slot: Option<u32>) -> u32 {
        let x = self.model.resolve(&features);
        let width = self.model.layout().block_dim().max(1);
        let Estimate { mean, mut variance } = exact_estimate(self.model, &x);
        // A unit's entries are raw context values, which a candidate's joint features only
        // hold multiplied by its value: if their squares overflow here (and the resolved
        // vector then drops the unseen mass), the candidate must be estimated as a whole.
        let mass: f64 = features.entries().iter().map(|k| k.value * k.value).sum();
        if !mass.is_finite() {
            variance = f64::INFINITY;
        }
        self.units.push(Unit {
            block: x.entries().first().map(|(i, _)| i / width),
            x,
            mean,
            variance,
            shared_slot,
            covariances: Vec::new(),
            seen_by: 0,
            member: 0,
        });
        // At most one unit per tag, feature and entry of one request, far below `u32::MAX`.
        (self.units.len() - 1) as u32
    }
}

/// `xᵀPx` for a symmetric `P` and `x` as `(slot, value)` pairs in any order, repeats allowed
/// (they add up, as the form is bilinear): half the reads of the plain double sum.
fn symmetric_form(p: &SquareMatrix, x: &[(u32, f64)]) -> f64 {
    let mut total = 0.0;
    for (k, &(i, vi)) in x.iter().enumerate() {
        let row = p.row(i as usize);
        let at = |j: u32| row.get(j as usize).copied().unwrap_or(0.0);
        let earlier: f64 = x.iter().take(k).map(|&(j, vj)| at(j) * vj).sum();
        total += vi * (at(i) * vi + 2.0 * earlier);
    }
    total
}

/// `xᵀx` for `x` as `(slot, value)` pairs in any order, repeats allowed.
fn identity_form(x: &[(u32, f64)]) -> f64 {
    let mut total = 0.0;
    for (k, &(i, vi)) in x.iter().enumerate() {
        let earlier: f64 = x
            .iter()
            .take(k)
            .filter(|(j, _)| *j == i)
            .map(|(_, v)| v)
            .sum();
        total += vi * (vi + 2.0 * earlier);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bandit::features::{prepare_context, Context, Layout};
    use crate::bandit::slate::{uniform_below, unit_interval};
    use crate::request::ContextValue;
    use rand_core::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn random_candidate(rng: &mut Xoshiro256PlusPlus, id: usize) -> Candidate {
        let mut tags: Vec<String> = (0..uniform_below(rng, 4))
            .map(|_| format!("t{}", uniform_below(rng, 6)))
            .collect();
        if id % 17 == 0 {
            tags.extend(tags.clone()); // a repeated tag counts twice
        }
        let mut names: Vec<usize> = (0..uniform_below(rng, 6))
            .map(|_| uniform_below(rng, 8))
            .collect();
        names.sort_unstable();
        names.dedup();
        Candidate {
            id: format!("c{id}"),
            tags,
            features: names
                .into_iter()
                .map(|n| (format!("f{n}").into(), 4.0 * unit_interval(rng) - 2.0))
                .collect(),
            server_score: (id % 3 != 0).then(|| unit_interval(rng)),
        }
    }

    fn random_context(rng: &mut Xoshiro256PlusPlus) -> PreparedContext {
        prepare_context(&Context {
            values: vec![
                (
                    "page".into(),
                    ContextValue::Text(format!("p{}", uniform_below(rng, 3))),
                ),
                (
                    "depth".into(),
                    ContextValue::Number(unit_interval(rng) * 5.0),
                ),
            ],
            hour_of_day: Some(unit_interval(rng) * 24.0),
            weekday: None,
            affinities: vec![("t1".into(), 1.0), ("t4".into(), unit_interval(rng))],
            server_scores: Some((0.0, 1.0)),
        })
    }

    fn assert_close(a: f64, b: f64, what: &str) {
        assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "{what}: {a} vs {b}"
        );
    }

    #[test]
    fn candidates_are_estimated_as_their_joint_features_are() {
        // Small layouts force groups to share blocks and keys to share slots.
        for (blocks, dim, seed) in [(3, 4, 1), (4, 7, 2), (6, 20, 3), (32, 80, 4)] {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let layout = Layout::new(blocks, dim).unwrap();
            let mut model = RidgeModel::new(layout, 0.5 + unit_interval(&mut rng));
            for round in 0..40 {
                let context = random_context(&mut rng);
                let owned: Vec<Candidate> = (0..12)
                    .map(|i| random_candidate(&mut rng, round * 12 + i))
                    .collect();
                let candidates: Vec<&Candidate> = owned.iter().collect();
                let keyed: Vec<KeyedFeatures> =
                    owned.iter().map(|c| joint_features(&context, c)).collect();
                // By parts only (no fallback), so that the two computations really differ.
                let mut shared = SharedWork::new(&model, &context);
                let fast: Vec<Estimate> = candidates
                    .iter()
                    .map(|c| shared.estimate_by_parts(c))
                    .collect();
                let exact = Arms::keyed(&keyed).estimates(&model);
                assert_eq!(fast.len(), 12);
                for (f, e) in fast.iter().zip(&exact) {
                    assert_close(f.mean, e.mean, "mean");
                    assert_close(f.variance, e.variance, "variance");
                }
                let rewarded = uniform_below(&mut rng, keyed.len());
                model.update(&keyed[rewarded], unit_interval(&mut rng));
            }
            assert!(model.updates() == 40);
        }
    }

    #[test]
    fn overflowing_products_are_estimated_as_the_joint_features_drop_them() {
        let in_context = |big: f64| {
            prepare_context(&Context {
                values: vec![("big".into(), ContextValue::Number(big))],
                ..Context::default()
            })
        };
        let with_value = |value: f64| Candidate {
            id: "a".into(),
            tags: vec![],
            features: vec![("f".into(), value)],
            server_score: None,
        };
        let mut model = RidgeModel::new(Layout::new(4, 8).unwrap(), 1.0);
        model.update(&joint_features(&in_context(1.0), &with_value(1.0)), 1.0);
        // 1e150 · 1e200 overflows: that interaction is dropped, the shared entry is kept.
        let context = in_context(1e200);
        let owned = [with_value(1e150)];
        let keyed = [joint_features(&context, &owned[0])];
        let candidates: Vec<&Candidate> = owned.iter().collect();
        let fast = Arms::candidates(&context, &candidates).estimates(&model);
        assert_eq!(fast, Arms::keyed(&keyed).estimates(&model));
        assert!(fast[0].variance.is_finite());
    }

    #[test]
    fn an_overflowing_unseen_interaction_is_estimated_as_the_joint_features_are() {
        // The key has no slot yet; its context value squared overflows, the product with
        // the feature's value does not.
        let context = prepare_context(&Context {
            values: vec![("big".into(), ContextValue::Number(1e200))],
            ..Context::default()
        });
        let owned = [Candidate {
            id: "a".into(),
            tags: vec![],
            features: vec![("f".into(), 1e-190)],
            server_score: None,
        }];
        let candidates: Vec<&Candidate> = owned.iter().collect();
        let keyed = [joint_features(&context, &owned[0])];
        let model = RidgeModel::new(Layout::new(4, 8).unwrap(), 1.0);
        let fast = Arms::candidates(&context, &candidates).estimates(&model);
        assert_eq!(fast, Arms::keyed(&keyed).estimates(&model));
        assert!(fast[0].variance > 1e19, "{fast:?}");
    }

    #[test]
    fn candidates_alike_but_for_the_order_of_their_parts_tie_exactly() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let mut model = RidgeModel::new(Layout::new(32, 80).unwrap(), 1.0);
        let context = random_context(&mut rng);
        for i in 0..50 {
            let trained = random_candidate(&mut rng, i);
            model.update(&joint_features(&context, &trained), unit_interval(&mut rng));
        }
        let forward = Candidate {
            id: "a".into(),
            tags: vec!["t1".into(), "t2".into(), "t3".into()],
            features: (0..8)
                .map(|n| (format!("f{n}").into(), 0.1 + n as f64 / 7.0))
                .collect(),
            server_score: Some(0.3),
        };
        let mut backward = forward.clone();
        backward.id = "b".into();
        backward.tags.reverse();
        backward.features.reverse();
        let candidates = [&forward, &backward];
        let estimates = Arms::candidates(&context, &candidates).estimates(&model);
        assert_eq!(estimates[0], estimates[1]);
    }

    #[test]
    fn a_repeated_unseen_shared_key_counts_once_with_its_values_summed() {
        let context = prepare_context(&Context::default());
        let repeated = Candidate {
            id: "a".into(),
            tags: vec![],
            features: vec![("f".into(), 1.0), ("f".into(), 2.0)],
            server_score: None,
        };
        let keyed = [joint_features(&context, &repeated)];
        let model = RidgeModel::new(Layout::new(4, 8).unwrap(), 1.0);
        let candidates = [&repeated];
        let fast = Arms::candidates(&context, &candidates).estimates(&model);
        assert_eq!(fast, Arms::keyed(&keyed).estimates(&model));
        assert_eq!(fast[0].variance, 9.0);
    }

    #[test]
    fn boosts_add_to_scores_and_missing_ones_are_zero() {
        let keyed = [KeyedFeatures::default(), KeyedFeatures::default()];
        let arms = Arms::keyed(&keyed).boosted_by(&[0.5]);
        assert_eq!(arms.boost(vec![1.0, 2.0]), vec![1.5, 2.0]);
    }
}
