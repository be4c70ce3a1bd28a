/**
 * The source check of the portable entries (`src/signing`, `src/commands`): no import of a Node
 * built-in or of a package that needs Node (undici, zod, the MCP SDK), and no `Buffer`,
 * `process` or `require`. The bundles and the browser run are checked by each entry's test.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Fails naming the first file in `dir` (a `src/` folder) that uses Node. */
export function assertNoNodeInSources(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 0, `no sources in ${dir}`);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(
      text,
      /from ['"](node:|fs|crypto|path|os|http|https|buffer|undici|zod|@modelcontextprotocol)/,
      f,
    );
    assert.doesNotMatch(
      text,
      /\bBuffer\.|\bprocess\.(env|argv|versions?|platform)\b|\brequire\(/,
      f,
    );
  }
}
