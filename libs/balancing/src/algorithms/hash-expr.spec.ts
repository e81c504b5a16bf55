import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BalancedServer, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { createSelector } from '../registry.js';

const servers: BalancedServer[] = [1, 2, 3, 4].map((id) => ({ id, name: `s${id}`, weight: 1, backup: false }));
const options = (hashType: 'map-based' | 'consistent'): SelectorOptions => ({ config: { algorithm: 'hash', args: ['path'], hashType }, allBackups: false });
const all = () => true;
const sample = (value: string | undefined): SelectionRequest => ({ hashSample: () => value });

for (const hashType of ['map-based', 'consistent'] as const) {
  test(`balance hash (${hashType}): the sample's value decides, the same value always the same server`, () => {
    const selector = createSelector(servers, options(hashType));
    const first = new Map<string, number>();
    for (let i = 0; i < 100; i++) first.set(`/p${i}`, selector.select(sample(`/p${i}`), all)!.id);
    for (const [k, id] of first) assert.equal(createSelector(servers, options(hashType)).select(sample(k), all)!.id, id);
    assert.ok(new Set(first.values()).size >= 3, `100 values spread over at least 3 of 4 servers, got ${new Set(first.values()).size}`);
  });
}

test('balance hash: no sample means round robin (HAProxy: "when the data is not available, round robin")', () => {
  const selector = createSelector(servers, options('map-based'));
  const ids = Array.from({ length: 4 }, () => selector.select(sample(undefined), all)!.id);
  assert.equal(new Set(ids).size, 4);
});

test('balance hash consistent: removing a server moves only the keys it had', () => {
  const before = createSelector(servers, options('consistent'));
  const after = createSelector(servers.filter((s) => s.id !== 2), options('consistent'));
  for (let i = 0; i < 200; i++) {
    const k = `/k${i}`;
    const was = before.select(sample(k), all)!.id;
    if (was !== 2) assert.equal(after.select(sample(k), all)!.id, was, k);
  }
});
