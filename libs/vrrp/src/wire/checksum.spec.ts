import { test } from 'node:test';
import assert from 'node:assert/strict';
import { internetChecksum, v2Checksum, v3Ipv4Checksum, v3Ipv6Checksum, verifyV3Ipv4Checksum } from './checksum.js';
import { parseIpv4, parseIpv6 } from './ip-address.js';
import { hex } from './keepalived-captures.fixture.js';

const ip4 = (s: string) => parseIpv4(s)!;
const ip6 = (s: string) => parseIpv6(s)!;

test('RFC 1071 §3 example: words 0001 f203 f4f5 f6f7 sum to ddf2, checksum 220d', () => {
  assert.equal(internetChecksum(hex('0001f203f4f5f6f7')), 0x220d);
  // odd length: the last byte is padded with zero on the right
  // 0001 + f203 + f4f5 + f600 = 2dcf9 -> fold dcf9 + 2 = dcfb -> complement 2304
  assert.equal(internetChecksum(hex('0001f203f4f5f6')), 0x2304);
});

test('v2 checksum of keepalived §1 with the field zeroed is 0xf1e1', () => {
  const m = hex('21336e0101010000c61200646c61622d76727270');
  assert.equal(v2Checksum(m), 0xf1e1);
});

test('v3/IPv4 checksum of keepalived §5 with the pseudo-header is 0xf39d; verify says which form', () => {
  const m = hex('31336e01000a0000c6120064');
  assert.equal(v3Ipv4Checksum(m, ip4('198.18.0.11'), ip4('224.0.0.18')), 0xf39d);
  const full = hex('31336e01000af39dc6120064');
  assert.equal(verifyV3Ipv4Checksum(full, ip4('198.18.0.11'), ip4('224.0.0.18')), 'pseudo-header');
  assert.equal(verifyV3Ipv4Checksum(full, ip4('198.18.0.12'), ip4('224.0.0.18')), null);
  const asV2 = Uint8Array.from(m);
  const c = internetChecksum(asV2);
  asV2[6] = c >> 8;
  asV2[7] = c & 0xff;
  assert.equal(verifyV3Ipv4Checksum(asV2, ip4('198.18.0.11'), ip4('224.0.0.18')), 'message-only');
});

test('v3/IPv6 checksum embeds to zero and depends on the pseudo-header', () => {
  const m = hex('31096401006400000000000000000000000000000000000a');
  m[4] = 0; // keep the field layout obvious: rsvd/max_adver_int = 0x0064
  m[5] = 0x64;
  const src = ip6('fe80::1');
  const dst = ip6('ff02::12');
  const c = v3Ipv6Checksum(m, src, dst);
  m[6] = c >> 8;
  m[7] = c & 0xff;
  assert.equal(v3Ipv6Checksum(m, src, dst), 0);
  assert.notEqual(v3Ipv6Checksum(m, ip6('fe80::2'), dst), 0);
});

test('checksum over a range at an offset equals the checksum of the slice', () => {
  const m = hex('aa55' + '21336e0101010000c61200646c61622d76727270');
  assert.equal(internetChecksum(m, 2, 20), 0xf1e1);
});
