// The README's script-tag snippet, served as written (page and script) under a strict CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { readmeBlocks } from '../readme-snippets.mjs';

const browser = useBrowser();

test('the README script-tag snippet loads the SDK and ranks', async () => {
  const [html] = await readmeBlocks('Script tag', 'html');
  const [script] = await readmeBlocks('Script tag', 'js');
  const { page, problems, close } = await browser.open('about:blank');
  await page.route('**/readme-page.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"><link rel="icon" href="/favicon.svg">${html}</head><body></body></html>`,
    }),
  );
  await page.route('**/my-page.js', (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
  await page.goto(new URL('/readme-page.html', browser.url()).href);
  await page.waitForFunction(() => document.title.startsWith('Top story'));
  assert.equal(await page.title(), 'Top story: a1');
  assert.deepEqual(problems, []);
  await close();
});
