import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startSimulator } from '../../src/sim/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const missing = !existsSync(CHROMIUM);
const skip =
  missing && process.env.CI !== 'true'
    ? `${CHROMIUM} is missing: apt-get install chromium (Debian) to run the status page test`
    : false;

describe('simulator status page (headless Chromium)', () => {
  it('shows a command the car verified, live', { skip, timeout: 30_000 }, async () => {
    if (missing) assert.fail(`CI=true but ${CHROMIUM} is missing: apt-get install chromium`);
    const sim = await startSimulator();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`${sim.url}/`);
      const modern = sim.vins[0] ?? '';
      const car = page.locator(`.car[data-vin="${modern}"]`);
      await car.waitFor();
      assert.equal(await car.locator('li[data-command="navigation_request"]').count(), 0);
      const r = await sim.fleet.restCommand(modern, 'navigation_request', {
        type: 'share_ext_content_raw',
        value: { 'android.intent.extra.TEXT': '1 Main St' },
      });
      assert.equal(r.result, true);
      const item = car.locator('li[data-command="navigation_request"]');
      await item.waitFor({ timeout: 10_000 });
      assert.match((await item.textContent()) ?? '', /navigation_request via rest/);
      assert.match((await page.locator('#site').textContent()) ?? '', /Powerwall/);
    } finally {
      await browser.close();
      await sim.close();
    }
  });
});
