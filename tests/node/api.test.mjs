// The built package in Node ≥ 20, imported by its name through the `exports` map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hearth, isHearthError } from 'hearth-sdk';

const candidates = [
  { id: 'a1', tags: ['sports'], features: { recency: 0.9 }, score: 0.3 },
  { id: 'a2', tags: ['politics'], score: 0.8 },
  { id: 'a3' },
];

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

test('importing touches no browser global', () => {
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(typeof globalThis.document, 'undefined');
});

test('init with memory storage resolves and consent starts denied', async () => {
  const hearth = await Hearth.init({ storage: 'memory', capture: { clicks: false, scroll: false, impressions: false, pageviews: false } });
  assert.deepEqual(hearth.consent.get(), {
    purposes: { storage: false, measurement: false, personalization: false },
    source: 'default',
    updatedAt: null,
    policyVersion: '',
    gpc: false,
    tcf: null,
  });
  hearth.destroy();
});

test('rank keeps the server order, unpersonalized, with a decision id', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  const result = hearth.rank({ slot: 'home-feed', candidates, limit: 2 });
  assert.deepEqual(result.items.map((i) => i.id), ['a1', 'a2']);
  assert.equal(result.personalized, false);
  assert.equal(result.reason, 'consent_required');
  assert.equal(result.slot, 'home-feed');
  assert.match(result.decisionId, /^[0-9a-f]{16}$/);
  assert.notEqual(hearth.rank({ candidates }).decisionId, result.decisionId);
  hearth.destroy();
});

test('unknown options reject with invalid_options naming the key', async () => {
  const error = await rejection(Hearth.init({ storage: 'memory', rankr: {} }));
  assert.ok(error instanceof Error);
  assert.ok(isHearthError(error));
  assert.equal(error.name, 'HearthError');
  assert.equal(error.code, 'invalid_options');
  assert.match(error.message, /options\.rankr/);
});

test('bad candidates throw invalid_candidates with the index, and the next call works', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  const cases = [
    [{ candidates: 'a1' }, undefined],
    [{ candidates: [{ id: 'x' }, {}] }, 1],
    [{ candidates: [{ id: 'x' }, { id: 'x' }] }, 1],
    [{ candidates: [{ id: 'x', features: { f: Number.NaN } }] }, 0],
    [{ candidates: Array.from({ length: 10_001 }, (_, i) => ({ id: `c${i}` })) }, 10_000],
  ];
  for (const [request, index] of cases) {
    const error = thrown(() => hearth.rank(request));
    assert.equal(error.code, 'invalid_candidates', error.message);
    assert.equal(error.index, index);
    assert.equal(hearth.rank({ candidates }).items.length, 3);
  }
  hearth.destroy();
});

test('decision listeners hear every rank and can be removed', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  const heard = [];
  const off = hearth.on('decision', (d) => heard.push(d.decisionId));
  const first = hearth.rank({ candidates });
  off();
  hearth.rank({ candidates });
  assert.deepEqual(heard, [first.decisionId]);
  assert.equal(thrown(() => hearth.on('nope', () => {})).code, 'invalid_request');
  hearth.destroy();
});

test('a destroyed instance throws destroyed', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  hearth.destroy();
  assert.equal(thrown(() => hearth.rank({ candidates })).code, 'destroyed');
  assert.equal(thrown(() => hearth.consent.get()).code, 'destroyed');
});

test('consent.set changes the named purposes, records them, and emits consent', async () => {
  const hearth = await Hearth.init({ storage: 'memory', consent: { policyVersion: '2026-11' } });
  const heard = [];
  hearth.on('consent', (state) => heard.push(state.purposes));
  const state = await hearth.consent.set({ storage: true, personalization: true });
  assert.deepEqual(state.purposes, { storage: true, measurement: false, personalization: true });
  assert.equal(state.source, 'user');
  assert.equal(typeof state.updatedAt, 'number');
  const site = await hearth.consent.set({ measurement: true }, { source: 'site' });
  assert.equal(site.source, 'site');
  assert.deepEqual(heard.length, 2);
  assert.deepEqual(hearth.consent.history().map((e) => [e.source, e.policyVersion]), [['user', '2026-11'], ['site', '2026-11']]);
  assert.equal(hearth.rank({ candidates }).reason, 'cold_start');
  const withdrawn = await hearth.consent.withdraw();
  assert.deepEqual(withdrawn.purposes, { storage: false, measurement: false, personalization: false });
  assert.equal(hearth.consent.history().length, 3);
  assert.equal(hearth.rank({ candidates }).reason, 'consent_required');
  hearth.destroy();
});

