/**
 * Every code example in README.md, run as the app it shows: the package is packed and installed
 * in an empty folder, each marked ```ts block is compiled there with `tsc` (NodeNext, strict,
 * `skipLibCheck: false`) and run with node, with `tesla-mcp sim` from the installed package as
 * the car. A block that drifts from the code fails to compile, throws, or misses its
 * `// prints:` line. A ```ts block without its `<!-- example: NAME -->` marker fails too.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/built-cli.js';
import { missingTool, type Packed, packAndInstall } from '../helpers/pack.js';
import { readmeExamples } from '../helpers/readme-examples.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';
import { compileConsumer } from '../helpers/ts-consumer.js';

const { examples, unmarked } = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const skip = missingTool() ?? false;

it('every ```ts block of README.md is a marked example', () => {
  assert.deepEqual(unmarked, [], 'README.md lines of ```ts blocks without <!-- example: NAME -->');
  assert.ok(examples.length >= 4, `${examples.length} examples`);
  const names = examples.map((e) => e.name);
  assert.equal(new Set(names).size, names.length, `duplicate names: ${names.join()}`);
});

describe('the README examples, against the packed tarball and the simulator', { skip }, () => {
  let p: Packed;
  let sim: SimProcess;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    p = packAndInstall(ROOT);
    sim = await startSimProcess({
      bin: join(p.installed, 'node_modules', 'tesla-mcp', 'bin', 'tesla-mcp.js'),
    });
    dir = join(p.installed, 'readme');
    const diagnostics = compileConsumer({
      dir,
      runtime: 'node',
      files: examples.map((e) => ({ name: `${e.name}.ts`, code: e.code })),
    });
    // Point each diagnostic at its README line.
    const mapped = diagnostics.map((l) => {
      const m = /^([a-z0-9-]+)\.ts\((\d+),(\d+)\): (.*)$/.exec(l);
      const e = m ? examples.find((x) => x.name === m[1]) : undefined;
      return m && e ? `README.md:${e.line + Number(m[2]) - 1}:${m[3]} (${e.name}): ${m[4]}` : l;
    });
    assert.deepEqual(mapped, [], 'the README examples compile');
    const pem = join(p.installed, 'private-key.pem');
    writeFileSync(pem, sim.key.toPem('pkcs8'), { mode: 0o600 });
    env = {
      PATH: process.env.PATH ?? '',
      HOME: p.installed,
      TESLA_MCP_CONFIG_DIR: join(p.installed, 'config'),
      TESLA_FLEET_API_URL: sim.url,
      TESLA_ACCESS_TOKEN: sim.token,
      TESLA_VIN: sim.vins[0] ?? '',
      TESLA_PRIVATE_KEY_FILE: pem,
    };
  });
  after(async () => {
    await sim?.stop();
    for (const d of p?.dirs ?? []) rmSync(d, { recursive: true, force: true });
  });

  for (const e of examples) {
    it(`${e.name} (README.md:${e.line}) runs and prints what it says`, () => {
      const r = spawnSync(process.execPath, [join(dir, 'out', `${e.name}.js`)], {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const lines = r.stdout.split('\n');
      for (const want of e.prints) {
        assert.ok(
          lines.some((l) => l.includes(want)),
          `expected a line with '${want}':\n${r.stdout}`,
        );
      }
    });
  }
});
