/**
 * Toolset `navigation`: send destinations, coordinates, Superchargers and waypoints to the car.
 * `navigation_request` is a REST command on every car; the others are signed on 2021+ cars with
 * messages of our extension module (`proto-ext/`) and sent as REST commands to older cars.
 *
 * @module
 */
import { z } from 'zod';
import { commandTool, latitude, longitude } from '../fields.js';

export const navigationTools = [
  commandTool({
    name: 'navigation_request',
    title: 'Navigate to address',
    shape: {
      address: z.string().trim().min(1).max(500).describe('Address or place to navigate to.'),
      locale: z
        .string()
        .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
        .optional()
        .describe('Locale (default en-US).'),
    },
    toParams: (a) => ({
      type: 'share_ext_content_raw',
      locale: a.locale ?? 'en-US',
      timestamp_ms: String(Date.now()),
      value: { 'android.intent.extra.TEXT': a.address },
    }),
  }),
  commandTool({
    name: 'navigation_gps_request',
    title: 'Navigate to coordinates',
    shape: {
      lat: latitude,
      lon: longitude,
      order: z
        .number()
        .int()
        .min(1)
        .max(3)
        .optional()
        .describe('1 replaces the trip (default), 2 adds the stop first, 3 adds it last.'),
    },
    toParams: (a) => ({ lat: a.lat, lon: a.lon, order: a.order ?? 1 }),
  }),
  commandTool({
    name: 'navigation_sc_request',
    title: 'Navigate to Supercharger',
    shape: {
      order: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .optional()
        .describe('Trip order, sent as is (default 1).'),
    },
    toParams: (a) => ({ order: a.order ?? 1 }),
  }),
  commandTool({
    name: 'navigation_waypoints_request',
    title: 'Navigate via waypoints',
    shape: {
      place_ids: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{1,200}$/))
        .min(1)
        .max(20)
        .describe('Google Place ids, in order.'),
    },
    toParams: (a) => ({ waypoints: a.place_ids.map((id) => `refId:${id}`).join(',') }),
  }),
  commandTool({
    name: 'take_drivenote',
    title: 'Take drive note',
    shape: { note: z.string().min(1).max(80).describe('Note text.') },
  }),
] as const;
