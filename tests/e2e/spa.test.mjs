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
