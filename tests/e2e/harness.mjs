// Shared set-up for the end-to-end tests: the static server from scripts/serve.mjs and
// Debian's Chromium driven by playwright-core. Every page fails its test on a console error
// or an uncaught exception.
import { after, before } from 'node:test';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--js-flags=--expose-gc',
];

function chromiumPath() {
  return process.env.CHROMIUM ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

/** Starts a server and a browser for this test file; returns accessors filled in `before`. */
export function useBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer({ port: 0 });
    env.browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return {
    /** The server's base URL. */
    url: () => env.server.url,
    /** Opens `path` in a fresh context; `problems` collects console errors and page errors. */
    async open(path) {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      const problems = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(new URL(path, env.server.url).href);
      return { page, problems, close: () => context.close() };
    },
  };
}
