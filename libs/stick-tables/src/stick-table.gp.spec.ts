import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@tandem/core';
import { StickTable } from './stick-table.js';
import { formatShowTable } from './show-table.js';
import type { StickTableDefinition } from './stick-table.types.js';

const S = 1000;

const def: StickTableDefinition = {
  name: 'abuse', type: 'ip', size: 100, expireMs: 60 * S,
  store: [{ type: 'gpc1' }, { type: 'gpc1_rate', periodMs: 10 * S }, { type: 'gpt0' }, { type: 'http_req_rate', periodMs: 10 * S }, { type: 'gpc0' }],
};

test('gpc1 and gpc1_rate count sc-inc-gpc1; the rate follows its own period on a manual clock', () => {
  const clock = new ManualClock();
  const t = new StickTable(def, clock);
  const ip = '192.0.2.1';
  for (let i = 0; i < 4; i++) assert.equal(t.incGpc1(ip), i + 1, 'returns the new gpc1');
  assert.equal(t.read(ip, 'gpc1_rate'), 4);
  clock.advance(15 * S); // half of the next period elapsed: 4 x 5/10 of the previous one
  assert.equal(t.read(ip, 'gpc1_rate'), 2);
  assert.equal(t.read(ip, 'gpc1'), 4, 'the counter itself does not decay');
  clock.advance(10 * S); // two periods later: nothing left
  assert.equal(t.read(ip, 'gpc1_rate'), 0);
  assert.equal(t.clearGpc1(ip), 4, 'sc_clr_gpc1 returns the previous value');
  assert.equal(t.read(ip, 'gpc1'), 0);
  assert.equal(t.read(ip, 'gpc0'), 0, 'gpc0 untouched by gpc1 actions');
});

test('gpt0: set only on an existing entry, stored unsigned 32-bit, renews the entry and is replicated', () => {
  const clock = new ManualClock();
  const t = new StickTable(def, clock);
  assert.equal(t.setGpt0('192.0.2.2', 1), false, 'no entry: sc-set-gpt0 creates none');
  assert.equal(t.lookup('192.0.2.2'), undefined);
  t.countHttpRequest('192.0.2.2');
  const seq = t.updateSeq;
  assert.equal(t.setGpt0('192.0.2.2', -1), true);
  assert.equal(t.read('192.0.2.2', 'gpt0'), 4294967295);
  assert.ok(t.updateSeq > seq, 'a local write');
  const [u] = t.updatesSince(seq);
  assert.equal(u!.data.gpt0, 4294967295);
  assert.equal(u!.data.gpc1, 0);
  assert.equal(u!.data.gpc1_rate!.curr + u!.data.gpc1_rate!.prev, 0, 'the rate travels as its full state');
  // A peer's values replace ours and are not sent back.
  const other = new StickTable(def, clock);
  other.touchRemote('192.0.2.2', u!.data, u!.expiresInMs);
  assert.equal(other.read('192.0.2.2', 'gpt0'), 4294967295);
  assert.equal(other.updatesSince(0).length, 0);
});

test('a table that does not store gpt0/gpc1 ignores the writes and reads undefined', () => {
  const t = new StickTable({ name: 'plain', type: 'ip', size: 10, store: [{ type: 'http_req_rate', periodMs: 10 * S }] }, new ManualClock());
  t.countHttpRequest('192.0.2.3');
  assert.equal(t.incGpc1('192.0.2.3'), 0);
  assert.equal(t.setGpt0('192.0.2.3', 5), false);
  assert.equal(t.read('192.0.2.3', 'gpc1'), undefined);
  assert.equal(t.read('192.0.2.3', 'gpt0'), undefined);
  assert.deepEqual(Object.keys(t.lookup('192.0.2.3')!.data), ['http_req_rate']);
});

test('show table prints gpt0 after server_id and gpc1/gpc1_rate after bytes_out_rate (HAProxy enum order)', () => {
  const clock = new ManualClock();
  const t = new StickTable(def, clock);
  t.incGpc1('192.0.2.4');
  t.setGpt0('192.0.2.4', 7);
  const lines = formatShowTable(def, t.used, t.snapshot());
  assert.equal(lines[0], '# table: abuse, type: ip, size:100, used:1');
  assert.match(lines[1]!, /^0x1: key=192\.0\.2\.4 use=0 exp=60000 gpt0=7 gpc0=0 http_req_rate\(10000\)=0 gpc1=1 gpc1_rate\(10000\)=1$/);
});

test('setData (admin set table): creates the entry, overwrites counters, restarts a rate with the value', () => {
  const clock = new ManualClock();
  const t = new StickTable(def, clock);
  assert.equal(t.setData('192.0.2.5', [['gpt0', 3], ['gpc1', 9], ['gpc1_rate', 6]]), true);
  assert.equal(t.read('192.0.2.5', 'gpt0'), 3);
  assert.equal(t.read('192.0.2.5', 'gpc1'), 9);
  assert.equal(t.read('192.0.2.5', 'gpc1_rate'), 6);
  clock.advance(15 * S);
  assert.equal(t.read('192.0.2.5', 'gpc1_rate'), 3);
});
