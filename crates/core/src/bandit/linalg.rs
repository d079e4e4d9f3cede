//! The few linear-algebra operations the bandit needs, hand-written for a small wasm module.
//!
//! A [`SparseVector`] holds hashed features (sorted, distinct indices); a [`SquareMatrix`] is
//! a dense row-major block of an inverse covariance. The operations are the Sherman–Morrison
//! rank-one downdate, quadratic forms `xᵀPx` for sparse `x`, `P·x` into a caller's buffer,
//! and a Cholesky factorisation that tolerates the tiny negative pivots rounding can leave.
//! Nothing here allocates except the constructors, and nothing indexes without a check: the
//! loops zip slices, and the few point reads use `get`. No BLAS, no float formatting.

/// A sparse vector: `(index, value)` pairs with strictly increasing indices and no zeros,
/// plus the squared mass of features the model has no slot for yet (prior variance only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector {
    entries: Vec<(u32, f64)>,
    unseen: f64,
}

impl SparseVector {
    /// Sorts `entries`, sums repeated indices (hash collisions add up), and drops zeros and
    /// non-finite values.
    pub fn from_entries(mut entries: Vec<(u32, f64)>) -> Self {
        entries.retain(|(_, v)| v.is_finite() && *v != 0.0);
        crate::sort::sort_by_key(&mut entries, |(i, _)| *i);
        let mut merged: Vec<(u32, f64)> = Vec::with_capacity(entries.len());
        for (index, value) in entries {
            match merged.last_mut() {
                Some((last, sum)) if *last == index => *sum += value,
                _ => merged.push((index, value)),
            }
        }
        merged.retain(|(_, v)| *v != 0.0);
        SparseVector {
            entries: merged,
            unseen: 0.0,
        }
    }

    /// The same vector with `unseen` as the squared mass of unindexed features.
    pub fn with_unseen(mut self, unseen: f64) -> Self {
        self.unseen = if unseen.is_finite() {
            unseen.max(0.0)
        } else {
            0.0
        };
        self
    }

    /// The same vector times `factor` (its unseen mass times `factor²`).
    pub fn scaled(&self, factor: f64) -> Self {
        let entries = self.entries.iter().map(|&(i, v)| (i, v * factor));
        SparseVector::from_entries(entries.collect()).with_unseen(self.unseen * factor * factor)
    }

    /// Σ value² over features that have no index yet.
    pub fn unseen(&self) -> f64 {
        self.unseen
    }

    /// The entries, by increasing index.
    pub fn entries(&self) -> &[(u32, f64)] {
        &self.entries
    }

    /// How many entries are non-zero.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether every entry is zero.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A dense square matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct SquareMatrix {
    dim: usize,
    data: Vec<f64>,
}

impl SquareMatrix {
    /// `scale · I` of size `dim`.
    pub fn scaled_identity(dim: usize, scale: f64) -> Self {
        let mut data = vec![0.0; dim * dim];
        for (i, row) in data.chunks_exact_mut(dim.max(1)).enumerate() {
            if let Some(diagonal) = row.get_mut(i) {
                *diagonal = scale;
            }
        }
        SquareMatrix { dim, data }
    }

    /// Wraps `dim²` row-major values; `None` when the length is wrong.
    pub fn from_rows(dim: usize, data: Vec<f64>) -> Option<Self> {
        (data.len() == dim * dim).then_some(SquareMatrix { dim, data })
    }

    /// The number of rows (and columns).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The values, row-major.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// Row `i`; empty when out of range.
    pub fn row(&self, i: usize) -> &[f64] {
        self.data
            .get(i * self.dim..(i + 1) * self.dim)
            .unwrap_or(&[])
    }

    /// A copy of the top-left `k × k` corner (all of it when `k ≥ dim`).
    pub fn leading(&self, k: usize) -> SquareMatrix {
        let k = k.min(self.dim);
        let rows = (0..k).flat_map(|i| self.row(i).get(..k).unwrap_or(&[]).iter().copied());
        SquareMatrix {
            dim: k,
            data: rows.collect(),
        }
    }

