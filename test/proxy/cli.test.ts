/**
 * `tesla-mcp proxy` as a process, started the way an existing systemd unit starts Tesla's proxy
 * (its single-dash flags and variables, only the program name changed), against the simulator.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/proxy.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { type RunningSimulator, SIM_VINS, startSimulator } from '../../src/sim/index.js';
import { cliArgs } from '../helpers/built-cli.js';

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, cliArgs('proxy', ...args), {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = pattern.exec(text);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
  });
}

describe('tesla-mcp proxy (process)', () => {
  let dir: string;
  let sim: RunningSimulator;
  let keyFile: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-proxy-cli-'));
    const key = PrivateKey.generate();
    keyFile = join(dir, 'command-key.pem');
    await writeFile(keyFile, key.toPem('sec1'), { mode: 0o600 });
    sim = await startSimulator({ pairKeys: [key.publicKey] });
  });
  after(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs with the Go proxy's flags and variables and writes the session cache on SIGTERM", async () => {
    const cache = join(dir, 'cache.json');
    const child = start(['-key-file', keyFile, '-port', '0', '-timeout', '5s'], {
      TESLA_HTTP_PROXY_HOST: '127.0.0.1',
      TESLA_CACHE_FILE: cache,
      TESLA_FLEET_API_URL: sim.url,
      TESLA_MCP_CONFIG_DIR: join(dir, 'config'),
    });
    try {
      const m = await waitFor(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const res = await fetch(`${m[1]}/api/1/vehicles/${SIM_VINS.modern}/command/door_lock`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.deepEqual(await res.json(), { response: { result: true, reason: '' } });
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
    const file = JSON.parse(await readFile(cache, 'utf8')) as { vehicles: Record<string, unknown> };
    assert.ok(file.vehicles[SIM_VINS.modern], 'the session was cached for the next start');
    assert.equal((await stat(cache)).mode & 0o777, 0o600);
  });

  it('refuses plain HTTP off loopback and a missing key with what to do (exit 2)', async () => {
    const env = { TESLA_MCP_CONFIG_DIR: join(dir, 'config') };
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) =>
      lines.push(String(s)) > 0) as typeof process.stderr.write;
    try {
      assert.equal(await run(['-host', '0.0.0.0', '-key-file', keyFile, '-port', '0'], env), 2);
      assert.equal(await run(['--port', '0'], env), 2);
      assert.equal(await run(['-nope'], env), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.match(lines[0] ?? '', /refusing plain HTTP on 0\.0\.0\.0/);
    assert.match(lines[1] ?? '', /cannot read the command key .*tesla-mcp keygen/);
    assert.match(lines[2] ?? '', /unknown argument '-nope'/);
  });
});
