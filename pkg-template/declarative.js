// Declarative ranking for the script tag: every `[data-hearth-rank="slot"]` list is ranked
// with `rank()` and its `[data-hearth-item]` children are put in the ranked order, without
// any site JavaScript. Clicks on the items then reward the decision (capture does that).

/** How long lists stay hidden waiting for the SDK before the server's order is shown. */
export const REVEAL_AFTER_MS = 1000;
const HIDE_RULE = '[data-hearth-rank]:not([data-hearth-ranked]){visibility:hidden}';

/**
 * Keeps declared lists hidden (with their space, so nothing shifts) until ranked: the loader
 * stub's stylesheet when there is one, else one made here (it only helps when this script runs
 * before the lists are painted). Returns `{ revealed(), release() }`.
 */
export function holdLists(queue) {
  let sheet = queue && queue.hold;
  let revealed = Boolean(queue && queue.revealed);
  if (!sheet && typeof CSSStyleSheet === 'function' && !revealed) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(HIDE_RULE);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      setTimeout(() => { revealed = true; sheet.replaceSync(''); }, REVEAL_AFTER_MS);
    } catch {
      sheet = null;
    }
  }
  return {
    revealed: () => revealed || Boolean(queue && queue.revealed),
    release: () => sheet && sheet.replaceSync(''),
  };
}

/** Reads a list's candidates and pins from its items' `data-hearth-*` attributes. */
function readList(list) {
  const items = [...list.children].filter((el) => el.hasAttribute('data-hearth-item'));
  const candidates = items.map((el) => {
    const candidate = { id: el.getAttribute('data-hearth-item') };
    const tags = el.getAttribute('data-hearth-tags');
    if (tags) candidate.tags = tags.split(',').map((t) => t.trim()).filter(Boolean);
    const score = Number.parseFloat(el.getAttribute('data-hearth-score'));
    if (Number.isFinite(score)) candidate.score = score;
    return candidate;
  });
  const pin = items
    .filter((el) => el.hasAttribute('data-hearth-pin'))
    .map((el) => ({ id: el.getAttribute('data-hearth-item'), position: Number(el.getAttribute('data-hearth-pin')) }));
  return { items, candidates, rules: pin.length ? { pin } : undefined };
}

/** Puts `items` (the list's item elements) in the ranked order, in the places items held. */
function reorder(items, rankedIds) {
  const byId = new Map(items.map((el) => [el.getAttribute('data-hearth-item'), el]));
  const ordered = rankedIds.map((id) => byId.get(id)).filter(Boolean);
  const rest = items.filter((el) => !ordered.includes(el));
  const places = items.map((el) => {
    const marker = document.createComment('');
    el.before(marker);
    return marker;
  });
  [...ordered, ...rest].forEach((el, i) => places[i].replaceWith(el));
}

/** Ranks and reorders every declared list under `root`; a list that cannot be ranked keeps
 * the server's order and its error is reported like an uncaught one. */
export function rankLists(hearth, root = document) {
  for (const list of root.querySelectorAll('[data-hearth-rank]')) {
    try {
      const { items, candidates, rules } = readList(list);
      if (candidates.length > 0) {
        const result = hearth.rank({ slot: list.getAttribute('data-hearth-rank'), candidates, rules });
        reorder(items, result.items.map((item) => item.id));
      }
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
    list.setAttribute('data-hearth-ranked', '');
  }
}