    /// Entry `(i, j)`; 0 when out of range.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.row(i).get(j).copied().unwrap_or(0.0)
    }
}

/// The entries of a sparse vector that fall in one block, with the block's first index, so
/// that `index − offset` is the position inside the block.
#[derive(Debug, Clone, Copy)]
pub struct BlockEntries<'a> {
    /// The global index of the block's first slot.
    pub offset: u32,
    /// Global `(index, value)` pairs, all inside the block.
    pub entries: &'a [(u32, f64)],
}

impl BlockEntries<'_> {
    /// `(position inside the block, value)` pairs; a stray index maps past the block and
    /// reads as zero rather than panicking.
    pub fn local(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let offset = self.offset;
        self.entries
            .iter()
            .map(move |&(i, v)| (i.wrapping_sub(offset) as usize, v))
    }
}

/// Splits a sparse vector into its runs per block of `block_dim` slots, in block order.
pub fn block_runs(
    x: &SparseVector,
    block_dim: u32,
) -> impl Iterator<Item = (u32, BlockEntries<'_>)> {
    let width = block_dim.max(1);
    x.entries()
        .chunk_by(move |a, b| a.0 / width == b.0 / width)
        .filter_map(move |run| {
            let block = run.first()?.0 / width;
            Some((
                block,
                BlockEntries {
                    offset: block * width,
                    entries: run,
                },
            ))
        })
}

/// `Σ wᵢ·xᵢ` for a dense `w` and a sparse `x` in block coordinates.
pub fn sparse_dot(w: &[f64], x: BlockEntries<'_>) -> f64 {
    x.local()
        .map(|(i, v)| w.get(i).copied().unwrap_or(0.0) * v)
        .sum()
}

/// `Σ xᵢ·yᵢ` for two sparse runs of the same block (a merge of their sorted indices).
pub fn sparse_product(x: BlockEntries<'_>, y: BlockEntries<'_>) -> f64 {
    let (mut xs, mut ys) = (x.entries.iter().peekable(), y.entries.iter().peekable());
    let mut total = 0.0;
    while let (Some(&&(i, a)), Some(&&(j, b))) = (xs.peek(), ys.peek()) {
        if i <= j {
            xs.next();
        }
        if j <= i {
            ys.next();
        }
        if i == j {
            total += a * b;
        }
    }
    total
}

/// `xᵀPx` for a sparse `x`: `nnz²` reads of `P`.
pub fn quadratic_form(p: &SquareMatrix, x: BlockEntries<'_>) -> f64 {
    bilinear_form(p, x, x)
}

/// `xᵀPy` for sparse `x` and `y` in the same block.
pub fn bilinear_form(p: &SquareMatrix, x: BlockEntries<'_>, y: BlockEntries<'_>) -> f64 {
    x.local().map(|(i, vi)| vi * sparse_dot(p.row(i), y)).sum()
}

/// `out = P·x` for a symmetric `P` and sparse `x`: a sum of rows, so it streams memory.
pub fn multiply_sparse(p: &SquareMatrix, x: BlockEntries<'_>, out: &mut [f64]) {
    out.iter_mut().for_each(|o| *o = 0.0);
    for (i, v) in x.local() {
        for (o, &pij) in out.iter_mut().zip(p.row(i)) {
            *o += v * pij;
        }
    }
}

/// The Sherman–Morrison step for `A ← A + xxᵀ` on `P = A⁻¹`: given `u = P·x` and
/// `denominator = 1 + xᵀPx`, sets `P ← P − u·uᵀ / denominator` (`dim²` multiply-adds).
pub fn sherman_morrison_downdate(p: &mut SquareMatrix, u: &[f64], denominator: f64) {
    let dim = p.dim.max(1);
    for (row, &ui) in p.data.chunks_exact_mut(dim).zip(u) {
        let scaled = ui / denominator;
        for (pij, &uj) in row.iter_mut().zip(u) {
            *pij -= scaled * uj;
        }
    }
}

