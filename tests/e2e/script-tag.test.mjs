// The script-tag demo (www/index.html + dist/hearth.js) in real Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();

test('the demo loads the wasm and shows the list ranked by rank()', async () => {
  const { page, problems, close } = await browser.open('/');
  const status = page.locator('#status');
  await status.filter({ hasText: 'Ranked on this device' }).waitFor();
  assert.match(await status.textContent(), /not personalized \(consent_required\)\. Decision [0-9a-f]{16}\./);
  const shown = await page.locator('#feed [data-hearth-item]').evaluateAll((els) => els.map((e) => e.dataset.hearthItem));
  assert.deepEqual(shown, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']);
  assert.deepEqual(problems, []);
  await close();
});

test('HearthError objects reach page scripts, and a bad call does not kill the SDK', async () => {
  const { page, problems, close } = await browser.open('/');
  await page.locator('#status').filter({ hasText: 'Ranked' }).waitFor();
  const outcome = await page.evaluate(async () => {
    const summary = (e) => ({ isError: e instanceof Error, name: e.name, code: e.code, index: e.index, message: e.message });
    const result = {};
    try {
      await window.Hearth.init({ nmespace: 'x' });
    } catch (e) {
      result.init = summary(e);
    }
    const hearth = await window.Hearth.init({ namespace: 'e2e' });
    try {
      hearth.rank({ candidates: [{ id: 'a' }, { id: 'b', score: Infinity }] });
    } catch (e) {
      result.rank = summary(e);
    }
    result.after = hearth.rank({ candidates: [{ id: 'ok' }] }).items.map((i) => i.id);
    hearth.destroy();
    try {
      hearth.rank({ candidates: [] });
    } catch (e) {
      result.destroyed = e.code;
    }
    return result;
  });
  assert.deepEqual(outcome.init, {
    isError: true,
    name: 'HearthError',
    code: 'invalid_options',
    index: undefined,
    message: 'options.nmespace: unknown key; expected one of namespace, storage, consent, capture, ranker, retentionDays, encryption, profile, segments',
  });
  assert.equal(outcome.rank.code, 'invalid_candidates');
  assert.equal(outcome.rank.index, 1);
  assert.match(outcome.rank.message, /request\.candidates\[1\]\.score: must be a finite number, got the number Infinity/);
  assert.deepEqual(outcome.after, ['ok']);
  assert.equal(outcome.destroyed, 'destroyed');
  assert.deepEqual(problems, []);
  await close();
});
