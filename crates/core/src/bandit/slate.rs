//! Slates with exact propensities: sequential selection without replacement.
//!
//! Every policy fills position 1, then 2, …, each time choosing among the candidates not yet
//! placed. The probability logged for position `k` is the probability that the item shown
//! there was chosen *given* the items at positions `< k` — so the probability of the whole
//! slate is the product over positions, which is what off-policy estimators (IPS, DR) need.
//! This file holds that loop and the random draws it uses; it never scores anything.

use super::arms::Estimate;
use rand_core::RngCore;

/// One filled position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    /// The chosen candidate's index in the list given to the policy.
    pub index: usize,
    /// The score the policy ranked it by (UCB, sampled or predicted reward).
    pub score: f64,
    /// The probability it was chosen for this position given the positions before, in (0, 1].
    pub probability: f64,
}

/// An ordered choice of at most `limit` candidates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slate {
    /// Positions, best first.
    pub picks: Vec<Pick>,
    /// The model's estimate of each pick, in pick order, when the policy computed estimates
    /// to choose (so that explaining a pick costs nothing more); empty otherwise.
    pub estimates: Vec<Estimate>,
}

impl Slate {
    /// The same slate carrying `estimates[pick.index]` for each pick.
    pub fn with_estimates(mut self, estimates: &[Estimate]) -> Slate {
        self.estimates = self
            .picks
            .iter()
            .filter_map(|pick| estimates.get(pick.index).copied())
            .collect();
        if self.estimates.len() != self.picks.len() {
            self.estimates.clear();
        }
        self
    }
}

/// Runs sequential selection: `choose(remaining, rng)` returns a position *in `remaining`*
/// (the candidates still free, in their original order) with its score and conditional
/// probability. Stops after `limit` positions or when nothing is left.
pub fn select_sequentially<R: RngCore>(
    candidates: usize,
    limit: usize,
    rng: &mut R,
    mut choose: impl FnMut(&[usize], &mut R) -> (usize, f64, f64),
) -> Slate {
    let mut remaining: Vec<usize> = (0..candidates).collect();
    let mut picks = Vec::with_capacity(limit.min(candidates));
    while picks.len() < limit && !remaining.is_empty() {
        let (position, score, probability) = choose(&remaining, rng);
        let position = position.min(remaining.len() - 1);
        let index = remaining.remove(position);
        picks.push(Pick {
            index,
            score,
            probability,
        });
    }
    Slate {
        picks,
        estimates: Vec::new(),
    }
}

/// The slate sequential argmax gives — at each position the best remaining score, ties broken
/// uniformly at random — in one sort instead of a scan per position: groups of equal scores in
/// descending order (NaN last, all tied), each in candidate order, and each pick drawn among
/// its group's members not yet placed, with probability `1 / (their number)`. The draws are
/// the sequential rule's own, so a seed gives the same slate as [`best_positions`] would.
pub fn order_by_score(scores: &[f64], limit: usize, rng: &mut impl RngCore) -> Slate {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let score = |i: usize| scores.get(i).copied().unwrap_or(f64::NAN);
    // NaN sorts below every number; equal scores stay in candidate order.
    let rank = |i: usize| {
        let s = score(i);
        (!s.is_nan(), if s.is_nan() { 0.0 } else { s })
    };
    crate::sort::sort_by(&mut order, |&a, &b| match rank(a).partial_cmp(&rank(b)) {
        Some(std::cmp::Ordering::Equal) => a < b,
        other => other == Some(std::cmp::Ordering::Greater),
    });
    let mut picks = Vec::with_capacity(limit.min(order.len()));
    for group in order.chunk_by_mut(|&a, &b| rank(a) == rank(b)) {
        for placed in 0..group.len() {
            if picks.len() == limit {
                return Slate {
                    picks,
                    estimates: Vec::new(),
                };
            }
            let left = group.len() - placed;
            // Move the drawn member to `placed`, keeping the rest in candidate order.
            let drawn = placed + uniform_below(rng, left);
            if let Some(moved) = group.get_mut(placed..=drawn) {
                moved.rotate_right(1);
            }
            let index = group.get(placed).copied().unwrap_or(0);
            picks.push(Pick {
                index,
                score: score(index),
                probability: 1.0 / left as f64,
            });
        }
    }
    Slate {
        picks,
        estimates: Vec::new(),
    }
}

/// Positions in `remaining` whose score is the largest (NaN never wins; when no score is a
/// number, every position ties).
pub fn best_positions(scores: &[f64], remaining: &[usize]) -> Vec<usize> {
    let score = |i: &usize| scores.get(*i).copied().unwrap_or(f64::NAN);
    let best = remaining
        .iter()
        .map(score)
        .fold(f64::NEG_INFINITY, f64::max);
    let ties: Vec<usize> = (0..remaining.len())
        .filter(|&p| remaining.get(p).map(score) == Some(best))
        .collect();
    if ties.is_empty() {
        (0..remaining.len()).collect()
    } else {
        ties
    }
}

