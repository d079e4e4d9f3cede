//! scikit-learn digits as a contextual bandit, on the shuffles scripts/bandit/digits.py wrote.

use super::{Config, Run};
use hearth_core::bandit::{
    joint_features, prepare_context, AnyPolicy, Arms, Context, KeyedFeatures, Policy,
};
use hearth_core::request::Candidate;
use hearth_core::request::ContextValue;
use rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;

const DATA_DIR: &str = "target/bandit";
const CLASSES: usize = 10;

/// Labels, pixel rows and the stream orders.
pub struct Digits {
    /// Each image's class.
    pub labels: Vec<usize>,
    /// Each image's 64 pixels, 0–1.
    pub pixels: Vec<Vec<f64>>,
    /// The stream orders, one per shuffle.
    pub orders: Vec<Vec<usize>>,
}

fn numbers(line: &str) -> Result<Vec<f64>, String> {
    line.split(',')
        .map(|s| s.trim().parse::<f64>().map_err(|e| e.to_string()))
        .collect()
}

/// Reads target/bandit/digits.csv and digits_shuffles.csv, or explains how to make them.
pub fn load() -> Result<Digits, String> {
    let read = |name: &str| {
        std::fs::read_to_string(format!("{DATA_DIR}/{name}")).map_err(|_| {
            format!("{DATA_DIR}/{name} is missing: run `python3 scripts/bandit/digits.py` (needs `pip install scikit-learn`), then rerun; skipping the digits table")
        })
    };
    let (mut labels, mut pixels) = (Vec::new(), Vec::new());
    for line in read("digits.csv")?.lines().filter(|l| !l.is_empty()) {
        let row = numbers(line)?;
        labels.push(row[0] as usize);
        pixels.push(row[1..].iter().map(|p| p / 16.0).collect());
    }
    let orders = read("digits_shuffles.csv")?
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| numbers(l).map(|r| r.into_iter().map(|i| i as usize).collect()))
        .collect::<Result<_, _>>()?;
    Ok(Digits {
        labels,
        pixels,
        orders,
    })
}

/// How the ten actions are described to Hearth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posing {
    /// Each class a candidate with the tag `digit:k`.
    Tags,
    /// Each class a candidate carrying only its id.
    Ids,
}

/// The ten digit classes as Hearth candidates.
pub fn candidates(posing: Posing) -> Vec<Candidate> {
    (0..CLASSES)
        .map(|k| Candidate {
            id: k.to_string(),
            tags: match posing {
                Posing::Tags => vec![format!("digit:{k}")],
                Posing::Ids => Vec::new(),
            },
            features: Vec::new(),
            server_score: None,
        })
        .collect()
}

/// The 64 pixels as numeric context `p0`…`p63`.
pub fn context(pixels: &[f64]) -> Context {
    let values = pixels
        .iter()
        .enumerate()
        .map(|(i, &p)| (format!("p{i}"), ContextValue::Number(p)));
    Context {
        values: values.collect(),
        ..Context::default()
    }
}

fn run(data: &Digits, config: &Config, seed: u64, posing: Posing) -> Run {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let items = candidates(posing);
    let mut policy = config
        .params
        .map(|p| AnyPolicy::new(&p.validate().expect("valid config")));
    let (mut total, mut decide, mut update) = (0.0, 0.0, 0.0);
    let order = &data.orders[seed as usize];
    for &i in order {
        let contexts = context(&data.pixels[i]);
        let start = Instant::now();
        let (chosen, features): (usize, Option<KeyedFeatures>) = match &policy {
            None => (
                hearth_core::bandit::slate::uniform_below(&mut rng, CLASSES),
                None,
            ),
            Some(p) => {
                let prepared = prepare_context(&contexts);
                let arms: Vec<&Candidate> = items.iter().collect();
                let pick = p
                    .choose(&Arms::candidates(&prepared, &arms), 1, &mut rng)
                    .picks[0]
                    .index;
                (pick, items.get(pick).map(|c| joint_features(&prepared, c)))
            }
        };
        decide += start.elapsed().as_secs_f64();
        let reward = if chosen == data.labels[i] { 1.0 } else { 0.0 };
        total += reward;
        let start = Instant::now();
        if let (Some(p), Some(x)) = (policy.as_mut(), features) {
            p.update(&x, reward);
        }
        update += start.elapsed().as_secs_f64();
    }
    let n = order.len() as f64;
    Run {
        reward: total / n,
        decide_us: decide / n * 1e6,
        update_us: update / n * 1e6,
    }
}

/// One pass per shuffle.
pub fn run_all(data: &Digits, config: &Config, posing: Posing) -> Vec<Run> {
    (0..data.orders.len() as u64)
        .map(|seed| run(data, config, seed, posing))
        .collect()
}
