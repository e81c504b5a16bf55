import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xxh64 } from './xxh64.js';

// The published XXH64 sanity vectors (xxHash's own self-test): a 101-byte buffer where byte i is the top byte of a
// 32-bit generator that starts at PRIME32_1 (2654435761) and is squared (mod 2^32) after each byte.
const PRIME = 2654435761n;
const SANITY = (() => {
  const b = new Uint8Array(101);
  let gen = 2654435761;
  for (let i = 0; i < b.length; i++) {
    b[i] = gen >>> 24;
    gen = Number((BigInt(gen) * BigInt(gen)) & 0xffffffffn);
  }
  return b;
})();

const text = (s: string) => new TextEncoder().encode(s);

describe('xxh64', () => {
  it('matches the xxHash sanity vectors (every code path: <4, 4..7, 8..31, >=32 bytes, with and without a seed)', () => {
    const cases: Array<[number, bigint, bigint]> = [
      [0, 0n, 0xef46db3751d8e999n],
      [0, PRIME, 0xac75fda2929b17efn],
      [1, 0n, 0x4fce394cc88952d8n],
      [1, PRIME, 0x739840cb819fa723n],
      [4, 0n, 0x9256e58aa397aef1n],
      [4, PRIME, 0x09d5ffdfb928ab4bn],
      [8, 0n, 0xf74cb1451b32b8cfn],
      [8, PRIME, 0x9c44b77fbcc302c5n],
      [14, 0n, 0xcffa8db881bc3a3dn],
      [14, PRIME, 0x5b9611585efcc9cbn],
      [32, 0n, 0xaf5753d39159edeen],
      [32, PRIME, 0xdcab9233b8ca7b0fn],
      [101, 0n, 0x0eab543384f878adn],
      [101, PRIME, 0xcaa65939306f1e21n],
    ];
    for (const [len, seed, want] of cases) {
      assert.equal(xxh64(SANITY.subarray(0, len), seed).toString(16), want.toString(16), `len ${len} seed ${seed}`);
    }
  });

  it('matches well-known string digests', () => {
    assert.equal(xxh64(text('a')), 0xd24ec4f1a98c6e5bn);
    assert.equal(xxh64(text('abc')), 0x44bc2cf5ad770999n);
  });

  it('reads a view at an offset of a larger buffer', () => {
    const big = new Uint8Array(200);
    big.set(SANITY, 50);
    assert.equal(xxh64(big.subarray(50, 151)), 0x0eab543384f878adn);
  });
});
