//! The shared linear model every policy uses: ridge regression kept exact per block.
//!
//! The inverse covariance `P = A⁻¹` (with `A = λI + Σ xxᵀ`) is kept block-diagonal over the
//! [`Layout`]'s blocks, and each reward is a recursive-least-squares step — Sherman–Morrison
//! on every block the features touch, with one shared denominator `1 + Σ_b x_bᵀP_bx_b` and
//! one shared prediction error (the "decoupled" extended Kalman filter of Puskorius and
//! Feldkamp). When a feature vector touches a single block, or blocks whose features never
//! co-occur, this *is* exact ridge regression; otherwise it drops only the cross-block
//! covariance. Costs: `reward` is `Σ_b block_dim²` over the touched blocks; a score is
//! `nnz_b²` per touched block. Blocks are allocated on first use (until then `P_b = I/λ`), so
//! memory is `blocks × block_dim² × 8` bytes at most. The model owns the [`FeatureMap`] that
//! gives keys their indices, so weights and slots always travel together. No refits, no RNG,
//! no clock: an observation carries its own time.
//!
//! Each observation has a weight `w` (a weighted least-squares step: `x` and the reward scaled
//! by `√w`). With a half-life, a block forgets by time: before a block learns (and for every
//! block, at most once per 1/64 of the half-life), its precision is discounted by
//! `γ = ½^(elapsed / half-life)` for the time since it was last brought up to date (`P ← P/γ`,
//! variances capped at the prior's `1/λ`), so that old evidence weighs less against new — interests
//! drift over days, not over decisions, so an engaged visitor does not forget faster than an
//! occasional one, and a stream with no clock (digits) forgets nothing. θ is kept: it moves as
//! new evidence arrives.

use super::feature_map::FeatureMap;
use super::features::{KeyedFeatures, Layout};
use super::linalg::{
    bilinear_form, block_runs, discount, multiply_sparse, quadratic_form,
    sherman_morrison_downdate, sparse_dot, sparse_product, BlockEntries, SparseVector,
    SquareMatrix,
};
use super::Feedback;
use crate::time::Millis;

/// Ridge regression over hashed features with a block-diagonal inverse covariance.
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeModel {
    layout: Layout,
    ridge: f64,
    map: FeatureMap,
    weights: Vec<f64>,
    blocks: Vec<Option<SquareMatrix>>,
    updates: u64,
    /// Half-life of the evidence, in milliseconds; `None` never forgets.
    half_life_ms: Option<u64>,
    /// When each block was last brought up to date with forgetting (ms since the epoch; 0:
    /// never, or not known).
    learned_at: Vec<u64>,
    /// When every block was last brought up to date (see [`RidgeModel::update_indexed`]).
    swept_at: Swept,
    scratch: Scratch,
}

/// When the model last brought every block up to date: a schedule, not part of what the
/// model knows, so two models with equal state compare equal whenever they last swept.
#[derive(Debug, Clone, Copy, Default)]
struct Swept(u64);

impl PartialEq for Swept {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Reused work space for `P·x` per touched block; not part of the model's value, so two
/// models with equal state compare equal whatever they last computed.
#[derive(Debug, Clone, Default)]
struct Scratch(Vec<f64>);

impl PartialEq for Scratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl RidgeModel {
    /// A model that knows nothing yet: weights 0, `P = I/ridge`. `ridge` must be positive
    /// and finite (the options validate it).
    pub fn new(layout: Layout, ridge: f64) -> Self {
        RidgeModel {
            layout,
            ridge,
            map: FeatureMap::new(layout),
            weights: vec![0.0; layout.dimension() as usize],
            blocks: vec![None; layout.blocks() as usize],
            updates: 0,
            half_life_ms: None,
            learned_at: vec![0; layout.blocks() as usize],
            swept_at: Swept(0),
            scratch: Scratch::default(),
        }
    }

    /// The same model forgetting with `half_life_ms` (`None`: never).
    pub fn forgetting(mut self, half_life_ms: Option<u64>) -> Self {
        self.half_life_ms = half_life_ms.filter(|ms| *ms > 0);
        self
    }

