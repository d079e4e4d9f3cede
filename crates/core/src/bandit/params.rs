//! Bandit parameters: documented defaults, read from a `Value`, validated once into
//! [`ValidParams`] (the pattern of linfa's `Params → ValidParams`). Past validation the
//! dimensions are trusted, which is what keeps every allocation in the bandit bounded.

use super::features::Layout;
use crate::value::{Field, InputError};

/// Most blocks in the hashed space.
pub const MAX_BLOCKS: u32 = 1024;
/// Most slots per block; a `reward` costs about `block_dim²` per touched block.
pub const MAX_BLOCK_DIM: u32 = 256;
/// Most bytes the inverse covariance may take when every block is in use.
pub const MAX_COVARIANCE_BYTES: u64 = 16 << 20;
/// Most Monte-Carlo draws per Thompson-sampling decision.
pub const MAX_PROPENSITY_SAMPLES: u32 = 100_000;

const POLICY_NAMES: &[&str] = &["linucb", "thompson", "egreedy", "squarecb", "softmax"];
const KEYS: &[&str] = &[
    "policy",
    "blocks",
    "blockDim",
    "ridge",
    "alpha",
    "posteriorScale",
    "propensitySamples",
    "epsilon",
    "gammaScale",
    "temperature",
    "halfLifeDays",
];

/// Longest half-life of the evidence, in days (about ten years).
pub const MAX_HALF_LIFE_DAYS: f64 = 3_650.0;
const DAY_MS: f64 = 86_400_000.0;

/// Which exploration rule ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// Upper confidence bound `θᵀx + α·√(xᵀA⁻¹x)`, deterministic.
    LinUcb,
    /// Linear Thompson sampling, `θ̃ ~ N(θ, v²A⁻¹)`.
    Thompson,
    /// The greedy item, or with probability ε a uniform one.
    EpsilonGreedy,
    /// SquareCB (Foster & Rakhlin): inverse-gap weighting of the predictions.
    SquareCb,
    /// Softmax (Boltzmann) over the predictions.
    Softmax,
}

/// Parameters as given; [`Params::default`] is the measured default. Serialized (camelCase,
/// the policy by name) as the `params` of a model snapshot.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    /// The exploration rule.
    pub policy: PolicyKind,
    /// Blocks of the hashed space (one shared, the rest for interactions).
    pub blocks: u32,
    /// Slots per block.
    pub block_dim: u32,
    /// Ridge penalty λ > 0.
    pub ridge: f64,
    /// LinUCB exploration width α ≥ 0.
    pub alpha: f64,
    /// Thompson posterior scale v ≥ 0.
    pub posterior_scale: f64,
    /// Thompson Monte-Carlo draws for each decision's propensities (≥ 1).
    pub propensity_samples: u32,
    /// ε-greedy exploration rate, 0 to 1.
    pub epsilon: f64,
    /// SquareCB γ = gamma_scale · √(updates + 1), > 0.
    pub gamma_scale: f64,
    /// Softmax temperature > 0 (reward units).
    pub temperature: f64,
    /// Half-life of the evidence, in days: a reward this old counts half as much against a
    /// new one. 0 never forgets.
    pub half_life_days: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            policy: PolicyKind::LinUcb,
            blocks: 32,
            block_dim: 80,
            ridge: 1.0,
            alpha: 0.2,
            posterior_scale: 0.1,
            propensity_samples: 100,
            epsilon: 0.02,
            gamma_scale: 50.0,
            temperature: 0.05,
            half_life_days: 3.0,
        }
    }
}

/// Why parameters were rejected: the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    /// The offending field.
    pub field: &'static str,
    /// The rule it broke.
    pub rule: &'static str,
}

/// Parameters that passed [`Params::validate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidParams {
    params: Params,
    layout: Layout,
}

fn check(ok: bool, field: &'static str, rule: &'static str) -> Result<(), ParamsError> {
    if ok {
        Ok(())
    } else {
        Err(ParamsError { field, rule })
    }
}

fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

impl Params {
    /// Checks every field; the error names the first one out of range.
    pub fn validate(self) -> Result<ValidParams, ParamsError> {
        check(
            (2..=MAX_BLOCKS).contains(&self.blocks),
            "blocks",
            "must be 2 to 1024",
        )?;
        check(
            (1..=MAX_BLOCK_DIM).contains(&self.block_dim),
            "blockDim",
            "must be 1 to 256",
        )?;
        let bytes = u64::from(self.blocks) * u64::from(self.block_dim).pow(2) * 8;
        check(
            bytes <= MAX_COVARIANCE_BYTES,
            "blocks",
            "blocks × blockDim² × 8 must be at most 16 MiB",
        )?;
        check(positive(self.ridge), "ridge", "must be a positive number")?;
        check(
            self.alpha.is_finite() && self.alpha >= 0.0,
            "alpha",
            "must be 0 or more",
        )?;
        let v = self.posterior_scale;
        check(
            v.is_finite() && v >= 0.0,
            "posteriorScale",
            "must be 0 or more",
        )?;
        let samples = self.propensity_samples;
        check(
            (1..=MAX_PROPENSITY_SAMPLES).contains(&samples),
            "propensitySamples",
            "must be 1 to 100000",
        )?;
        check(
            (0.0..=1.0).contains(&self.epsilon),
            "epsilon",
            "must be from 0 to 1",
        )?;
        check(
            positive(self.gamma_scale),
            "gammaScale",
            "must be a positive number",
        )?;
        check(
            positive(self.temperature),
            "temperature",
            "must be a positive number",
        )?;
        check(
            (0.0..=MAX_HALF_LIFE_DAYS).contains(&self.half_life_days),
            "halfLifeDays",
            "must be a number from 0 (never forget) to 3650",
        )?;
        let layout = Layout::new(self.blocks, self.block_dim).ok_or(ParamsError {
            field: "blocks",
            rule: "must be at least 2",
        })?;
        Ok(ValidParams {
            params: self,
            layout,
        })
    }

