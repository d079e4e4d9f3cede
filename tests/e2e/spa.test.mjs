// The Vite example (www/spa/, built against pkg/ as the npm package) in real Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();

test('the Vite app installs hearth-sdk from pkg/ and renders a ranked feed', async () => {
  const { page, problems, close } = await browser.open('/spa/');
  const status = page.getByRole('status');
  await status.filter({ hasText: 'Ranked' }).waitFor();
  assert.match(await status.textContent(), /Ranked 4 items \(decision [0-9a-f]{16}, personalized: no, consent_required\)/);
  const feed = await page.getByTestId('feed').locator('li').allTextContents();
  assert.deepEqual(feed, [
    'Local team wins the derby',
    'New budget passes the vote',
    'A week of quiet sunshine',
    'How the new stadium was built',
  ]);
  assert.deepEqual(problems, []);
  await close();
});

test("the Vite app's own settings page changes consent, and the feed follows", async () => {
  const { page, problems, close } = await browser.open('/spa/');
  await page.getByRole('status').filter({ hasText: 'consent_required' }).waitFor();
  await page.getByRole('link', { name: 'Privacy settings' }).click();
  await page.getByLabel('Personalize what I see').check();
  await page.getByLabel('Measure what I read here').check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await page.getByRole('status').filter({ hasText: 'saved' }).waitFor();
  await page.getByRole('link', { name: 'Feed' }).click();
  await page.getByRole('status').filter({ hasText: 'cold_start' }).waitFor();
  const state = await page.evaluate(() => JSON.parse(localStorage.getItem('hearth:spa-example:consent')).entries.at(-1));
  assert.deepEqual(state.purposes, { storage: false, measurement: true, personalization: true });
  assert.equal(state.source, 'user');
  assert.deepEqual(problems, []);
  await close();
});
