// The READMEs' npm snippets, run as written against the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import { readmeBlocks } from '../readme-snippets.mjs';

/** Runs a snippet as an ES module next to this file (so `hearth-sdk` resolves). */
async function runSnippet(snippet) {
  const file = new URL('./readme-snippet.tmp.mjs', import.meta.url);
  await writeFile(file, `${snippet}\n// ${Math.random()}`); // a fresh module each time
  const logged = [];
  const original = console.log;
  console.log = (...args) => logged.push(args);
  try {
    await import(`${file.href}?${Math.random()}`);
  } finally {
    console.log = original;
    await rm(file);
  }
  return logged;
}

test('the README npm snippet runs and logs the ranked ids', async () => {
  const [snippet] = await readmeBlocks('npm', 'js');
  assert.deepEqual(await runSnippet(snippet), [[['a1', 'a2']]]);
});

test("the npm package README's example runs as written", async () => {
  const [snippet] = await readmeBlocks(null, 'js', 'pkg-template/README.md');
  // It must run without throwing: e.g. `reward` only works on a decision made with
  // personalization consent, so the order of its calls matters. Its `decision` listener is
  // added after its only `rank`, so it logs the profile (no interests yet; a new visitor)
  // and then the segments of the fresh profile `erase` leaves.
  assert.deepEqual(await runSnippet(snippet), [[[], ['new']], [['new']]]);
});
