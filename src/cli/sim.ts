/**
 * `tesla-mcp sim [--port P] [--pair-key FILE]...`: runs the simulated Fleet API on 127.0.0.1 and
 * prints its URL, the simulated access token and the VINs. `--pair-key` enrols a client's public
 * key (PEM, public or private; only the public half is used) on the simulated cars. Nothing is
 * read from or written to the CONFIG folder; the vehicles' keys live in memory for this run.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PublicKey } from '../signing/keys.js';
import { MAX_SIM_CARS, simulatedCars } from '../sim/fleet.js';
import { startSimulator } from '../sim/index.js';
import { cliCommand } from '../util/cli-command.js';

const HELP = `Usage: tesla-mcp sim [--port P] [--pair-key FILE]... [--cars N]

Runs the simulated Fleet API (three cars and a Powerwall site) on 127.0.0.1 and prints its URL,
the simulated access token and the VINs. Its cars accept only correctly signed commands from
enrolled keys; nothing touches a real car or your tesla-mcp config folder.

Options:
  --port P          TCP port on 127.0.0.1 (default 0: a free port)
  --pair-key FILE   enrol this client key (PEM, public or private) on the simulated cars;
                    repeat for more keys
  --cars N          N online Model 3s with valid VINs instead of the three demo cars
                    (1-${MAX_SIM_CARS}; for load tests)
  -h, --help        show this help

Use it from another process with:
  TESLA_FLEET_API_URL=<url> TESLA_ACCESS_TOKEN=<token>
`;

const KINDS: Record<string, string> = {
  modern: 'signed commands only',
  legacy: 'pre-2021 Model S: REST commands only, 422 on signed_command',
  unpaired: 'key not paired',
};

export async function run(argv: string[]): Promise<number> {
  let values: { port?: string; 'pair-key'?: string[]; cars?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'pair-key': { type: 'string', multiple: true },
        cars: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`tesla-mcp sim: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`tesla-mcp sim: --port must be 0-65535, got '${values.port}'\n`);
    return 2;
  }
  const cars = values.cars === undefined ? undefined : Number(values.cars);
  if (
    cars !== undefined &&
    !(/^\d+$/.test(values.cars ?? '') && cars >= 1 && cars <= MAX_SIM_CARS)
  ) {
    process.stderr.write(`tesla-mcp sim: --cars must be 1-${MAX_SIM_CARS}, got '${values.cars}'\n`);
    return 2;
  }
  const pairKeys: Uint8Array[] = [];
  for (const file of values['pair-key'] ?? []) {
    try {
      pairKeys.push(PublicKey.fromPem(await readFile(file, 'utf8')).bytes);
    } catch (err) {
      const why =
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a P-256 PEM key';
      process.stderr.write(
        `tesla-mcp sim: cannot use --pair-key ${file}: ${why}. Pass a PEM public key, or the private key file made by \`${cliCommand('keygen')}\`.\n`,
      );
      return 2;
    }
  }
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({
      port,
      pairKeys,
      ...(cars === undefined ? {} : { vehicles: simulatedCars(cars) }),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${port} is in use: pick another --port` : String(err);
    process.stderr.write(`tesla-mcp sim: cannot start: ${why}\n`);
    return 1;
  }
  const lines = [
    `tesla-mcp sim: simulated Fleet API at ${sim.url} (status page: ${sim.url}/)`,
    `TESLA_FLEET_API_URL=${sim.url}`,
    `TESLA_ACCESS_TOKEN=${sim.token}`,
    // The simulator's developer app, for partner tokens (`specs`); its token endpoint is
    // TESLA_FLEET_API_URL's /oauth2/v3/token.
    `TESLA_CLIENT_ID=${sim.partner.clientId}`,
    `TESLA_CLIENT_SECRET=${sim.partner.clientSecret}`,
    ...[...sim.fleet.vehicles.values()].map(
      (v) => `VIN ${v.vin} ${v.kind} (${KINDS[v.kind]}): ${v.state.displayName}`,
    ),
    `ENERGY_SITE_ID=${sim.fleet.site.id}`,
    pairKeys.length
      ? `Enrolled ${pairKeys.length} key(s) on ${sim.fleet.pairableVins.join(', ')}.`
      : 'No key enrolled: pass --pair-key FILE so signed commands verify.',
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
