import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowstartStepMs, slowstartWeight } from './slowstart.js';
import { spreadInterval } from './spread.js';

test('slowstart: weight 100 over 60 s ramps with the elapsed share, rounded up, at least 1', () => {
  // 0 s → 1% → 1; 6 s → 10% → 10; 30 s → 50; 59.9 s → 100% (ceil) → 100; after the period the full weight.
  assert.equal(slowstartWeight(100, 0, 60_000), 1);
  assert.equal(slowstartWeight(100, 6_000, 60_000), 10);
  assert.equal(slowstartWeight(100, 30_000, 60_000), 50);
  assert.equal(slowstartWeight(100, 59_900, 60_000), 100);
  assert.equal(slowstartWeight(100, 61_000, 60_000), 100);
  // weight 3 at 10%: ceil(0.3) = 1; at 40%: ceil(1.2) = 2.
  assert.equal(slowstartWeight(3, 6_000, 60_000), 1);
  assert.equal(slowstartWeight(3, 24_000, 60_000), 2);
  assert.equal(slowstartWeight(0, 1_000, 60_000), 0, 'weight 0 stays out of rotation');
});

test('slowstart steps: a twentieth of the period, never under a second', () => {
  assert.equal(slowstartStepMs(60_000), 3_000);
  assert.equal(slowstartStepMs(5_000), 1_000);
});

test('spread-checks: ±percent of the interval, exact at 0', () => {
  assert.equal(spreadInterval(2000, 0, () => 0.99), 2000);
  assert.equal(spreadInterval(2000, 10, () => 0), 1800);
  assert.equal(spreadInterval(2000, 10, () => 1), 2200);
  assert.equal(spreadInterval(2000, 10, () => 0.5), 2000);
  assert.equal(spreadInterval(2000, 80, () => 0), 1000, 'capped at 50% as HAProxy allows');
});
