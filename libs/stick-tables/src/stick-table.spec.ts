import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, isTandemError } from '@tandem/core';
import { StickTable } from './stick-table.js';
import type { StickTableDefinition } from './stick-table.types.js';

const S = 1000;

/** The seed's 08-rate-limit.cfg: stick-table type ip size 200k expire 60s store http_req_rate(10s). */
const rateLimit: StickTableDefinition = {
  name: 'http_ratelimit', type: 'ip', size: 204800, expireMs: 60 * S, store: [{ type: 'http_req_rate', periodMs: 10 * S }],
};

const small = (size: number, extra: Partial<StickTableDefinition> = {}): StickTableDefinition => ({
  name: 'small', type: 'ip', size, expireMs: 60 * S, store: [{ type: 'conn_cnt' }, { type: 'conn_cur' }, { type: 'http_req_rate', periodMs: 10 * S }], ...extra,
});

test("seed rate limit: the 101st request inside 10 s reads 101 (> 100, denied); the rate then falls", () => {
  const clock = new ManualClock();
  const table = new StickTable(rateLimit, clock);
  const ip = '203.0.113.7';
  // 100 requests 50 ms apart, t = 0 .. 4950 ms: all inside the first 10 s period.
  for (let i = 0; i < 100; i++) {
    table.countHttpRequest(ip);
    assert.ok(table.read(ip, 'http_req_rate')! <= 100, `request ${i + 1} allowed`);
    clock.advance(50);
  }
  assert.equal(clock.now(), 5000);
  table.countHttpRequest(ip); // the 101st, at t = 5 s
  assert.equal(table.read(ip, 'http_req_rate'), 101, 'sc_http_req_rate(0) gt 100 -> 429');
  // No more requests. The [0,10 s) period becomes the previous one and is weighted by what it still covers:
  clock.advance(7000); //  t = 12 s: floor(101 x 8000/10000) = 80
  assert.equal(table.read(ip, 'http_req_rate'), 80);
  clock.advance(3000); //  t = 15 s: floor(101 x 0.5) = 50
  assert.equal(table.read(ip, 'http_req_rate'), 50);
  clock.advance(5000); //  t = 20 s: the window no longer covers [0,10 s)
  assert.equal(table.read(ip, 'http_req_rate'), 0);
  // A client at exactly 10 requests per second (one every 100 ms, from t = 20 s) reads 100 at the end of its
  // first period, then 101 for good: at t = 30 s + k x 100 ms, curr = k + 1 and the previous period (100)
  // is weighted by remain = 10000 - 100k, so (k + 1) + (100 - k) = 101. The event being counted is included
  // and so is the full previous period at the boundary, as in HAProxy: such a client trips `gt 100`.
  const steady = '198.51.100.1';
  const rates: number[] = [];
  for (let i = 0; i < 300; i++) {
    table.countHttpRequest(steady);
    rates.push(table.read(steady, 'http_req_rate')!);
    clock.advance(100);
  }
  assert.deepEqual(rates.slice(97, 103), [98, 99, 100, 101, 101, 101]); // t = 29.7 .. 30.2 s
  assert.equal(rates[150], 101); // t = 35 s: 51 + floor(100 x 5000/10000)
  assert.equal(rates.filter((r) => r > 100).length, 200);
});

test('LRU at size: the least recently written entry is purged; a write refreshes its place', () => {
  const clock = new ManualClock();
  const table = new StickTable(small(3), clock);
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) table.countHttpRequest(ip);
  table.countHttpRequest('10.0.0.1'); // 10.0.0.1 becomes the most recent
  table.lookup('10.0.0.2'); //          a lookup is not a write: 10.0.0.2 stays the oldest
  assert.ok(table.countHttpRequest('10.0.0.4'));
  assert.equal(table.used, 3);
  assert.deepEqual(table.snapshot().map((e) => e.key), ['10.0.0.3', '10.0.0.1', '10.0.0.4']);
});

test('a tracked entry is never purged; when every entry is tracked a new key is refused', () => {
  const table = new StickTable(small(2), new ManualClock());
  table.trackConnection('10.0.0.1');
  table.countHttpRequest('10.0.0.2');
  assert.ok(table.countHttpRequest('10.0.0.3')); // purges 10.0.0.2, steps over the tracked 10.0.0.1
  assert.deepEqual(table.snapshot().map((e) => e.key), ['10.0.0.1', '10.0.0.3']);
  table.trackConnection('10.0.0.3');
  assert.equal(table.countHttpRequest('10.0.0.9'), false);
  assert.equal(table.used, 2);
});

