// The demo site learns on the device: accept the banner, keep clicking one story, and the
// "Recommended for you" list moves it to the top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();

test('clicking a story again and again moves it to the top of the demo list', async () => {
  const { page, problems, close } = await browser.open('/');
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.locator('#status').filter({ hasText: 'cold_start' }).waitFor();
  for (let i = 0; i < 6; i++) {
    await page.locator('#feed [data-hearth-item="a5"]').click();
  }
  await page.locator('#status').filter({ hasText: 'personalized.' }).waitFor();
  const ids = await page.locator('#feed [data-hearth-item]').evaluateAll((els) => els.map((e) => e.dataset.hearthItem));
  // The server put a5 fifth. LinUCB still explores stories whose features changed (every
  // impression adds to the visitor's tag affinities), so "near the top" is the learned fact.
  assert.ok(ids.indexOf('a5') <= 1, `a5 should have risen from fifth to the top two: ${ids}`);
  await page.screenshot({ path: 'target/screenshots/demo-learned.png' });
  assert.deepEqual(problems, []);
  await close();
});
