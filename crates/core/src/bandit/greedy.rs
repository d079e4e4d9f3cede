//! Exploration around the ridge prediction alone: ε-greedy, SquareCB and softmax.
//!
//! Each position draws from an explicit distribution over the remaining candidates, so the
//! logged probability is exact. ε-greedy: `(1−ε)/ties` for each best item plus `ε/n` for
//! every item. SquareCB (Foster & Rakhlin 2020): `1/(n + γ·(ŷ_best − ŷ))` for each item
//! but the first best, which takes the rest; `γ = gamma_scale·√(updates + 1)`. Softmax:
//! `exp((ŷ − ŷ_best)/τ)`, normalised. The model's uncertainty is not used.

use super::features::KeyedFeatures;
use super::model::RidgeModel;
use super::params::{PolicyKind, ValidParams};
use super::slate::{best_positions, draw_weighted, select_sequentially, Slate};
use super::{Arms, Feedback, Policy};
use rand_core::RngCore;

/// How the prediction is turned into a distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Exploration {
    /// The best item, or with probability `epsilon` a uniform one.
    EpsilonGreedy {
        /// Exploration rate, 0 to 1.
        epsilon: f64,
    },
    /// Inverse-gap weighting.
    SquareCb {
        /// γ = gamma_scale · √(updates + 1).
        gamma_scale: f64,
    },
    /// Boltzmann weights.
    Softmax {
        /// Temperature τ, in reward units.
        temperature: f64,
    },
}

impl Exploration {
    /// The rule `kind` names, with its parameter from `params` (LinUCB and Thompson,
    /// which are not greedy rules, fall back to ε-greedy).
    pub fn from_params(kind: PolicyKind, params: &ValidParams) -> Self {
        let p = params.params();
        match kind {
            PolicyKind::SquareCb => Exploration::SquareCb {
                gamma_scale: p.gamma_scale,
            },
            PolicyKind::Softmax => Exploration::Softmax {
                temperature: p.temperature,
            },
            _ => Exploration::EpsilonGreedy { epsilon: p.epsilon },
        }
    }
}

/// A greedy-family policy over a [`RidgeModel`].
#[derive(Debug, Clone, PartialEq)]
pub struct Greedy {
    model: RidgeModel,
    exploration: Exploration,
}

/// ε-greedy weights over `predictions` (one per remaining candidate).
pub fn epsilon_greedy_weights(predictions: &[f64], epsilon: f64) -> Vec<f64> {
    let all: Vec<usize> = (0..predictions.len()).collect();
    let best = best_positions(predictions, &all);
    let n = predictions.len() as f64;
    let mut weights = vec![epsilon / n; predictions.len()];
    for &b in &best {
        if let Some(w) = weights.get_mut(b) {
            *w += (1.0 - epsilon) / best.len() as f64;
        }
    }
    weights
}

/// SquareCB's inverse-gap weights over `predictions`.
pub fn square_cb_weights(predictions: &[f64], gamma: f64) -> Vec<f64> {
    let all: Vec<usize> = (0..predictions.len()).collect();
    let first_best = best_positions(predictions, &all)
        .first()
        .copied()
        .unwrap_or(0);
    let top = predictions.get(first_best).copied().unwrap_or(0.0);
    let n = predictions.len() as f64;
    let mut weights: Vec<f64> = predictions
        .iter()
        .map(|&y| 1.0 / (n + gamma * (top - y).max(0.0)))
        .map(|w| if w.is_finite() { w } else { 0.0 })
        .collect();
    if let Some(w) = weights.get_mut(first_best) {
        *w = 0.0;
    }
    let rest = (1.0 - weights.iter().sum::<f64>()).max(0.0);
    if let Some(w) = weights.get_mut(first_best) {
        *w = rest;
    }
    weights
}

