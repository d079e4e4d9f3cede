//! The one error type that crosses into JavaScript, and its stable codes.
//!
//! Each module owns a precise error (`OptionsError`, `CandidateError`, …) whose message names
//! the field, the rule and the value received; each converts into [`Error`], whose
//! [`ErrorCode`] is the contract with JavaScript callers. The browser layer turns an `Error`
//! into a real JS `Error` named `HearthError` with a `code` property.

use std::fmt;

/// A stable, machine-readable reason for an error, shared with the TypeScript `HearthErrorCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// `Hearth.init` received an unknown option key, a wrong type or a value out of range.
    InvalidOptions,
    /// A `rank` request was malformed outside its candidate list (unknown key, bad `limit`, …).
    InvalidRequest,
    /// A candidate list was not an array, too long, or an entry was invalid.
    InvalidCandidates,
    /// `track` received a bad event name or properties.
    InvalidEvent,
    /// Site-defined segment rules were invalid (the message names the rule).
    InvalidRules,
    /// Server-supplied segment centroids were invalid.
    InvalidCentroids,
    /// A profile name was invalid, or there are too many profiles.
    InvalidProfile,
    /// A model snapshot for `model.import` was invalid (version, dimensions, numbers).
    InvalidSnapshot,
    /// The call needs a purpose the visitor has not allowed (e.g. `reward` without
    /// `personalization`).
    ConsentRequired,
    /// `reward` named a decision that is not open (never made, expired, or closed by newer
    /// ones), or an item it did not show.
    UnknownDecision,
    /// `consent.set` received something other than purposes and booleans.
    InvalidConsent,
    /// A TC string (from `decodeTcString` or a CMP) could not be decoded.
    InvalidTcString,
    /// Storage could not be used (private browsing, blocked, failing); Hearth keeps working
    /// in memory.
    StorageUnavailable,
    /// Stored data could not be read back (corrupted or from an unknown format); it was reset.
    CorruptData,
    /// The instance was destroyed; create a new one with `Hearth.init`.
    Destroyed,
    /// Hearth itself failed (a bug, or a call made from inside one of its own calls).
    Internal,
}

impl ErrorCode {
    /// Every code, in the order the TypeScript union lists them.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidOptions,
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidCandidates,
        ErrorCode::InvalidEvent,
        ErrorCode::InvalidRules,
        ErrorCode::InvalidCentroids,
        ErrorCode::InvalidProfile,
        ErrorCode::InvalidSnapshot,
        ErrorCode::ConsentRequired,
        ErrorCode::UnknownDecision,
        ErrorCode::InvalidConsent,
        ErrorCode::InvalidTcString,
        ErrorCode::StorageUnavailable,
        ErrorCode::CorruptData,
        ErrorCode::Destroyed,
        ErrorCode::Internal,
    ];

    /// The snake_case string JavaScript sees as `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidOptions => "invalid_options",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidCandidates => "invalid_candidates",
            ErrorCode::InvalidEvent => "invalid_event",
            ErrorCode::InvalidRules => "invalid_rules",
            ErrorCode::InvalidCentroids => "invalid_centroids",
            ErrorCode::InvalidProfile => "invalid_profile",
            ErrorCode::InvalidSnapshot => "invalid_snapshot",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::UnknownDecision => "unknown_decision",
            ErrorCode::InvalidConsent => "invalid_consent",
            ErrorCode::InvalidTcString => "invalid_tc_string",
            ErrorCode::StorageUnavailable => "storage_unavailable",
            ErrorCode::CorruptData => "corrupt_data",
            ErrorCode::Destroyed => "destroyed",
            ErrorCode::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with a stable code, a message a person can act on and, for list inputs, the index
/// of the offending entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The stable code.
    pub code: ErrorCode,
    /// What was wrong and what was received.
    pub message: String,
    /// The position of the offending entry in an input list, when there is one.
    pub index: Option<usize>,
}

impl Error {
    /// An error without an index.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            index: None,
        }
    }

    /// The error every method of a destroyed instance returns.
    pub fn destroyed() -> Self {
        Error::new(
            ErrorCode::Destroyed,
            "this Hearth instance was destroyed; call Hearth.init again",
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}
