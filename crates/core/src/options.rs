//! `Hearth.init` options: parsed once at the edge into [`ValidOptions`], trusted from then on.
//!
//! Parsing reads a [`Value`] copied from the JavaScript object. Unknown keys are rejected (a
//! typo must not be silently ignored) and every error names the key's path.

use crate::bandit::{Params, PolicyKind as BanditPolicy, ValidParams};
use crate::consent::signals::{TcfMapping, TCF_MEASUREMENT_CHOICES};
use crate::profile::{Centroids, ProfileConfig, Rules, SegmentDefs};
use crate::value::{Field, InputError, Object, Value};

/// Longest accepted namespace, in characters.
pub const MAX_NAMESPACE_CHARS: usize = 64;
pub use crate::consent::record::MAX_POLICY_VERSION_CHARS;
/// Longest accepted retention, in days (ten years).
pub const MAX_RETENTION_DAYS: u32 = 3650;
/// Retention when none is given, in days.
pub const DEFAULT_RETENTION_DAYS: u32 = 180;

/// Where the profile is kept when `storage` consent allows keeping anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// IndexedDB, falling back to memory when it is unavailable.
    Indexeddb,
    /// Memory only: nothing outlives the page.
    Memory,
}

/// How consent signals are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentOptions {
    /// Whether `navigator.globalPrivacyControl` denies measurement and personalization by default.
    pub honor_gpc: bool,
    /// Whether a TCF CMP (`window.__tcfapi`) is listened to.
    pub read_tcf: bool,
    /// The site's consent policy version; a change asks the visitor again.
    pub policy_version: String,
    /// How TCF signals map to purposes.
    pub tcf_mapping: TcfMapping,
}

/// Which signals capture collects once `measurement` is granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureOptions {
    /// Clicks on items and links.
    pub clicks: bool,
    /// Scroll depth per page view.
    pub scroll: bool,
    /// Item impressions and dwell.
    pub impressions: bool,
    /// Page views, including SPA navigation.
    pub pageviews: bool,
    /// The site's own selector of elements whose clicks are never recorded.
    pub ignore: Option<String>,
    /// Inactivity after which a new session starts, in milliseconds.
    pub session_timeout_ms: u64,
}

/// Ranker settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RankerOptions {
    /// The bandit's parameters: the measured defaults, with the policy and α given.
    pub bandit: ValidParams,
    /// A fixed RNG seed for reproducible runs; random when absent.
    pub seed: Option<u64>,
    /// How long after its impression an unclicked item earns 0, in milliseconds.
    pub no_click_window_ms: u64,
    /// Graded rewards from dwell: the dwell that earns an unclicked item the most, in ms.
    pub full_dwell_ms: Option<u64>,
}

/// Options after validation, with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOptions {
    /// Separates apps on one origin.
    pub namespace: String,
    /// Where data is kept.
    pub storage: StorageKind,
    /// Consent signal handling.
    pub consent: ConsentOptions,
    /// What capture collects.
    pub capture: CaptureOptions,
    /// Ranker settings.
    pub ranker: RankerOptions,
    /// How long anything stored is kept, in days.
    pub retention_days: u32,
    /// Whether stored records are encrypted (AES-GCM with a key that never leaves the
    /// browser); on unless `encryption: false`.
    pub encryption: bool,
    /// How events weigh on the profile.
    pub profile: ProfileConfig,
    /// The site's segment rules and the server's centroids.
    pub segments: SegmentDefs,
}

/// Why options were refused: a bad option (`invalid_options`), or segment rules or
/// centroids that do not hold (`invalid_rules`, `invalid_centroids`, naming the rule).
#[derive(Debug, Clone, PartialEq)]
pub enum OptionsError {
    /// An option is missing, unknown or out of range.
    Input(InputError),
    /// `segments.rules` was refused.
    Rules(crate::profile::RulesError),
    /// `segments.centroids` was refused.
    Centroids(crate::profile::CentroidsError),
}

impl From<InputError> for OptionsError {
    fn from(e: InputError) -> Self {
        OptionsError::Input(e)
    }
}

