//! Fuzzes the TC-string decoder: any input must decode or fail with a
//! `TcfError`, never panic, and a success must serialize.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(tc) = hearth_core::consent::tcf::decode(&text) {
        assert_eq!(tc.core.version, 2);
        for set in [
            &tc.core.vendor_consents,
            &tc.core.vendor_legitimate_interests,
        ] {
            if let Some(&(_, end)) = set.ranges().last() {
                assert!(end <= set.max_vendor_id());
            }
        }
    }
});
