import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BalancedServer, SelectorOptions } from './balancing.types.js';
import { LoadBound } from './bounded-load.js';
import { createSelector } from './registry.js';

const server = (id: number, weight = 1): BalancedServer => ({ id, name: `s${id}`, weight, backup: false });

test('slots: HAProxy arithmetic, counting the request being placed', () => {
  const bound = new LoadBound(125, 4);
  // served 0: totalSlots = ceil(1 × 1.25) = 2; per weight 0, remainder 2 → slots = ceil(1×2/4) = 1.
  assert.equal(bound.slots(server(1)), 1);
  for (let i = 0; i < 7; i++) bound.started(server(1 + (i % 4)));
  // served 7: totalSlots = ceil(8 × 1.25) = 10; per weight 2, remainder 2 → 2 + ceil(2/4) = 3 for weight 1,
  // and 2×2 + ceil(2×2/4) = 5 for weight 2.
  assert.equal(bound.slots(server(1)), 3);
  assert.equal(bound.slots(server(2, 2)), 5);
});

test('hash-balance-factor 125: one hot key spills to other servers instead of piling on its own', () => {
  const servers = [1, 2, 3, 4].map((id) => server(id));
  const options = (factor: number): SelectorOptions => ({
    config: { algorithm: 'uri', args: [], hashType: 'consistent', hashBalanceFactor: factor },
    allBackups: false,
  });
  const hot = { path: '/hot' };
  const unbounded = createSelector(servers, options(0));
  const home = unbounded.select(hot, () => true)!.id;
  for (let i = 0; i < 20; i++) unbounded.connectionStarted(unbounded.select(hot, () => true)!);
  assert.equal(unbounded.select(hot, () => true)!.id, home, 'without a factor the hot key always goes home');

  const bounded = createSelector(servers, options(125));
  const counts = new Map<number, number>();
  for (let i = 0; i < 20; i++) {
    const s = bounded.select(hot, () => true)!;
    bounded.connectionStarted(s);
    counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
  }
  // 20 concurrent connections, factor 1.25: no server may hold more than ceil(20 × 1.25 / 4) = 7.
  for (const [id, n] of counts) assert.ok(n <= 7, `server ${id} holds ${n} > 7`);
  assert.ok((counts.get(home) ?? 0) >= 5, 'the key still prefers its own server up to its bound');
  assert.ok(counts.size > 1);
});

test('hash-balance-factor: a connection ending frees the home server again', () => {
  const servers = [1, 2].map((id) => server(id));
  const selector = createSelector(servers, {
    config: { algorithm: 'uri', args: [], hashType: 'consistent', hashBalanceFactor: 100 },
    allBackups: false,
  });
  const req = { path: '/k' };
  const home = selector.select(req, () => true)!;
  selector.connectionStarted(home);
  const other = selector.select(req, () => true)!;
  assert.notEqual(other.id, home.id, 'factor 100 with 1 of 1 connections on home: the next goes elsewhere');
  selector.connectionEnded(home);
  assert.equal(selector.select(req, () => true)!.id, home.id);
});
