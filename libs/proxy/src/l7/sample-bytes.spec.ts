import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleBytes, sniValue } from './sample-bytes.js';
import type { RequestView } from '@tandem/policy';

test('balance hash casts the sample to bytes as HAProxy (SMP_T_BIN): string as is, address and integer bytes', () => {
  assert.equal(sampleBytes({ value: '/a/b', type: 'str' }), '/a/b');
  assert.deepEqual([...Buffer.from(sampleBytes({ value: '10.0.0.1', type: 'ip' })!, 'latin1')], [10, 0, 0, 1]);
  assert.equal(Buffer.from(sampleBytes({ value: '2001:db8::1', type: 'ip' })!, 'latin1').toString('hex'), '20010db8000000000000000000000001');
  assert.equal(Buffer.from(sampleBytes({ value: 258, type: 'int' })!, 'latin1').toString('hex'), '0000000000000102');
  assert.equal(sampleBytes({ value: true, type: 'bool' }), undefined, 'no boolean to binary cast in 2.6: round robin');
});

test('sni <expr>: the value as text; nothing or an empty string sends no SNI', () => {
  const view = (host?: string): RequestView => ({
    src: '127.0.0.1', srcPort: 1, dst: '127.0.0.1', dstPort: 2, method: 'GET', uri: '/', ssl: false, sni: undefined, nbsrv: () => 1,
    headers: host === undefined ? { names: [], rawNames: [], values: [] } : { names: ['host'], rawNames: ['Host'], values: [host] },
  });
  const tls = { sniExpr: { fetch: 'req.hdr', args: ['host'] } };
  assert.equal(sniValue(tls, view('api.example')), 'api.example');
  assert.equal(sniValue(tls, view()), undefined);
  assert.equal(sniValue(tls, view('')), undefined);
});
