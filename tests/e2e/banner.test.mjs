// The optional consent banner (banner/ → dist/hearth-banner.js + .css) in real Chromium, on
// www/banner.html (strict CSP meta tag, external scripts only) and on the demo page.
// Keyboard tests use real key presses. Every test fails on console errors, page errors and
// `securitypolicyviolation` events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { useBrowser } from './harness.mjs';

// Which `hearth` the test page hands to the banner: 'real' (window.Hearth from dist/hearth.js)
// or 'fake' (an in-page stand-in with the same shape, see www/banner-page.js). BANNER_SDK=fake
// runs the suite against the stand-in, to tell a banner bug from an SDK bug.
const SDK = process.env.BANNER_SDK ?? 'real';

const root = fileURLToPath(new URL('../../', import.meta.url));
const browser = useBrowser();

const NONE = { storage: false, measurement: false, personalization: false };
const ALL = { storage: true, measurement: true, personalization: true };

/** Opens the test page with `query` and waits until the banner is mounted. */
async function openPage(query = '') {
  const session = await browser.open(`/banner.html?sdk=${SDK}${query}`);
  await session.page.waitForFunction(() => window.bannerTest?.ready === true);
  return session;
}

/** Asserts that nothing went wrong on the page (errors, CSP violations), then closes it. */
async function finish({ page, problems, close }) {
  assert.deepEqual(await page.evaluate(() => window.bannerTest?.violations ?? []), []);
  assert.deepEqual(problems, []);
  await close();
}

const dialogOf = (page) => page.getByRole('dialog');
const calls = (page) => page.evaluate(() => window.bannerTest.calls);
const consent = (page) => page.evaluate(() => window.bannerTest.state());
const checked = (page) =>
  page.locator('.hearth-banner input[type=checkbox]').evaluateAll((boxes) => Object.fromEntries(boxes.map((b) => [b.name, b.checked])));

/** A short name for the focused element: its aria-label, checkbox name, id or text. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    if (el.getAttribute('role') === 'dialog') return 'dialog';
    return el.getAttribute('aria-label') ?? (el.name || el.id || el.textContent.trim());
  });
const focusInDialog = (page) => page.evaluate(() => document.querySelector('[role=dialog]').contains(document.activeElement));

/** Presses Tab until `name` is focused (at most 10 times). */
async function tabTo(page, name) {
  for (let i = 0; i < 10; i += 1) {
    await page.keyboard.press('Tab');
    if ((await focused(page)) === name) return;
  }
  assert.fail(`Tab never reached ${name}`);
}

/** Every focusable element of the dialog, in Tab order. */
const ORDER = ['Close', 'storage', 'measurement', 'personalization', 'Reject all', 'Accept all', 'Save choices'];

test('opens by itself while undecided, as a labelled modal dialog with focus inside', async () => {
  const session = await openPage();
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  const named = await dialog.evaluate((d) => ({
    title: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent,
    description: document.getElementById(d.getAttribute('aria-describedby'))?.textContent,
  }));
  assert.equal(named.title, 'Your privacy choices');
  assert.match(named.description, /personalize what you see, using data kept on your device/);
  assert.equal(await focusInDialog(page), true);
  // Each purpose is a real checkbox with a label and a description, all off.
  for (const [name, label] of [['storage', 'Storage on this device'], ['measurement', 'Measurement'], ['personalization', 'Personalization']]) {
    const box = page.getByRole('checkbox', { name: label, exact: true });
    assert.equal(await box.getAttribute('name'), name);
    assert.equal(await box.isChecked(), false);
    assert.ok((await box.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby'))?.textContent ?? '')).length > 20);
  }
  assert.deepEqual((await consent(page)).source, 'default');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await mkdir(`${root}target/screenshots`, { recursive: true });
  await page.screenshot({ path: `${root}target/screenshots/banner.png` });
  await finish(session);
});

test('Tab and Shift+Tab stay inside the dialog, wrapping in both directions', async () => {
  const session = await openPage();
  const { page } = session;
  await dialogOf(page).waitFor({ state: 'visible' });
  assert.equal(await focused(page), 'dialog');
  const forward = [];
  for (let i = 0; i < ORDER.length + 2; i += 1) {
    await page.keyboard.press('Tab');
    forward.push(await focused(page));
  }
  assert.deepEqual(forward, [...ORDER, ...ORDER.slice(0, 2)]);
  const backward = [];
  for (let i = 0; i < ORDER.length + 1; i += 1) {
    await page.keyboard.press('Shift+Tab');
    backward.push(await focused(page));
  }
  // From "storage": back to Close, then wrap to the last button and on backwards.
  assert.deepEqual(backward, ['Close', ...[...ORDER].reverse()]);
  await finish(session);
});

test('Shift+Tab right after opening goes to the last control, not out of the dialog', async () => {
  const session = await openPage();
  const { page } = session;
  await dialogOf(page).waitFor({ state: 'visible' });
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(page), 'Save choices');
  await finish(session);
});

test('Escape closes without recording anything and returns focus to the opener', async () => {
  const session = await openPage();
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await calls(page), []);
  assert.equal((await consent(page)).source, 'default');
  // Re-opened from the footer link with the keyboard: focus goes back there on Escape.
  await page.focus('#privacy-settings');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await focusInDialog(page), true);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await focused(page), 'privacy-settings');
  // The × button does the same.
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'visible' });
  await tabTo(page, 'Close');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await focused(page), 'privacy-settings');
  assert.deepEqual(await calls(page), []);
  await finish(session);
});

