//! The pure core of one Hearth instance: options, consent and ranking, with no browser in it.
//!
//! The browser layer owns one `Engine` per `Hearth.init`, hands it time, entropy and signals
//! as values, carries out the [`ConsentEffects`] it returns (erasing storage), and converts
//! results to JavaScript.

use crate::capture::{CaptureState, Observed, PageStart};
use crate::consent::record::ConsentRecord;
use crate::consent::signals::tcf_signal;
use crate::consent::{Consent, ConsentChange, ConsentState, DecisionSource, Purpose};
use crate::event::{parse_track, Event, SessionState};
use crate::options::{StorageKind, ValidOptions};
use crate::personalize::{Personalization, RewardRefusal};
use crate::request::{Decision, NotPersonalizedReason, RankRequest};
use crate::time::Millis;
use crate::value::{Field, Value};
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
    /// `measurement` was revoked: detach every capture listener and observer.
    pub stop_capture: bool,
    /// `personalization` was revoked: delete the stored profiles, model and decisions.
    pub forget_personalization: bool,
    /// `measurement` was revoked: delete the stored captured events.
    pub forget_events: bool,
    /// A purpose was granted: stored data may now be read or written.
    pub granted: bool,
}

/// One instance's state.
#[derive(Debug)]
pub struct Engine {
    options: ValidOptions,
    consent: Consent,
    /// Present only while `measurement` is allowed.
    capture: Option<CaptureState>,
    /// Present only while `personalization` is allowed (created at first use).
    personalization: Option<Personalization>,
    /// Captured events not yet written to storage (only while storage is enabled).
    unwritten_events: Vec<Event>,
    /// Whether a store is open (or opening) to write personalization's changes to.
    journaling: bool,
    /// Exploration's seed: `ranker.seed`, or fresh entropy.
    ranker_seed: u64,
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
        let ranker_seed = options.ranker.seed.unwrap_or(entropy.rotate_left(17));
        Engine {
            options,
            consent,
            capture: None,
            personalization: None,
            unwritten_events: Vec::new(),
            journaling: false,
            ranker_seed,
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
        let stop_capture = change.revoked(Purpose::Measurement);
        if stop_capture {
            self.capture = None;
        }
        if change.revoked(Purpose::Storage) || withdrawn {
            self.unwritten_events.clear();
        }
        if change.revoked(Purpose::Personalization) {
            self.personalization = None;
        }
        let granted = [
            Purpose::Storage,
            Purpose::Measurement,
            Purpose::Personalization,
        ]
        .into_iter()
        .any(|p| !change.before.allows(p) && change.after.allows(p));
        ConsentEffects {
            erase_stored_data: withdrawn || change.revoked(Purpose::Storage),
            notify: change.is_change(),
            stop_capture,
            forget_personalization: change.revoked(Purpose::Personalization),
            forget_events: stop_capture,
            granted,
        }
    }

    /// Starts capture at `page` when `measurement` is allowed and capture is not running;
    /// returns the events of the start (the page view), or `None` when it did not start.
    pub fn start_capture(
        &mut self,
        page: &PageStart,
        session: Option<SessionState>,
        now: Millis,
    ) -> Option<Vec<Event>> {
        if self.capture.is_some() || !self.allows(Purpose::Measurement) {
            return None;
        }
        let timeout_ms = self.options.capture.session_timeout_ms;
        let id = self.new_id();
        let (state, events) = CaptureState::start(page, session, timeout_ms, now, || id);
        let session = state.session().clone();
        self.capture = Some(state);
        self.keep_for_storage(&events);
        if let Some(personalization) = self.personalization() {
            personalization.observe(&events, Some(&session), now);
        }
        Some(events)
    }

    /// Whether capture is running.
    pub fn is_capturing(&self) -> bool {
        self.capture.is_some()
    }

