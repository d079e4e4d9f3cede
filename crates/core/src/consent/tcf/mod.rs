//! Decoder for IAB Transparency & Consent Framework v2.x TC strings (the
//! `euconsent-v2` value): it turns the dot-separated base64url text into typed
//! signals — the core segment, and the optional disclosed-vendors,
//! allowed-vendors and publisher-TC segments — and answers nothing else.
//!
//! It never encodes, never consults a Global Vendor List, never decides what
//! a signal permits (that is the caller's policy), and never trusts the
//! input: it is pure `std`, bounded in time and memory by the input length
//! (capped at [`MAX_TC_STRING_LEN`] bytes), and every malformed input is a
//! [`TcfError`], never a panic.
//!
//! Strictness, where the specification leaves room:
//! - Only unpadded base64url is accepted; only version 2 is accepted.
//! - The core segment comes first; every other segment at most once, in any
//!   order. Segment types 0 (after the first) and 4–7 are errors.
//! - Range entries may appear in any order and may overlap (the reference
//!   decoder takes their union, and so do we), but an entry with vendor id 0,
//!   with start > end, or (in vendor sections) with an id above the section's
//!   `MaxVendorId` is an error.
//! - Publisher restrictions with purpose id 0 or restriction type 3
//!   ("undefined") are errors.
//! - Bits after the last field of a segment are ignored (encoders pad to a
//!   multiple of 6 or 24 bits).
//! - The allowed-vendors segment (type 2) is decoded, not just skipped.

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod bits;
mod error;
mod sets;
#[cfg(test)]
mod tests;

use serde::Serialize;

use bits::{decode_base64url, BitReader};
pub use error::{FieldPath, RangeProblem, TcfError};
pub use sets::{PurposeSet, SpecialFeatureSet, VendorSet};

/// Longest input accepted, in bytes (64 KiB). Real TC strings are a few
/// hundred bytes; even one listing every vendor id 1..=65535 as a bitfield
/// in every vendor section stays well under this.
pub const MAX_TC_STRING_LEN: usize = 64 * 1024;

/// Bits a range entry takes at least (`IsARange` + `StartOrOnlyVendorId`).
const MIN_RANGE_ENTRY_BITS: usize = 1 + 16;
/// Bits a publisher restriction takes at least (purpose, type, count).
const MIN_RESTRICTION_BITS: usize = 6 + 2 + 12;

/// A decoded TC string: the core segment and whichever optional segments
/// were present.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TcString {
    /// The core segment (always present).
    pub core: CoreSegment,
    /// The publisher purposes transparency and consent segment (type 3).
    pub publisher_tc: Option<PublisherTc>,
    /// Vendors disclosed to the user (segment type 1, for out-of-band
    /// signalling).
    pub disclosed_vendors: Option<VendorSet>,
    /// Vendors the publisher allows to use out-of-band legal bases (segment
    /// type 2); decoded and validated like any vendor section.
    pub allowed_vendors: Option<VendorSet>,
}

/// The core segment of a TC string, field by field as in the specification.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoreSegment {
    /// Encoding version; always 2 after a successful decode.
    pub version: u8,
    /// When the string was created, in deciseconds since the Unix epoch.
    pub created_ds: u64,
    /// When the string was last updated, in deciseconds since the Unix epoch.
    pub last_updated_ds: u64,
    /// Id of the consent management platform that last updated the string.
    pub cmp_id: u16,
    /// Version of that CMP.
    pub cmp_version: u16,
    /// CMP-internal screen number where consent was given.
    pub consent_screen: u8,
    /// Two upper-case letters, the ISO 639-1 language of the CMP UI.
    pub consent_language: String,
    /// Global Vendor List version used.
    pub vendor_list_version: u16,
    /// TCF policy version used.
    pub tcf_policy_version: u8,
    /// Whether the signals are service-specific rather than global.
    pub is_service_specific: bool,
    /// Whether the CMP used non-standard stack texts.
    pub use_non_standard_texts: bool,
    /// Special features the user opted in to.
    pub special_feature_opt_ins: SpecialFeatureSet,
    /// Purposes consented to (24 bits).
    pub purpose_consents: PurposeSet,
    /// Purposes whose legitimate-interest transparency was established and
    /// not objected to (24 bits).
    pub purpose_li_transparency: PurposeSet,
    /// `true` when purpose 1 was not disclosed at all (jurisdiction-specific).
    pub purpose_one_treatment: bool,
    /// Two upper-case letters, the ISO 3166-1 alpha-2 publisher country.
    pub publisher_cc: String,
    /// Vendors with consent.
    pub vendor_consents: VendorSet,
    /// Vendors whose legitimate interest was established.
    pub vendor_legitimate_interests: VendorSet,
    /// Publisher restrictions, in the order they appear in the string.
    pub publisher_restrictions: Vec<PublisherRestriction>,
}

