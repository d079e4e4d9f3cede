//! Site-defined segments: rules over the profile's metrics, read once at init.
//!
//! The input is `[{ name, all | any: [{ metric, window?, op, value }] }]` (see
//! [`super::metrics`] for metrics and windows; `op` is `gt`, `gte`, `lt`, `lte` or `eq`,
//! `value` a finite number). A rule matches when all (or any) of its conditions hold; a
//! condition on a metric with no value yet never holds. `eq` compares exactly, so use it on
//! counts. Anything invalid refuses the whole set with a [`RulesError`] naming the rule (its
//! index and, when readable, its name) and the path, so a site sees its mistake at init
//! rather than a segment that silently never matches.

use super::metrics::Metric;
use super::names::{is_segment_name, BUILT_IN, MAX_SEGMENT_NAME_CHARS};
use super::Profile;
use crate::time::Millis;
use crate::value::{Field, InputError, Value};
use std::fmt;

/// Most rules.
pub const MAX_RULES: usize = 64;
/// Most conditions in one rule.
pub const MAX_CONDITIONS: usize = 16;
/// The stable code a refused rule set carries to JavaScript.
pub const RULES_ERROR_CODE: &str = "invalid_rules";

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// Exactly equal.
    Eq,
}

/// The names of [`Op`]s, in declaration order.
pub const OP_NAMES: [&str; 5] = ["gt", "gte", "lt", "lte", "eq"];
const OPS: [Op; 5] = [Op::Gt, Op::Gte, Op::Lt, Op::Lte, Op::Eq];

/// One condition: `metric op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// What is measured.
    pub metric: Metric,
    /// How it is compared.
    pub op: Op,
    /// With what.
    pub value: f64,
}

/// A named segment and when it applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The segment's name.
    pub name: String,
    /// Whether every condition must hold (`all`) rather than one (`any`).
    pub all: bool,
    /// The conditions, 1 to [`MAX_CONDITIONS`].
    pub conditions: Vec<Condition>,
}

/// A site's rules, in definition order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules(Vec<Rule>);

/// Why the rules were refused: which rule (index and name, when known) and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    /// The offending rule's position, when the list itself was readable.
    pub index: Option<usize>,
    /// Its name, when it had a readable one.
    pub name: Option<String>,
    /// The path and the rule broken.
    pub error: InputError,
}

impl From<RulesError> for crate::Error {
    fn from(e: RulesError) -> Self {
        crate::Error::new(crate::ErrorCode::InvalidRules, e.to_string())
    }
}

impl RulesError {
    /// The stable code, [`RULES_ERROR_CODE`].
    pub fn code(&self) -> &'static str {
        RULES_ERROR_CODE
    }
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.index, &self.name) {
            (Some(i), Some(name)) => write!(f, "rule {i} ('{name}'): {}", self.error),
            (Some(i), None) => write!(f, "rule {i} (unnamed): {}", self.error),
            _ => self.error.fmt(f),
        }
    }
}

impl std::error::Error for RulesError {}

fn read_name(field: Field, taken: &[Rule]) -> Result<String, InputError> {
    let invalid = field.error(format!(
        "must be 1 to {MAX_SEGMENT_NAME_CHARS} letters, digits, '-', '_' or '.'"
    ));
    let reserved = field.error("is the name of a built-in segment");
    let repeated = field.error("repeats the name of an earlier rule");
    let name = field.text(MAX_SEGMENT_NAME_CHARS)?;
    if !is_segment_name(&name) {
        Err(invalid)
    } else if BUILT_IN.contains(&name.as_str()) {
        Err(reserved)
    } else if taken.iter().any(|r| r.name == name) {
        Err(repeated)
    } else {
        Ok(name)
    }
}

fn read_condition(field: Field) -> Result<Condition, InputError> {
    let mut object = field.strict_object(&["metric", "window", "op", "value"])?;
    let metric = Metric::parse_rule(object.take("metric"), object.take("window"))?;
    let op = OPS
        .get(object.take("op").one_of(&OP_NAMES)?)
        .copied()
        .unwrap_or(Op::Eq);
    let value = object.take("value").finite_number()?;
    Ok(Condition { metric, op, value })
}

fn read_rule(field: Field, taken: &[Rule]) -> Result<Rule, (Option<String>, InputError)> {
    let mut object = field
        .strict_object(&["name", "all", "any"])
        .map_err(|e| (None, e))?;
    let name = read_name(object.take("name"), taken).map_err(|e| (None, e))?;
    let fail = |e| (Some(name.clone()), e);
    let (all, any) = (object.take("all"), object.take("any"));
    let (all, list) = match (all.is_absent(), any.is_absent()) {
        (false, false) => return Err(fail(any.error("a rule has either all or any, not both"))),
        (true, true) => return Err(fail(all.error("is required (or any)"))),
        (false, true) => (true, all),
        (true, false) => (false, any),
    };
    let empty = list.error("must hold at least one condition");
    let entries = list.list(MAX_CONDITIONS).map_err(fail)?;
    if entries.is_empty() {
        return Err(fail(empty));
    }
    let conditions: Result<Vec<Condition>, InputError> =
        entries.into_iter().map(read_condition).collect();
    Ok(Rule {
        conditions: conditions.map_err(fail)?,
        all,
        name,
    })
}

impl Rules {
    /// Reads a site's rules (an absent value is no rules), all or nothing.
    pub fn parse(value: Value) -> Result<Self, RulesError> {
        let field = Field::root("rules", value);
        if field.is_absent() {
            return Ok(Rules::default());
        }
        let whole = |error| RulesError {
            index: None,
            name: None,
            error,
        };
        let mut rules = Vec::new();
        for (index, entry) in field
            .list(MAX_RULES)
            .map_err(whole)?
            .into_iter()
            .enumerate()
        {
            let rule = read_rule(entry, &rules).map_err(|(name, error)| RulesError {
                index: Some(index),
                name,
                error,
            })?;
            rules.push(rule);
        }
        Ok(Rules(rules))
    }

    /// The rules, in definition order.
    pub fn rules(&self) -> &[Rule] {
        &self.0
    }

    /// The names of the rules that match at `now`, in definition order.
    pub fn matching<'a>(
        &'a self,
        profile: &'a Profile,
        now: Millis,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |rule| rule.matches(profile, now))
            .map(|rule| rule.name.as_str())
    }
}

impl Condition {
    /// Whether the condition holds for `profile` at `now` (never when the metric has no value).
    pub fn holds(&self, profile: &Profile, now: Millis) -> bool {
        let Some(x) = profile.metric(&self.metric, now) else {
            return false;
        };
        match self.op {
            Op::Gt => x > self.value,
            Op::Gte => x >= self.value,
            Op::Lt => x < self.value,
            Op::Lte => x <= self.value,
            Op::Eq => x == self.value,
        }
    }
}

impl Rule {
    /// Whether the rule matches `profile` at `now`.
    pub fn matches(&self, profile: &Profile, now: Millis) -> bool {
        let mut conditions = self.conditions.iter();
        if self.all {
            conditions.all(|c| c.holds(profile, now))
        } else {
            conditions.any(|c| c.holds(profile, now))
        }
    }
}
