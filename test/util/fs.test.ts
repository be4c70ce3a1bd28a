import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSettingFile } from '../../src/util/fs.js';

class CustomError extends Error {}

describe('readSettingFile', () => {
  it('reads the file, or says which file, why and what to do, in the caller’s error class', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-fs-'));
    try {
      const file = join(dir, 'cert.pem');
      await writeFile(file, 'PEM');
      assert.equal(await readSettingFile(file, 'TLS certificate', 'check --tls-cert'), 'PEM');
      const missing = join(dir, 'missing.pem');
      await assert.rejects(
        readSettingFile(missing, 'TLS key', 'check --tls-key'),
        (e: Error) =>
          e.constructor === Error &&
          e.message === `cannot read the TLS key at ${missing} (ENOENT): check --tls-key`,
      );
      await assert.rejects(
        readSettingFile(missing, 'command key', 'run keygen', (m) => new CustomError(`x: ${m}`)),
        (e: Error) =>
          e instanceof CustomError && /^x: cannot read the command key .*keygen$/.test(e.message),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