impl From<OptionsError> for crate::Error {
    fn from(e: OptionsError) -> Self {
        match e {
            OptionsError::Input(e) => e.into(),
            OptionsError::Rules(e) => e.into(),
            OptionsError::Centroids(e) => e.into(),
        }
    }
}

impl OptionsError {
    /// The input error, when the error is one.
    pub fn input(self) -> Option<InputError> {
        match self {
            OptionsError::Input(e) => Some(e),
            _ => None,
        }
    }
}

const OPTION_KEYS: &[&str] = &[
    "namespace",
    "storage",
    "consent",
    "capture",
    "ranker",
    "retentionDays",
    "encryption",
    "profile",
    "segments",
];
const SEGMENTS_KEYS: &[&str] = &["rules", "centroids"];
const CONSENT_KEYS: &[&str] = &[
    "honorGpc",
    "readTcf",
    "policyVersion",
    "tcfMeasurementPurposes",
    "tcfCoreFallback",
];
const CAPTURE_KEYS: &[&str] = &[
    "clicks",
    "scroll",
    "impressions",
    "pageviews",
    "ignore",
    "sessionTimeoutMinutes",
];
/// Longest site ignore selector, in characters.
pub const MAX_IGNORE_SELECTOR_CHARS: usize = 512;
/// Session timeout when none is given, in minutes.
pub const DEFAULT_SESSION_TIMEOUT_MINUTES: u64 = 30;
/// Longest session timeout, in minutes (a day).
pub const MAX_SESSION_TIMEOUT_MINUTES: u64 = 1440;
const RANKER_KEYS: &[&str] = &[
    "policy",
    "alpha",
    "seed",
    "noClickSeconds",
    "dwellSeconds",
    "halfLifeDays",
];
/// Longest `ranker.dwellSeconds` (ten minutes).
pub const MAX_DWELL_SECONDS: u64 = 600;
/// Longest no-click window, in seconds (an hour).
pub const MAX_NO_CLICK_SECONDS: u64 = 3600;
const STORAGE_KINDS: &[&str] = &["indexeddb", "memory"];
const POLICY_KINDS: &[&str] = &["linucb", "thompson", "egreedy", "squarecb", "softmax"];
/// Largest seed: JavaScript numbers are exact up to 2^53 - 1.
const MAX_SEED: u64 = (1 << 53) - 1;

impl From<InputError> for crate::Error {
    fn from(e: InputError) -> Self {
        crate::Error::new(crate::ErrorCode::InvalidOptions, e.to_string())
    }
}

impl ValidOptions {
    /// Reads and validates options; absent (`undefined` or `null`) means all defaults.
    /// Errors name the key's path, e.g. `options.consent.honorGpc`.
    pub fn parse(value: Value) -> Result<Self, OptionsError> {
        let input = Field::root("options", value);
        if input.is_absent() {
            return ValidOptions::parse(Value::Object(Vec::new()));
        }
        let mut options = input.strict_object(OPTION_KEYS)?;
        let namespace = options.take("namespace").optional(read_namespace)?;
        let storage = options
            .take("storage")
            .optional(|f| f.one_of(STORAGE_KINDS))?;
        Ok(ValidOptions {
            namespace: namespace.unwrap_or_else(|| "default".to_owned()),
            storage: match storage {
                Some(1) => StorageKind::Memory,
                _ => StorageKind::Indexeddb,
            },
            consent: read_consent(options.take("consent"))?,
            capture: read_capture(options.take("capture"))?,
            ranker: read_ranker(options.take("ranker"))?,
            retention_days: options
                .take("retentionDays")
                .optional(|f| f.integer(1, MAX_RETENTION_DAYS.into()))?
                .map_or(DEFAULT_RETENTION_DAYS, |days| days as u32),
            encryption: options
                .take("encryption")
                .optional(Field::boolean)?
                .unwrap_or(true),
            profile: options
                .take("profile")
                .optional(ProfileConfig::parse)?
                .unwrap_or_default(),
            segments: read_segments(options.take("segments"))?,
        })
    }
}

