// The decision log exported as DSJSON, checked by the real thing: Vowpal Wabbit parses every
// line and learns from it (tests/vw/check_dsjson.py; `vowpalwabbit` is installed by setup).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Hearth } from 'hearth-sdk';

const candidates = [
  { id: 'a1', tags: ['sports'], features: { recency: 0.9 }, score: 0.9 },
  { id: 'a2', tags: ['politics'], features: { recency: 0.4 }, score: 0.5 },
  { id: 'a3', tags: ['food'], features: { recency: 0.1 }, score: 0.2 },
];

test('decisions export as DSJSON that Vowpal Wabbit parses and learns from', async () => {
  const hearth = await Hearth.init({ storage: 'memory', ranker: { seed: 5, policy: 'egreedy' } });
  assert.equal(await hearth.decisions.export({ format: 'dsjson' }), '', 'nothing logged without personalization');
  await hearth.consent.set({ personalization: true });
  for (let round = 0; round < 60; round++) {
    const result = hearth.rank({ slot: 'feed', candidates, context: { page: round % 2 ? 'home' : 'sport' } });
    // Every tenth decision's outcome is never observed: it must not be exported as a 0.
    if (round % 10 === 9) continue;
    for (const item of result.items) hearth.reward(result.decisionId, item.id, item.id === 'a2' ? 1 : 0);
  }
  const exported = await hearth.decisions.export({ format: 'dsjson' });
  const lines = exported.split('\n');
  assert.equal(lines.length, 60);
  const first = JSON.parse(lines[0]);
  assert.ok(first._label_probability > 0 && first._label_probability <= 1);
  assert.equal(first.c._multi.length, 3);
  assert.ok(lines.some((line) => JSON.parse(line)._label_cost === -1), 'rewarded decisions carry their cost');
  const unobserved = lines.map((line) => JSON.parse(line)).filter((d) => d._skipLearn === true);
  assert.equal(unobserved.length, 6, 'decisions without an observed outcome are marked _skipLearn');
  assert.ok(unobserved.every((d) => !('_label_cost' in d)), 'and carry no cost');
  await assert.rejects(hearth.decisions.export({ format: 'csv' }), { code: 'invalid_request' });

  await mkdir('target/dsjson', { recursive: true });
  await writeFile('target/dsjson/export.dsjson', exported);
  const summary = JSON.parse(execFileSync('python3', ['tests/vw/check_dsjson.py', 'target/dsjson/export.dsjson', 'a2'], { encoding: 'utf8' }));
  assert.equal(summary.lines, 60);
  assert.equal(summary.skipped, 6);
  assert.equal(summary.best, summary.rewardedIndex);
  hearth.destroy();
});
