// The webpack 5 example (www/webpack/, built against pkg/ as the npm package) in real
// Chromium: webpack emits the wasm as an asset with no configuration for Hearth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();

test('the webpack 5 app installs hearth-sdk from pkg/, loads the emitted wasm and ranks', async () => {
  const { page, problems, close } = await browser.open('about:blank');
  const wasm = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(new URL(r.url()).pathname));
  await page.goto(new URL('/webpack/', browser.url()).href);
  const status = page.getByRole('status');
  await status.filter({ hasText: 'Ranked' }).waitFor();
  assert.match(await status.textContent(), /Ranked 3 items with server_order \(decision [0-9a-f]{16}\)/);
  const feed = await page.getByTestId('feed').locator('li').allTextContents();
  assert.deepEqual(feed, ['Local team wins the derby', 'New budget passes the vote', 'A week of quiet sunshine']);
  assert.equal(wasm.length, 1);
  assert.match(wasm[0], /^\/webpack\/[0-9a-f]+\.wasm$/, 'the asset webpack emitted');
  assert.deepEqual(problems, []);
  await close();
});
