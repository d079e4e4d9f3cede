// A small static server for the demo and the end-to-end tests, bound to 127.0.0.1 only.
//   /          → www/            (the script-tag demo)
//   /hearth/   → dist/           (the script-tag build)
//   /spa/      → www/spa/dist/   (the Vite example, once built)
//   /webpack/  → www/webpack/dist/ (the webpack 5 example, once built)
//   /fixtures/ → tests/fixtures/ (stored data from earlier schemas, for migration tests)
//   /bench/    → bench/pages/    (benchmark pages for `make bench`)
// Run directly to serve until Ctrl-C: `node scripts/serve.mjs` (PORT= to change the port).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const mounts = [
  ['/hearth/', join(root, 'dist')],
  ['/spa/', join(root, 'www/spa/dist')],
  ['/webpack/', join(root, 'www/webpack/dist')],
  ['/bench/', join(root, 'bench/pages')],
  ['/fixtures/', join(root, 'tests/fixtures')],
  ['/', join(root, 'www')],
];
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function resolveFile(urlPath) {
  const [prefix, dir] = mounts.find(([p]) => urlPath.startsWith(p));
  const relative = normalize(decodeURIComponent(urlPath.slice(prefix.length)));
  if (relative.startsWith('..')) return null;
  let file = join(dir, relative);
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) file = join(file, 'index.html');
  return file;
}

/** Starts the server; resolves with `{ url, close() }` once it listens. Port 0 picks a free one. */
export function startServer({ port = 8080, headers = {} } = {}) {
  const server = createServer(async (request, response) => {
    const urlPath = new URL(request.url, 'http://127.0.0.1').pathname;
    const file = await resolveFile(urlPath);
    const body = file && (await readFile(file).catch(() => null));
    if (!body) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = types[extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', ...headers }).end(body);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      done({ url, close: () => new Promise((closed) => server.close(closed)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startServer({ port: Number(process.env.PORT ?? 8080) });
  console.log(`Hearth demo: ${url}  (script tag)  ·  ${url}spa/  (Vite example)  ·  Ctrl-C to stop`);
}