fn read_segments(field: Field) -> Result<SegmentDefs, OptionsError> {
    let mut segments = nested(field, SEGMENTS_KEYS)?;
    let rules = segments.take("rules").value().clone();
    let centroids = segments.take("centroids").value().clone();
    Ok(SegmentDefs {
        rules: Rules::parse(rules).map_err(OptionsError::Rules)?,
        centroids: Centroids::parse(centroids).map_err(OptionsError::Centroids)?,
    })
}

/// Optional nested options: absent means an empty object, i.e. every default.
fn nested(field: Field, keys: &'static [&'static str]) -> Result<Object, InputError> {
    if field.is_absent() {
        return Field::root(&field.path(), Value::Object(Vec::new())).strict_object(keys);
    }
    field.strict_object(keys)
}

fn read_namespace(field: Field) -> Result<String, InputError> {
    let error = field.error(format!(
        "must be 1 to {MAX_NAMESPACE_CHARS} letters, digits, '-' or '_'"
    ));
    let namespace = field.text(MAX_NAMESPACE_CHARS)?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if namespace.chars().all(allowed) {
        Ok(namespace)
    } else {
        Err(error)
    }
}

fn read_consent(field: Field) -> Result<ConsentOptions, InputError> {
    let mut consent = nested(field, CONSENT_KEYS)?;
    Ok(ConsentOptions {
        honor_gpc: consent
            .take("honorGpc")
            .optional(Field::boolean)?
            .unwrap_or(true),
        read_tcf: consent
            .take("readTcf")
            .optional(Field::boolean)?
            .unwrap_or(true),
        policy_version: consent
            .take("policyVersion")
            .optional(|f| f.text(MAX_POLICY_VERSION_CHARS))?
            .unwrap_or_default(),
        tcf_mapping: TcfMapping {
            measurement_purposes: consent
                .take("tcfMeasurementPurposes")
                .optional(read_measurement_purposes)?
                .unwrap_or_else(|| TcfMapping::default().measurement_purposes),
            core_fallback: consent
                .take("tcfCoreFallback")
                .optional(Field::boolean)?
                .unwrap_or(false),
        },
    })
}

/// A non-empty subset of TCF purposes 7, 8 and 9.
fn read_measurement_purposes(field: Field) -> Result<Vec<u8>, InputError> {
    let error = field.error("must list one to three of the TCF purposes 7, 8 and 9, each once");
    let mut purposes = Vec::new();
    for entry in field.list(TCF_MEASUREMENT_CHOICES.len())? {
        let purpose = entry.integer(7, 9)? as u8;
        if purposes.contains(&purpose) {
            return Err(error);
        }
        purposes.push(purpose);
    }
    if purposes.is_empty() {
        return Err(error);
    }
    Ok(purposes)
}

fn read_capture(field: Field) -> Result<CaptureOptions, InputError> {
    let mut capture = nested(field, CAPTURE_KEYS)?;
    let mut flag = |key| {
        capture
            .take(key)
            .optional(Field::boolean)
            .map(|b| b.unwrap_or(true))
    };
    let (clicks, scroll) = (flag("clicks")?, flag("scroll")?);
    let (impressions, pageviews) = (flag("impressions")?, flag("pageviews")?);
    let ignore = capture
        .take("ignore")
        .optional(|f| f.text(MAX_IGNORE_SELECTOR_CHARS))?;
    let timeout_minutes = capture
        .take("sessionTimeoutMinutes")
        .optional(|f| f.integer(1, MAX_SESSION_TIMEOUT_MINUTES))?
        .unwrap_or(DEFAULT_SESSION_TIMEOUT_MINUTES);
    Ok(CaptureOptions {
        clicks,
        scroll,
        impressions,
        pageviews,
        ignore,
        session_timeout_ms: timeout_minutes * 60_000,
    })
}

