// Training a global prior offline: a decision log exported as DSJSON, replayed by
// `hearth-sdk/prior` into a snapshot, imported by a new visitor's instance before it has
// learned anything itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hearth } from 'hearth-sdk';
import { fromDsjsonLine, trainPrior } from 'hearth-sdk/prior';

const candidates = [
  { id: 'a1', tags: ['sports'], features: { recency: 0.9 }, score: 0.9 },
  { id: 'a2', tags: ['politics'], features: { recency: 0.4 }, score: 0.5 },
  { id: 'a3', tags: ['food'], features: { recency: 0.1 }, score: 0.2 },
];

test('a DSJSON line reads back into the request it ranked and its outcome', () => {
  const line = {
    _label_cost: -1, _label_probability: 0.8, _label_Action: 1, _labelIndex: 0, Version: '1', EventId: 'e1', a: [1, 2],
    c: { context: { 'page=home': 1, depth: 2, 'app=false': 1 }, _multi: [
      { item: { 'id=a2': 1, 'tag=politics': 1, recency: 0.4, serverScore: 0.5 } },
      { item: { 'id=a1': 1 } },
    ] },
  };
  assert.deepEqual(fromDsjsonLine(JSON.stringify(line)), {
    request: {
      context: { page: 'home', depth: 2, app: false },
      candidates: [
        { id: 'a2', tags: ['politics'], features: { recency: 0.4 }, score: 0.5 },
        { id: 'a1', tags: [], features: {} },
      ],
    },
    chosen: 'a2',
    reward: 1,
  });
});

test('a prior trained on exported decisions ranks a new visitor like the crowd', async () => {
  // The crowd: many decisions, where a2 is the one people take.
  const crowd = await Hearth.init({ storage: 'memory', ranker: { seed: 3, policy: 'egreedy' } });
  await crowd.consent.set({ personalization: true });
  for (let round = 0; round < 80; round++) {
    const result = crowd.rank({ slot: 'feed', candidates, context: { page: 'home' } });
    for (const item of result.items) crowd.reward(result.decisionId, item.id, item.id === 'a2' ? 1 : 0);
  }
  const dsjson = await crowd.decisions.export({ format: 'dsjson' });
  crowd.destroy();

  const prior = await trainPrior(dsjson, { seed: 1 });
  const visitor = await Hearth.init({ storage: 'memory', ranker: { seed: 1 } });
  await visitor.consent.set({ personalization: true });
  const before = visitor.rank({ slot: 'feed', candidates, context: { page: 'home' } });
  assert.equal(before.items[0].id, 'a1', 'cold start: the server order');
  visitor.model.import(prior);
  const after = visitor.rank({ slot: 'feed', candidates, context: { page: 'home' } });
  assert.equal(after.personalized, true);
  assert.equal(after.items[0].id, 'a2', 'the prior puts the crowd favourite first');
  visitor.destroy();
});
