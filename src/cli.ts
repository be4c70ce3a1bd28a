/**
 * The `tesla-mcp` command: subcommand dispatch. Each subcommand lives in `src/cli/<name>.ts` and
 * exports `run(argv): Promise<number>` (the exit code); names follow
 * the README's "Environment" table. Modules load lazily so `--help` stays fast.
 *
 * @module
 */
import { detectCliPrefixOfProcess, setCliPrefix } from './util/cli-command.js';
import { VERSION } from './version.js';

export interface Subcommand {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

/** Every subcommand, in the order `--help` lists them. Add a row when a subcommand lands. */
export const COMMANDS: Record<string, Subcommand> = {
  serve: { summary: 'run the MCP server (stdio, or --http)', load: () => import('./cli/serve.js') },
  sim: { summary: 'run the simulated Fleet API on 127.0.0.1', load: () => import('./cli/sim.js') },
  proxy: {
    summary: 'drop-in replacement for tesla-http-proxy',
    load: () => import('./cli/proxy.js'),
  },
  setup: {
    summary: 'guided, resumable setup: app, key, hosting, register, login, pair, doctor',
    load: () => import('./cli/setup.js'),
  },
  keygen: { summary: 'create the command key pair', load: () => import('./cli/keygen.js') },
  register: { summary: 'register the app domain', load: () => import('./cli/register.js') },
  login: { summary: 'sign in to Tesla (OAuth + PKCE)', load: () => import('./cli/login.js') },
  logout: { summary: 'delete the Tesla token file', load: () => import('./cli/logout.js') },
  pair: { summary: 'print the link that pairs the key', load: () => import('./cli/pair.js') },
  doctor: { summary: 'check the whole setup', load: () => import('./cli/doctor.js') },
  'oauth-client': {
    summary: 'create or show the MCP OAuth client for Claude.ai',
    load: () => import('./cli/oauth-client.js'),
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS)
    .map(([name, cmd]) => `  ${name.padEnd(14)}${cmd.summary}`)
    .join('\n');
  return `tesla-mcp ${VERSION}: an MCP server for Tesla's Fleet API that signs vehicle commands in-process.

Usage: tesla-mcp [command] [options]
       tesla-mcp <command> --help

Commands:
${rows || '  (none yet)'}
  help          show this help
  version       print the version

With no command, tesla-mcp runs \`serve\` over stdio (what \`claude mcp add tesla -- npx -y tesla-mcp\` starts).
`;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'help' || first === '--help' || first === '-h') {
    process.stdout.write(usage());
    return 0;
  }
  if (first === 'version' || first === '--version' || first === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const name = first === undefined || first.startsWith('-') ? 'serve' : first;
  const args = first === undefined || first.startsWith('-') ? argv : rest;
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`tesla-mcp: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  const mod = await cmd.load();
  return mod.run(args);
}

const isEntry = (() => {
  const arg = process.argv[1];
  if (!arg) return false;
  return /(?:^|[\\/])(?:cli\.(?:ts|js)|tesla-mcp(?:\.js)?)$/.test(arg);
})();

if (isEntry) {
  // Hints name the command line that runs this install (`npx -y …`, `tesla-mcp`, `node …`).
  setCliPrefix(detectCliPrefixOfProcess());
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`tesla-mcp: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
