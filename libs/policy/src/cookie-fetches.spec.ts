import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AclTerm } from '@tandem/config';
import { compileAclTerm } from './condition.js';
import { FETCHES } from './fetches.js';
import type { RequestView } from './request-view.types.js';

function view(pairs: Array<[string, string]>, response = false): RequestView {
  return { src: '192.0.2.1', srcPort: 1, dst: '127.0.0.1', dstPort: 80, method: 'GET', uri: '/', ssl: false, sni: undefined, nbsrv: () => 0, headers: { names: pairs.map(([n]) => n.toLowerCase()), rawNames: pairs.map(([n]) => n), values: pairs.map(([, v]) => v) }, ...(response ? { response } : {}) };
}
const term = (fetch: string, args: string[], match: AclTerm['match'], values: string[]): AclTerm => ({ fetch, args, match, ignoreCase: false, values, source: { file: 't', line: 1 } });

test('cook/req.cook: every occurrence in the Cookie headers, in order; without a name, the first cookie', () => {
  const v = view([['Cookie', 'a=1; SID=x ; b'], ['Cookie', 'SID=y']]);
  assert.deepEqual(FETCHES.cook!(v, ['SID']), ['x', 'y']);
  assert.deepEqual(FETCHES.cook!(v, []), ['1']);
  assert.equal(FETCHES.cook!(v, ['nope']), undefined);
  assert.deepEqual(FETCHES.cook!(v, ['b']), ['']);
});

test('res.cook reads Set-Cookie (the pair before the attributes); cookie() follows the direction', () => {
  const r = view([['Set-Cookie', 'SID=abc; Path=/; HttpOnly'], ['Set-Cookie', 'other=1'], ['Cookie', 'SID=req']], true);
  assert.deepEqual(FETCHES['res.cook']!(r, ['SID']), ['abc']);
  assert.equal(FETCHES['res.cook']!(r, ['Path']), undefined);
  assert.deepEqual(FETCHES.cookie!(r, ['SID']), ['abc']);
  assert.deepEqual(FETCHES.cookie!(view([['Cookie', 'SID=req']]), ['SID']), ['req']);
});

test('ACLs on cookies try every occurrence', () => {
  const v = view([['Cookie', 'v=alpha; v=beta']]);
  assert.equal(compileAclTerm(term('req.cook', ['v'], 'str', ['beta']))(v), true);
  assert.equal(compileAclTerm(term('cook', ['v'], 'found', []))(v), true);
  assert.equal(compileAclTerm(term('cook_beg', ['v'], 'beg', ['gam']))(v), false);
});
