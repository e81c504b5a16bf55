import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, encodingLength, passwordAuthData } from './advertisement.codec.js';
import type { AdvertDecodeContext, VrrpAdvertisement } from './advertisement.types.js';
import { decode as decodeIpv4 } from './ipv4-header.codec.js';
import { ADVERT_CAPTURES, NODE_SENDER_CAPTURES, hex, toHex } from './keepalived-captures.fixture.js';

const ETH = 14;
const PASS = passwordAuthData('lab-vrrp');
const v4ctx = (src: string, extra: Partial<AdvertDecodeContext> = {}): AdvertDecodeContext => ({
  family: 4, src, dst: '224.0.0.18', ttl: 255, ...extra,
});

function expectedAdvert(version: 2 | 3, priority: number): VrrpAdvertisement {
  return version === 2
    ? { version: 2, vrid: 51, priority, addresses: ['198.18.0.100'], advertIntervalSec: 1, authType: 1, authData: PASS }
    : { version: 3, family: 4, vrid: 51, priority, addresses: ['198.18.0.100'], maxAdvertIntervalCs: 10 };
}

for (const cap of ADVERT_CAPTURES) {
  test(`keepalived capture ${cap.name}: decode accepts, encode reproduces the bytes`, () => {
    const frame = hex(cap.frame);
    const ip = decodeIpv4(frame, ETH);
    assert.equal(ip.kind, 'ok');
    if (ip.kind !== 'ok') return;
    assert.equal(ip.value.src, cap.src);
    assert.equal(ip.value.dst, '224.0.0.18');
    assert.equal(ip.value.ttl, 255);
    assert.equal(ip.value.tos, 0xc0);
    assert.equal(ip.value.id, cap.id);
    const msgStart = ETH + ip.value.payloadOffset;
    const message = frame.subarray(msgStart, msgStart + ip.value.payloadLength);

    const v = decode(frame, msgStart, { ...v4ctx(ip.value.src), ttl: ip.value.ttl, length: ip.value.payloadLength });
    assert.equal(v.kind, 'ok', JSON.stringify(v));
    if (v.kind !== 'ok') return;
    assert.equal(v.bytes, message.length);
    assert.equal(v.value.checksum, cap.checksum);
    const want = expectedAdvert(cap.version, cap.priority);
    assert.deepEqual(v.value.advert, want);
    if (cap.version === 2) assert.equal(v.value.password, 'lab-vrrp');
    else assert.equal(v.value.checksumForm, 'pseudo-header');

    assert.equal(encodingLength(want), message.length);
    assert.equal(toHex(encode(want, undefined, 0, { src: cap.src })), toHex(message));
  });
}

for (const cap of NODE_SENDER_CAPTURES) {
  test(`keepalived accepted ${cap.name}: encode reproduces it, decode accepts it`, () => {
    const want = expectedAdvert(cap.version, cap.priority);
    assert.equal(toHex(encode(want, undefined, 0, { src: cap.src })), cap.message);
    const v = decode(hex(cap.message), 0, v4ctx(cap.src));
    assert.equal(v.kind, 'ok');
    if (v.kind === 'ok') assert.deepEqual(v.value.advert, want);
  });
}

const samples: Array<{ msg: VrrpAdvertisement; ctx: AdvertDecodeContext }> = [
  { msg: { version: 2, vrid: 1, priority: 255, addresses: [], advertIntervalSec: 255, authType: 0, authData: new Uint8Array(8) }, ctx: v4ctx('10.0.0.1') },
  { msg: { version: 2, vrid: 200, priority: 1, addresses: ['10.1.2.3', '192.168.255.254'], advertIntervalSec: 3, authType: 1, authData: passwordAuthData('pw') }, ctx: v4ctx('10.0.0.2') },
  { msg: { version: 3, family: 4, vrid: 7, priority: 100, addresses: ['10.9.8.7', '1.2.3.4'], maxAdvertIntervalCs: 4095 }, ctx: v4ctx('10.0.0.3') },
  {
    msg: { version: 3, family: 6, vrid: 9, priority: 254, addresses: ['fe80::1', '2001:db8::a:b'], maxAdvertIntervalCs: 100 },
    ctx: { family: 6, src: 'fe80::200:c6ff:fe12:b', dst: 'ff02::12', ttl: 255 },
  },
];

