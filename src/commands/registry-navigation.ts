/**
 * Registry rows of toolset `navigation`: destinations, GPS, Superchargers, waypoints, drive notes
 * and calendar entries, mapped onto `./navigation.ts`. `navigation_request` is REST (Tesla
 * resolves the shared text server-side); the others are signed with the extension module
 * (`source: 'teslemetry-ext'`). The Go proxy's JSON parameters (vehicle-command
 * pkg/proxy/command.go) are read by `./params.ts`.
 *
 * @module
 */
import type { FleetCommandName } from './names.js';
import * as navigation from './navigation.js';
import { CommandParamError, getNumber, getString } from './params.js';
import { infoExt, type Row, rest } from './rows.js';

export const NAVIGATION_ROWS = {
  navigation_request: rest(
    'idempotent',
    'rest-api',
    'Send an address or place name to the vehicle navigation (REST command; works on all vehicles).',
  ),
  navigation_gps_request: infoExt('idempotent', 'Navigate to a latitude/longitude.', (p) =>
    navigation.navigationGpsRequest(
      getNumber(p, 'lat', true),
      getNumber(p, 'lon', true),
      getNumber(p, 'order', false),
    ),
  ),
  navigation_sc_request: infoExt(
    'idempotent',
    'Navigate to a Supercharger. The signed message carries only the trip order, no Supercharger id: for a given one, call navigation_gps_request with its coordinates (nearby_charging_sites).',
    (p) => {
      // Refused rather than dropped: the message has no field for it (./navigation.ts).
      if (Object.hasOwn(p, 'id') && p.id !== undefined) {
        throw new CommandParamError(
          'id cannot be sent: the signed Supercharger request has no id field; call navigation_gps_request with its coordinates',
          'id',
        );
      }
      return navigation.navigationSuperchargerRequest(getNumber(p, 'order', false));
    },
  ),
  navigation_waypoints_request: infoExt(
    'idempotent',
    'Send a multi-stop trip as Google Place ids.',
    (p) => navigation.navigationWaypointsRequest(getString(p, 'waypoints', true)),
  ),
  take_drivenote: infoExt(
    'write',
    'Save a short drive note (≤ 80 chars) to the vehicle log.',
    (p) => navigation.takeDrivenote(getString(p, 'note', true)),
  ),
  upcoming_calendar_entries: infoExt(
    'idempotent',
    'Send upcoming calendar entries to the vehicle.',
    (p) => navigation.upcomingCalendarEntries(getString(p, 'calendar_data', true)),
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
