//! Model export and import: a compact, versioned [`Snapshot`] of the parameters and the
//! sufficient state of the ridge model (the feature map's groups and slot keys, θ, and the
//! upper triangle of each used block of A⁻¹).
//!
//! Export is a plain serde `Serialize` struct. Import reads a [`Value`] (so a snapshot can
//! come from JavaScript or a server prior) through the path-aware reader and rejects, with the
//! path of the first problem: an unknown format version, unknown keys, parameters out of range,
//! blocks or rows of the wrong size, and any non-finite number. Blocks that were never
//! touched are left out. Rows keep each array below the 10,001 entries the JS converter copies.

use super::feature_map::FeatureMap;
use super::linalg::SquareMatrix;
use super::model::RidgeModel;
use super::params::{Params, ValidParams};
use crate::value::{Field, InputError, Value};
use crate::{Error, ErrorCode};
use serde::Serialize;

/// The format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

const KEYS: &[&str] = &["version", "params", "updates", "groups", "blocks"];
const BLOCK_KEYS: &[&str] = &["block", "keys", "weights", "covariance", "learnedAt"];

/// One block of the model: its weights and, when it has learned, the upper triangle of its
/// inverse covariance, row by row (row `i` holds columns `i..block_dim`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotBlock {
    /// The block's index.
    pub block: u32,
    /// The hashed key of each assigned slot, slot 0 first.
    pub keys: Vec<u32>,
    /// θ for the block's slots.
    pub weights: Vec<f64>,
    /// Upper-triangular rows of the block of A⁻¹; absent while it is still I/λ.
    pub covariance: Option<Vec<Vec<f64>>>,
    /// When the block last learned, ms since the epoch (0: unknown), for forgetting.
    #[serde(rename = "learnedAt")]
    pub learned_at: u64,
}

/// A whole model, ready to serialize.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// [`SNAPSHOT_VERSION`].
    pub version: u32,
    /// The parameters the model was trained with.
    pub params: Params,
    /// Rewards learned from.
    pub updates: u64,
    /// The group (candidate-side key hash) of interaction blocks 1, 2, ….
    pub groups: Vec<u32>,
    /// Blocks with learned state, by increasing index.
    pub blocks: Vec<SnapshotBlock>,
}

/// Why a snapshot was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotError(pub InputError);

impl From<SnapshotError> for Error {
    fn from(e: SnapshotError) -> Self {
        Error::new(
            ErrorCode::InvalidSnapshot,
            format!("invalid model snapshot: {}", e.0),
        )
    }
}

fn upper_rows(p: &SquareMatrix) -> Vec<Vec<f64>> {
    (0..p.dim())
        .map(|i| p.row(i).get(i..).unwrap_or(&[]).to_vec())
        .collect()
}

/// Captures `model`, trained under `params`.
pub fn export(params: &ValidParams, model: &RidgeModel) -> Snapshot {
    let dim = model.layout().block_dim() as usize;
    let blocks = model
        .weights()
        .chunks_exact(dim.max(1))
        .enumerate()
        .filter_map(|(b, weights)| {
            let covariance = model.block(b).map(upper_rows);
            let keys = model.map().slots().get(b).cloned().unwrap_or_default();
            let learned = weights.iter().any(|w| *w != 0.0);
            let used = covariance.is_some() || !keys.is_empty() || learned;
            used.then(|| SnapshotBlock {
                block: b as u32,
                keys,
                weights: weights.to_vec(),
                covariance,
                learned_at: model.learned_at().get(b).copied().unwrap_or(0),
            })
        })
        .collect();
    Snapshot {
        version: SNAPSHOT_VERSION,
        params: params.params(),
        updates: model.updates(),
        groups: model.map().groups().to_vec(),
        blocks,
    }
}

/// Reads a snapshot from a `Value` named `model`: the validated parameters and the model.
pub fn import(value: Value) -> Result<(ValidParams, RidgeModel), SnapshotError> {
    read(Field::root("model", value)).map_err(SnapshotError)
}

