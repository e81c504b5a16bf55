import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareIp, formatIpv6, parseIpv4, parseIpv6, parseMac, formatMac } from './ip-address.js';

test('IPv4 parse rejects junk', () => {
  assert.deepEqual([...parseIpv4('198.18.0.100')!], [198, 18, 0, 100]);
  for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1..2.3', ' 1.2.3.4']) assert.equal(parseIpv4(bad), null, bad);
});

test('IPv6 text round trip in RFC 5952 form', () => {
  const cases: Array<[string, string]> = [
    ['fe80::1', 'fe80::1'],
    ['FF02:0:0:0:0:0:0:12', 'ff02::12'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::ffff:198.18.0.1', '::ffff:c612:1'],
    ['1::', '1::'],
  ];
  for (const [input, out] of cases) assert.equal(formatIpv6(parseIpv6(input)!), out, input);
  for (const bad of ['1:2:3', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8']) assert.equal(parseIpv6(bad), null, bad);
});

test('compareIp orders as unsigned bytes', () => {
  assert.ok(compareIp('198.18.0.12', '198.18.0.11') > 0);
  assert.ok(compareIp('10.0.0.200', '10.0.0.3') > 0);
  assert.equal(compareIp('fe80::1', 'fe80:0::1'), 0);
  assert.throws(() => compareIp('1.2.3.4', 'fe80::1'), TypeError);
});

test('MAC parse and format', () => {
  assert.equal(formatMac(parseMac('02:00:C6:12:00:0b')!), '02:00:c6:12:00:0b');
  assert.equal(parseMac('02:00:c6:12:00'), null);
});
