import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv6, keyFromText, normalizeKey, parseIpv6 } from './key.js';

test('ip: dotted quads stay canonical; IPv4-mapped IPv6 becomes IPv4; other IPv6 and junk are refused', () => {
  assert.equal(normalizeKey('192.168.1.10', 'ip'), '192.168.1.10');
  assert.equal(normalizeKey('::ffff:10.0.0.1', 'ip'), '10.0.0.1');
  assert.equal(normalizeKey('::FFFF:a00:1', 'ip'), '10.0.0.1');
  assert.equal(normalizeKey(new Uint8Array([127, 0, 0, 1]), 'ip'), '127.0.0.1');
  assert.equal(normalizeKey('2001:db8::1', 'ip'), undefined);
  assert.equal(normalizeKey('256.1.1.1', 'ip'), undefined);
  assert.equal(normalizeKey('01.2.3.4', 'ip'), undefined, 'leading zeros refused, as inet_pton does');
  assert.equal(normalizeKey('1.2.3', 'ip'), undefined);
  assert.equal(normalizeKey(42, 'ip'), undefined);
});

test('ipv6: RFC 5952 text; IPv4 is stored as ::ffff:a.b.c.d', () => {
  assert.equal(normalizeKey('2001:0DB8:0000:0000:0000:0000:0000:0001', 'ipv6'), '2001:db8::1');
  assert.equal(normalizeKey('2001:db8:0:0:1:0:0:1', 'ipv6'), '2001:db8::1:0:0:1', 'first of two equal runs');
  assert.equal(normalizeKey('2001:db8:0:1:1:1:1:1', 'ipv6'), '2001:db8:0:1:1:1:1:1', 'a single zero word is not compressed');
  assert.equal(normalizeKey('::', 'ipv6'), '::');
  assert.equal(normalizeKey('::1', 'ipv6'), '::1');
  assert.equal(normalizeKey('fe80::', 'ipv6'), 'fe80::');
  assert.equal(normalizeKey('10.1.2.3', 'ipv6'), '::ffff:10.1.2.3');
  assert.equal(normalizeKey('::ffff:0a01:0203', 'ipv6'), '::ffff:10.1.2.3');
  assert.equal(normalizeKey(new Uint8Array([10, 1, 2, 3]), 'ipv6'), '::ffff:10.1.2.3');
  assert.equal(normalizeKey('1:2:3:4:5:6:7:8:9', 'ipv6'), undefined);
  assert.equal(normalizeKey('1::2::3', 'ipv6'), undefined);
  assert.equal(normalizeKey('fe80::1%eth0', 'ipv6'), undefined, 'zone ids are not keys');
  assert.deepEqual(parseIpv6('1:2:3:4:5:6:1.2.3.4'), [1, 2, 3, 4, 5, 6, 0x102, 0x304]);
  assert.equal(formatIpv6([1, 0, 0, 0, 0, 0, 0, 0]), '1::');
});

test('integer: 32-bit signed, wider values wrap like the C cast', () => {
  assert.equal(normalizeKey(12, 'integer'), 12);
  assert.equal(normalizeKey('-7', 'integer'), -7);
  assert.equal(normalizeKey(2 ** 31, 'integer'), -(2 ** 31));
  assert.equal(normalizeKey(2 ** 32 + 5, 'integer'), 5);
  assert.equal(normalizeKey(3.9, 'integer'), 3);
  assert.equal(normalizeKey('12a', 'integer'), undefined);
  assert.equal(normalizeKey(Number.NaN, 'integer'), undefined);
});

test('string: at most len bytes (32 by default), never splitting a UTF-8 character', () => {
  const long = 'x'.repeat(40);
  assert.equal(normalizeKey(long, 'string'), 'x'.repeat(32));
  assert.equal(normalizeKey('abcdef', 'string', 4), 'abcd');
  assert.equal(normalizeKey('abcdé', 'string', 5), 'abcd', 'é takes two bytes; cut before it');
  assert.equal(normalizeKey('abcdé', 'string', 6), 'abcdé');
  assert.equal(normalizeKey(17, 'string'), '17');
});

test('binary: exactly len bytes, truncated or zero-padded, as lowercase hex; the CLI writes them in hex', () => {
  assert.equal(normalizeKey(new Uint8Array([0xde, 0xad]), 'binary', 4), 'dead0000');
  assert.equal(normalizeKey(new Uint8Array([1, 2, 3, 4, 5, 6]), 'binary', 4), '01020304');
  assert.equal(normalizeKey('AB', 'binary', 3), '414200');
  assert.equal((normalizeKey(new Uint8Array([1]), 'binary') as string).length, 64, 'default len 32 bytes');
  assert.equal(keyFromText('DEAD', 'binary', 4), 'dead0000');
  assert.equal(keyFromText('abc', 'binary', 4), undefined);
  assert.equal(keyFromText('10.0.0.1', 'ip'), '10.0.0.1');
});
