//! Purposes and the visitor's consent state: the one place that decides what Hearth may do.
//!
//! Capture, storage and personalization ask [`ConsentState::allows`]; none of them keeps a
//! flag of its own. Every purpose is denied until it is decided. This module never touches
//! the browser: signals arrive as values.

pub mod tcf;

use crate::time::Millis;
use serde::Serialize;

/// What the visitor can allow, each independently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Keeping anything on the device.
    Storage,
    /// Capturing interaction events.
    Measurement,
    /// Building a profile and ranking with it.
    Personalization,
}

/// Where the current state came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentSource {
    /// Nothing has been decided: every purpose is denied.
    Default,
    /// The visitor decided.
    User,
    /// Global Privacy Control denied measurement and personalization.
    Gpc,
    /// An IAB TCF CMP decided.
    Tcf,
    /// The site decided on the visitor's behalf.
    Site,
}

/// Whether each purpose is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Purposes {
    /// Keeping anything on the device.
    pub storage: bool,
    /// Capturing interaction events.
    pub measurement: bool,
    /// Building a profile and ranking with it.
    pub personalization: bool,
}

/// The visitor's consent as `consent.get()` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentState {
    /// Whether each purpose is allowed.
    pub purposes: Purposes,
    /// Where this state came from.
    pub source: ConsentSource,
    /// When it was last decided; `None` while nothing has been.
    pub updated_at: Option<Millis>,
    /// The site's policy version this state applies to.
    pub policy_version: String,
}

impl ConsentState {
    /// The state before anything is decided: every purpose denied.
    pub fn undecided(policy_version: &str) -> Self {
        ConsentState {
            purposes: Purposes::default(),
            source: ConsentSource::Default,
            updated_at: None,
            policy_version: policy_version.to_owned(),
        }
    }

    /// Whether `purpose` is allowed now.
    pub fn allows(&self, purpose: Purpose) -> bool {
        match purpose {
            Purpose::Storage => self.purposes.storage,
            Purpose::Measurement => self.purposes.measurement,
            Purpose::Personalization => self.purposes.personalization,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_is_denied_until_decided() {
        let state = ConsentState::undecided("2026-11");
        for purpose in [
            Purpose::Storage,
            Purpose::Measurement,
            Purpose::Personalization,
        ] {
            assert!(!state.allows(purpose), "{purpose:?} allowed by default");
        }
        assert_eq!(state.source, ConsentSource::Default);
        assert_eq!(state.updated_at, None);
    }
}
