//! The TypeScript shapes the generated `.d.ts` refers to: one place, next to the parsing code.
//! Field names and rules mirror `options.rs`, `rank/` and `consent/`; keep them in step.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Stable codes of every `HearthError`. */
export type HearthErrorCode = 'invalid_options' | 'invalid_request' | 'invalid_candidates' | 'destroyed' | 'internal';

/** The one kind of error Hearth throws or rejects with: a real `Error` named `HearthError`. */
export interface HearthError extends Error {
  name: 'HearthError';
  code: HearthErrorCode;
  /** The offending entry of an input list (e.g. the candidate), when one is at fault. */
  index?: number;
}

/** Options of `Hearth.init`. Unknown keys are rejected with `invalid_options`. */
export interface HearthOptions {
  /** Separates apps on one origin: 1–64 letters, digits, `-` or `_`. Default `'default'`. */
  namespace?: string;
  /** Where data is kept once `storage` consent allows it. Default `'indexeddb'`. */
  storage?: 'indexeddb' | 'memory';
  consent?: {
    /** Deny measurement and personalization by default under Global Privacy Control. Default true. */
    honorGpc?: boolean;
    /** Listen to an IAB TCF CMP (`window.__tcfapi`). Default true. */
    readTcf?: boolean;
    /** The site's consent policy version; a change asks the visitor again. */
    policyVersion?: string;
  };
  /** Which signals are captured once `measurement` is granted. Each defaults to true. */
  capture?: { clicks?: boolean; scroll?: boolean; impressions?: boolean; pageviews?: boolean };
  ranker?: {
    policy?: 'linucb' | 'thompson' | 'egreedy' | 'softmax';
    /** Exploration strength, finite and ≥ 0. Default 1. */
    alpha?: number;
    /** Fixed seed for reproducible exploration (a non-negative safe integer). */
    seed?: number;
  };
  /** How long anything stored is kept: 1–3650 days. Default 180. */
  retentionDays?: number;
}

/** One item the site's server proposes. Other properties are ignored. */
export interface Candidate {
  /** Unique within the request; 1–256 characters. */
  id: string;
  /** At most 32 tags of 1–64 characters. */
  tags?: string[];
  /** At most 256 finite numbers by name. */
  features?: Record<string, number>;
  /** The server's own score (finite). */
  score?: number;
}

/** What `rank` orders. */
export interface RankRequest {
  /** The placement, e.g. `'home-feed'`: 1–64 characters. */
  slot?: string;
  /** At most 10,000 candidates, in the server's order. */
  candidates: Candidate[];
  /** At most 32 keys of site context. */
  context?: Record<string, string | number | boolean>;
  /** How many items to return (≥ 1). Default: all. */
  limit?: number;
}

/** One ranked item. */
export interface RankedItem {
  id: string;
  /** The score the order follows (the server's score, 0 when absent, when not personalized). */
  score: number;
  /** The probability with which this item was chosen for its position. */
  probability: number;
  /** Short explanations a person understands. */
  reasons: string[];
}

/** The outcome of `rank`. */
export interface RankResult {
  /** Pass to `reward`. */
  decisionId: string;
  slot: string | null;
  /** Whether the visitor's profile shaped the order. */
  personalized: boolean;
  /** The policy that ordered the items (`'server_order'` when not personalized). */
  policy: string;
  /** Why the order is not personalized, when it is not. */
  reason: 'consent_required' | 'cold_start' | null;
  items: RankedItem[];
}

/** Whether each purpose is allowed. */
export interface Purposes {
  storage: boolean;
  measurement: boolean;
  personalization: boolean;
}

/** The visitor's consent. */
export interface ConsentState {
  purposes: Purposes;
  source: 'default' | 'user' | 'gpc' | 'tcf' | 'site';
  /** Milliseconds since the epoch of the last decision; null while nothing is decided. */
  updatedAt: number | null;
  policyVersion: string;
}
"#;
