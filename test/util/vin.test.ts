import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVin, normalizeVin, VIN_LENGTH } from '../../src/util/vin.js';

describe('VIN rule', () => {
  it('accepts 17 characters of the VIN alphabet, either case', () => {
    assert.equal(VIN_LENGTH, 17);
    assert.ok(isVin('5YJ3E1EA1PF000001'));
    assert.ok(isVin('5yj3e1ea1pf000001'));
    assert.equal(normalizeVin(' 5yj3e1ea1pf000001 '), '5YJ3E1EA1PF000001');
  });

  it('refuses I, O and Q, other lengths and anything that is not a letter or digit', () => {
    for (const bad of [
      '5YJ3E1EA1PF00000I',
      '5YJ3E1EA1PF00000O',
      '5YJ3E1EA1PF00000Q',
      '5YJ3E1EA1PF00001',
      '5YJ3E1EA1PF0000011',
      '..%2F..%2F..%2Fxyz',
      '../../../../../xyz',
      '5YJ3E1EA1PF00000-',
      '',
    ]) {
      assert.ok(!isVin(bad), bad);
      assert.equal(normalizeVin(bad), undefined, bad);
    }
  });
});
