import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleToKey } from './sample-key.js';
import { normalizeKey } from './key.js';
import type { StickKeyType } from './stick-table.types.js';

/** The key the table ends up with (cast, then the table's own normalisation), or undefined. */
const key = (v: string | number | boolean, type: 'str' | 'int' | 'ip' | 'bool', table: StickKeyType, len?: number) => {
  const input = sampleToKey(v, type, table);
  return input === undefined ? undefined : normalizeKey(input, table, len);
};

test('ip samples: to ip, ipv6, integer, string and binary tables as HAProxy casts them', () => {
  assert.equal(key('10.1.2.0', 'ip', 'ip'), '10.1.2.0');
  assert.equal(key('::ffff:10.1.2.3', 'ip', 'ip'), '10.1.2.3', 'IPv4-mapped IPv6 to its IPv4 (c_ipv62ip)');
  assert.equal(key('2001:db8::1', 'ip', 'ip'), undefined);
  assert.equal(key('10.1.2.3', 'ip', 'ipv6'), '::ffff:10.1.2.3');
  assert.equal(key('10.0.0.1', 'ip', 'integer'), (10 * 2 ** 24 + 1) | 0, 'c_ip2int');
  assert.equal(key('2001:db8::1', 'ip', 'integer'), undefined, 'no IPv6 to integer cast');
  assert.equal(key('10.0.0.1', 'ip', 'string'), '10.0.0.1');
  assert.equal(key('10.0.0.1', 'ip', 'binary', 4), '0a000001');
});

test('string samples: only address text becomes an address; integers by read_int64', () => {
  assert.equal(key('192.168.0.7', 'str', 'ip'), '192.168.0.7');
  assert.equal(key('client-a', 'str', 'ip'), undefined, 'a key that cannot be converted: the rule does nothing');
  assert.equal(key('1.2.3.4', 'str', 'ipv6'), undefined, 'c_str2ipv6 reads IPv6 text only');
  assert.equal(key('2001:DB8::1', 'str', 'ipv6'), '2001:db8::1');
  assert.equal(key('42abc', 'str', 'integer'), 42);
  assert.equal(key('-7', 'str', 'integer'), -7);
  assert.equal(key('abc', 'str', 'integer'), 0, 'no digits: 0, as read_int64');
  assert.equal(key('', 'str', 'integer'), undefined, 'the empty string does not cast');
  assert.equal(key('abcdef', 'str', 'string', 4), 'abcd', 'the table cuts to its len');
  assert.equal(key('ab', 'str', 'binary', 4), '61620000');
});

test('integer and boolean samples', () => {
  assert.equal(key(0x0a000001, 'int', 'ip'), '10.0.0.1', 'c_int2ip');
  assert.equal(key(0x0a000001, 'int', 'ipv6'), '::ffff:10.0.0.1');
  assert.equal(key(12, 'int', 'string'), '12');
  assert.equal(key(1, 'int', 'binary', 8), '0000000000000001', '8 big-endian bytes');
  assert.equal(key(true, 'bool', 'integer'), 1);
  assert.equal(key(false, 'bool', 'string'), '0');
  assert.equal(key(true, 'bool', 'ip'), undefined);
  assert.equal(key(true, 'bool', 'binary'), undefined);
});
