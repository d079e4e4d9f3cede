//! Drifting interests: digits as a bandit on a clock, one decision an hour, whose labels are
//! permuted halfway (class k then rewards action k + 3 mod 10): what the model learned first
//! becomes wrong at once. Reported over the second half: Hearth with its default forgetting
//! (a half-life of 3 days), without forgetting, and a LinUCB restarted at the drift (a fresh
//! model from the drift on, the best one can do without knowing when it comes).

use super::digits::{candidates, context, Digits, Posing};
use hearth_core::bandit::{
    joint_features, prepare_context, AnyPolicy, Arms, Feedback, Params, Policy,
};
use hearth_core::request::Candidate;
use hearth_core::time::Millis;
use rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

const HOUR_MS: u64 = 3_600_000;
const SHIFT: usize = 3;

/// How the learner meets the drift.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Learner {
    /// Hearth as configured (its half-life decides the forgetting).
    Hearth(Params),
    /// A fresh default model at the drift, never forgetting.
    Restarted,
}

/// Progressive reward over the rounds after the drift, for one shuffle.
fn after_drift(data: &Digits, seed: u64, learner: Learner) -> f64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let items = candidates(Posing::Tags);
    let arms: Vec<&Candidate> = items.iter().collect();
    let params = match learner {
        Learner::Hearth(params) => params,
        Learner::Restarted => Params {
            half_life_days: 0.0,
            ..Params::default()
        },
    };
    let valid = params.validate().expect("valid parameters");
    let mut policy = AnyPolicy::new(&valid);
    let order = &data.orders[seed as usize];
    let drift_at = order.len() / 2;
    let mut total = 0.0;
    for (round, &i) in order.iter().enumerate() {
        if round == drift_at && learner == Learner::Restarted {
            policy = AnyPolicy::new(&valid);
        }
        let label = if round < drift_at {
            data.labels[i]
        } else {
            (data.labels[i] + SHIFT) % items.len()
        };
        let prepared = prepare_context(&context(&data.pixels[i]));
        let slate = policy.choose(&Arms::candidates(&prepared, &arms), 1, &mut rng);
        let chosen = slate.picks[0].index;
        let reward = if chosen == label { 1.0 } else { 0.0 };
        if round >= drift_at {
            total += reward;
        }
        let at = Millis(1_000_000 + round as u64 * HOUR_MS);
        policy.update(
            &joint_features(&prepared, &items[chosen]),
            Feedback::at(reward, 1.0, at),
        );
    }
    total / (order.len() - drift_at) as f64
}

/// Mean and sd over the shuffles.
pub fn run_all(data: &Digits, learner: Learner) -> (f64, f64) {
    let runs: Vec<f64> = (0..data.orders.len() as u64)
        .map(|seed| after_drift(data, seed, learner))
        .collect();
    super::mean_sd(&runs)
}
