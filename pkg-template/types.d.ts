// The shapes of Hearth's public API: options, requests, results, events, errors. The source
// of truth for the package's types (index.d.ts re-exports them); the error codes are checked
// against the Rust ErrorCode list, and results against these declarations, by the tests.

/** Stable codes of every `HearthError`. */
export type HearthErrorCode = 'invalid_options' | 'invalid_request' | 'invalid_candidates' | 'invalid_event' | 'invalid_rules' | 'invalid_centroids' | 'invalid_profile' | 'invalid_snapshot' | 'consent_required' | 'unknown_decision' | 'invalid_consent' | 'invalid_tc_string' | 'storage_unavailable' | 'corrupt_data' | 'destroyed' | 'internal';

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
    /** TCF purposes (of 7, 8, 9) that must all be consented for `measurement`. Default [8]. */
    tcfMeasurementPurposes?: (7 | 8 | 9)[];
    /**
     * Use the core purpose consents when the CMP sends no publisher TC segment. Off by
     * default: whether that is lawful for your site is your legal call.
     */
    tcfCoreFallback?: boolean;
  };
  /** Which signals are captured once `measurement` is granted. Each defaults to true. */
  capture?: {
    clicks?: boolean;
    scroll?: boolean;
    impressions?: boolean;
    pageviews?: boolean;
    /** A CSS selector of elements whose clicks are never recorded (besides form fields and `[data-hearth-ignore]`). */
    ignore?: string;
    /** Inactivity after which a new session starts: 1–1440 minutes. Default 30. */
    sessionTimeoutMinutes?: number;
  };
  ranker?: {
    /** The exploration rule over the shared linear model. Default 'linucb'. */
    policy?: 'linucb' | 'thompson' | 'egreedy' | 'squarecb' | 'softmax';
    /** LinUCB's exploration width, finite and ≥ 0. Default 0.2 (measured best on digits). */
    alpha?: number;
    /** Fixed seed for reproducible exploration (a non-negative safe integer). */
    seed?: number;
    /** Seconds after its impression when an unclicked item counts as a reward of 0: 1–3600. Default 30. */
    noClickSeconds?: number;
    /**
     * Graded rewards from dwell (off by default): an item seen but not clicked earns
     * 0.5 × min(1, seconds in view / dwellSeconds) instead of 0. 1–600.
     */
    dwellSeconds?: number;
    /**
     * Half-life of what the ranker learned, in days: interests drift, so a reward this old
     * counts half as much against a new one. 0 never forgets; at most 3650. Default 3.
     */
    halfLifeDays?: number;
  };
  /** How long anything stored is kept: 1–3650 days. Default 180. Applied at start and daily. */
  retentionDays?: number;
  /** Encrypt stored records with AES-GCM under a non-extractable key. Default true. */
  encryption?: boolean;
  /** How events weigh on the profile. */
  profile?: {
    /** Affinities halve every this many days: 1/24 to 3650. Default 14. */
    halfLifeDays?: number;
    /** Affinity added to each tag of an item, per click, impression and second of dwell (0–1000). */
    weights?: { click?: number; impression?: number; dwellSecond?: number };
  };
  /** The site's segments; refused at init with `invalid_rules` / `invalid_centroids`. */
  segments?: {
    rules?: SegmentRule[];
    /** A clustering done on the server: the visitor joins `cluster:<name>` of the nearest. */
    centroids?: { name: string; features: Record<string, number> }[];
  };
}

/** A site-defined segment: the visitor is in it while every (`all`) or any (`any`) condition holds. */
export interface SegmentRule {
  /** 1–64 letters, digits, `-`, `_` or `.`. */
  name: string;
  all?: SegmentCondition[];
  any?: SegmentCondition[];
}

/** `metric op value`. Metrics: clicks, impressions, pageViews, sessions, dwellMs (with a window), sessionCount, engagement, recencyDays, ageDays, `affinity:<tag>`, `custom:<event>`, `ctr:<slot>`. */
export interface SegmentCondition {
  metric: string;
  /** For counters: `'1d' | '7d' | '30d' | 'all'`. */
  window?: string;
  op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
  value: number;
}

/** Counters over one window. */
export interface ProfileCounts {
  sessions: number;
  pageViews: number;
  clicks: number;
  impressions: number;
  dwellMs: number;
}

