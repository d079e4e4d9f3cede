import type {
  ModelSnapshot,
  CapturedEvent,
  CaptureStatus,
  ConsentRecordEntry,
  ConsentSetOptions,
  ConsentState,
  HearthError,
  HearthOptions,
  ProfileExport,
  ProfileView,
  RankRequest,
  RankResult,
  Purposes,
  RankingContext,
  TcString,
  TrackProps,
} from './types.js';

export type {
  DsjsonDecision,
  ModelSnapshot,
  Candidate,
  CapturedEvent,
  CapturedItem,
  CaptureStatus,
  ConsentRecordEntry,
  ConsentSetOptions,
  ConsentSource,
  ConsentState,
  HearthError,
  HearthErrorCode,
  HearthOptions,
  ProfileCounts,
  ProfileExport,
  ProfileView,
  Purposes,
  RankedItem,
  RankRequest,
  RankResult,
  RankRules,
  RankingContext,
  ReferrerClass,
  SegmentCondition,
  SegmentRule,
  SessionState,
  TcCoreSegment,
  TcfStatus,
  TcPublisherSegment,
  TcString,
  TrackProps,
} from './types.js';

/** Payloads of the events `on` delivers. */
export interface HearthEventMap {
  /** The consent state changed (from this page, a CMP, or another tab of the site). */
  consent: ConsentState;
  /** A decision was made by `rank`. */
  decision: RankResult;
  /** Something failed in the background (e.g. storage); Hearth keeps working. */
  error: HearthError;
  /** An event was captured (only while `measurement` is allowed). */
  capture: CapturedEvent;
  /** The active profile's segments changed; the new list. */
  segment: string[];
}

/** The visitor's profiles: their view of, and rights over, what Hearth keeps. */
export interface HearthProfile {
  /** The active profile, readable by a person; null without `personalization`. */
  get(): Promise<ProfileView | null>;
  /** Everything kept about the visitor (consent history, profiles, segments, model summary, decisions, captured events) as JSON. */
  export(): Promise<ProfileExport>;
  /** Deletes everything kept about the visitor except the consent record, here and stored. */
  erase(): Promise<void>;
  /** Makes `name` the active profile (shared devices), creating it when new; resolves to whether it was created. `invalid_profile`, `consent_required`. */
  use(name: string): Promise<boolean>;
  /** The profile names, alphabetically. */
  list(): Promise<string[]>;
  /** Removes a profile; resolves to whether it existed. */
  remove(name: string): Promise<boolean>;
}

/** Namespace for the decision log. */
export interface HearthDecisions {
  /**
   * The logged decisions (the last 200, each with the items it showed, the exact probability
   * of the first and its reward) as Vowpal Wabbit DSJSON, one JSON object per line, for
   * `vw --dsjson --cb_explore_adf`. Empty without `personalization` consent.
   */
  export(options?: { format?: 'dsjson' }): Promise<string>;
}

/** Namespace for the bandit's model. Both need `personalization` consent (`consent_required`). */
export interface HearthModel {
  /** The model as a versioned snapshot (JSON-serializable). */
  export(): ModelSnapshot;
  /** Installs a model trained elsewhere; throws `invalid_snapshot` when it is malformed. */
  import(snapshot: ModelSnapshot): void;
}

/** Namespace for what capture keeps in memory. */
export interface HearthCapture {
  /** The last captured events, oldest first (at most 500); empty without `measurement`. */
  recent(): CapturedEvent[];
  /** The session and counters while capture runs; null without `measurement`. */
  status(): CaptureStatus | null;
}

/** Namespace for the visitor's consent. */
export interface HearthConsent {
  /** The current state: every purpose denied until decided. */
  get(): ConsentState;
  /**
   * Changes the named purposes (the others keep their value) and records the decision.
   * Denying `storage` erases everything stored except the consent record before resolving.
   * Rejects with `invalid_consent`.
   * @example
   * await hearth.consent.set({ storage: true, measurement: true, personalization: true });
   */
  set(purposes: Partial<Purposes>, options?: ConsentSetOptions): Promise<ConsentState>;
  /** Denies every purpose and erases everything stored except the consent record. */
  withdraw(): Promise<ConsentState>;
  /** Every recorded decision, oldest first (at most 100), across policy versions. */
  history(): ConsentRecordEntry[];
}

/** The Hearth SDK: on-device personalization. */
export declare class Hearth {
  private constructor();
  /**
   * Loads the SDK (once per page) and creates an instance.
   * Rejects with a `HearthError` of code `invalid_options` naming the offending key.
   * @example
   * const hearth = await Hearth.init({ namespace: 'news' });
   */
  static init(options?: HearthOptions): Promise<Hearth>;
  /**
   * Decodes an IAB TCF v2 TC string, to debug a CMP integration.
   * Rejects with a `HearthError` of code `invalid_tc_string` saying what is wrong.
   */
  static decodeTcString(tcString: string): Promise<TcString>;
  /** The visitor's consent. */
  readonly consent: HearthConsent;
  /** What capture keeps in memory (for debugging and transparency). */
  readonly capture: HearthCapture;
  /** The visitor's profiles. */
  readonly profile: HearthProfile;
  /** The active profile's segments, e.g. `['returning', 'sports-fan']` (empty without personalization). */
  segments(): string[];
  /** The decision log, for offline evaluation and training. */
  readonly decisions: HearthDecisions;
  /** The bandit's model: export it, or import a prior trained elsewhere. */
  readonly model: HearthModel;
  /**
   * Learns the visitor's response to an item a decision showed: 1 (default) for a click or
   * conversion, 0 for ignored. Clicks on ranked `[data-hearth-item]` elements are rewarded
   * automatically. Returns false when that item was already rewarded in that decision.
   * Throws a `HearthError` of code `consent_required`, `unknown_decision` or `invalid_request`.
   * @example
   * const result = hearth.rank({ slot: 'home-feed', candidates });
   * hearth.reward(result.decisionId, result.items[0].id, 1);
   */
  reward(decisionId: string, itemId: string, value?: number): boolean;
  /**
   * Records a custom event; returns false (keeping nothing) unless `measurement` is allowed.
   * Throws a `HearthError` of code `invalid_event` for a bad name or properties.
   * @example
   * hearth.track('newsletter_signup', { plan: 'free' });
   */
  track(name: string, props?: TrackProps): boolean;
  /** The ranking context now (device class, viewport, language, local time…); null in Node. */
  context(): RankingContext | null;
  /**
   * Orders the server's candidates; synchronous.
   * Throws a `HearthError` of code `invalid_candidates` (with `index`) or `invalid_request`.
   */
  rank(request: RankRequest): RankResult;
  /** Calls `listener` on each event of `type`; returns a function that removes it. */
  on<K extends keyof HearthEventMap>(type: K, listener: (event: HearthEventMap[K]) => void): () => void;
  /** Removes a listener added with `on`. */
  off<K extends keyof HearthEventMap>(type: K, listener: (event: HearthEventMap[K]) => void): void;
  /** Releases everything; later calls throw a `HearthError` of code `destroyed`. */
  destroy(): void;
}

/** Whether `value` is an error thrown or rejected by Hearth. */
export declare function isHearthError(value: unknown): value is HearthError;
