import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPacket, ReceiveCounters } from './receive.js';
import { passwordAuthData } from './wire/advertisement.codec.js';
import { ADVERT_CAPTURES, hex } from './wire/keepalived-captures.fixture.js';

const v2 = ADVERT_CAPTURES.filter((c) => c.version === 2);
const expectV2 = { version: 2 as const, vrid: 51, authType: 1, authData: passwordAuthData('lab-vrrp'), advertIntervalSec: 1 };

test('keepalived v2 frames (IP header on) are accepted, with src and priority', () => {
  for (const cap of v2) {
    const v = classifyPacket(hex(cap.frame).subarray(14), expectV2);
    assert.equal(v.key, 'ok', cap.name);
    if (!('received' in v)) continue;
    assert.equal(v.received.src, cap.src);
    assert.equal(v.received.advert.priority, cap.priority);
    assert.equal(v.received.ttl, 255);
  }
});

test('verdict keys: own address, other vrid, wrong password, bad IP header', () => {
  const pkt = hex(v2[0]!.frame).subarray(14);
  assert.equal(classifyPacket(pkt, expectV2, v2[0]!.src).key, 'own');
  assert.equal(classifyPacket(pkt, { ...expectV2, vrid: 52 }).key, 'foreign:vrid');
  assert.equal(classifyPacket(pkt, { ...expectV2, authData: passwordAuthData('nope') }).key, 'drop:auth');
  assert.equal(classifyPacket(pkt.subarray(0, 10), expectV2).key, 'ip:truncated');
  const c = new ReceiveCounters();
  c.count('ok');
  c.count('drop:auth');
  c.count('ok');
  assert.deepEqual({ ...c.snapshot() }, { 'drop:auth': 1, ok: 2 });
});

test('IPv6 (VRRPv3): hop limit from recvmsg is checked first; checksum over the IPv6 pseudo-header; own source', async () => {
  const { classifyIpv6Packet } = await import('./receive.js');
  const { encode } = await import('./wire/advertisement.codec.js');
  const src = 'fe80::a';
  const msg = encode({ version: 3, family: 6, vrid: 61, priority: 110, addresses: ['fd00:198:18::100'], maxAdvertIntervalCs: 10 }, undefined, 0, { src, dst: 'ff02::12' });
  const expect = { version: 3 as const, vrid: 61 };
  const ok = classifyIpv6Packet(msg, { src, dst: 'ff02::12', hopLimit: 255 }, expect);
  assert.equal(ok.key, 'ok');
  if ('received' in ok) assert.deepEqual([ok.received.advert.priority, [...ok.received.advert.addresses]], [110, ['fd00:198:18::100']]);
  assert.equal(classifyIpv6Packet(msg, { src, dst: 'ff02::12', hopLimit: 254 }, expect).key, 'drop:ttl');
  assert.equal(classifyIpv6Packet(msg, { src: 'fe80::b', dst: 'ff02::12', hopLimit: 255 }, expect).key, 'malformed:checksum');
  assert.equal(classifyIpv6Packet(msg, { src, dst: 'ff02::12', hopLimit: 255 }, expect, src).key, 'own');
  assert.equal(classifyIpv6Packet(msg, { src, dst: 'ff02::12', hopLimit: 255 }, { ...expect, vrid: 62 }).key, 'foreign:vrid');
});