    /// Applies an observation from the page; nothing when capture is not running.
    pub fn observe(&mut self, observed: Observed, now: Millis) -> Vec<Event> {
        let rng = &mut self.id_rng;
        let events = match &mut self.capture {
            Some(capture) => capture.observe(observed, now, || fresh_id(rng)),
            None => Vec::new(),
        };
        if !events.is_empty() {
            self.keep_for_storage(&events);
            let session = self.capture.as_ref().map(|c| c.session().clone());
            if let Some(personalization) = self.personalization() {
                personalization.observe(&events, session.as_ref(), now);
            }
        }
        events
    }

    /// When capture next needs a tick.
    pub fn capture_deadline(&self, now: Millis) -> Option<Millis> {
        self.capture.as_ref().and_then(|c| c.next_deadline(now))
    }

    /// `track(name, props)`: validated always; kept only while capture runs. Returns the
    /// event when it was kept.
    pub fn track(
        &mut self,
        name: Value,
        props: Value,
        now: Millis,
    ) -> Result<Option<Event>, Error> {
        let event = parse_track(name, props, now)?;
        let rng = &mut self.id_rng;
        let kept = self.capture.as_mut().map(|capture| {
            capture.track(event.clone(), now, || fresh_id(rng));
            event
        });
        if let Some(event) = &kept {
            self.keep_for_storage(std::slice::from_ref(event));
            if let Some(personalization) = self.personalization() {
                personalization.observe(std::slice::from_ref(event), None, now);
            }
        }
        Ok(kept)
    }

    /// Capture's state while it runs.
    pub fn capture(&self) -> Option<&CaptureState> {
        self.capture.as_ref()
    }

    /// Adopts a session another tab advanced.
    pub fn adopt_session(&mut self, session: SessionState) {
        if let Some(capture) = &mut self.capture {
            capture.adopt_session(session);
        }
    }

    fn new_id(&mut self) -> String {
        fresh_id(&mut self.id_rng)
    }

    /// Ranks a validated request: the bandit's order with `personalization`, the server's
    /// without (or before anything is learned). `local_time` is `(hour, weekday)`.
    pub fn rank(
        &mut self,
        request: RankRequest,
        local_time: Option<(f64, f64)>,
        now: Millis,
    ) -> Decision {
        let decision_id = self.new_id();
        match self.personalization() {
            Some(personalization) => personalization.rank(request, local_time, decision_id, now),
            None => crate::ranking::server_order(
                &request,
                decision_id,
                NotPersonalizedReason::ConsentRequired,
            ),
        }
    }

    /// `reward(decisionId, itemId, value)`: learns from the visitor's response to a shown item.
    /// Returns false when that item was already rewarded in that decision.
    pub fn reward(
        &mut self,
        decision_id: &str,
        item_id: &str,
        value: f64,
        now: Millis,
    ) -> Result<bool, Error> {
        if !self.allows(Purpose::Personalization) {
            return Err(personalization_required());
        }
        let unknown = |what: &str| Error::new(ErrorCode::UnknownDecision, what.to_owned());
        let personalization = self
            .personalization
            .as_mut()
            .ok_or_else(|| unknown("no decision is open: call rank first"))?;
        personalization.reward(decision_id, item_id, value, now).map_err(|refusal| match refusal {
            RewardRefusal::UnknownDecision => {
                unknown(&format!("decision '{decision_id}' is not open (never made, expired after 30 minutes, or one of more than 64 since)"))
            }
            RewardRefusal::UnknownItem => unknown(&format!("decision '{decision_id}' did not show '{item_id}' in its top 50")),
        })
    }

    /// `model.export()`: the bandit's model as a versioned snapshot.
    pub fn export_model(&mut self) -> Result<crate::bandit::snapshot::Snapshot, Error> {
        self.personalization()
            .map(|p| p.export_model())
            .ok_or_else(personalization_required)
    }

    /// `model.import(snapshot)`: a model trained elsewhere (a server-side prior).
    pub fn import_model(&mut self, snapshot: Value) -> Result<(), Error> {
        let personalization = self
            .personalization()
            .ok_or_else(personalization_required)?;
        Ok(personalization.import_model(snapshot)?)
    }

