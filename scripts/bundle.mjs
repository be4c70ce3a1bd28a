// `npm run bundle`: the Claude Desktop one-click install, an MCP Bundle (`.mcpb`, a zip with a
// manifest.json) packed by Anthropic's own packer, @anthropic-ai/mcpb. The bundle holds the
// built server (dist/cli.js, no node_modules: it has no runtime dependencies), a launcher and the
// licenses. Claude Desktop asks the user for the settings in `user_config` and passes them to
// the server as the environment variables of README "Environment".
//   node scripts/bundle.mjs [--out DIR]     (default: the repo root; needs `npm run build` first)
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packExtension } from '@anthropic-ai/mcpb';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Setting → environment variable. Optional settings left empty are dropped by the launcher. */
const SETTINGS = {
  client_id: {
    env: 'TESLA_CLIENT_ID',
    type: 'string',
    title: 'Tesla client ID',
    description: 'Client ID of your developer app (developer.tesla.com). Needed to log in.',
  },
  client_secret: {
    env: 'TESLA_CLIENT_SECRET',
    type: 'string',
    sensitive: true,
    title: 'Tesla client secret',
    description:
      'Client secret of the same app. Stored by Claude Desktop, never shown to the model.',
  },
  domain: {
    env: 'TESLA_DOMAIN',
    type: 'string',
    title: 'App domain',
    description:
      "Your app's domain, which hosts the public key (/.well-known/appspecific/com.tesla.3p.public-key.pem).",
  },
  vin: {
    env: 'TESLA_VIN',
    type: 'string',
    title: 'Default VIN',
    description: 'The car tools act on when none is named (not needed with one car).',
  },
  region: {
    env: 'TESLA_REGION',
    type: 'string',
    title: 'Region',
    description: 'na, eu or cn. Leave empty to use the region of your Tesla account.',
  },
  private_key_file: {
    env: 'TESLA_PRIVATE_KEY_FILE',
    type: 'file',
    title: 'Command key file',
    description:
      'The P-256 private key paired with your car (PEM). Leave empty for ~/.config/tesla-mcp/private-key.pem.',
  },
  toolsets: {
    env: 'TESLA_MCP_TOOLSETS',
    type: 'string',
    title: 'Toolsets',
    description:
      'Comma list (vehicle, climate, charging, security, navigation, media, energy, telemetry, sharing, account, keys, parental) or all. Leave empty for the defaults; Claude may then turn on more per chat.',
  },
  read_only: {
    env: 'TESLA_MCP_READ_ONLY',
    type: 'boolean',
    default: false,
    title: 'Read-only',
    description: 'Offer only tools that read: no commands are sent to the car.',
  },
};

/** The manifest (MCPB manifest 0.3: the newest that knows nothing beyond a node server). */
export function manifest() {
  const env = {};
  const user_config = {};
  for (const [key, { env: name, ...setting }] of Object.entries(SETTINGS)) {
    env[name] = `\${user_config.${key}}`;
    user_config[key] = { ...setting, required: false };
  }
  return {
    manifest_version: '0.3',
    name: pkg.name,
    display_name: 'Tesla (Fleet API, signed commands)',
    version: pkg.version,
    description: pkg.description,
    long_description:
      'Reads and commands your Tesla through the Fleet API. Vehicle commands are signed in-process with your own key (no tesla-http-proxy). Risky commands ask for confirmation first. Without settings it starts and lists its tools; with the Tesla client ID and secret set, ask Claude to log in (it opens a Tesla sign-in link).',
    author: { name: 'tesla-mcp contributors' },
    license: pkg.license,
    keywords: ['tesla', 'fleet-api', 'vehicle-command', 'ev'],
    server: {
      type: 'node',
      entry_point: 'server/tesla-mcp.js',
      mcp_config: { command: 'node', args: [`\${__dirname}/server/tesla-mcp.js`, 'serve'], env },
    },
    tools_generated: true,
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines.node },
    },
    user_config,
  };
}

// Claude Desktop substitutes `${user_config.KEY}`; a setting left empty arrives as '' or, when it
// has no default, as the literal `${user_config.KEY}` (mcpb's getMcpConfigForManifest keeps
// unknown variables). Either means "not set".
const LAUNCHER = `#!/usr/bin/env node
// MCP Bundle entry (scripts/bundle.mjs): settings left empty in Claude Desktop are unset.
for (const [name, value] of Object.entries(process.env)) {
  if (/^(TESLA|MCP)_/.test(name) && (value === '' || /^\\$\\{user_config\\.[^}]*\\}$/.test(value ?? ''))) {
    delete process.env[name];
  }
}
await import('../dist/cli.js');
`;

/** Writes `tesla-mcp-<version>.mcpb` into `outDir` and returns its path. */
export async function bundle(outDir) {
  for (const f of ['dist/cli.js', 'dist/THIRD-PARTY-NOTICES.md']) {
    if (!existsSync(join(root, f))) throw new Error(`bundle: ${f} is missing: run npm run build`);
  }
  const stage = mkdtempSync(join(tmpdir(), 'tesla-mcp-mcpb-'));
  try {
    mkdirSync(join(stage, 'dist'));
    mkdirSync(join(stage, 'server'));
    for (const f of ['dist/cli.js', 'dist/THIRD-PARTY-NOTICES.md', 'LICENSE', 'README.md']) {
      cpSync(join(root, f), join(stage, f));
    }
    writeFileSync(join(stage, 'server', 'tesla-mcp.js'), LAUNCHER);
    const meta = { name: pkg.name, version: pkg.version, type: 'module', private: true };
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(meta, null, 2)}\n`);
    writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest(), null, 2)}\n`);
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `${pkg.name}-${pkg.version}.mcpb`);
    if (!(await packExtension({ extensionPath: stage, outputPath: out, silent: true }))) {
      throw new Error(
        'bundle: mcpb pack refused the bundle (run `npx mcpb validate` on its manifest)',
      );
    }
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const at = process.argv.indexOf('--out');
  const out = await bundle(at > 0 ? resolve(process.argv[at + 1] ?? '.') : root);
  process.stdout.write(`${out}\n`);
}
