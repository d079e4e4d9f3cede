// The capture test page's own script: starts Hearth with the options in the query string
// and exposes the instance and what it captured to the test.
const params = new URLSearchParams(location.search);
window.captured = [];
Hearth.init({ namespace: params.get('ns') || 'capture', capture: { ignore: '.site-private' } })
  .then(async (hearth) => {
    window.hearth = hearth;
    hearth.on('capture', (event) => window.captured.push(event));
    if (params.get('consent') === 'measurement') await hearth.consent.set({ measurement: true });
    if (params.get('consent') === 'all') await hearth.consent.set({ storage: true, measurement: true, personalization: true });
    window.ready = true;
  })
  .catch((error) => {
    window.failed = error.message;
  });

let added = 0;
document.getElementById('load-more').addEventListener('click', () => {
  const item = document.createElement('div');
  added += 1;
  item.className = 'added';
  item.dataset.hearthItem = `more-${added}`;
  item.dataset.hearthTags = 'added';
  item.textContent = `Loaded item ${added}`;
  document.getElementById('more').append(item);
});
document.getElementById('route-a').addEventListener('click', () => history.pushState({}, '', '/spa-route/a?x=1'));
document.getElementById('route-b').addEventListener('click', () => history.pushState({}, '', '/spa-route/b'));

// The page keeps its own links from navigating away (Hearth's listener is passive and
// never does this itself).
document.addEventListener('click', (event) => {
  if (event.target.closest('a')) event.preventDefault();
});
