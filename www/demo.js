// The demo page's own script: ranks the articles with Hearth on this device, shows why each
// is recommended, and shows what Hearth knows and has learned (the privacy panel).
const { TOPICS, articles, art } = window.DemoArticles;
const byId = new Map(articles.map((a) => [a.id, a]));
const feed = document.getElementById('feed');
const status = document.getElementById('status');
const SHOWN = 8;
const SVG = 'http://www.w3.org/2000/svg';
/** Where each clicked recommendation sat in the list (1 = top), oldest first. */
const picks = [];

function item(article, reasons) {
  const li = document.createElement('li');
  li.dataset.hearthItem = article.id;
  li.dataset.hearthTags = article.tags.join(',');
  const text = document.createElement('div');
  const title = document.createElement('div');
  title.className = 'title';
  title.textContent = article.title;
  const topic = document.createElement('div');
  topic.className = 'topic';
  topic.textContent = TOPICS[article.topic].label;
  text.append(title, topic);
  if (reasons) {
    // Opening the explanation is not a click on the story.
    const why = document.createElement('details');
    why.dataset.hearthIgnore = '';
    const summary = document.createElement('summary');
    summary.textContent = 'Why this?';
    const list = document.createElement('ul');
    for (const reason of reasons) {
      const li2 = document.createElement('li');
      li2.textContent = reason;
      list.append(li2);
    }
    why.append(summary, list);
    text.append(why);
  }
  li.append(art(article), text);
  return li;
}

function rankFeed(hearth) {
  const result = hearth.rank({
    slot: feed.dataset.hearthRank,
    candidates: articles.map(({ id, tags, score }) => ({ id, tags, score })),
    limit: SHOWN,
  });
  feed.replaceChildren(...result.items.map((ranked) => item(byId.get(ranked.id), ranked.reasons)));
  const why = result.personalized ? 'personalized' : `not personalized (${result.reason})`;
  status.textContent = `Ranked on this device: ${why}. Decision ${result.decisionId}.`;
  status.dataset.decisionId = result.decisionId;
}

function svg(name, attributes, text) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Horizontal bars: the strongest learned interests. */
function drawInterests(affinities) {
  const chart = document.getElementById('interests');
  const top = affinities.slice(0, 6);
  const max = Math.max(1e-9, ...top.map((a) => a.score));
  const bars = top.map((a, i) => [
    svg('text', { x: 4, y: 16 + i * 18 }, a.tag),
    svg('rect', { x: 70, y: 7 + i * 18, height: 12, width: Math.max(1, (a.score / max) * 160), fill: '#c2410c', opacity: 0.75 }),
  ]).flat();
  chart.replaceChildren(...(bars.length ? bars : [svg('text', { x: 8, y: 20 }, 'Nothing yet: click a story.')]));
}

/** A line: the position of each clicked recommendation, oldest left. */
function drawLearning() {
  const chart = document.getElementById('learning');
  const recent = picks.slice(-20);
  if (recent.length === 0) {
    chart.replaceChildren(svg('text', { x: 8, y: 20 }, 'Click a recommended story to start.'));
    return;
  }
  const x = (i) => 16 + (recent.length === 1 ? 0 : (i / (recent.length - 1)) * 212);
  const y = (position) => 8 + ((position - 1) / (SHOWN - 1)) * 80;
  const points = recent.map((p, i) => `${x(i).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
  chart.replaceChildren(
    svg('text', { x: 2, y: 11 }, '1'),
    svg('text', { x: 2, y: 91 }, String(SHOWN)),
    svg('polyline', { points, fill: 'none', stroke: '#1d4ed8', 'stroke-width': 2 }),
    ...recent.map((p, i) => svg('circle', { cx: x(i), cy: y(p), r: 3, fill: '#1d4ed8' })),
  );
}

/** Each refresh's number: a refresh that resolves after a newer one (say, one started before
 * an erase) draws nothing, so the panel always shows the latest state. */
let panelGeneration = 0;

async function refreshPanel(hearth) {
  const generation = ++panelGeneration;
  const facts = document.getElementById('facts');
  const profile = await hearth.profile.get();
  if (generation !== panelGeneration) return;
  const consent = hearth.consent.get().purposes;
  document.getElementById('stored-in').textContent = profile
    ? `Stored in: ${profile.storedIn === 'indexeddb' ? 'this browser\u2019s IndexedDB, encrypted' : 'memory, for this page only'}.`
    : 'Nothing is kept: personalization is off.';
  const rows = [
    ['Consent', Object.entries(consent).filter(([, on]) => on).map(([name]) => name).join(', ') || 'none'],
    ['Segments', profile?.segments.join(', ') || '—'],
    ['Clicks (7 days)', profile?.counts['7d'].clicks ?? 0],
    ['Sessions', profile?.sessionCount ?? 0],
    ['Engagement', profile?.engagement.level ?? '—'],
  ];
  facts.replaceChildren(...rows.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    return [dt, dd];
  }));
  drawInterests(profile?.topAffinities ?? []);
  drawLearning();
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

Hearth.init({ namespace: 'demo' })
  .then((hearth) => {
    document.getElementById('all').replaceChildren(...articles.map((a) => item(a)));
    rankFeed(hearth);
    refreshPanel(hearth);
    // A click on a recommendation rewards the decision that showed it (Hearth's own
    // listener runs first, in the capture phase); ranking again shows what was learned.
    feed.addEventListener('click', (event) => {
      const clicked = event.target.closest('[data-hearth-item]');
      if (!clicked || event.target.closest('[data-hearth-ignore]')) return;
      picks.push([...feed.children].indexOf(clicked) + 1);
      rankFeed(hearth);
      refreshPanel(hearth);
    });
    document.getElementById('all').addEventListener('click', () => {
      rankFeed(hearth);
      refreshPanel(hearth);
    });
    for (const type of ['consent', 'segment']) {
      hearth.on(type, () => {
        rankFeed(hearth);
        refreshPanel(hearth);
      });
    }
    document.getElementById('export').addEventListener('click', async () => {
      download('hearth-my-data.json', JSON.stringify(await hearth.profile.export(), null, 2));
    });
    document.getElementById('erase').addEventListener('click', async () => {
      await hearth.profile.erase();
      picks.length = 0;
      rankFeed(hearth);
      refreshPanel(hearth);
    });
    // The optional consent banner (dist/hearth-banner.js); the footer button re-opens it.
    const banner = HearthBanner.mount(hearth);
    document.getElementById('privacy-settings').addEventListener('click', () => banner.open());
  })
  .catch((error) => {
    status.textContent = `Hearth failed to start: ${error.message}`;
  });
