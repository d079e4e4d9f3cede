//! Errors reported by the TC-string decoder, with messages that name the
//! field and position at fault. It never carries or echoes the input string.

use std::fmt;

/// Where in a TC string a field sits, for error messages: the field name as
/// the TCF specification spells it (camelCase), optionally the 1-based
/// publisher restriction, a sub-field, and the 1-based range entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPath {
    /// Field name, e.g. `"vendorConsents"` or `"publisherRestrictions"`.
    pub field: &'static str,
    /// 1-based index of the publisher restriction, when inside one.
    pub restriction: Option<u16>,
    /// Sub-field within the field, e.g. `"maxVendorId"` or `"numEntries"`.
    pub part: Option<&'static str>,
    /// 1-based index of the range entry, when inside a range section.
    pub entry: Option<u16>,
}

impl FieldPath {
    /// A path naming only a field.
    pub const fn new(field: &'static str) -> Self {
        FieldPath {
            field,
            restriction: None,
            part: None,
            entry: None,
        }
    }

    /// The same path inside the given 1-based publisher restriction.
    pub const fn in_restriction(self, restriction: u16) -> Self {
        FieldPath {
            restriction: Some(restriction),
            ..self
        }
    }

    /// The same path narrowed to a named sub-field.
    pub const fn with_part(self, part: &'static str) -> Self {
        FieldPath {
            part: Some(part),
            ..self
        }
    }

    /// The same path at the given 1-based range entry.
    pub const fn at_entry(self, entry: u16) -> Self {
        FieldPath {
            entry: Some(entry),
            ..self
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field)?;
        if let Some(restriction) = self.restriction {
            write!(f, " restriction {restriction}")?;
        }
        if let Some(part) = self.part {
            write!(f, " {part}")?;
        }
        if let Some(entry) = self.entry {
            write!(f, " range entry {entry}")?;
        }
        Ok(())
    }
}

/// What is wrong with one range entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    /// Vendor id 0 does not exist; ids start at 1.
    ZeroVendorId,
    /// `StartOrOnlyVendorId` is greater than `EndVendorId`.
    StartAfterEnd {
        /// The start id read.
        start: u16,
        /// The end id read.
        end: u16,
    },
    /// An id lies above the section's `MaxVendorId`.
    AboveMaxVendorId {
        /// The offending id.
        id: u16,
        /// The section's declared `MaxVendorId`.
        max_vendor_id: u16,
    },
}

/// Why a TC string could not be decoded. Every variant means the string is
/// unusable as a whole; [`TcfError::code`] is the stable code to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TcfError {
    /// The input was the empty string.
    Empty,
    /// The input is longer than [`super::MAX_TC_STRING_LEN`] bytes.
    TooLong {
        /// Length of the input in bytes.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A character outside the unpadded base64url alphabet
    /// (`A–Z a–z 0–9 - _`) appears in a segment.
    InvalidBase64 {
        /// Byte offset of the character in the whole input.
        position: usize,
        /// The character found.
        found: char,
    },
    /// A segment between dots is empty (e.g. `"core..x"` or a trailing dot).
    EmptySegment {
        /// 0-based index of the segment among the dot-separated parts.
        index: usize,
    },
    /// The input ended while reading a field.
    Truncated {
        /// The field being read.
        field: FieldPath,
    },
    /// The core segment's version is not 2 (version 1 strings are a
    /// different, retired format).
    UnsupportedVersion {
        /// The 6-bit version read.
        version: u8,
    },
    /// A segment after the core has a segment type other than 1, 2 or 3.
    UnknownSegmentType {
        /// 0-based index of the segment among the dot-separated parts.
        index: usize,
        /// The 3-bit segment type read.
        segment_type: u8,
    },
    /// The same optional segment type appears twice.
    DuplicateSegment {
        /// 0-based index of the second occurrence.
        index: usize,
        /// The repeated segment type.
        segment_type: u8,
    },
    /// A range entry names an impossible vendor id or range.
    InvalidRangeEntry {
        /// The section and entry.
        field: FieldPath,
        /// What is wrong with it.
        problem: RangeProblem,
    },
    /// A count field claims more entries than the remaining bits could
    /// possibly hold; reported before anything is allocated for them.
    TooManyEntries {
        /// The count field.
        field: FieldPath,
        /// The claimed number of entries.
        count: u16,
        /// Bits left in the segment after the count.
        remaining_bits: usize,
    },
    /// A two-letter code field holds a letter value above 25 (not A–Z).
    InvalidLetter {
        /// The field (`consentLanguage` or `publisherCC`).
        field: FieldPath,
        /// The 6-bit value read.
        value: u8,
    },
    /// A publisher restriction has purpose id 0 or the reserved
    /// restriction type 3.
    InvalidPublisherRestriction {
        /// The restriction.
        field: FieldPath,
        /// The purpose id read.
        purpose_id: u8,
        /// The restriction type read.
        restriction_type: u8,
    },
}