/// A uniform integer in `0..n` (`n ≥ 1`), by Lemire's multiply-shift: the bias is below
/// `n / 2⁶⁴`, far under any probability we report.
pub fn uniform_below(rng: &mut impl RngCore, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// A uniform float in `[0, 1)` with 53 random bits.
pub fn unit_interval(rng: &mut impl RngCore) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    (rng.next_u64() >> 11) as f64 * SCALE
}

/// Draws a position from `weights` (non-negative, not all zero); the last position absorbs
/// rounding so the draw never falls off the end.
pub fn draw_weighted(rng: &mut impl RngCore, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = unit_interval(rng) * total;
    for (position, &w) in weights.iter().enumerate() {
        if target < w {
            return position;
        }
        target -= w;
    }
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn a_slate_carries_each_picks_own_estimate_or_none_at_all() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let estimate = |mean| Estimate {
            mean,
            variance: 0.0,
        };
        let estimates = [estimate(0.1), estimate(0.9), estimate(0.5)];
        let slate = order_by_score(&[0.1, 0.9, 0.5], 2, &mut rng).with_estimates(&estimates);
        let means: Vec<f64> = slate.estimates.iter().map(|e| e.mean).collect();
        assert_eq!(means, [0.9, 0.5], "in pick order");
        let short = order_by_score(&[0.1, 0.9, 0.5], 3, &mut rng).with_estimates(&estimates[..1]);
        assert!(
            short.estimates.is_empty(),
            "all or nothing: never misaligned"
        );
    }

    #[test]
    fn sequential_selection_places_each_candidate_at_most_once() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let slate = select_sequentially(5, 10, &mut rng, |remaining, rng| {
            (
                uniform_below(rng, remaining.len()),
                0.0,
                1.0 / remaining.len() as f64,
            )
        });
        let mut seen: Vec<usize> = slate.picks.iter().map(|p| p.index).collect();
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 2, 3, 4]);
        assert_eq!(slate.picks[4].probability, 1.0);
    }

    #[test]
    fn ordering_by_score_gives_the_slate_of_sequential_argmax_for_the_same_seed() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        for round in 0..300 {
            let n = 1 + round % 12;
            // Few distinct values, so that ties are common; some NaN.
            let scores: Vec<f64> = (0..n)
                .map(|_| match uniform_below(&mut rng, 5) {
                    0 => f64::NAN,
                    k => k as f64,
                })
                .collect();
            let limit = 1 + uniform_below(&mut rng, n + 1);
            let seed = rng.next_u64();
            let mut draws = Xoshiro256PlusPlus::seed_from_u64(seed);
            let slate = order_by_score(&scores, limit, &mut draws);
            // The rule it replaces, with the same seed: the same picks, the same probabilities.
            let mut draws = Xoshiro256PlusPlus::seed_from_u64(seed);
            let sequential = select_sequentially(n, limit, &mut draws, |remaining, rng| {
                let ties = best_positions(&scores, remaining);
                let position = ties[uniform_below(rng, ties.len())];
                (
                    position,
                    scores[remaining[position]],
                    1.0 / ties.len() as f64,
                )
            });
            assert_eq!(slate.picks.len(), limit.min(n));
            assert_eq!(slate.picks.len(), sequential.picks.len());
            for (pick, expected) in slate.picks.iter().zip(&sequential.picks) {
                assert_eq!(pick.index, expected.index, "{scores:?}");
                assert_eq!(pick.probability, expected.probability);
            }
        }
    }

    #[test]
    fn tied_scores_are_ordered_uniformly_at_random() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut first = [0u32; 3];
        for _ in 0..30_000 {
            first[order_by_score(&[1.0, 1.0, 1.0], 3, &mut rng).picks[0].index] += 1;
        }
        for count in first {
            let share = f64::from(count) / 30_000.0;
            assert!((share - 1.0 / 3.0).abs() < 0.02, "{first:?}");
        }
    }

    #[test]
    fn ties_are_every_position_holding_the_best_score() {
        let scores = [1.0, 3.0, f64::NAN, 3.0];
        assert_eq!(best_positions(&scores, &[0, 1, 2, 3]), vec![1, 3]);
        assert_eq!(best_positions(&scores, &[2, 0]), vec![1]);
        assert_eq!(best_positions(&[f64::NAN, f64::NAN], &[0, 1]), vec![0, 1]);
    }

    #[test]
    fn weighted_draws_follow_their_weights() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[draw_weighted(&mut rng, &[1.0, 0.0, 3.0])] += 1;
        }
        assert_eq!(counts[1], 0);
        let share = f64::from(counts[2]) / 30_000.0;
        assert!((share - 0.75).abs() < 0.02, "{share}");
    }

    #[test]
    fn uniform_integers_stay_below_their_bound() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        assert!((0..1000).all(|_| uniform_below(&mut rng, 7) < 7));
        assert!((0..1000).all(|_| (0.0..1.0).contains(&unit_interval(&mut rng))));
    }
}
