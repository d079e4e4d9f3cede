// Entry of the script-tag build (dist/hearth.js, a classic script bundled by esbuild):
// defines `window.Hearth` and loads `hearth_bg.wasm` from next to this script. When the page
// has the loader stub (`window.hearth` is its queue) or the script tag carries
// `data-namespace`, it also starts Hearth from the tag's `data-*` options, ranks the declared
// lists, and replays the queued calls in order.
import { defineHearth, isHearthError } from './facade.js';
import { holdLists, rankLists } from './declarative.js';

const script = document.currentScript;
const wasmUrl = new URL('hearth_bg.wasm', script && script.src ? script.src : document.baseURI);

const Hearth = defineHearth(() => wasmUrl);
Hearth.isHearthError = isHearthError;
window.Hearth = Hearth;

/** `Hearth.init` options from the script tag's `data-*` attributes. */
function optionsFrom(data) {
  const options = {};
  if (data.namespace) options.namespace = data.namespace;
  if (data.storage) options.storage = data.storage;
  if (data.policyVersion) options.consent = { policyVersion: data.policyVersion };
  if (data.retentionDays) options.retentionDays = Number(data.retentionDays);
  if (data.capture !== undefined) {
    const wanted = data.capture.split(',').map((s) => s.trim());
    options.capture = Object.fromEntries(['clicks', 'scroll', 'impressions', 'pageviews'].map((k) => [k, wanted.includes(k)]));
  }
  return options;
}

const rethrow = (error) => queueMicrotask(() => {
  throw error;
});

/** Runs one queued call: `['ready', fn]` or `['consent.set', ...args]` (a method path). */
async function run(hearth, entry) {
  if (!Array.isArray(entry)) return;
  const [name, ...args] = entry;
  if (name === 'ready') {
    if (typeof args[0] === 'function') await args[0](hearth);
    return;
  }
  const path = String(name).split('.');
  const target = path.slice(0, -1).reduce((object, key) => object?.[key], hearth);
  const method = target?.[path[path.length - 1]];
  if (typeof method !== 'function') {
    const error = new Error(`hearth.push: unknown method ${JSON.stringify(name)}`);
    error.name = 'HearthError';
    error.code = 'invalid_request';
    throw error;
  }
  await method.apply(target, args);
}

function start(queue) {
  const hold = holdLists(queue);
  const onDom = new Promise((resolve) => {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', resolve, { once: true });
    else resolve();
  });
  Hearth.init(optionsFrom(script ? script.dataset : {}))
    .then(async (hearth) => {
      // Replayed in order, each call finished before the next (so a queued consent choice
      // holds before the lists are ranked); later pushes run at once, in order too.
      let chain = Promise.resolve();
      const push = (...entries) => {
        for (const entry of entries) chain = chain.then(() => run(hearth, entry)).catch(rethrow);
        return entries.length;
      };
      const queued = Array.isArray(queue) ? [...queue] : [];
      window.hearth = { push, ready: (fn) => push(['ready', fn]), instance: hearth };
      push(...queued);
      await chain;
      await onDom;
      if (!hold.revealed()) rankLists(hearth);
      hold.release();
    })
    .catch((error) => {
      hold.release();
      rethrow(error);
    });
}

if (Array.isArray(window.hearth) || (script && script.dataset.namespace !== undefined)) {
  start(window.hearth);
}
