/**
 * Toolset `climate`: HVAC, seats, steering wheel, defrost, keeper modes, overheat protection and
 * precondition schedules. Fleet command names and JSON parameters: vehicle-command `pkg/proxy/command.go`.
 *
 * @module
 */

import { z } from 'zod';
import { HEATED_SEATS, WHEEL_HEAT_LEVELS } from '../../commands/climate.js';
import { commandTool, daysOfWeek, latitude, longitude, minutesAfterMidnight } from '../fields.js';
import { batchRemoveSchedulesTool, removeScheduleTool } from './charging.js';

const on = (what: string) => z.boolean().describe(`true turns ${what} on, false off.`);
const manualOverride = z.boolean().optional().describe('Override the automatic behaviour.');
/** The Fleet API's `seat_position` index order (0–8), from the command layer. */
const SEATS = HEATED_SEATS;
const LEVELS = ['off', 'low', 'medium', 'high'] as const;

export const climateTools = [
  commandTool({
    name: 'auto_conditioning_start',
    title: 'Start climate',
  }),
  commandTool({
    name: 'auto_conditioning_stop',
    title: 'Stop climate',
  }),
  commandTool({
    name: 'set_temps',
    title: 'Set cabin temperatures',
    shape: {
      driver_temp_celsius: z.number().min(15).max(28).describe('Driver side target, °C.'),
      passenger_temp_celsius: z
        .number()
        .min(15)
        .max(28)
        .optional()
        .describe('Passenger side target, °C (default: same as driver).'),
    },
    toParams: (a) => ({
      driver_temp: a.driver_temp_celsius,
      passenger_temp: a.passenger_temp_celsius ?? a.driver_temp_celsius,
    }),
  }),
  commandTool({
    name: 'set_climate_keeper_mode',
    title: 'Set climate keeper mode',
    shape: {
      mode: z.enum(['off', 'on', 'dog', 'camp']).describe('Climate keeper mode.'),
      manual_override: manualOverride,
    },
    toParams: (a) => ({
      climate_keeper_mode: ['off', 'on', 'dog', 'camp'].indexOf(a.mode),
      manual_override: a.manual_override ?? false,
    }),
  }),
  commandTool({
    name: 'remote_seat_heater_request',
    title: 'Set seat heater',
    shape: {
      seat: z.enum(SEATS).describe('Which seat.'),
      level: z.enum(LEVELS).describe('Heater level.'),
    },
    toParams: (a) => ({ seat_position: SEATS.indexOf(a.seat), level: LEVELS.indexOf(a.level) }),
  }),
  commandTool({
    name: 'remote_seat_cooler_request',
    title: 'Set seat cooler',
    shape: {
      seat: z.enum(['front_left', 'front_right']).describe('Which front seat.'),
      level: z.enum(LEVELS).describe('Cooling level.'),
    },
    // Tesla's HvacSeatCoolerLevel: 1 off, 2 low, 3 medium, 4 high.
    toParams: (a) => ({
      seat_position: a.seat === 'front_left' ? 1 : 2,
      seat_cooler_level: LEVELS.indexOf(a.level) + 1,
    }),
  }),
  commandTool({
    name: 'remote_auto_seat_climate_request',
    title: 'Set automatic seat climate',
    shape: {
      seat: z.enum(['front_left', 'front_right']).describe('Which front seat.'),
      auto_climate_on: z.boolean().describe('true for automatic seat climate.'),
    },
    toParams: (a) => ({
      auto_seat_position: a.seat === 'front_left' ? 1 : 2,
      auto_climate_on: a.auto_climate_on,
    }),
  }),
  commandTool({
    name: 'remote_steering_wheel_heater_request',
    title: 'Steering wheel heater',
    shape: { on: on('the steering wheel heater') },
  }),
  commandTool({
    name: 'remote_steering_wheel_heat_level_request',
    title: 'Steering wheel heat level',
    shape: { level: z.enum(WHEEL_HEAT_LEVELS).describe('Heat level.') },
    toParams: (a) => ({ level: WHEEL_HEAT_LEVELS.indexOf(a.level) }),
  }),
  commandTool({
    name: 'remote_auto_steering_wheel_heat_climate_request',
    title: 'Automatic steering wheel heat',
    shape: { on: on('automatic steering wheel heat') },
  }),
  commandTool({
    name: 'set_bioweapon_mode',
    title: 'Bioweapon defense mode',
    shape: { on: on('bioweapon defense mode'), manual_override: manualOverride },
    toParams: (a) => ({ on: a.on, manual_override: a.manual_override ?? false }),
  }),
  commandTool({
    name: 'set_preconditioning_max',
    title: 'Max defrost',
    shape: { on: on('max defrost'), manual_override: manualOverride },
    toParams: (a) => ({ on: a.on, manual_override: a.manual_override ?? false }),
  }),
  commandTool({
    name: 'set_cabin_overheat_protection',
    title: 'Cabin overheat protection',
    shape: {
      on: on('cabin overheat protection'),
      fan_only: z.boolean().optional().describe('Use the fan only, no A/C.'),
    },
    toParams: (a) => ({ on: a.on, fan_only: a.fan_only ?? false }),
  }),
  commandTool({
    name: 'set_cop_temp',
    title: 'Overheat protection temperature',
    shape: { level: z.enum(['low', 'medium', 'high']).describe('Activation temperature.') },
    toParams: (a) => ({ cop_temp: ['low', 'medium', 'high'].indexOf(a.level) + 1 }),
  }),
  commandTool({
    name: 'add_precondition_schedule',
    title: 'Add precondition schedule',
    shape: {
      id: z
        .number()
        .int()
        .min(0)
        .max(4_294_967_295)
        .optional()
        .describe('Id to replace; omit for new.'),
      precondition_time_minutes: minutesAfterMidnight('Ready time'),
      days_of_week: daysOfWeek,
      lat: latitude,
      lon: longitude,
      one_time: z.boolean().optional().describe('Run once.'),
      enabled: z.boolean().optional().describe('Enabled (default true).'),
    },
    toParams: (a) => ({
      id: a.id ?? 0,
      precondition_time: a.precondition_time_minutes,
      days_of_week: a.days_of_week,
      lat: a.lat,
      lon: a.lon,
      one_time: a.one_time ?? false,
      enabled: a.enabled ?? true,
    }),
  }),
  removeScheduleTool('precondition'),
  batchRemoveSchedulesTool('precondition'),
] as const;
