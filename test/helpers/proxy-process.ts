/**
 * Starts `tesla-mcp proxy --port 0` in another process (the built CLI), waits for its
 * "listening on" line and gives its URL; `stop()` sends SIGTERM and waits, `kill()` SIGKILLs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cliArgs } from './built-cli.js';

export interface ProxyProcess {
  url: string;
  pid: number;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash), then waits for the exit. */
  kill(): Promise<void>;
}

export async function startProxyProcess(o: {
  keyFile: string;
  configDir: string;
  fleetApiUrl: string;
  args?: string[];
  env?: Record<string, string>;
}): Promise<ProxyProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    cliArgs('proxy', '--key-file', o.keyFile, '--port', '0', ...(o.args ?? [])),
    {
      env: {
        PATH: process.env.PATH ?? '',
        TESLA_MCP_CONFIG_DIR: o.configDir,
        TESLA_FLEET_API_URL: o.fleetApiUrl,
        ...o.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`proxy exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`proxy did not start in 20 s: ${out}`)), 20_000).unref();
  });
  return {
    url,
    pid: child.pid ?? 0,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
