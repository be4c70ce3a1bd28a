/**
 * Navigation builders: GPS coordinates, Superchargers, waypoints, drive notes and calendar
 * entries. None of these actions is in Tesla's public protos: they are encoded with our
 * extension module (`proto-ext/car_server_ext.proto`), whose field numbers and shapes come from
 * Teslemetry/python-tesla-fleet-api `proto/car_server.proto` @0b1a36574ef1 (Apache-2.0), and
 * mirror that library's signed builders (`tesla_fleet_api/tesla/vehicle/commands.py`).
 *
 * @module
 */
import { RemoteNavTripOrder } from '../gen-ext/car_server_ext_pb.js';
import { checkInt, checkLatitude, checkLongitude, checkText } from './check.js';
import type { Command } from './types.js';
import { infotainmentExt } from './wrap.js';

/** Longest drive note: the Fleet API keeps the first 80 characters of `take_drivenote`. */
export const MAX_DRIVENOTE = 80;
/** Bounds on the free-text payloads, so a caller cannot make us sign an arbitrarily large message. */
export const MAX_WAYPOINTS = 4096;
export const MAX_CALENDAR_DATA = 65_536;

const INT32_MAX = 2 ** 31 - 1;

/**
 * `navigation_gps_request`: navigate to a latitude/longitude (`NavigationGpsRequest`, field 53).
 * `order` is `RemoteNavTripOrder`: 1 replaces the trip, 2 prepends the stop, 3 appends it
 * (0, unknown, is what the Fleet API's absent `order` means).
 */
export function navigationGpsRequest(
  lat: number,
  lon: number,
  order: RemoteNavTripOrder = RemoteNavTripOrder.UNKNOWN,
): Command {
  checkLatitude(lat);
  checkLongitude(lon);
  checkInt('trip order', order, 0, 3, '(1 replace, 2 prepend, 3 append)');
  return infotainmentExt({ case: 'navigationGpsRequest', value: { lat, lon, order } });
}

/**
 * `navigation_sc_request` (`NavigationSuperchargerRequest`, field 22). The published message
 * carries only `order`: it has no field for a Supercharger id.
 */
export function navigationSuperchargerRequest(order: number): Command {
  checkInt('trip order', order, 0, INT32_MAX);
  return infotainmentExt({ case: 'navigationSuperchargerRequest', value: { order } });
}

/**
 * `navigation_waypoints_request` (`NavigationWaypointsRequest`, field 90): the Fleet API's
 * `waypoints` string, a comma-separated list of `refId:<Google Place id>`.
 */
export function navigationWaypointsRequest(waypoints: string): Command {
  checkText('waypoints', waypoints, MAX_WAYPOINTS);
  return infotainmentExt({ case: 'navigationWaypointsRequest', value: { waypoints } });
}

/** `take_drivenote` (`TakeDrivenoteAction`, field 58): a note of 1–80 characters. */
export function takeDrivenote(note: string): Command {
  checkText('drive note', note, MAX_DRIVENOTE);
  return infotainmentExt({ case: 'takeDrivenoteAction', value: { note } });
}

/** `upcoming_calendar_entries` (`UiSetUpcomingCalendarEntries`, field 24), sent as given. */
export function upcomingCalendarEntries(calendarData: string): Command {
  checkText('calendar data', calendarData, MAX_CALENDAR_DATA);
  return infotainmentExt({ case: 'uiSetUpcomingCalendarEntries', value: { calendarData } });
}
