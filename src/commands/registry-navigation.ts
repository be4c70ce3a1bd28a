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
    'Send an address or place name to the vehicle navigation (REST command; works on all vehicles).',
  ),
  navigation_gps_request: rest(
    'idempotent',
    'no-public-proto',
    'Navigate to a latitude/longitude.',
  ),
  navigation_sc_request: rest(
    'idempotent',
    'no-public-proto',
    'Navigate to a Supercharger by id (from nearby_charging_sites).',
  ),
  navigation_waypoints_request: rest(
    'idempotent',
    'no-public-proto',
    'Send a multi-stop trip as Google Place ids.',
  ),
  take_drivenote: rest(
    'write',
    'no-public-proto',
    'Save a short drive note (≤ 80 chars) to the vehicle log.',
  ),
  upcoming_calendar_entries: rest(
    'idempotent',
    'no-public-proto',
    'Send upcoming calendar entries to the vehicle.',
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
