// Consent in real Chromium through the script-tag build: nothing in IndexedDB before
// `storage` is granted, the refusal is remembered, withdraw purges, other tabs hear it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const databases = (page) => page.evaluate(() => indexedDB.databases().then((dbs) => dbs.map((d) => d.name)));

test('no database exists before storage consent, and the refusal itself is remembered', async () => {
  const { page, problems, close } = await browser.open('/');
  const state = await page.evaluate(async () => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-consent' });
    hearth.rank({ candidates: [{ id: 'a' }] });
    return hearth.consent.set({ storage: false, measurement: true, personalization: true });
  });
  assert.deepEqual(state.purposes, { storage: false, measurement: true, personalization: true });
  assert.deepEqual(await databases(page), []);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('hearth:e2e-consent:consent')));
  assert.equal(stored.entries.length, 1);
  assert.deepEqual(stored.entries[0].purposes, state.purposes);
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.deepEqual(problems, []);
  await close();
});

test('withdraw purges the namespace database before resolving and keeps the record', async () => {
  const { page, problems, close } = await browser.open('/');
  const outcome = await page.evaluate(async () => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-purge' });
    await hearth.consent.set({ storage: true });
    await new Promise((resolve, reject) => {
      const request = indexedDB.open('hearth:e2e-purge');
      request.onsuccess = () => { request.result.close(); resolve(); };
      request.onerror = () => reject(request.error);
    });
    const before = (await indexedDB.databases()).map((d) => d.name);
    const state = await hearth.consent.withdraw();
    const after = (await indexedDB.databases()).map((d) => d.name);
    return { before, after, state, history: hearth.consent.history().map((e) => e.purposes.storage) };
  });
  assert.ok(outcome.before.includes('hearth:e2e-purge'));
  assert.deepEqual(outcome.after, []);
  assert.equal(outcome.state.purposes.storage, false);
  assert.deepEqual(outcome.history, [true, false]);
  assert.deepEqual(problems, []);
  await close();
});

test('a choice made in one tab reaches another tab of the site', async () => {
  const first = await browser.open('/');
  const second = await first.page.context().newPage();
  await second.goto(first.page.url());
  const init = () => window.Hearth.init({ namespace: 'e2e-tabs' }).then((h) => {
    window.tabHearth = h;
    window.heard = [];
    h.on('consent', (state) => window.heard.push(state.purposes));
  });
  await first.page.evaluate(init);
  await second.evaluate(init);
  await first.page.evaluate(() => window.tabHearth.consent.set({ measurement: true }));
  await second.waitForFunction(() => window.heard.length === 1);
  const seen = await second.evaluate(() => ({ heard: window.heard, now: window.tabHearth.consent.get().purposes }));
  assert.deepEqual(seen.heard, [{ storage: false, measurement: true, personalization: false }]);
  assert.equal(seen.now.measurement, true);
  assert.deepEqual(first.problems, []);
  await first.close();
});

test('Global Privacy Control denies by default; the visitor can still opt in', async () => {
  const { page, problems, close } = await browser.open('/');
  const outcome = await page.evaluate(async () => {
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { configurable: true, get: () => true });
    const hearth = await window.Hearth.init({ namespace: 'e2e-gpc' });
    const before = hearth.consent.get();
    const after = await hearth.consent.set({ personalization: true });
    return { before: [before.source, before.gpc], after: [after.source, after.purposes.personalization] };
  });
  assert.deepEqual(outcome.before, ['gpc', true]);
  assert.deepEqual(outcome.after, ['user', true]);
  assert.deepEqual(problems, []);
  await close();
});
