/**
 * The Redis client, kept in a file of its own so the build can ship it as a separate chunk
 * (`dist/redis-client.js`, see scripts/build.mjs) that is loaded only when `--redis` /
 * `TESLA_MCP_REDIS_URL` is set: a start without Redis never reads it.
 *
 * @module
 */
export { createClient } from '@redis/client';
