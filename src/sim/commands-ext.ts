/**
 * What the commands of our extension module (`proto-ext/car_server_ext.proto`: navigation,
 * drive notes, calendar entries, the boombox, steering-wheel heat level and automatic heat) do
 * to a simulated vehicle, keyed by REST name with the Fleet JSON body. `./commands.ts` merges
 * them into its table, so the modern car (signed, decoded by `./decode.ts`) and the legacy car
 * (REST) run the same code.
 *
 * @module
 */
import type { CommandBody } from './commands.js';
import type { VehicleState } from './state.js';

type Handler = (s: VehicleState, b: CommandBody) => string | undefined;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const text = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

export const EXT_HANDLERS: Record<string, Handler> = {
  navigation_gps_request: (s, b) => {
    const { lat, lon } = b;
    if (!finite(lat) || lat < -90 || lat > 90) return 'invalid lat param';
    if (!finite(lon) || lon < -180 || lon > 180) return 'invalid lon param';
    s.route = { latitude: lat, longitude: lon };
  },
  navigation_sc_request: (s, b) => {
    if (b.order !== undefined && !finite(b.order)) return 'invalid order param';
    s.route = { latitude: s.latitude + 0.01, longitude: s.longitude + 0.01 };
  },
  navigation_waypoints_request: (s, b) => {
    const w = b.waypoints;
    if (!text(w, 4096) || !w.split(',').every((x) => /^refId:\S+$/.test(x))) {
      return 'invalid waypoints param';
    }
    s.route = { latitude: s.latitude + 0.02, longitude: s.longitude + 0.02 };
  },
  take_drivenote: (_s, b) => (text(b.note, 80) ? undefined : 'invalid note param'),
  upcoming_calendar_entries: (_s, b) =>
    text(b.calendar_data, 65_536) ? undefined : 'invalid calendar_data param',
  remote_boombox: (_s, b) =>
    finite(b.sound) && Number.isInteger(b.sound) && b.sound >= 0 ? undefined : 'invalid sound',
  remote_steering_wheel_heat_level_request: (s, b) => {
    const level = b.level;
    if (level !== 0 && level !== 1 && level !== 2) return 'invalid level param';
    // Like the seat heaters: remote comfort settings need the climate on.
    if (!s.climateOn) return 'cabin comfort remote settings not enabled';
    s.steeringWheelHeatLevel = level;
    s.steeringWheelHeater = level > 0;
  },
  remote_auto_steering_wheel_heat_climate_request: (s, b) => {
    if (typeof b.on !== 'boolean') return 'invalid on param';
    s.autoSteeringWheelHeat = b.on;
  },
};
