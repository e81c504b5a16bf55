import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BalancedServer, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { createSelector } from '../registry.js';

const servers: BalancedServer[] = [1, 2, 3, 4].map((id) => ({ id, name: `s${id}`, weight: 1, backup: false }));
const options = (algorithm: string, args: string[] = [], extra: Partial<SelectorOptions> = {}): SelectorOptions => ({
  config: { algorithm, args, hashType: 'map-based' },
  allBackups: false,
  ...extra,
});
const all = () => true;
const pick = (algorithm: string, args: string[], request: SelectionRequest) => createSelector(servers, options(algorithm, args)).select(request, all)!.id;

test('uri: the path decides (query ignored unless whole); len and depth cut the key', () => {
  assert.equal(pick('uri', [], { path: '/img/a.png', query: 'v=1' }), pick('uri', [], { path: '/img/a.png', query: 'v=2' }));
  const distinct = new Set(Array.from({ length: 200 }, (_, i) => pick('uri', ['whole'], { path: '/img/a.png', query: `v=${i}` })));
  assert.ok(distinct.size > 1, 'with whole the query string is part of the key');
  assert.equal(pick('uri', ['depth', '1'], { path: '/img/a.png' }), pick('uri', ['depth', '1'], { path: '/img/zzz/b.png' }));
  assert.equal(pick('uri', ['len', '4'], { path: '/img-one' }), pick('uri', ['len', '4'], { path: '/img-two' }));
});

test('url_param: the named parameter decides; without it, round robin', () => {
  const a = pick('url_param', ['user'], { path: '/', query: 'x=1&user=alice' });
  assert.equal(pick('url_param', ['user'], { path: '/other', query: 'user=alice' }), a);
  const selector = createSelector(servers, options('url_param', ['user']));
  const rr = Array.from({ length: 4 }, () => selector.select({ path: '/', query: 'x=1' }, all)!.id);
  assert.deepEqual(new Set(rr).size, 4, 'no parameter: round robin over every server');
});

test('hdr(host) with use_domain_only hashes only the domain', () => {
  const host = (value: string): SelectionRequest => ({ header: (n) => (n === 'host' ? value : undefined) });
  assert.equal(pick('hdr', ['host', 'use_domain_only'], host('www.example.com:8080')), pick('hdr', ['host', 'use_domain_only'], host('api.example.com')));
  assert.equal(pick('hdr', ['host'], host('a.example.com')), pick('hdr', ['host'], host('a.example.com')));
});

test('random: never an ineligible server, and of two draws the one with fewer connections', () => {
  // Draws land on s1 then s2 (random 0.1 and 0.3 of total weight 4): s2 has fewer connections.
  const draws = [0.1, 0.3];
  let i = 0;
  const selector = createSelector(servers, options('random', [], { random: () => draws[i++ % 2]!, activeConnections: new Map([[1, 5], [2, 1]]) }));
  assert.equal(selector.select({}, all)!.id, 2);
  const any = createSelector(servers, options('random'));
  for (let k = 0; k < 200; k++) assert.notEqual(any.select({}, (s) => s.id !== 3)!.id, 3);
});
