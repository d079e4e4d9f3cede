// Learning from a visitor's clicks through the public API, on the demo's own stories: a
// second click, wherever it lands, must not push the clicked story's topic out of the top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { Hearth } from 'hearth-sdk';

/** The demo's articles (www/articles.js defines window.DemoArticles). */
function demoArticles() {
  const window = {};
  runInNewContext(readFileSync(new URL('../../www/articles.js', import.meta.url), 'utf8'), { window });
  return window.DemoArticles.articles;
}

const articles = demoArticles();
const topicOf = new Map(articles.map((a) => [a.id, a.topic]));
const candidates = articles.map(({ id, tags, score }) => ({ id, tags, score }));

async function personalizedHearth() {
  const hearth = await Hearth.init({
    storage: 'memory',
    capture: { clicks: false, scroll: false, impressions: false, pageviews: false },
    ranker: { seed: 7 },
  });
  await hearth.consent.set({ personalization: true });
  return hearth;
}

for (let second = 0; second < 8; second++) {
  test(`a second click at position ${second + 1} keeps the clicked topic in the top 3`, async () => {
    const hearth = await personalizedHearth();
    const rank = () => hearth.rank({ slot: 'home-feed', candidates, limit: 8 });
    let r = rank();
    for (let k = 0; k < 4; k++) hearth.reward(r.decisionId, r.items[k].id, 0); // skipped
    hearth.reward(r.decisionId, r.items[4].id, 1); // the click at 5
    r = rank();
    for (let k = 0; k < second; k++) hearth.reward(r.decisionId, r.items[k].id, 0);
    const clicked = r.items[second].id;
    hearth.reward(r.decisionId, clicked, 1);
    r = rank();
    const top3 = r.items.slice(0, 3).map((item) => item.id);
    const same = top3.filter((id) => topicOf.get(id) === topicOf.get(clicked)).length;
    assert.ok(same >= 2, `clicked ${clicked} (${topicOf.get(clicked)}); top 3: ${top3.map((id) => topicOf.get(id))}`);
    hearth.destroy();
  });
}
