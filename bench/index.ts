/**
 * `npm run bench`: runs every `bench/*.bench.ts` (each exports `run(): Promise<void>` and prints
 * its own table of medians and ratios). Pass names to run a subset: `npm run bench -- signing`.
 * Figures are printed, never asserted: timing belongs here, not in tests.
 */
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

for (const file of files) {
  const mod = (await import(new URL(file, import.meta.url).href)) as { run(): Promise<void> };
  console.log(`\n## ${file.replace('.bench.ts', '')}\n`);
  await mod.run();
}
