// `make size`: raw, gzip and brotli bytes of each shipped file of the script-tag build, their
// total, and the total against the budget (shared with target/bench/size.json for the README).
// The optional consent banner is reported on its own lines, outside that total.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { functionSizes, moduleOf } from './wasm-symbols.mjs';

const BUDGET_BROTLI_BYTES = 38 * 1024;
const files = ['dist/hearth.js', 'dist/hearth_bg.wasm'];

const brotli = (data) =>
  brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const gzip = (data) => gzipSync(data, { level: 9 }).length;

const rows = [];
for (const file of files) {
  const data = await readFile(file);
  rows.push({ file, raw: data.length, gzip: gzip(data), brotli: brotli(data) });
}
const total = rows.reduce(
  (sum, r) => ({ file: 'total', raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip, brotli: sum.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);

const pad = (v, n) => String(v).padStart(n);
console.log(`${'file'.padEnd(22)}${pad('raw', 10)}${pad('gzip', 10)}${pad('brotli', 10)}`);
for (const r of [...rows, total]) {
  console.log(`${r.file.padEnd(22)}${pad(r.raw, 10)}${pad(r.gzip, 10)}${pad(r.brotli, 10)}`);
}
const share = ((100 * total.brotli) / BUDGET_BROTLI_BYTES).toFixed(1);
const stubBrotli = brotli(await readFile('dist/hearth-stub.min.js'));
// Today every file is fetched at start, whatever consent says: the critical path (what a
// page downloads before any purpose is granted) and everything are the same files.
const critical = total.brotli + stubBrotli;
console.log(`critical path (stub + every file fetched before consent), brotli: ${(critical / 1024).toFixed(1)} KB (budget 38 KB)`);
console.log(`everything (all purposes granted, rank run), brotli: ${(critical / 1024).toFixed(1)} KB (budget 80 KB)`);
console.log(`brotli total ${(total.brotli / 1024).toFixed(1)} KB of the ${BUDGET_BROTLI_BYTES / 1024} KB budget (${share}%)`);

// Where the wasm's bytes are: code bytes by crate and module, before wasm-opt (which shrinks
// them by about a quarter); build.sh keeps this named copy.
try {
  const functions = functionSizes(await readFile('build/hearth_bg.names.wasm'));
  const code = functions.reduce((sum, f) => sum + f.size, 0);
  const modules = new Map();
  for (const f of functions) modules.set(moduleOf(f.name), (modules.get(moduleOf(f.name)) ?? 0) + f.size);
  console.log(`hearth_bg.wasm before wasm-opt: ${code} code bytes in ${functions.length} functions; the top modules:`);
  for (const [name, size] of [...modules].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`${pad(size, 9)} ${pad((100 * size / code).toFixed(1), 5)} %  ${name}`);
  }
} catch (error) {
  console.log(`(no per-symbol report: ${error.message}; run scripts/build.sh)`);
}

const banner = { files: [], total: { file: 'banner (JS + CSS)', raw: 0, gzip: 0, brotli: 0 } };
for (const file of ['dist/hearth-banner.js', 'dist/hearth-banner.css']) {
  const data = await readFile(file);
  const row = { file, raw: data.length, gzip: gzip(data), brotli: brotli(data) };
  banner.files.push(row);
  for (const key of ['raw', 'gzip', 'brotli']) banner.total[key] += row[key];
}
console.log('consent banner (optional; not counted in the SDK total):');
for (const r of [...banner.files, banner.total]) {
  console.log(`${r.file.padEnd(22)}${pad(r.raw, 10)}${pad(r.gzip, 10)}${pad(r.brotli, 10)}`);
}

// The loader stub is pasted inline, so its budget is in plain minified bytes.
const STUB_BUDGET_BYTES = 600;
const stub = (await readFile('dist/hearth-stub.min.js')).length;
console.log(`loader stub dist/hearth-stub.min.js: ${stub} bytes minified (budget ${STUB_BUDGET_BYTES})`);

await mkdir('target/bench', { recursive: true });
await writeFile('target/bench/size.json', JSON.stringify({ files: rows, total, budgetBrotliBytes: BUDGET_BROTLI_BYTES, banner, stubBytes: stub }, null, 2));
