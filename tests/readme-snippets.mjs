// The README's code blocks, by the heading they follow, for the tests that run them.
import { readFile } from 'node:fs/promises';

/**
 * The fenced blocks of `language` under the `## heading` section of README.md (`heading`
 * null: the whole file), or of another README given as a path from the repository root.
 */
export async function readmeBlocks(heading, language, file = 'README.md') {
  const readme = await readFile(new URL(`../${file}`, import.meta.url), 'utf8');
  const section = heading === null ? readme : readme.split(/^## /m).find((s) => s.startsWith(heading));
  if (section === undefined) throw new Error(`${file} has no "## ${heading}" section`);
  const fence = new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g');
  return [...section.matchAll(fence)].map((m) => m[1]);
}