    /// The same model with the time each block was last brought up to date (as
    /// [`RidgeModel::learned_at`] gives it; extra entries are ignored, missing ones unknown).
    pub fn with_learned_at(mut self, learned_at: &[u64]) -> Self {
        for (slot, at) in self.learned_at.iter_mut().zip(learned_at) {
            *slot = *at;
        }
        self
    }

    /// When each block was last brought up to date with forgetting (it learned, or a sweep
    /// discounted it), ms since the epoch (0: never, or not known).
    pub fn learned_at(&self) -> &[u64] {
        &self.learned_at
    }

    /// Rebuilds a model from its parts (see `snapshot`); `None` when the sizes disagree.
    pub fn from_parts(
        layout: Layout,
        ridge: f64,
        map: FeatureMap,
        weights: Vec<f64>,
        blocks: Vec<Option<SquareMatrix>>,
        updates: u64,
    ) -> Option<Self> {
        let dim = layout.block_dim() as usize;
        let sizes_agree = weights.len() == layout.dimension() as usize
            && blocks.len() == layout.blocks() as usize
            && blocks.iter().flatten().all(|b| b.dim() == dim);
        sizes_agree.then_some(RidgeModel {
            layout,
            ridge,
            map,
            weights,
            blocks,
            updates,
            half_life_ms: None,
            learned_at: vec![0; layout.blocks() as usize],
            swept_at: Swept(0),
            scratch: Scratch::default(),
        })
    }

    /// The feature layout the model was built for.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The ridge penalty λ (the prior precision).
    pub fn ridge(&self) -> f64 {
        self.ridge
    }

    /// Which block and slot each key has.
    pub fn map(&self) -> &FeatureMap {
        &self.map
    }

    /// Indices for scoring `features` (keys not yet rewarded count as prior variance).
    pub fn resolve(&self, features: &KeyedFeatures) -> SparseVector {
        self.map.resolve(features)
    }

    /// The weight vector θ = A⁻¹b.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Block `b` of `P = A⁻¹`; `None` while it is still `I/λ`.
    pub fn block(&self, b: usize) -> Option<&SquareMatrix> {
        self.blocks.get(b).and_then(Option::as_ref)
    }

    /// How many rewards the model has learned from.
    pub fn updates(&self) -> u64 {
        self.updates
    }

    /// The predicted reward θᵀx.
    pub fn mean(&self, x: &SparseVector) -> f64 {
        x.entries()
            .iter()
            .map(|&(i, v)| self.weights.get(i as usize).copied().unwrap_or(0.0) * v)
            .sum()
    }

    /// The uncertainty xᵀPx (never negative).
    pub fn variance(&self, x: &SparseVector) -> f64 {
        let prior = 1.0 / self.ridge;
        let indexed: f64 = block_runs(x, self.layout.block_dim())
            .map(|(b, run)| match self.block(b as usize) {
                Some(p) => quadratic_form(p, run),
                None => prior * run.local().map(|(_, v)| v * v).sum::<f64>(),
            })
            .sum();
        (indexed + prior * x.unseen()).max(0.0)
    }

    /// The covariance xᵀPy of two resolved vectors: their entries in the blocks both touch
    /// (unseen features have no covariance with anything).
    pub fn covariance(&self, x: &SparseVector, y: &SparseVector) -> f64 {
        let prior = 1.0 / self.ridge;
        let width = self.layout.block_dim();
        let mut y_runs = block_runs(y, width).peekable();
        let mut total = 0.0;
        for (b, x_run) in block_runs(x, width) {
            while y_runs.next_if(|(c, _)| *c < b).is_some() {}
            if let Some((_, y_run)) = y_runs.next_if(|(c, _)| *c == b) {
                total += match self.block(b as usize) {
                    Some(p) => bilinear_form(p, x_run, y_run),
                    None => prior * sparse_product(x_run, y_run),
                };
            }
        }
        total
    }

    /// Learns from `feedback` on the item with `features`: gives new keys their slots, then a
    /// (weighted) rank-one update of every touched block, no refit.
    pub fn update(&mut self, features: &KeyedFeatures, feedback: impl Into<Feedback>) {
        let feedback = feedback.into();
        if usable(&feedback) {
            let x = self.map.assign(features);
            self.update_indexed(&x, feedback);
        }
    }