/// How a publisher restricts a purpose for some vendors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RestrictionType {
    /// 0: the purpose is flatly not allowed for these vendors.
    NotAllowed,
    /// 1: these vendors need consent for the purpose.
    RequireConsent,
    /// 2: these vendors need legitimate interest for the purpose.
    RequireLegitimateInterest,
}

impl RestrictionType {
    /// The 2-bit wire value (0, 1 or 2).
    pub fn as_u8(self) -> u8 {
        match self {
            RestrictionType::NotAllowed => 0,
            RestrictionType::RequireConsent => 1,
            RestrictionType::RequireLegitimateInterest => 2,
        }
    }
}

/// One publisher restriction entry: a purpose, a restriction type and the
/// vendors it applies to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublisherRestriction {
    /// The restricted purpose (1..=63).
    pub purpose_id: u8,
    /// What the restriction requires.
    pub restriction_type: RestrictionType,
    /// The vendors restricted; its `max_vendor_id` is the highest id listed.
    pub vendors: VendorSet,
}

/// The publisher purposes transparency and consent segment (type 3): the
/// publisher's own uses of data, for standard and custom purposes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublisherTc {
    /// Standard purposes consented to for the publisher (24 bits).
    pub purpose_consents: PurposeSet,
    /// Standard purposes with legitimate-interest transparency for the
    /// publisher (24 bits).
    pub purpose_li_transparency: PurposeSet,
    /// Number of custom purposes the publisher defined (0..=63).
    pub num_custom_purposes: u8,
    /// Custom purposes (1..=`num_custom_purposes`) consented to.
    pub custom_purpose_consents: PurposeSet,
    /// Custom purposes with legitimate-interest transparency.
    pub custom_purpose_li_transparency: PurposeSet,
}

/// Decodes a TC string (`euconsent-v2` value) into its segments.
///
/// Fails with a [`TcfError`] on anything malformed; see the module docs for
/// the exact strictness rules. Runs in time linear in the input length.
pub fn decode(tc_string: &str) -> Result<TcString, TcfError> {
    if tc_string.is_empty() {
        return Err(TcfError::Empty);
    }
    if tc_string.len() > MAX_TC_STRING_LEN {
        return Err(TcfError::TooLong {
            len: tc_string.len(),
            max: MAX_TC_STRING_LEN,
        });
    }

    let mut offset = 0usize;
    let mut core = None;
    let mut publisher_tc = None;
    let mut disclosed_vendors = None;
    let mut allowed_vendors = None;
    for (index, segment) in tc_string.split('.').enumerate() {
        let segment_offset = offset;
        offset = offset.saturating_add(segment.len() + 1);
        if segment.is_empty() {
            return Err(TcfError::EmptySegment { index });
        }
        let bits = decode_base64url(segment, segment_offset)?;
        let mut reader = BitReader::new(&bits);
        if index == 0 {
            core = Some(read_core(&mut reader)?);
            continue;
        }
        let segment_type = reader.read_u8(3, FieldPath::new("segmentType"))?;
        let duplicate = TcfError::DuplicateSegment {
            index,
            segment_type,
        };
        match segment_type {
            1 if disclosed_vendors.is_some() => return Err(duplicate),
            1 => {
                disclosed_vendors = Some(read_vendor_section(
                    &mut reader,
                    FieldPath::new("disclosedVendors"),
                )?)
            }
            2 if allowed_vendors.is_some() => return Err(duplicate),
            2 => {
                allowed_vendors = Some(read_vendor_section(
                    &mut reader,
                    FieldPath::new("allowedVendors"),
                )?)
            }
            3 if publisher_tc.is_some() => return Err(duplicate),
            3 => publisher_tc = Some(read_publisher_tc(&mut reader)?),
            _ => {
                return Err(TcfError::UnknownSegmentType {
                    index,
                    segment_type,
                })
            }
        }
    }
    // `split` always yields at least one part, so `core` is set unless the
    // first part failed above; keep a typed fallback rather than a panic.
    let core = core.ok_or(TcfError::Empty)?;
    Ok(TcString {
        core,
        publisher_tc,
        disclosed_vendors,
        allowed_vendors,
    })
}

