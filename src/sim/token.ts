/**
 * The simulator's access token: a JWT shaped like a Tesla Fleet API user token (`aud` naming the
 * NA Fleet API host, `scp` scopes, `ou_code` region), so region and scope logic runs against it
 * unchanged. It is signed with a random per-run HMAC key and is only good for this simulator.
 * The simulator is also a developer app: {@link simulatedPartnerApp} gives its client id and
 * secret, and its `POST /oauth2/v3/token` answers the `client_credentials` grant with a partner
 * token (Tesla Fleet API docs, "Partner Tokens"), which is what `specs` takes.
 *
 * @module
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_SCOPES, PARTNER_SCOPES } from '../commands/scopes.js';

/** The simulated token grants every scope `tesla-mcp login` asks for by default. */
export const SIM_SCOPES: readonly string[] = DEFAULT_SCOPES;

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A fresh simulated access token, valid for `ttlSeconds` (default 8 h). */
export function simulatedAccessToken(nowMs: number, ttlSeconds = 8 * 3600): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'HS256', typ: 'JWT', kid: 'tesla-mcp-simulator' };
  const claims = {
    iss: 'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/nts',
    azp: 'tesla-mcp-simulator',
    sub: randomUUID(),
    aud: [
      'https://fleet-api.prd.na.vn.cloud.tesla.com',
      'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/userinfo',
    ],
    scp: SIM_SCOPES,
    amr: ['pwd', 'mfa', 'otp'],
    exp: iat + ttlSeconds,
    iat,
    ou_code: 'NA',
    locale: 'en-US',
    account_type: 'person',
    open_source: false,
    simulated: true,
  };
  const input = `${b64url(header)}.${b64url(claims)}`;
  const sig = createHmac('sha256', randomBytes(32)).update(input).digest('base64url');
  return `${input}.${sig}`;
}

/** The simulator's developer app: what `TESLA_CLIENT_ID` / `TESLA_CLIENT_SECRET` name for it. */
export interface SimPartnerApp {
  clientId: string;
  clientSecret: string;
  /** The partner token its token endpoint issues (one per run). */
  token: string;
}

/** A fresh app for one simulator run: a random secret and a partner token (no user, no `sub`). */
export function simulatedPartnerApp(nowMs: number, ttlSeconds = 8 * 3600): SimPartnerApp {
  const iat = Math.floor(nowMs / 1000);
  const claims = {
    iss: 'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/nts',
    azp: 'tesla-mcp-simulator',
    aud: 'https://fleet-api.prd.na.vn.cloud.tesla.com',
    scp: PARTNER_SCOPES.split(' '),
    exp: iat + ttlSeconds,
    iat,
    simulated: true,
  };
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'tesla-mcp-simulator' })}.${b64url(claims)}`;
  const sig = createHmac('sha256', randomBytes(32)).update(input).digest('base64url');
  return {
    clientId: 'tesla-mcp-simulator',
    clientSecret: randomBytes(24).toString('base64url'),
    token: `${input}.${sig}`,
  };
}
