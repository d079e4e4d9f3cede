//! Linear Thompson sampling: rank by `θ̃ᵀx` with `θ̃ ~ N(θ, v²·A⁻¹)`, one fresh draw per
//! position, among the candidates not yet placed.
//!
//! A draw needs `θ̃_b = θ_b + v·L_b·z` for each block the candidates touch, with `L_b` the
//! Cholesky factor of that block of `A⁻¹` (computed once per decision) and `z` standard
//! normal. The probability that a given item wins a position has no closed form, so it is
//! estimated by Monte Carlo: `samples` further draws, each deciding every position's winner
//! among the same remaining set; the logged probability is `(wins + 1) / (samples + 1)` —
//! the realised draw counted as one more sample, so it is never 0 (bias ≤ 1/(samples+1)).
//! Features without a slot yet (never rewarded) add independent prior noise per candidate.

use super::features::KeyedFeatures;
use super::linalg::{cholesky_into, lower_times, SparseVector, SquareMatrix};
use super::model::RidgeModel;
use super::slate::{select_sequentially, unit_interval, Slate};
use super::{Arms, Feedback, Policy};
use rand_core::RngCore;

/// Thompson sampling over a [`RidgeModel`].
#[derive(Debug, Clone, PartialEq)]
pub struct Thompson {
    model: RidgeModel,
    scale: f64,
    samples: u32,
}

/// A pair of independent standard normals (Box–Muller).
pub fn normal_pair(rng: &mut impl RngCore) -> (f64, f64) {
    let u1 = 1.0 - unit_interval(rng); // in (0, 1]: ln never sees 0
    let u2 = unit_interval(rng);
    let radius = (-2.0 * u1.ln()).sqrt();
    let (sin, cos) = crate::math::turn(u2);
    (radius * cos, radius * sin)
}

fn fill_normal(rng: &mut impl RngCore, out: &mut [f64]) {
    for pair in out.chunks_mut(2) {
        let (a, b) = normal_pair(rng);
        pair.iter_mut().zip([a, b]).for_each(|(o, z)| *o = z);
    }
}

/// The posterior's square root for one decision: `L_b` per touched block (`None` for a block
/// still at its prior, where `L_b = I/√λ`, or one no candidate touches).
struct Sampler<'m> {
    model: &'m RidgeModel,
    touched: Vec<bool>,
    factors: Vec<Option<SquareMatrix>>,
    scale: f64,
}

impl<'m> Sampler<'m> {
    fn new(model: &'m RidgeModel, candidates: &[SparseVector], scale: f64) -> Self {
        let layout = model.layout();
        let mut touched = vec![false; layout.blocks() as usize];
        for (i, _) in candidates.iter().flat_map(|x| x.entries()) {
            if let Some(t) = touched.get_mut((i / layout.block_dim()) as usize) {
                *t = true;
            }
        }
        let factors = (0..touched.len())
            .map(|b| {
                let p = model.block(b).filter(|_| touched.get(b) == Some(&true))?;
                let mut l = SquareMatrix::scaled_identity(0, 0.0);
                cholesky_into(&p.leading(active_slots(model, b)), &mut l);
                Some(l)
            })
            .collect();
        Sampler {
            model,
            touched,
            factors,
            scale,
        }
    }

    /// Writes one posterior draw of the touched blocks' weights into `theta`.
    fn draw(&self, rng: &mut impl RngCore, theta: &mut [f64], z: &mut [f64], lz: &mut [f64]) {
        let dim = self.model.layout().block_dim() as usize;
        let prior_sd = 1.0 / self.model.ridge().sqrt();
        let blocks = theta
            .chunks_exact_mut(dim)
            .zip(self.model.weights().chunks_exact(dim));
        for (b, (out, mean)) in blocks.enumerate() {
            if self.touched.get(b) != Some(&true) {
                continue;
            }
            fill_normal(rng, z);
            let factor = self.factors.get(b).and_then(Option::as_ref);
            let k = factor.map_or(0, SquareMatrix::dim);
            if let (Some(l), Some(zk), Some(lzk)) = (factor, z.get(..k), lz.get_mut(..k)) {
                lower_times(l, zk, lzk);
            }
            let prior = lz.iter_mut().zip(z.iter()).skip(k);
            prior.for_each(|(o, zi)| *o = prior_sd * zi);
            for ((o, m), d) in out.iter_mut().zip(mean).zip(lz.iter()) {
                *o = m + self.scale * d;
            }
        }
    }

    fn sampled_scores(
        &self,
        rng: &mut impl RngCore,
        candidates: &[SparseVector],
        buffers: &mut Buffers,
    ) -> Vec<f64> {
        self.draw(rng, &mut buffers.theta, &mut buffers.z, &mut buffers.lz);
        let theta = &buffers.theta;
        let unseen_sd = self.scale / self.model.ridge().sqrt();
        let mut score = |x: &SparseVector| -> f64 {
            let indexed: f64 = x
                .entries()
                .iter()
                .map(|&(i, v)| theta.get(i as usize).copied().unwrap_or(0.0) * v)
                .sum();
            let unseen = if x.unseen() > 0.0 {
                unseen_sd * x.unseen().sqrt() * normal_pair(rng).0
            } else {
                0.0
            };
            indexed + unseen
        };
        candidates.iter().map(&mut score).collect()
    }
}

/// The leading slots of block `b` that have learned anything: the feature map assigns slots
/// in order, so past them the block of A⁻¹ is still `I/λ` (all of it when the map has no
/// record, as for vectors indexed by hand).
fn active_slots(model: &RidgeModel, b: usize) -> usize {
    let dim = model.layout().block_dim() as usize;
    match model.map().slots().get(b).map_or(0, Vec::len) {
        0 => dim,
        assigned => assigned.min(dim),
    }
}