fn read_ranker(field: Field) -> Result<RankerOptions, InputError> {
    let mut ranker = nested(field, RANKER_KEYS)?;
    let mut params = Params::default();
    if let Some(policy) = ranker.take("policy").optional(|f| f.one_of(POLICY_KINDS))? {
        params.policy = [
            BanditPolicy::LinUcb,
            BanditPolicy::Thompson,
            BanditPolicy::EpsilonGreedy,
            BanditPolicy::SquareCb,
            BanditPolicy::Softmax,
        ]
        .get(policy)
        .copied()
        .unwrap_or(BanditPolicy::LinUcb);
    }
    let alpha_field = ranker.take("alpha");
    let alpha_error = alpha_field.error("must be a finite number ≥ 0");
    if let Some(alpha) = alpha_field.optional(Field::finite_number)? {
        if alpha < 0.0 {
            return Err(alpha_error);
        }
        params.alpha = alpha;
    }
    let half_life_field = ranker.take("halfLifeDays");
    let half_life_error =
        half_life_field.error("must be a number of days from 0 (never forget) to 3650");
    if let Some(days) = half_life_field.optional(Field::finite_number)? {
        if !(0.0..=crate::bandit::params::MAX_HALF_LIFE_DAYS).contains(&days) {
            return Err(half_life_error);
        }
        params.half_life_days = days;
    }
    let bandit = params.validate().map_err(|e| InputError {
        path: "options.ranker".into(),
        reason: format!("{} {}", e.field, e.rule),
    })?;
    let no_click_seconds = ranker
        .take("noClickSeconds")
        .optional(|f| f.integer(1, MAX_NO_CLICK_SECONDS))?;
    Ok(RankerOptions {
        bandit,
        seed: ranker.take("seed").optional(|f| f.integer(0, MAX_SEED))?,
        no_click_window_ms: no_click_seconds
            .map_or(crate::personalize::DEFAULT_NO_CLICK_WINDOW_MS, |s| s * 1000),
        full_dwell_ms: ranker
            .take("dwellSeconds")
            .optional(|f| f.integer(1, MAX_DWELL_SECONDS))?
            .map(|s| s * 1000),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<ValidOptions, InputError> {
        ValidOptions::parse(crate::value::from_json(json))
            .map_err(|e| e.input().expect("these tests give no segments"))
    }

    #[test]
    fn profile_segments_and_encryption_are_read() {
        let options = parse("{}").unwrap();
        assert!(options.encryption);
        assert_eq!(options.ranker.full_dwell_ms, None);
        let graded = parse(r#"{"ranker":{"dwellSeconds":20}}"#).unwrap();
        assert_eq!(graded.ranker.full_dwell_ms, Some(20_000));
        assert_eq!(options.profile, ProfileConfig::default());
        let options = ValidOptions::parse(crate::value::from_json(
            r#"{"encryption":false,"profile":{"halfLifeDays":7},
                "segments":{"rules":[{"name":"fan","all":[{"metric":"clicks","window":"7d","op":"gte","value":3}]}]}}"#,
        ))
        .unwrap();
        assert!(!options.encryption);
        assert_eq!(options.profile.half_life_ms, 7 * 86_400_000);
        assert_eq!(options.segments.rules.rules().len(), 1);
    }

    #[test]
    fn bad_segment_rules_are_refused_with_their_own_code_naming_the_rule() {
        let error = ValidOptions::parse(crate::value::from_json(
            r#"{"segments":{"rules":[{"name":"fan","all":[{"metric":"nope","window":"7d","op":"gte","value":3}]}]}}"#,
        ))
        .unwrap_err();
        let error = crate::Error::from(error);
        assert_eq!(error.code, crate::ErrorCode::InvalidRules);
        assert!(error.message.contains("'fan'"), "{}", error.message);
        let error = ValidOptions::parse(crate::value::from_json(r#"{"segments":{"centroids":5}}"#))
            .unwrap_err();
        assert_eq!(
            crate::Error::from(error).code,
            crate::ErrorCode::InvalidCentroids
        );
        let error = ValidOptions::parse(crate::value::from_json(r#"{"segments":{"rule":[]}}"#))
            .unwrap_err();
        assert_eq!(
            crate::Error::from(error).code,
            crate::ErrorCode::InvalidOptions
        );
    }

    #[test]
    fn absent_options_mean_every_default() {
        let options = parse("null").unwrap();
        assert_eq!(options.namespace, "default");
        assert_eq!(options.storage, StorageKind::Indexeddb);
        assert!(options.consent.honor_gpc && options.consent.read_tcf);
        assert_eq!(options.ranker.bandit.policy(), BanditPolicy::LinUcb);
        assert_eq!(options.ranker.bandit, Params::default().validate().unwrap());
        assert_eq!(options.retention_days, DEFAULT_RETENTION_DAYS);
        assert_eq!(parse("{}").unwrap(), options);
    }

    #[test]
    fn the_design_example_is_accepted() {
        let options = parse(
            r#"{"namespace":"news","storage":"indexeddb",
                "consent":{"honorGpc":true,"readTcf":true,"policyVersion":"2026-11"},
                "capture":{"clicks":true,"scroll":true,"impressions":true,"pageviews":true},
                "ranker":{"policy":"linucb","alpha":1.0,"seed":7},"retentionDays":180}"#,
        )
        .unwrap();
        assert_eq!(options.namespace, "news");
        assert_eq!(options.ranker.seed, Some(7));
        assert_eq!(options.consent.policy_version, "2026-11");
        assert_eq!(options.consent.tcf_mapping, TcfMapping::default());
        let options =
            parse(r#"{"consent":{"tcfMeasurementPurposes":[7,8,9],"tcfCoreFallback":true}}"#)
                .unwrap();
        assert_eq!(
            options.consent.tcf_mapping.measurement_purposes,
            vec![7, 8, 9]
        );
        assert!(options.consent.tcf_mapping.core_fallback);
    }

    #[test]
    fn an_unknown_key_is_named() {
        let error = parse(r#"{"namspace":"x"}"#).unwrap_err();
        assert_eq!(error.path, "options.namspace");
        assert!(
            error
                .reason
                .starts_with("unknown key; expected one of namespace,"),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_nested_key_is_named_with_its_path() {
        let error = parse(r#"{"consent":{"honorGPC":true}}"#).unwrap_err();
        assert_eq!(error.path, "options.consent.honorGPC");
    }

    #[test]
    fn a_wrong_type_names_the_key() {
        let error = parse(r#"{"consent":{"honorGpc":"yes"}}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "options.consent.honorGpc: must be true or false, got the string 'yes'"
        );
    }

    #[test]
    fn out_of_range_values_are_rejected() {
        for (json, path) in [
            (r#"{"retentionDays":0}"#, "retentionDays"),
            (r#"{"retentionDays":-3}"#, "retentionDays"),
            (r#"{"namespace":""}"#, "namespace"),
            (r#"{"namespace":"a b"}"#, "namespace"),
            (r#"{"ranker":{"alpha":-1}}"#, "ranker.alpha"),
            (r#"{"ranker":{"halfLifeDays":-1}}"#, "ranker.halfLifeDays"),
            (r#"{"ranker":{"policy":"magic"}}"#, "ranker.policy"),
            (r#"{"ranker":{"seed":1.5}}"#, "ranker.seed"),
            (r#"{"ranker":{"dwellSeconds":0}}"#, "ranker.dwellSeconds"),
            (r#"{"storage":"disk"}"#, "storage"),
            (r#"{"capture":{"clicks":1}}"#, "capture.clicks"),
            (
                r#"{"capture":{"sessionTimeoutMinutes":0}}"#,
                "capture.sessionTimeoutMinutes",
            ),
            (r#"{"capture":{"ignore":""}}"#, "capture.ignore"),
            (
                r#"{"consent":{"tcfMeasurementPurposes":[6]}}"#,
                "consent.tcfMeasurementPurposes[0]",
            ),
            (
                r#"{"consent":{"tcfMeasurementPurposes":[]}}"#,
                "consent.tcfMeasurementPurposes",
            ),
            (
                r#"{"consent":{"tcfMeasurementPurposes":[8,8]}}"#,
                "consent.tcfMeasurementPurposes",
            ),
        ] {
            assert_eq!(
                parse(json).unwrap_err().path,
                format!("options.{path}"),
                "{json}"
            );
        }
        assert!(parse(r#""news""#).is_err());
    }
}