    /// [`RidgeModel::update`] for a vector already in the layout's indices.
    pub fn update_indexed(&mut self, x: &SparseVector, feedback: impl Into<Feedback>) {
        let feedback = feedback.into();
        if !usable(&feedback) || x.is_empty() {
            return;
        }
        // Weighted least squares: x and the reward scaled by √w.
        let root = feedback.weight.sqrt();
        let weighted;
        let x = if feedback.weight == 1.0 {
            x
        } else {
            weighted = x.scaled(root);
            &weighted
        };
        self.sweep(feedback.at);
        let dim = self.layout.block_dim() as usize;
        let runs = block_runs(x, self.layout.block_dim()).count();
        self.scratch.0.clear();
        self.scratch.0.resize(runs * dim, 0.0);
        let error = feedback.reward * root - self.mean(x);
        let mut variance = 0.0;
        let mut scratch = std::mem::take(&mut self.scratch.0);
        for ((b, run), u) in
            block_runs(x, self.layout.block_dim()).zip(scratch.chunks_exact_mut(dim))
        {
            let active = active_size(self.map.slots(), b, run, dim);
            self.forget(b as usize, active, feedback.at);
            let Some(slot) = self.blocks.get_mut(b as usize) else {
                continue;
            };
            let p =
                slot.get_or_insert_with(|| SquareMatrix::scaled_identity(dim, 1.0 / self.ridge));
            let u = u.get_mut(..active).unwrap_or_default();
            multiply_sparse(p, run, u);
            variance += sparse_dot(u, run);
        }
        let denominator = 1.0 + variance.max(0.0);
        for ((b, run), u) in block_runs(x, self.layout.block_dim()).zip(scratch.chunks_exact(dim)) {
            let active = active_size(self.map.slots(), b, run, dim);
            let u = u.get(..active).unwrap_or_default();
            apply_gain(&mut self.weights, b as usize * dim, u, error / denominator);
            if let Some(Some(p)) = self.blocks.get_mut(b as usize) {
                sherman_morrison_downdate(p, u, denominator);
            }
        }
        self.scratch.0 = scratch;
        self.updates = self.updates.saturating_add(1);
    }

    /// Brings every block up to date with forgetting, at most once per 1/64 of the half-life:
    /// a block that stops learning (an action no longer chosen) must regain its width, or it
    /// would never be explored again after a drift. Amortised, this keeps `reward` at the
    /// cost of the blocks it touches.
    fn sweep(&mut self, at: Millis) {
        let Some(half_life) = self.half_life_ms else {
            return;
        };
        if self.swept_at.0 == 0 {
            self.swept_at = Swept(at.0);
            return;
        }
        if at.0 < self.swept_at.0.saturating_add(half_life / 64) {
            return;
        }
        self.swept_at = Swept(at.0);
        // The whole block: where keys were hashed, any slot may hold evidence (the parts still
        // at the prior are left as they are by the cap).
        let dim = self.layout.block_dim() as usize;
        for b in 0..self.blocks.len() {
            self.forget(b, dim, at);
        }
    }