/// Reads the core segment, starting at its version field.
fn read_core(r: &mut BitReader<'_>) -> Result<CoreSegment, TcfError> {
    let version = r.read_u8(6, FieldPath::new("version"))?;
    if version != 2 {
        return Err(TcfError::UnsupportedVersion { version });
    }
    let created_ds = r.read(36, FieldPath::new("created"))?;
    let last_updated_ds = r.read(36, FieldPath::new("lastUpdated"))?;
    let cmp_id = r.read_u16(12, FieldPath::new("cmpId"))?;
    let cmp_version = r.read_u16(12, FieldPath::new("cmpVersion"))?;
    let consent_screen = r.read_u8(6, FieldPath::new("consentScreen"))?;
    let consent_language = read_letters(r, FieldPath::new("consentLanguage"))?;
    let vendor_list_version = r.read_u16(12, FieldPath::new("vendorListVersion"))?;
    let tcf_policy_version = r.read_u8(6, FieldPath::new("tcfPolicyVersion"))?;
    let is_service_specific = r.read_bool(FieldPath::new("isServiceSpecific"))?;
    let use_non_standard_texts = r.read_bool(FieldPath::new("useNonStandardTexts"))?;
    let special_features = r.read(12, FieldPath::new("specialFeatureOptIns"))?;
    let purpose_consents = r.read(24, FieldPath::new("purposeConsents"))?;
    let purpose_li = r.read(24, FieldPath::new("purposeLITransparency"))?;
    let purpose_one_treatment = r.read_bool(FieldPath::new("purposeOneTreatment"))?;
    let publisher_cc = read_letters(r, FieldPath::new("publisherCC"))?;
    let vendor_consents = read_vendor_section(r, FieldPath::new("vendorConsents"))?;
    let vendor_legitimate_interests =
        read_vendor_section(r, FieldPath::new("vendorLegitimateInterests"))?;
    let publisher_restrictions = read_publisher_restrictions(r)?;

    let special_bits = PurposeSet::from_field(special_features, 12).bits();
    Ok(CoreSegment {
        version,
        created_ds,
        last_updated_ds,
        cmp_id,
        cmp_version,
        consent_screen,
        consent_language,
        vendor_list_version,
        tcf_policy_version,
        is_service_specific,
        use_non_standard_texts,
        special_feature_opt_ins: SpecialFeatureSet::from_bits((special_bits & 0xfff) as u16),
        purpose_consents: PurposeSet::from_field(purpose_consents, 24),
        purpose_li_transparency: PurposeSet::from_field(purpose_li, 24),
        purpose_one_treatment,
        publisher_cc,
        vendor_consents,
        vendor_legitimate_interests,
        publisher_restrictions,
    })
}

/// Reads two 6-bit letters (0 = A .. 25 = Z) as an upper-case string.
fn read_letters(r: &mut BitReader<'_>, path: FieldPath) -> Result<String, TcfError> {
    let mut out = String::with_capacity(2);
    for _ in 0..2 {
        let value = r.read_u8(6, path)?;
        if value > 25 {
            return Err(TcfError::InvalidLetter { field: path, value });
        }
        out.push(char::from(b'A' + value));
    }
    Ok(out)
}

/// Reads a vendor section: `MaxVendorId`, `IsRangeEncoding`, then either a
/// bitfield of `MaxVendorId` bits or `NumEntries` range entries.
fn read_vendor_section(r: &mut BitReader<'_>, path: FieldPath) -> Result<VendorSet, TcfError> {
    let max_vendor_id = r.read_u16(16, path.with_part("maxVendorId"))?;
    let is_range = r.read_bool(path.with_part("isRangeEncoding"))?;
    if is_range {
        let count = r.read_u16(12, path.with_part("numEntries"))?;
        let ranges = read_range_entries(r, count, path, Some(max_vendor_id))?;
        Ok(VendorSet::from_ranges(max_vendor_id, ranges))
    } else {
        let mut ranges = Vec::new();
        r.read_bitfield_runs(max_vendor_id, path.with_part("bitField"), |start, end| {
            ranges.push((start, end))
        })?;
        Ok(VendorSet::from_sorted_ranges(max_vendor_id, ranges))
    }
}

