/**
 * The vehicle layer: sessions per VIN and domain, handshakes, the session cache, fault
 * recovery, and the choice between signed and REST commands. Entry point: {@link Dispatcher}.
 *
 * @module
 */
export { Dispatcher, type DispatcherOptions } from './dispatcher.js';
export { VehicleCommandError, type VehicleErrorCode } from './errors.js';
export { keyFingerprint, type PairingStatus, pairingUrl } from './pairing.js';
export { openSessionCache, SessionCache, type SessionCacheOptions } from './session-cache.js';
export {
  FleetHttpError,
  type FleetTransport,
  type RestCommandResult,
  type VehicleSummary,
} from './transport.js';
export type { CommandKey, CommandResult, SendOptions, VehicleCommand } from './types.js';
export { MAX_IN_FLIGHT, Vehicle, type VehicleOptions } from './vehicle.js';