/// Scratch for draws: one weight vector of `d`, two block vectors.
struct Buffers {
    theta: Vec<f64>,
    z: Vec<f64>,
    lz: Vec<f64>,
}

/// The first candidate, in descending-score `order`, not among `placed`.
fn first_unplaced(order: &[usize], placed: &[usize]) -> Option<usize> {
    order.iter().copied().find(|i| !placed.contains(i))
}

/// Indices sorted by descending score (NaN last).
fn descending(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let key = |i: &usize| {
        scores
            .get(*i)
            .copied()
            .filter(|s| !s.is_nan())
            .unwrap_or(f64::NEG_INFINITY)
    };
    // Descending by score; ties keep no particular order (the draws are continuous).
    crate::sort::sort_by(&mut order, |a, b| key(b).total_cmp(&key(a)).is_lt());
    order
}

impl Thompson {
    /// Thompson sampling with posterior scale `scale` and `samples` Monte-Carlo draws for the
    /// propensities (both validated).
    pub fn new(model: RidgeModel, scale: f64, samples: u32) -> Self {
        Thompson {
            model,
            scale,
            samples,
        }
    }

    /// Counts, over `samples` fresh draws, how often each pick wins its position.
    fn estimate(
        &self,
        sampler: &Sampler<'_>,
        candidates: &[SparseVector],
        arms: &Arms<'_>,
        slate: &mut Slate,
        rng: &mut impl RngCore,
        buffers: &mut Buffers,
    ) {
        let chosen: Vec<usize> = slate.picks.iter().map(|p| p.index).collect();
        let mut wins = vec![0u32; chosen.len()];
        for _ in 0..self.samples {
            let scores = arms.boost(sampler.sampled_scores(rng, candidates, buffers));
            let order = descending(&scores);
            for (k, w) in wins.iter_mut().enumerate() {
                let placed = chosen.get(..k).unwrap_or(&[]);
                if first_unplaced(&order, placed) == chosen.get(k).copied() {
                    *w += 1;
                }
            }
        }
        let denominator = f64::from(self.samples) + 1.0;
        for (pick, w) in slate.picks.iter_mut().zip(wins) {
            pick.probability = (f64::from(w) + 1.0) / denominator;
        }
    }
}

impl Policy for Thompson {
    fn name(&self) -> &'static str {
        "thompson"
    }

    fn model(&self) -> &RidgeModel {
        &self.model
    }

    fn choose(&self, arms: &Arms<'_>, limit: usize, rng: &mut impl RngCore) -> Slate {
        let candidates = arms.resolved(&self.model);
        let candidates = candidates.as_slice();
        let sampler = Sampler::new(&self.model, candidates, self.scale);
        let dim = self.model.layout().block_dim() as usize;
        let mut buffers = Buffers {
            theta: vec![0.0; self.model.weights().len()],
            z: vec![0.0; dim],
            lz: vec![0.0; dim],
        };
        let mut slate = select_sequentially(candidates.len(), limit, rng, |remaining, rng| {
            let scores = arms.boost(sampler.sampled_scores(rng, candidates, &mut buffers));
            let order = descending(&scores);
            let placed: Vec<usize> = (0..candidates.len())
                .filter(|i| !remaining.contains(i))
                .collect();
            let winner = first_unplaced(&order, &placed).unwrap_or(0);
            let position = remaining.iter().position(|&i| i == winner).unwrap_or(0);
            (position, scores.get(winner).copied().unwrap_or(0.0), 1.0)
        });
        self.estimate(&sampler, candidates, arms, &mut slate, rng, &mut buffers);
        slate
    }

    fn exploration_width(&self, variance: f64) -> f64 {
        self.scale * variance.max(0.0).sqrt()
    }

    fn update(&mut self, features: &KeyedFeatures, feedback: impl Into<Feedback>) {
        self.model.update(features, feedback);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bandit::features::Layout;
    use rand_core::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    use crate::bandit::test_support::one_hot;

    #[test]
    fn normals_have_mean_zero_and_unit_variance() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let draws: Vec<f64> = (0..20_000)
            .flat_map(|_| {
                let (a, b) = normal_pair(&mut rng);
                [a, b]
            })
            .collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(
            mean.abs() < 0.02 && (var - 1.0).abs() < 0.03,
            "{mean} {var}"
        );
    }

    #[test]
    fn estimated_propensities_match_the_symmetric_case() {
        // Two untried, identical candidates: each wins position 1 half the time.
        let policy = Thompson::new(RidgeModel::new(Layout::new(2, 4).unwrap(), 1.0), 1.0, 4000);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let slate = policy.choose(&Arms::keyed(&[one_hot(0), one_hot(1)]), 2, &mut rng);
        assert!(
            (slate.picks[0].probability - 0.5).abs() < 0.03,
            "{:?}",
            slate
        );
        assert!((slate.picks[1].probability - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_clearly_better_candidate_wins_almost_surely() {
        let mut policy = Thompson::new(RidgeModel::new(Layout::new(2, 4).unwrap(), 1.0), 0.1, 200);
        for _ in 0..50 {
            policy.update(&one_hot(2), 1.0);
            policy.update(&one_hot(1), 0.0);
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
        let slate = policy.choose(&Arms::keyed(&[one_hot(1), one_hot(2)]), 1, &mut rng);
        assert_eq!(slate.picks[0].index, 1);
        assert!(slate.picks[0].probability > 0.99);
    }
}