test('round trip at every offset 0..5, with the length from encodingLength', () => {
  for (const { msg, ctx } of samples) {
    const len = encodingLength(msg);
    for (let off = 0; off <= 5; off++) {
      const buf = new Uint8Array(off + len + 3).fill(0xee);
      encode(msg, buf, off, { src: ctx.src, dst: ctx.dst });
      assert.equal(buf[off + len], 0xee, 'encode wrote past its length');
      const v = decode(buf, off, { ...ctx, length: len });
      assert.equal(v.kind, 'ok', `${JSON.stringify(v)} at ${off}`);
      if (v.kind === 'ok') {
        assert.equal(v.bytes, len);
        assert.deepEqual(v.value.advert, msg);
      }
    }
  }
});

test('encodingLength: v2 = 8 + 4n + 8, v3/IPv4 = 8 + 4n, v3/IPv6 = 8 + 16n', () => {
  assert.deepEqual(samples.map((s) => encodingLength(s.msg)), [16, 24, 16, 40]);
});

const good = hex('213378010101e7e1c61200646c61622d76727270');
const goodV3 = hex('31337801000ae99ec6120064');
const reasonOf = (v: ReturnType<typeof decode>) => (v.kind === 'ok' ? 'ok' : `${v.kind}:${v.reason}`);

test('each receive check has its verdict and reason', () => {
  const mut = (src: Uint8Array, i: number, value: number) => {
    const b = Uint8Array.from(src);
    b[i] = value;
    return b;
  };
  const ctx = v4ctx('198.18.0.10');
  const cases: Array<[string, Uint8Array, AdvertDecodeContext, string]> = [
    ['TTL 254 is dropped (RFC 5798 §7.1)', good, { ...ctx, ttl: 254 }, 'drop:ttl'],
    ['fewer than 8 bytes', good.subarray(0, 7), ctx, 'malformed:truncated'],
    ['version 4', mut(good, 0, 0x41), ctx, 'malformed:version'],
    ['type 2', mut(good, 0, 0x22), ctx, 'malformed:type'],
    ['v2 over IPv6', good, { family: 6, src: 'fe80::1', dst: 'ff02::12', ttl: 255 }, 'malformed:family'],
    ['count_ip 2 but one address', mut(good, 3, 2), ctx, 'malformed:count-ip'],
    ['one byte short of the auth data', good.subarray(0, 19), ctx, 'malformed:truncated'],
    ['trailing byte', Uint8Array.from([...good, 0]), ctx, 'malformed:length'],
    ['v2 checksum flipped', mut(good, 7, 0xe2), ctx, 'malformed:checksum'],
    ['v3 checksum with the wrong source address', goodV3, v4ctx('198.18.0.11'), 'malformed:checksum'],
    ['unparsable context address', goodV3, v4ctx('nope'), 'malformed:address'],
    ['expected VRRPv3', good, { ...ctx, expect: { version: 3 } }, 'foreign:version-mismatch'],
    ['expected VRID 52', good, { ...ctx, expect: { vrid: 52 } }, 'foreign:vrid'],
    ['auth type 0 configured', good, { ...ctx, expect: { authType: 0 } }, 'drop:auth'],
    ['wrong password', good, { ...ctx, expect: { authType: 1, authData: passwordAuthData('other') } }, 'drop:auth'],
    ['right password', good, { ...ctx, expect: { authType: 1, authData: PASS, advertIntervalSec: 1, vrid: 51, version: 2 } }, 'ok'],
    ['interval 2 s configured (RFC 3768 §7.1)', good, { ...ctx, expect: { advertIntervalSec: 2 } }, 'drop:advert-interval'],
  ];
  for (const [name, buf, c, want] of cases) assert.equal(reasonOf(decode(buf, 0, c)), want, name);
});

