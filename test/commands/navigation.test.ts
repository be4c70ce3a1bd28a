import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as navigation from '../../src/commands/navigation.js';
import { getCommand } from '../../src/commands/registry.js';
import type { RemoteNavTripOrder } from '../../src/gen-ext/car_server_ext_pb.js';
import { checkExtGolden, type ExtGolden } from '../helpers/ext-wire.js';

// Published: VehicleAction navigationGpsRequest = 53 {double lat = 1; double lon = 2;
// RemoteNavTripOrder order = 3}, navigationSuperchargerRequest = 22 {int32 order = 1},
// navigationWaypointsRequest = 90 {string waypoints = 1; ...}, takeDrivenoteAction = 58
// {string note = 1}, uiSetUpcomingCalendarEntries = 24 {string calendar_data = 1}.
const GOLDENS: ExtGolden[] = [
  {
    name: 'navigation_gps_request',
    params: { lat: 37.5, lon: -122.25, order: 1 },
    field: 53,
    fields: [
      { no: 1, wire: 1, value: 37.5 },
      { no: 2, wire: 1, value: -122.25 },
      { no: 3, wire: 0, value: 1 },
    ],
    // 12 17 | aa03 (53<<3|2) 14 | 09 <37.5 LE> 11 <-122.25 LE> 18 01
    hex: '1217aa03140900000000' + '00c04240' + '1100000000' + '00905ec0' + '1801',
  },
  {
    name: 'navigation_sc_request',
    params: { order: 1 },
    field: 22,
    fields: [{ no: 1, wire: 0, value: 1 }],
    hex: '1205b201020801', // 12 05 | b201 (22<<3|2) 02 | 08 01
  },
  {
    name: 'navigation_waypoints_request',
    params: { waypoints: 'refId:ChIJ1' },
    field: 90,
    fields: [{ no: 1, wire: 2, value: 'refId:ChIJ1' }],
    // 12 10 | d205 (90<<3|2) 0d | 0a 0b "refId:ChIJ1"
    hex: `1210d2050d0a0b${Buffer.from('refId:ChIJ1').toString('hex')}`,
  },
  {
    name: 'take_drivenote',
    params: { note: 'hi' },
    field: 58,
    fields: [{ no: 1, wire: 2, value: 'hi' }],
    hex: '1207d203040a026869', // 12 07 | d203 (58<<3|2) 04 | 0a 02 "hi"
  },
  {
    name: 'upcoming_calendar_entries',
    params: { calendar_data: 'x' },
    field: 24,
    fields: [{ no: 1, wire: 2, value: 'x' }],
    hex: '1206c201030a0178', // 12 06 | c201 (24<<3|2) 03 | 0a 01 "x"
  },
];

test('navigation extension commands: bytes match the published field numbers and wire types', () => {
  for (const g of GOLDENS) checkExtGolden(g);
});

test('navigation_gps_request: absent order is 0 (unknown); range checks', () => {
  checkExtGolden({
    name: 'navigation_gps_request',
    params: { lat: -1, lon: 2 },
    field: 53,
    fields: [
      { no: 1, wire: 1, value: -1 },
      { no: 2, wire: 1, value: 2 },
    ],
    // 12 15 | aa03 12 | 09 <-1.0 LE> 11 <2.0 LE>; order 0 is left out
    hex: '1215aa0312' + '09000000000000f0bf' + '110000000000000040',
  });
  assert.throws(() => navigation.navigationGpsRequest(91, 0), {
    name: 'RangeError',
    message: 'latitude must be -90–90 degrees, got 91',
  });
  assert.throws(() => navigation.navigationGpsRequest(0, 0, 4 as RemoteNavTripOrder), RangeError);
  const build = getCommand('navigation_gps_request')?.build;
  assert.throws(() => build?.({ lon: 1 }), { message: 'missing lat param' });
  assert.throws(() => build?.({ lat: '1', lon: 1 }), { message: 'invalid lat param' });
});

test('navigation_sc_request refuses an id it cannot carry rather than dropping it', () => {
  const build = getCommand('navigation_sc_request')?.build;
  assert.throws(() => build?.({ id: 123, order: 1 }), {
    name: 'CommandParamError',
    message: /id cannot be sent.*navigation_gps_request/,
  });
  assert.throws(() => navigation.navigationSuperchargerRequest(-1), RangeError);
});

test('free-text commands are bounded and non-empty', () => {
  assert.throws(() => navigation.takeDrivenote(''), RangeError);
  assert.throws(() => navigation.takeDrivenote('x'.repeat(81)), {
    message: 'drive note must be 1–80 characters, got 81 characters',
  });
  assert.equal(navigation.takeDrivenote('x'.repeat(80)).domain, 3);
  assert.throws(() => navigation.navigationWaypointsRequest(''), RangeError);
  assert.throws(() => navigation.upcomingCalendarEntries('x'.repeat(65_537)), RangeError);
  assert.throws(() => getCommand('take_drivenote')?.build?.({}), { message: 'missing note param' });
});
