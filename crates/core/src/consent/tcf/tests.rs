//! Behaviour tests for the TC-string decoder, built on a tiny bit writer so
//! hostile inputs can be constructed field by field.
// Compiled only under `#[cfg(test)]`: the parent module includes this file with a
// `#[cfg(test)] mod` line.

use super::*;
use std::time::{Duration, Instant};

/// Builds bit strings and encodes them as unpadded base64url.
#[derive(Default)]
struct BitWriter {
    bits: Vec<bool>,
}

impl BitWriter {
    fn put(&mut self, value: u64, width: u32) -> &mut Self {
        for i in (0..width).rev() {
            self.bits.push(value.checked_shr(i).unwrap_or(0) & 1 == 1);
        }
        self
    }

    fn encode(&self) -> String {
        const DICT: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        self.bits
            .chunks(6)
            .map(|chunk| {
                let mut v = 0usize;
                for i in 0..6 {
                    v = v << 1 | usize::from(chunk.get(i).copied().unwrap_or(false));
                }
                char::from(DICT[v])
            })
            .collect()
    }
}

/// Writes a core segment header up to (not including) the vendor consent
/// section: version 2, fixed timestamps, CMP 7 v3, screen 1, "EN", GVL 50,
/// policy 4, purposes 1 and 2 consented, publisher country "DE".
fn core_header(w: &mut BitWriter) -> &mut BitWriter {
    w.put(2, 6)
        .put(16_000_000_000, 36)
        .put(16_000_000_001, 36)
        .put(7, 12)
        .put(3, 12)
        .put(1, 6)
        .put(4, 6) // E
        .put(13, 6) // N
        .put(50, 12)
        .put(4, 6)
        .put(0, 1)
        .put(0, 1)
        .put(0b1000_0000_0000, 12)
        .put(0b1100_0000_0000_0000_0000_0000, 24)
        .put(0, 24)
        .put(0, 1)
        .put(3, 6) // D
        .put(4, 6) // E
}

/// A valid string: vendor consents as a bitfield {1, 3}, LI as ranges
/// {5..=9, 12}, one restriction (purpose 2, require consent, vendor 3),
/// plus disclosed vendors and a publisher TC segment with 2 custom purposes.
fn sample() -> String {
    let mut w = BitWriter::default();
    core_header(&mut w)
        .put(3, 16)
        .put(0, 1)
        .put(0b101, 3)
        .put(12, 16)
        .put(1, 1)
        .put(2, 12)
        .put(1, 1)
        .put(5, 16)
        .put(9, 16)
        .put(0, 1)
        .put(12, 16)
        .put(1, 12)
        .put(2, 6)
        .put(1, 2)
        .put(1, 12)
        .put(0, 1)
        .put(3, 16);
    let core = w.encode();
    let mut d = BitWriter::default();
    d.put(1, 3).put(4, 16).put(0, 1).put(0b1111, 4);
    let mut p = BitWriter::default();
    p.put(3, 3)
        .put(1 << 23, 24)
        .put(0, 24)
        .put(2, 6)
        .put(0b01, 2)
        .put(0b10, 2);
    format!("{core}.{}.{}", d.encode(), p.encode())
}

#[test]
fn a_hand_built_string_decodes_every_field() {
    let tc = decode(&sample()).unwrap();
    let core = &tc.core;
    assert_eq!(core.version, 2);
    assert_eq!(core.created_ds, 16_000_000_000);
    assert_eq!(core.last_updated_ds, 16_000_000_001);
    assert_eq!(
        (core.cmp_id, core.cmp_version, core.consent_screen),
        (7, 3, 1)
    );
    assert_eq!(core.consent_language, "EN");
    assert_eq!(core.publisher_cc, "DE");
    assert_eq!((core.vendor_list_version, core.tcf_policy_version), (50, 4));
    assert!(core.special_feature_opt_ins.is_opted_in(1));
    assert!(!core.special_feature_opt_ins.is_opted_in(2));
    assert!(core.purpose_consents.allows(1) && core.purpose_consents.allows(2));
    assert!(!core.purpose_consents.allows(3));
    assert_eq!(core.vendor_consents.iter().collect::<Vec<_>>(), vec![1, 3]);
    assert_eq!(core.vendor_consents.max_vendor_id(), 3);
    assert_eq!(
        core.vendor_legitimate_interests.iter().collect::<Vec<_>>(),
        vec![5, 6, 7, 8, 9, 12]
    );
    assert_eq!(core.publisher_restrictions.len(), 1);
    let restriction = &core.publisher_restrictions[0];
    assert_eq!(restriction.purpose_id, 2);
    assert_eq!(
        restriction.restriction_type,
        RestrictionType::RequireConsent
    );
    assert!(restriction.vendors.contains(3));
    assert_eq!(tc.disclosed_vendors.unwrap().len(), 4);
    let publisher = tc.publisher_tc.unwrap();
    assert!(publisher.purpose_consents.allows(1));
    assert_eq!(publisher.num_custom_purposes, 2);
    assert!(!publisher.custom_purpose_consents.allows(1));
    assert!(publisher.custom_purpose_consents.allows(2));
    assert!(publisher.custom_purpose_li_transparency.allows(1));
    assert!(tc.allowed_vendors.is_none());
}

