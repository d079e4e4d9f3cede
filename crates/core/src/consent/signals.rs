//! Signals from outside the visitor's own `consent.set`: an IAB TCF CMP's TC data, turned
//! into purposes here, as values. (Global Privacy Control is a single flag, applied in
//! [`super::Consent`].)
//!
//! Hearth is the site's own first-party tool, so the **publisher TC segment** (the
//! publisher's own purposes) governs, not the vendor or core purpose consents: `storage` ←
//! publisher purpose 1; `personalization` ← publisher purposes 5 *and* 6; `measurement` ←
//! every configured purpose among 7, 8 and 9 (8 by default). Consent only: legitimate
//! interest never grants a purpose. Without a publisher TC segment nothing is decided,
//! unless the site opted in to falling back to the core purpose consents.

use super::tcf::{self, PurposeSet};
use super::Purposes;
use serde::Serialize;

/// TCF purpose for storing and accessing information on a device.
pub const TCF_STORAGE_PURPOSE: u8 = 1;
/// TCF purposes that together mean personalized content: create a profile (5), use it (6).
pub const TCF_PERSONALIZATION_PURPOSES: [u8; 2] = [5, 6];
/// TCF purposes a site may map to measurement.
pub const TCF_MEASUREMENT_CHOICES: [u8; 3] = [7, 8, 9];
/// The default measurement mapping: measure content performance.
pub const TCF_DEFAULT_MEASUREMENT_PURPOSES: [u8; 1] = [8];

/// How TC data maps to purposes; from `consent.tcf*` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcfMapping {
    /// Purposes (subset of 7, 8, 9) that must all be consented for `measurement`.
    pub measurement_purposes: Vec<u8>,
    /// Whether the core purpose consents stand in when there is no publisher TC segment.
    pub core_fallback: bool,
}

impl Default for TcfMapping {
    fn default() -> Self {
        TcfMapping {
            measurement_purposes: TCF_DEFAULT_MEASUREMENT_PURPOSES.to_vec(),
            core_fallback: false,
        }
    }
}

/// What the CMP reported last, as `consent.get().tcf` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TcfStatus {
    /// Whether GDPR applies for this visitor according to the CMP.
    pub gdpr_applies: bool,
    /// Whether the TC string had a publisher TC segment.
    pub publisher_segment: bool,
    /// The CMP's id, from the TC string (0 when GDPR does not apply).
    pub cmp_id: u16,
    /// The CMP event that carried it (`tcloaded` or `useractioncomplete`).
    pub event_status: String,
}

/// TC data reduced to what Hearth acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcfSignal {
    /// For `consent.get().tcf`.
    pub status: TcfStatus,
    /// The purposes it decides, or `None` when it decides nothing.
    pub purposes: Option<Purposes>,
}

/// Maps a CMP event. `tc_string` is decoded only when GDPR applies.
pub fn tcf_signal(
    gdpr_applies: bool,
    tc_string: &str,
    event_status: &str,
    mapping: &TcfMapping,
) -> Result<TcfSignal, tcf::TcfError> {
    let mut status = TcfStatus {
        gdpr_applies,
        publisher_segment: false,
        cmp_id: 0,
        event_status: event_status.to_owned(),
    };
    if !gdpr_applies {
        return Ok(TcfSignal {
            status,
            purposes: None,
        });
    }
    let decoded = tcf::decode(tc_string)?;
    status.cmp_id = decoded.core.cmp_id;
    status.publisher_segment = decoded.publisher_tc.is_some();
    let governing = match &decoded.publisher_tc {
        Some(publisher) => Some(&publisher.purpose_consents),
        None if mapping.core_fallback => Some(&decoded.core.purpose_consents),
        None => None,
    };
    Ok(TcfSignal {
        status,
        purposes: governing.map(|consents| map_purposes(consents, mapping)),
    })
}

