import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeGarp, encodeUnsolicitedNa, garpEncodingLength, naEncodingLength } from './arp.codec.js';
import { finishChecksum, ipv6PseudoHeaderSum, sumWords } from './checksum.js';
import { parseIpv6 } from './ip-address.js';
import { GARP_CAPTURE, hex, toHex } from './keepalived-captures.fixture.js';

test('gratuitous ARP is byte-identical to keepalived capture §8', () => {
  const frame = encodeGarp({ senderMac: '02:00:c6:12:00:0c', vip: '198.18.0.100' });
  assert.equal(frame.length, garpEncodingLength());
  assert.equal(toHex(frame), toHex(hex(GARP_CAPTURE)));
});

test('gratuitous ARP at an offset leaves the surrounding bytes alone', () => {
  const buf = new Uint8Array(50).fill(0xaa);
  encodeGarp({ senderMac: '02:00:c6:12:00:0c', vip: '198.18.0.100' }, buf, 4);
  assert.equal(toHex(buf.subarray(4, 46)), toHex(hex(GARP_CAPTURE)));
  assert.equal(buf[3], 0xaa);
  assert.equal(buf[46], 0xaa);
  assert.throws(() => encodeGarp({ senderMac: '02:00:c6:12:00', vip: '198.18.0.100' }), TypeError);
  assert.throws(() => encodeGarp({ senderMac: '02:00:c6:12:00:0c', vip: '198.18.0.100' }, new Uint8Array(41)), RangeError);
});

test('unsolicited NA: layout written out field by field, checksum verifies', () => {
  const f = encodeUnsolicitedNa({ senderMac: '02:00:c6:12:00:0c', src: 'fe80::c6ff:fe12:c', target: '2001:db8::100' });
  assert.equal(f.length, naEncodingLength());
  const expected =
    '333300000001' + '0200c612000c' + '86dd' + // Ethernet: all-nodes MAC, our MAC, IPv6
    '60000000' + '0020' + '3a' + 'ff' + // IPv6: version 6, payload 32, next header 58, hop limit 255
    'fe800000000000000000c6fffe12000c' + 'ff020000000000000000000000000001' + // src, dst ff02::1
    '88' + '00' + 'XXXX' + 'a0000000' + // ICMPv6 type 136, code 0, checksum, flags R|O
    '20010db8000000000000000000000100' + // target
    '02' + '01' + '0200c612000c'; // option: target link-layer address
  const got = toHex(f);
  const ck = got.slice(2 * 56, 2 * 58);
  assert.equal(got, expected.replace('XXXX', ck));
  const src = parseIpv6('fe80::c6ff:fe12:c')!;
  const dst = parseIpv6('ff02::1')!;
  assert.equal(finishChecksum(sumWords(f, 54, 32, ipv6PseudoHeaderSum(src, dst, 32, 58))), 0);
  const noRouter = encodeUnsolicitedNa({ senderMac: '02:00:c6:12:00:0c', src: 'fe80::1', target: '2001:db8::100', router: false });
  assert.equal(noRouter[58], 0x20);
});
