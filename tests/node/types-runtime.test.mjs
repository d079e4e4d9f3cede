// What the package returns at run time is what its declarations say: real results (from the
// Rust serializers) are written as typed object literals and compiled with `tsc --strict`,
// where a missing, extra or wrongly typed property is an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hearth } from 'hearth-sdk';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A real TC string (with a publisher segment), from the decoder's test vectors. */
const TC_STRING = 'CPvGygmQF8KbaACZfcENABCgAIAAAAAAAAwIAAAA8bff9_f2_f_gBjgC8AAgADAALAAcACAAFQAMAA0AB8AEQASAAoABYADMAGwAcAA9ACAAIQARgAlABRACoAKwAWwAvADAAGQANAAbgA5CgAgAUAAqEgCwABAAEAAYACAAGgAkAB0AD-ALYAjIBUAA';

async function results() {
  const hearth = await Hearth.init({ storage: 'memory', capture: { clicks: false, scroll: false, impressions: false, pageviews: false } });
  const out = {};
  out.consentInitial = ['ConsentState', hearth.consent.get()];
  out.serverOrder = ['RankResult', hearth.rank({ slot: 's', candidates: [{ id: 'a', tags: ['x'], score: 1 }, { id: 'b' }] })];
  out.consent = ['ConsentState', await hearth.consent.set({ personalization: true, measurement: true, storage: true })];
  const first = hearth.rank({ slot: 's', candidates: [{ id: 'a', tags: ['x'] }, { id: 'b', tags: ['y'] }] });
  hearth.reward(first.decisionId, 'b', 1);
  out.personalized = ['RankResult', hearth.rank({ slot: 's', candidates: [{ id: 'a', tags: ['x'], features: { f: 1 } }, { id: 'b', tags: ['y'] }], context: { page: 'home' } })];
  hearth.track('signup', { plan: 'free' });
  out.history = ['ConsentRecordEntry[]', hearth.consent.history()];
  out.profile = ['ProfileView', await hearth.profile.get()];
  out.exported = ['ProfileExport', await hearth.profile.export()];
  out.model = ['ModelSnapshot', hearth.model.export()];
  out.recent = ['CapturedEvent[]', hearth.capture.recent()];
  out.decoded = ['TcString', await Hearth.decodeTcString(TC_STRING)];
  out.dsjson = ['DsjsonDecision[]', (await hearth.decisions.export()).split('\n').map((line) => JSON.parse(line))];
  hearth.destroy();
  return out;
}

test('results match the TypeScript declarations (tsc --strict on typed literals)', async () => {
  const out = await results();
  const names = [...new Set(Object.values(out).map(([type]) => type.replace('[]', '')))];
  const lines = [`import type { ${names.join(', ')} } from 'hearth-sdk';`];
  for (const [name, [type, value]] of Object.entries(out)) {
    lines.push(`export const ${name}: ${type} = ${JSON.stringify(value, null, 1)};`);
  }
  const dir = mkdtempSync(join(root, 'tests', 'types', '.runtime-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(root, 'pkg'), join(dir, 'node_modules', 'hearth-sdk'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}');
    writeFileSync(join(dir, 'results.ts'), lines.join('\n'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: [], lib: ['es2022', 'dom'], skipLibCheck: false },
      files: ['results.ts'],
    }));
    let output = '';
    try {
      execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
    } catch (error) {
      output = `${error.stdout}${error.stderr}`;
    }
    assert.equal(output, '', 'the declarations disagree with what the package returns');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
