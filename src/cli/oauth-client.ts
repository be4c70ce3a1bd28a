/**
 * `tesla-mcp oauth-client`: creates (or shows) the operator's static MCP OAuth client, the only
 * client the HTTP server gives codes to, in `CONFIG/mcp-client.json` (0600), and prints the id,
 * the secret and the Claude.ai connector steps.
 *
 * @module
 */
import { configPaths, type Env } from '../config/paths.js';
import { ensureStaticClientFile } from '../mcp/auth/static-client.js';

const HELP = `Usage: tesla-mcp oauth-client

Creates the MCP server's OAuth client (id + secret) in CONFIG/mcp-client.json (mode 0600), or shows
the existing one, with the steps to add the server to Claude.ai as a custom connector.
MCP_CLIENT_ID and MCP_CLIENT_SECRET, when set, take precedence over the file.
`;

export interface OAuthClientIo {
  env?: Env;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

export async function run(argv: string[], io: OAuthClientIo = {}): Promise<number> {
  const out = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const err = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const env = io.env ?? process.env;
  if (argv.includes('--help') || argv.includes('-h')) {
    out(HELP);
    return 0;
  }
  if (argv.length > 0) {
    err(`tesla-mcp oauth-client: unexpected argument '${argv[0]}'\n\n${HELP}`);
    return 2;
  }
  const path = configPaths(env).mcpClient;
  const client = await ensureStaticClientFile(path);
  const base = env.MCP_BASE_URL || 'https://YOUR-HOST';
  out(`${client.created ? 'Created' : 'Existing'} MCP OAuth client in ${path} (mode 0600; keep the secret private):

  Client ID:     ${client.clientId}
  Client secret: ${client.clientSecret}

Start the server where Claude.ai can reach it over HTTPS:
  tesla-mcp serve --http --public-url ${base}

Add it to Claude.ai (Settings > Connectors > Add custom connector):
  1. Name: Tesla    Remote MCP server URL: ${base}/mcp
  2. Advanced settings: paste the Client ID and Client secret above.
  3. Add, then Connect: the server approves its own client at once and Claude.ai is signed in.
`);
  if (env.MCP_CLIENT_ID || env.MCP_CLIENT_SECRET) {
    out(
      '\nNote: MCP_CLIENT_ID / MCP_CLIENT_SECRET are set in this environment and take precedence over the file.\n',
    );
  }
  return 0;
}
