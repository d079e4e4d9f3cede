// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(not(target_arch = "wasm32"))]
//! Checks the TC-string decoder against fixtures made by
//! `scripts/tcf-vectors.mjs`: strings from the IAB reference encoder
//! (`@iabtechlabtcf/core`) with the fields its reference decoder reads back,
//! and hand-made or mutated bad strings with the error kinds they must give.

use std::path::PathBuf;

use hearth_core::consent::tcf::{decode, TcfError, VendorSet};
use serde_json::Value;

fn fixture(name: &str) -> Vec<Value> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "tests",
        "fixtures",
        "tcf",
        name,
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(Value::Array(items)) => items,
        other => panic!("{} is not a JSON array: {other:?}", path.display()),
    }
}

/// Records every difference between `expected` and `actual` under `path`.
fn diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                diff(
                    &format!("{path}.{key}"),
                    value,
                    a.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}.{key}: not in the fixture"));
            }
        }
        (e, a) if e != a => {
            let show = |v: &Value| {
                let s = v.to_string();
                if s.len() > 120 {
                    format!("{}…", &s[..120])
                } else {
                    s
                }
            };
            out.push(format!("{path}: expected {}, got {}", show(e), show(a)));
        }
        _ => {}
    }
}

fn ids(value: &Value) -> Vec<u64> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default()
}

/// The reference encoder writes MaxVendorId as the highest id in the set.
fn check_vendor_set(name: &str, set: &VendorSet, expected: &Value, out: &mut Vec<String>) {
    let expected = ids(expected);
    let last = expected.last().copied().unwrap_or(0);
    if u64::from(set.max_vendor_id()) != last {
        out.push(format!(
            "{name}: maxVendorId {} but highest id {last}",
            set.max_vendor_id()
        ));
    }
    if set.len() != expected.len() {
        out.push(format!("{name}: len {} vs {}", set.len(), expected.len()));
    }
    for &id in &expected {
        if !set.contains(id as u16) {
            out.push(format!("{name}: contains({id}) is false"));
        }
    }
    for probe in [0u16, 1, 2, 61, 799, 800, 801, 65534, 65535] {
        if set.contains(probe) != expected.contains(&u64::from(probe)) {
            out.push(format!("{name}: contains({probe}) disagrees"));
        }
    }
}

#[test]
fn every_reference_vector_decodes_to_the_reference_decoders_fields() {
    let vectors = fixture("vectors.json");
    assert!(vectors.len() >= 250, "only {} vectors", vectors.len());
    let mut failures = Vec::new();
    for (index, vector) in vectors.iter().enumerate() {
        let tc_string = vector["tcString"].as_str().unwrap_or_default();
        let expected = &vector["expected"];
        let mut problems = Vec::new();
        match decode(tc_string) {
            Err(err) => problems.push(format!("decode failed: {err}")),
            Ok(tc) => {
                let actual = serde_json::to_value(&tc).expect("TcString serializes");
                diff("", expected, &actual, &mut problems);
                let core = &tc.core;
                let exp_core = &expected["core"];
                for purpose in 0..=25u8 {
                    let listed = ids(&exp_core["purposeConsents"]).contains(&u64::from(purpose));
                    if core.purpose_consents.allows(purpose) != listed {
                        problems.push(format!("purposeConsents.allows({purpose}) disagrees"));
                    }
                }
                for feature in 0..=13u8 {
                    let listed =
                        ids(&exp_core["specialFeatureOptIns"]).contains(&u64::from(feature));
                    if core.special_feature_opt_ins.is_opted_in(feature) != listed {
                        problems.push(format!("specialFeatureOptIns({feature}) disagrees"));
                    }
                }
                check_vendor_set(
                    "vendorConsents",
                    &core.vendor_consents,
                    &exp_core["vendorConsents"],
                    &mut problems,
                );
                check_vendor_set(
                    "vendorLegitimateInterests",
                    &core.vendor_legitimate_interests,
                    &exp_core["vendorLegitimateInterests"],
                    &mut problems,
                );
                if let Some(set) = &tc.disclosed_vendors {
                    check_vendor_set(
                        "disclosedVendors",
                        set,
                        &expected["disclosedVendors"],
                        &mut problems,
                    );
                }
                if let Some(set) = &tc.allowed_vendors {
                    check_vendor_set(
                        "allowedVendors",
                        set,
                        &expected["allowedVendors"],
                        &mut problems,
                    );
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "vector {index} ({tc_string}):\n  {}",
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn every_invalid_string_is_rejected_with_the_expected_error_kind() {
    let cases = fixture("invalid.json");
    assert!(cases.len() >= 100, "only {} invalid strings", cases.len());
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let unit = case["tcString"].as_str().unwrap_or_default();
        let repeat = case["repeat"].as_u64().unwrap_or(1) as usize;
        let input = unit.repeat(repeat);
        let allowed: Vec<&str> = case["errors"]
            .as_array()
            .map(|kinds| kinds.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let note = case["note"].as_str().unwrap_or_default();
        let shown: String = input.chars().take(80).collect();
        match decode(&input) {
            Ok(_) => failures.push(format!("case {index} ({note}): decoded {shown:?}")),
            Err(err) => {
                if !allowed.contains(&err.kind()) {
                    failures.push(format!(
                        "case {index} ({note}): got {} ({err}), expected one of {allowed:?}",
                        err.kind()
                    ));
                }
                if err.code() != "invalid_tc_string" || !err.to_string().starts_with("TC string") {
                    failures.push(format!("case {index}: bad code or message: {err}"));
                }
                if let Some(position) = case["position"].as_u64() {
                    match err {
                        TcfError::InvalidBase64 { position: at, .. } if at as u64 == position => {}
                        other => failures.push(format!(
                            "case {index} ({note}): expected invalid base64 at {position}, got {other:?}"
                        )),
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} invalid strings misjudged:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