/// Forgetting on the leading `active × active` corner of `p`: `P ← P / γ` (the precision
/// `A = P⁻¹` discounted by `γ ∈ (0, 1]`, so older evidence counts less), with each variance
/// kept at or below `cap` (the prior's `1/λ`) by a diagonal congruence `D·P·D`, which keeps
/// `P` symmetric positive semi-definite. Without the cap, directions no reward excites would
/// grow without bound ("windup") and their width would swamp every mean.
pub fn discount(p: &mut SquareMatrix, active: usize, gamma: f64, cap: f64) {
    let dim = p.dim;
    let active = active.min(dim);
    let scale: Vec<f64> = (0..active)
        .map(|i| {
            let variance = p.get(i, i) / gamma;
            if variance > cap {
                (cap / variance).sqrt()
            } else {
                1.0
            }
        })
        .collect();
    for (i, row) in p.data.chunks_exact_mut(dim.max(1)).take(active).enumerate() {
        let si = scale.get(i).copied().unwrap_or(1.0) / gamma;
        for (pij, sj) in row.iter_mut().zip(&scale) {
            *pij *= si * sj;
        }
    }
}

/// Lower-triangular `L` with `L·Lᵀ = P`, written into `out` (same size). Pivots that
/// rounding drove to zero or below are treated as zero variance (their column is zeroed), so
/// the result always exists and sampling with it never produces NaN.
pub fn cholesky_into(p: &SquareMatrix, out: &mut SquareMatrix) {
    let n = p.dim;
    out.dim = n;
    out.data.clear();
    out.data.resize(n * n, 0.0);
    for i in 0..n {
        let (done, rest) = out.data.split_at_mut(i * n);
        let Some(row_i) = rest.get_mut(..n) else {
            return;
        };
        for j in 0..=i {
            let row_j: &[f64] = if j < i {
                done.get(j * n..j * n + j).unwrap_or(&[])
            } else {
                row_i.get(..j).unwrap_or(&[])
            };
            let partial: f64 = row_i.iter().zip(row_j).map(|(a, b)| a * b).sum();
            let residual = p.get(i, j) - partial;
            let value = if j == i {
                residual.max(0.0).sqrt()
            } else {
                let pivot = done.get(j * n + j).copied().unwrap_or(0.0);
                if pivot > 0.0 {
                    residual / pivot
                } else {
                    0.0
                }
            };
            if let Some(slot) = row_i.get_mut(j) {
                *slot = value;
            }
        }
    }
}