fn read(field: Field) -> Result<(ValidParams, RidgeModel), InputError> {
    let mut object = field.strict_object(KEYS)?;
    let version = object.take("version");
    if version.value() != &Value::Number(f64::from(SNAPSHOT_VERSION)) {
        return Err(version.error("must be 1 (the snapshot format this build reads)"));
    }
    let params_field = object.take("params");
    let params_error = params_field.error("");
    let params = Params::parse(params_field)?
        .validate()
        .map_err(|e| InputError {
            path: format!("{}.{}", params_error.path, e.field),
            reason: e.rule.into(),
        })?;
    let updates = object
        .take("updates")
        .integer(0, crate::value::MAX_SAFE_INTEGER)?;
    let layout = params.layout();
    let dim = layout.block_dim() as usize;
    let groups_field = object.take("groups");
    let groups_error = groups_field.error("must list distinct groups other than 0");
    let groups = read_keys(groups_field, layout.blocks() as usize - 1)?;
    let mut weights = vec![0.0; layout.dimension() as usize];
    let mut blocks: Vec<Option<SquareMatrix>> = vec![None; layout.blocks() as usize];
    let mut slots = vec![Vec::new(); layout.blocks() as usize];
    let mut learned_at = vec![0; layout.blocks() as usize];
    for entry in object.take("blocks").list(layout.blocks() as usize)? {
        let (b, keys, block_weights, covariance, at) = read_block(entry, layout.blocks(), dim)?;
        if let Some(slot) = learned_at.get_mut(b) {
            *slot = at;
        }
        if let Some(slot_keys) = slots.get_mut(b) {
            *slot_keys = keys;
        }
        if let Some(target) = weights.get_mut(b * dim..(b + 1) * dim) {
            target.copy_from_slice(&block_weights);
        }
        if let Some(slot) = blocks.get_mut(b) {
            *slot = covariance;
        }
    }
    let map = FeatureMap::from_parts(layout, groups, slots).ok_or(groups_error)?;
    let model = RidgeModel::from_parts(layout, params.ridge(), map, weights, blocks, updates)
        .ok_or_else(|| InputError {
            path: "model".into(),
            reason: "sizes do not agree".into(),
        })?
        .forgetting(params.half_life_ms())
        .with_learned_at(&learned_at);
    Ok((params, model))
}

type Block = (usize, Vec<u32>, Vec<f64>, Option<SquareMatrix>, u64);

fn read_block(field: Field, blocks: u32, dim: usize) -> Result<Block, InputError> {
    let mut object = field.strict_object(BLOCK_KEYS)?;
    let b = object.take("block").integer(0, u64::from(blocks) - 1)? as usize;
    let keys = read_keys(object.take("keys"), dim)?;
    let weights = read_numbers(object.take("weights"), dim, dim)?;
    let covariance = object
        .take("covariance")
        .optional(|rows| read_covariance(rows, dim))?;
    let learned_at = object
        .take("learnedAt")
        .optional(|f| f.integer(0, crate::value::MAX_SAFE_INTEGER))?
        .unwrap_or(0);
    Ok((b, keys, weights, covariance, learned_at))
}

fn read_keys(field: Field, max: usize) -> Result<Vec<u32>, InputError> {
    let keys = field.list(max)?.into_iter();
    keys.map(|k| k.integer(0, u64::from(u32::MAX)).map(|k| k as u32))
        .collect()
}

fn read_numbers(field: Field, min: usize, max: usize) -> Result<Vec<f64>, InputError> {
    let error = field.error(format!("must hold {min} numbers"));
    let numbers = field
        .list(max)?
        .into_iter()
        .map(Field::finite_number)
        .collect::<Result<Vec<_>, _>>()?;
    if numbers.len() < min {
        return Err(error);
    }
    Ok(numbers)
}

