// An SPA using Hearth from npm: init, rank a feed, render it.
import { Hearth } from 'hearth-sdk';

const articles = [
  { id: 'spa-1', title: 'Local team wins the derby', tags: ['sports'], score: 0.9 },
  { id: 'spa-2', title: 'New budget passes the vote', tags: ['politics'], score: 0.8 },
  { id: 'spa-3', title: 'A week of quiet sunshine', tags: ['weather'], score: 0.6 },
  { id: 'spa-4', title: 'How the new stadium was built', tags: ['sports', 'architecture'], score: 0.5 },
];

const hearth = await Hearth.init({ namespace: 'spa-example', capture: { clicks: true } });
const result = hearth.rank({
  slot: 'spa-feed',
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
document.getElementById('status').textContent =
  `Ranked ${result.items.length} items (decision ${result.decisionId}, ` +
  `personalized: ${result.personalized ? 'yes' : `no, ${result.reason}`})`;