/// `out = L·z` for a lower-triangular `L`.
pub fn lower_times(l: &SquareMatrix, z: &[f64], out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        let row = l.row(i);
        *o = row.iter().take(i + 1).zip(z).map(|(a, b)| a * b).sum();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[f64]]) -> SquareMatrix {
        SquareMatrix::from_rows(rows.len(), rows.concat()).unwrap()
    }

    #[test]
    fn discounting_divides_by_gamma_and_caps_each_variance_at_the_prior() {
        let mut p = matrix(&[&[0.2, 0.1, 0.0], &[0.1, 0.9, 0.0], &[0.0, 0.0, 1.0]]);
        discount(&mut p, 2, 0.5, 1.0);
        assert!((p.get(0, 0) - 0.4).abs() < 1e-12, "0.2 / 0.5");
        assert!((p.get(1, 1) - 1.0).abs() < 1e-12, "1.8 capped at 1");
        // The congruence scales the covariance with both: 0.2 · 1 · √(1/1.8).
        assert!((p.get(0, 1) - 0.2 * (1.0f64 / 1.8).sqrt()).abs() < 1e-12);
        assert_eq!(p.get(0, 1), p.get(1, 0));
        assert_eq!(p.get(2, 2), 1.0, "outside the active corner: untouched");
    }

    #[test]
    fn sparse_vectors_are_sorted_with_collisions_summed_and_zeros_dropped() {
        let x = SparseVector::from_entries(vec![
            (5, 1.0),
            (2, 2.0),
            (5, 0.5),
            (3, 0.0),
            (7, 1.0),
            (7, -1.0),
        ]);
        assert_eq!(x.entries(), &[(2, 2.0), (5, 1.5)]);
    }

    fn local(entries: &[(u32, f64)]) -> BlockEntries<'_> {
        BlockEntries { offset: 0, entries }
    }

    #[test]
    fn runs_split_a_vector_by_block_and_positions_are_local() {
        let x = SparseVector::from_entries(vec![(1, 1.0), (9, 2.0), (10, 3.0), (30, 4.0)]);
        let runs: Vec<(u32, Vec<(usize, f64)>)> = block_runs(&x, 8)
            .map(|(b, e)| (b, e.local().collect()))
            .collect();
        assert_eq!(
            runs,
            vec![
                (0, vec![(1, 1.0)]),
                (1, vec![(1, 2.0), (2, 3.0)]),
                (3, vec![(6, 4.0)])
            ]
        );
    }

    #[test]
    fn sherman_morrison_matches_the_inverse_computed_by_hand() {
        // A = I + x xᵀ with x = (1, 2): A⁻¹ = I − x xᵀ / 6.
        let mut p = SquareMatrix::scaled_identity(2, 1.0);
        let x = local(&[(0, 1.0), (1, 2.0)]);
        let mut u = [0.0; 2];
        multiply_sparse(&p, x, &mut u);
        let denominator = 1.0 + quadratic_form(&p, x);
        sherman_morrison_downdate(&mut p, &u, denominator);
        let expected = [1.0 - 1.0 / 6.0, -2.0 / 6.0, -2.0 / 6.0, 1.0 - 4.0 / 6.0];
        for (a, b) in p.as_slice().iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
    }

    #[test]
    fn quadratic_and_bilinear_forms_read_only_the_sparse_entries() {
        let p = matrix(&[&[2.0, 1.0, 0.0], &[1.0, 3.0, 0.0], &[0.0, 0.0, 5.0]]);
        let x = local(&[(0, 1.0), (1, 1.0)]);
        assert_eq!(quadratic_form(&p, x), 7.0);
        assert_eq!(bilinear_form(&p, x, local(&[(2, 1.0)])), 0.0);
        assert_eq!(bilinear_form(&p, x, local(&[(1, 2.0)])), 8.0);
    }

    #[test]
    fn cholesky_reconstructs_a_positive_definite_matrix() {
        let p = matrix(&[&[4.0, 2.0, 0.4], &[2.0, 5.0, 1.0], &[0.4, 1.0, 3.0]]);
        let mut l = SquareMatrix::scaled_identity(1, 0.0);
        cholesky_into(&p, &mut l);
        for i in 0..3 {
            for j in 0..3 {
                let sum: f64 = (0..3).map(|k| l.get(i, k) * l.get(j, k)).sum();
                assert!((sum - p.get(i, j)).abs() < 1e-12);
            }
            for j in i + 1..3 {
                assert_eq!(l.get(i, j), 0.0);
            }
        }
        let mut out = [0.0; 3];
        lower_times(&l, &[1.0, 0.0, 0.0], &mut out);
        assert_eq!(out, [l.get(0, 0), l.get(1, 0), l.get(2, 0)]);
    }

    #[test]
    fn the_leading_corner_keeps_the_first_rows_and_columns() {
        let p = matrix(&[&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0], &[7.0, 8.0, 9.0]]);
        assert_eq!(p.leading(2).as_slice(), &[1.0, 2.0, 4.0, 5.0]);
        assert_eq!(p.leading(9), p);
    }

    #[test]
    fn cholesky_of_a_slightly_indefinite_matrix_is_finite() {
        let p = matrix(&[&[1.0, 1.0], &[1.0, 1.0 - 1e-15]]);
        let mut l = SquareMatrix::scaled_identity(2, 0.0);
        cholesky_into(&p, &mut l);
        assert!(l.as_slice().iter().all(|v| v.is_finite()));
        assert_eq!(l.get(1, 1), 0.0);
    }
}
