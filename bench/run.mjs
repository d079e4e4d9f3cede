// `make bench`: timings in headless Chromium and Node, as medians with ratios against a
// baseline measured in the same run. Prints a table and writes target/bench/results.json.
// Not a test: nothing here asserts on time.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';

const require = createRequire(import.meta.url);
require('./pages/workloads.js');
const { medianMs, rankBenchmarks } = globalThis.HearthBench;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function browserInit(browser, url) {
  const cold = [], warm = [], floor = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // a new context has an empty HTTP cache
    const page = await context.newPage();
    for (const into of [cold, warm]) {
      await page.goto(`${url}bench/init.html`);
      const result = await page.waitForFunction(() => window.benchResult).then((h) => h.jsonValue());
      into.push(result.scriptStartToReadyMs);
      floor.push(result.emptyWasmFloorMs);
    }
    await context.close();
  }
  const floorMs = median(floor);
  return [
    { name: 'browser: script start → init resolved, cold cache', medianMs: median(cold), baselineMs: floorMs, baseline: 'fetch + instantiate an empty wasm' },
    { name: 'browser: script start → init resolved, warm cache', medianMs: median(warm), baselineMs: floorMs, baseline: 'fetch + instantiate an empty wasm' },
  ];
}

async function browserRank(browser, url) {
  const page = await browser.newPage();
  await page.goto(`${url}bench/init.html#rank`);
  const result = await page.waitForFunction(() => window.benchResult).then((h) => h.jsonValue());
  await page.close();
  return result.rank.map((row) => ({ ...row, name: `browser: ${row.name}` }));
}

async function browserClick(browser, url) {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const page = await browser.newPage();
    await page.goto(`${url}bench/click.html`);
    samples.push(await page.waitForFunction(() => window.benchResult).then((h) => h.jsonValue()));
    await page.close();
  }
  const withHearth = median(samples.map((s) => s.withHearthMs));
  const allPurposes = median(samples.map((s) => s.allPurposesMs));
  const baseline = median(samples.map((s) => s.baselineMs));
  const longTasks = samples.reduce((n, s) => n + s.longTasks, 0);
  return [{
    name: `browser: one click on an item, capture on (${longTasks} long tasks)`,
    medianMs: withHearth,
    baselineMs: baseline,
    baseline: 'the same click with no Hearth listener',
    sdkMs: withHearth - baseline,
  }, {
    name: 'browser: one click, every purpose (profile, segments, storage)',
    medianMs: allPurposes,
    baselineMs: baseline,
    baseline: 'the same click with no Hearth listener',
    allPurposesSdkMs: allPurposes - baseline,
  }];
}

async function browserStorage(browser, url) {
  const page = await browser.newPage();
  await page.goto(`${url}bench/storage.html`);
  const result = await page.waitForFunction(() => window.benchResult, null, { timeout: 600_000 }).then((h) => h.jsonValue());
  await page.close();
  if (result.error) throw new Error(`storage bench: ${result.error}`);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`stored after ${result.events} events: ${Object.entries(result.sizes).map(([s, n]) => `${s} ${kb(n)}`).join(', ')}`);
  return [{
    name: 'browser: one storage write (serialize, encrypt, commit)',
    medianMs: result.writeMs,
    baselineMs: result.baselineMs,
    baseline: 'a plain IndexedDB put of the same bytes, unencrypted',
    storedBytes: result.sizes,
  }];
}

async function nodeRows() {
  const start = performance.now();
  const { Hearth } = await import('../pkg/node.js');
  const hearth = await Hearth.init({ storage: 'memory' });
  const coldMs = performance.now() - start;
  const further = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    (await Hearth.init({ storage: 'memory' })).destroy();
    further.push(performance.now() - t);
  }
  const warmMs = median(further);
  const personalized = await Hearth.init({ storage: 'memory', ranker: { seed: 1 } });
  await personalized.consent.set({ personalization: true });
  const personalizedRows = globalThis.HearthBench.personalizedBenchmarks(personalized);
  personalized.destroy();
  const rows = [
    { name: 'node: import + first init (wasm compile)', medianMs: coldMs },
    ...personalizedRows.map((row) => ({ ...row, name: `node: ${row.name}` })),
    { name: 'node: a further init', medianMs: warmMs },
    ...rankBenchmarks(hearth).map((row) => ({ ...row, name: `node: ${row.name}` })),
  ];
  hearth.destroy();
  return [...rows, ...(await tcfRows(Hearth))];
}

/** TC-string decoding: Hearth's decoder (wasm, result converted to JS) against the IAB's
 * reference decoder (@iabtechlabtcf/core) on the same strings. */
async function tcfRows(Hearth) {
  const { readFile } = await import('node:fs/promises');
  const { TCString } = await import('@iabtechlabtcf/core');
  const vectors = JSON.parse(await readFile(new URL('../tests/fixtures/tcf/vectors.json', import.meta.url), 'utf8'));
  const strings = vectors.map((v) => v.tcString);
  await Hearth.decodeTcString(strings[0]); // loads the wasm
  const { decodeTcString } = await import('../pkg/hearth.js');
  const perString = (fn) => medianMs(() => strings.forEach(fn), 25, 3) / strings.length;
  const hearthMs = perString((s) => decodeTcString(s));
  const referenceMs = perString((s) => TCString.decode(s));
  return [{
    name: `node: decode a TC string (${strings.length} strings; ${Math.round(1000 / hearthMs)}/s)`,
    medianMs: hearthMs,
    baselineMs: referenceMs,
    baseline: '@iabtechlabtcf/core TCString.decode',
  }];
}

const server = await startServer({ port: 0 });
const browser = await chromium.launch({
  executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
  args: ARGS,
});
const rows = [
  ...(await browserInit(browser, server.url)),
  ...(await browserClick(browser, server.url)),
  ...(await browserRank(browser, server.url)),
  ...(await browserStorage(browser, server.url)),
  ...(await nodeRows()),
];
await browser.close();
await server.close();

const fmt = (ms) => (ms === undefined ? '' : ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
console.log(`${'benchmark'.padEnd(58)}${'median'.padStart(12)}${'baseline'.padStart(12)}${'ratio'.padStart(8)}`);
for (const r of rows) {
  const ratio = r.baselineMs ? (r.medianMs / r.baselineMs).toFixed(2) : '';
  console.log(`${r.name.padEnd(58)}${fmt(r.medianMs).padStart(12)}${fmt(r.baselineMs).padStart(12)}${ratio.padStart(8)}`);
}
const click = rows.find((r) => r.sdkMs !== undefined);
if (click) console.log(`per-click work added by Hearth: ${fmt(click.sdkMs)} (median with minus median without)`);
const clickAll = rows.find((r) => r.allPurposesSdkMs !== undefined);
if (clickAll) console.log(`per-click work added with every purpose granted: ${fmt(clickAll.allPurposesSdkMs)}`);
console.log('baselines: ' + [...new Set(rows.map((r) => r.baseline).filter(Boolean))].join('; '));

// Learning as a visitor sees it (examples/visitors): simulated visitors on a ranked front
// page, Hearth beside the server's order and a counting baseline on the same visitors.
const visitors = execFileSync('cargo', ['run', '--release', '--quiet', '--example', 'visitors'], { encoding: 'utf8' });
console.log(`\nsimulated visitors (cargo run --release --example visitors):\n${visitors}`);

const machine = { date: new Date().toISOString(), cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, runs: RUNS };
await mkdir('target/bench', { recursive: true });
await writeFile('target/bench/results.json', JSON.stringify({ machine, rows, visitors }, null, 2));
console.log('written to target/bench/results.json');