test('consent.set rejects unknown purposes and sources with invalid_consent', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  for (const [purposes, options] of [[{ ads: true }], [{}], [{ storage: 'yes' }], [{ storage: true }, { source: 'tcf' }]]) {
    const error = await rejection(hearth.consent.set(purposes, options));
    assert.equal(error.code, 'invalid_consent', error.message);
  }
  assert.deepEqual(hearth.consent.history(), []);
  hearth.destroy();
});

test('decodeTcString decodes a real TC string and rejects a bad one', async () => {
  const { readFile } = await import('node:fs/promises');
  const vectors = JSON.parse(await readFile(new URL('../fixtures/tcf/vectors.json', import.meta.url), 'utf8'));
  const decoded = await Hearth.decodeTcString(vectors[0].tcString);
  assert.deepEqual(decoded, vectors[0].expected);
  const error = await rejection(Hearth.decodeTcString('!!!'));
  assert.equal(error.code, 'invalid_tc_string');
  assert.equal((await rejection(Hearth.decodeTcString(42))).code, 'invalid_tc_string');
});

test('track keeps custom events only with measurement, and validates them always', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  assert.equal(hearth.track('signup', { plan: 'free' }), false);
  assert.deepEqual(hearth.capture.recent(), []);
  assert.equal(hearth.capture.status(), null);
  assert.equal(thrown(() => hearth.track('', {})).code, 'invalid_event');
  assert.equal(thrown(() => hearth.track('x', { a: null })).code, 'invalid_event');
  const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`p${i}`, i]));
  assert.equal(thrown(() => hearth.track('x', tooMany)).code, 'invalid_event');

  await hearth.consent.set({ measurement: true });
  const heard = [];
  hearth.on('capture', (event) => heard.push(event));
  assert.equal(hearth.track('signup', { plan: 'free', seats: 2, trial: true }), true);
  const [event] = hearth.capture.recent();
  assert.deepEqual({ ...event, at: 0 }, { type: 'custom', at: 0, name: 'signup', props: { plan: 'free', seats: 2, trial: true } });
  assert.deepEqual(heard, [event]);
  assert.equal(hearth.capture.status().listening, false, 'no page to listen to in Node');
  assert.equal(hearth.context(), null);

  await hearth.consent.set({ measurement: false });
  assert.deepEqual(hearth.capture.recent(), [], 'revoking measurement clears what capture kept');
  hearth.destroy();
});

test('with personalization, rewards teach the ranking; revoking forgets what was learned', async () => {
  const hearth = await Hearth.init({ storage: 'memory', ranker: { seed: 7 } });
  const request = { slot: 'feed', candidates, context: { page: 'home' } };
  assert.equal(thrown(() => hearth.reward('x', 'a1')).code, 'consent_required');
  await hearth.consent.set({ personalization: true });
  const first = hearth.rank(request);
  assert.equal(first.reason, 'cold_start');
  assert.deepEqual(first.items.map((i) => i.id), ['a1', 'a2', 'a3']);
  assert.equal(thrown(() => hearth.reward('nope', 'a1')).code, 'unknown_decision');
  assert.equal(thrown(() => hearth.reward(first.decisionId, 'zz')).code, 'unknown_decision');
  assert.equal(thrown(() => hearth.reward(first.decisionId, 'a1', Number.NaN)).code, 'invalid_request');
  for (let round = 0; round < 25; round++) {
    const result = hearth.rank(request);
    for (const item of result.items) hearth.reward(result.decisionId, item.id, item.id === 'a3' ? 1 : 0);
  }
  const learned = hearth.rank(request);
  assert.equal(learned.personalized, true);
  assert.equal(learned.policy, 'linucb');
  assert.equal(learned.items[0].id, 'a3');
  assert.equal(learned.items.length, 3, 'every candidate is ranked, so the check below sees all three');
  assert.ok(learned.items.every((i) => i.probability > 0 && i.probability <= 1 && i.reasons.length > 0));
  assert.equal(hearth.reward(learned.decisionId, 'a3', 1), true);
  assert.equal(hearth.reward(learned.decisionId, 'a3', 1), false, 'a reward counts once');

  await hearth.consent.set({ personalization: false });
  assert.equal(hearth.rank(request).reason, 'consent_required');
  await hearth.consent.set({ personalization: true });
  assert.equal(hearth.rank(request).reason, 'cold_start', 'the model was dropped with consent');
  hearth.destroy();
});

