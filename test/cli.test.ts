import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COMMANDS, main } from '../src/cli.js';
import { VERSION } from '../src/version.js';

test('VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});

test('an unknown subcommand exits 2 and prints the usage', async () => {
  const writes: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    assert.equal(await main(['no-such-command']), 2);
  } finally {
    process.stderr.write = orig;
  }
  assert.match(writes.join(''), /unknown command 'no-such-command'/);
});

test('every listed subcommand loads a module with run()', async () => {
  for (const [name, cmd] of Object.entries(COMMANDS)) {
    const mod = await cmd.load();
    assert.equal(typeof mod.run, 'function', name);
  }
});
