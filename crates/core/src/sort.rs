//! One small in-place heapsort for the few places that sort.
//!
//! The standard library's sorts are fast but cost 2–5 KB of wasm per element type and
//! comparator; six of them added about 12 KB. Heapsort is O(n log n) in the worst case,
//! allocation-free, a few hundred bytes per use, and the inputs here are small or bounded.

/// Sorts `items` in place so that no item is `less` than the one before it. Not stable.
pub fn sort_by<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let len = items.len();
    for start in (0..len / 2).rev() {
        sift_down(items, start, len, &less);
    }
    for end in (1..len).rev() {
        items.swap(0, end);
        sift_down(items, 0, end, &less);
    }
}

/// Sorts `items` in place by an `Ord` key. Not stable.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a) < key(b));
}

/// Restores the max-heap below `root` within `items[..end]`.
fn sift_down<T>(items: &mut [T], mut root: usize, end: usize, less: &impl Fn(&T, &T) -> bool) {
    loop {
        let left = 2 * root + 1;
        if left >= end {
            return;
        }
        let right = left + 1;
        // Every caller passes `end <= items.len()` and `root < left < end`, so each read
        // finds its item (`get` keeps that a fact rather than a panic).
        let child = match (items.get(left), items.get(right).filter(|_| right < end)) {
            (Some(l), Some(r)) if less(l, r) => right,
            _ => left,
        };
        match (items.get(root), items.get(child)) {
            (Some(parent), Some(larger)) if less(parent, larger) => items.swap(root, child),
            _ => return,
        }
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_on_many_inputs() {
        let mut seed = 7u64;
        for len in 0..200 {
            let mut items: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 40) as u32 % 50
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_unstable();
            sort_by_key(&mut items, |x| *x);
            assert_eq!(items, expected, "length {len}");
        }
    }

    #[test]
    fn a_comparator_can_sort_descending_floats() {
        let mut items = [0.5, -1.0, 3.0, 2.0];
        sort_by(&mut items, |a: &f64, b: &f64| b.total_cmp(a).is_lt());
        assert_eq!(items, [3.0, 2.0, 0.5, -1.0]);
    }
}
