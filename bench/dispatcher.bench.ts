/**
 * The vehicle layer's efficiency: transport requests per command in the
 * four scenarios (targets 1, 1, 2, 2; Tesla's Go proxy needs 3 after a restart), and commands/s
 * through the dispatcher to in-process verifiers with 1 and with 50 vehicles. A node:crypto
 * HMAC-SHA256 row measured in the same run gives the machine's speed, so figures from different
 * runs or machines can be compared as ratios.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dispatcher } from '../src/vehicle/dispatcher.js';
import { keyFingerprint } from '../src/vehicle/pairing.js';
import { SessionCache } from '../src/vehicle/session-cache.js';
import { nodeKey } from '../test/helpers/node-key.js';
import { CLIMATE_ON, LOCK } from '../test/helpers/vehicle-setup.js';
import { VerifierTransport } from '../test/helpers/verifier-transport.js';
import { fmt, measure, table } from './harness.js';

const VIN = '5YJ3E1EA7JF000001';

async function requestCounts(): Promise<(string | number)[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-bench-'));
  try {
    const key = nodeKey();
    const path = join(dir, 'sessions.json');
    const open = async () =>
      SessionCache.open({ path, keyFingerprint: keyFingerprint(key.publicKey) });
    const transport = new VerifierTransport();
    transport.addCar(VIN, { pair: key.publicKey });
    const cost = async (fn: () => Promise<unknown>) => {
      const before = transport.signedRequests();
      await fn();
      return transport.signedRequests() - before;
    };

    const a = new Dispatcher({ key, transport, cache: await open() });
    const coldVcsec = await cost(() => a.vehicle(VIN).send(LOCK));
    const coldInfo = await cost(() => a.vehicle(VIN).send(CLIMATE_ON));
    const warm = await cost(() => a.vehicle(VIN).send(CLIMATE_ON));
    await a.close();
    const b = new Dispatcher({ key, transport, cache: await open() });
    const restartInfo = await cost(() => b.vehicle(VIN).send(CLIMATE_ON));
    const restartVcsec = await cost(() => b.vehicle(VIN).send(LOCK));
    await b.close();
    return [
      ['warm session', warm, 1],
      ['after a restart, disk cache (Infotainment)', restartInfo, 1],
      ['after a restart, disk cache (VCSEC)', restartVcsec, 1],
      ['cold, VCSEC command', coldVcsec, 2],
      ['cold, Infotainment command', coldInfo, 2],
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function throughput(vehicles: number, seconds = 1.5): Promise<number> {
  const key = nodeKey();
  const transport = new VerifierTransport();
  const vins = Array.from(
    { length: vehicles },
    (_, i) => `5YJ3E1EA7JF${String(i).padStart(6, '0')}`,
  );
  for (const vin of vins) transport.addCar(vin, { pair: key.publicKey });
  const d = new Dispatcher({ key, transport });
  await Promise.all(vins.map((vin) => d.vehicle(vin).send(CLIMATE_ON)));
  let done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    // One command in flight per vehicle at a time: what a user-driven server sees.
    await Promise.all(vins.map((vin) => d.vehicle(vin).send(CLIMATE_ON)));
    done += vins.length;
  }
  return (done * 1000) / (performance.now() - t0);
}

/** node:crypto HMAC-SHA256 of a command-sized input: a reference for this machine's speed. */
function machineReference(): number {
  const key = new Uint8Array(32).fill(7);
  const input = new Uint8Array(120).fill(1);
  return measure('node:crypto HMAC', () => createHmac('sha256', key).update(input).digest())
    .opsPerSec;
}

export async function run(): Promise<void> {
  table(['transport requests per command', 'measured', 'target'], await requestCounts());
  console.log('');
  const hmac = machineReference();
  const one = await throughput(1);
  const fifty = await throughput(50);
  table(
    [
      'dispatcher → in-process verifier (Infotainment, HMAC, encrypted replies)',
      'commands/s',
      'per 1,000 node:crypto HMAC/s',
    ],
    [
      ['1 vehicle, sequential', fmt(one), ((one * 1000) / hmac).toFixed(1)],
      ['50 vehicles, one command each in flight', fmt(fifty), ((fifty * 1000) / hmac).toFixed(1)],
      ['machine reference: node:crypto HMAC-SHA256 ops/s', fmt(hmac), ''],
    ],
  );
}
