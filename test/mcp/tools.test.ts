import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, isFleetCommandName } from '../../src/commands/registry.js';
import { vin } from '../../src/mcp/fields.js';
import { listEntry } from '../../src/mcp/server.js';
import { ALL_TOOLS, TOOLSETS } from '../../src/mcp/toolsets/index.js';
import { connect, fakeDeps } from '../helpers/fake-deps.js';
import { ROWS_BY_GROUP } from '../helpers/registry-groups.js';
import { UNEXPOSED } from '../helpers/unexposed.js';

const NAME_RE = /^[a-z][a-z0-9_]{0,47}$/;

/**
 * The tools that only read state of this process or machine (`docs/design/tools.md`:
 * `openWorldHint: false`). `get_key_status` is not one: with `check_vehicle` it asks the car.
 */
const LOCAL_ONLY = ['get_billing_summary', 'get_token_status', 'get_pairing_link'];

describe('tool invariants over ALL_TOOLS', () => {
  it('names are unique and match the regex', () => {
    const seen = new Set<string>();
    for (const t of ALL_TOOLS) {
      assert.match(t.name, NAME_RE, t.name);
      assert.ok(!seen.has(t.name), `duplicate tool ${t.name}`);
      seen.add(t.name);
    }
    assert.ok(
      ALL_TOOLS.length >= 96,
      `at least the 96 tools of ysrdevs/tesla-mcp, got ${ALL_TOOLS.length}`,
    );
  });

  it('title, effect, scopes and a description of at most 300 characters', () => {
    for (const t of ALL_TOOLS) {
      assert.ok(t.title.length > 0, t.name);
      assert.ok(['read', 'idempotent', 'write', 'destructive'].includes(t.effect), t.name);
      assert.ok(Array.isArray(t.scopes), t.name);
      assert.ok(
        t.description.length > 10 && t.description.length <= 300,
        `${t.name}: ${t.description.length}`,
      );
    }
  });

  it('a tool named after a Fleet command has the effect and scopes of its registry row', () => {
    const named = ALL_TOOLS.filter((t) => isFleetCommandName(t.name));
    assert.ok(
      named.some((t) => t.name === 'wake_up'),
      'wake_up is one of them',
    );
    for (const t of named) {
      const row = COMMANDS[t.name as keyof typeof COMMANDS];
      assert.equal(t.effect, row.effect, t.name);
      assert.deepEqual([...t.scopes], [...row.scopes], t.name);
    }
  });

  it('one rule decides gating and annotations', () => {
    for (const t of ALL_TOOLS) {
      const gated = t.confirm !== undefined;
      assert.equal(t.annotations.readOnlyHint, t.effect === 'read', t.name);
      assert.equal(
        t.annotations.idempotentHint,
        t.effect === 'read' || t.effect === 'idempotent',
        t.name,
      );
      // Every gated tool is destructive to the client, whatever its resend rule says, and says
      // so on the wire rather than through the MCP default (a client may not apply defaults).
      assert.equal(t.annotations.destructiveHint, t.effect === 'destructive' || gated, t.name);
      if (gated || t.effect === 'destructive') {
        for (const mode of ['elicit', 'never', 'deny'] as const) {
          assert.equal(listEntry(t, mode).annotations?.destructiveHint, true, `${t.name} ${mode}`);
        }
      }
      assert.equal(t.annotations.openWorldHint, !LOCAL_ONLY.includes(t.name), t.name);
      if (gated) assert.notEqual(t.effect, 'read', `${t.name}: a read tool is never gated`);
      if (t.effect === 'destructive') assert.ok(gated, `${t.name} is destructive without confirm`);
    }
  });

  it('flat object inputs, every field described, no top-level combinators', () => {
    for (const t of ALL_TOOLS) {
      assert.equal(t.input.def.type, 'object', t.name);
      for (const [field, schema] of Object.entries(t.input.shape)) {
        // The shared vin is described once, in the server instructions (src/mcp/fields.ts).
        if (schema === vin) continue;
        const s = schema as { description?: string };
        assert.ok(
          s.description && s.description.length > 2,
          `${t.name}.${field} lacks .describe()`,
        );
      }
    }
  });

  it('risky tools ask for confirmation', () => {
    for (const name of [
      'door_unlock',
      'remote_start_drive',
      'actuate_trunk',
      'erase_user_data',
      'share_invites_create',
      'set_valet_mode',
      'set_pin_to_drive',
      'speed_limit_set_limit',
      'drivers_remove',
      'share_invites_revoke',
      'sun_roof_control',
      'time_of_use_settings',
      'schedule_software_update',
    ]) {
      assert.ok(ALL_TOOLS.find((t) => t.name === name)?.confirm, name);
    }
    const sentence = (name: string, args: Record<string, unknown>) =>
      ALL_TOOLS.find((t) => t.name === name)?.confirm?.(args as never);
    // Opening to the outside is gated; closing is not (as with windows).
    assert.match(sentence('sun_roof_control', { state: 'open' }) ?? '', /Open the sunroof/);
    assert.match(sentence('sun_roof_control', { state: 'vent' }) ?? '', /Vent the sunroof/);
    assert.equal(sentence('sun_roof_control', { state: 'close' }), '');
    assert.equal(sentence('window_control', { command: 'close' }), '');
    assert.equal(sentence('set_sentry_mode', { on: true }), '');
  });

  it('every toolset of the README exists and is non-empty', () => {
    assert.deepEqual(Object.keys(TOOLSETS).sort(), [
      'account',
      'charging',
      'climate',
      'energy',
      'keys',
      'media',
      'navigation',
      'parental',
      'security',
      'sharing',
      'telemetry',
      'vehicle',
    ]);
    for (const [n, tools] of Object.entries(TOOLSETS)) assert.ok(tools.length > 0, n);
  });

  it('every registry command has a tool or an UNEXPOSED reason', async () => {
    let names: string[];
    try {
      const reg = (await import('../../src/commands/registry.js' as string)) as {
        COMMANDS: Record<string, unknown>;
      };
      names = Object.keys(reg.COMMANDS);
    } catch {
      // The registry (src/commands) has not landed: check the proxy's command table instead.
      names = PROXY_COMMANDS;
    }
    const tools = new Set(ALL_TOOLS.map((t) => t.name));
    const missing = names.filter((n) => !tools.has(n) && !(n in UNEXPOSED));
    assert.deepEqual(missing, [], 'registry commands without a tool or UNEXPOSED reason');
    for (const [n, why] of Object.entries(UNEXPOSED)) assert.ok(why.length > 10, `${n}: reason`);
  });
});

