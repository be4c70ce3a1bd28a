/**
 * The simulated vehicle's state: what commands change and `vehicle_data` shows, and how it moves
 * over time (a charging curve that tapers above 80 %, cabin temperature drifting toward the
 * set point or the outside air, a scheduled software update that installs). Field names follow
 * the Fleet API's `vehicle_data` response.
 *
 * @module
 */

export type VehicleKind = 'modern' | 'legacy' | 'unpaired';

export type ChargingState = 'Disconnected' | 'Stopped' | 'Charging' | 'Complete';

/** Seat heater levels 0–3 by seat index 0–8 (FL, FR, RL, RLB, RC, RR, RRB, 3L, 3R). */
export type SeatLevels = number[];

export interface VehicleState {
  displayName: string;
  carType: string;
  trimBadging: string;
  carVersion: string;
  // security
  locked: boolean;
  sentryMode: boolean;
  valetMode: boolean;
  valetPinSet: boolean;
  pinToDrive: boolean;
  guestMode: boolean;
  remoteStart: boolean;
  speedLimit: { active: boolean; limitMph: number; pinSet: boolean };
  // closures: 0 closed, 1 open (doors, trunks); windows 0 closed, 1 vented
  doors: { df: number; dr: number; pf: number; pr: number };
  frunkOpen: boolean;
  trunkOpen: boolean;
  windowsVented: boolean;
  tonneau: 'open' | 'closed' | 'stopped';
  // climate
  climateOn: boolean;
  insideTemp: number;
  outsideTemp: number;
  driverTemp: number;
  passengerTemp: number;
  seatHeaters: SeatLevels;
  steeringWheelHeater: boolean;
  /** The Fleet API's `level`: 0 off, 1 low, 2 high. */
  steeringWheelHeatLevel: number;
  autoSteeringWheelHeat: boolean;
  climateKeeperMode: 'off' | 'on' | 'dog' | 'camp';
  defrost: boolean;
  bioweaponMode: boolean;
  cabinOverheatProtection: 'Off' | 'On' | 'FanOnly';
  copTemp: number;
  // charging
  batteryLevel: number;
  capacityKwh: number;
  chargeLimit: number;
  chargeAmps: number;
  chargeAmpsMax: number;
  chargerVoltage: number;
  chargingState: ChargingState;
  chargePortOpen: boolean;
  chargeEnergyAdded: number;
  scheduledCharging: { enabled: boolean; minutes: number };
  // drive
  latitude: number;
  longitude: number;
  heading: number;
  odometer: number;
  /** Where the last navigation command sent the car (`active_route_*`). */
  route?: { latitude: number; longitude: number };
  // media
  volume: number;
  playing: boolean;
  // software
  update: { status: '' | 'available' | 'scheduled' | 'installing'; version: string; at: number };
  lowPowerMode: boolean;
  keepAccessoryPower: boolean;
}

export function initialState(kind: VehicleKind, name: string): VehicleState {
  const legacy = kind === 'legacy';
  return {
    displayName: name,
    carType: legacy ? 'models' : 'model3',
    trimBadging: legacy ? 'p90d' : '74d',
    carVersion: legacy ? '2020.48.37.8 5b3e2bd1' : '2024.44.25.3 c1a2b3d4e5',
    locked: true,
    sentryMode: false,
    valetMode: false,
    valetPinSet: false,
    pinToDrive: false,
    guestMode: false,
    remoteStart: false,
    speedLimit: { active: false, limitMph: 85, pinSet: false },
    doors: { df: 0, dr: 0, pf: 0, pr: 0 },
    frunkOpen: false,
    trunkOpen: false,
    windowsVented: false,
    tonneau: 'closed',
    climateOn: false,
    insideTemp: 14.5,
    outsideTemp: 12,
    driverTemp: 21,
    passengerTemp: 21,
    seatHeaters: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    steeringWheelHeater: false,
    steeringWheelHeatLevel: 0,
    autoSteeringWheelHeat: false,
    climateKeeperMode: 'off',
    defrost: false,
    bioweaponMode: false,
    cabinOverheatProtection: 'On',
    copTemp: 2,
    batteryLevel: legacy ? 58 : 64,
    capacityKwh: legacy ? 85 : 75,
    chargeLimit: 80,
    chargeAmps: legacy ? 40 : 32,
    chargeAmpsMax: legacy ? 40 : 48,
    chargerVoltage: 240,
    chargingState: legacy ? 'Disconnected' : 'Stopped',
    chargePortOpen: !legacy,
    chargeEnergyAdded: 0,
    scheduledCharging: { enabled: false, minutes: 0 },
    latitude: legacy ? 37.4946 : 37.3948,
    longitude: legacy ? -121.9443 : -122.1503,
    heading: 180,
    odometer: legacy ? 81234.7 : 15321.4,
    volume: 3.3,
    playing: false,
    update: legacy
      ? { status: '', version: '', at: 0 }
      : { status: 'available', version: '2024.45.32.1', at: 0 },
    lowPowerMode: false,
    keepAccessoryPower: false,
  };
}

/** Charging power in kW at this state of charge: flat up to 80 %, then a linear taper. */
export function chargePowerKw(s: VehicleState): number {
  const acKw = (s.chargeAmps * s.chargerVoltage) / 1000;
  if (s.batteryLevel < 80) return acKw;
  return Math.max(1, acKw * (1 - ((s.batteryLevel - 80) / 20) * 0.7));
}

export function isCharging(s: VehicleState): boolean {
  return s.chargingState === 'Charging';
}

/** Moves the state forward by `ms` of simulated time. */
export function advance(s: VehicleState, ms: number, now: number): void {
  if (ms <= 0) return;
  const hours = ms / 3_600_000;
  if (s.chargingState === 'Charging') {
    const kwh = chargePowerKw(s) * hours;
    s.chargeEnergyAdded = round(s.chargeEnergyAdded + kwh, 2);
    s.batteryLevel = Math.min(s.chargeLimit, s.batteryLevel + (kwh / s.capacityKwh) * 100);
    if (s.batteryLevel >= s.chargeLimit) s.chargingState = 'Complete';
  }
  const target = s.climateOn ? (s.driverTemp + s.passengerTemp) / 2 : s.outsideTemp;
  const rate = s.climateOn ? 1 : 0.05; // °C per minute
  const step = rate * (ms / 60_000);
  const diff = target - s.insideTemp;
  s.insideTemp = Math.abs(diff) <= step ? target : s.insideTemp + Math.sign(diff) * step;
  if (s.update.status === 'scheduled' && now >= s.update.at) {
    s.update = { ...s.update, status: 'installing', at: now + 25 * 60_000 };
  }
  if (s.update.status === 'installing' && now >= s.update.at) {
    s.carVersion = `${s.update.version} sim`;
    s.update = { status: '', version: '', at: 0 };
  }
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