/** What `profile.get()` shows: the active profile, readable by a person. */
export interface ProfileView {
  /** The active profile's name (`'default'` until `profile.use`). */
  name: string;
  /** Every profile on this device, alphabetically. */
  profiles: string[];
  /** `'indexeddb'`, or `'memory'` when storage is not allowed or unavailable. */
  storedIn: 'indexeddb' | 'memory';
  segments: string[];
  topAffinities: { tag: string; score: number }[];
  /** Counters over the last day, 7 days, 30 days, and ever. */
  counts: { '1d': ProfileCounts; '7d': ProfileCounts; '30d': ProfileCounts; all: ProfileCounts };
  sessionCount: number;
  firstSeen: number | null;
  lastSeen: number | null;
  lastClick: number | null;
  engagement: { score: number; level: 'low' | 'medium' | 'high' };
  slots: { slot: string; impressions: number; clicks: number; ctr: number | null }[];
}

/** Everything kept about the visitor (`profile.export()`), as plain JSON. */
export interface ProfileExport {
  namespace: string;
  exportedAt: number;
  consent: ConsentState;
  consentHistory: ConsentRecordEntry[];
  activeProfile: string | null;
  /** The stored form of every profile. */
  profiles: { version: number; active: string; profiles: Record<string, unknown> } | null;
  segments: string[];
  model: { policy: string; rewardsLearned: number } | null;
  /** The decision log as DSJSON objects, oldest first. */
  decisions: DsjsonDecision[];
  /** The captured events kept, oldest first. */
  events: CapturedEvent[];
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
  /** At most 256 keys of site context (strings, numbers, flags). */
  context?: Record<string, string | number | boolean>;
  /** How many items to return (≥ 1). Default: all. */
  limit?: number;
  /** Business rules applied around the ranking (see docs/ranking.md). */
  rules?: RankRules;
}

