import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BalancedServer, SelectorOptions } from './balancing.types.js';
import { createSelector, knownAlgorithms } from './registry.js';

const options = (algorithm: string, allBackups = false): SelectorOptions => ({
  config: { algorithm, args: [], hashType: 'map-based' },
  allBackups,
});
const server = (id: number, name: string, weight: number, backup = false): BalancedServer => ({ id, name, weight, backup });
const everyone = () => true;
const picks = (selector: ReturnType<typeof createSelector>, n: number, eligible: (s: BalancedServer) => boolean = everyone) =>
  Array.from({ length: n }, () => selector.select({}, eligible)?.name);

const seed02 = [server(1, 'api01', 1), server(2, 'api02', 1), server(3, 'api03', 2)];

test("roundrobin, the seed's weights 1,1,2: the exact order, and api03 twice in every window of 4", () => {
  // Expected order (smooth weighted round robin), repeating every 4 picks:
  //   api03, api01, api02, api03
  const sequence = picks(createSelector(seed02, options('roundrobin')), 12);
  assert.deepEqual(sequence, ['api03', 'api01', 'api02', 'api03', 'api03', 'api01', 'api02', 'api03', 'api03', 'api01', 'api02', 'api03']);
  for (let i = 0; i + 4 <= sequence.length; i++) {
    const window = sequence.slice(i, i + 4);
    assert.equal(window.filter((n) => n === 'api03').length, 2, `window at ${i}: ${window.join(',')}`);
  }
});

test('roundrobin skips a server that is not eligible for this request and keeps the others in proportion', () => {
  const selector = createSelector(seed02, options('roundrobin'));
  // api03 is full: api01 and api02 alternate.
  assert.deepEqual(picks(selector, 4, (s) => s.name !== 'api03'), ['api01', 'api02', 'api01', 'api02']);
  assert.equal(selector.select({}, () => false), undefined);
});

test('backups serve only when no active server is in rotation: the first backup, or all with allbackups', () => {
  const servers = [server(1, 'db01', 1), server(2, 'db02', 1), server(3, 'db03', 1, true), server(4, 'db04', 1, true)];
  assert.deepEqual(new Set(picks(createSelector(servers, options('roundrobin')), 4)), new Set(['db01', 'db02']));
  const onlyBackups = servers.slice(2);
  assert.deepEqual(picks(createSelector(onlyBackups, options('roundrobin')), 3), ['db03', 'db03', 'db03']);
  assert.deepEqual(picks(createSelector(onlyBackups, options('roundrobin', true)), 4), ['db03', 'db04', 'db03', 'db04']);
});

test('a selector is never mutated by building another one', () => {
  const first = createSelector(seed02, options('roundrobin'));
  assert.equal(first.select({}, everyone)?.name, 'api03');
  createSelector(seed02.slice(0, 2), options('roundrobin'));
  assert.equal(first.select({}, everyone)?.name, 'api01');
});

test('an unknown algorithm is an error with a code, naming what is known', () => {
  assert.deepEqual(knownAlgorithms(), ['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr', 'random', 'hash']);
  assert.throws(() => createSelector(seed02, options('rdp-cookie')), { code: 'E_BALANCE_UNKNOWN', message: /'rdp-cookie' is not implemented/ });
});
