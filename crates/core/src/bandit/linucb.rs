//! LinUCB: rank by the upper confidence bound `θᵀx + α·√(xᵀA⁻¹x)` of the ridge model.
//!
//! Deterministic: at each position the highest bound among the remaining candidates wins, and
//! ties are broken uniformly at random, so the logged probability is exactly 1 (no tie) or
//! `1 / ties`. The bounds are computed once per decision — the picks never change them.

use super::features::KeyedFeatures;
use super::model::RidgeModel;
use super::slate::{order_by_score, Slate};
use super::{Arms, Feedback, Policy};
use rand_core::RngCore;

/// Upper-confidence-bound ranking over a [`RidgeModel`].
#[derive(Debug, Clone, PartialEq)]
pub struct LinUcb {
    model: RidgeModel,
    alpha: f64,
}

/// The bound `mean + α·√variance`.
pub fn upper_bound(mean: f64, variance: f64, alpha: f64) -> f64 {
    mean + alpha * variance.max(0.0).sqrt()
}

impl LinUcb {
    /// LinUCB with exploration width `alpha` (validated: finite, ≥ 0).
    pub fn new(model: RidgeModel, alpha: f64) -> Self {
        LinUcb { model, alpha }
    }
}

impl Policy for LinUcb {
    fn name(&self) -> &'static str {
        "linucb"
    }

    fn model(&self) -> &RidgeModel {
        &self.model
    }

    fn choose(&self, arms: &Arms<'_>, limit: usize, rng: &mut impl RngCore) -> Slate {
        let estimates = arms.estimates(&self.model);
        let bounds = estimates
            .iter()
            .map(|e| upper_bound(e.mean, e.variance, self.alpha));
        let scores = arms.boost(bounds.collect());
        order_by_score(&scores, limit, rng).with_estimates(&estimates)
    }

    fn exploration_width(&self, variance: f64) -> f64 {
        upper_bound(0.0, variance, self.alpha)
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

    fn policy() -> LinUcb {
        LinUcb::new(RidgeModel::new(Layout::new(2, 8).unwrap(), 1.0), 1.0)
    }

    #[test]
    fn untried_equal_candidates_tie_and_each_has_probability_one_over_ties() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let slate = policy().choose(
            &Arms::keyed(&[one_hot(0), one_hot(1), one_hot(2), one_hot(3)]),
            2,
            &mut rng,
        );
        assert_eq!(slate.picks[0].probability, 0.25);
        assert_eq!(slate.picks[1].probability, 1.0 / 3.0);
    }

    #[test]
    fn a_rewarded_candidate_is_placed_first_with_probability_one() {
        let mut linucb = policy();
        for _ in 0..20 {
            linucb.update(&one_hot(1), 1.0);
            linucb.update(&one_hot(0), 0.0);
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let slate = linucb.choose(&Arms::keyed(&[one_hot(0), one_hot(1)]), 2, &mut rng);
        assert_eq!((slate.picks[0].index, slate.picks[0].probability), (1, 1.0));
        assert_eq!((slate.picks[1].index, slate.picks[1].probability), (0, 1.0));
    }

    #[test]
    fn the_bound_widens_with_uncertainty() {
        assert_eq!(upper_bound(0.5, 4.0, 0.5), 1.5);
        assert_eq!(upper_bound(0.5, -1e-18, 2.0), 0.5);
    }
}
