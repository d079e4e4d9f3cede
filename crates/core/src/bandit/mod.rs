//! Contextual bandits over one shared linear model of hashed joint features (the "ADF" form).
//!
//! [`features`] turns a (context, candidate) pair into hashed keys; [`feature_map`] gives
//! the keys collision-free slots as they are first rewarded; [`model`] is ridge regression
//! kept exact per block of that space (one block per tag or feature name); [`arms`] estimates
//! a decision's candidates against it, sharing the work they have in common; the policies —
//! [`linucb`], [`thompson`], [`greedy`] (ε-greedy, SquareCB, softmax) — score candidates,
//! choose a slate with the exact (or, for Thompson sampling, Monte-Carlo) probability of
//! every pick ([`slate`]), and learn from a reward with rank-one updates; [`snapshot`] exports and imports the model. Options
//! are validated once into [`ValidParams`], so nothing past that point can see a dimension
//! or a number it was not built for. Pure: randomness is a `&mut impl RngCore` argument,
//! time never enters, and nothing here touches storage or the browser.
//!
//! Defaults (see `examples/bandit_quality/` for the measurements behind them): LinUCB,
//! `α = 0.2`, `λ = 1`, 32 blocks of 80 slots (`d = 2,560`): 80 slots hold a full request
//! context (32 keys + 4 time terms + 32 affinities + intercept) per tag without collisions,
//! and digits' 64 pixels + intercept; 32 blocks bound the worst-case covariance to 1.6 MB.

pub mod arms;
pub mod feature_map;
pub mod features;
pub mod greedy;
pub mod linalg;
pub mod linucb;
pub mod model;
pub mod params;
pub mod slate;
pub mod snapshot;
pub mod thompson;

pub use arms::{Arms, Estimate};
pub use features::{
    joint_features, prepare_context, Context, Keyed, KeyedFeatures, Layout, PreparedContext,
};
pub use linalg::SparseVector;
pub use model::RidgeModel;
pub use params::{Params, ParamsError, PolicyKind, ValidParams};
pub use slate::{Pick, Slate};

use crate::time::Millis;
use rand_core::RngCore;

/// One observed reward for one item of a decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feedback {
    /// The reward, in reward units (a click is 1).
    pub reward: f64,
    /// How much it counts: 1 for a click or an explicit reward, less for the zeros read from
    /// what a visitor passed over, which are weaker evidence (a weighted least-squares step).
    pub weight: f64,
    /// When it was observed; with forgetting, older evidence counts less ([`Millis`] 0 means
    /// unknown, and forgets nothing).
    pub at: Millis,
}

impl From<f64> for Feedback {
    fn from(reward: f64) -> Self {
        Feedback::new(reward)
    }
}

impl Feedback {
    /// A reward of full weight at an unknown time (offline streams, tests).
    pub fn new(reward: f64) -> Self {
        Feedback {
            reward,
            weight: 1.0,
            at: Millis(0),
        }
    }

    /// `reward` observed at `at`, weighing `weight`.
    pub fn at(reward: f64, weight: f64, at: Millis) -> Self {
        Feedback { reward, weight, at }
    }
}

/// A bandit policy: choose a slate with the probability of each pick, learn from rewards.
pub trait Policy {
    /// The policy's name as logged with each decision (`"linucb"`, `"thompson"`, …).
    fn name(&self) -> &'static str;

    /// The linear model the policy explores around.
    fn model(&self) -> &RidgeModel;

    /// Orders at most `limit` of `arms` (boosts included), each pick with its probability
    /// given the picks before it.
    fn choose(&self, arms: &Arms<'_>, limit: usize, rng: &mut impl RngCore) -> Slate;

    /// How much of an item's score is exploration, for an item whose prediction has
    /// `variance`: LinUCB's bonus `α·√variance`, Thompson's one posterior sd, 0 for the
    /// greedy policies (which explore by chance, not by score).
    fn exploration_width(&self, variance: f64) -> f64;

    /// Learns that the item with `features` earned `feedback` (a rank-one update, no refit).
    fn update(&mut self, features: &KeyedFeatures, feedback: impl Into<Feedback>);
}

/// Any of the policies, chosen at run time from [`ValidParams`].
#[derive(Debug, Clone, PartialEq)]
pub enum AnyPolicy {
    /// Upper confidence bounds.
    LinUcb(linucb::LinUcb),
    /// Linear Thompson sampling.
    Thompson(thompson::Thompson),
    /// ε-greedy, SquareCB or softmax over the ridge prediction.
    Greedy(greedy::Greedy),
}

impl AnyPolicy {
    /// A fresh policy as `params` describe.
    pub fn new(params: &ValidParams) -> Self {
        Self::with_model(
            params,
            RidgeModel::new(params.layout(), params.ridge()).forgetting(params.half_life_ms()),
        )
    }

    /// A policy as `params` describe around an existing model (e.g. an imported prior).
    pub fn with_model(params: &ValidParams, model: RidgeModel) -> Self {
        match params.policy() {
            PolicyKind::LinUcb => AnyPolicy::LinUcb(linucb::LinUcb::new(model, params.alpha())),
            PolicyKind::Thompson => AnyPolicy::Thompson(thompson::Thompson::new(
                model,
                params.posterior_scale(),
                params.propensity_samples(),
            )),
            kind => AnyPolicy::Greedy(greedy::Greedy::new(
                model,
                greedy::Exploration::from_params(kind, params),
            )),
        }
    }
}

impl Policy for AnyPolicy {
    fn name(&self) -> &'static str {
        match self {
            AnyPolicy::LinUcb(p) => p.name(),
            AnyPolicy::Thompson(p) => p.name(),
            AnyPolicy::Greedy(p) => p.name(),
        }
    }

