import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './manual-clock.js';

test('ManualClock fires timers in due order, ties in creation order, and skips cancelled ones', () => {
  const clock = new ManualClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b@20'), 20);
  clock.setTimeout(() => fired.push('a@10'), 10);
  const cancelled = clock.setTimeout(() => fired.push('never'), 15);
  clock.setTimeout(() => fired.push('c@20'), 20);
  cancelled.cancel();
  clock.advance(19);
  assert.deepEqual(fired, ['a@10']);
  assert.equal(clock.now(), 19);
  clock.advance(1);
  assert.deepEqual(fired, ['a@10', 'b@20', 'c@20']);
});

test('a timer scheduled by a firing timer fires in the same advance when it falls due', () => {
  const clock = new ManualClock();
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.now());
    clock.setTimeout(() => fired.push(clock.now()), 5);
  }, 5);
  clock.advance(10);
  assert.deepEqual(fired, [5, 10]);
});
