import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FETCHES } from './fetches.js';
import type { RequestView } from './request-view.types.js';

const view = (names: string[], values: string[], extra: Partial<RequestView> = {}): RequestView => ({
  src: '10.0.0.1', srcPort: 1, dst: '', dstPort: 80, method: 'GET', uri: '/p?id=12&id=x&n=3', headers: { names, rawNames: names, values }, ssl: false, sni: undefined, nbsrv: () => 0, ...extra,
});

test('constants, cook_cnt/cook_val, urlp_val, req.fhdr keeps commas, hdr_val converts', () => {
  const v = view(['cookie', 'cookie', 'accept', 'content-length'], ['a=1; b=2', 'a=7', 'x, y', '42']);
  assert.equal(FETCHES.str!(v, ['abc']), 'abc');
  assert.equal(FETCHES.int!(v, ['-3']), -3);
  assert.equal(FETCHES.bool!(v, ['false']), false);
  assert.equal(FETCHES.cook_cnt!(v, ['a']), 2);
  assert.equal(FETCHES.cook_cnt!(v, []), 3);
  assert.deepEqual(FETCHES.cook_val!(v, ['a']), [1, 7]);
  assert.deepEqual(FETCHES.urlp_val!(v, ['id']), [12]);
  assert.deepEqual(FETCHES['req.fhdr']!(v, ['accept']), ['x, y']);
  assert.deepEqual(FETCHES.hdr!(v, ['accept']), ['x', 'y']);
  assert.equal(FETCHES.hdr_val!(v, ['content-length', '1']), 42);
});

test('req.proto_http: true for an HTTP view; on a TCP buffer it reads the request line, waiting while incomplete', () => {
  assert.equal(FETCHES['req.proto_http']!(view([], []), []), true);
  const tcp = (data: string, final: boolean) => view([], [], { method: '', payload: { data: Buffer.from(data), final, mayChange: false } });
  assert.equal(FETCHES['req.proto_http']!(tcp('GET / HTTP/1.1\r\nHost: x\r\n', false), []), true);
  assert.equal(FETCHES['req.proto_http']!(tcp('\x16\x03\x01\x00', true), []), false);
  const partial = tcp('GET / HT', false);
  assert.equal(FETCHES['req.proto_http']!(partial, []), undefined);
  assert.equal(partial.payload!.mayChange, true);
});

test('state and TLS fetches read the view accessors only when asked; avg_queue doubles with no usable server', () => {
  let calls = 0;
  const load = { queued: 6, usable: 2, freeSlots: undefined, sessRate: 9 };
  const v = view([], [], {
    ssl: true, sni: 'a.test',
    tls: () => (calls++, { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', alpn: 'h2', clientCert: false, sni: 'a.test' }),
    backendLoad: (b) => (b === 'none' ? undefined : b === 'down' ? { ...load, usable: 0 } : load),
    serverUp: (b, s) => (b === 'app' && s === 'web1' ? true : undefined),
  });
  assert.equal(calls, 0);
  assert.equal(FETCHES.ssl_fc_protocol!(v, []), 'TLSv1.3');
  assert.equal(FETCHES.ssl_fc_alpn!(v, []), 'h2');
  assert.equal(FETCHES.ssl_c_used!(v, []), false);
  assert.equal(FETCHES.ssl_fc_has_sni!(v, []), true);
  assert.equal(calls, 3);
  assert.equal(FETCHES.connslots!(v, []), -1);
  assert.equal(FETCHES.queue!(v, []), 6);
  assert.equal(FETCHES.avg_queue!(v, []), 3);
  assert.equal(FETCHES.avg_queue!(v, ['down']), 12);
  assert.equal(FETCHES.queue!(v, ['none']), undefined);
  assert.equal(FETCHES.be_sess_rate!(v, []), 9);
  assert.equal(FETCHES.srv_is_up!(v, ['app/web1']), true);
  assert.equal(FETCHES.ssl_fc_protocol!({ ...v, ssl: false }, []), undefined);
});
