/**
 * Toolset `security`: locks, trunks, tonneau, remote start, sentry, valet, PIN to drive, speed
 * limit, guest mode, HomeLink, windows and power modes. Risky ones ask for confirmation.
 *
 * @module
 */
import { z } from 'zod';
import { commandTool, latitude, longitude, pin4 } from '../fields.js';

const on = (what: string) => z.boolean().describe(`true turns ${what} on, false off.`);

export const securityTools = [
  commandTool({
    name: 'door_lock',
    title: 'Lock doors',
  }),
  commandTool({
    name: 'door_unlock',
    title: 'Unlock doors',
    confirm: (_a, vin) => `Unlock all doors of ${vin}.`,
  }),
  commandTool({
    name: 'actuate_trunk',
    title: 'Open trunk or frunk',
    shape: { which_trunk: z.enum(['front', 'rear']).describe('front = frunk, rear = trunk.') },
    confirm: (a, vin) =>
      a.which_trunk === 'front'
        ? `Open the frunk of ${vin} (it cannot be closed remotely).`
        : `Open or close the rear trunk of ${vin}.`,
  }),
  commandTool({
    name: 'open_tonneau',
    title: 'Open tonneau',
    confirm: (_a, vin) => `Open the tonneau cover of ${vin}.`,
  }),
  commandTool({
    name: 'close_tonneau',
    title: 'Close tonneau',
  }),
  commandTool({
    name: 'stop_tonneau',
    title: 'Stop tonneau',
  }),
  commandTool({
    name: 'remote_start_drive',
    title: 'Remote start',
    confirm: (_a, vin) => `Allow ${vin} to be driven without a key for 2 minutes.`,
  }),
  commandTool({
    name: 'set_sentry_mode',
    title: 'Sentry mode',
    shape: { on: on('Sentry Mode') },
    confirm: (a, vin) => (a.on ? '' : `Turn Sentry Mode off on ${vin}.`),
  }),
  commandTool({
    name: 'set_valet_mode',
    title: 'Valet mode',
    shape: {
      on: on('Valet Mode'),
      password: pin4('valet').optional().describe('4-digit valet PIN (needed to turn it on).'),
    },
    toParams: (a) => ({ on: a.on, password: a.password ?? '' }),
    confirm: (a, vin) => `Turn Valet Mode ${a.on ? 'on' : 'off'} on ${vin}.`,
  }),
  commandTool({
    name: 'reset_valet_pin',
    title: 'Reset valet PIN',
    confirm: (_a, vin) => `Clear the valet PIN of ${vin}.`,
  }),
  commandTool({
    name: 'set_pin_to_drive',
    title: 'PIN to Drive',
    shape: {
      on: on('PIN to Drive'),
      password: pin4('PIN to Drive').optional().describe('4-digit PIN (needed to turn it on).'),
    },
    toParams: (a) => ({ on: a.on, password: a.password ?? '' }),
    confirm: (a, vin) => `Turn PIN to Drive ${a.on ? 'on' : 'off'} on ${vin}.`,
  }),
  commandTool({
    name: 'speed_limit_activate',
    title: 'Activate speed limit',
    shape: { pin: pin4('speed limit') },
    confirm: (_a, vin) => `Activate Speed Limit Mode on ${vin}.`,
  }),
  commandTool({
    name: 'speed_limit_deactivate',
    title: 'Deactivate speed limit',
    shape: { pin: pin4('speed limit') },
    confirm: (_a, vin) => `Deactivate Speed Limit Mode on ${vin}.`,
  }),
  commandTool({
    name: 'speed_limit_set_limit',
    title: 'Set speed limit',
    shape: { limit_mph: z.number().min(50).max(120).describe('Maximum speed, mph.') },
    confirm: (a, vin) => `Set the speed limit of ${vin} to ${a.limit_mph} mph.`,
  }),
  commandTool({
    name: 'speed_limit_clear_pin',
    title: 'Clear speed limit PIN',
    shape: { pin: pin4('current speed limit') },
    confirm: (_a, vin) => `Clear the speed limit PIN of ${vin}.`,
  }),
  commandTool({
    name: 'guest_mode',
    title: 'Guest mode',
    shape: { enable: z.boolean().describe('true turns Guest Mode on.') },
    confirm: (a, vin) => `Turn Guest Mode ${a.enable ? 'on' : 'off'} on ${vin}.`,
  }),
  commandTool({
    name: 'trigger_homelink',
    title: 'Trigger HomeLink',
    shape: { lat: latitude, lon: longitude },
    confirm: (_a, vin) => `Trigger HomeLink (garage door) from ${vin}.`,
  }),
  commandTool({
    name: 'window_control',
    title: 'Vent or close windows',
    shape: { command: z.enum(['vent', 'close']).describe('vent or close.') },
    toParams: (a) => ({ command: a.command, lat: 0, lon: 0 }),
    confirm: (a, vin) => (a.command === 'vent' ? `Vent all windows of ${vin}.` : ''),
  }),
  commandTool({
    name: 'sun_roof_control',
    title: 'Sunroof',
    shape: { state: z.enum(['vent', 'close', 'open']).describe('Target sunroof state.') },
    confirm: (a, vin) =>
      a.state === 'close' ? '' : `${a.state === 'open' ? 'Open' : 'Vent'} the sunroof of ${vin}.`,
  }),
  commandTool({
    name: 'auto_secure_vehicle',
    title: 'Auto-secure',
  }),
  commandTool({
    name: 'set_low_power_mode',
    title: 'Low power mode',
    shape: { enable: z.boolean().describe('true turns low power mode on.') },
  }),
  commandTool({
    name: 'keep_accessory_power_mode',
    title: 'Keep accessory power',
    shape: { enable: z.boolean().describe('true keeps accessory power on.') },
  }),
  commandTool({
    name: 'flash_lights',
    title: 'Flash lights',
  }),
  commandTool({
    name: 'honk_horn',
    title: 'Honk horn',
  }),
] as const;
