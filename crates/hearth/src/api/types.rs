//! The TypeScript names the generated `hearth.d.ts` refers to (`unchecked_*_type`), imported
//! from `types.d.ts` (`pkg-template/types.d.ts`, the package's one source of the API's
//! shapes), and the result types this module serializes itself.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
import type { CaptureStatus, CapturedEvent, ConsentRecordEntry, ConsentSetOptions, ConsentState, HearthError, HearthOptions, ModelSnapshot, ProfileExport, ProfileView, Purposes, RankRequest, RankResult, RankingContext, TcString, TrackProps } from './types.js';
"#;

/// What `capture.status()` returns while capture runs.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CaptureStatus {
    pub session: crate::event::SessionState,
    pub returning: bool,
    pub recorded: u64,
    pub kept: usize,
    /// Whether the page listeners are attached (false outside a browser).
    pub listening: bool,
}