test('a model exported from one visitor imports as a prior elsewhere', async () => {
  const request = { slot: 'feed', candidates, context: { page: 'home' } };
  const trained = await Hearth.init({ storage: 'memory', ranker: { seed: 3 } });
  assert.equal(thrown(() => trained.model.export()).code, 'consent_required');
  await trained.consent.set({ personalization: true });
  for (let round = 0; round < 20; round++) {
    const result = trained.rank(request);
    for (const item of result.items) trained.reward(result.decisionId, item.id, item.id === 'a2' ? 1 : 0);
  }
  const snapshot = JSON.parse(JSON.stringify(trained.model.export()));
  assert.equal(snapshot.version, 1);
  trained.destroy();

  const fresh = await Hearth.init({ storage: 'memory', namespace: 'elsewhere' });
  await fresh.consent.set({ personalization: true });
  fresh.model.import(snapshot);
  const ranked = fresh.rank(request);
  assert.equal(ranked.personalized, true);
  assert.equal(ranked.items[0].id, 'a2');
  assert.equal(thrown(() => fresh.model.import({ version: 2 })).code, 'invalid_snapshot');
  fresh.destroy();
});

test('business rules hold with and without personalization', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  const rules = { exclude: ['a1'], pin: [{ id: 'a3', position: 1 }] };
  const plain = hearth.rank({ candidates, rules });
  assert.deepEqual(plain.items.map((i) => i.id), ['a3', 'a2']);
  assert.deepEqual(plain.items[0].reasons, ['placed here by the site']);
  assert.equal(thrown(() => hearth.rank({ candidates, rules: { pin: [{ id: 'a3', position: 0 }] } })).code, 'invalid_request');
  const boosted = hearth.rank({ candidates, rules: { boost: [{ id: 'a3', by: 0.5 }] } });
  assert.deepEqual(boosted.items.map((i) => i.id), ['a3', 'a1', 'a2']);
  assert.ok(boosted.items[0].reasons.includes('promoted by the site'));
  assert.equal(thrown(() => hearth.rank({ candidates, rules: { boost: [{ id: 'a3', tag: 'x', by: 1 }] } })).code, 'invalid_request');
  await hearth.consent.set({ personalization: true });
  const first = hearth.rank({ candidates });
  hearth.reward(first.decisionId, first.items[0].id, 1);
  const personalized = hearth.rank({ candidates, rules: { sponsored: [{ id: 'a2', position: 1 }], exclude: ['a3'] } });
  assert.equal(personalized.personalized, true);
  assert.deepEqual(personalized.items.map((i) => [i.id, i.probability]), [['a2', 1], ['a1', 1]]);
  assert.deepEqual(personalized.items[0].reasons, ['sponsored']);
  hearth.destroy();
});

test('hostile requests are read or refused with a HearthError, never an internal error', async () => {
  const hearth = await Hearth.init({ storage: 'memory' });
  // Each candidate refers to the whole list: copying stops at the node limit (4,000,000
  // values), and the candidates past it are refused by name, not with an internal error.
  const linked = Array.from({ length: 50 }, (_, i) => ({ id: `c${i}` }));
  for (const c of linked) c.related = linked;
  const tooLarge = thrown(() => hearth.rank({ candidates: linked }));
  assert.equal(tooLarge.code, 'invalid_candidates');
  assert.match(tooLarge.message, /input too large/);
  // Lone surrogates at the seams of two strings.
  const result = hearth.rank({ candidates: [{ id: 'a', tags: ['x\uD83D', '\uDE00y'] }] });
  assert.deepEqual(result.items.map((i) => i.id), ['a']);
  // An array element whose getter throws.
  const candidates = [{ id: 'b' }];
  Object.defineProperty(candidates, 0, { get() { throw new Error('boom'); } });
  assert.equal(thrown(() => hearth.rank({ candidates })).code, 'invalid_candidates');
  // A Proxy whose traps throw.
  const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
  assert.equal(thrown(() => hearth.rank(proxy)).code, 'invalid_request');
  // Methods keep working when taken off the instance.
  const { rank, track } = hearth;
  assert.equal(rank({ candidates: [{ id: 'z' }] }).items[0].id, 'z');
  assert.equal(track('detached'), false);
  hearth.destroy();
});
