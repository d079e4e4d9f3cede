//! `hearth.profile.*` and `hearth.segments()`: the visitor's view of, and rights over, what
//! Hearth keeps about them.

use super::error::JsError;
use super::{now, to_js, HearthCore, JsResult};
use crate::engine::Engine;
use crate::personalize::Personalization;
use crate::profile::summary::ProfileSummary;
use crate::profile::Profiles;
use crate::value::Field;
use crate::{Error, ErrorCode};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// What `profile.get()` shows: the active profile's summary, its name and the household.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProfileView {
    name: String,
    profiles: Vec<String>,
    /// Where it is kept: `indexeddb`, or `memory` (storage not allowed, or unavailable).
    stored_in: &'static str,
    #[serde(flatten)]
    summary: ProfileSummary,
}

/// The model, described for a person.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelSummary {
    policy: &'static str,
    rewards_learned: u64,
}

/// What `profile.export()` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Export<'a> {
    namespace: &'a str,
    exported_at: crate::time::Millis,
    consent: crate::consent::ConsentState,
    consent_history: &'a [crate::consent::record::RecordEntry],
    active_profile: Option<&'a str>,
    profiles: Option<&'a Profiles>,
    segments: Vec<String>,
    model: Option<ModelSummary>,
}

fn personalization_required() -> Error {
    Error::new(
        ErrorCode::ConsentRequired,
        "profiles need the visitor's personalization consent",
    )
}

fn with_personalization<T>(
    engine: &mut Engine,
    f: impl FnOnce(&mut Personalization) -> Result<T, Error>,
) -> Result<T, Error> {
    engine
        .personalization_mut()
        .ok_or_else(personalization_required)
        .and_then(f)
}

fn profile_name(name: JsValue) -> Result<String, Error> {
    Field::root("name", crate::web::convert::to_value(&name))
        .text(crate::profile::household::MAX_PROFILE_NAME_CHARS)
        .map_err(|e| Error::new(ErrorCode::InvalidProfile, e.to_string()))
}

impl HearthCore {
    /// Applies `change` to the profile `name`, then schedules a write and refreshes the
    /// segments (the active profile may have changed).
    fn change_household(
        &self,
        name: JsValue,
        change: impl FnOnce(&mut Personalization, &str) -> Result<bool, Error>,
    ) -> JsResult<bool> {
        let name = profile_name(name)?;
        let changed = self
            .inner
            .with_engine(|e| with_personalization(e, |p| change(p, &name)))??;
        self.inner.schedule_flush();
        self.inner.refresh_segments();
        Ok(changed)
    }
}

#[wasm_bindgen]
impl HearthCore {
    /// Resolves once stored data has been read (at once when there is none to read).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn ready(&self) -> js_sys::Promise {
        self.inner.storage_ready()
    }

    /// The active profile, readable by a person; `null` without `personalization`.
    #[wasm_bindgen(js_name = profileGet, unchecked_return_type = "ProfileView | null")]
    pub fn profile_get(&self) -> JsResult<JsValue> {
        let now = now();
        let stored = self.inner.with_engine(|e| e.storage_enabled())?
            && !self.inner.persistence.is_unavailable();
        let view = self.inner.with_engine(|engine| {
            engine.personalization_mut().map(|p| ProfileView {
                name: p.profiles().active_name().to_owned(),
                profiles: p.profiles().list(),
                stored_in: if stored { "indexeddb" } else { "memory" },
                summary: p.profile().summary(p.segments().to_vec(), now),
            })
        })?;
        Ok(to_js(&view)?)
    }

    /// The active profile's segments (empty without `personalization`).
    pub fn segments(&self) -> JsResult<Vec<String>> {
        Ok(self.inner.with_engine(|e| e.segments())?)
    }

    /// The household's profile names, alphabetically. Throws `consent_required`.
    #[wasm_bindgen(js_name = profileList)]
    pub fn profile_list(&self) -> JsResult<Vec<String>> {
        Ok(self
            .inner
            .with_engine(|e| with_personalization(e, |p| Ok(p.profiles().list())))??)
    }

    /// Makes `name` the active profile, creating it when new; returns whether it was created.
    /// Throws `invalid_profile` or `consent_required`.
    #[wasm_bindgen(js_name = profileUse)]
    pub fn profile_use(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> JsResult<bool> {
        self.change_household(name, |p, name| Ok(p.use_profile(name)?))
    }

    /// Removes the profile `name`; returns whether it existed. Throws `invalid_profile` or
    /// `consent_required`.
    #[wasm_bindgen(js_name = profileRemove)]
    pub fn profile_remove(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> JsResult<bool> {
        self.change_household(name, |p, name| Ok(p.remove_profile(name)?))
    }

    /// Everything kept about the visitor, as plain JSON: consent state and history,
    /// profiles, segments, a model summary, and the stored decisions and captured events.
    #[wasm_bindgen(js_name = profileExport, unchecked_return_type = "Promise<ProfileExport>")]
    pub fn profile_export(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        let export = async move {
            let (stored_decisions, stored_events) = inner.stored_entries().await?;
            let export = inner.with_engine(|engine| {
                let namespace = engine.options().namespace.clone();
                let consent = engine.consent();
                let history = engine.consent_record().entries.clone();
                let personalization = engine.personalization_state();
                let export = Export {
                    namespace: &namespace,
                    exported_at: now(),
                    consent,
                    consent_history: &history,
                    active_profile: personalization.map(|p| p.profiles().active_name()),
                    profiles: personalization.map(Personalization::profiles),
                    segments: engine.segments(),
                    model: personalization.map(|p| ModelSummary {
                        policy: p.policy_name(),
                        rewards_learned: p.rewards_learned(),
                    }),
                };
                let object = to_js(&export)?;
                // Decisions and events: the stored ones, or (in memory) the page's own.
                let decisions = if stored_decisions.is_null() {
                    let lines: Vec<_> = engine
                        .decision_log()
                        .map(|log| log.decisions().map(crate::log::dsjson::line).collect())
                        .unwrap_or_default();
                    to_js(&lines)?
                } else {
                    stored_decisions
                };
                let events = if stored_events.is_null() {
                    let events: Vec<_> = engine
                        .capture()
                        .map(|c| c.recent().iter().cloned().collect())
                        .unwrap_or_default();
                    to_js(&events)?
                } else {
                    stored_events
                };
                js_sys::Reflect::set(&object, &"decisions".into(), &decisions)?;
                js_sys::Reflect::set(&object, &"events".into(), &events)?;
                Ok::<JsValue, JsError>(object)
            })??;
            Ok::<JsValue, JsError>(export)
        };
        wasm_bindgen_futures::future_to_promise(async move { Ok(export.await?) })
    }

    /// Deletes everything kept about the visitor except the consent record, in memory and
    /// stored.
    #[wasm_bindgen(js_name = profileErase, unchecked_return_type = "Promise<void>")]
    pub fn profile_erase(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            inner.erase_profile().await.map_err(JsValue::from)?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