impl TcfError {
    /// The stable, machine-readable error code for any decoding failure.
    pub fn code(&self) -> &'static str {
        "invalid_tc_string"
    }

    /// A short snake_case name of the variant, stable for tests and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            TcfError::Empty => "empty",
            TcfError::TooLong { .. } => "too_long",
            TcfError::InvalidBase64 { .. } => "invalid_base64",
            TcfError::EmptySegment { .. } => "empty_segment",
            TcfError::Truncated { .. } => "truncated",
            TcfError::UnsupportedVersion { .. } => "unsupported_version",
            TcfError::UnknownSegmentType { .. } => "unknown_segment_type",
            TcfError::DuplicateSegment { .. } => "duplicate_segment",
            TcfError::InvalidRangeEntry { .. } => "invalid_range_entry",
            TcfError::TooManyEntries { .. } => "too_many_entries",
            TcfError::InvalidLetter { .. } => "invalid_letter",
            TcfError::InvalidPublisherRestriction { .. } => "invalid_publisher_restriction",
        }
    }
}

impl fmt::Display for TcfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TcfError::Empty => f.write_str("TC string is empty"),
            TcfError::TooLong { len, max } => write!(
                f,
                "TC string is {len} bytes long, more than the {max}-byte limit; it cannot be a genuine TC string"
            ),
            TcfError::InvalidBase64 { position, found } => write!(
                f,
                "TC string has the character U+{:04X} at byte {position}, which is not base64url (only A-Z, a-z, 0-9, '-' and '_' are allowed, without '=' padding)",
                u32::from(*found)

            ),
            TcfError::EmptySegment { index } => write!(
                f,
                "TC string segment {index} is empty (two dots in a row, or a leading or trailing dot)"
            ),
            TcfError::Truncated { field } => {
                write!(f, "TC string truncated while reading {field}")
            }
            TcfError::UnsupportedVersion { version } => {
                if *version == 1 {
                    f.write_str("TC string has version 1 (TCF v1.1), which is not supported; only version 2 strings can be decoded")
                } else {
                    write!(
                        f,
                        "TC string has version {version}; only version 2 is supported, and the core segment must come first"
                    )
                }
            }
            TcfError::UnknownSegmentType {
                index,
                segment_type,
            } => write!(
                f,
                "TC string segment {index} has segment type {segment_type}; after the core segment only 1 (disclosed vendors), 2 (allowed vendors) and 3 (publisher TC) are valid"
            ),
            TcfError::DuplicateSegment {
                index,
                segment_type,
            } => write!(
                f,
                "TC string segment {index} repeats segment type {segment_type}, which may appear only once"
            ),
            TcfError::InvalidRangeEntry { field, problem } => match problem {
                RangeProblem::ZeroVendorId => {
                    write!(f, "TC string {field} names vendor id 0; vendor ids start at 1")
                }
                RangeProblem::StartAfterEnd { start, end } => write!(
                    f,
                    "TC string {field} runs backwards: start vendor id {start} is greater than end vendor id {end}"
                ),
                RangeProblem::AboveMaxVendorId { id, max_vendor_id } => write!(
                    f,
                    "TC string {field} names vendor id {id}, above the section's maxVendorId {max_vendor_id}"
                ),
            },
            TcfError::TooManyEntries {
                field,
                count,
                remaining_bits,
            } => write!(
                f,
                "TC string {field} claims {count} entries but only {remaining_bits} bits remain, too few to hold them"
            ),
            TcfError::InvalidLetter { field, value } => write!(
                f,
                "TC string {field} has letter value {value}; letters are encoded 0-25 for A-Z"
            ),
            TcfError::InvalidPublisherRestriction {
                field,
                purpose_id,
                restriction_type,
            } => write!(
                f,
                "TC string {field} has purpose id {purpose_id} and restriction type {restriction_type}; purpose ids start at 1 and restriction type 3 is undefined"
            ),
        }
    }
}

impl std::error::Error for TcfError {}
