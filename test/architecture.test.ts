/**
 * One home per concept: each rule in {@link HOMES} is
 * exported from exactly one module under `src/`; every other module that uses it imports it
 * from there (directly, or through a barrel `index.ts` that re-exports it from there); and no
 * other module writes the rule out again, as recognised by the row's `copies` patterns (matched
 * on source text with comments removed). Add a row when a concept gets its home.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

interface Home {
  concept: string;
  /** The module that exports it, relative to the repository root. */
  home: string;
  /** Names exported from `home` and declared nowhere else. */
  names: readonly string[];
  /** Code that only `home` may contain: the rule written out again. */
  copies: readonly RegExp[];
  /** A re-implementation that `copies` must catch (proves the row can fail). */
  example: string;
}

const HOMES: readonly Home[] = [
  {
    concept: 'VIN rule (17 characters, no I, O, Q)',
    home: 'src/util/vin.ts',
    names: ['VIN_RE', 'VIN_LENGTH', 'isVin', 'normalizeVin'],
    copies: [/\{17\}/, /A-HJ-NPR/, /\.length\s*[!=]==?\s*17\b/],
    example: "const VIN = /^[A-Z0-9]{17}$/; if (vin.length !== 17) throw new Error('vin');",
  },
  {
    concept: 'Tesla-host rule and the token audience → Fleet host rule',
    home: 'src/fleet/regions.ts',
    names: ['isTeslaHost', 'acceptableSwitch', 'decodeJwtClaims', 'regionFromClaims'],
    copies: [/['"`]\.tesla\.(com|cn)['"`]/, /\.teslamotors\.com/, /['"`]fleet-api\.['"`]/],
    example: "const ok = ['.tesla.com', '.tesla.cn'].some((s) => host.endsWith(s));",
  },
  {
    concept: 'loopback rule (where plain HTTP and running without auth are allowed)',
    home: 'src/util/loopback.ts',
    names: ['isLoopbackHost'],
    copies: [/startsWith\(\s*['"`]127\./, /\^127/, /===\s*['"`]::1['"`]/],
    example: "const local = h === 'localhost' || h === '::1' || /^127(\\.\\d{1,3}){3}$/.test(h);",
  },
  {
    concept:
      "the command line a hint names (`tesla-mcp login` run the way this install's CLI runs)",
    home: 'src/util/cli-command.ts',
    names: ['cliCommand', 'setCliPrefix', 'detectCliPrefix'],
    copies: [/(run|with|Next:) \\?`(npx (-y )?)?tesla-mcp [a-z]/, /npx (-y )?tesla-mcp [a-z]/],
    example: "throw new Error('fleet: not logged in: run `npx tesla-mcp login`');",
  },
  {
    concept: 'constant-time comparison of a presented secret',
    home: 'src/util/safe-equal.ts',
    names: ['safeEqual'],
    copies: [/timingSafeEqual/],
    example: 'const ok = a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));',
  },
  {
    concept: 'Retry-After parsing',
    home: 'src/fleet/classify.ts',
    names: ['retryAfterFrom'],
    // Reading the header (`h['retry-after']`, `get('Retry-After')`); writing it is fine.
    copies: [/ratelimit-reset/i, /['"`]retry-after['"`]\s*(\)|\](?!\s*=[^=]))/i],
    example: "const s = Number(res.headers['retry-after'] ?? res.headers.get('RateLimit-Reset'));",
  },
  {
    concept: 'vehicle_data sections (the endpoints list and its default selection)',
    home: 'src/fleet/api/vehicles.ts',
    names: ['VEHICLE_DATA_ENDPOINTS', 'DEFAULT_VEHICLE_DATA'],
    // Two section names side by side in a list: the list written out again.
    copies: [
      /['"`](charge_state|climate_state|closures_state|drive_state|gui_settings|location_data|vehicle_config|vehicle_state)['"`]\s*,\s*['"`](charge_state|climate_state|closures_state|drive_state|gui_settings|location_data|vehicle_config|vehicle_state)['"`]/,
    ],
    example: "const ENDPOINTS = ['charge_state', 'climate_state', 'drive_state'] as const;",
  },
  {
    concept: 'node:http server helpers (capped body read, whole answers)',
    home: 'src/util/http-server.ts',
    names: ['readBody', 'sendBody', 'sendJson', 'sendText', 'RequestTooLargeError'],
    copies: [/for\s+await\s*\(\s*const\s+\w+\s+of\s+req\b/],
    example: 'for await (const chunk of req as AsyncIterable<Buffer>) size += chunk.length;',
  },
  {
    concept: 'Effect of a command or tool, and the resend rule that follows from it',
    home: 'src/commands/effect.ts',
    names: ['Effect', 'EFFECTS', 'mayResend'],
    copies: [
      /['"`]read['"`]\s*\|\s*['"`]idempotent['"`]/,
      /effect\s*[!=]==\s*['"`](idempotent|write|destructive)['"`]/,
      /nonIdempotent/,
    ],
    example: "type Effect = 'read' | 'idempotent'; const again = row.effect !== 'write';",
  },
  {
    concept: 'Tesla OAuth scope names and the scope sets commands, endpoints and tools need',
    home: 'src/commands/scopes.ts',
    names: [
      'DEFAULT_SCOPES',
      'OAuthScope',
      'SESSION_SCOPES',
      'PARTNER_SCOPES',
      'VEHICLE_CMDS',
      'CHARGING_CMDS',
      'DEVICE_DATA',
      'ENERGY_DATA',
      'ENERGY_CMDS',
      'USER_DATA',
    ],
    copies: [
      /['"`](openid|offline_access|user_data|vehicle_device_data|vehicle_location|vehicle_cmds|vehicle_charging_cmds|energy_device_data|energy_cmds)['"`]/,
    ],
    example: "await api.requireScopes(['vehicle_location']);",
  },
];

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'gen' && name !== 'gen-ext') sources(path, out);
    } else if (name.endsWith('.ts')) {
      out.push(relative(ROOT, path));
    }
  }
  return out;
}

/** Source text without comments (`//` after `:` or a quote is kept: URLs in strings). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const FILES = new Map(
  sources(join(ROOT, 'src')).map((f) => [f, code(readFileSync(join(ROOT, f), 'utf8'))]),
);

const declares = (name: string) =>
  new RegExp(
    `(?:function\\*?|const|let|var|class|type|interface|enum)\\s+${name}\\b(?!\\s*(?:,|\\}|\\bas\\b))`,
  );
const exportsDecl = (name: string) =>
  new RegExp(
    `export\\s+(?:async\\s+)?(?:function\\*?|const|let|class|type|interface|enum)\\s+${name}\\b`,
  );

/** The modules `file` imports `name` from (resolved to repository paths). */
function importsOf(file: string, text: string, name: string): string[] {
  const out: string[] = [];
  const re = /(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) {
    const list = (m[1] ?? '').split(',').map((s) => s.trim().replace(/^type\s+/, ''));
    if (!list.some((s) => s === name || s.startsWith(`${name} `))) continue;
    const spec = m[2] ?? '';
    if (!spec.startsWith('.')) continue;
    out.push(relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** Whether `from` is the home, or a barrel that re-exports `name` from the home. */
function leadsHome(from: string, name: string, home: string): boolean {
  if (from === home) return true;
  const text = FILES.get(from);
  return (
    from.endsWith('/index.ts') && text !== undefined && importsOf(from, text, name).includes(home)
  );
}

describe('one home per concept', () => {
  for (const row of HOMES) {
    describe(row.concept, () => {
      it(`is exported from ${row.home}`, () => {
        const text = FILES.get(row.home);
        assert.ok(text, `${row.home} is missing`);
        for (const name of row.names) assert.match(text, exportsDecl(name), name);
      });

      it('is declared in no other module', () => {
        for (const name of row.names) {
          const elsewhere = [...FILES]
            .filter(([f, t]) => f !== row.home && declares(name).test(t))
            .map(([f]) => f);
          assert.deepEqual(elsewhere, [], `${name} declared outside ${row.home}`);
        }
      });

      it('is imported from its home wherever it is used', () => {
        for (const name of row.names) {
          const word = new RegExp(`\\b${name}\\b`);
          const wrong = [...FILES]
            .filter(([f, t]) => f !== row.home && word.test(t))
            .filter(([f, t]) => !importsOf(f, t, name).some((m) => leadsHome(m, name, row.home)))
            .map(([f]) => f);
          assert.deepEqual(wrong, [], `${name} used without importing it from ${row.home}`);
        }
      });

      it('is not written out again elsewhere', () => {
        assert.ok(
          row.copies.some((re) => re.test(code(row.example))),
          'the patterns catch the example copy',
        );
        const copies = [...FILES]
          .filter(([f]) => f !== row.home)
          .flatMap(([f, t]) => row.copies.filter((re) => re.test(t)).map((re) => `${f}: ${re}`));
        assert.deepEqual(copies, [], `copies of the ${row.concept}`);
      });
    });
  }
});

/**
 * Fleet API paths are written in `src/fleet` (the client and its typed endpoint groups, which
 * also check scopes) and answered in `src/sim`; the MCP tools and the CLI call `src/fleet/api`.
 * Elsewhere a path may only be a route the proxy matches on incoming requests.
 */
describe('Fleet API paths have one home', () => {
  /** A string or template literal that starts with a Fleet path: the path up to its first hole. */
  const FLEET_PATH = /['"`}](\/api\/1\/[\w/]*)/g;
  const HOMES_OF_PATHS = ['src/fleet/', 'src/sim/'];
  /** `file: path` of each route the proxy matches on incoming requests. */
  const INCOMING_ROUTES = new Set([
    'src/proxy/telemetry.ts: /api/1/vehicles/fleet_telemetry_config',
  ]);

  const occurrences = (files: Iterable<[string, string]>) =>
    [...files].flatMap(([f, t]) => [...t.matchAll(FLEET_PATH)].map((m) => `${f}: ${m[1]}`));

  it('the check finds a hand-written path, and not one in a comment', () => {
    const tool = "const me = await deps.fleet.request('GET', '/api/1/users/me');";
    assert.deepEqual(occurrences([['src/mcp/x.ts', code(tool)]]), [
      'src/mcp/x.ts: /api/1/users/me',
    ]);
    assert.deepEqual(occurrences([['src/mcp/x.ts', code("// request('/api/1/users/me')")]]), []);
  });

  it('appears outside src/fleet and src/sim only as a proxy route', () => {
    const outside = [...FILES].filter(([f]) => !HOMES_OF_PATHS.some((h) => f.startsWith(h)));
    const found = occurrences(outside).filter((o) => !INCOMING_ROUTES.has(o));
    assert.deepEqual(found, [], 'call a src/fleet/api method (add one there if it is missing)');
  });
});
