/**
 * End-to-end harness: runs `tesla-mcp serve` (the real Fleet path, not `--simulator`) in a child
 * process pointed at a `tesla-mcp sim` in another process, and connects the SDK's own client
 * over stdio (`StdioClientTransport`) or Streamable HTTP (`StreamableHTTPClientTransport`).
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { cliArgs, ROOT } from './built-cli.js';

export type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

export interface McpSession {
  client: Client;
  /** Calls a tool; `onProgress` receives the call's progress notifications. */
  call(
    name: string,
    args?: Record<string, unknown>,
    onProgress?: (message: string | undefined) => void,
  ): Promise<ToolResult>;
  /** Everything the server wrote to stdout (HTTP) and stderr so far. */
  output(): string;
  close(): Promise<void>;
}

/** The environment `serve` gets: nothing inherited but PATH, so no real setup leaks in. */
export function serveEnv(o: {
  dir: string;
  fleetUrl: string;
  token: string;
  keyFile: string;
}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: o.dir,
    TESLA_MCP_CONFIG_DIR: o.dir,
    TESLA_FLEET_API_URL: o.fleetUrl,
    TESLA_ACCESS_TOKEN: o.token,
    TESLA_PRIVATE_KEY_FILE: o.keyFile,
    TESLA_DOMAIN: 'example.com',
    TESLA_SESSION_CACHE: join(o.dir, 'sessions.json'),
    TESLA_MCP_CONFIRM: 'never',
    TESLA_MCP_TOOLSETS: 'all',
  };
}

function session(client: Client, output: () => string, stop: () => Promise<void>): McpSession {
  return {
    client,
    output,
    async call(name, args = {}, onProgress) {
      const r = await client.callTool(
        { name, arguments: args },
        undefined,
        onProgress ? { onprogress: (p) => onProgress(p.message) } : undefined,
      );
      return r as ToolResult;
    },
    async close() {
      await client.close().catch(() => {});
      await stop();
    },
  };
}

/** `tesla-mcp serve` over stdio, driven by the SDK's `StdioClientTransport`. */
export async function connectStdio(env: Record<string, string>): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: cliArgs('serve'),
    cwd: ROOT,
    env,
    stderr: 'pipe',
  });
  let out = '';
  transport.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const client = new Client({ name: 'e2e-stdio', version: '0' });
  await client.connect(transport);
  // Closing the client closes stdin; the server then finishes its calls and exits.
  return session(
    client,
    () => out,
    async () => {},
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

/**
 * `tesla-mcp serve --http --port 0 --no-auth` on 127.0.0.1, driven by the SDK's
 * `StreamableHTTPClientTransport` at the URL the server prints.
 */
export async function connectHttp(env: Record<string, string>): Promise<McpSession & { url: URL }> {
  const child = spawn(
    process.execPath,
    cliArgs('serve', '--http', '--host', '127.0.0.1', '--port', '0', '--no-auth'),
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let url: URL;
  try {
    url = await new Promise<URL>((resolve, reject) => {
      const check = () => {
        const m = /^MCP URL: (http:\/\/127\.0\.0\.1:\d+\/mcp)$/m.exec(out);
        if (m?.[1]) resolve(new URL(m[1]));
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`serve printed no URL in 20 s: ${out}`)), 20_000).unref();
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  const client = new Client({ name: 'e2e-http', version: '0' });
  try {
    await client.connect(new StreamableHTTPClientTransport(url));
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    ...session(
      client,
      () => out,
      () => stopChild(child),
    ),
    url,
  };
}
