/**
 * The simulator's access token: a JWT shaped like a Tesla Fleet API user token (`aud` naming the
 * NA Fleet API host, `scp` scopes, `ou_code` region), so region and scope logic runs against it
 * unchanged. It is signed with a random per-run HMAC key and is only good for this simulator.
 *
 * @module
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_SCOPES } from '../commands/scopes.js';

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
