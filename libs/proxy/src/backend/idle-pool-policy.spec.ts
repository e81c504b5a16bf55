import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdlePoolPolicy } from './idle-pool-policy.js';

test('a released connection is pooled only while used + idle stays within the peak in use', () => {
  const pool = new IdlePoolPolicy();
  pool.noteUsed(3); // three requests in flight at once
  assert.equal(pool.admit(0, 2), true); // 2 used + this one = 3 ≤ 3
  assert.equal(pool.admit(1, 1), true); // 1 + 1 + 1 = 3
  assert.equal(pool.admit(2, 1), false); // 1 + 2 + 1 = 4 > 3: more idle than ever needed
});

test('a stream of new clients does not grow the pool (connection-per-request traffic)', () => {
  const pool = new IdlePoolPolicy();
  let idle = 0;
  // 50 concurrent clients, each first request on its own new server connection (http-reuse safe): 49 others in use.
  for (let i = 0; i < 10_000; i++) if (pool.admit(idle, 49)) idle++;
  assert.equal(idle, 1);
});

test('pool-max-conn caps the pool; 0 and pool-purge-delay 0 keep nothing', () => {
  const capped = new IdlePoolPolicy(2);
  capped.noteUsed(10);
  assert.deepEqual([capped.admit(0, 0), capped.admit(1, 0), capped.admit(2, 0)], [true, true, false]);
  const none = new IdlePoolPolicy(0);
  none.noteUsed(10);
  assert.equal(none.admit(0, 0), false);
  const noDelay = new IdlePoolPolicy(-1, 0);
  noDelay.noteUsed(10);
  assert.equal(noDelay.admit(0, 0), false);
});

test('each purge delay closes half of the idle connections above the estimated need, rounded up', () => {
  const pool = new IdlePoolPolicy(-1, 5000);
  pool.noteUsed(10);
  assert.equal(pool.purge(0, 10, 0), 0); // first call starts the period
  assert.equal(pool.purge(4999, 10, 0), 0); // not yet
  // Period over: need = peak 10; 0 used + 10 idle is not above it.
  assert.equal(pool.purge(5000, 10, 0), 0);
  // Traffic stopped: the estimate halves each period (10 -> 5), so half of the 5 in excess (3) is closed.
  assert.equal(pool.purge(10_000, 10, 0), 3);
  assert.equal(pool.purge(15_000, 7, 0), 3); // need 2, excess 5 -> 3
  assert.equal(pool.purge(20_000, 4, 0), 2); // need 1, excess 3 -> 2
  assert.equal(pool.purge(25_000, 2, 0), 1); // need 0, excess 2 -> 1
  assert.equal(pool.purge(30_000, 1, 0), 1); // excess 1 -> 1: an idle server ends with an empty pool
});