    /// The decision log (empty without `personalization`).
    pub fn decision_log(&self) -> Option<&crate::log::DecisionLog> {
        self.personalization.as_ref().map(|p| p.log())
    }

    /// Whether anything may be written to IndexedDB now: `storage` is allowed and the site
    /// did not ask for memory storage.
    pub fn storage_enabled(&self) -> bool {
        self.options.storage == StorageKind::Indexeddb && self.allows(Purpose::Storage)
    }

    /// Whether a store is open or opening, so that changes are kept until written (and
    /// merged with what is stored); off, nothing waits for a write that will not come.
    pub fn set_journaling(&mut self, on: bool) {
        self.journaling = on;
        if let Some(p) = &mut self.personalization {
            p.set_journaling(on);
        }
        if !on {
            self.unwritten_events.clear();
        }
    }

    fn keep_for_storage(&mut self, events: &[Event]) {
        if !self.storage_enabled() || !self.journaling {
            return;
        }
        let room = MAX_UNWRITTEN_EVENTS.saturating_sub(self.unwritten_events.len());
        if events.len() > room {
            let excess = (events.len() - room).min(self.unwritten_events.len());
            self.unwritten_events.drain(..excess);
        }
        self.unwritten_events
            .extend(events.iter().take(MAX_UNWRITTEN_EVENTS).cloned());
    }

    /// The captured events not yet written, oldest first; the caller writes them.
    pub fn take_unwritten_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.unwritten_events)
    }

    /// Whether anything waits to be written.
    pub fn has_unwritten_changes(&self) -> bool {
        !self.unwritten_events.is_empty()
            || self
                .personalization
                .as_ref()
                .is_some_and(Personalization::has_unwritten_changes)
    }

    /// The active profile's segments, recomputed at `now`; `Some` when they changed since
    /// last asked (a `segment` event is due).
    pub fn refresh_segments(&mut self, now: Millis) -> Option<Vec<String>> {
        self.personalization().and_then(|p| p.refresh_segments(now))
    }

    /// The active profile's segments (empty without `personalization`).
    pub fn segments(&self) -> Vec<String> {
        self.personalization
            .as_ref()
            .map(|p| p.segments().to_vec())
            .unwrap_or_default()
    }

    /// `profile.erase()`: forgets the profiles, the model, the decisions and the captured
    /// events (the consent record stays). What is stored is deleted by the caller.
    pub fn erase_profile_data(&mut self) {
        self.personalization = None;
        self.unwritten_events.clear();
        if let Some(capture) = &mut self.capture {
            capture.forget_recent();
        }
    }

    /// Personalization's state, created on first use while allowed.
    fn personalization(&mut self) -> Option<&mut Personalization> {
        if !self.allows(Purpose::Personalization) {
            return None;
        }
        let seed = self.ranker_seed;
        let options = &self.options;
        let journaling = self.journaling;
        Some(self.personalization.get_or_insert_with(|| {
            let mut p = Personalization::new(
                &options.ranker.bandit,
                options.profile,
                options.segments.clone(),
                seed,
                options.ranker.no_click_window_ms,
            );
            p.set_journaling(journaling);
            p.grade_dwell(options.ranker.full_dwell_ms);
            p
        }))
    }

    /// Personalization's state while allowed (created on first use).
    pub fn personalization_mut(&mut self) -> Option<&mut Personalization> {
        self.personalization()
    }

    /// Personalization's state, if it exists now.
    pub fn personalization_state(&self) -> Option<&Personalization> {
        self.personalization.as_ref()
    }
}

/// Most captured events waiting to be written: the stored ring's size.
pub const MAX_UNWRITTEN_EVENTS: usize = crate::capture::KEPT_EVENTS;

/// 16 hex digits: decision and session ids.
fn fresh_id(rng: &mut Xoshiro256PlusPlus) -> String {
    format!("{:016x}", rng.next_u64())
}

fn personalization_required() -> Error {
    Error::new(
        ErrorCode::ConsentRequired,
        "this needs the visitor's personalization consent",
    )
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
