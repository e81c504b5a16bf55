import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc32Bytes, djb2Bytes, fullHash, sdbmBytes, wt6Bytes, xxh32 } from './hashes.js';
import { xxh64 } from './xxh64.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('HAProxy hash functions', () => {
  it('crc32 and crc32c give the standard check values of "123456789"', () => {
    assert.equal(crc32Bytes(b('123456789')), 0xcbf43926);
    assert.equal(crc32Bytes(b('123456789'), true), 0xe3069283);
    assert.equal(crc32Bytes(b('')), 0);
  });
  it('xxh32 matches the published vectors (empty, short, >= 16 bytes) and xxh64 agrees on the same text', () => {
    assert.equal(xxh32(b('')), 0x02cc5d05);
    assert.equal(xxh32(b('abc')), 0x32d153ff);
    assert.equal(xxh32(b('Nobody inspects the spammish repetition')), 0xe2293b2f);
    assert.equal(xxh64(b('Nobody inspects the spammish repetition')), 0xfbcea83c8a378bf1n);
    assert.notEqual(xxh32(b('abc'), 1), xxh32(b('abc')));
  });
  it('djb2 and sdbm follow their recurrences', () => {
    assert.equal(djb2Bytes(b('')), 5381);
    assert.equal(djb2Bytes(b('a')), 5381 * 33 + 97);
    assert.equal(djb2Bytes(b('ab')), ((5381 * 33 + 97) * 33 + 98) >>> 0);
    assert.equal(sdbmBytes(b('a')), 97);
    assert.equal(sdbmBytes(b('ab')), (98 + (97 << 6) + (97 << 16) - 97) >>> 0);
  });
  it('wt6 starts from its two seeds and stays 32-bit', () => {
    assert.equal(wt6Bytes(b('')), (0xa53c965a ^ 0x5ca6953a) >>> 0);
    // Regression value of this implementation (HAProxy's doc gives no vector for wt6).
    assert.equal(wt6Bytes(b('abc')), 2483038440);
  });
  it('full_hash avalanches (Jenkins): nearby inputs land far apart', () => {
    assert.equal(fullHash(0), 1800329511);
    assert.notEqual(fullHash(1) >>> 16, fullHash(2) >>> 16);
  });
});
