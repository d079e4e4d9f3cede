// Training a global prior offline (Node ≥ 20): replays a decision log exported as DSJSON
// (`decisions.export({ format: 'dsjson' })`, collected from many visitors with their consent)
// through Hearth's own learner, and returns a model snapshot for `model.import(snapshot)`.
// Each logged decision teaches the reward its first (chosen) item earned, given the same
// context and candidates; a line whose outcome was never observed (`_skipLearn`, no
// `_label_cost`) teaches nothing.
import { Hearth } from './node.js';

/** Rebuilds the `rank` request and the outcome of one DSJSON line. */
export function fromDsjsonLine(line) {
  const parsed = typeof line === 'string' ? JSON.parse(line) : line;
  const context = {};
  for (const [key, value] of Object.entries(parsed.c?.context ?? {})) {
    const at = key.indexOf('=');
    if (at < 0) context[key] = value;
    else {
      const [name, text] = [key.slice(0, at), key.slice(at + 1)];
      context[name] = text === 'true' ? true : text === 'false' ? false : text;
    }
  }
  const candidates = (parsed.c?._multi ?? []).map(({ item }) => {
    const candidate = { id: '', tags: [], features: {} };
    for (const [key, value] of Object.entries(item ?? {})) {
      if (key.startsWith('id=')) candidate.id = key.slice(3);
      else if (key.startsWith('tag=')) candidate.tags.push(key.slice(4));
      else if (key === 'serverScore') candidate.score = value;
      else candidate.features[key] = value;
    }
    return candidate;
  });
  const chosen = candidates[parsed._labelIndex ?? 0]?.id;
  const observed = !parsed._skipLearn && typeof parsed._label_cost === 'number';
  return { request: { candidates, context }, chosen, reward: observed ? -parsed._label_cost : null };
}

/**
 * Trains a prior on `dsjson` (the exported text, one decision per line) with the given
 * `ranker` options (the ones the site's visitors use) and returns its snapshot.
 */
export async function trainPrior(dsjson, ranker = {}) {
  const hearth = await Hearth.init({ storage: 'memory', consent: { honorGpc: false, readTcf: false }, ranker });
  await hearth.consent.set({ personalization: true }, { source: 'site' });
  for (const line of dsjson.split('\n').filter((l) => l.trim())) {
    const { request, chosen, reward } = fromDsjsonLine(line);
    if (!chosen || reward === null) continue;
    const result = hearth.rank({ ...request, limit: request.candidates.length });
    hearth.reward(result.decisionId, chosen, reward);
  }
  const snapshot = hearth.model.export();
  hearth.destroy();
  return snapshot;
}
