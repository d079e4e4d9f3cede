//! (c) Costs at the default configuration, measured in quiet loops rather than inside the
//! benchmark streams, and the accuracy of Thompson sampling's Monte-Carlo propensities.

use super::digits;
use hearth_core::bandit::slate::{uniform_below, unit_interval};
use hearth_core::bandit::{
    joint_features, prepare_context, AnyPolicy, Arms, Context, KeyedFeatures, Params, Policy,
    PolicyKind, PreparedContext,
};
use hearth_core::request::Candidate;
use hearth_core::request::ContextValue;
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;

const WARMUP_UPDATES: usize = 2_000;
const TIMED_UPDATES: usize = 20_000;
const SCORED_CANDIDATES: usize = 100;
const REFERENCE_DRAWS: usize = 20_000;
const CHECKED_DECISIONS: usize = 300;

fn digit_features(rng: &mut impl RngCore) -> Vec<KeyedFeatures> {
    let pixels: Vec<f64> = (0..64)
        .map(|_| (unit_interval(rng) * 17.0).floor() / 16.0)
        .collect();
    let prepared = prepare_context(&digits::context(&pixels));
    digits::candidates(digits::Posing::Tags)
        .iter()
        .map(|c| joint_features(&prepared, c))
        .collect()
}

/// A site-like decision: a context and `candidates` items with 2 tags, `numeric` features
/// and a server score each.
fn site_decision(
    rng: &mut impl RngCore,
    candidates: usize,
    numeric: usize,
) -> (PreparedContext, Vec<Candidate>) {
    let context = Context {
        values: vec![
            (
                "device".into(),
                ContextValue::Text(format!("d{}", uniform_below(rng, 3))),
            ),
            (
                "page".into(),
                ContextValue::Text(format!("p{}", uniform_below(rng, 4))),
            ),
            (
                "returning".into(),
                ContextValue::Flag(uniform_below(rng, 2) == 0),
            ),
        ],
        hour_of_day: Some(unit_interval(rng) * 24.0),
        weekday: Some(uniform_below(rng, 7) as f64),
        affinities: (0..4)
            .map(|_| (format!("t{}", uniform_below(rng, 20)), unit_interval(rng)))
            .collect(),
        ..Context::default()
    };
    let items = (0..candidates)
        .map(|i| Candidate {
            id: format!("c{i}"),
            tags: vec![
                format!("t{}", uniform_below(rng, 20)),
                format!("t{}", uniform_below(rng, 20)),
            ],
            features: (0..numeric)
                .map(|k| (format!("f{k}").into(), unit_interval(rng)))
                .collect(),
            server_score: Some(unit_interval(rng)),
        })
        .collect();
    (prepare_context(&context), items)
}

fn site_features(rng: &mut impl RngCore, candidates: usize, numeric: usize) -> Vec<KeyedFeatures> {
    let (context, items) = site_decision(rng, candidates, numeric);
    items.iter().map(|c| joint_features(&context, c)).collect()
}

/// Mean µs of `update` after a warm-up, on vectors drawn by `make`.
fn update_cost(make: &mut dyn FnMut(&mut Xoshiro256PlusPlus) -> KeyedFeatures) -> f64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let mut policy = AnyPolicy::new(&Params::default().validate().expect("defaults are valid"));
    let vectors: Vec<KeyedFeatures> = (0..WARMUP_UPDATES + TIMED_UPDATES)
        .map(|_| make(&mut rng))
        .collect();
    for x in &vectors[..WARMUP_UPDATES] {
        policy.update(x, unit_interval(&mut rng));
    }
    let start = Instant::now();
    for x in &vectors[WARMUP_UPDATES..] {
        policy.update(x, 1.0);
    }
    start.elapsed().as_secs_f64() / TIMED_UPDATES as f64 * 1e6
}

