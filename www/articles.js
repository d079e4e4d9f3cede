// The demo's articles (what a site's server would supply) and their placeholder art, drawn
// as SVG from each article's topic: no external assets. Defines window.DemoArticles.
(function (root) {
  const TOPICS = {
    sports: { color: '#c2410c', label: 'Sports' },
    politics: { color: '#1d4ed8', label: 'Politics' },
    science: { color: '#047857', label: 'Science' },
    food: { color: '#b45309', label: 'Food' },
    travel: { color: '#0e7490', label: 'Travel' },
    tech: { color: '#6d28d9', label: 'Technology' },
    culture: { color: '#be185d', label: 'Culture' },
  };
  // [title, topic, extra tags], in the server's order (most relevant to everyone first).
  const LIST = [
    ['Derby day: the city holds its breath', 'sports', ['football']],
    ['Budget passes after a late-night vote', 'politics', ['economy']],
    ['A new moon for the outer planets', 'science', ['space']],
    ['Ten soups for a cold week', 'food', ['recipes']],
    ['The comeback nobody expected', 'sports', ['tennis']],
    ['Slow trains across the mountains', 'travel', ['rail']],
    ['The chip that sips power', 'tech', ['hardware']],
    ['A museum reopens its lost wing', 'culture', ['art']],
    ['Inside the mayor\u2019s first hundred days', 'politics', ['local']],
    ['Why the river is running warm', 'science', ['climate']],
    ['Marathon season: how to start from zero', 'sports', ['running']],
    ['Bread, three ways, one dough', 'food', ['baking']],
    ['An island you can walk around in a day', 'travel', ['islands']],
    ['What the new privacy law changes', 'tech', ['policy']],
    ['The choir that sings in car parks', 'culture', ['music']],
    ['Penalties, pressure and the science of nerves', 'sports', ['football']],
    ['Election map: every seat, explained', 'politics', ['elections']],
    ['Bees are learning the city', 'science', ['nature']],
    ['The market stall with a two-hour queue', 'food', ['street-food']],
    ['Night ferries and morning harbours', 'travel', ['sea']],
    ['Open-source tools that run on old laptops', 'tech', ['software']],
    ['A novelist writes from the lighthouse', 'culture', ['books']],
    ['The coach who never shouts', 'sports', ['basketball']],
    ['Councils try paying for potholes by the day', 'politics', ['local']],
    ['A telescope the size of a continent', 'science', ['space']],
    ['Cooking with what is left in the fridge', 'food', ['recipes']],
    ['Cycling the old canal towpaths', 'travel', ['cycling']],
    ['Phones that last ten years', 'tech', ['hardware']],
    ['The film festival in a village hall', 'culture', ['film']],
    ['Grass courts and the art of the slice', 'sports', ['tennis']],
    ['How a bill becomes a law, drawn', 'politics', ['explainers']],
    ['The quiet return of the otters', 'science', ['nature']],
    ['Spice cupboard basics', 'food', ['cooking']],
    ['Three days in a city of bridges', 'travel', ['cities']],
    ['Batteries from salt', 'tech', ['energy']],
    ['The last letterpress in town', 'culture', ['craft']],
    ['Swimming outdoors all winter', 'sports', ['swimming']],
    ['What young voters want', 'politics', ['elections']],
    ['Clouds that seed themselves', 'science', ['climate']],
    ['Fermenting for beginners', 'food', ['baking']],
    ['Walking the coast path in stages', 'travel', ['walking']],
    ['Keyboards people build themselves', 'tech', ['hardware']],
  ];

  const articles = LIST.map(([title, topic, extra], i) => ({
    id: `a${i + 1}`,
    title,
    topic,
    tags: [topic, ...extra],
    // The server's own score: its order, from 0.99 down.
    score: Math.round((0.99 - i * 0.02) * 100) / 100,
  }));

  const SVG = 'http://www.w3.org/2000/svg';
  /** A small generated picture for `article`: the topic's colour and shapes seeded by its id. */
  function art(article) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 64 48');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'art');
    const add = (name, attributes) => {
      const el = document.createElementNS(SVG, name);
      for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
      svg.append(el);
    };
    const color = TOPICS[article.topic].color;
    add('rect', { width: 64, height: 48, fill: color, opacity: 0.15 });
    let seed = Number(article.id.slice(1)) * 9301 + 49297;
    const next = () => ((seed = (seed * 9301 + 49297) % 233280) / 233280);
    for (let k = 0; k < 3; k++) {
      add('circle', { cx: 8 + next() * 48, cy: 8 + next() * 32, r: 4 + next() * 10, fill: color, opacity: 0.35 + k * 0.2 });
    }
    add('path', { d: `M0 ${36 + next() * 8} Q32 ${24 + next() * 12} 64 ${34 + next() * 8} V48 H0 Z`, fill: color, opacity: 0.6 });
    return svg;
  }

  root.DemoArticles = { TOPICS, articles, art };
})(window);