test('nopurge: a new key is refused while full, accepted once an entry has expired', () => {
  const clock = new ManualClock();
  const table = new StickTable(small(2, { nopurge: true }), clock);
  table.countHttpRequest('10.0.0.1');
  table.countHttpRequest('10.0.0.2');
  assert.equal(table.countHttpRequest('10.0.0.3'), false);
  assert.equal(table.lookup('10.0.0.3'), undefined);
  clock.advance(60 * S);
  assert.ok(table.countHttpRequest('10.0.0.3'));
  assert.equal(table.used, 2);
});

test('expiry with a ManualClock: renewed by every write, invisible at expire, reclaimed lazily or by sweep', () => {
  const clock = new ManualClock();
  const table = new StickTable(small(10), clock);
  table.countHttpRequest('10.0.0.1');
  table.countHttpRequest('10.0.0.2');
  clock.advance(30 * S);
  table.countHttpRequest('10.0.0.1'); //   renewed: now expires at 90 s
  clock.advance(30 * S - 1); //            t = 59.999 s
  assert.equal(table.lookup('10.0.0.2')?.expiresInMs, 1);
  clock.advance(1); //                     t = 60 s: 10.0.0.2 expired (expire <= now)
  assert.equal(table.lookup('10.0.0.2'), undefined);
  assert.equal(table.used, 1, 'reclaimed on access');
  assert.equal(table.lookup('10.0.0.1')?.expiresInMs, 30 * S);
  clock.advance(30 * S);
  assert.equal(table.used, 1, 'not yet reclaimed: nobody looked');
  assert.equal(table.sweep(), 1);
  assert.equal(table.used, 0);
  table.countHttpRequest('10.0.0.2');
  assert.equal(table.lookup('10.0.0.2')?.data.http_req_rate, 1, 'an expired key comes back fresh');
});

test('a tracked entry does not expire; releasing it renews the expiry; conn_cur never goes negative', () => {
  const clock = new ManualClock();
  const table = new StickTable(small(10), clock);
  table.trackConnection('10.0.0.1');
  table.trackConnection('10.0.0.1');
  clock.advance(120 * S);
  assert.deepEqual(table.lookup('10.0.0.1')?.data, { conn_cnt: 2, conn_cur: 2, http_req_rate: 0 });
  assert.equal(table.lookup('10.0.0.1')?.use, 2);
  assert.equal(table.remove('10.0.0.1'), 'in-use');
  table.releaseConnection('10.0.0.1');
  table.releaseConnection('10.0.0.1');
  table.releaseConnection('10.0.0.1');
  const entry = table.lookup('10.0.0.1');
  assert.equal(entry?.use, 0);
  assert.equal(entry?.data.conn_cur, 0);
  assert.equal(entry?.expiresInMs, 60 * S);
  assert.equal(table.releaseConnection('10.0.0.99'), false, 'a release never creates an entry');
  assert.equal(table.remove('10.0.0.1'), 'removed');
  assert.equal(table.remove('10.0.0.1'), 'not-found');
});

test('updateSeq: local writes get increasing numbers, remote writes none, so nothing echoes', () => {
  const clock = new ManualClock();
  const a = new StickTable(rateLimit, clock);
  const b = new StickTable(rateLimit, clock);
  a.countHttpRequest('10.0.0.1'); // seq 1
  a.countHttpRequest('10.0.0.2'); // seq 2
  a.touchRemote('10.0.0.3', { http_req_rate: { curr: 7, prev: 0, ageMs: 0 } });
  assert.equal(a.updateSeq, 2);
  assert.deepEqual(a.updatesSince(0).map((u) => [u.seq, u.key]), [[1, '10.0.0.1'], [2, '10.0.0.2']]);
  a.countHttpRequest('10.0.0.1'); // seq 3: only the latest local write of an entry is listed
  assert.deepEqual(a.updatesSince(0).map((u) => [u.seq, u.key]), [[2, '10.0.0.2'], [3, '10.0.0.1']]);
  assert.deepEqual(a.updatesSince(2), [{ seq: 3, key: '10.0.0.1', expiresInMs: 60 * S, data: { http_req_rate: { curr: 2, prev: 0, ageMs: 0 } } }]);
  assert.deepEqual(a.updatesSince(0, 1).map((u) => u.seq), [2]);

  // b learns a's updates the way the peers sync would; b has nothing to teach back.
  clock.advance(4 * S);
  for (const u of a.updatesSince(0)) assert.ok(b.touchRemote(u.key, u.data, u.expiresInMs));
  assert.equal(b.updateSeq, 0);
  assert.deepEqual(b.updatesSince(0), []);
  assert.equal(b.read('10.0.0.1', 'http_req_rate'), 2);
  assert.equal(b.lookup('10.0.0.1')?.expiresInMs, 56 * S);
  b.countHttpRequest('10.0.0.1');
  assert.deepEqual(b.updatesSince(0).map((u) => [u.seq, u.key]), [[1, '10.0.0.1']]);
  assert.equal(b.read('10.0.0.1', 'http_req_rate'), 3);
});

