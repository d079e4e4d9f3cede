#!/usr/bin/env python3
"""Writes scikit-learn's digits (1,797 8x8 images, 10 classes) to target/bandit/digits.csv.

One row per image: the label, then the 64 pixel intensities (integers 0-16), no header.
Beside it, digits_shuffles.csv holds the 10 stream orders (one row per shuffle, seeds 0-9 of
numpy's default_rng), so the Rust benchmark and the Vowpal Wabbit baseline see identical
streams. `cargo run --release --example bandit_quality` and scripts/bandit/vw_baseline.py
read both.
Needs scikit-learn (`pip install scikit-learn`); the file is not committed.
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_digits

SHUFFLES = 10
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "target", "bandit", "digits.csv")


def main() -> int:
    digits = load_digits()
    path = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="ascii") as out:
        for label, pixels in zip(digits.target, digits.data):
            out.write(",".join([str(int(label))] + [str(int(p)) for p in pixels]) + "\n")
    shuffles = os.path.join(os.path.dirname(path), "digits_shuffles.csv")
    with open(shuffles, "w", encoding="ascii") as out:
        for seed in range(SHUFFLES):
            order = np.random.default_rng(seed).permutation(len(digits.target))
            out.write(",".join(str(int(i)) for i in order) + "\n")
    print(f"wrote {len(digits.target)} rows to {path} and {SHUFFLES} orders to {shuffles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
