// Capture in real Chromium with real input (tests/e2e drive www/capture.html): what is
// captured, what never is, and that consent attaches and detaches it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();

async function openCapturePage(query = '', { beforeLoad } = {}) {
  const opened = await browser.open('about:blank');
  if (beforeLoad) await beforeLoad(opened.page);
  await opened.page.goto(new URL(`/capture.html${query}`, opened.page.url() === 'about:blank' ? browser.url() : opened.page.url()).href);
  await opened.page.waitForFunction(() => window.ready || window.failed);
  return opened;
}

const captured = (page) => page.evaluate(() => window.captured);
const types = (events) => events.map((e) => e.type);
const clearCaptured = (page) => page.evaluate(() => { window.captured.length = 0; });

test('nothing is captured before measurement is granted; granting starts with a page view', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-gate');
  await page.click('#deep');
  assert.deepEqual(await captured(page), []);
  assert.equal(await page.evaluate(() => window.hearth.capture.status()), null);
  assert.equal(await page.evaluate(() => window.hearth.track('signup', { plan: 'free' })), false);
  await page.evaluate(() => window.hearth.consent.set({ measurement: true }));
  const events = await captured(page);
  assert.deepEqual(types(events), ['pageView']);
  assert.equal(events[0].path, `${new URL(page.url()).origin}/capture.html`);
  assert.deepEqual(problems, []);
  await close();
});

test('clicks are attributed to the nearest item or to a link path, never to text or fields', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-clicks&consent=measurement');
  await clearCaptured(page);
  await page.click('#deep');
  await page.click('#link', { noWaitAfter: true }).catch(() => {});
  for (const field of ['#email', '#password', '#notes', '#editable', '#ignored-inner', '#site-ignored-inner']) {
    await page.click(field);
  }
  await page.keyboard.type('typed secret');
  const events = (await captured(page)).filter((e) => e.type === 'click');
  assert.deepEqual(events.map((e) => e.target), [
    { kind: 'item', itemId: 'a1', tags: ['sports', 'football'], slot: 'feed' },
    { kind: 'link', url: `${new URL(page.url()).origin}/capture.html` },
  ]);
  const everything = JSON.stringify(await page.evaluate(() => window.hearth.capture.recent()));
  for (const secret of ['someone@example.com', 'hunter2', 'private notes', 'editable text', 'typed secret', 'secret=1', 'frag', 'Nested', 'utm']) {
    assert.ok(!everything.includes(secret), `captured data contains ${secret}`);
  }
  assert.deepEqual(problems, []);
  await close();
});

test('denying measurement or destroying detaches every listener', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-detach&consent=measurement');
  await page.evaluate(() => window.hearth.consent.set({ measurement: false }));
  await clearCaptured(page);
  await page.click('#deep');
  await page.mouse.wheel(0, 3000);
  await page.waitForTimeout(200);
  assert.deepEqual(await captured(page), []);
  assert.equal(await page.evaluate(() => window.hearth.capture.status()), null);

  await page.evaluate(() => window.hearth.consent.set({ measurement: true }));
  assert.equal(await page.evaluate(() => window.hearth.capture.status().listening), true);
  const pushState = await page.evaluate(() => {
    window.hearth.destroy();
    return history.pushState.toString().includes('[native code]');
  });
  assert.equal(pushState, true, 'history is left as it was');
  await clearCaptured(page);
  await page.click('#deep');
  await page.click('#route-a');
  assert.deepEqual(await captured(page), []);
  assert.deepEqual(problems, []);
  await close();
});

test('scroll depth milestones are reported once each, also when the page grows', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-scroll&consent=measurement');
  await clearCaptured(page);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight * 0.4));
  await page.waitForFunction(() => window.captured.some((e) => e.type === 'scroll' && e.milestone === 25));
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => window.captured.some((e) => e.type === 'scroll' && e.milestone === 100));
  for (let i = 0; i < 5; i++) await page.click('#load-more');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForTimeout(300);
  const milestones = (await captured(page)).filter((e) => e.type === 'scroll').map((e) => e.milestone);
  assert.deepEqual(milestones, [25, 50, 75, 90, 100]);
  assert.deepEqual(problems, []);
  await close();
});

test('an item seen for 0.5 s makes no impression, 1.5 s makes one; items added later count', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-seen&consent=measurement');
  const scrollTo = (selector) => page.evaluate((s) => document.querySelector(s).scrollIntoView({ block: 'center' }), selector);
  await clearCaptured(page);
  await scrollTo('#below');
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(1200);
  const seen = (id) => captured(page).then((events) => events.filter((e) => e.type === 'impression' && e.itemId === id));
  assert.deepEqual(await seen('below'), []);

  await scrollTo('#below');
  await page.waitForTimeout(1500);
  await page.click('#load-more');
  await scrollTo('[data-hearth-item="more-1"]');
  await page.waitForTimeout(1500);
  const impressions = (await captured(page)).filter((e) => e.type === 'impression');
  const ids = impressions.map((e) => e.itemId);
  assert.ok(!ids.includes('ignored-item') && !ids.includes('site-ignored'), 'ignored items make no impressions');
  const later = impressions.filter((e) => ['below', 'more-1'].includes(e.itemId));
  assert.deepEqual(later.map((e) => [e.itemId, e.tags]), [['below', ['science']], ['more-1', ['added']]]);

  assert.deepEqual(problems, []);
  await close();
});

