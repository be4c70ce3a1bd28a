/**
 * The simulator's status page at `/`: plain HTML and a little inline script that polls
 * `/sim/status.json` every second and shows each vehicle's state and the last commands it
 * verified, so a person can watch what an AI does to the car. It never shows the token or keys.
 *
 * @module
 */

import type { SimFleet } from './fleet.js';
import { PRICE_USD } from './limits.js';
import { round } from './state.js';

export const STATUS_JSON_PATH = '/sim/status.json';

/** What the status page shows: no secrets. */
export function statusJson(fleet: SimFleet): Record<string, unknown> {
  const counts = fleet.counter.snapshot();
  const usd =
    counts.billable.data * PRICE_USD.data +
    counts.billable.commands * PRICE_USD.commands +
    counts.billable.wakes * PRICE_USD.wakes;
  return {
    simulated: true,
    now: fleet.now(),
    vehicles: [...fleet.vehicles.values()].map((v) => {
      const s = v.state;
      return {
        vin: v.vin,
        kind: v.kind,
        name: s.displayName,
        state: v.status,
        locked: s.locked,
        climate_on: s.climateOn,
        inside_temp: round(s.insideTemp),
        driver_temp: s.driverTemp,
        battery_level: Math.floor(s.batteryLevel),
        charge_limit: s.chargeLimit,
        charging_state: s.chargingState,
        sentry_mode: s.sentryMode,
        valet_mode: s.valetMode,
        odometer: s.odometer,
        paired_keys: v.kind === 'unpaired' ? 0 : v.paired.size,
        commands: v.history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
      };
    }),
    energy_site: fleet.site.liveStatus(),
    requests: { ...counts, estimated_cost_usd: Math.round(usd * 10_000) / 10_000 },
  };
}

export function statusPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tesla-mcp simulated fleet</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; background: #fafafa; }
  h1 { font-size: 1.3rem; } .sim { color: #b00; font-weight: 600; }
  .car, .site { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: .8rem 1rem; margin: 0 0 1rem; }
  table { border-collapse: collapse; } td, th { padding: .15rem .6rem .15rem 0; text-align: left; vertical-align: top; }
  .ok { color: #070; } .err { color: #b00; } code { font-size: 12px; }
</style>
</head>
<body>
<h1>tesla-mcp <span class="sim">simulated</span> fleet</h1>
<p>No real vehicle is involved. This page refreshes every second. <span id="counts"></span></p>
<div id="cars">Loading…</div>
<div id="site" class="site"></div>
<script>
const esc = (v) => String(v).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
function car(v) {
  const rows = [
    ['State', v.state], ['Locked', v.locked], ['Climate', v.climate_on ? 'on' : 'off'],
    ['Inside / set', v.inside_temp + ' °C / ' + v.driver_temp + ' °C'],
    ['Battery', v.battery_level + ' % (limit ' + v.charge_limit + ' %), ' + v.charging_state],
    ['Sentry', v.sentry_mode], ['Valet', v.valet_mode], ['Odometer', v.odometer + ' mi'],
    ['Enrolled keys', v.paired_keys],
  ].map(([k, x]) => '<tr><th>' + esc(k) + '</th><td>' + esc(x) + '</td></tr>').join('');
  const cmds = v.commands.length
    ? v.commands.map((c) => '<li class="' + (c.result ? 'ok' : 'err') + '" data-command="' + esc(c.name) + '">' +
        esc(c.at.slice(11, 19)) + ' <code>' + esc(c.name) + '</code> via ' + esc(c.via) +
        (c.domain ? ' (domain ' + esc(c.domain) + ')' : '') + (c.result ? ' ✓' : ' ✗ ' + esc(c.reason)) + '</li>').join('')
    : '<li>none yet</li>';
  return '<div class="car" data-vin="' + esc(v.vin) + '"><h2>' + esc(v.name) + ' <small><code>' + esc(v.vin) +
    '</code> (' + esc(v.kind) + ')</small></h2><table>' + rows + '</table><h3>Last commands</h3><ul class="commands">' + cmds + '</ul></div>';
}
async function refresh() {
  try {
    const r = await fetch('${STATUS_JSON_PATH}', { cache: 'no-store' });
    const s = await r.json();
    document.getElementById('cars').innerHTML = s.vehicles.map(car).join('');
    const e = s.energy_site;
    document.getElementById('site').innerHTML = '<h2>Energy site (Powerwall + solar)</h2><p>Solar ' + esc(e.solar_power) +
      ' W, home ' + esc(e.load_power) + ' W, Powerwall ' + esc(e.battery_power) + ' W (' + esc(e.percentage_charged) +
      ' %), grid ' + esc(e.grid_power) + ' W</p>';
    const b = s.requests.billable;
    document.getElementById('counts').textContent = 'Billable requests: ' + b.data + ' data, ' + b.commands +
      ' commands, ' + b.wakes + ' wakes (about $' + s.requests.estimated_cost_usd + ' at Tesla prices).';
  } catch (err) {
    document.getElementById('cars').textContent = 'Simulator not reachable: ' + err;
  }
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
}