test('VRRPv3/IPv4 message-only checksum is recognised only when allowed, and reported', () => {
  const msg = expectedAdvert(3, 120);
  const asV2 = encode(msg, undefined, 0, { src: '198.18.0.10', v3ChecksumWithoutPseudoHeader: true });
  assert.notEqual(toHex(asV2), toHex(goodV3));
  assert.equal(reasonOf(decode(asV2, 0, v4ctx('198.18.0.10'))), 'malformed:checksum');
  const v = decode(asV2, 0, v4ctx('198.18.0.10', { acceptV3ChecksumWithoutPseudoHeader: true }));
  assert.equal(v.kind === 'ok' && v.value.checksumForm, 'message-only');
});

test('v3 rsvd bits are ignored on receipt (RFC 5798 §5.2.6)', () => {
  const b = Uint8Array.from(goodV3);
  b[4] = 0xf0; // set rsvd, then fix the checksum by compensating in the checksum field
  const fixed = encode(expectedAdvert(3, 120), undefined, 0, { src: '198.18.0.10' });
  assert.equal(toHex(fixed), toHex(goodV3));
  const sum = ((b[6]! << 8) | b[7]!) - 0xf000;
  const adj = sum < 0 ? sum + 0xffff : sum;
  b[6] = adj >> 8;
  b[7] = adj & 0xff;
  const v = decode(b, 0, v4ctx('198.18.0.10'));
  assert.equal(v.kind === 'ok' && v.value.advert.version === 3 && v.value.advert.maxAdvertIntervalCs, 10);
});

test('encode refuses what cannot be represented', () => {
  assert.throws(() => encode({ ...expectedAdvert(2, 1), vrid: 0 } as VrrpAdvertisement), RangeError);
  assert.throws(() => encode({ ...expectedAdvert(3, 1), maxAdvertIntervalCs: 4096 } as VrrpAdvertisement, undefined, 0, { src: '1.2.3.4' }), RangeError);
  assert.throws(() => encode(expectedAdvert(3, 1)), TypeError);
  assert.throws(() => encode({ ...expectedAdvert(2, 1), addresses: ['1.2.3'] } as VrrpAdvertisement), TypeError);
  assert.throws(() => encode(expectedAdvert(2, 1), new Uint8Array(10)), RangeError);
});

test('random bytes never make decode throw', () => {
  let seed = 0x12345678;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const ctxs: AdvertDecodeContext[] = [
    v4ctx('198.18.0.10'),
    { family: 6, src: 'fe80::1', dst: 'ff02::12', ttl: 255 },
    v4ctx('198.18.0.10', { acceptV3ChecksumWithoutPseudoHeader: true, expect: { authType: 1, authData: PASS } }),
  ];
  const kinds = new Set<string>();
  for (let i = 0; i < 20000; i++) {
    const buf = new Uint8Array(Math.floor(rand() * 80));
    for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rand() * 256);
    // Bias towards plausible headers so the deeper checks run too.
    if (buf.length > 0 && rand() < 0.7) buf[0] = rand() < 0.5 ? 0x21 : 0x31;
    if (buf.length > 3 && rand() < 0.7) buf[3] = Math.floor(rand() * 4);
    const off = Math.floor(rand() * 4);
    const ctx = ctxs[i % ctxs.length]!;
    const withLen = rand() < 0.3 ? { ...ctx, length: Math.floor(rand() * 90) - 5 } : ctx;
    const v = decode(buf, off, withLen);
    kinds.add(v.kind === 'ok' ? 'ok' : v.reason);
  }
  for (const r of ['truncated', 'version', 'type', 'count-ip', 'length', 'checksum']) assert.ok(kinds.has(r), `never saw ${r}`);
});
