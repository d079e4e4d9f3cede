//! Purposes and the visitor's consent: the one place that decides what Hearth may do.
//!
//! Capture, storage and personalization ask [`Consent::allows`]; none keeps a flag of its
//! own. Every purpose is denied until decided. Decisions (the visitor's, the site's on the
//! visitor's behalf, or a TCF CMP's) go into the [`record`]; the latest one made under the
//! current policy version is in force. Global Privacy Control denies measurement and
//! personalization by default and overrides a *site's* grant of them, but not the visitor's
//! own choice. This module never touches the browser: signals arrive as values.

pub mod record;
pub mod signals;
pub mod tcf;

use crate::time::Millis;
use crate::value::{Field, InputError};
use record::{ConsentRecord, RecordEntry};
use serde::Serialize;
use signals::{TcfSignal, TcfStatus};

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

const PURPOSE_KEYS: &[&str] = &["storage", "measurement", "personalization"];

impl Purposes {
    /// Every purpose allowed.
    pub const ALL: Purposes = Purposes {
        storage: true,
        measurement: true,
        personalization: true,
    };

    /// Whether `purpose` is allowed.
    pub fn allows(&self, purpose: Purpose) -> bool {
        match purpose {
            Purpose::Storage => self.storage,
            Purpose::Measurement => self.measurement,
            Purpose::Personalization => self.personalization,
        }
    }

    /// Reads all three purposes (a stored decision).
    pub fn parse_complete(field: Field) -> Result<Purposes, InputError> {
        let mut object = field.strict_object(PURPOSE_KEYS)?;
        Ok(Purposes {
            storage: object.take("storage").boolean()?,
            measurement: object.take("measurement").boolean()?,
            personalization: object.take("personalization").boolean()?,
        })
    }

    /// Applies the purposes named in `field` (at least one) over `self`.
    pub fn updated_by(self, field: Field) -> Result<Purposes, InputError> {
        let error = field.error("must name at least one of storage, measurement, personalization");
        let mut object = field.strict_object(PURPOSE_KEYS)?;
        let mut named = 0;
        let mut read = |key: &str, current: bool| -> Result<bool, InputError> {
            let value = object.take(key).optional(Field::boolean)?;
            named += usize::from(value.is_some());
            Ok(value.unwrap_or(current))
        };
        let updated = Purposes {
            storage: read("storage", self.storage)?,
            measurement: read("measurement", self.measurement)?,
            personalization: read("personalization", self.personalization)?,
        };
        if named == 0 {
            return Err(error);
        }
        Ok(updated)
    }
}

/// Who made a recorded decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionSource {
    /// The visitor, through the site's UI or the banner.
    User,
    /// The site, on the visitor's behalf.
    Site,
    /// An IAB TCF CMP.
    Tcf,
}

impl DecisionSource {
    /// Reads `'user' | 'site' | 'tcf'`.
    pub fn parse(field: Field) -> Result<Self, InputError> {
        Ok(match field.one_of(&["user", "site", "tcf"])? {
            0 => DecisionSource::User,
            1 => DecisionSource::Site,
            _ => DecisionSource::Tcf,
        })
    }
}

/// Options of `consent.set(purposes, options)`: `{ source?: 'user' | 'site' }`, default user.
pub fn read_set_options(field: Field) -> Result<DecisionSource, InputError> {
    if field.is_absent() {
        return Ok(DecisionSource::User);
    }
    let mut options = field.strict_object(&["source"])?;
    let source = options
        .take("source")
        .optional(|f| f.one_of(&["user", "site"]))?;
    Ok(if source == Some(1) {
        DecisionSource::Site
    } else {
        DecisionSource::User
    })
}

/// Where the state in force came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentSource {
    /// Nothing decided under the current policy: every purpose denied.
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

impl From<DecisionSource> for ConsentSource {
    fn from(source: DecisionSource) -> Self {
        match source {
            DecisionSource::User => ConsentSource::User,
            DecisionSource::Site => ConsentSource::Site,
            DecisionSource::Tcf => ConsentSource::Tcf,
        }
    }
}