test('keyboard only: "Reject all" records a refusal of every purpose', async () => {
  const session = await openPage();
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  await tabTo(page, 'Reject all');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await calls(page), [{ method: 'set', purposes: NONE }]);
  const state = await consent(page);
  assert.deepEqual(state.purposes, NONE);
  assert.equal(state.source, 'user');
  assert.equal(typeof state.updatedAt, 'number');
  await finish(session);
});

test('keyboard only: toggling measurement with Space and saving records exactly that', async () => {
  const session = await openPage();
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  await tabTo(page, 'measurement');
  await page.keyboard.press('Space');
  assert.deepEqual(await checked(page), { storage: false, measurement: true, personalization: false });
  await tabTo(page, 'Save choices');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  const choice = { storage: false, measurement: true, personalization: false };
  assert.deepEqual(await calls(page), [{ method: 'set', purposes: choice }]);
  const state = await consent(page);
  assert.deepEqual(state.purposes, choice);
  assert.equal(state.source, 'user');
  await finish(session);
});

test('"Reject all" is exactly as prominent as "Accept all", wide and at 320 px', async () => {
  const session = await openPage();
  const { page } = session;
  await dialogOf(page).waitFor({ state: 'visible' });
  const compare = async () => {
    const [reject, accept] = await Promise.all(
      ['Reject all', 'Accept all'].map((name) =>
        page.getByRole('button', { name, exact: true }).evaluate((el) => {
          const s = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          const props = ['display', 'fontSize', 'fontWeight', 'fontFamily', 'lineHeight', 'paddingTop', 'paddingRight',
            'paddingBottom', 'paddingLeft', 'borderTopWidth', 'borderTopStyle', 'borderTopColor', 'borderRadius',
            'backgroundColor', 'color', 'opacity', 'textDecorationLine', 'minHeight', 'boxShadow'];
          return {
            tag: el.tagName,
            className: el.className,
            style: Object.fromEntries(props.map((p) => [p, s[p]])),
            width: Math.round(box.width * 10) / 10,
            height: Math.round(box.height * 10) / 10,
            visible: box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth,
          };
        }),
      ),
    );
    assert.equal(reject.tag, 'BUTTON');
    assert.deepEqual(reject, accept);
    assert.equal(reject.visible, true);
    assert.ok(reject.height >= 44, `touch target ${reject.height}px`);
  };
  await compare();
  await page.setViewportSize({ width: 320, height: 640 });
  await compare();
  // Nothing overflows sideways at 320 px.
  const overflow = await page.evaluate(() => {
    const dialog = document.querySelector('[role=dialog]');
    const box = dialog.getBoundingClientRect();
    return { page: document.documentElement.scrollWidth, inner: dialog.scrollWidth - dialog.clientWidth, left: box.left, right: box.right };
  });
  assert.ok(overflow.page <= 320 && overflow.inner <= 0 && overflow.left >= 0 && overflow.right <= 320, JSON.stringify(overflow));
  await finish(session);
});

