import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseWindow, slideWindow } from '../../src/signing/window.js';
import { loadVector } from '../helpers/vectors.js';

interface Row {
  counter: number;
  window: number;
  new_counter?: number;
  ok?: boolean;
}

test('TestSlidingWindow: every upstream row', () => {
  const v = loadVector<{ cases: Row[] }, { cases: Row[] }>(
    'authentication.json',
    'authentication.TestSlidingWindow',
  );
  v.input.cases.forEach((row, i) => {
    const want = v.expected.cases[i] as Row;
    const got = slideWindow(
      { counter: row.counter, window: BigInt(row.window) },
      row.new_counter as number,
    );
    assert.equal(got !== undefined, want.ok, `row ${i}`);
    const state = got ?? { counter: row.counter, window: BigInt(row.window) };
    assert.equal(state.counter, want.counter, `row ${i} counter`);
    assert.equal(state.window, BigInt(want.window), `row ${i} window`);
  });
});

test('the per-request window accepts the first counter and refuses replays', () => {
  const w = new ResponseWindow();
  assert.equal(w.accept(7), true);
  assert.equal(w.accept(7), false);
  assert.equal(w.accept(5), true);
  assert.equal(w.accept(5), false);
  assert.equal(w.accept(100), true);
  assert.equal(w.accept(67), false, 'more than 32 behind the newest');
  assert.equal(w.accept(68), true);
});