/** Business rules: each list holds at most 1,000 entries; positions are 1-based. */
export interface RankRules {
  /** Ids never shown (e.g. already read). */
  exclude?: string[];
  /**
   * Added to the score of the item with `id`, or of every item with `tag`, before exploring
   * ("promoted by the site"): in reward units (a click is 1), from -10 to 10; negative
   * amounts demote. Without personalization, boosted items come first in the site's order.
   */
  boost?: ({ id: string; by: number } | { tag: string; by: number })[];
  /** Items the site puts at fixed positions ("placed here by the site"). */
  pin?: { id: string; position: number }[];
  /** Paid placements at fixed positions ("sponsored"). */
  sponsored?: { id: string; position: number }[];
  /** At most `maxPerTag` items of any one tag among the first `within` positions. */
  diversity?: { maxPerTag: number; within: number };
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

/** Where the consent in force came from. */
export type ConsentSource = 'default' | 'user' | 'gpc' | 'tcf' | 'site';

/** What a TCF CMP reported last. */
export interface TcfStatus {
  /** False only when the CMP said GDPR does not apply (then TCF decides nothing). */
  gdprApplies: boolean;
  /** Whether the TC string had a publisher TC segment (the one that governs Hearth). */
  publisherSegment: boolean;
  /** The CMP's registered id (0 when GDPR does not apply). */
  cmpId: number;
  eventStatus: 'tcloaded' | 'useractioncomplete';
}

/** The visitor's consent. */
export interface ConsentState {
  purposes: Purposes;
  /** `'default'` or `'gpc'` mean nothing is decided under the current policy version. */
  source: ConsentSource;
  /** Milliseconds since the epoch of the decision in force; null while nothing is decided. */
  updatedAt: number | null;
  policyVersion: string;
  /** Whether the browser sends Global Privacy Control. */
  gpc: boolean;
  /** What a TCF CMP reported last; null without a CMP (or with `readTcf: false`). */
  tcf: TcfStatus | null;
}

/** Properties of a custom event: at most 20, names of 1–64 characters. */
export type TrackProps = Record<string, string | number | boolean>;

/** Where a visit came from: the referrer's class, never its URL. */
export type ReferrerClass = 'search' | 'social' | 'direct' | 'internal' | 'other';

/** An item as captured from `data-hearth-*` attributes. */
export interface CapturedItem {
  itemId: string;
  tags: string[];
  slot: string | null;
}

/** One captured event. `at` is milliseconds since the epoch; URLs are origin + path only. */
export type CapturedEvent =
  | { type: 'click'; at: number; target: ({ kind: 'item' } & CapturedItem) | { kind: 'link'; url: string } }
  | { type: 'scroll'; at: number; depthPct: number; milestone: 25 | 50 | 75 | 90 | 100 }
  | ({ type: 'impression'; at: number } & CapturedItem)
  | ({ type: 'dwell'; at: number; visibleMs: number } & CapturedItem)
  | { type: 'pageView'; at: number; path: string; referrer: ReferrerClass }
  | { type: 'pageLeave'; at: number; path: string; timeOnPageMs: number; maxScrollPct: number }
  | { type: 'custom'; at: number; name: string; props: TrackProps };

/** A session: shared by the site's tabs while `storage` is allowed, per tab otherwise. */
export interface SessionState {
  id: string;
  startedAt: number;
  lastActivityAt: number;
  pageViews: number;
  /** 1 for the visitor's first session. */
  sessionCount: number;
  firstSeenAt: number;
  entryReferrer: ReferrerClass;
}

/** What capture is doing, while `measurement` is allowed. */
export interface CaptureStatus {
  session: SessionState;
  /** Whether the visitor had a session before this one (needs `storage` to be known). */
  returning: boolean;
  /** Events captured since capture started. */
  recorded: number;
  /** Events kept in memory now (the last 500 at most). */
  kept: number;
  /** Whether page listeners are attached (false outside a browser). */
  listening: boolean;
}

/** The context a ranking decision sees, read from media queries and the clock (no user agent). */
export interface RankingContext {
  device: 'phone' | 'tablet' | 'desktop';
  viewportBucket: 'xs' | 'sm' | 'md' | 'lg' | 'xl';
  /** Primary language subtag, lower-case, or 'und'. */
  language: string;
  /** Local time minus UTC, in minutes. */
  tzOffsetMin: number;
  localHour: number;
  /** 0 (Sunday) to 6. */
  weekday: number;
  saveData: boolean;
  reducedMotion: boolean;
}

/**
 * The bandit's model (`model.export()`), version 1: the parameters it was trained with, the
 * number of rewards learned, and per block the hashed keys of its slots, θ and (when present)
 * the inverse covariance. Install it elsewhere with `model.import` (e.g. a server-trained prior).
 */
export interface ModelSnapshot {
  version: 1;
  params: {
    policy: 'linucb' | 'thompson' | 'egreedy' | 'squarecb' | 'softmax';
    blocks: number;
    blockDim: number;
    ridge: number;
    alpha: number;
    posteriorScale: number;
    propensitySamples: number;
    epsilon: number;
    gammaScale: number;
    temperature: number;
    halfLifeDays: number;
  };
  updates: number;
  groups: number[];
  /** `learnedAt`: when the block last learned (ms since the epoch; 0 when unknown). */
  blocks: { block: number; keys: number[]; weights: number[]; covariance: number[][] | null; learnedAt: number }[];
}

/** One logged decision in Vowpal Wabbit's DSJSON form (see docs/ranking.md). */
export interface DsjsonDecision {
  /** −reward of the first item; absent when its outcome was never observed. */
  _label_cost?: number;
  /** Present (true) when the outcome was never observed: Vowpal Wabbit learns nothing from it. */
  _skipLearn?: true;
  _label_probability: number;
  _label_Action: number;
  _labelIndex: number;
  Version: '1';
  EventId: string;
  a: number[];
  c: { context: Record<string, number>; _multi: { item: Record<string, number> }[] };
}

/** Options of `consent.set`. */
export interface ConsentSetOptions {
  /** Who decides: the visitor (default) or the site on the visitor's behalf. */
  source?: 'user' | 'site';
}

/** One decision in the consent record. */
export interface ConsentRecordEntry {
  purposes: Purposes;
  source: 'user' | 'site' | 'tcf';
  /** Milliseconds since the epoch. */
  at: number;
  policyVersion: string;
}

/** A decoded TC string (`Hearth.decodeTcString`). Sets of ids are sorted arrays. */
export interface TcString {
  core: TcCoreSegment;
  publisherTc: TcPublisherSegment | null;
  disclosedVendors: number[] | null;
  allowedVendors: number[] | null;
}

/** The core segment of a TC string. */
export interface TcCoreSegment {
  version: 2;
  /** Deciseconds since the epoch. */
  createdDs: number;
  lastUpdatedDs: number;
  cmpId: number;
  cmpVersion: number;
  consentScreen: number;
  consentLanguage: string;
  vendorListVersion: number;
  tcfPolicyVersion: number;
  isServiceSpecific: boolean;
  useNonStandardTexts: boolean;
  specialFeatureOptIns: number[];
  purposeConsents: number[];
  purposeLiTransparency: number[];
  purposeOneTreatment: boolean;
  publisherCc: string;
  vendorConsents: number[];
  vendorLegitimateInterests: number[];
  publisherRestrictions: { purposeId: number; restrictionType: 'notAllowed' | 'requireConsent' | 'requireLegitimateInterest'; vendors: number[] }[];
}

/** The publisher TC segment: the publisher's own purposes, which govern Hearth. */
export interface TcPublisherSegment {
  purposeConsents: number[];
  purposeLiTransparency: number[];
  numCustomPurposes: number;
  customPurposeConsents: number[];
  customPurposeLiTransparency: number[];
}
