import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCheck, initialHealth, isUp } from './hysteresis.js';

/** Feeds results (1 = pass, 0 = fail) and returns the transitions, '.' for none. */
function run(rise: number, fall: number, results: string, start = initialHealth(rise, fall)): string {
  let health = start;
  let out = '';
  for (const r of results) {
    const step = applyCheck(health, r === '1');
    health = step.health;
    out += step.transition === 'up' ? 'U' : step.transition === 'down' ? 'D' : '.';
  }
  return out;
}

test('a fresh server is UP and the first failed check takes it down (HAProxy init-state up)', () => {
  assert.equal(isUp(initialHealth(2, 3)), true);
  assert.equal(run(2, 3, '0'), 'D');
});

test('seed 05 (fall 2, rise 3): down after exactly 2 failures, up after exactly 3 successes', () => {
  // Get fully up first: three passes take the counter to the top (rise+fall-1 = 4).
  const up = run(3, 2, '111');
  assert.equal(up, '...');
  // From the top: fail, fail -> DOWN on the 2nd; pass x3 -> UP on the 3rd.
  assert.equal(run(3, 2, '111' + '00' + '111'), '...' + '.D' + '..U');
});

test('seed 01 (rise 2, fall 3): from fully up, exactly 3 consecutive failures take it down', () => {
  assert.equal(run(2, 3, '11' + '000'), '..' + '..D');
});

test('a pass between failures climbs one step only, as HAProxy counts: the next fall needs fewer failures', () => {
  // Fully up (counter 4 of 0..4), fail, fail (counter 2), pass (3), then two failures suffice.
  assert.equal(run(2, 3, '11' + '001' + '00'), '..' + '...' + '.D');
});

test('failures while down and passes while up change nothing but the counter', () => {
  assert.equal(run(2, 2, '0000' + '11' + '1111'), 'D...' + '.U' + '....');
});
