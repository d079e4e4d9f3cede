//! Hearth: on-device personalization for the web.
//!
//! # Map
//!
//! Three layers, outermost last:
//!
//! - **Pure core** (compiles and tests natively, never sees a `JsValue`; time and entropy
//!   arrive as values): [`options`] validates `Hearth.init` options once; [`consent`] holds
//!   the purposes and decides what is allowed; [`rank`] validates candidates and orders them;
//!   [`bandit`] learns from rewards (hashed joint features, LinUCB / Thompson / greedy
//!   policies with exact propensities, model snapshots);
//!   [`event`] is the capture model (events, sessions, scroll, viewability, context);
//!   [`log`] is the bounded decision log and its DSJSON form;
//!   [`profile`] keeps the visitor's bounded, time-decayed aggregates and their segments;
//!   [`capture`] turns page observations into events while `measurement` is allowed;
//!   [`engine`] is one instance's state tying them together; [`error`] is the single error
//!   type with stable codes; [`value`] is the bounded plain-data copy of JavaScript input
//!   and the path-aware reader every parser uses; [`tape`] rebuilds it from the flat arrays
//!   the facade packs `rank` requests into; [`sort`] and [`math`] replace std sorting and
//!   trigonometry, which cost wasm size.
//! - **Browser layer** (`api`, wasm32 only): the `#[wasm_bindgen]` class `HearthCore`, which
//!   converts JavaScript values to [`value::Value`] trees and core types and core errors to `HearthError` objects.
//! - **JS facade** (`pkg-template/`): `Hearth.init` loads the wasm, then wraps `HearthCore`
//!   in the public API (`consent`, `rank`, `on`, `destroy`).
//!
//! # Data flow
//!
//! `Hearth.init(options)` → `HearthCore::new` → [`options::ValidOptions::parse`] →
//! [`engine::Engine::new`]. `hearth.rank(request)` → [`rank::RankRequest::parse`] (errors name
//! the offending candidate's index) → [`engine::Engine::rank`] → a [`rank::Decision`]
//! serialized back to a plain object.
#![warn(missing_docs)]

pub mod bandit;
pub mod capture;
pub mod consent;
pub mod engine;
pub mod error;
pub mod event;
pub mod log;
pub mod math;
pub mod options;
pub mod persist;
pub mod personalize;
pub mod profile;
pub mod rank;
pub mod sort;
pub mod tape;
pub mod time;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, ErrorCode};
