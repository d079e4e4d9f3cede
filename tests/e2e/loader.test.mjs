// The script-tag delivery in real Chromium: the inline loader stub's queue, declarative
// ranking of `data-hearth-rank` lists with no layout shift, the reveal when the SDK is
// blocked, and a strict CSP with no request beyond Hearth's own two files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const stub = await readFile(new URL('../../dist/hearth-stub.min.js', import.meta.url), 'utf8');
const stubHash = createHash('sha256').update(stub).digest('base64');
const CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-${stubHash}'; style-src 'self'`;

/** A page with the stub inline, `before` (inline, hashed too) and the async SDK tag. */
function pageHtml({ before = '', list = '', attributes = 'data-namespace="e2e-loader"' } = {}) {
  const hashes = before ? ` 'sha256-${createHash('sha256').update(before).digest('base64')}'` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP.replace("script-src 'self'", `script-src 'self'${hashes}`)}">
<title>loader</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script>${stub}</script>${before ? `<script>${before}</script>` : ''}
<script async src="/hearth/hearth.js" ${attributes}></script>
</head><body><h1>Loader</h1>${list}<p>After the list.</p></body></html>`;
}

/** Opens `html` at a path of the test server (so that /hearth/ resolves). */
async function openHtml(html, { block = [], hang = [] } = {}) {
  const opened = await browser.open('about:blank');
  const url = new URL('/loader-page.html', browser.url()).href;
  await opened.page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  for (const pattern of block) await opened.page.route(pattern, (route) => route.abort());
  for (const pattern of hang) await opened.page.route(pattern, () => {}); // never answered
  const requests = [];
  opened.page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await opened.page.goto(url);
  return { ...opened, requests };
}

const LIST = `<ul id="feed" data-hearth-rank="home">
  <li data-hearth-item="a1" data-hearth-tags="sports" data-hearth-score="0.9">First story, a line of text</li>
  <li data-hearth-item="a2" data-hearth-tags="politics" data-hearth-score="0.8">Second story, a line of text</li>
  <li data-hearth-item="a3" data-hearth-tags="food" data-hearth-score="0.7">Third story, a line of text</li>
  <li data-hearth-item="a4" data-hearth-tags="travel" data-hearth-pin="1">Pinned story, a line of text</li>
</ul>`;

test('the README shows the stub as built, so that it works when pasted', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(`<script>${stub}</script>`), 'README.md carries dist/hearth-stub.min.js');
});

test('calls queued before the SDK loads are replayed in order; later ones run at once', async () => {
  const before = "hearth.push(['consent.set', { measurement: true, personalization: true }]);"
    + "hearth.push(['track', 'queued_event']);"
    + "hearth.ready(function (h) { window.readyState = [h.consent.get().purposes.personalization, h.capture.recent().some(function (e) { return e.name === 'queued_event'; })]; });";
  const { page, problems, close } = await openHtml(pageHtml({ before }));
  await page.waitForFunction(() => window.readyState);
  assert.deepEqual(await page.evaluate(() => window.readyState), [true, true]);
  const later = await page.evaluate(() => new Promise((resolve) => {
    window.hearth.push(['track', 'later_event']);
    window.hearth.ready((h) => resolve(h.capture.recent().some((e) => e.name === 'later_event')));
  }));
  assert.equal(later, true);
  assert.deepEqual(problems, []);
  await close();
});

test('a declared list is ranked before it is shown, with no layout shift', async () => {
  const { page, problems, close, requests } = await openHtml(pageHtml({ list: LIST }));
  await page.waitForFunction(() => document.getElementById('feed').hasAttribute('data-hearth-ranked'));
  const outcome = await page.evaluate(async () => {
    const shifts = await new Promise((resolve) => {
      new PerformanceObserver((list) => resolve(list.getEntries())).observe({ type: 'layout-shift', buffered: true });
      setTimeout(() => resolve([]), 300);
    });
    return {
      order: [...document.querySelectorAll('#feed li')].map((li) => li.dataset.hearthItem),
      visibility: getComputedStyle(document.getElementById('feed')).visibility,
      cls: shifts.filter((s) => !s.hadRecentInput).reduce((sum, s) => sum + s.value, 0),
    };
  });
  assert.deepEqual(outcome.order, ['a4', 'a1', 'a2', 'a3'], 'pinned first, then the server order');
  assert.equal(outcome.visibility, 'visible');
  assert.equal(outcome.cls, 0);
  // The control: the same measurement sees a reorder done while the list is visible.
  const control = await page.evaluate(() => new Promise((resolve) => {
    const feed = document.getElementById('feed');
    new PerformanceObserver((list) => resolve(list.getEntries().reduce((sum, s) => sum + s.value, 0))).observe({ type: 'layout-shift' });
    feed.prepend(feed.lastElementChild);
    setTimeout(() => resolve(0), 500);
  }));
  assert.ok(control > 0, `a visible reorder shifts the layout (${control})`);
  // Strict CSP held (a violation is a console error) and nothing but Hearth's two files
  // (and the page and its icon) was requested.
  const own = requests.filter((path) => !['/loader-page.html', '/favicon.svg', '/favicon.ico'].includes(path));
  assert.deepEqual(own.sort(), ['/hearth/hearth.js', '/hearth/hearth_bg.wasm']);
  assert.deepEqual(problems, []);
  await close();
});

test('clicks on a declared list reward its decision', async () => {
  const before = "hearth.push(['consent.set', { measurement: true, personalization: true }]);";
  const { page, problems, close } = await openHtml(pageHtml({ before, list: LIST }));
  await page.waitForFunction(() => window.hearth && window.hearth.instance && document.getElementById('feed').hasAttribute('data-hearth-ranked'));
  await page.click('#feed li[data-hearth-item="a2"]');
  const learned = await page.evaluate(async () => (await window.hearth.instance.profile.export()).model.rewardsLearned);
  assert.ok(learned >= 1, `the click taught the model (${learned} rewards)`);
  assert.deepEqual(problems, []);
  await close();
});

test('when the SDK is slow, the list is shown in the server order after a short wait', async () => {
  const { page, problems, close } = await openHtml(pageHtml({ list: LIST }), { hang: ['**/hearth_bg.wasm'] });
  const visibility = () => page.evaluate(() => getComputedStyle(document.getElementById('feed')).visibility);
  const hidden = await visibility();
  const started = Date.now();
  await page.waitForFunction(() => getComputedStyle(document.getElementById('feed')).visibility === 'visible', null, { timeout: 3000 });
  const order = await page.evaluate(() => [...document.querySelectorAll('#feed li')].map((li) => li.dataset.hearthItem));
  assert.equal(hidden, 'hidden', 'hidden while waiting');
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(order, ['a1', 'a2', 'a3', 'a4']);
  assert.deepEqual(problems, []);
  await close();
});

test('when the SDK fails to load, the list is shown at once and the failure reported', async () => {
  const { page, problems, close } = await openHtml(pageHtml({ list: LIST }), { block: ['**/hearth_bg.wasm'] });
  await page.waitForFunction(() => getComputedStyle(document.getElementById('feed')).visibility === 'visible', null, { timeout: 900 });
  const order = await page.evaluate(() => [...document.querySelectorAll('#feed li')].map((li) => li.dataset.hearthItem));
  assert.deepEqual(order, ['a1', 'a2', 'a3', 'a4']);
  await page.waitForTimeout(100);
  assert.ok(problems.some((p) => /Hearth wasm module could not be loaded/.test(p)), problems.join('\n'));
  await close();
});
