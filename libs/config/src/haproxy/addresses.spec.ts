import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipFamily, parseListenAddress, parseServerEndpoint } from './addresses.js';
import { parseSize, parseTime } from './units.js';

test('bind addresses in every HAProxy form', () => {
  assert.deepEqual(parseListenAddress('10.0.0.1:80'), { kind: 'inet', host: '10.0.0.1', port: 80, family: 4 });
  assert.deepEqual(parseListenAddress('[::1]:8443'), { kind: 'inet', host: '::1', port: 8443, family: 6 });
  assert.deepEqual(parseListenAddress('*:80'), { kind: 'inet', host: '*', port: 80, family: 0 });
  assert.deepEqual(parseListenAddress(':80'), { kind: 'inet', host: '*', port: 80, family: 0 });
  assert.deepEqual(parseListenAddress('unix@/run/a.sock'), { kind: 'unix', path: '/run/a.sock' });
  assert.deepEqual(parseListenAddress('/run/b.sock'), { kind: 'unix', path: '/run/b.sock' });
  assert.deepEqual(parseListenAddress('fd@3'), { kind: 'fd', fd: 3 });
  assert.match(parseListenAddress('10.0.0.1') as string, /missing port/);
  assert.match(parseListenAddress('10.0.0.1:99999') as string, /invalid port/);
  // Without brackets the last colon separates the port, as in HAProxy.
  assert.deepEqual(parseListenAddress('::1:80'), { kind: 'inet', host: '::1', port: 80, family: 6 });
  assert.match(parseListenAddress('fe80::zz:80') as string, /brackets|invalid address/);
});

test('server endpoints accept names, resolved later', () => {
  assert.deepEqual(parseServerEndpoint('db.local:5432'), { host: 'db.local', port: 5432, family: 0 });
  assert.deepEqual(parseServerEndpoint('[2001:db8::1]:80'), { host: '2001:db8::1', port: 80, family: 6 });
  assert.equal(ipFamily('256.1.1.1'), 0);
});

test('time and size units as HAProxy reads them', () => {
  assert.deepEqual(['100', '100ms', '5s', '2m', '1h', '1d', '1500us'].map(parseTime), [100, 100, 5000, 120000, 3600000, 86400000, 2]);
  assert.equal(parseTime('5x'), undefined);
  assert.deepEqual(['16384', '16k', '1m', '1g'].map(parseSize), [16384, 16384, 1048576, 1073741824]);
});
