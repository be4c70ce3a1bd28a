/**
 * One "process" of the cross-process refresh test (test/fleet/token-lock.test.ts): a
 * TokenManager on a shared token file and a loopback token endpoint. It waits for `go` on stdin
 * (so all start together), asks for an access token and prints it as one JSON line.
 * With `crash` as the third argument it instead takes the token lock and dies holding it.
 *
 * @module
 */
import { TokenManager } from '../../src/fleet/auth.js';
import { TokenStore } from '../../src/fleet/token-store.js';

const [tokenFile, tokenUrl, mode] = process.argv.slice(2) as [string, string, string | undefined];
const store = new TokenStore(tokenFile);

if (mode === 'crash') {
  await store.withLock(async () => {
    process.stdout.write('locked\n');
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {});
  });
} else {
  const tokens = new TokenManager({ store, clientId: 'client-id', tokenUrl });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  try {
    const token = await tokens.accessToken();
    process.stdout.write(`${JSON.stringify({ token, refreshes: tokens.refreshCount })}\n`);
    process.exit(0);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
    process.exit(1);
  }
}