test('the settings link re-opens the banner with the current choices; revoking storage withdraws', async () => {
  const session = await openPage();
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Accept all', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual((await consent(page)).purposes, ALL);

  await page.getByRole('button', { name: 'Privacy settings' }).click();
  await dialog.waitFor({ state: 'visible' });
  assert.deepEqual(await checked(page), ALL);
  await tabTo(page, 'personalization');
  await page.keyboard.press('Space');
  await tabTo(page, 'Save choices');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  const some = { storage: true, measurement: true, personalization: false };
  assert.deepEqual((await consent(page)).purposes, some);

  await page.getByRole('button', { name: 'Privacy settings' }).click();
  await dialog.waitFor({ state: 'visible' });
  assert.deepEqual(await checked(page), some);
  // Storage was granted: "Reject all" withdraws, so that what is stored is erased.
  await page.getByRole('button', { name: 'Reject all', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await calls(page), [
    { method: 'set', purposes: ALL },
    { method: 'set', purposes: some },
    { method: 'withdraw' },
  ]);
  assert.deepEqual((await consent(page)).purposes, NONE);
  await page.getByRole('button', { name: 'Privacy settings' }).click();
  await dialog.waitFor({ state: 'visible' });
  assert.deepEqual(await checked(page), NONE);
  await finish(session);
});

test('when the site has decided, the banner stays closed; saving records the toggles as they are', async () => {
  const session = await openPage('&preset=site');
  const { page } = session;
  const dialog = dialogOf(page);
  // Decided by the site before mounting: the banner stays closed until asked.
  await page.waitForLoadState('load');
  assert.equal(await dialog.isVisible(), false);
  await page.getByRole('button', { name: 'Privacy settings' }).click();
  await dialog.waitFor({ state: 'visible' });
  assert.deepEqual(await checked(page), { storage: true, measurement: false, personalization: true });
  await tabTo(page, 'storage');
  await page.keyboard.press('Space');
  await tabTo(page, 'Save choices');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  const rest = { storage: false, measurement: false, personalization: true };
  assert.deepEqual(await calls(page), [{ method: 'set', purposes: rest }]);
  assert.deepEqual((await consent(page)).purposes, rest);
  await finish(session);
});

test('options.strings overrides texts key by key', async () => {
  const session = await openPage('&strings=fr');
  const { page } = session;
  const dialog = page.getByRole('dialog', { name: 'Vos choix de confidentialité' });
  await dialog.waitFor({ state: 'visible' });
  const texts = await page.evaluate(() => ({
    description: document.querySelector('.hearth-banner__description').textContent,
    labels: [...document.querySelectorAll('.hearth-banner__label')].map((l) => l.textContent),
    hints: [...document.querySelectorAll('.hearth-banner__hint')].map((l) => l.textContent),
    buttons: [...document.querySelectorAll('.hearth-banner__button')].map((b) => b.textContent),
    close: document.querySelector('.hearth-banner__close').getAttribute('aria-label'),
  }));
  assert.deepEqual(texts, {
    description: 'Ce site personnalise le contenu sur votre appareil.',
    labels: ['Stockage sur cet appareil', 'Mesure', 'Personnalisation'],
    hints: [
      'Garder vos choix et vos centres d’intérêt entre deux visites.',
      'Noter ce que vous lisez, cliquez et faites défiler, sur cet appareil.',
      'Ordonner le contenu selon ce qui vous intéresse.',
    ],
    buttons: ['Tout refuser', 'Tout accepter', 'Enregistrer mes choix'],
    close: 'Close', // not overridden: the default stays
  });
  assert.equal(await page.getByRole('checkbox', { name: 'Mesure' }).count(), 1);
  await finish(session);
});

test('a failing consent.set shows an alert in the banner, keeps it open, and a retry works', async () => {
  const session = await openPage('&fail');
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  await tabTo(page, 'Accept all');
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert');
  await alert.filter({ hasText: 'could not be saved' }).waitFor();
  assert.equal(await dialog.isVisible(), true);
  assert.equal(await focused(page), 'Accept all');
  assert.equal((await consent(page)).source, 'default');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual((await consent(page)).purposes, ALL);
  assert.equal(await page.locator('.hearth-banner__error').textContent(), '');
  await finish(session);
});

test('strict CSP: only a same-origin <link> stylesheet, no inline style, no violation', async () => {
  const session = await openPage();
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Accept all', exact: true }).click();
  await page.getByRole('button', { name: 'Privacy settings' }).click();
  await dialog.waitFor({ state: 'visible' });
  const dom = await page.evaluate(() => ({
    styleAttributes: document.querySelectorAll('[style]').length,
    styleElements: document.querySelectorAll('style').length,
    links: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => new URL(l.href).pathname),
    position: getComputedStyle(document.querySelector('.hearth-banner')).position,
  }));
  assert.deepEqual(dom, { styleAttributes: 0, styleElements: 0, links: ['/demo.css', '/hearth/hearth-banner.css'], position: 'fixed' });
  // destroy() removes the banner and its stylesheet; the controller stays safe to call.
  await page.evaluate(() => {
    window.bannerTest.controller.destroy();
    window.bannerTest.controller.open();
  });
  assert.deepEqual(
    await page.evaluate(() => [document.querySelectorAll('.hearth-banner').length, document.querySelectorAll('link[rel=stylesheet]').length]),
    [0, 1],
  );
  // The violation listener works: an inline <style> is reported (then the page is not checked).
  await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' })));
  await page.waitForFunction(() => window.bannerTest.violations.length > 0);
  assert.match((await page.evaluate(() => window.bannerTest.violations))[0], /^style-src/);
  await session.close();
});

test('the ES module build loads banner.css from next to itself (import.meta.url)', async () => {
  const session = await browser.open('/banner.html?idle');
  const { page } = session;
  await page.route('**/pkg/*', (route) => route.fulfill({ path: `${root}pkg/${new URL(route.request().url()).pathname.split('/').pop()}` }));
  await page.goto(new URL(`/banner.html?sdk=${SDK}&esm`, page.url()).href);
  await page.waitForFunction(() => window.bannerTest?.ready === true);
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  const dom = await page.evaluate(() => ({
    links: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => new URL(l.href).pathname),
    position: getComputedStyle(document.querySelector('.hearth-banner')).position,
  }));
  assert.deepEqual(dom, { links: ['/demo.css', '/pkg/banner.css'], position: 'fixed' });
  await tabTo(page, 'Accept all');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual((await consent(page)).purposes, ALL);
  await finish(session);
});

test('the demo page mounts the banner, and its footer "Privacy settings" re-opens it', async () => {
  const session = await browser.open('/');
  const { page } = session;
  const dialog = dialogOf(page);
  await dialog.waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Privacy settings' }).click();
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await focusInDialog(page), true);
  assert.deepEqual(session.problems, []); // includes Chromium's console report of any CSP violation
  await session.close();
});
