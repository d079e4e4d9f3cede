import type { ModelSnapshot, RankRequest, HearthOptions } from './types.js';

/** One DSJSON line read back: the request it ranked, its first (chosen) item and that item's reward. */
export function fromDsjsonLine(line: string | object): { request: RankRequest; chosen: string | undefined; reward: number };

/**
 * Node only. Trains a global prior on an exported decision log (DSJSON text, one decision per
 * line) with Hearth's own learner and the given ranker options; returns a snapshot for
 * `hearth.model.import(snapshot)` on the visitors' devices.
 */
export function trainPrior(dsjson: string, ranker?: HearthOptions['ranker']): Promise<ModelSnapshot>;