#[test]
fn a_published_example_string_decodes() {
    // Example from the TCF v2 "Consent string and vendor list formats"
    // specification (core + publisher TC, service-specific).
    let tc =
        decode("CLcVDxRMWfGmWAVAHCENAXCkAKDAADnAABRgA5mdfCKZuYJez-NQm0TBMYA4oCAAGQYIAAAAAAEAIAEgAA.argAC0gAAAAAAAAAAAA")
            .unwrap();
    assert_eq!(tc.core.version, 2);
    assert!(tc.publisher_tc.is_some());
}

#[test]
fn hostile_4095_range_entries_decode_in_milliseconds() {
    let mut w = BitWriter::default();
    core_header(&mut w).put(65535, 16).put(1, 1).put(4095, 12);
    // Entries in descending order, each a wide overlapping range.
    for i in 0..4095u64 {
        w.put(1, 1).put(4095 - i, 16).put(65535 - i, 16);
    }
    w.put(0, 16).put(0, 1).put(0, 12);
    let text = w.encode();
    let started = Instant::now();
    let tc = decode(&text).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(tc.core.vendor_consents.ranges(), &[(1, 65535)]);
    assert_eq!(tc.core.vendor_consents.len(), 65535);
    assert!(elapsed < Duration::from_millis(200), "took {elapsed:?}");
}

#[test]
fn a_range_count_the_remaining_bits_cannot_hold_is_refused_before_reading() {
    let mut w = BitWriter::default();
    core_header(&mut w).put(500, 16).put(1, 1).put(4095, 12);
    w.put(0, 17 * 10);
    let err = decode(&w.encode()).unwrap_err();
    assert_eq!(err.kind(), "too_many_entries");
    assert!(err
        .to_string()
        .contains("vendorConsents claims 4095 entries"));
}

#[test]
fn a_bitfield_longer_than_the_input_is_truncation() {
    let mut w = BitWriter::default();
    core_header(&mut w).put(65535, 16).put(0, 1).put(0, 100);
    let err = decode(&w.encode()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "TC string truncated while reading vendorConsents bitField"
    );
}

#[test]
fn a_truncated_range_entry_names_the_entry() {
    let mut w = BitWriter::default();
    core_header(&mut w).put(900, 16).put(1, 1).put(2, 12);
    w.put(0, 1).put(5, 16).put(1, 1).put(7, 16);
    // Second entry claims a range but its end id is cut off; pad to make the
    // entry count plausible (2 × 17 bits) without completing the entry.
    let err = decode(&w.encode()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "TC string truncated while reading vendorConsents range entry 2"
    );
}

#[test]
fn range_entries_with_zero_backwards_or_too_large_ids_are_rejected() {
    for (start, end, max, expected) in [
        (0, 4, 10, RangeProblem::ZeroVendorId),
        (6, 4, 10, RangeProblem::StartAfterEnd { start: 6, end: 4 }),
        (
            4,
            11,
            10,
            RangeProblem::AboveMaxVendorId {
                id: 11,
                max_vendor_id: 10,
            },
        ),
    ] {
        let mut w = BitWriter::default();
        core_header(&mut w).put(max, 16).put(1, 1).put(1, 12);
        w.put(1, 1).put(start, 16).put(end, 16).put(0, 48);
        match decode(&w.encode()) {
            Err(TcfError::InvalidRangeEntry { field, problem }) => {
                assert_eq!(problem, expected);
                assert_eq!(field.entry, Some(1));
                assert_eq!(field.field, "vendorConsents");
            }
            other => panic!("expected invalid range entry, got {other:?}"),
        }
    }
}

