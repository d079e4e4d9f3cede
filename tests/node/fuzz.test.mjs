// Hostile input over the whole public surface: every call returns normally or throws (or
// rejects with) a HearthError with a code, and the instance keeps working. A fixed seed
// always runs; a random one too, printed so that a failure can be replayed with
// HEARTH_FUZZ_SEED=<seed>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hearth, isHearthError } from 'hearth-sdk';

const CALLS = 1200;

/** xorshift32: a small seeded generator. */
function generator(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const below = (n) => Math.floor(next() * n);
  const pick = (list) => list[below(list.length)];
  return { next, below, pick };
}

function deep(depth) {
  let value = {};
  for (let i = 0; i < depth; i++) value = { a: value, list: [value] };
  return value;
}

/** Values no well-behaved caller passes, and some they do. */
function hostile(rng, level = 0) {
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  const cyclicList = [1];
  cyclicList.push(cyclicList);
  const throwingGetter = Object.defineProperty({}, 'id', { enumerable: true, get() { throw new Error('getter'); } });
  const throwingProxy = new Proxy({}, {
    get() { throw new Error('proxy get'); },
    ownKeys() { throw new Error('proxy keys'); },
    has() { throw new Error('proxy has'); },
    getOwnPropertyDescriptor() { throw new Error('proxy descriptor'); },
  });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const values = [
    () => undefined, () => null, () => true, () => 0, () => -1, () => NaN, () => Infinity,
    () => 1e308, () => 2 ** 53 + 1, () => 10n, () => Symbol('s'), () => '', () => 'x',
    () => 'a'.repeat(100_000), () => '\uD800', () => 'dsjson', () => 'consent', () => 'default',
    () => () => {}, () => [], () => [1, 'a', null], () => new Array(20_000).fill(0), () => ({}),
    () => cyclic, () => cyclicList, () => deep(5_000), () => throwingGetter, () => throwingProxy,
    () => revoked.proxy, () => new Map([[1, 2]]), () => new Date(), () => new Uint8Array(4),
    () => Object.create(null), () => ({ toString() { throw new Error('toString'); } }),
    () => ({ valueOf() { throw new Error('valueOf'); } }), () => Promise.resolve(1),
  ];
  if (level < 2) {
    values.push(
      () => ({ slot: hostile(rng, level + 1), candidates: hostile(rng, level + 1) }),
      () => ({ candidates: [{ id: hostile(rng, level + 1), tags: hostile(rng, level + 1) }] }),
      () => ({ candidates: { ids: hostile(rng, level + 1), features: hostile(rng, level + 1), featureNames: hostile(rng, level + 1) } }),
      () => ({ format: hostile(rng, level + 1) }),
      () => ({ storage: hostile(rng, level + 1), measurement: hostile(rng, level + 1) }),
      () => ({ version: 1, params: hostile(rng, level + 1), blocks: hostile(rng, level + 1) }),
      () => [hostile(rng, level + 1), hostile(rng, level + 1)],
    );
  }
  return rng.pick(values)();
}

/** Every public method, called with `args`. */
function surface(hearth) {
  return [
    ['consent.get', (a) => hearth.consent.get(...a)],
    ['consent.set', (a) => hearth.consent.set(...a)],
    ['consent.withdraw', (a) => hearth.consent.withdraw(...a)],
    ['consent.history', (a) => hearth.consent.history(...a)],
    ['rank', (a) => hearth.rank(...a)],
    ['reward', (a) => hearth.reward(...a)],
    ['track', (a) => hearth.track(...a)],
    ['segments', (a) => hearth.segments(...a)],
    ['context', (a) => hearth.context(...a)],
    ['on', (a) => hearth.on(...a)],
    ['off', (a) => hearth.off(...a)],
    ['decisions.export', (a) => hearth.decisions.export(...a)],
    ['model.export', (a) => hearth.model.export(...a)],
    ['model.import', (a) => hearth.model.import(...a)],
    ['profile.get', (a) => hearth.profile.get(...a)],
    ['profile.export', (a) => hearth.profile.export(...a)],
    ['profile.use', (a) => hearth.profile.use(...a)],
    ['profile.list', (a) => hearth.profile.list(...a)],
    ['profile.remove', (a) => hearth.profile.remove(...a)],
    ['capture.recent', (a) => hearth.capture.recent(...a)],
    ['capture.status', (a) => hearth.capture.status(...a)],
    ['Hearth.decodeTcString', (a) => Hearth.decodeTcString(...a)],
  ];
}

/** The outcome of one call: 'ok', or a description of what escaped the error contract. */
async function outcome(call, args) {
  try {
    await call(args);
    return 'ok';
  } catch (error) {
    if (isHearthError(error)) return 'ok';
    return `threw a non-HearthError: ${error?.name}: ${String(error?.message).slice(0, 120)}`;
  }
}

async function fuzz(seed) {
  const rng = generator(seed);
  const hearth = await Hearth.init({
    storage: 'memory',
    capture: { clicks: false, scroll: false, impressions: false, pageviews: false },
  });
  await hearth.consent.set({ personalization: true, measurement: true });
  const methods = surface(hearth);
  const escaped = [];
  for (let i = 0; i < CALLS; i++) {
    const [name, call] = rng.pick(methods);
    const args = Array.from({ length: rng.below(3) }, () => hostile(rng));
    const result = await outcome(call, args);
    if (result !== 'ok') escaped.push(`call ${i}, ${name}: ${result}`);
    // The module is alive: a plain call still works.
    const check = hearth.rank({ candidates: [{ id: 'alive', tags: ['t'] }] });
    assert.equal(check.items[0].id, 'alive', `after call ${i} (${name}) the instance stopped working`);
  }
  hearth.destroy();
  return escaped;
}

test('Hearth.init refuses 200 hostile option objects with a HearthError', async () => {
  const rng = generator(7);
  for (let i = 0; i < 200; i++) {
    const options = hostile(rng);
    try {
      const hearth = await Hearth.init(options);
      hearth.destroy();
    } catch (error) {
      assert.ok(isHearthError(error), `init call ${i}: ${error?.name}: ${error?.message}`);
      assert.equal(error.code, 'invalid_options');
    }
  }
});

test('1,200 hostile calls over the public surface, fixed seed', async () => {
  const seed = Number(process.env.HEARTH_FUZZ_SEED ?? 20261208);
  const escaped = await fuzz(seed);
  assert.deepEqual(escaped, [], `seed ${seed}`);
});

test('1,200 hostile calls over the public surface, a random seed', async () => {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const escaped = await fuzz(seed);
  assert.deepEqual(escaped, [], `seed ${seed} (replay with HEARTH_FUZZ_SEED=${seed})`);
});
