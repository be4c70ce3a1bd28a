/**
 * Starts `tesla-mcp sim --port 0 --pair-key <temp pem>` in another process and reads its printed
 * URL, token, developer app (client id and secret, for partner tokens) and VINs; the key and its PEM live in a temp folder removed on stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateKey } from '../../src/signing/keys.js';
import { cliArgs, ROOT } from './built-cli.js';

export interface SimProcess {
  url: string;
  token: string;
  /** The simulator's developer app, as `tesla-mcp sim` prints it. */
  clientId: string;
  clientSecret: string;
  vins: string[];
  key: PrivateKey;
  output: () => string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `cars`: `--cars N` (N paired Model 3s instead of the three demo cars). `bin`: a
 * `bin/tesla-mcp.js` to run instead of the repo's `dist/cli.js` (an installed package's).
 */
export async function startSimProcess(
  o: { cars?: number; bin?: string } = {},
): Promise<SimProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-sim-'));
  const key = PrivateKey.generate();
  const pem = join(dir, 'client.pem');
  await writeFile(pem, key.toPem('pkcs8'), { mode: 0o600 });
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(o.bin ? [o.bin, 'sim'] : cliArgs('sim')),
      ...['--port', '0', '--pair-key', pem, ...(o.cars ? ['--cars', String(o.cars)] : [])],
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: dir } },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/Press Ctrl-C to stop/.test(out)) resolve();
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => reject(new Error(`sim exited with ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`sim did not start in 20 s: ${out}`)), 20_000).unref();
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const url = /^TESLA_FLEET_API_URL=(\S+)$/m.exec(out)?.[1] ?? '';
  const token = /^TESLA_ACCESS_TOKEN=(\S+)$/m.exec(out)?.[1] ?? '';
  const clientId = /^TESLA_CLIENT_ID=(\S+)$/m.exec(out)?.[1] ?? '';
  const clientSecret = /^TESLA_CLIENT_SECRET=(\S+)$/m.exec(out)?.[1] ?? '';
  const vins = [...out.matchAll(/^VIN (\S+)/gm)].map((m) => m[1] ?? '');
  return {
    url,
    token,
    clientId,
    clientSecret,
    vins,
    key,
    output: () => out,
    stop,
    pid: child.pid ?? 0,
  };
}
