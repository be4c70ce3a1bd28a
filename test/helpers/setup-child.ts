/**
 * `tesla-mcp setup` in a child process with its questions on the real stdin/stdout
 * (`@clack/prompts`), pointed at the fake Tesla endpoints named by the environment. The
 * "browser" follows the authorize URL back to the loopback callback.
 *
 * @module
 */
import { run } from '../../src/cli/setup.js';

const e = process.env;
const code = await run(process.argv.slice(2), {
  ...(e.FAKE_AUTHORIZE_URL ? { authorizeUrl: e.FAKE_AUTHORIZE_URL } : {}),
  ...(e.FAKE_TOKEN_URL ? { tokenUrl: e.FAKE_TOKEN_URL } : {}),
  ...(e.FAKE_HOSTED_KEY_URL ? { hostedKeyUrl: e.FAKE_HOSTED_KEY_URL } : {}),
  openBrowser: (url) => void fetch(url).then((r) => r.text()),
});
process.exit(code);