#[test]
fn version_one_and_version_three_strings_are_unsupported() {
    for version in [1u64, 3, 0, 63] {
        let mut w = BitWriter::default();
        w.put(version, 6).put(0, 300);
        assert_eq!(
            decode(&w.encode()),
            Err(TcfError::UnsupportedVersion {
                version: version as u8
            })
        );
    }
    // A real TCF v1.1 string.
    assert_eq!(
        decode("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA")
            .unwrap_err()
            .kind(),
        "unsupported_version"
    );
}

#[test]
fn unknown_duplicate_and_empty_segments_are_rejected() {
    let base = sample();
    let core = base.split('.').next().unwrap().to_string();
    // Segment type 7 = "7" bits 111...: '_' is 111111.
    assert_eq!(
        decode(&format!("{core}.____")).unwrap_err(),
        TcfError::UnknownSegmentType {
            index: 1,
            segment_type: 7
        }
    );
    // Segment type 0 after the core.
    assert_eq!(
        decode(&format!("{core}.{core}")).unwrap_err().kind(),
        "unknown_segment_type"
    );
    assert_eq!(
        decode(&format!("{base}.{}", base.split('.').nth(2).unwrap()))
            .unwrap_err()
            .kind(),
        "duplicate_segment"
    );
    assert_eq!(
        decode(&format!("{core}.")).unwrap_err(),
        TcfError::EmptySegment { index: 1 }
    );
    assert_eq!(
        decode(&format!(".{core}")).unwrap_err(),
        TcfError::EmptySegment { index: 0 }
    );
}

#[test]
fn empty_and_oversized_inputs_are_rejected_without_decoding() {
    assert_eq!(decode(""), Err(TcfError::Empty));
    let long = "A".repeat(MAX_TC_STRING_LEN + 1);
    assert_eq!(decode(&long).unwrap_err().kind(), "too_long");
}

#[test]
fn bad_base64_is_reported_at_its_byte_position_in_the_whole_string() {
    let base = sample();
    let core_len = base.find('.').unwrap();
    let mut broken = base.clone();
    broken.replace_range(core_len + 2..core_len + 3, "+");
    assert_eq!(
        decode(&broken),
        Err(TcfError::InvalidBase64 {
            position: core_len + 2,
            found: '+'
        })
    );
}

#[test]
fn publisher_restrictions_with_purpose_zero_or_type_three_are_rejected() {
    for (purpose, kind) in [(0u64, 1u64), (2, 3)] {
        let mut w = BitWriter::default();
        core_header(&mut w)
            .put(0, 16)
            .put(0, 1)
            .put(0, 16)
            .put(0, 1)
            .put(1, 12)
            .put(purpose, 6)
            .put(kind, 2)
            .put(0, 12);
        assert_eq!(
            decode(&w.encode()).unwrap_err().kind(),
            "invalid_publisher_restriction"
        );
    }
}

#[test]
fn every_error_has_the_stable_code_and_a_message() {
    let err = decode("!").unwrap_err();
    assert_eq!(err.code(), "invalid_tc_string");
    assert!(err.to_string().contains("byte 0"));
    let as_std: &dyn std::error::Error = &err;
    assert!(!as_std.to_string().is_empty());
}

#[test]
fn every_prefix_and_every_single_bit_flip_of_a_valid_string_decodes_or_errs_without_panicking() {
    const DICT: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let text = sample();
    for end in 0..=text.len() {
        let _ = decode(&text[..end]);
    }
    let bytes = text.as_bytes();
    let mut flips = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let Some(value) = DICT.iter().position(|&c| c == byte) else {
            continue;
        };
        for bit in 0..6 {
            let mut mutated = bytes.to_vec();
            mutated[index] = DICT[value ^ (1 << bit)];
            let mutated = String::from_utf8(mutated).unwrap();
            let _ = decode(&mutated);
            flips += 1;
        }
    }
    assert!(flips > 100);
}

#[test]
fn serialization_uses_camel_case_and_id_arrays() {
    let tc = decode(&sample()).unwrap();
    let json = serde_json::to_value(&tc).unwrap();
    assert_eq!(json["core"]["vendorConsents"], serde_json::json!([1, 3]));
    assert_eq!(json["core"]["purposeConsents"], serde_json::json!([1, 2]));
    assert_eq!(json["core"]["specialFeatureOptIns"], serde_json::json!([1]));
    assert_eq!(json["core"]["publisherCc"], "DE");
    assert_eq!(
        json["core"]["publisherRestrictions"][0]["restrictionType"],
        "requireConsent"
    );
    assert_eq!(json["publisherTc"]["numCustomPurposes"], 2);
    assert_eq!(json["allowedVendors"], serde_json::Value::Null);
}
