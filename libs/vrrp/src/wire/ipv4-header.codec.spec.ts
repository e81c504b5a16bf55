import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, encodingLength } from './ipv4-header.codec.js';
import { ADVERT_CAPTURES, hex, toHex } from './keepalived-captures.fixture.js';

test('encode reproduces keepalived IPv4 headers byte for byte (header checksum included)', () => {
  for (const cap of ADVERT_CAPTURES) {
    const frame = hex(cap.frame);
    const header = frame.subarray(14, 34);
    const built = encode({ tos: 0xc0, payloadLength: frame.length - 34, id: cap.id, ttl: 255, protocol: 112, src: cap.src, dst: '224.0.0.18' });
    assert.equal(toHex(built), toHex(header), cap.name);
    assert.equal(encodingLength(), 20);
  }
});

test('round trip at an offset, DF flag kept', () => {
  const buf = new Uint8Array(3 + 20 + 12);
  encode({ tos: 0, payloadLength: 12, id: 0xbeef, flags: 2, ttl: 64, protocol: 112, src: '10.0.0.1', dst: '10.0.0.2' }, buf, 3);
  const v = decode(buf, 3);
  assert.equal(v.kind, 'ok');
  if (v.kind !== 'ok') return;
  assert.deepEqual(
    { ...v.value },
    { headerLength: 20, tos: 0, totalLength: 32, id: 0xbeef, flags: 2, fragmentOffset: 0, ttl: 64, protocol: 112,
      checksum: v.value.checksum, src: '10.0.0.1', dst: '10.0.0.2', payloadOffset: 20, payloadLength: 12 },
  );
  assert.equal(v.bytes, 32);
});

test('verdicts: truncated, version, IHL, total length, checksum, fragment, protocol', () => {
  const base = () => encode({ tos: 0, payloadLength: 4, id: 1, ttl: 255, protocol: 112, src: '1.1.1.1', dst: '224.0.0.18' }, new Uint8Array(24));
  const reason = (b: Uint8Array, opts = {}) => {
    const v = decode(b, 0, opts);
    return v.kind === 'ok' ? 'ok' : `${v.kind}:${v.reason}`;
  };
  const fix = (b: Uint8Array) => {
    b[10] = 0;
    b[11] = 0;
    // recompute the header checksum of the mutated bytes (RFC 1071, written out independently of the codec)
    let s = 0;
    for (let i = 0; i < 20; i += 2) s += (b[i]! << 8) | b[i + 1]!;
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    const c = ~s & 0xffff;
    b[10] = c >> 8;
    b[11] = c & 0xff;
    return b;
  };
  assert.equal(reason(base()), 'ok');
  assert.equal(reason(base().subarray(0, 19)), 'malformed:truncated');
  assert.equal(reason(base().subarray(0, 23)), 'malformed:truncated');
  const v6 = base(); v6[0] = 0x65;
  assert.equal(reason(v6), 'malformed:version');
  const ihl = base(); ihl[0] = 0x44;
  assert.equal(reason(ihl), 'malformed:header-length');
  const tl = base(); tl[3] = 10;
  assert.equal(reason(fix(tl)), 'malformed:total-length');
  const cs = base(); cs[11] ^= 1;
  assert.equal(reason(cs), 'malformed:checksum');
  assert.equal(reason(cs, { verifyChecksum: false }), 'ok');
  const mf = base(); mf[6] = 0x20;
  assert.equal(reason(fix(mf)), 'drop:fragment');
  const udp = base(); udp[9] = 17;
  assert.equal(reason(fix(udp)), 'foreign:protocol');
  assert.equal(reason(fix(udp), { protocol: null }), 'ok');
});

test('random bytes never make decode throw', () => {
  let seed = 99;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 0x100000000);
  for (let i = 0; i < 5000; i++) {
    const buf = new Uint8Array(Math.floor(rand() * 64));
    for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rand() * 256);
    if (buf.length && rand() < 0.5) buf[0] = 0x45;
    decode(buf, Math.floor(rand() * 3), { verifyChecksum: rand() < 0.5 });
  }
});