/// The visitor's consent as `consent.get()` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentState {
    /// Whether each purpose is allowed.
    pub purposes: Purposes,
    /// Where this state came from.
    pub source: ConsentSource,
    /// When the decision in force was made; `None` while nothing is decided.
    pub updated_at: Option<Millis>,
    /// The site's policy version this state applies to.
    pub policy_version: String,
    /// Whether the browser sends Global Privacy Control.
    pub gpc: bool,
    /// What a TCF CMP reported last, if there is one.
    pub tcf: Option<TcfStatus>,
}

impl ConsentState {
    /// Whether `purpose` is allowed.
    pub fn allows(&self, purpose: Purpose) -> bool {
        self.purposes.allows(purpose)
    }
}

/// A change of the state in force, for the caller to act on (erase, detach, notify).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentChange {
    /// Before.
    pub before: ConsentState,
    /// After.
    pub after: ConsentState,
}

impl ConsentChange {
    /// Whether anything visible changed (and a `consent` event is due).
    pub fn is_change(&self) -> bool {
        self.before != self.after
    }

    /// Whether `purpose` was allowed and no longer is.
    pub fn revoked(&self, purpose: Purpose) -> bool {
        self.before.allows(purpose) && !self.after.allows(purpose)
    }
}

/// The consent state machine of one instance.
#[derive(Debug, Clone)]
pub struct Consent {
    policy_version: String,
    honor_gpc: bool,
    gpc: bool,
    tcf: Option<TcfStatus>,
    record: ConsentRecord,
}

impl Consent {
    /// Starts from a stored record (empty when there is none) and the GPC signal.
    pub fn new(policy_version: &str, honor_gpc: bool, gpc: bool, record: ConsentRecord) -> Self {
        Consent {
            policy_version: policy_version.to_owned(),
            honor_gpc,
            gpc,
            tcf: None,
            record,
        }
    }

    /// The state in force.
    pub fn state(&self) -> ConsentState {
        let gpc_applies = self.gpc && self.honor_gpc;
        let (mut purposes, mut source, updated_at) =
            match self.record.latest_for(&self.policy_version) {
                Some(entry) => (entry.purposes, entry.source.into(), Some(entry.at)),
                None if gpc_applies => (Purposes::default(), ConsentSource::Gpc, None),
                None => (Purposes::default(), ConsentSource::Default, None),
            };
        // A site cannot grant on behalf of a visitor whose browser says "do not".
        let site_overruled = source == ConsentSource::Site
            && gpc_applies
            && (purposes.measurement || purposes.personalization);
        if site_overruled {
            purposes.measurement = false;
            purposes.personalization = false;
            source = ConsentSource::Gpc;
        }
        ConsentState {
            purposes,
            source,
            updated_at,
            policy_version: self.policy_version.clone(),
            gpc: self.gpc,
            tcf: self.tcf.clone(),
        }
    }

    /// Whether `purpose` is allowed now.
    pub fn allows(&self, purpose: Purpose) -> bool {
        self.state().allows(purpose)
    }

    /// The whole history, oldest first.
    pub fn record(&self) -> &ConsentRecord {
        &self.record
    }

    /// `consent.set(partial)`: the named purposes change, the others keep their value.
    pub fn decide(
        &mut self,
        partial: Field,
        source: DecisionSource,
        now: Millis,
    ) -> Result<ConsentChange, InputError> {
        let purposes = self.state().purposes.updated_by(partial)?;
        Ok(self.record_decision(purposes, source, now))
    }

    /// `consent.withdraw()`: the visitor denies everything.
    pub fn withdraw(&mut self, now: Millis) -> ConsentChange {
        self.record_decision(Purposes::default(), DecisionSource::User, now)
    }

    /// A CMP event: records its decision when it makes one, and its status in any case.
    pub fn apply_tcf(&mut self, signal: TcfSignal, now: Millis) -> ConsentChange {
        let before = self.state();
        self.tcf = Some(signal.status);
        if let Some(purposes) = signal.purposes {
            self.record
                .append(self.entry(purposes, DecisionSource::Tcf, now));
        }
        ConsentChange {
            before,
            after: self.state(),
        }
    }

