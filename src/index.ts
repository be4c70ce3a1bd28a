/**
 * Package root exports of tesla-mcp. The portable protocol library is the separate entry
 * `tesla-mcp/signing`.
 *
 * @module
 */

export type { FleetTransport, RestCommandResult, VehicleSummary } from './vehicle/transport.js';
export { FleetHttpError } from './vehicle/transport.js';
export { VERSION } from './version.js';
