//! Hearth: on-device personalization for the web. This crate is the `#[wasm_bindgen]` surface
//! (`HearthCore`, built into `pkg/` and `dist/`); the layers below it are their own crates, so
//! that Cargo, not convention, keeps them apart:
//!
//! - [`hearth_core`] (re-exported here): everything that needs no browser, tested natively.
//! - [`hearth_web`] (re-exported as [`web`]): the browser layer — DOM capture, IndexedDB,
//!   WebCrypto, the consent and session stores, page signals — on web-sys.
//! - [`api`] (wasm32 only): converts JavaScript values to core types and core errors to
//!   `HearthError` objects, and orchestrates storage.
//! - The JS facade (`pkg-template/`): `Hearth.init` loads the wasm, then wraps `HearthCore`
//!   in the public API (`consent`, `rank`, `on`, `destroy`).
//!
//! # Data flow
//!
//! `Hearth.init(options)` → `HearthCore::new` → [`options::ValidOptions::parse`] →
//! [`engine::Engine::new`]. `hearth.rank(request)` → [`request::RankRequest::parse`] (errors name
//! the offending candidate's index) → [`engine::Engine::rank`] → a [`request::Decision`]
//! serialized back to a plain object.
#![warn(missing_docs)]

pub use hearth_core::*;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub use hearth_web as web;

#[cfg(test)]
mod tests {
    //! The package's TypeScript declarations list every error code.
    use hearth_core::ErrorCode;

    #[test]
    fn every_code_is_listed_in_the_typescript_union() {
        let types = include_str!("../../../pkg-template/types.d.ts");
        let union = types
            .split("export type HearthErrorCode =")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .expect("types.d.ts declares HearthErrorCode");
        let listed: Vec<&str> = union
            .split('|')
            .map(|s| s.trim().trim_matches('\''))
            .filter(|s| !s.is_empty())
            .collect();
        let ours: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, ours);
    }
}