    fn model(&self) -> &RidgeModel {
        match self {
            AnyPolicy::LinUcb(p) => p.model(),
            AnyPolicy::Thompson(p) => p.model(),
            AnyPolicy::Greedy(p) => p.model(),
        }
    }

    fn choose(&self, arms: &Arms<'_>, limit: usize, rng: &mut impl RngCore) -> Slate {
        match self {
            AnyPolicy::LinUcb(p) => p.choose(arms, limit, rng),
            AnyPolicy::Thompson(p) => p.choose(arms, limit, rng),
            AnyPolicy::Greedy(p) => p.choose(arms, limit, rng),
        }
    }

    fn exploration_width(&self, variance: f64) -> f64 {
        match self {
            AnyPolicy::LinUcb(p) => p.exploration_width(variance),
            AnyPolicy::Thompson(p) => p.exploration_width(variance),
            AnyPolicy::Greedy(p) => p.exploration_width(variance),
        }
    }

    fn update(&mut self, features: &KeyedFeatures, feedback: impl Into<Feedback>) {
        let feedback = feedback.into();
        match self {
            AnyPolicy::LinUcb(p) => p.update(features, feedback),
            AnyPolicy::Thompson(p) => p.update(features, feedback),
            AnyPolicy::Greedy(p) => p.update(features, feedback),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Candidate;
    use rand_core::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    const KINDS: [PolicyKind; 5] = [
        PolicyKind::LinUcb,
        PolicyKind::Thompson,
        PolicyKind::EpsilonGreedy,
        PolicyKind::SquareCb,
        PolicyKind::Softmax,
    ];

    fn policy(kind: PolicyKind) -> AnyPolicy {
        let params = Params {
            policy: kind,
            blocks: 8,
            block_dim: 16,
            propensity_samples: 50,
            ..Params::default()
        };
        AnyPolicy::new(&params.validate().unwrap())
    }

    /// Candidates with 1–2 of 5 tags, in a context with one of 3 pages.
    fn decision(rng: &mut Xoshiro256PlusPlus, n: usize) -> (usize, Vec<KeyedFeatures>) {
        let page = slate::uniform_below(rng, 3);
        let context = prepare_context(&Context {
            values: vec![(
                "page".into(),
                crate::request::ContextValue::Text(format!("p{page}")),
            )],
            ..Context::default()
        });
        let candidates = (0..n).map(|i| Candidate {
            id: format!("c{i}"),
            tags: (0..1 + i % 2)
                .map(|k| format!("t{}", (i + k) % 5))
                .collect(),
            features: vec![("f".into(), slate::unit_interval(rng))],
            server_score: None,
        });
        (
            page,
            candidates.map(|c| joint_features(&context, &c)).collect(),
        )
    }

    #[test]
    fn every_policy_ranks_a_permutation_with_probabilities_in_zero_one() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        for kind in KINDS {
            let mut policy = policy(kind);
            for round in 0..60 {
                let n = 1 + round % 9;
                let (_, xs) = decision(&mut rng, n);
                let slate = policy.choose(&Arms::keyed(&xs), n, &mut rng);
                let mut order: Vec<usize> = slate.picks.iter().map(|p| p.index).collect();
                order.sort_unstable();
                assert_eq!(order, (0..n).collect::<Vec<_>>(), "{kind:?} round {round}");
                for pick in &slate.picks {
                    assert!(
                        pick.probability > 0.0 && pick.probability <= 1.0,
                        "{kind:?} {pick:?}"
                    );
                }
                assert_eq!(
                    slate.picks.last().map(|p| p.probability),
                    Some(1.0),
                    "last is forced"
                );
                let first = slate.picks[0].index;
                policy.update(&xs[first], slate::unit_interval(&mut rng));
            }
        }
    }

    #[test]
    fn seeded_runs_are_reproducible() {
        for kind in KINDS {
            let run = || {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(12);
                let mut policy = policy(kind);
                let mut picks = Vec::new();
                for _ in 0..40 {
                    let (_, xs) = decision(&mut rng, 6);
                    let slate = policy.choose(&Arms::keyed(&xs), 3, &mut rng);
                    policy.update(&xs[slate.picks[0].index], 1.0);
                    picks.push(slate);
                }
                (picks, policy)
            };
            assert_eq!(run(), run(), "{kind:?}");
        }
    }

    #[test]
    fn linucb_clearly_beats_random_within_a_few_hundred_rounds() {
        // Reward 1 when the first tag matches the page (t0 on p0, t1 on p1, t2 on p2).
        let reward = |page: usize, i: usize| if i % 5 == page { 1.0 } else { 0.0 };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(13);
        let mut linucb = policy(PolicyKind::LinUcb);
        let (mut learned, mut random) = (0.0, 0.0);
        for _ in 0..400 {
            let (page, xs) = decision(&mut rng, 5);
            let pick = linucb.choose(&Arms::keyed(&xs), 1, &mut rng).picks[0].index;
            learned += reward(page, pick);
            random += reward(page, slate::uniform_below(&mut rng, 5));
            linucb.update(&xs[pick], reward(page, pick));
        }
        assert!(
            learned > 2.5 * random,
            "linucb {learned} vs random {random}"
        );
    }
}

/// Helpers shared by the policies' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Keyed, KeyedFeatures};

    /// A candidate that is only the indicator of key `i` in group 0.
    pub fn one_hot(i: u32) -> KeyedFeatures {
        KeyedFeatures::new(vec![Keyed {
            group: 0,
            key: i,
            value: 1.0,
        }])
    }
}
