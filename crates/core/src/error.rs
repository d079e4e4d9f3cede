//! The one error type that crosses into JavaScript, and its stable codes.
//!
//! Each module owns a precise error (`OptionsError`, `CandidateError`, …) whose message names
//! the field, the rule and the value received; each converts into [`Error`], whose
//! [`ErrorCode`] is the contract with JavaScript callers. The browser layer turns an `Error`
//! into a real JS `Error` named `HearthError` with a `code` property.

use std::fmt;

/// Declares [`ErrorCode`] from one list, so that the variants, their strings and
/// [`ErrorCode::ALL`] cannot drift apart (the TypeScript union is checked against `ALL`).
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// A stable, machine-readable reason for an error, shared with the TypeScript
        /// `HearthErrorCode`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in the order the TypeScript union lists them.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The snake_case string JavaScript sees as `error.code`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    /// `Hearth.init` received an unknown option key, a wrong type or a value out of range.
    InvalidOptions = "invalid_options",
    /// A `rank` request was malformed outside its candidate list (unknown key, bad `limit`, …).
    InvalidRequest = "invalid_request",
    /// A candidate list was not an array, too long, or an entry was invalid.
    InvalidCandidates = "invalid_candidates",
    /// `track` received a bad event name or properties.
    InvalidEvent = "invalid_event",
    /// Site-defined segment rules were invalid (the message names the rule).
    InvalidRules = "invalid_rules",
    /// Server-supplied segment centroids were invalid.
    InvalidCentroids = "invalid_centroids",
    /// A profile name was invalid, or there are too many profiles.
    InvalidProfile = "invalid_profile",
    /// A model snapshot for `model.import` was invalid (version, dimensions, numbers).
    InvalidSnapshot = "invalid_snapshot",
    /// The call needs a purpose the visitor has not allowed (e.g. `reward` without
    /// `personalization`).
    ConsentRequired = "consent_required",
    /// `reward` named a decision that is not open (never made, expired, or closed by newer
    /// ones), or an item it did not show.
    UnknownDecision = "unknown_decision",
    /// `consent.set` received something other than purposes and booleans.
    InvalidConsent = "invalid_consent",
    /// A TC string (from `decodeTcString` or a CMP) could not be decoded.
    InvalidTcString = "invalid_tc_string",
    /// Storage could not be used (private browsing, blocked, failing); Hearth keeps working
    /// in memory.
    StorageUnavailable = "storage_unavailable",
    /// Stored data could not be read back (corrupted or from an unknown format); it was reset.
    CorruptData = "corrupt_data",
    /// The instance was destroyed; create a new one with `Hearth.init`.
    Destroyed = "destroyed",
    /// Hearth itself failed (a bug, or a call made from inside one of its own calls).
    Internal = "internal",
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
