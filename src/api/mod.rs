//! The `#[wasm_bindgen]` surface: JavaScript values in, core calls, plain objects out.
//!
//! `HearthCore` is the low-level class the JS facade (`pkg-template/index.js`) wraps. It
//! parses every input before borrowing its state, so a hostile getter that calls back into
//! Hearth finds nothing borrowed; and it never panics on input: every failure is a
//! `HearthError` with a stable code.

mod convert;
mod error;
mod types;

use crate::engine::Engine;
use crate::options::ValidOptions;
use crate::rank::RankRequest;
use crate::Error;
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

type JsResult<T> = Result<T, JsValue>;

/// One Hearth instance's core. Use `Hearth.init` from the package instead of this class.
#[wasm_bindgen]
pub struct HearthCore {
    /// `None` once destroyed.
    engine: RefCell<Option<Engine>>,
}

#[wasm_bindgen]
impl HearthCore {
    /// Validates `options` and creates an instance with every consent purpose denied.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "HearthOptions | undefined")] options: JsValue,
    ) -> JsResult<HearthCore> {
        let options = ValidOptions::parse(convert::to_value(&options)).map_err(Error::from)?;
        Ok(HearthCore {
            engine: RefCell::new(Some(Engine::new(options, fresh_entropy()))),
        })
    }

    /// The visitor's consent state.
    #[wasm_bindgen(js_name = consentGet, unchecked_return_type = "ConsentState")]
    pub fn consent_get(&self) -> JsResult<JsValue> {
        let state = self.with_engine(|engine| engine.consent().clone())?;
        Ok(to_js(&state)?)
    }

    /// Validates the request and ranks its candidates.
    #[wasm_bindgen(unchecked_return_type = "RankResult")]
    pub fn rank(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RankRequest")] request: JsValue,
    ) -> JsResult<JsValue> {
        let request = RankRequest::parse(convert::to_value(&request))?;
        let decision = self.with_engine(|engine| engine.rank(request))?;
        Ok(to_js(&decision)?)
    }

    /// Releases this instance's state; every later call fails with code `destroyed`.
    pub fn destroy(&self) {
        if let Ok(mut engine) = self.engine.try_borrow_mut() {
            engine.take();
        }
    }
}

impl HearthCore {
    /// Runs `f` on the live engine, or fails with `destroyed` (or `internal` when called
    /// re-entrantly, which only a getter calling back into Hearth mid-call could do).
    fn with_engine<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> Result<T, Error> {
        let mut slot = self
            .engine
            .try_borrow_mut()
            .map_err(|e| error::internal("re-entrant call into Hearth", e))?;
        slot.as_mut().map(f).ok_or_else(Error::destroyed)
    }
}

/// Plain objects and arrays, never `Map`s, so results look like JSON to callers.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::internal("could not convert a result to JavaScript", e))
}

/// 64 bits from `Math.random()` for decision ids (not a secret, only unique).
fn fresh_entropy() -> u64 {
    let half = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (half() << 32) | half()
}