    /// Discounts block `b`'s evidence for the time since it was last brought up to date, and
    /// notes `at` as that time.
    fn forget(&mut self, b: usize, active: usize, at: Millis) {
        let Some(last) = self.learned_at.get_mut(b) else {
            return;
        };
        let elapsed = at.0.saturating_sub(*last);
        let since = *last;
        *last = (*last).max(at.0);
        let (Some(half_life), Some(Some(p))) = (self.half_life_ms, self.blocks.get_mut(b)) else {
            return;
        };
        if since > 0 && elapsed > 0 {
            let gamma = 0.5f64.powf(elapsed as f64 / half_life as f64);
            discount(p, active, gamma.max(f64::MIN_POSITIVE), 1.0 / self.ridge);
        }
    }
}

/// Whether feedback can be learned from: a finite reward with a positive, finite weight.
fn usable(feedback: &Feedback) -> bool {
    feedback.reward.is_finite() && feedback.weight.is_finite() && feedback.weight > 0.0
}

/// How many leading slots of block `b` can be non-trivial after this update: the feature map
/// hands out slots 0, 1, 2, … in order (and hashes only into a full block), so past the
/// assigned ones `P_b` is still `I/λ` and `u = P_b·x` is zero there. Restricting the
/// Sherman–Morrison step to this prefix makes `reward` cost `Σ active²` rather than
/// `Σ block_dim²` — the difference between ~1 and ~20 µs for a site-like item.
fn active_size(slots: &[Vec<u32>], b: u32, run: BlockEntries<'_>, dim: usize) -> usize {
    let assigned = slots.get(b as usize).map_or(0, Vec::len);
    let touched = run.local().map(|(i, _)| i + 1).max().unwrap_or(0);
    assigned.max(touched).min(dim)
}

/// θ_b ← θ_b + gain · u: the RLS weight step for the block starting at `start`.
fn apply_gain(weights: &mut [f64], start: usize, u: &[f64], gain: f64) {
    if let Some(block) = weights.get_mut(start..start + u.len()) {
        for (w, &ui) in block.iter_mut().zip(u) {
            *w += gain * ui;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(entries: &[(u32, f64)]) -> SparseVector {
        SparseVector::from_entries(entries.to_vec())
    }

    #[test]
    fn a_fresh_model_predicts_zero_with_the_prior_variance() {
        let model = RidgeModel::new(Layout::new(2, 4).unwrap(), 2.0);
        let v = x(&[(1, 1.0), (5, 2.0)]);
        assert_eq!(model.mean(&v), 0.0);
        assert!((model.variance(&v) - 5.0 / 2.0).abs() < 1e-12);
    }

    #[test]
    fn updates_within_one_block_equal_the_closed_form_ridge_solution() {
        // Two features in block 0, λ = 1: θ = (I + XᵀX)⁻¹ Xᵀy, solved by hand.
        let mut model = RidgeModel::new(Layout::new(2, 4).unwrap(), 1.0);
        model.update_indexed(&x(&[(0, 1.0)]), 1.0);
        model.update_indexed(&x(&[(0, 1.0), (1, 1.0)]), 2.0);
        // A = [[3,1],[1,2]], b = (3, 2), θ = A⁻¹b = (4/5, 3/5).
        assert!((model.weights()[0] - 0.8).abs() < 1e-12);
        assert!((model.weights()[1] - 0.6).abs() < 1e-12);
        let p = model.block(0).unwrap();
        assert!((p.get(0, 0) - 0.4).abs() < 1e-12 && (p.get(0, 1) + 0.2).abs() < 1e-12);
        assert_eq!(model.updates(), 2);
    }

    #[test]
    fn untouched_blocks_stay_unallocated() {
        let mut model = RidgeModel::new(Layout::new(4, 8).unwrap(), 1.0);
        model.update_indexed(&x(&[(9, 1.0)]), 1.0);
        assert!(model.block(0).is_none() && model.block(1).is_some() && model.block(2).is_none());
    }

    #[test]
    fn keys_not_yet_rewarded_score_with_the_prior_variance() {
        use crate::bandit::features::{Keyed, KeyedFeatures};
        let mut model = RidgeModel::new(Layout::new(2, 4).unwrap(), 2.0);
        let keyed = KeyedFeatures::new(vec![Keyed {
            group: 0,
            key: 42,
            value: 3.0,
        }]);
        assert_eq!(model.variance(&model.resolve(&keyed)), 4.5);
        model.update(&keyed, 1.0);
        let x = model.resolve(&keyed);
        assert_eq!(x.entries(), &[(0, 3.0)]);
        assert!(model.variance(&x) < 4.5 && model.mean(&x) > 0.0);
    }

    #[test]
    fn a_weighted_observation_counts_as_that_many_copies() {
        let layout = Layout::new(2, 4).unwrap();
        let (mut once, mut twice) = (RidgeModel::new(layout, 1.0), RidgeModel::new(layout, 1.0));
        let v = x(&[(0, 1.0), (1, 0.5)]);
        once.update_indexed(&v, Feedback::at(1.0, 2.0, Millis(0)));
        twice.update_indexed(&v, 1.0);
        twice.update_indexed(&v, 1.0);
        assert!((once.mean(&v) - twice.mean(&v)).abs() < 1e-12);
        assert!((once.variance(&v) - twice.variance(&v)).abs() < 1e-12);
        once.update_indexed(&v, Feedback::at(1.0, 0.0, Millis(0)));
        assert_eq!(once.updates(), 1, "a weight of 0 teaches nothing");
    }

    #[test]
    fn with_a_half_life_old_evidence_gives_way_to_new() {
        const DAY: u64 = 86_400_000;
        let layout = Layout::new(2, 4).unwrap();
        let v = x(&[(0, 1.0)]);
        let learn = |half_life| {
            let mut model = RidgeModel::new(layout, 1.0).forgetting(half_life);
            for day in 1..=10 {
                model.update_indexed(&v, Feedback::at(1.0, 1.0, Millis(day * DAY)));
            }
            model.update_indexed(&v, Feedback::at(0.0, 1.0, Millis(40 * DAY)));
            model
        };
        let (remembers, forgets) = (learn(None), learn(Some(3 * DAY)));
        assert!(remembers.mean(&v) > 0.8, "{}", remembers.mean(&v));
        assert!(forgets.mean(&v) < 0.5, "{}", forgets.mean(&v));
        assert_eq!(forgets.learned_at()[0], 40 * DAY);
        // However long the absence, the width never exceeds the prior's.
        let mut idle = learn(Some(3 * DAY));
        idle.update_indexed(&x(&[(1, 1.0)]), Feedback::at(0.0, 1.0, Millis(4_000 * DAY)));
        let p = idle.block(0).unwrap();
        assert!(
            p.get(0, 0) <= 1.0 + 1e-12 && p.get(1, 1) <= 1.0 + 1e-12,
            "{p:?}"
        );
    }

    #[test]
    fn a_block_that_stops_learning_regains_its_width_as_time_passes() {
        const DAY: u64 = 86_400_000;
        let layout = Layout::new(2, 4).unwrap();
        let mut model = RidgeModel::new(layout, 1.0).forgetting(Some(3 * DAY));
        let (a, b) = (x(&[(0, 1.0)]), x(&[(4, 1.0)]));
        for hour in 1..=20 {
            model.update_indexed(&a, Feedback::at(1.0, 1.0, Millis(hour * 3_600_000)));
        }
        let narrow = model.variance(&a);
        // Only the other block learns, for two weeks.
        for day in 1..=14 {
            model.update_indexed(&b, Feedback::at(0.0, 1.0, Millis(day * DAY)));
        }
        let regained = model.variance(&a);
        assert!(regained > 10.0 * narrow, "{narrow} → {regained}");
        assert!(regained <= 1.0 + 1e-12, "never past the prior: {regained}");
    }

    #[test]
    fn a_stream_without_a_clock_forgets_nothing() {
        let layout = Layout::new(2, 4).unwrap();
        let v = x(&[(0, 1.0)]);
        let mut forgetting = RidgeModel::new(layout, 1.0).forgetting(Some(1));
        let mut plain = RidgeModel::new(layout, 1.0);
        for reward in [1.0, 0.0, 1.0, 1.0] {
            forgetting.update_indexed(&v, reward);
            plain.update_indexed(&v, reward);
        }
        assert_eq!(forgetting.mean(&v), plain.mean(&v));
    }

    #[test]
    fn non_finite_rewards_are_ignored() {
        let mut model = RidgeModel::new(Layout::new(2, 4).unwrap(), 1.0);
        model.update_indexed(&x(&[(0, 1.0)]), f64::NAN);
        assert_eq!(model.updates(), 0);
        assert_eq!(model.weights()[0], 0.0);
    }

    #[test]
    fn from_parts_rejects_mismatched_sizes() {
        let layout = Layout::new(2, 4).unwrap();
        let map = || FeatureMap::new(layout);
        let parts = |w: usize, b| RidgeModel::from_parts(layout, 1.0, map(), vec![0.0; w], b, 0);
        assert!(parts(8, vec![None, None]).is_some());
        assert!(parts(7, vec![None, None]).is_none());
        assert!(parts(8, vec![Some(SquareMatrix::scaled_identity(3, 1.0)), None]).is_none());
    }
}
