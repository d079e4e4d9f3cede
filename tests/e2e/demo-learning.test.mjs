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
  const at = ids.indexOf('a5');
  assert.ok(at >= 0 && at <= 1, `a5 should have risen from fifth to the top two: ${ids}`);
  await page.screenshot({ path: 'target/screenshots/demo-learned.png' });
  assert.deepEqual(problems, []);
  await close();
});

/** The feed's items, top first, with their topic (the first tag). */
async function feedItems(page) {
  return page.locator('#feed [data-hearth-item]').evaluateAll((els) =>
    els.map((e) => ({ id: e.dataset.hearthItem, topic: e.dataset.hearthTags.split(',')[0] })));
}

/** Clicks the feed's item at `index` and waits for the feed to be ranked again. */
async function clickAndWait(page, index) {
  const before = await page.locator('#status').getAttribute('data-decision-id');
  await page.locator('#feed [data-hearth-item]').nth(index).click();
  await page.waitForFunction((id) => document.getElementById('status').dataset.decisionId !== id, before);
}

test('a second click anywhere in the demo feed keeps its topic in the top 3', async () => {
  for (let second = 0; second < 8; second++) {
    const { page, problems, close } = await browser.open('/');
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.locator('#status').filter({ hasText: 'cold_start' }).waitFor();
    await clickAndWait(page, 4); // the 5th story: items above it are skipped
    const clicked = (await feedItems(page))[second];
    await clickAndWait(page, second);
    const top3 = (await feedItems(page)).slice(0, 3);
    const same = top3.filter((item) => item.topic === clicked.topic).length;
    assert.ok(same >= 2, `second click at ${second + 1} on ${clicked.id} (${clicked.topic}); top 3: ${top3.map((i) => i.topic)}`);
    assert.deepEqual(problems, []);
    await close();
  }
});
