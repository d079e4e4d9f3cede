//! Quality and speed of Hearth's bandit policies: `cargo run --release --example bandit_quality`.
//!
//! (a) scikit-learn digits as a contextual bandit, the Bietti–Agarwal–Langford bake-off
//! protocol: 10 actions, reward 1 when the chosen action is the label, progressive average
//! reward over one pass, 10 shuffles, mean ± sd. Each action is a Hearth candidate (id = the
//! class, tag `digit:k`; a last row poses them by id alone), the 64 pixels (scaled to 0–1) are
//! numeric context, and the model sees the joint features Hearth builds (context × candidate). Data: run
//! `python3 scripts/bandit/digits.py` first. (b) A simulator with known linear rewards,
//! noise, drifting preferences and a changing candidate pool. Timings are per decision (feature
//! construction + choosing, all candidates) and per `update` (one reward).
//! (d) Drifting interests: the same digits on a clock (one decision an hour) with the labels
//! permuted halfway, the default forgetting against no forgetting and a LinUCB restarted at the
//! drift. Flags: `--quick` runs only the default configuration; `--costs` only section (c), the
//! costs at the default; `--grid` the α × ridge sensitivity grid around the default;
//! `--only TEXT` the rows whose name contains TEXT.
// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod digits;
mod drift;
mod simulator;
mod timing;

use hearth_core::bandit::{Params, PolicyKind};

/// A named configuration.
pub struct Config {
    /// Row label.
    pub name: String,
    /// Parameters; `None` means uniform random choice.
    pub params: Option<Params>,
}

/// Per-run outcome.
#[derive(Clone, Copy, Default)]
pub struct Run {
    /// Progressive average reward (or reward relative to the oracle).
    pub reward: f64,
    /// Mean microseconds per decision.
    pub decide_us: f64,
    /// Mean microseconds per update.
    pub update_us: f64,
}

fn config(name: &str, params: Params) -> Config {
    Config {
        name: name.into(),
        params: Some(params),
    }
}

fn configs(quick: bool) -> Vec<Config> {
    let d = Params::default();
    let mut list = vec![
        Config {
            name: "uniform random".into(),
            params: None,
        },
        config("DEFAULT linucb a=0.2 ridge=1 32x80", d),
    ];
    if quick {
        return list;
    }
    let kind = |policy| Params { policy, ..d };
    list.extend([
        config("linucb a=0.05", Params { alpha: 0.05, ..d }),
        config("linucb a=0.5", Params { alpha: 0.5, ..d }),
        config("linucb a=1.0", Params { alpha: 1.0, ..d }),
        config("linucb ridge=0.5", Params { ridge: 0.5, ..d }),
        config("linucb ridge=2", Params { ridge: 2.0, ..d }),
        config(
            "linucb 2x256 (one full 256 cov)",
            Params {
                blocks: 2,
                block_dim: 256,
                ..d
            },
        ),
        config(
            "linucb 2x128 (one full 128 cov)",
            Params {
                blocks: 2,
                block_dim: 128,
                ..d
            },
        ),
        config("linucb 32x64 (slots < keys)", Params { block_dim: 64, ..d }),
        config("linucb 32x32 (slots < keys)", Params { block_dim: 32, ..d }),
        config(
            "linucb 32x128",
            Params {
                block_dim: 128,
                ..d
            },
        ),
        config("linucb 8x80 (blocks < tags)", Params { blocks: 8, ..d }),
        config("thompson v=0.1 (100 MC draws)", kind(PolicyKind::Thompson)),
        config(
            "thompson v=0.05",
            Params {
                posterior_scale: 0.05,
                ..kind(PolicyKind::Thompson)
            },
        ),
        config("egreedy e=0.02", kind(PolicyKind::EpsilonGreedy)),
        config(
            "egreedy e=0.1",
            Params {
                epsilon: 0.1,
                ..kind(PolicyKind::EpsilonGreedy)
            },
        ),
        config("squarecb g=50", kind(PolicyKind::SquareCb)),
        config(
            "squarecb g=10",
            Params {
                gamma_scale: 10.0,
                ..kind(PolicyKind::SquareCb)
            },
        ),
        config("softmax t=0.05", kind(PolicyKind::Softmax)),
    ]);
    list
}

/// Mean and sample standard deviation.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// Prints one table row from the runs of a configuration.
pub fn report(name: &str, runs: &[Run]) {
    let (mean, sd) = mean_sd(&runs.iter().map(|r| r.reward).collect::<Vec<_>>());
    let decide = mean_sd(&runs.iter().map(|r| r.decide_us).collect::<Vec<_>>()).0;
    let update = mean_sd(&runs.iter().map(|r| r.update_us).collect::<Vec<_>>()).0;
    println!("{name:34} {mean:6.3} {sd:6.3} {decide:10.1} {update:10.1}");
}

fn header(title: &str) {
    println!("\n{title}");
    println!(
        "{:34} {:>6} {:>6} {:>10} {:>10}",
        "policy / config", "mean", "sd", "µs/decide", "µs/update"
    );
}

fn main() {
    if std::env::args().any(|a| a == "--costs") {
        timing::report_costs();
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let only = std::env::args().skip_while(|a| a != "--only").nth(1);
    let mut configs = configs(quick);
    if let Some(only) = only {
        configs.retain(|c| c.name.contains(only.as_str()));
    }
    match digits::load() {
        Ok(data) => {
            header("(a) digits: progressive reward, 1 pass, 10 shuffles");
            for config in &configs {
                report(
                    &config.name,
                    &digits::run_all(&data, config, digits::Posing::Tags),
                );
            }
            if let Some(default) = configs.iter().find(|c| c.name.starts_with("DEFAULT")) {
                report(
                    "DEFAULT, actions known by id only",
                    &digits::run_all(&data, default, digits::Posing::Ids),
                );
            }
            println!("\n(d) drift: digits one decision an hour, labels permuted halfway; reward after the drift");
            let d = Params::default();
            for (name, learner) in [
                ("DEFAULT (half-life 3 days)", drift::Learner::Hearth(d)),
                (
                    "half-life 1 day",
                    drift::Learner::Hearth(Params {
                        half_life_days: 1.0,
                        ..d
                    }),
                ),
                (
                    "half-life 7 days",
                    drift::Learner::Hearth(Params {
                        half_life_days: 7.0,
                        ..d
                    }),
                ),
                (
                    "no forgetting",
                    drift::Learner::Hearth(Params {
                        half_life_days: 0.0,
                        ..d
                    }),
                ),
                ("LinUCB restarted at the drift", drift::Learner::Restarted),
            ] {
                let (mean, sd) = drift::run_all(&data, learner);
                println!("{name:34} {mean:6.3} {sd:6.3}");
            }
        }
        Err(message) => eprintln!("{message}"),
    }
    if !quick {
        timing::report_costs();
    }
    header("(b) simulator: share of oracle gain over random, 5,000 rounds, 10 seeds");
    for config in &configs {
        report(&config.name, &simulator::run_all(config));
    }
}
