import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BalancedServer, SelectorOptions } from '../balancing.types.js';
import { createSelector } from '../registry.js';

const options = (algorithm: string, extra: Partial<SelectorOptions['config']> = {}, activeConnections?: Map<number, number>): SelectorOptions => ({
  config: { algorithm, args: [], hashType: 'map-based', ...extra },
  allBackups: false,
  ...(activeConnections ? { activeConnections } : {}),
});
const server = (id: number, weight = 1): BalancedServer => ({ id, name: `s${id}`, weight, backup: false });
const all = () => true;

test('static-rr: servers in turn by weight, and an ineligible server does not reorder the others', () => {
  const selector = createSelector([server(1), server(2), server(3, 2)], options('static-rr'));
  // The fixed map for weights 1,1,2 is s3 s1 s2 s3.
  assert.deepEqual(Array.from({ length: 8 }, () => selector.select({}, all)?.name), ['s3', 's1', 's2', 's3', 's3', 's1', 's2', 's3']);
  // With s1 full the walk moves to the next slot: s2, s3, s3, s2...
  assert.deepEqual(Array.from({ length: 4 }, () => selector.select({}, (s) => s.id !== 1)?.name), ['s3', 's2', 's3', 's3']);
});

test('leastconn: new connections go to the server with the fewest; ties rotate', () => {
  const selector = createSelector([server(1), server(2), server(3)], options('leastconn', {}, new Map([[1, 5], [2, 1], [3, 1]])));
  const first = selector.select({}, all)!;
  assert.ok(first.id === 2 || first.id === 3);
  selector.connectionStarted(first);
  const second = selector.select({}, all)!;
  assert.notEqual(second.id, first.id, 'the other server with one connection');
  selector.connectionStarted(second);
  // Both now have 2, s1 has 5: s2 and s3 keep taking turns until they reach 5.
  for (let i = 0; i < 6; i++) {
    const s = selector.select({}, all)!;
    assert.notEqual(s.id, 1);
    selector.connectionStarted(s);
  }
  // All at 5: when s1's connections end it is preferred again.
  for (let i = 0; i < 3; i++) selector.connectionEnded(server(1));
  assert.equal(selector.select({}, all)!.id, 1);
});

test('leastconn weighs connections by weight', () => {
  const selector = createSelector([server(1, 1), server(2, 3)], options('leastconn', {}, new Map([[1, 1], [2, 2]])));
  assert.equal(selector.select({}, all)!.id, 2, '2/3 < 1/1');
});

test('first: fills servers in id order up to their maxconn', () => {
  const selector = createSelector([server(3), server(1), server(2)], options('first'));
  const load = new Map<number, number>();
  const maxconn = 2;
  const order: number[] = [];
  for (let i = 0; i < 6; i++) {
    const s = selector.select({}, (c) => (load.get(c.id) ?? 0) < maxconn)!;
    load.set(s.id, (load.get(s.id) ?? 0) + 1);
    order.push(s.id);
  }
  assert.deepEqual(order, [1, 1, 2, 2, 3, 3]);
  assert.equal(selector.select({}, (c) => (load.get(c.id) ?? 0) < maxconn), undefined);
});

test('source: the same client IP always reaches the same server, and clients spread over all servers', () => {
  for (const hashType of ['map-based', 'consistent'] as const) {
    const selector = createSelector([server(1), server(2), server(3)], options('source', { hashType }));
    const counts = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const ip = `198.18.${i >> 8}.${i & 255}`;
      const a = selector.select({ clientAddress: ip }, all)!;
      assert.equal(selector.select({ clientAddress: ip }, all)!.id, a.id);
      counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
    }
    for (const id of [1, 2, 3]) assert.ok((counts.get(id) ?? 0) > 600, `${hashType}: server ${id} got ${counts.get(id)} of 3000`);
  }
});

test('consistent hashing, 10,000 keys: removing one of 5 servers moves only its keys (about 1/5); adding it back restores all', () => {
  const five = [1, 2, 3, 4, 5].map((id) => server(id));
  const keys = Array.from({ length: 10_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const map = (servers: BalancedServer[]) => {
    const selector = createSelector(servers, options('source', { hashType: 'consistent' }));
    return keys.map((ip) => selector.select({ clientAddress: ip }, all)!.id);
  };
  const before = map(five);
  const without3 = map(five.filter((s) => s.id !== 3));
  let moved = 0;
  for (let i = 0; i < keys.length; i++) {
    if (before[i] !== without3[i]) {
      moved++;
      assert.equal(before[i], 3, `key ${keys[i]} moved from ${before[i]} although server ${before[i]} stayed`);
    }
  }
  assert.ok(moved / keys.length < 1.5 / 5, `moved ${moved} of ${keys.length}`);
  assert.ok(moved > 0);
  assert.deepEqual(map(five), before, 'adding the server back restores every key');
});

test('map-based source reshuffles when a server goes (why consistent exists)', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
  const ids = (servers: BalancedServer[]) => {
    const selector = createSelector(servers, options('source'));
    return keys.map((ip) => selector.select({ clientAddress: ip }, all)!.id);
  };
  const before = ids([1, 2, 3, 4, 5].map((id) => server(id)));
  const after = ids([1, 2, 4, 5].map((id) => server(id)));
  const movedAmongSurvivors = keys.filter((_, i) => before[i] !== 3 && before[i] !== after[i]).length;
  assert.ok(movedAmongSurvivors > keys.length / 4, `only ${movedAmongSurvivors} moved`);
});