/// Upper-triangular rows back to a full symmetric matrix; diagonals must be positive.
fn read_covariance(field: Field, dim: usize) -> Result<SquareMatrix, InputError> {
    let count_error = field.error(format!("must have {dim} rows, one per slot"));
    let rows = field.list(dim)?;
    if rows.len() != dim {
        return Err(count_error);
    }
    let mut data = vec![0.0; dim * dim];
    for (i, row) in rows.into_iter().enumerate() {
        let row_error = row.error("its first entry (the variance) must be positive");
        let values = read_numbers(row, dim - i, dim - i)?;
        if values.first().is_none_or(|v| *v <= 0.0) {
            return Err(row_error);
        }
        for (offset, v) in values.into_iter().enumerate() {
            let j = i + offset;
            for index in [i * dim + j, j * dim + i] {
                if let Some(x) = data.get_mut(index) {
                    *x = v;
                }
            }
        }
    }
    SquareMatrix::from_rows(dim, data).ok_or_else(|| InputError {
        path: "model".into(),
        reason: "bad block size".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bandit::{Keyed, KeyedFeatures};
    use crate::value::from_json;

    fn trained() -> (ValidParams, RidgeModel) {
        let params = Params {
            blocks: 3,
            block_dim: 4,
            ..Params::default()
        }
        .validate()
        .unwrap();
        let mut model =
            RidgeModel::new(params.layout(), params.ridge()).forgetting(params.half_life_ms());
        let keyed = |entries: &[(u32, u32, f64)]| {
            KeyedFeatures::new(
                entries
                    .iter()
                    .map(|&(group, key, value)| Keyed { group, key, value })
                    .collect(),
            )
        };
        let at = |reward, ms| crate::bandit::Feedback::at(reward, 1.0, crate::time::Millis(ms));
        model.update(&keyed(&[(0, 11, 1.0), (77, 12, 0.5)]), at(1.0, 5_000));
        model.update(&keyed(&[(0, 13, 1.0)]), at(0.0, 9_000));
        (params, model)
    }

    fn json(snapshot: &Snapshot) -> String {
        serde_json::to_string(snapshot).unwrap()
    }

    #[test]
    fn a_snapshot_round_trips_to_the_same_model() {
        let (params, model) = trained();
        let snapshot = export(&params, &model);
        assert_eq!(snapshot.blocks.len(), 2, "the untouched block is left out");
        let (params2, model2) = import(from_json(&json(&snapshot))).unwrap();
        assert_eq!(params2, params);
        assert_eq!(model2, model);
        assert_eq!(&model2.learned_at()[..2], &[9_000, 5_000]);
    }

    #[test]
    fn the_version_1_fixture_still_imports() {
        let text = include_str!("../../../../tests/fixtures/bandit/snapshot_v1.json");
        let (params, model) = import(from_json(text)).unwrap();
        assert_eq!(params.layout().dimension(), 4);
        assert_eq!(model.weights(), &[0.0, 0.0, 0.5, 0.0]);
        assert_eq!(model.map().groups(), &[2_779_839_893]);
        assert_eq!(model.block(1).map(|p| p.get(0, 0)), Some(0.5));
    }

    #[test]
    fn a_wrong_version_is_rejected_with_its_path() {
        let (params, model) = trained();
        let text = json(&export(&params, &model)).replace(r#""version":1"#, r#""version":2"#);
        let error = import(from_json(&text)).unwrap_err();
        assert_eq!(error.0.path, "model.version");
    }

    #[test]
    fn wrong_dimensions_are_rejected() {
        let (params, model) = trained();
        let text = json(&export(&params, &model)).replace(r#""blockDim":4"#, r#""blockDim":5"#);
        assert!(import(from_json(&text)).is_err());
        let text = json(&export(&params, &model)).replace(r#""blocks":3"#, r#""blocks":1"#);
        assert_eq!(
            import(from_json(&text)).unwrap_err().0.path,
            "model.params.blocks"
        );
    }

    #[test]
    fn a_snapshot_with_repeated_slot_keys_is_rejected() {
        let (params, model) = trained();
        let mut snapshot = export(&params, &model);
        snapshot.blocks[0].keys = vec![11, 11];
        assert!(import(from_json(&json(&snapshot))).is_err());
    }

    #[test]
    fn non_finite_numbers_are_rejected() {
        let (params, model) = trained();
        let mut snapshot = export(&params, &model);
        snapshot.blocks[0].weights[0] = f64::NAN;
        let value = from_json(&json(&snapshot)); // serde_json writes NaN as null
        let error = import(value).unwrap_err();
        assert!(
            error.0.path.starts_with("model.blocks[0].weights"),
            "{error:?}"
        );
        assert_eq!(Error::from(error).code, ErrorCode::InvalidSnapshot);
    }
}