/** Every REST name of the Go proxy's table (vehicle-command `pkg/proxy/command.go`). */
const PROXY_COMMANDS =
  'adjust_volume remote_boombox media_next_fav media_prev_fav media_next_track media_prev_track media_volume_down media_volume_up media_toggle_playback auto_conditioning_start auto_conditioning_stop charge_max_range remote_seat_cooler_request remote_seat_heater_request remote_auto_seat_climate_request remote_steering_wheel_heater_request set_bioweapon_mode set_cabin_overheat_protection set_climate_keeper_mode set_cop_temp set_preconditioning_max set_temps actuate_trunk charge_port_door_open charge_port_door_close flash_lights honk_horn remote_start_drive open_tonneau close_tonneau stop_tonneau set_low_power_mode keep_accessory_power_mode charge_standard charge_start charge_stop set_charging_amps set_scheduled_charging set_charge_limit set_scheduled_departure add_charge_schedule add_precondition_schedule remove_charge_schedule remove_precondition_schedule set_managed_charge_current_request set_managed_charger_location set_managed_scheduled_charging_time wake_up set_pin_to_drive clear_pin_to_drive_admin door_lock door_unlock erase_user_data reset_pin_to_drive_pin reset_valet_pin guest_mode set_sentry_mode set_valet_mode set_vehicle_name speed_limit_activate speed_limit_deactivate speed_limit_clear_pin speed_limit_clear_pin_admin speed_limit_set_limit parental_controls_activate parental_controls_deactivate parental_controls_enable_setting parental_controls_set_speed_limit parental_controls_clear_pin_admin trigger_homelink schedule_software_update cancel_software_update navigation_request window_control'.split(
    ' ',
  );

describe('toolsnaps', () => {
  const dir = join(import.meta.dirname, '__toolsnaps__');
  it('each tool schema matches test/mcp/__toolsnaps__/<name>.json', async () => {
    const { deps } = fakeDeps();
    const { client, close } = await connect(deps, { toolsets: Object.keys(TOOLSETS) as never });
    const { tools } = await client.listTools();
    await close();
    // enable_toolsets is offered only when the toolsets are not pinned.
    const unpinned = await connect(deps);
    const enable = (await unpinned.client.listTools()).tools.find(
      (t) => t.name === 'enable_toolsets',
    );
    await unpinned.close();
    assert.ok(enable, 'enable_toolsets is listed when the toolsets are not pinned');
    tools.push(enable);
    const update = process.env.UPDATE_TOOLSNAPS === '1';
    const ci = process.env.CI === 'true';
    mkdirSync(dir, { recursive: true });
    const problems: string[] = [];
    for (const tool of tools) {
      const file = join(dir, `${tool.name}.json`);
      const text = `${JSON.stringify(sortKeys(tool), null, 2)}\n`;
      if (update || (!ci && !existsSync(file))) {
        writeFileSync(file, text);
        continue;
      }
      if (!existsSync(file)) problems.push(`${tool.name}: snapshot missing`);
      else if (readFileSync(file, 'utf8') !== text) problems.push(`${tool.name}: schema changed`);
    }
    const live = new Set(tools.map((t) => `${t.name}.json`));
    for (const f of readdirSync(dir))
      if (!live.has(f)) problems.push(`${f}: no such tool any more`);
    assert.deepEqual(problems, [], 'run UPDATE_TOOLSNAPS=1 npm test and review the diff');
  });
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

describe('module map', () => {
  it("every command tool's registry row sits in src/commands/registry-<its toolset>.ts", async () => {
    const { readdirSync: ls } = await import('node:fs');
    const dir = join(import.meta.dirname, '../../src/commands');
    const rowsFile = new Map<string, string>();
    const files = ls(dir).filter((n) => /^registry-[a-z]+\.ts$/.test(n));
    assert.deepEqual(
      files.map((f) => f.slice('registry-'.length, -'.ts'.length)).sort(),
      Object.keys(ROWS_BY_GROUP).sort(),
      'every registry-<group>.ts file is listed in test/helpers/registry-groups.ts',
    );
    for (const [group, rows] of Object.entries(ROWS_BY_GROUP)) {
      assert.ok(group in TOOLSETS, `registry-${group}.ts: no toolset named ${group}`);
      for (const name of Object.keys(rows)) rowsFile.set(name, group);
    }
    for (const [toolset, tools] of Object.entries(TOOLSETS)) {
      for (const t of tools) {
        const group = rowsFile.get(t.name);
        if (group !== undefined) assert.equal(group, toolset, `${t.name}: row file vs toolset`);
      }
    }
    assert.ok(rowsFile.size > 80, 'every registry row was found');
  });
});
