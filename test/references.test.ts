/**
 * References cite what ships: a comment, string or vector file may point a reader at
 * vehicle-command's `protocol.md` and Go files, Tesla's public docs, the README or a note under
 * `docs/`, never at documents outside the repository, tracker numbers or nicknames. Each rule in
 * {@link FORBIDDEN} is checked on every text file of the shipped trees, and proves it can fail on
 * an example; {@link ALLOWED} lists text that looks close but is fine.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

interface Rule {
  what: string;
  pattern: RegExp;
  /** Text the rule must catch. */
  example: string;
}

const FORBIDDEN: readonly Rule[] = [
  {
    what: 'the team digest of the protocol (cite protocol.md or a Go file)',
    pattern: /protocol-spec/i,
    example: 'Status codes follow protocol-spec §3.7.',
  },
  {
    what: 'the team endpoint inventory (cite developer.tesla.com)',
    pattern: /fleet-api-inventory/i,
    example: 'paths from fleet-api-inventory.md',
  },
  {
    what: 'the pain-point list (say the reason itself)',
    pattern: /\bpain[- ]?points?\b/i,
    example: 'Error taxonomy (pain point #13)',
  },
  {
    what: 'a path outside the repository',
    pattern: /\.\.\/shared\b/,
    example: '"copied_from": "../shared/test-vectors/upstream.json"',
  },
  {
    what: 'a spec file that does not ship (cite the README or docs/)',
    pattern: /(?<![\w/.-])(?:configuration|transport|house-style|pain-points)\.md\b/,
    example: 'the environment names of configuration.md',
  },
  {
    what: 'the team house style (cite docs/design/)',
    pattern: /\bhouse[- ]style\b/i,
    example: 'How a tool is declared (house-style §3)',
  },
  {
    what: 'an issue number',
    pattern: /\bissues?\s+#?\d+\b/i,
    example: 'The Fleet API client (tesla-mcp issue 10)',
  },
  {
    what: 'a tracker number (#N)',
    // Not `PKCS#8` or `&#8203;` (a word or `&` before it), not a CSS colour (`: #222`).
    pattern: /(?<!:\s?)(?<![\w&])#\d+\b/,
    example: 'users must see which key (see #1)',
  },
  {
    what: '"the seed" (say ysrdevs/tesla-mcp, the Python server)',
    pattern: /\bthe seed\b|\bseed(?:'s|\s+names?\b|\s+token file)/i,
    example: "at least the seed's 96 tools",
  },
];

/** Close to a rule but fine: each must pass every rule. */
const ALLOWED = [
  'PKCS#8 PrivateKeyInfo',
  'body { color: #222; background: #fafafa; }',
  'See `docs/design/tools.md` and vehicle-command `pkg/protocol/protocol.md` "Key Agreement".',
  'TESLA_REFRESH_TOKEN seeds the token file on first start',
  'Field names follow the Python server ysrdevs/tesla-mcp',
  'import type { X } from "@modelcontextprotocol/sdk/shared/protocol.js";',
];

const ROOT = resolve(import.meta.dirname, '..');
const SELF = 'test/references.test.ts';
const TREES = ['src', 'test', 'bench', 'scripts', 'test-vectors', 'docs'];
const FILES = ['README.md', 'AGENTS.md'];
const TEXT = new Set([
  '.ts',
  '.mts',
  '.js',
  '.mjs',
  '.cjs',
  '.json',
  '.md',
  '.sh',
  '.yaml',
  '.yml',
]);
/** Generated from the vendored protos: not ours to word. */
const SKIP = ['src/gen/'];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (TEXT.has(extname(name))) out.push(relative(ROOT, path));
  }
  return out;
}

function shippedFiles(): string[] {
  const trees = TREES.flatMap((t) => walk(join(ROOT, t), []));
  return [...trees, ...FILES]
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f !== SELF && !SKIP.some((s) => f.startsWith(s)));
}

/** Every `file:line: text` where `text` matches one of `rules`. */
function findReferences(
  files: readonly { name: string; text: string }[],
  rules: readonly Rule[] = FORBIDDEN,
): string[] {
  const hits: string[] = [];
  for (const { name, text } of files) {
    text.split('\n').forEach((line, i) => {
      for (const rule of rules) {
        const m = rule.pattern.exec(line);
        if (m) hits.push(`${name}:${i + 1}: ${rule.what}: "${m[0]}" in ${line.trim()}`);
      }
    });
  }
  return hits;
}

describe('references cite what ships', () => {
  it('each rule catches its example, and none catches the allowed look-alikes', () => {
    for (const rule of FORBIDDEN) {
      const hits = findReferences([{ name: 'example.ts', text: `// ok\n${rule.example}` }], [rule]);
      assert.equal(hits.length, 1, `${rule.what} misses its example`);
      assert.match(hits[0] ?? '', /^example\.ts:2: /, 'the hit names file:line');
    }
    assert.deepEqual(
      findReferences(ALLOWED.map((text, i) => ({ name: `allowed-${i}`, text }))),
      [],
    );
  });

  it('no file in src, test, bench, scripts, test-vectors, docs or the README cites one', () => {
    const files = shippedFiles();
    assert.ok(files.includes('src/vehicle/vehicle.ts'), 'the walk reaches src/');
    assert.ok(files.includes('test-vectors/protocol-md.json'), 'the walk reaches test-vectors/');
    assert.ok(files.includes('README.md'), 'the walk includes the README');
    const hits = findReferences(
      files.map((name) => ({ name, text: readFileSync(join(ROOT, name), 'utf8') })),
    );
    assert.deepEqual(
      hits,
      [],
      `cite protocol.md, a Go file, Tesla's docs or docs/:\n${hits.join('\n')}`,
    );
  });

  it('the README calls the Python server by its name', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.match(readme, /ysrdevs\/tesla-mcp/);
  });
});
