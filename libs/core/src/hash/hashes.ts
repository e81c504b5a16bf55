/**
 * The 32-bit hash functions HAProxy offers as converters and `hash-type` functions (sdbm, djb2, wt6, crc32, xxh32)
 * and its `full_hash` avalanche, written from the algorithms' published descriptions. Inputs are bytes; every
 * result is an unsigned 32-bit number. Shared by `@tandem/policy` (converters) and `@tandem/proxy` (xxh64 cookies).
 */

/** sdbm: h = c + (h << 6) + (h << 16) - h. */
export function sdbmBytes(b: Uint8Array): number {
  let h = 0;
  for (let i = 0; i < b.length; i++) h = (b[i]! + (h << 6) + (h << 16) - h) >>> 0;
  return h;
}

/** djb2: h = 5381, then h = h * 33 + c. */
export function djb2Bytes(b: Uint8Array): number {
  let h = 5381;
  for (let i = 0; i < b.length; i++) h = (Math.imul(h, 33) + b[i]!) >>> 0;
  return h;
}

/**
 * wt6 (Willy Tarreau's 6-bit-step hash): two 32-bit halves mixed per byte with data-dependent rotations.
 * A rotation by 0 leaves the word unchanged (`>>> 32` is `>>> 0` in JS as on x86).
 */
export function wt6Bytes(b: Uint8Array): number {
  let h0 = 0xa53c965a;
  let h1 = 0x5ca6953a;
  let step0 = 6;
  let step1 = 18;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    h0 = ~(h0 ^ c) >>> 0;
    h1 = ~(h1 + c) >>> 0;
    const t = ((h1 << step0) | (h1 >>> (32 - step0))) >>> 0;
    h1 = ((h0 << step1) | (h0 >>> (32 - step1))) >>> 0;
    h0 = t;
    const m = ((h0 >>> 16) ^ h1) & 0xffff;
    step0 = m & 0x1f;
    step1 = m >>> 11;
  }
  return (h0 ^ h1) >>> 0;
}

const CRC_TABLES = new Map<number, Uint32Array>();

function crcTable(poly: number): Uint32Array {
  let t = CRC_TABLES.get(poly);
  if (!t) {
    t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    CRC_TABLES.set(poly, t);
  }
  return t;
}

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and HAProxy's hash_crc32), or CRC-32C
 * (Castagnoli, reflected 0x82F63B78, HAProxy's `crc32c`) when `castagnoli` is set.
 */
export function crc32Bytes(b: Uint8Array, castagnoli = false): number {
  const table = crcTable(castagnoli ? 0x82f63b78 : 0xedb88320);
  let crc = 0xffffffff;
  for (let i = 0; i < b.length; i++) crc = table[(crc ^ b[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Bob Jenkins' 32-bit integer avalanche, HAProxy's `full_hash` (the `avalanche` argument of the hash converters). */
export function fullHash(a: number): number {
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return a;
}

const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;
const rotl32 = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const lane = (b: Uint8Array, p: number): number => (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
const round32 = (acc: number, v: number): number => Math.imul(rotl32((acc + Math.imul(v, P2)) >>> 0, 13), P1) >>> 0;

/** XXH32 of `b` with `seed` (unsigned 32-bit). */
export function xxh32(b: Uint8Array, seed = 0): number {
  const len = b.length;
  let p = 0;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + P1 + P2) >>> 0;
    let v2 = (seed + P2) >>> 0;
    let v3 = seed >>> 0;
    let v4 = (seed - P1) >>> 0;
    for (; p + 16 <= len; p += 16) {
      v1 = round32(v1, lane(b, p));
      v2 = round32(v2, lane(b, p + 4));
      v3 = round32(v3, lane(b, p + 8));
      v4 = round32(v4, lane(b, p + 12));
    }
    h = (rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18)) >>> 0;
  } else h = (seed + P5) >>> 0;
  h = (h + len) >>> 0;
  for (; p + 4 <= len; p += 4) h = Math.imul(rotl32((h + Math.imul(lane(b, p), P3)) >>> 0, 17), P4) >>> 0;
  for (; p < len; p++) h = Math.imul(rotl32((h + Math.imul(b[p]!, P5)) >>> 0, 11), P1) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, P2) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, P3) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
