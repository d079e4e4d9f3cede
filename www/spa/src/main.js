// An SPA using Hearth from npm: init once, rank a feed in one view, and let the visitor
// change their consent on the app's own settings page (#/settings).
import { Hearth } from 'hearth-sdk';

const articles = [
  { id: 'spa-1', title: 'Local team wins the derby', tags: ['sports'], score: 0.9 },
  { id: 'spa-2', title: 'New budget passes the vote', tags: ['politics'], score: 0.8 },
  { id: 'spa-3', title: 'A week of quiet sunshine', tags: ['weather'], score: 0.6 },
  { id: 'spa-4', title: 'How the new stadium was built', tags: ['sports', 'architecture'], score: 0.5 },
];
const PURPOSES = {
  storage: 'Keep my data on this device',
  measurement: 'Measure what I read here',
  personalization: 'Personalize what I see',
};

const hearth = await Hearth.init({ namespace: 'spa-example', capture: { clicks: true } });
const byId = new Map(articles.map((a) => [a.id, a]));
const view = document.getElementById('view');

function feedView() {
  const result = hearth.rank({
    slot: 'spa-feed',
    candidates: articles.map(({ id, tags, score }) => ({ id, tags, score })),
  });
  const feed = document.createElement('ol');
  feed.dataset.testid = 'feed';
  feed.dataset.hearthRank = 'spa-feed';
  for (const item of result.items) {
    const li = document.createElement('li');
    li.dataset.hearthItem = item.id;
    li.textContent = byId.get(item.id).title;
    feed.append(li);
  }
  const status = document.getElementById('status');
  status.textContent =
    `Ranked ${result.items.length} items (decision ${result.decisionId}, ` +
    `personalized: ${result.personalized ? 'yes' : `no, ${result.reason}`})`;
  view.replaceChildren(feed);
}

function settingsView() {
  const form = document.createElement('form');
  const current = hearth.consent.get().purposes;
  for (const [purpose, label] of Object.entries(PURPOSES)) {
    const row = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = purpose;
    box.checked = current[purpose];
    row.append(box, ` ${label}`);
    form.append(row, document.createElement('br'));
  }
  const save = document.createElement('button');
  save.textContent = 'Save my choices';
  form.append(save);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = Object.fromEntries(Object.keys(PURPOSES).map((p) => [p, form.elements[p].checked]));
    await hearth.consent.set(chosen, { source: 'user' });
    document.getElementById('status').textContent = 'Your choices are saved.';
  });
  document.getElementById('status').textContent = 'Choose what Hearth may do on this device.';
  view.replaceChildren(form);
}

function route() {
  (location.hash === '#/settings' ? settingsView : feedView)();
}
window.addEventListener('hashchange', route);
route();
