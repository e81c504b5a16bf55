import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRate, SlidingAverage } from './rate.js';
import { TrafficCounters } from './counters.js';

describe('EventRate: events per second over 1 s windows', () => {
  test('counts the current second, weighs the previous one by the part of the window left, keeps the max', () => {
    let t = 10_000;
    const r = new EventRate(() => t);
    for (let i = 0; i < 10; i++) r.add();
    assert.equal(r.value, 10);
    assert.equal(r.max, 10);
    t += 1000; // one window later: the 10 events are the previous window, fully weighted at its start
    assert.equal(r.value, 10);
    t += 500; // half the window elapsed: half of them count
    assert.equal(r.value, 5);
    r.add(2);
    assert.equal(r.value, 7);
    t += 2000; // two windows later: nothing left
    assert.equal(r.value, 0);
    assert.equal(r.max, 10);
    r.clearMax();
    assert.equal(r.max, 0);
  });
});

describe('SlidingAverage: average over the last N samples', () => {
  test('plain mean until N samples, then each sample replaces 1/N of the sum', () => {
    const a = new SlidingAverage(4);
    assert.equal(a.value, 0);
    a.add(10);
    a.add(20);
    assert.equal(a.value, 15);
    a.add(-1); // "not measured" (Tc/Tr of -1) is ignored
    assert.equal(a.value, 15);
    a.add(30);
    a.add(40);
    assert.equal(a.value, 25);
    for (let i = 0; i < 100; i++) a.add(100);
    assert.equal(a.value, 100);
  });
});

describe('TrafficCounters: rates follow connections and requests', () => {
  test('++ feeds the rates and lastAt; reset clears them; clearMax keeps counts', () => {
    const c = new TrafficCounters();
    assert.equal(c.lastAt, 0);
    c.connections++;
    c.connections++;
    c.requests++;
    assert.deepEqual([c.connections, c.connRate.value, c.connRate.max, c.requests, c.reqRate.value], [2, 2, 2, 1, 1]);
    assert.ok(c.lastAt > 0);
    assert.deepEqual(c.toJSON().connections, 2);
    c.reset();
    assert.deepEqual([c.connections, c.requests, c.connRate.max, c.reqRate.value], [0, 0, 0, 0]);
  });
});
