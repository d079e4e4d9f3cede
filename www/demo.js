// The demo page's own script: ranks the server-rendered list with Hearth and reorders it.
const feed = document.getElementById('feed');
const status = document.getElementById('status');

function candidatesFrom(list) {
  return [...list.querySelectorAll('[data-hearth-item]')].map((el) => ({
    id: el.dataset.hearthItem,
    tags: el.dataset.hearthTags ? el.dataset.hearthTags.split(',') : [],
    score: Number(el.dataset.hearthScore ?? 0),
  }));
}

function render(list, result) {
  const byId = new Map([...list.children].map((el) => [el.dataset.hearthItem, el]));
  list.replaceChildren(...result.items.map((item) => byId.get(item.id)));
}

function rankFeed(hearth) {
  const result = hearth.rank({ slot: feed.dataset.hearthRank, candidates: candidatesFrom(feed) });
  render(feed, result);
  const why = result.personalized ? 'personalized' : `not personalized (${result.reason})`;
  status.textContent = `Ranked on this device: ${why}. Decision ${result.decisionId}.`;
  status.dataset.decisionId = result.decisionId;
}

Hearth.init({ namespace: 'demo' })
  .then((hearth) => {
    rankFeed(hearth);
    // A click on an item rewards the decision that showed it (Hearth's own listener runs
    // first, in the capture phase); ranking again shows what was learned.
    feed.addEventListener('click', () => rankFeed(hearth));
    hearth.on('consent', () => rankFeed(hearth));
    // The optional consent banner (dist/hearth-banner.js); the footer button re-opens it.
    const banner = HearthBanner.mount(hearth);
    document.getElementById('privacy-settings').addEventListener('click', () => banner.open());
  })
  .catch((error) => {
    status.textContent = `Hearth failed to start: ${error.message}`;
  });
