//! The pure core of one Hearth instance: options, consent and ranking, with no browser in it.
//!
//! The browser layer owns one `Engine` per `Hearth.init`, hands it time, entropy and signals
//! as values, carries out the [`ConsentEffects`] it returns (erasing storage), and converts
//! results to JavaScript.

use crate::consent::record::ConsentRecord;
use crate::consent::signals::tcf_signal;
use crate::consent::{Consent, ConsentChange, ConsentState, DecisionSource, Purpose};
use crate::options::ValidOptions;
use crate::rank::{self, Decision, NotPersonalizedReason, RankRequest};
use crate::time::Millis;
use crate::value::Field;
use crate::{Error, ErrorCode};
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// What the browser layer must do after a consent change, before the change's promise
/// resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
pub struct ConsentEffects {
    /// Delete everything stored for this namespace except the consent record.
    pub erase_stored_data: bool,
    /// The state in force changed: emit a `consent` event.
    pub notify: bool,
}

/// One instance's state.
#[derive(Debug)]
pub struct Engine {
    options: ValidOptions,
    consent: Consent,
    /// Decision ids: always seeded from fresh entropy, never from `ranker.seed`, so that a
    /// reproducible ranker still gives ids that do not repeat across page loads.
    id_rng: Xoshiro256PlusPlus,
}

impl Engine {
    /// Starts an instance from the stored consent record and the browser's GPC signal.
    pub fn new(options: ValidOptions, record: ConsentRecord, gpc: bool, entropy: u64) -> Self {
        let consent_options = &options.consent;
        let consent = Consent::new(
            &consent_options.policy_version,
            consent_options.honor_gpc,
            gpc,
            record,
        );
        Engine {
            options,
            consent,
            id_rng: Xoshiro256PlusPlus::seed_from_u64(entropy),
        }
    }

    /// The options this instance was created with.
    pub fn options(&self) -> &ValidOptions {
        &self.options
    }

    /// The visitor's consent now.
    pub fn consent(&self) -> ConsentState {
        self.consent.state()
    }

    /// Whether `purpose` is allowed now: the gate every other part asks.
    pub fn allows(&self, purpose: Purpose) -> bool {
        self.consent.allows(purpose)
    }

    /// The consent history, to persist and to export.
    pub fn consent_record(&self) -> &ConsentRecord {
        self.consent.record()
    }

    /// `consent.set(partial, { source })`.
    pub fn set_consent(
        &mut self,
        partial: Field,
        source: DecisionSource,
        now: Millis,
    ) -> Result<ConsentEffects, Error> {
        let change = self
            .consent
            .decide(partial, source, now)
            .map_err(|e| Error::new(ErrorCode::InvalidConsent, e.to_string()))?;
        Ok(self.after(change, false))
    }

    /// `consent.withdraw()`: everything denied and everything stored erased.
    pub fn withdraw_consent(&mut self, now: Millis) -> ConsentEffects {
        let change = self.consent.withdraw(now);
        self.after(change, true)
    }

    /// A TCF CMP event (`tcloaded` or `useractioncomplete`).
    pub fn apply_tcf(
        &mut self,
        gdpr_applies: bool,
        tc_string: &str,
        event_status: &str,
        now: Millis,
    ) -> Result<ConsentEffects, Error> {
        let signal = tcf_signal(
            gdpr_applies,
            tc_string,
            event_status,
            &self.options.consent.tcf_mapping,
        )
        .map_err(|e| Error::new(ErrorCode::InvalidTcString, e.to_string()))?;
        let change = self.consent.apply_tcf(signal, now);
        Ok(self.after(change, false))
    }

    /// Another tab changed the consent record.
    pub fn adopt_consent_record(&mut self, record: ConsentRecord) -> ConsentEffects {
        let change = self.consent.replace_record(record);
        self.after(change, false)
    }

    /// Clears in-memory state a revoked purpose covered, and says what the browser must do.
    fn after(&mut self, change: ConsentChange, withdrawn: bool) -> ConsentEffects {
        // Capture, the profile and the bandit clear their state here as they arrive; today
        // nothing in memory depends on measurement or personalization.
        ConsentEffects {
            erase_stored_data: withdrawn || change.revoked(Purpose::Storage),
            notify: change.is_change(),
        }
    }

    /// Ranks a validated request.
    pub fn rank(&mut self, request: RankRequest) -> Decision {
        let decision_id = format!("{:016x}", self.id_rng.next_u64());
        let why = if self.allows(Purpose::Personalization) {
            NotPersonalizedReason::ColdStart
        } else {
            NotPersonalizedReason::ConsentRequired
        };
        rank::server_order(request, decision_id, why)
    }
}
