/**
 * Toolset `parental`: parental controls (activate, deactivate, per-setting switches, speed limit,
 * admin PIN clear). Opt-in: nothing here is in the default set, and every tool asks for
 * confirmation.
 *
 * @module
 */
import { z } from 'zod';
import { PARENTAL_CONTROLS_SETTINGS } from '../../commands/parental.js';
import { commandTool, pin4 } from '../fields.js';

export const parentalTools = [
  commandTool({
    name: 'parental_controls_activate',
    title: 'Activate parental controls',
    shape: { pin: pin4('parental controls') },
    confirm: (_a, v) => `Activate parental controls on ${v}.`,
  }),
  commandTool({
    name: 'parental_controls_deactivate',
    title: 'Deactivate parental controls',
    shape: { pin: pin4('parental controls') },
    confirm: (_a, v) => `Deactivate parental controls on ${v}.`,
  }),
  commandTool({
    name: 'parental_controls_enable_setting',
    title: 'Parental controls setting',
    shape: {
      setting: z.enum(PARENTAL_CONTROLS_SETTINGS).describe('Which setting.'),
      enable: z.boolean().describe('true enables the setting.'),
    },
    confirm: (a, v) => `${a.enable ? 'Enable' : 'Disable'} parental control ${a.setting} on ${v}.`,
  }),
  commandTool({
    name: 'parental_controls_set_speed_limit',
    title: 'Parental controls speed limit',
    shape: { limit_mph: z.number().min(50).max(120).describe('Maximum speed, mph.') },
    confirm: (a, v) => `Set the parental speed limit of ${v} to ${a.limit_mph} mph.`,
  }),
  commandTool({
    name: 'parental_controls_clear_pin_admin',
    title: 'Clear parental PIN (admin)',
    confirm: (_a, v) => `Clear the parental controls PIN of ${v} as administrator.`,
  }),
] as const;
