// The demo tour: a visitor accepts, keeps choosing sports stories, watches the ranking adapt
// and the privacy panel fill, downloads their data and erases it. Screenshots of each step go
// to target/screenshots/demo-tour-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const shot = (page, name, locator) => (locator ?? page).screenshot({ path: `target/screenshots/demo-tour-${name}.png` });

test('the demo tour: sports clicks move sports up, the panel shows it, export and erase work', async () => {
  await mkdir('target/screenshots', { recursive: true });
  const { page, problems, close } = await browser.open('/');
  await page.setViewportSize({ width: 1200, height: 1100 });
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.locator('#status').filter({ hasText: 'cold_start' }).waitFor();
  assert.equal(await page.locator('#all li').count(), 42, 'a site of 42 stories');
  await shot(page, '1-start');

  const topics = () => page.locator('#feed [data-hearth-item]').evaluateAll((els) => els.map((e) => e.dataset.hearthTags.split(',')[0]));
  const before = await topics();
  for (let i = 0; i < 10; i++) {
    // The visitor picks a tennis story (sports) each time: the first shown is fifth at first.
    await page.locator('#feed [data-hearth-tags*="tennis"]').first().click();
  }
  await page.locator('#status').filter({ hasText: 'personalized.' }).waitFor();
  const after = await topics();
  const sportsInTop3 = (list) => list.slice(0, 3).filter((t) => t === 'sports').length;
  assert.ok(sportsInTop3(after) >= 2 && sportsInTop3(after) > sportsInTop3(before), `top 3 before ${before.slice(0, 3)}, after ${after.slice(0, 3)}`);
  const why = page.locator('#feed li').first().locator('summary');
  await why.click();
  assert.ok((await page.locator('#feed li').first().locator('details li').allTextContents()).length >= 1);
  await shot(page, '2-learned');

  const panel = page.locator('#privacy-panel');
  await panel.locator('#interests text').filter({ hasText: 'sports' }).waitFor();
  assert.ok(await page.locator('#learning polyline').count() === 1, 'the learning line is drawn');
  const positions = await page.locator('#learning circle').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
  assert.ok(positions.at(-1) < positions[0], `the pick moved up the list (y ${positions[0]} → ${positions.at(-1)})`);
  assert.match(await panel.locator('#facts').textContent(), /Clicks \(7 days\)1\d/);
  await shot(page, '3-privacy', panel);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data (JSON)' }).click()]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.namespace, 'demo');
  assert.ok(exported.events.some((e) => e.type === 'click'));
  assert.ok(exported.decisions.length >= 10);

  await page.getByRole('button', { name: 'Erase my data' }).click();
  await panel.locator('#interests text').filter({ hasText: 'Nothing yet' }).waitFor();
  assert.match(await panel.locator('#facts').textContent(), /Clicks \(7 days\)0/);
  await shot(page, '4-erased', panel);
  assert.deepEqual(problems, []);
  await close();
});