/// Mean µs per candidate of a LinUCB decision over `SCORED_CANDIDATES` site-like candidates
/// with `numeric` numeric features each: (building joint features, scoring and choosing from
/// them, scoring and choosing from the candidates as the SDK does).
fn scoring_cost(numeric: usize) -> (f64, f64, f64) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
    let mut policy = AnyPolicy::new(&Params::default().validate().expect("defaults are valid"));
    for _ in 0..WARMUP_UPDATES {
        let x = site_features(&mut rng, 1, numeric).remove(0);
        policy.update(&x, unit_interval(&mut rng));
    }
    let rounds = 200;
    let (mut build, mut choose_keyed, mut choose_candidates) = (0.0, 0.0, 0.0);
    for _ in 0..rounds {
        let (context, items) = site_decision(&mut rng, SCORED_CANDIDATES, numeric);
        let start = Instant::now();
        let xs: Vec<KeyedFeatures> = items.iter().map(|c| joint_features(&context, c)).collect();
        build += start.elapsed().as_secs_f64();
        let start = Instant::now();
        let keyed = policy.choose(&Arms::keyed(&xs), 10, &mut rng);
        choose_keyed += start.elapsed().as_secs_f64();
        let candidates: Vec<&Candidate> = items.iter().collect();
        let start = Instant::now();
        let direct = policy.choose(&Arms::candidates(&context, &candidates), 10, &mut rng);
        choose_candidates += start.elapsed().as_secs_f64();
        assert_eq!(keyed.picks.len(), 10);
        assert_eq!(direct.picks.len(), 10);
    }
    let per = (rounds * SCORED_CANDIDATES) as f64 / 1e6;
    (build / per, choose_keyed / per, choose_candidates / per)
}

/// Thompson's reported position-1 probability against the pick frequency over many draws.
fn thompson_accuracy() -> (f64, f64, u32) {
    let params = Params {
        policy: PolicyKind::Thompson,
        ..Params::default()
    };
    let samples = params.propensity_samples;
    let mut policy = AnyPolicy::new(&params.validate().expect("valid"));
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
    for _ in 0..300 {
        let xs = digit_features(&mut rng);
        let k = uniform_below(&mut rng, xs.len());
        policy.update(
            &xs[k],
            if uniform_below(&mut rng, 3) == 0 {
                1.0
            } else {
                0.0
            },
        );
    }
    let xs = digit_features(&mut rng);
    let cheap = match &policy {
        AnyPolicy::Thompson(_) => AnyPolicy::with_model(
            &Params {
                propensity_samples: 1,
                ..params
            }
            .validate()
            .expect("valid"),
            policy.model().clone(),
        ),
        other => other.clone(),
    };
    let mut truth = vec![0.0; xs.len()];
    for _ in 0..REFERENCE_DRAWS {
        truth[cheap.choose(&Arms::keyed(&xs), 1, &mut rng).picks[0].index] +=
            1.0 / REFERENCE_DRAWS as f64;
    }
    let errors: Vec<f64> = (0..CHECKED_DECISIONS)
        .map(|_| {
            let pick = policy.choose(&Arms::keyed(&xs), 1, &mut rng).picks[0];
            (pick.probability - truth[pick.index]).abs()
        })
        .collect();
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    (mean, errors.iter().copied().fold(0.0, f64::max), samples)
}

/// Prints section (c).
pub fn report_costs() {
    println!("\n(c) costs at the default configuration (native, release; one quiet loop each)");
    let mut digit = |rng: &mut Xoshiro256PlusPlus| {
        let mut xs = digit_features(rng);
        xs.swap_remove(uniform_below(rng, 10))
    };
    println!(
        "update, digits-like (1 block, 65 keys)      {:8.2} µs",
        update_cost(&mut digit)
    );
    let mut site = |rng: &mut Xoshiro256PlusPlus| site_features(rng, 1, 3).remove(0);
    println!(
        "update, site-like (2 tags + 3 features)     {:8.2} µs",
        update_cost(&mut site)
    );
    for numeric in [3, 64] {
        let (build, keyed, direct) = scoring_cost(numeric);
        println!("2 tags + {numeric:2} features, per candidate (100, top 10):");
        println!("  joint features built                     {build:8.2} µs");
        println!("  LinUCB score+choose from joint features  {keyed:8.2} µs");
        println!("  LinUCB score+choose from candidates (SDK){direct:8.2} µs");
    }
    let (mean, max, samples) = thompson_accuracy();
    println!("Thompson propensity, {samples} draws: mean |error| {mean:.4}, max {max:.4} (vs {REFERENCE_DRAWS} picks)");
}
