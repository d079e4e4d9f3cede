//! A simulator with known linear rewards: drifting tag preferences, a changing candidate pool.
//!
//! Items carry 2 of 20 tags and 3 numeric features; the context is a device class, a page
//! type, the hour and 4 tag affinities. The true mean reward is a fixed linear function of the
//! same crossings Hearth hashes (context × tag, affinity × tag, features), plus Gaussian noise
//! (sd 0.1). Every 1,000 rounds a third of the tag preferences are redrawn; every round one
//! pool item (of 200) is replaced. Each round shows 20 random pool items and the policy picks
//! 1; the row reports the share of the achievable gain realised:
//! (picked − random) / (oracle − random) in true mean reward, so random is 0 and the oracle 1.

use super::{Config, Run};
use hearth_core::bandit::slate::{uniform_below, unit_interval};
use hearth_core::bandit::thompson::normal_pair;
use hearth_core::bandit::{joint_features, prepare_context, AnyPolicy, Arms, Context, Policy};
use hearth_core::request::Candidate;
use hearth_core::request::ContextValue;
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;

const ROUNDS: usize = 5000;
const TAGS: usize = 20;
const POOL: usize = 200;
const SHOWN: usize = 20;
const DEVICES: usize = 3;
const PAGES: usize = 4;
const DRIFT_EVERY: usize = 1000;
const NOISE_SD: f64 = 0.1;

struct World {
    /// preference[device * PAGES + page][tag]
    preference: Vec<Vec<f64>>,
    feature_weights: [f64; 3],
    pool: Vec<(Candidate, Vec<usize>, [f64; 3])>,
}

fn normal(rng: &mut impl RngCore) -> f64 {
    normal_pair(rng).0
}

fn item(rng: &mut impl RngCore, id: usize) -> (Candidate, Vec<usize>, [f64; 3]) {
    let a = uniform_below(rng, TAGS);
    let b = (a + 1 + uniform_below(rng, TAGS - 1)) % TAGS;
    let f = [unit_interval(rng), unit_interval(rng), unit_interval(rng)];
    let candidate = Candidate {
        id: format!("item{id}"),
        tags: vec![format!("t{a}"), format!("t{b}")],
        features: (0..3).map(|k| (format!("f{k}").into(), f[k])).collect(),
        server_score: None,
    };
    (candidate, vec![a, b], f)
}

impl World {
    fn new(rng: &mut impl RngCore) -> World {
        let preference = (0..DEVICES * PAGES)
            .map(|_| (0..TAGS).map(|_| 0.3 * normal(rng)).collect())
            .collect();
        let pool = (0..POOL).map(|i| item(rng, i)).collect();
        World {
            preference,
            feature_weights: [0.2, -0.1, 0.05],
            pool,
        }
    }

    fn drift(&mut self, rng: &mut impl RngCore) {
        for row in &mut self.preference {
            for p in row.iter_mut() {
                if uniform_below(rng, 3) == 0 {
                    *p = 0.3 * normal(rng);
                }
            }
        }
    }

    fn mean_reward(
        &self,
        cell: usize,
        affinity: &[f64],
        (_, tags, f): &(Candidate, Vec<usize>, [f64; 3]),
    ) -> f64 {
        let taste: f64 = tags
            .iter()
            .map(|&t| self.preference[cell][t] + 0.5 * affinity[t])
            .sum();
        taste
            + f.iter()
                .zip(self.feature_weights)
                .map(|(x, w)| x * w)
                .sum::<f64>()
    }
}

fn run(config: &Config, seed: u64) -> Run {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1000 + seed);
    let mut world = World::new(&mut rng);
    let mut policy = config
        .params
        .map(|p| AnyPolicy::new(&p.validate().expect("valid config")));
    let (mut got, mut best, mut average) = (0.0, 0.0, 0.0);
    let (mut decide, mut update) = (0.0, 0.0);
    for round in 0..ROUNDS {
        if round > 0 && round % DRIFT_EVERY == 0 {
            world.drift(&mut rng);
        }
        let replaced = uniform_below(&mut rng, POOL);
        world.pool[replaced] = item(&mut rng, POOL + round);
        let (device, page) = (
            uniform_below(&mut rng, DEVICES),
            uniform_below(&mut rng, PAGES),
        );
        let affinity: Vec<f64> = (0..TAGS)
            .map(|_| {
                if uniform_below(&mut rng, 5) == 0 {
                    unit_interval(&mut rng)
                } else {
                    0.0
                }
            })
            .collect();
        let shown: Vec<usize> = (0..SHOWN).map(|_| uniform_below(&mut rng, POOL)).collect();
        let means: Vec<f64> = shown
            .iter()
            .map(|&i| world.mean_reward(device * PAGES + page, &affinity, &world.pool[i]))
            .collect();
        let context = Context {
            values: vec![
                ("device".into(), ContextValue::Text(format!("d{device}"))),
                ("page".into(), ContextValue::Text(format!("p{page}"))),
            ],
            hour_of_day: Some(unit_interval(&mut rng) * 24.0),
            weekday: None,
            affinities: affinity
                .iter()
                .enumerate()
                .filter(|(_, a)| **a > 0.0)
                .map(|(t, a)| (format!("t{t}"), *a))
                .collect(),
            ..Context::default()
        };
        let start = Instant::now();
        let (pick, x) = match &policy {
            None => (uniform_below(&mut rng, SHOWN), None),
            Some(p) => {
                let prepared = prepare_context(&context);
                let arms: Vec<&Candidate> = shown.iter().map(|&i| &world.pool[i].0).collect();
                let pick = p
                    .choose(&Arms::candidates(&prepared, &arms), 1, &mut rng)
                    .picks[0]
                    .index;
                (pick, arms.get(pick).map(|c| joint_features(&prepared, c)))
            }
        };
        decide += start.elapsed().as_secs_f64();
        got += means[pick];
        best += means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        average += means.iter().sum::<f64>() / SHOWN as f64;
        let reward = means[pick] + NOISE_SD * normal(&mut rng);
        let start = Instant::now();
        if let (Some(p), Some(x)) = (policy.as_mut(), x) {
            p.update(&x, reward);
        }
        update += start.elapsed().as_secs_f64();
    }
    let n = ROUNDS as f64;
    Run {
        reward: (got - average) / (best - average),
        decide_us: decide / n * 1e6,
        update_us: update / n * 1e6,
    }
}

/// Ten seeds.
pub fn run_all(config: &Config) -> Vec<Run> {
    (0..10).map(|seed| run(config, seed)).collect()
}
