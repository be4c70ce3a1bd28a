/**
 * A real `redis-server` (Debian's package; `.ci/run` installs it when missing) for the Redis
 * store tests: started on a free loopback port with no persistence (`--save '' --appendonly
 * no`), ended by pid. Where it is not installed the tests skip, except under `CI=true`, where
 * {@link redisAvailable} throws: a missing service fails there, it is never skipped.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  /** Ends the server (SIGTERM by pid) and waits for it to exit. */
  stop(): Promise<void>;
}

let binary: string | undefined | null = null;

/** The redis-server binary, or undefined (a skip reason is then given by the tests). */
export function redisBinary(): string | undefined {
  if (binary !== null) return binary;
  try {
    binary = execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    binary = undefined;
  }
  if (!binary && process.env.CI === 'true') {
    throw new Error(
      'redis-server is not installed: CI must install it (apt-get install redis-server)',
    );
  }
  return binary || undefined;
}

/** `false` (run) or a skip reason, for `describe(name, { skip: redisSkip() }, …)`. */
export function redisSkip(): false | string {
  return redisBinary() ? false : 'redis-server is not installed (apt-get install redis-server)';
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Starts redis-server on `port` (default a free one) and waits until it accepts connections. */
export async function startRedis(port?: number): Promise<RedisServer> {
  const bin = redisBinary();
  if (!bin) throw new Error('redis-server is not installed');
  const p = port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then(() => reject(new Error(`redis-server exited: ${out}`)));
    setTimeout(
      () => reject(new Error(`redis-server did not start in 10 s: ${out}`)),
      10_000,
    ).unref();
  });
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null)
        process.kill(child.pid ?? 0, 'SIGTERM');
      await exited;
    },
  };
}
