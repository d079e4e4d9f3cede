// The assembled npm package: every file it names exists, and its public types have no `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, access } from 'node:fs/promises';

const pkgDir = new URL('../../pkg/', import.meta.url);
const read = (name) => readFile(new URL(name, pkgDir), 'utf8');

test('package.json names only files that exist, and exports resolve', async () => {
  const manifest = JSON.parse(await read('package.json'));
  assert.equal(manifest.name, 'hearth-sdk');
  assert.equal(manifest.sideEffects, false);
  for (const file of manifest.files) await access(new URL(file, pkgDir));
  const targets = Object.values(manifest.exports['.']);
  for (const target of targets) await access(new URL(target, pkgDir));
  assert.ok(manifest.files.every((f) => !f.includes('script-tag')), 'the script-tag entry is not shipped in npm');
});

test('the public type declarations contain no any', async () => {
  const facade = await read('index.d.ts');
  // The generated file ends with wasm-bindgen's internal InitOutput interface (raw wasm
  // exports), which is not part of the public surface.
  const generated = (await read('hearth.d.ts')).split('export type InitInput')[0];
  for (const [name, text] of [['index.d.ts', facade], ['hearth.d.ts', generated]]) {
    // `any` as a type, not as a property name (`any?: SegmentCondition[]`).
    const anys = text.split('\n').filter((line) => /\bany\b(?!\??:)/.test(line.replace(/\/\/.*|\/\*.*?\*\/|^\s*\*.*$/g, '')));
    assert.deepEqual(anys, [], `${name} has any`);
  }
});
