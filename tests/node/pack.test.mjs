// The packed `rank` path (pack.js → typed arrays → tape.rs) and the plain one (a JS value
// copied by the core) must agree on every request, valid or not: same items, scores,
// probabilities and reasons, or the same error code, index and message. Two cores with the
// same seed get the same random requests in the same order. Scores are compared to 1e-6:
// the model forgets by the clock, and the two cores learn a few microseconds apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import initWasm, { HearthCore, inputLimits } from '../../pkg/hearth.js';
import { pack } from '../../pkg/pack.js';

function generator(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 2 ** 32;
  };
  const below = (n) => Math.floor(next() * n);
  const pick = (list) => list[below(list.length)];
  return { next, below, pick, chance: (p) => next() < p };
}

function randomRequest(rng) {
  // Most requests are valid (so that rewards teach the model); some fields go wrong.
  const wrong = () => rng.chance(0.01);
  const text = () => rng.pick(['a', 'b', 'sports', '', ' x ', '\uD800', 'ü', 'x'.repeat(300), 'id-' + rng.below(40)]);
  const number = () => (wrong() ? rng.pick([NaN, Infinity, -Infinity]) : rng.pick([0, 1, -2.5, 0.3, 1e300, rng.next()]));
  const weird = () => rng.pick([null, undefined, true, [], {}, 'string', () => 1, Symbol('s'), 10n]);
  const candidate = (i) => {
    const c = {};
    if (!wrong()) c.id = wrong() ? rng.pick([text(), weird(), 7]) : `c${i}`;
    if (rng.chance(0.7)) c.tags = Array.from({ length: rng.below(4) }, () => (wrong() ? rng.pick([weird(), text()]) : rng.pick(['t1', 't2', 't3', 'news', 'ü'])));
    if (rng.chance(0.6)) {
      c.features = {};
      for (let f = 0; f < rng.below(6); f++) c.features[`f${rng.below(8)}`] = wrong() ? weird() : rng.next();
    }
    if (rng.chance(0.5)) c.score = wrong() ? weird() : number();
    if (wrong()) c.extra = 1;
    return c;
  };
  const request = { candidates: Array.from({ length: rng.below(30) }, (_, i) => candidate(i)) };
  if (rng.chance(0.8)) request.slot = wrong() ? weird() : 'feed';
  if (rng.chance(0.5)) request.limit = wrong() ? rng.pick([0, -1, 2.5, 'x']) : rng.pick([1, 3, 10]);
  if (rng.chance(0.5)) {
    request.context = {};
    for (let k = 0; k < rng.below(5); k++) request.context[`k${k}`] = wrong() ? weird() : rng.pick([text(), number(), true]);
  }
  if (rng.chance(0.2)) request.rules = wrong() ? { nonsense: 1 } : rng.pick([{ exclude: ['c1'] }, { pin: [{ id: 'c2', position: 1 }] }, { boost: [{ tag: 't1', by: 0.5 }] }, { diversity: { maxPerTag: 1, within: 3 } }]);
  if (wrong()) request.unknown = true;
  return request;
}

/** The comparable part of a result or an error; scores apart, to compare within 1e-6. */
function outcome(call) {
  try {
    const { decisionId, ...rest } = call();
    const scores = rest.items.map((item) => item.score);
    rest.items = rest.items.map(({ score, ...item }) => item);
    return { ok: rest, scores };
  } catch (error) {
    return { error: { code: error.code, index: error.index, message: error.message } };
  }
}

function assertSame(b, a, what) {
  const { scores: sa = [], ...restA } = a;
  const { scores: sb = [], ...restB } = b;
  assert.deepEqual(restB, restA, what);
  sa.forEach((score, i) => {
    const close = score === sb[i] || Math.abs(score - sb[i]) <= 1e-6 * Math.max(1, Math.abs(score));
    assert.ok(close, `${what}: score ${i} ${sb[i]} vs ${score}`);
  });
}

test('the packed and the plain rank paths agree on 1,000 random requests', async () => {
  await initWasm({ module_or_path: readFileSync(new URL('../../pkg/hearth_bg.wasm', import.meta.url)) });
  const limits = inputLimits();
  const options = { storage: 'memory', ranker: { seed: 3 }, capture: { clicks: false, scroll: false, impressions: false, pageviews: false } };
  const plain = new HearthCore(options, () => {});
  const packed = new HearthCore(options, () => {});
  for (const core of [plain, packed]) {
    const { done } = core.consentSet({ personalization: true });
    await done;
  }
  const rng = generator(99);
  let rewarded = 0;
  let refused = 0;
  for (let i = 0; i < 1000; i++) {
    const request = randomRequest(rng);
    const a = outcome(() => plain.rank(request));
    const b = outcome(() => packed.rankPacked(...pack(request, limits)));
    if (a.error) refused++;
    assertSame(b, a, `request ${i}: ${JSON.stringify(request, (k, v) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 400)}`);
    // Teach both the same thing, so that personalized paths are compared too.
    if (a.ok && a.ok.items.length > 0 && rng.chance(0.3)) {
      rewarded++;
      for (const [core, result] of [[plain, plain.rank(request)], [packed, packed.rankPacked(...pack(request, limits))]]) {
        core.reward(result.decisionId, result.items[0].id, 1);
      }
    }
  }
  assert.ok(rewarded > 50, `only ${rewarded} rewards: the personalized path was barely compared`);
  assert.ok(refused > 50 && refused < 900, `${refused} of 1,000 refused: compare both valid and invalid requests`);
  plain.destroy();
  packed.destroy();
});
