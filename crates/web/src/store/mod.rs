//! Stored data: the IndexedDB database and the envelopes of its records.

pub mod crypto;
pub mod envelope;
pub mod idb;