    /// Another tab wrote the record: adopt it.
    pub fn replace_record(&mut self, record: ConsentRecord) -> ConsentChange {
        let before = self.state();
        self.record = record;
        ConsentChange {
            before,
            after: self.state(),
        }
    }

    fn record_decision(
        &mut self,
        purposes: Purposes,
        source: DecisionSource,
        now: Millis,
    ) -> ConsentChange {
        let before = self.state();
        // Always appended, even when it repeats: an explicit decision is news in itself
        // (it ends a GPC default, or confirms a choice under a new policy version).
        let entry = self.entry(purposes, source, now);
        if self.record.entries.len() == record::MAX_RECORD_ENTRIES {
            self.record.entries.remove(0);
        }
        self.record.entries.push(entry);
        ConsentChange {
            before,
            after: self.state(),
        }
    }

    fn entry(&self, purposes: Purposes, source: DecisionSource, at: Millis) -> RecordEntry {
        RecordEntry {
            purposes,
            source,
            at,
            policy_version: self.policy_version.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::from_json;
    use signals::TcfSignal;

    const V1: &str = "2026-11";

    fn consent(gpc: bool) -> Consent {
        Consent::new(V1, true, gpc, ConsentRecord::new())
    }

    fn set(consent: &mut Consent, json: &str, source: DecisionSource, at: u64) -> ConsentChange {
        consent
            .decide(Field::root("purposes", from_json(json)), source, Millis(at))
            .unwrap()
    }

    fn tcf_decision(purposes: Option<Purposes>) -> TcfSignal {
        TcfSignal {
            status: TcfStatus {
                gdpr_applies: true,
                publisher_segment: purposes.is_some(),
                cmp_id: 7,
                event_status: "useractioncomplete".into(),
            },
            purposes,
        }
    }

    #[test]
    fn every_purpose_is_denied_until_decided() {
        let state = consent(false).state();
        assert_eq!(state.purposes, Purposes::default());
        assert_eq!(state.source, ConsentSource::Default);
        assert_eq!(state.updated_at, None);
    }

    #[test]
    fn set_changes_only_the_named_purposes() {
        let mut c = consent(false);
        set(
            &mut c,
            r#"{"storage":true,"measurement":true}"#,
            DecisionSource::User,
            1,
        );
        let change = set(
            &mut c,
            r#"{"measurement":false,"personalization":true}"#,
            DecisionSource::User,
            2,
        );
        let after = &change.after;
        assert_eq!(
            after.purposes,
            Purposes {
                storage: true,
                measurement: false,
                personalization: true
            }
        );
        assert_eq!(after.source, ConsentSource::User);
        assert_eq!(after.updated_at, Some(Millis(2)));
        assert!(change.revoked(Purpose::Measurement));
        assert!(!change.revoked(Purpose::Storage));
    }

    #[test]
    fn set_rejects_unknown_purposes_and_empty_updates() {
        let mut c = consent(false);
        for bad in [
            r#"{"ads":true}"#,
            r#"{}"#,
            r#"{"storage":"yes"}"#,
            r#"true"#,
        ] {
            assert!(
                c.decide(
                    Field::root("purposes", from_json(bad)),
                    DecisionSource::User,
                    Millis(1)
                )
                .is_err(),
                "{bad}"
            );
        }
        assert!(c.record().entries.is_empty());
    }

    #[test]
    fn set_options_name_the_source_and_default_to_the_visitor() {
        let read = |json: &str| read_set_options(Field::root("options", from_json(json)));
        assert_eq!(read("null"), Ok(DecisionSource::User));
        assert_eq!(read(r#"{"source":"site"}"#), Ok(DecisionSource::Site));
        assert!(
            read(r#"{"source":"tcf"}"#).is_err(),
            "only a CMP records tcf decisions"
        );
        assert!(read(r#"{"sorce":"site"}"#).is_err());
    }

    #[test]
    fn withdraw_denies_everything_and_is_recorded_as_the_visitor() {
        let mut c = consent(false);
        set(
            &mut c,
            r#"{"storage":true,"measurement":true,"personalization":true}"#,
            DecisionSource::User,
            1,
        );
        let change = c.withdraw(Millis(2));
        assert_eq!(change.after.purposes, Purposes::default());
        assert!(change.revoked(Purpose::Storage));
        assert_eq!(c.record().entries.len(), 2);
    }

    #[test]
    fn a_new_policy_version_returns_every_purpose_to_undecided_and_keeps_history() {
        let mut c = consent(false);
        set(&mut c, r#"{"storage":true}"#, DecisionSource::User, 1);
        let reopened = Consent::new("2027-01", true, false, c.record().clone());
        let state = reopened.state();
        assert_eq!(state.purposes, Purposes::default());
        assert_eq!(state.source, ConsentSource::Default);
        assert_eq!(state.policy_version, "2027-01");
        assert_eq!(reopened.record().entries.len(), 1);
    }

    #[test]
    fn gpc_denies_by_default_with_source_gpc_and_the_visitor_can_still_opt_in() {
        let mut c = consent(true);
        let state = c.state();
        assert_eq!(state.source, ConsentSource::Gpc);
        assert!(state.gpc);
        let after = set(
            &mut c,
            r#"{"measurement":true,"personalization":true}"#,
            DecisionSource::User,
            3,
        )
        .after;
        assert!(after.purposes.measurement && after.purposes.personalization);
        assert_eq!(after.source, ConsentSource::User);
    }

    #[test]
    fn gpc_overrules_a_sites_grant_of_measurement_and_personalization_but_not_storage() {
        let mut c = consent(true);
        let after = set(
            &mut c,
            r#"{"storage":true,"measurement":true,"personalization":true}"#,
            DecisionSource::Site,
            1,
        )
        .after;
        assert_eq!(
            after.purposes,
            Purposes {
                storage: true,
                measurement: false,
                personalization: false
            }
        );
        assert_eq!(after.source, ConsentSource::Gpc);
        let mut ignoring = Consent::new(V1, false, true, ConsentRecord::new());
        let after = set(
            &mut ignoring,
            r#"{"measurement":true}"#,
            DecisionSource::Site,
            1,
        )
        .after;
        assert!(
            after.purposes.measurement,
            "honorGpc: false leaves the site's grant"
        );
    }

    #[test]
    fn a_cmp_decision_is_recorded_once_and_a_later_visitor_choice_wins() {
        let mut c = consent(false);
        let granted = Some(Purposes::ALL);
        let change = c.apply_tcf(tcf_decision(granted), Millis(1));
        assert_eq!(change.after.source, ConsentSource::Tcf);
        assert_eq!(change.after.purposes, Purposes::ALL);
        assert!(!c.apply_tcf(tcf_decision(granted), Millis(2)).is_change());
        assert_eq!(c.record().entries.len(), 1);
        let after = set(
            &mut c,
            r#"{"personalization":false}"#,
            DecisionSource::User,
            3,
        )
        .after;
        assert!(!after.purposes.personalization);
        assert_eq!(after.source, ConsentSource::User);
    }

    #[test]
    fn a_cmp_without_a_decision_only_updates_the_reported_status() {
        let mut c = consent(false);
        let change = c.apply_tcf(tcf_decision(None), Millis(1));
        assert!(change.is_change());
        assert_eq!(change.after.purposes, Purposes::default());
        assert_eq!(change.after.source, ConsentSource::Default);
        assert!(!change.after.tcf.unwrap().publisher_segment);
        assert!(c.record().entries.is_empty());
    }

    #[test]
    fn another_tabs_record_is_adopted() {
        let mut here = consent(false);
        let mut there = consent(false);
        set(&mut there, r#"{"storage":true}"#, DecisionSource::User, 5);
        let change = here.replace_record(there.record().clone());
        assert!(change.after.purposes.storage);
        assert!(change.is_change());
    }
}