    /// Reads a (partial) parameter object, defaults filling the gaps; unknown keys rejected.
    pub fn parse(field: Field) -> Result<Params, InputError> {
        let defaults = Params::default();
        let mut object = field.strict_object(KEYS)?;
        let number = |f: Field, default: f64| {
            f.optional(Field::finite_number)
                .map(|n| n.unwrap_or(default))
        };
        let whole = |f: Field, max: u32, default: u32| {
            f.optional(|f| f.integer(1, u64::from(max)))
                .map(|n| n.map_or(default, |n| n as u32))
        };
        let policy = match object.take("policy").optional(|f| f.one_of(POLICY_NAMES))? {
            Some(i) => policy_from_index(i),
            None => defaults.policy,
        };
        Ok(Params {
            policy,
            blocks: whole(object.take("blocks"), MAX_BLOCKS, defaults.blocks)?,
            block_dim: whole(object.take("blockDim"), MAX_BLOCK_DIM, defaults.block_dim)?,
            ridge: number(object.take("ridge"), defaults.ridge)?,
            alpha: number(object.take("alpha"), defaults.alpha)?,
            posterior_scale: number(object.take("posteriorScale"), defaults.posterior_scale)?,
            propensity_samples: whole(
                object.take("propensitySamples"),
                MAX_PROPENSITY_SAMPLES,
                defaults.propensity_samples,
            )?,
            epsilon: number(object.take("epsilon"), defaults.epsilon)?,
            gamma_scale: number(object.take("gammaScale"), defaults.gamma_scale)?,
            temperature: number(object.take("temperature"), defaults.temperature)?,
            half_life_days: number(object.take("halfLifeDays"), defaults.half_life_days)?,
        })
    }
}

fn policy_from_index(index: usize) -> PolicyKind {
    match index {
        1 => PolicyKind::Thompson,
        2 => PolicyKind::EpsilonGreedy,
        3 => PolicyKind::SquareCb,
        4 => PolicyKind::Softmax,
        _ => PolicyKind::LinUcb,
    }
}

impl PolicyKind {
    /// The name used in options and snapshots.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::LinUcb => "linucb",
            PolicyKind::Thompson => "thompson",
            PolicyKind::EpsilonGreedy => "egreedy",
            PolicyKind::SquareCb => "squarecb",
            PolicyKind::Softmax => "softmax",
        }
    }
}

impl ValidParams {
    /// The parameters as given.
    pub fn params(&self) -> Params {
        self.params
    }
    /// The exploration rule.
    pub fn policy(&self) -> PolicyKind {
        self.params.policy
    }
    /// The hashed feature layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }
    /// Ridge penalty λ.
    pub fn ridge(&self) -> f64 {
        self.params.ridge
    }
    /// LinUCB width α.
    pub fn alpha(&self) -> f64 {
        self.params.alpha
    }
    /// Thompson posterior scale v.
    pub fn posterior_scale(&self) -> f64 {
        self.params.posterior_scale
    }
    /// The half-life of the evidence in milliseconds; `None` never forgets.
    pub fn half_life_ms(&self) -> Option<u64> {
        let ms = self.params.half_life_days * DAY_MS;
        (ms >= 1.0).then_some(ms as u64)
    }
    /// Thompson Monte-Carlo draws per decision.
    pub fn propensity_samples(&self) -> u32 {
        self.params.propensity_samples
    }
}

impl serde::Serialize for PolicyKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::from_json;

    #[test]
    fn the_defaults_are_valid() {
        let valid = Params::default().validate().unwrap();
        assert_eq!(valid.layout().dimension(), 32 * 80);
    }

    #[test]
    fn out_of_range_fields_are_named() {
        let bad = |p: Params| p.validate().unwrap_err().field;
        assert_eq!(
            bad(Params {
                ridge: 0.0,
                ..Params::default()
            }),
            "ridge"
        );
        assert_eq!(
            bad(Params {
                blocks: 1,
                ..Params::default()
            }),
            "blocks"
        );
        assert_eq!(
            bad(Params {
                blocks: 1024,
                block_dim: 256,
                ..Params::default()
            }),
            "blocks"
        );
        assert_eq!(
            bad(Params {
                epsilon: 1.5,
                ..Params::default()
            }),
            "epsilon"
        );
        assert_eq!(
            bad(Params {
                alpha: f64::NAN,
                ..Params::default()
            }),
            "alpha"
        );
    }

    #[test]
    fn parsing_fills_gaps_with_defaults_and_rejects_unknown_keys() {
        let read = |json: &str| Params::parse(Field::root("ranker", from_json(json)));
        let params = read(r#"{"policy":"thompson","blockDim":32}"#).unwrap();
        assert_eq!(params.policy, PolicyKind::Thompson);
        assert_eq!(params.block_dim, 32);
        assert_eq!(params.ridge, Params::default().ridge);
        assert_eq!(read(r#"{"alpah":1}"#).unwrap_err().path, "ranker.alpah");
        assert_eq!(
            read(r#"{"policy":"ucb"}"#).unwrap_err().path,
            "ranker.policy"
        );
    }
}
