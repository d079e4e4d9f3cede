//! Simulated visitors reading a ranked front page: `cargo run --release --example visitors`.
//!
//! Prints, per visitor kind, the share of the top 3 held by the favourite after 3, 10 and 30
//! rounds, clicks per round, and how often a favourite that reached the top 3 later vanished
//! from it, for Hearth beside the server's order and the counting baseline, all on the same
//! visitors with the same luck. `--visitors N` (default 400), `--seed S` (default 1);
//! `--trace V` prints what stable visitor number V saw, round by round (`*` marks a favourite,
//! `[ ]` the story clicked).
//! The checks of `tests/visitors.rs` hold the same figures to the budgets with fixed seeds.
// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod sim;

use hearth_core::bandit::Params;
use sim::{simulate, Kind, Which};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn print_trace(v: u64, seed: u64) {
    let catalogue = sim::Catalogue::front_page();
    let trace = sim::trace(Which::Hearth(Params::default()), Kind::Stable, v, seed);
    for (round, (shown, clicked)) in trace.shown.iter().zip(&trace.click_positions).enumerate() {
        let cells: Vec<String> = shown
            .iter()
            .enumerate()
            .map(|(position, &(i, liked))| {
                let story = &catalogue.stories[i];
                let cell = format!("{}{}", story.tags[0], if liked { "*" } else { "" });
                if *clicked == Some(position) {
                    format!("[{cell}]")
                } else {
                    cell
                }
            })
            .collect();
        println!("round {round:2}: {}", cells.join(" "));
    }
}

/// Forgetting, judged on the visitors whose favourite changes: the default half-life beside
/// no forgetting and Hearth restarted at the change. Clicks per round and the new favourite's
/// top-3 share, over the rounds after the change.
fn drift(visitors: usize, seed: u64) {
    let d = Params::default();
    println!(
        "after the favourite changes (rounds {}–{}):",
        sim::CHANGE_AT,
        sim::ROUNDS - 1
    );
    println!("{:<36} {:>10} {:>12}", "ranker", "clicks/r", "top3 share");
    for (name, which) in [
        ("hearth (half-life 3 days)", Which::Hearth(d)),
        (
            "hearth, no forgetting",
            Which::Hearth(Params {
                half_life_days: 0.0,
                ..d
            }),
        ),
        ("hearth restarted at the change", Which::HearthRestarted(d)),
    ] {
        let traces: Vec<sim::Trace> = (0..visitors as u64)
            .map(|v| sim::trace(which, Kind::Changing, v, seed))
            .collect();
        let after = sim::ROUNDS - sim::CHANGE_AT;
        let n = (traces.len() * after) as f64;
        let clicks = traces
            .iter()
            .map(|t| t.clicked[sim::CHANGE_AT..].iter().filter(|c| **c).count())
            .sum::<usize>() as f64;
        let share = traces
            .iter()
            .map(|t| t.favourites_in_top3[sim::CHANGE_AT..].iter().sum::<usize>())
            .sum::<usize>() as f64
            / 3.0;
        println!("{name:<36} {:>10.3} {:>12.3}", clicks / n, share / n);
    }
}

fn main() {
    let visitors = arg("--visitors", 400) as usize;
    let seed = arg("--seed", 1);
    if std::env::args().any(|a| a == "--vanished") {
        for v in 0..visitors as u64 {
            if sim::trace(Which::Hearth(Params::default()), Kind::Stable, v, seed).vanished {
                println!("visitor {v}");
            }
        }
        return;
    }
    if std::env::args().any(|a| a == "--trace") {
        print_trace(arg("--trace", 0), seed);
        return;
    }
    println!(
        "{visitors} visitors per kind, {} rounds of {} stories, seed {seed}",
        sim::ROUNDS,
        sim::SHOWN
    );
    println!(
        "{:<32} {:<10} {:>6} {:>6} {:>6} {:>8} {:>9}",
        "visitors", "ranker", "top3@3", "@10", "@30", "clicks/r", "vanished"
    );
    for kind in Kind::ALL {
        for (name, which) in [
            ("server", Which::Server),
            ("counting", Which::Counting),
            ("hearth", Which::Hearth(Params::default())),
        ] {
            let f = simulate(which, kind, visitors, seed);
            println!(
                "{:<32} {:<10} {:>6.3} {:>6.3} {:>6.3} {:>8.3} {:>5}/{:<4}",
                kind.name(),
                name,
                f.share_top3[0],
                f.share_top3[1],
                f.share_top3[2],
                f.clicks_per_round,
                (f.vanished * f.reached as f64).round(),
                f.reached
            );
        }
    }
    println!();
    drift(visitors, seed);
}
