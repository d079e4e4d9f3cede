// A webpack 5 app using Hearth from npm: init, rank a feed, render it, and let a click teach
// the ranking (personalization is granted here for the example's sake).
import { Hearth } from 'hearth-sdk';

const articles = [
  { id: 'wp-1', title: 'Local team wins the derby', tags: ['sports'], score: 0.9 },
  { id: 'wp-2', title: 'New budget passes the vote', tags: ['politics'], score: 0.8 },
  { id: 'wp-3', title: 'A week of quiet sunshine', tags: ['weather'], score: 0.6 },
];

async function main() {
  const hearth = await Hearth.init({ namespace: 'webpack-example', storage: 'memory' });
  await hearth.consent.set({ measurement: true, personalization: true }, { source: 'site' });
  const result = hearth.rank({
    slot: 'webpack-feed',
    candidates: articles.map(({ id, tags, score }) => ({ id, tags, score })),
  });
  const byId = new Map(articles.map((a) => [a.id, a]));
  const feed = document.getElementById('feed');
  for (const item of result.items) {
    const li = document.createElement('li');
    li.dataset.hearthItem = item.id;
    li.textContent = byId.get(item.id).title;
    feed.append(li);
  }
  feed.dataset.hearthRank = 'webpack-feed';
  document.getElementById('status').textContent =
    `Ranked ${result.items.length} items with ${result.policy} (decision ${result.decisionId})`;
}

main();