test('touchRemote replaces values, loads a rate state, ignores types the table does not store', () => {
  const clock = new ManualClock();
  const table = new StickTable(small(10), clock);
  clock.advance(100 * S);
  table.touchRemote('10.0.0.1', { conn_cnt: 9, gpc0: 4, http_req_rate: { curr: 40, prev: 100, ageMs: 5 * S } }, 10 * S);
  // rate = 40 + floor(100 x 5000/10000) = 90
  assert.deepEqual(table.lookup('10.0.0.1')?.data, { conn_cnt: 9, conn_cur: 0, http_req_rate: 90 });
  assert.equal(table.lookup('10.0.0.1')?.expiresInMs, 10 * S);
  assert.equal(table.lookup('10.0.0.1')?.updateSeq, 0);
  assert.equal(table.touchRemote('2001:db8::1', { conn_cnt: 1 }), false, 'not a key of an ip table');
});

test('gpc0, server_id, bytes and sessions', () => {
  const clock = new ManualClock();
  const table = new StickTable({
    name: 't', type: 'string', keyLength: 8, size: 10, store: [
      { type: 'server_id' }, { type: 'gpc0' }, { type: 'gpc0_rate', periodMs: S }, { type: 'sess_cnt' }, { type: 'sess_rate', periodMs: S },
      { type: 'http_err_cnt' }, { type: 'bytes_in_cnt' }, { type: 'bytes_out_rate', periodMs: S },
    ],
  }, clock);
  assert.equal(table.getServerId('cookie-value-long'), undefined);
  assert.ok(table.setServerId('cookie-value-long', 3));
  assert.equal(table.getServerId('cookie-v'), 3, 'keys are cut to len 8');
  assert.equal(table.incGpc0('k'), 1);
  assert.equal(table.incGpc0('k'), 2);
  assert.equal(table.clearGpc0('k'), 2);
  assert.equal(table.read('k', 'gpc0'), 0);
  assert.equal(table.read('k', 'gpc0_rate'), 2);
  table.countSession('k');
  table.countHttpError('k');
  table.addBytesIn('k', 1500);
  table.addBytesOut('k', 300);
  assert.deepEqual(table.lookup('k')?.data, {
    server_id: 0, gpc0: 0, gpc0_rate: 2, sess_cnt: 1, sess_rate: 1, http_err_cnt: 1, bytes_in_cnt: 1500, bytes_out_rate: 300,
  });
  assert.equal(table.lookup('k')?.expiresInMs, undefined, 'no expire: entries never expire');
  assert.equal(table.read('k', 'conn_cnt'), undefined, 'not stored');
});

test('clear with a data filter removes matching untracked entries; filtering on a type not stored is an error', () => {
  const clock = new ManualClock();
  const table = new StickTable(small(10), clock);
  for (let i = 1; i <= 4; i++) for (let n = 0; n < i * 3; n++) table.countHttpRequest(`10.0.0.${i}`); // rates 3, 6, 9, 12
  table.trackConnection('10.0.0.4');
  assert.deepEqual(table.snapshot({ type: 'http_req_rate', op: 'gt', value: 5 }).map((e) => e.key), ['10.0.0.2', '10.0.0.3', '10.0.0.4']);
  assert.equal(table.clear({ type: 'http_req_rate', op: 'gt', value: 5 }), 2, '10.0.0.4 is tracked');
  assert.deepEqual(table.snapshot().map((e) => e.key), ['10.0.0.1', '10.0.0.4']);
  assert.throws(() => table.clear({ type: 'gpc0', op: 'eq', value: 0 }), (e: unknown) => isTandemError(e) && e.code === 'E_STICK_DATA_NOT_STORED');
  assert.equal(table.clear(), 1);
  assert.deepEqual(table.snapshot().map((e) => e.key), ['10.0.0.4']);
});

test('definitions are validated', () => {
  const clock = new ManualClock();
  const bad = (def: Partial<StickTableDefinition>) => () => new StickTable({ ...small(10), ...def } as StickTableDefinition, clock);
  const code = (e: unknown) => isTandemError(e) && e.code === 'E_STICK_TABLE_DEFINITION';
  assert.throws(bad({ size: 0 }), code);
  assert.throws(bad({ expireMs: -1 }), code);
  assert.throws(bad({ store: [{ type: 'conn_cnt' }, { type: 'conn_cnt' }] }), code);
  assert.throws(bad({ store: [{ type: 'conn_rate' } as never] }), code);
  assert.throws(bad({ store: [{ type: 'conn_cnt', periodMs: 5 } as never] }), code);
});
