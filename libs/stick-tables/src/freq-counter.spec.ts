import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FreqCounter } from './freq-counter.js';

const S = 1000;

test('period 10 s: 100 hits during t=0..9 s, then at t=15 s the rate is 100 x 0.5 + current', () => {
  const c = new FreqCounter(10 * S);
  for (let second = 0; second < 10; second++) c.add(second * S, 10); // 10 hits each second, t=0..9 s
  assert.equal(c.read(9 * S), 100);
  assert.equal(c.read(9999), 100); //   still inside the first period: curr = 100, prev = 0
  // t=15 s, nothing new: the period [0,10 s) is the previous one and still covers half of the window.
  //   remain = 0 + 10000 - 15000 = -5000 -> +10000 = 5000; rate = 0 + floor(100 x 5000 / 10000) = 50
  assert.equal(c.read(15 * S), 50);
  // one hit at t=15 s rotates: prev = 100, tick = 10 s, curr = 1; rate = 1 + floor(100 x 5000 / 10000) = 51
  assert.equal(c.add(15 * S), 1);
  assert.equal(c.read(15 * S), 51);
  assert.equal(c.read(18 * S), 1 + 20); //  remain 2000: floor(100 x 0.2) = 20
  assert.equal(c.read(19999), 1 + 0); //    remain 1: floor(100 x 1 / 10000) = 0
  assert.deepEqual(c.state(18 * S), { curr: 1, prev: 100, ageMs: 8000 });
});

test('the previous period is forgotten after two periods; 0 and 1 do not flap (read_freq_ctr_period)', () => {
  const c = new FreqCounter(10 * S);
  assert.equal(c.read(0), 0);
  c.add(0, 5);
  assert.equal(c.read(10 * S), 5); //   remain 0 in the first period: curr = 5 (no past)
  assert.equal(c.read(12 * S), 4); //   past 5 x 8000/10000 = 4
  assert.equal(c.read(20 * S), 0); //   remain 0 after shifting: 5 x 0 = 0
  assert.equal(c.read(20 * S + 1), 0); // both periods gone
  const one = new FreqCounter(10 * S);
  one.add(0);
  assert.equal(one.read(19 * S), 1, 'a single past event reads 1, not floor(1 x 0.1) = 0');
  assert.equal(one.read(20 * S + 1), 0);
});

test('an add two or more periods after the last one starts afresh (prev = 0, tick = now)', () => {
  const c = new FreqCounter(10 * S);
  c.add(0, 100);
  c.add(25 * S, 3); // 25 s later: more than two periods -> prev = 0, period starts at 25 s
  assert.equal(c.read(25 * S), 3);
  assert.equal(c.read(34 * S), 3);
  assert.equal(c.read(40 * S), 1); //   period [35,45) s: past 3 x 5000/10000 = 1.5 -> 1
});

test('an add within the second period shifts by exactly one period, keeping the period grid', () => {
  const c = new FreqCounter(10 * S);
  c.add(1 * S, 10); //  tick = 1 s
  c.add(13 * S, 2); //  12 s later: prev = 10, tick = 11 s (not 13 s)
  assert.deepEqual(c.state(13 * S), { curr: 2, prev: 10, ageMs: 2 * S });
  assert.equal(c.read(13 * S), 2 + 8); // remain = 11000 + 10000 - 13000 = 8000: floor(10 x 0.8) = 8
});
