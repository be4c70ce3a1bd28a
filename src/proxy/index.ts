/**
 * `tesla-mcp proxy`: a drop-in replacement for Tesla's `tesla-http-proxy` that signs vehicle
 * commands in-process (vehicle-command `cmd/tesla-http-proxy`, `pkg/proxy/proxy.go`). Entry point: {@link startProxy}.
 *
 * @module
 */
export { type CommandLookup, lookupIn } from './command-route.js';
export {
  checkListen,
  type ProxyCliConfig,
  ProxyConfigError,
  parseDuration,
  parseProxyArgs,
  type TlsFiles,
} from './options.js';
export {
  DEFAULT_PROXY_HOST,
  DEFAULT_PROXY_PORT,
  type ProxyOptions,
  type RunningProxy,
  startProxy,
} from './server.js';