/// Reads `count` range entries (`IsARange`, `StartOrOnlyVendorId`, optional
/// `EndVendorId`), validating each. Refuses, before allocating, a count the
/// remaining bits cannot hold.
fn read_range_entries(
    r: &mut BitReader<'_>,
    count: u16,
    path: FieldPath,
    max_vendor_id: Option<u16>,
) -> Result<Vec<(u16, u16)>, TcfError> {
    let needed = usize::from(count).saturating_mul(MIN_RANGE_ENTRY_BITS);
    if needed > r.remaining() {
        return Err(TcfError::TooManyEntries {
            field: path,
            count,
            remaining_bits: r.remaining(),
        });
    }
    let mut ranges = Vec::with_capacity(usize::from(count));
    for entry in 1..=count {
        let at = path.at_entry(entry);
        let is_a_range = r.read_bool(at)?;
        let start = r.read_u16(16, at)?;
        let end = if is_a_range {
            r.read_u16(16, at)?
        } else {
            start
        };
        let problem = if start == 0 {
            Some(RangeProblem::ZeroVendorId)
        } else if start > end {
            Some(RangeProblem::StartAfterEnd { start, end })
        } else {
            match max_vendor_id {
                Some(max) if end > max => Some(RangeProblem::AboveMaxVendorId {
                    id: end,
                    max_vendor_id: max,
                }),
                _ => None,
            }
        };
        if let Some(problem) = problem {
            return Err(TcfError::InvalidRangeEntry { field: at, problem });
        }
        ranges.push((start, end));
    }
    Ok(ranges)
}

/// Reads `NumPubRestrictions` and the restriction entries that follow.
fn read_publisher_restrictions(
    r: &mut BitReader<'_>,
) -> Result<Vec<PublisherRestriction>, TcfError> {
    let path = FieldPath::new("publisherRestrictions");
    let count = r.read_u16(12, path.with_part("numPubRestrictions"))?;
    let needed = usize::from(count).saturating_mul(MIN_RESTRICTION_BITS);
    if needed > r.remaining() {
        return Err(TcfError::TooManyEntries {
            field: path,
            count,
            remaining_bits: r.remaining(),
        });
    }
    let mut restrictions = Vec::with_capacity(usize::from(count));
    for index in 1..=count {
        let at = path.in_restriction(index);
        let purpose_id = r.read_u8(6, at.with_part("purposeId"))?;
        let raw_type = r.read_u8(2, at.with_part("restrictionType"))?;
        let restriction_type = match (purpose_id, raw_type) {
            (0, _) | (_, 3..) => {
                return Err(TcfError::InvalidPublisherRestriction {
                    field: at,
                    purpose_id,
                    restriction_type: raw_type,
                })
            }
            (_, 0) => RestrictionType::NotAllowed,
            (_, 1) => RestrictionType::RequireConsent,
            (_, _) => RestrictionType::RequireLegitimateInterest,
        };
        let entries = r.read_u16(12, at.with_part("numEntries"))?;
        let ranges = read_range_entries(r, entries, at, None)?;
        let max = ranges.iter().map(|&(_, end)| end).max().unwrap_or(0);
        restrictions.push(PublisherRestriction {
            purpose_id,
            restriction_type,
            vendors: VendorSet::from_ranges(max, ranges),
        });
    }
    Ok(restrictions)
}

/// Reads the publisher TC segment after its segment type.
fn read_publisher_tc(r: &mut BitReader<'_>) -> Result<PublisherTc, TcfError> {
    let consents = r.read(24, FieldPath::new("pubPurposesConsent"))?;
    let li = r.read(24, FieldPath::new("pubPurposesLITransparency"))?;
    let num_custom = r.read_u8(6, FieldPath::new("numCustomPurposes"))?;
    let width = u32::from(num_custom);
    let custom_consents = r.read(width, FieldPath::new("customPurposesConsent"))?;
    let custom_li = r.read(width, FieldPath::new("customPurposesLITransparency"))?;
    Ok(PublisherTc {
        purpose_consents: PurposeSet::from_field(consents, 24),
        purpose_li_transparency: PurposeSet::from_field(li, 24),
        num_custom_purposes: num_custom,
        custom_purpose_consents: PurposeSet::from_field(custom_consents, width),
        custom_purpose_li_transparency: PurposeSet::from_field(custom_li, width),
    })
}
