/**
 * `npm run docs`: rewrites README.md between `<!-- BEGIN GENERATED TOOLS -->` and
 * `<!-- END GENERATED TOOLS -->` with one table per toolset, generated from `ALL_TOOLS` (name,
 * title, effect, scopes, parameters). Prose outside the markers is hand-written. CI runs it and
 * fails on a diff. `--check` exits 1 instead of writing when the README is out of date.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { registeredInput } from '../src/mcp/server.js';
import type { Tool } from '../src/mcp/tool.js';
import { DEFAULT_TOOLSETS, TOOLSET_NAMES, TOOLSETS } from '../src/mcp/toolsets/index.js';

const BEGIN = '<!-- BEGIN GENERATED TOOLS -->';
const END = '<!-- END GENERATED TOOLS -->';

function params(tool: Tool): string {
  const shape = registeredInput(tool).shape as Record<string, { isOptional?: () => boolean }>;
  const names = Object.entries(shape).map(([k, s]) => (s.isOptional?.() ? `${k}?` : k));
  return names.length ? names.map((n) => `\`${n}\``).join(', ') : '–';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderTools(): string {
  const total = TOOLSET_NAMES.reduce((n, s) => n + TOOLSETS[s].length, 0);
  const out: string[] = [
    `${total} tools in ${TOOLSET_NAMES.length} toolsets. Default toolsets: ${DEFAULT_TOOLSETS.map((s) => `\`${s}\``).join(', ')}; pick others with \`--toolsets\` / \`TESLA_MCP_TOOLSETS\` (\`all\` for every tool), which pins them; unpinned, the model can turn on more for its session with \`enable_toolsets\` (the client is told the list changed). \`--read-only\` keeps only the \`read\` tools. Tools marked ✋ ask for confirmation (\`--confirm\`).`,
    '',
  ];
  for (const set of TOOLSET_NAMES) {
    const tools = TOOLSETS[set] as readonly Tool[];
    out.push(`### \`${set}\`${DEFAULT_TOOLSETS.includes(set) ? ' (default)' : ''}`, '');
    out.push('| tool | title | effect | scopes | parameters |', '| --- | --- | --- | --- | --- |');
    for (const t of tools) {
      const scopes = t.scopes.length ? t.scopes.map((s) => `\`${s}\``).join(' ') : '–';
      out.push(
        `| \`${t.name}\`${t.confirm ? ' ✋' : ''} | ${cell(t.title)} | ${t.effect} | ${scopes} | ${params(t)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function main(): number {
  const path = new URL('../README.md', import.meta.url);
  const readme = readFileSync(path, 'utf8');
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) {
    process.stderr.write(`gen-readme: README.md lacks the ${BEGIN} / ${END} markers\n`);
    return 1;
  }
  const next = `${readme.slice(0, a + BEGIN.length)}\n${renderTools()}\n${readme.slice(b)}`;
  if (next === readme) return 0;
  if (process.argv.includes('--check')) {
    process.stderr.write('gen-readme: README.md tool tables are out of date: run `npm run docs`\n');
    return 1;
  }
  writeFileSync(path, next);
  return 0;
}

if (process.argv[1]?.endsWith('gen-readme.ts')) process.exitCode = main();
