#!/usr/bin/env python3
"""Vowpal Wabbit `--cb_explore_adf` on scikit-learn digits as a contextual bandit.

The Bietti-Agarwal-Langford bake-off protocol, on the same streams as
`cargo run --release --example bandit_quality`: 10 actions (one per digit), the 64 pixels
(scaled to 0-1) as shared context, reward 1 when the chosen action is the label; the action is
sampled from VW's pmf, VW learns from (action, cost = -reward, probability); progressive
average reward over one pass, 10 shuffles (target/bandit/digits_shuffles.csv), mean ± sd.

Run scripts/bandit/digits.py first. Needs `pip install vowpalwabbit` (tested with 9.11).
Timings include the Python binding's text parsing, so they overstate VW's own cost.
"""
import os
import random
import statistics
import sys
import time

from vowpalwabbit import Workspace

HERE = os.path.dirname(__file__)
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "target", "bandit"))

CONFIGS = [
    "--epsilon 0.05",
    "--epsilon 0.05 -q sa",
    "--epsilon 0.02 -q sa -l 0.5",
    "--squarecb",
    "--squarecb -q sa",
    "--squarecb -q sa -l 0.5",
    "--bag 5",
    "--bag 5 -q sa",
    "--cover 3",
    "--cover 3 -q sa",
    "--cover 3 -q sa -l 0.5",
    "--first 20 -q sa",
]


def load():
    path = os.path.join(DATA, "digits.csv")
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: run `python3 scripts/bandit/digits.py` first")
    rows = [line.strip().split(",") for line in open(path, encoding="ascii") if line.strip()]
    labels = [int(r[0]) for r in rows]
    shared = [
        "shared |s " + " ".join(f"p{i}:{int(v) / 16:.4f}" for i, v in enumerate(r[1:]) if v != "0")
        for r in rows
    ]
    orders = [
        [int(i) for i in line.split(",")]
        for line in open(os.path.join(DATA, "digits_shuffles.csv"), encoding="ascii")
        if line.strip()
    ]
    return labels, shared, orders


def lines(shared, chosen=None):
    out = [shared]
    for a in range(10):
        label = f"0:{chosen[1]}:{chosen[2]} " if chosen and chosen[0] == a else ""
        out.append(f"{label}|a d{a}")
    return out


def run(config, labels, shared, order, seed):
    vw = Workspace(f"--cb_explore_adf --quiet --random_seed {seed} {config}")
    rng = random.Random(seed)
    total, predict_s, learn_s = 0.0, 0.0, 0.0
    for i in order:
        start = time.perf_counter()
        pmf = vw.predict(lines(shared[i]))
        action = rng.choices(range(10), weights=pmf)[0]
        predict_s += time.perf_counter() - start
        reward = 1.0 if action == labels[i] else 0.0
        start = time.perf_counter()
        vw.learn(lines(shared[i], (action, -reward, pmf[action])))
        learn_s += time.perf_counter() - start
        total += reward
    vw.finish()
    n = len(order)
    return total / n, predict_s / n * 1e6, learn_s / n * 1e6


def main():
    labels, shared, orders = load()
    print(f"{'VW --cb_explore_adf config':34} {'mean':>6} {'sd':>6} {'µs/decide':>10} {'µs/update':>10}")
    for config in CONFIGS:
        results = [run(config, labels, shared, order, seed) for seed, order in enumerate(orders)]
        rewards = [r[0] for r in results]
        print(
            f"{config:34} {statistics.mean(rewards):6.3f} {statistics.stdev(rewards):6.3f} "
            f"{statistics.mean(r[1] for r in results):10.1f} "
            f"{statistics.mean(r[2] for r in results):10.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
