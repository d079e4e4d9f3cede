//! Hearth's core: everything that needs no browser, tested natively.
//!
//! [`options`] validates `Hearth.init` options once; [`consent`] holds the purposes and
//! decides what is allowed; [`request`] is the vocabulary of ranking (a validated request, its
//! candidates and rules, and the decision it gets); [`ranking`] is the pipeline that orders
//! candidates; [`bandit`] learns
//! from rewards (hashed joint features, LinUCB / Thompson / greedy policies with exact
//! propensities, model snapshots); [`event`] is the capture model (events, sessions, scroll,
//! viewability, context); [`log`] is the bounded decision log and its DSJSON form;
//! [`profile`] keeps the visitor's bounded, time-decayed aggregates and their segments;
//! [`personalize`] ties profile, model and open decisions together; [`persist`] is the journal
//! of changes not yet written; [`capture`] turns page observations into events while
//! `measurement` is allowed; [`engine`] is one instance's state tying them together; [`error`]
//! is the single error type with stable codes; [`value`] is the bounded plain-data copy of
//! JavaScript input and the path-aware reader every parser uses; [`tape`] rebuilds it from the
//! flat arrays the facade packs `rank` requests into; [`sort`] and [`math`] replace std
//! sorting and trigonometry, which cost wasm size. Time and entropy arrive as values; nothing
//! here depends on a browser crate, and Cargo keeps it so.
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
pub mod ranking;
pub mod request;
pub mod sort;
pub mod tape;
pub mod time;
pub mod value;

pub use error::{Error, ErrorCode};