test('a hidden tab pauses impressions; SPA routes are page views with paths only', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-spa&consent=measurement');
  const setHidden = (hidden) => page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await setHidden(true);
  await page.evaluate(() => document.querySelector('#below').scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(1500);
  assert.deepEqual((await captured(page)).filter((e) => e.type === 'impression'), []);
  await setHidden(false);
  await page.waitForTimeout(1500);
  assert.equal((await captured(page)).filter((e) => e.type === 'impression').length, 1);

  await clearCaptured(page);
  await page.click('#route-a');
  await page.click('#route-b');
  const origin = new URL(page.url()).origin;
  const views = (await captured(page)).filter((e) => e.type === 'pageView' || e.type === 'pageLeave');
  assert.deepEqual(views.map((e) => [e.type, e.path]), [
    ['pageLeave', `${origin}/capture.html`],
    ['pageView', `${origin}/spa-route/a`],
    ['pageLeave', `${origin}/spa-route/a`],
    ['pageView', `${origin}/spa-route/b`],
  ]);
  assert.ok(views.find((e) => e.type === 'pageLeave' && e.path.endsWith('/capture.html')).timeOnPageMs >= 1500);
  assert.deepEqual(problems, []);
  await close();
});

test('a session times out after 30 minutes without activity (fake clock)', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-clock&consent=measurement', {
    beforeLoad: (p) => p.clock.install(),
  });
  const session = () => page.evaluate(() => window.hearth.capture.status().session);
  const first = await session();
  await page.clock.fastForward('29:00');
  await page.click('#deep');
  assert.equal((await session()).id, first.id);
  await page.clock.fastForward('31:00');
  await page.click('#deep');
  const second = await session();
  assert.notEqual(second.id, first.id);
  assert.equal(second.sessionCount, 2);
  assert.deepEqual(problems, []);
  await close();
});

test('two tabs of the site share one session while storage is allowed', async () => {
  const first = await openCapturePage('?ns=cap-tabs&consent=all');
  const second = await first.page.context().newPage();
  await second.goto(first.page.url());
  await second.waitForFunction(() => window.ready);
  const [a, b] = await Promise.all([first.page, second].map((p) => p.evaluate(() => window.hearth.capture.status())));
  assert.equal(b.session.id, a.session.id);
  assert.equal(b.session.pageViews, 2);
  assert.deepEqual(first.problems, []);
  await first.close();
});

test('custom events are validated and kept; 10,000 clicks leave memory flat', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-many&consent=measurement');
  const outcome = await page.evaluate(() => {
    const kept = window.hearth.track('newsletter_signup', { plan: 'free', seats: 3, trial: true });
    let error;
    try {
      window.hearth.track('x', { nested: { no: true } });
    } catch (e) {
      error = [e.code, e.message];
    }
    return { kept, error };
  });
  assert.equal(outcome.kept, true);
  assert.deepEqual(outcome.error, ['invalid_event', 'props.nested: must be a string, number or boolean, got an object']);
  const heap = () => page.evaluate(() => { window.gc(); return performance.memory.usedJSHeapSize; });
  const click = (n) => page.evaluate((count) => {
    const target = document.getElementById('deep');
    for (let i = 0; i < count; i++) target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    window.captured.length = 0;
  }, n);
  await click(1000);
  const before = await heap();
  await click(10_000);
  const after = await heap();
  const status = await page.evaluate(() => window.hearth.capture.status());
  assert.equal(status.kept, 500);
  assert.ok(status.recorded >= 11_000);
  assert.ok(after - before < 512 * 1024, `JS heap grew by ${after - before} bytes`);
  assert.deepEqual(problems, []);
  await close();
});

test('a click on a ranked item rewards its decision and feeds the profile', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-reward&consent=all');
  const decisionId = await page.evaluate(() => window.hearth.rank({
    slot: 'feed',
    candidates: [{ id: 'a1', tags: ['sports'] }, { id: 'a2', tags: ['politics'] }],
  }).decisionId);
  await page.click('#deep');
  const outcome = await page.evaluate((id) => ({
    again: window.hearth.reward(id, 'a1', 1),
    other: window.hearth.reward(id, 'a2', 0),
  }), decisionId);
  assert.deepEqual(outcome, { again: false, other: true }, 'the click already rewarded a1');
  assert.deepEqual(problems, []);
  await close();
});

test('a capture listener that destroys the instance leaves no listener attached', async () => {
  const { page, problems, close } = await openCapturePage('?ns=cap-reentrant');
  const outcome = await page.evaluate(async () => {
    const hearth = window.hearth;
    let heard = 0;
    hearth.on('capture', () => { heard += 1; hearth.destroy(); });
    await hearth.consent.set({ measurement: true });
    const after = heard;
    document.getElementById('deep').dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    history.pushState({}, '', '/spa-route/reentrant');
    return { first: after, later: heard };
  });
  assert.deepEqual(outcome, { first: 1, later: 1 }, 'the page view was heard, nothing after destroy');
  assert.deepEqual(problems, []);
  await close();
});