fn map_purposes(consents: &PurposeSet, mapping: &TcfMapping) -> Purposes {
    Purposes {
        storage: consents.allows(TCF_STORAGE_PURPOSE),
        measurement: !mapping.measurement_purposes.is_empty()
            && mapping
                .measurement_purposes
                .iter()
                .all(|&p| consents.allows(p)),
        personalization: TCF_PERSONALIZATION_PURPOSES
            .iter()
            .all(|&p| consents.allows(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors from the reference encoder (tests/fixtures/tcf/vectors.json), picked by content.
    fn vectors() -> Vec<serde_json::Value> {
        let text = include_str!("../../../../tests/fixtures/tcf/vectors.json");
        serde_json::from_str(text).expect("fixture is JSON")
    }

    fn find(predicate: impl Fn(&serde_json::Value) -> bool) -> (String, serde_json::Value) {
        let vector = vectors()
            .into_iter()
            .find(|v| predicate(&v["expected"]))
            .expect("a fixture matches");
        (
            vector["tcString"].as_str().unwrap().to_owned(),
            vector["expected"].clone(),
        )
    }

    fn has(list: &serde_json::Value, purpose: u64) -> bool {
        list.as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_u64() == Some(purpose))
    }

    #[test]
    fn gdpr_not_applying_decides_nothing_and_decodes_nothing() {
        let signal = tcf_signal(
            false,
            "not even a TC string",
            "tcloaded",
            &TcfMapping::default(),
        )
        .unwrap();
        assert_eq!(signal.purposes, None);
        assert!(!signal.status.gdpr_applies);
    }

    #[test]
    fn the_publisher_segment_governs_not_the_core_purposes() {
        let (tc, expected) = find(|e| {
            let publisher = &e["publisherTc"];
            !publisher.is_null()
                && has(&e["core"]["purposeConsents"], 1)
                && !has(&publisher["purposeConsents"], 1)
        });
        let signal = tcf_signal(true, &tc, "useractioncomplete", &TcfMapping::default()).unwrap();
        assert!(signal.status.publisher_segment);
        let purposes = signal.purposes.unwrap();
        assert!(!purposes.storage, "core purpose 1 must not grant storage");
        let publisher = &expected["publisherTc"]["purposeConsents"];
        assert_eq!(
            purposes.personalization,
            has(publisher, 5) && has(publisher, 6)
        );
        assert_eq!(purposes.measurement, has(publisher, 8));
    }

    #[test]
    fn without_a_publisher_segment_nothing_is_decided_unless_fallback_is_on() {
        let (tc, expected) =
            find(|e| e["publisherTc"].is_null() && has(&e["core"]["purposeConsents"], 1));
        let signal = tcf_signal(true, &tc, "tcloaded", &TcfMapping::default()).unwrap();
        assert!(!signal.status.publisher_segment);
        assert_eq!(signal.purposes, None);
        let fallback = TcfMapping {
            core_fallback: true,
            ..TcfMapping::default()
        };
        let purposes = tcf_signal(true, &tc, "tcloaded", &fallback)
            .unwrap()
            .purposes
            .unwrap();
        assert!(purposes.storage);
        let core = &expected["core"]["purposeConsents"];
        assert_eq!(purposes.personalization, has(core, 5) && has(core, 6));
    }

    #[test]
    fn measurement_needs_every_configured_purpose() {
        let (tc, expected) = find(|e| {
            let p = &e["publisherTc"]["purposeConsents"];
            !e["publisherTc"].is_null() && has(p, 8) && !has(p, 9)
        });
        let _ = expected;
        let default = tcf_signal(true, &tc, "tcloaded", &TcfMapping::default()).unwrap();
        assert!(default.purposes.unwrap().measurement);
        let strict = TcfMapping {
            measurement_purposes: vec![8, 9],
            core_fallback: false,
        };
        assert!(
            !tcf_signal(true, &tc, "tcloaded", &strict)
                .unwrap()
                .purposes
                .unwrap()
                .measurement
        );
    }

    #[test]
    fn a_bad_tc_string_is_an_error_when_gdpr_applies() {
        assert!(tcf_signal(true, "!!", "tcloaded", &TcfMapping::default()).is_err());
    }
}
