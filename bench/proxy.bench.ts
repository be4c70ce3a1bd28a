/**
 * `tesla-mcp proxy`: Fleet API requests per command through the proxy, cold and after
 * a restart (target 1 with the disk session cache; Tesla's Go proxy needs 3: two handshakes and
 * the command), and commands/s through the proxy to the simulator over loopback HTTP.
 */
import { command, type Harness, harness, VIN } from '../test/helpers/proxy-harness.js';
import { fmt, table } from './harness.js';

const SIGNED = 'POST signed_command';

async function cost(h: Harness, fn: () => Promise<unknown>): Promise<number> {
  const before = h.count(SIGNED);
  await fn();
  return h.count(SIGNED) - before;
}

async function requestCounts(): Promise<(string | number)[][]> {
  const h = await harness();
  try {
    const coldVcsec = await cost(h, () => command(h, 'door_lock'));
    const coldInfo = await cost(h, () => command(h, 'flash_lights'));
    const warm = await cost(h, () => command(h, 'flash_lights'));
    await h.restart();
    const restartInfo = await cost(h, () => command(h, 'flash_lights'));
    const restartVcsec = await cost(h, () => command(h, 'door_unlock'));
    h.sim.fleet.car(VIN).sleep();
    const wake = await cost(h, () => command(h, 'wake_up'));
    return [
      ['after a restart, Infotainment command', restartInfo, 1, 3],
      ['after a restart, VCSEC command', restartVcsec, 1, 3],
      ['warm session', warm, 1, 1],
      ['cold, VCSEC command', coldVcsec, 2, 3],
      ['cold, Infotainment command', coldInfo, 2, 3],
      ['wake_up (signed requests)', wake, 0, '2 (500 if asleep)'],
    ];
  } finally {
    await h.close();
  }
}

async function throughput(concurrency: number, seconds = 1.5): Promise<number> {
  const h = await harness();
  try {
    await command(h, 'flash_lights'); // handshake once
    let done = 0;
    const end = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < end) {
        const res = await command(h, 'flash_lights');
        if (res.status !== 200) throw new Error(`bench: HTTP ${res.status} ${res.text}`);
        done++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return (done * 1000) / (performance.now() - t0);
  } finally {
    await h.close();
  }
}

export async function run(): Promise<void> {
  console.log('Fleet API signed_command requests per command through the proxy:\n');
  table(['scenario', 'requests', 'target', 'Go tesla-http-proxy'], await requestCounts());
  console.log('\nCommands/s through the proxy to the simulator (HTTP both hops, loopback):\n');
  const rows: (string | number)[][] = [];
  for (const c of [1, 8]) rows.push([`${c} client(s), flash_lights`, fmt(await throughput(c))]);
  table(['load', 'commands/s'], rows);
}
