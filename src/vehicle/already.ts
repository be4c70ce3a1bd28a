/**
 * The vehicle's answers that say the target state already holds: the car declines the command
 * (`CarServer` `OPERATIONSTATUS_ERROR` with a plain-text reason, or REST
 * `{"response":{"result":false,"reason":"…"}}`) although nothing needed doing. Such an answer is
 * a success with `changed: false` and a sentence saying so, never an error.
 *
 * One row per reason string, each with where it is documented. Tesla's Fleet API docs list no
 * reasons; these are the ones Tesla's Go SDK and the widely used Fleet API clients handle:
 * - teslamotors/vehicle-command `pkg/vehicle/security.go` (`SetValetMode` treats a reason ending
 *   in "already off" as success);
 * - home-assistant/core `homeassistant/components/tesla_fleet/helpers.py`
 *   (`handle_vehicle_command` accepts `already_set`, `not_charging`, `requested`);
 * - evcc-io/evcc `vehicle/tesla/controller.go` (`ChargeEnable` accepts `complete` and
 *   `is_charging` from `charge_start`).
 *
 * The reason may reach us bare (`already_set`) or behind a prefix (`car could not execute
 * command: already off`, the Go SDK's NominalError text), so a row matches the whole reason or
 * its last `: ` part.
 *
 * @module
 */

type Params = Readonly<Record<string, unknown>>;

export interface AlreadyRow {
  /** The reason text as the vehicle sends it. */
  readonly reason: string;
  /** The Fleet commands it is a no-op for; `undefined`: any command. */
  readonly commands?: readonly string[];
  /**
   * `unchanged`: the target state already held (`changed: false`). `accepted`: the car took the
   * request and carries it out on its own (`changed` unknown, reported as accepted).
   */
  readonly outcome: 'unchanged' | 'accepted';
  /** Where the reason is documented (see the module doc). */
  readonly source: string;
  /** The sentence for the model, from the command name and the caller's parameters. */
  readonly sentence: (name: string, params: Params) => string;
}

const GO_SDK = 'teslamotors/vehicle-command pkg/vehicle/security.go';
const HOME_ASSISTANT = 'home-assistant/core homeassistant/components/tesla_fleet/helpers.py';
const EVCC = 'evcc-io/evcc vehicle/tesla/controller.go';

function num(p: Params, key: string): string | undefined {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** What `already_set` means for the setters whose value we know. */
function alreadySet(name: string, p: Params): string {
  switch (name) {
    case 'set_charge_limit': {
      const v = num(p, 'percent');
      return v ? `charge limit was already ${v}%` : 'the charge limit was already set';
    }
    case 'set_charging_amps': {
      const v = num(p, 'charging_amps');
      return v ? `charging current was already ${v} A` : 'the charging current was already set';
    }
    case 'charge_standard':
      return 'charge limit was already at the standard setting';
    case 'charge_max_range':
      return 'charge limit was already at max range';
    case 'set_temps': {
      const d = num(p, 'driver_temp');
      return d ? `cabin temperature was already ${d} °C` : 'the temperatures were already set';
    }
    default:
      return `${name}: the requested setting was already in place`;
  }
}

/** A subject for "already on/off" sentences. */
function subject(name: string): string {
  const known: Record<string, string> = {
    set_valet_mode: 'valet mode',
    set_sentry_mode: 'Sentry Mode',
    set_pin_to_drive: 'PIN to Drive',
    guest_mode: 'guest mode',
    set_bioweapon_mode: 'Bioweapon Defense Mode',
    set_preconditioning_max: 'defrost',
    auto_conditioning_start: 'climate',
    auto_conditioning_stop: 'climate',
    speed_limit_activate: 'speed limit mode',
    speed_limit_deactivate: 'speed limit mode',
  };
  return known[name] ?? name.replace(/_/g, ' ');
}

export const ALREADY_REASONS: readonly AlreadyRow[] = [
  {
    reason: 'already_set',
    outcome: 'unchanged',
    source: HOME_ASSISTANT,
    sentence: alreadySet,
  },
  {
    reason: 'not_charging',
    commands: ['charge_stop'],
    outcome: 'unchanged',
    source: HOME_ASSISTANT,
    sentence: () => 'the car was not charging',
  },
  {
    reason: 'is_charging',
    commands: ['charge_start'],
    outcome: 'unchanged',
    source: EVCC,
    sentence: () => 'the car was already charging',
  },
  {
    reason: 'complete',
    commands: ['charge_start'],
    outcome: 'unchanged',
    source: EVCC,
    sentence: () => 'charging is already complete: the battery is at its charge limit',
  },
  {
    reason: 'already off',
    outcome: 'unchanged',
    source: GO_SDK,
    sentence: (name) => `${subject(name)} was already off`,
  },
  {
    // The `on` twin of the Go SDK's "already off" (same wording, other state).
    reason: 'already on',
    outcome: 'unchanged',
    source: GO_SDK,
    sentence: (name) => `${subject(name)} was already on`,
  },
  {
    reason: 'requested',
    outcome: 'accepted',
    source: HOME_ASSISTANT,
    sentence: (name) => `the car accepted ${name} and carries it out on its own`,
  },
];

/** A no-op answer recognised by {@link matchAlready}. */
export interface AlreadyMatch {
  row: AlreadyRow;
  /** The reason as the vehicle sent it. */
  reason: string;
  /** The sentence for the caller. */
  message: string;
}

function core(reason: string): string {
  const r = reason.trim().toLowerCase();
  const i = r.lastIndexOf(': ');
  return i < 0 ? r : r.slice(i + 2);
}

/**
 * The row for a vehicle's reason, when it says the command needed no doing; `undefined` for a
 * real refusal. Without a command name only rows for any command apply.
 */
export function matchAlready(
  name: string | undefined,
  reason: string,
  params: Params = {},
): AlreadyMatch | undefined {
  if (!reason) return undefined;
  const r = core(reason);
  const row = ALREADY_REASONS.find(
    (x) => x.reason === r && (x.commands === undefined || (name && x.commands.includes(name))),
  );
  if (!row) return undefined;
  return { row, reason, message: row.sentence(name ?? 'the command', params) };
}
