/**
 * Registry rows of toolset `navigation`: destinations, GPS, Superchargers, waypoints, drive notes
 * and calendar entries (REST `command/{name}`; none has a public proto). The Go proxy's JSON
 * parameters (vehicle-command pkg/proxy/command.go) are read by `./params.ts`.
 *
 * @module
 */
import type { FleetCommandName } from './names.js';
import { type Row, rest } from './rows.js';

export const NAVIGATION_ROWS = {
  navigation_request: rest(
    'idempotent',
    'rest-api',
    'Send a destination (address or shared content) to the vehicle navigation.',
  ),
  navigation_gps_request: rest('idempotent', 'no-public-proto', 'Navigate to GPS coordinates.'),
  navigation_sc_request: rest('idempotent', 'no-public-proto', 'Navigate to a Supercharger.'),
  navigation_waypoints_request: rest(
    'idempotent',
    'no-public-proto',
    'Navigate along a list of waypoints.',
  ),
  take_drivenote: rest('write', 'no-public-proto', 'Record a drive note (up to 80 characters).'),
  upcoming_calendar_entries: rest(
    'idempotent',
    'no-public-proto',
    'Send upcoming calendar entries to the vehicle.',
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