/// Softmax weights `exp((ŷ − ŷ_best)/τ)`, normalised (the best has weight ≥ 1/n).
pub fn softmax_weights(predictions: &[f64], temperature: f64) -> Vec<f64> {
    let top = predictions
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let raw: Vec<f64> = predictions
        .iter()
        .map(|&y| ((y - top) / temperature).exp())
        .map(|w| if w.is_finite() { w } else { 0.0 })
        .collect();
    let total: f64 = raw.iter().sum();
    if total > 0.0 {
        raw.into_iter().map(|w| w / total).collect()
    } else {
        vec![1.0 / predictions.len().max(1) as f64; predictions.len()]
    }
}

impl Greedy {
    /// A greedy-family policy.
    pub fn new(model: RidgeModel, exploration: Exploration) -> Self {
        Greedy { model, exploration }
    }

    fn weights(&self, predictions: &[f64]) -> Vec<f64> {
        match self.exploration {
            Exploration::EpsilonGreedy { epsilon } => epsilon_greedy_weights(predictions, epsilon),
            Exploration::SquareCb { gamma_scale } => {
                let gamma = gamma_scale * ((self.model.updates() as f64) + 1.0).sqrt();
                square_cb_weights(predictions, gamma)
            }
            Exploration::Softmax { temperature } => softmax_weights(predictions, temperature),
        }
    }
}

impl Policy for Greedy {
    fn name(&self) -> &'static str {
        match self.exploration {
            Exploration::EpsilonGreedy { .. } => "egreedy",
            Exploration::SquareCb { .. } => "squarecb",
            Exploration::Softmax { .. } => "softmax",
        }
    }

    fn model(&self) -> &RidgeModel {
        &self.model
    }

    fn choose(&self, arms: &Arms<'_>, limit: usize, rng: &mut impl RngCore) -> Slate {
        let estimates = arms.estimates(&self.model);
        let predictions = arms.boost(estimates.iter().map(|e| e.mean).collect());
        select_sequentially(arms.len(), limit, rng, |remaining, rng| {
            let local: Vec<f64> = remaining
                .iter()
                .map(|&i| predictions.get(i).copied().unwrap_or(f64::NAN))
                .collect();
            let weights = self.weights(&local);
            let position = draw_weighted(rng, &weights);
            let probability = weights.get(position).copied().unwrap_or(0.0);
            (
                position,
                local.get(position).copied().unwrap_or(0.0),
                probability,
            )
        })
        .with_estimates(&estimates)
    }

    fn exploration_width(&self, _variance: f64) -> f64 {
        0.0
    }

    fn update(&mut self, features: &KeyedFeatures, feedback: impl Into<Feedback>) {
        self.model.update(features, feedback);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_distribution(weights: &[f64]) {
        assert!(
            weights.iter().all(|&w| (0.0..=1.0).contains(&w)),
            "{weights:?}"
        );
        assert!(
            (weights.iter().sum::<f64>() - 1.0).abs() < 1e-12,
            "{weights:?}"
        );
    }

    #[test]
    fn epsilon_greedy_splits_the_greedy_mass_among_ties() {
        let w = epsilon_greedy_weights(&[1.0, 2.0, 2.0, 0.0], 0.2);
        assert_distribution(&w);
        assert!((w[1] - (0.4 + 0.05)).abs() < 1e-12 && (w[0] - 0.05).abs() < 1e-12);
    }

    #[test]
    fn square_cb_gives_the_best_the_rest_and_others_inverse_gaps() {
        let w = square_cb_weights(&[0.0, 1.0, 0.5], 10.0);
        assert_distribution(&w);
        assert!((w[0] - 1.0 / 13.0).abs() < 1e-12 && (w[2] - 1.0 / 8.0).abs() < 1e-12);
    }

    #[test]
    fn softmax_prefers_higher_predictions_and_survives_huge_gaps() {
        let w = softmax_weights(&[0.0, 1.0], 0.5);
        assert_distribution(&w);
        assert!(w[1] > w[0]);
        assert_distribution(&softmax_weights(&[0.0, 1e308, -1e308], 1e-3));
    }
}
