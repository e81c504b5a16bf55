/**
 * HAProxy's default hash function (`hash-type ... sdbm`): h = c + (h << 6) + (h << 16) - h over the key bytes,
 * kept to 32 bits. Used by `source` and the consistent-hash ring.
 */
export function sdbm(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (key.charCodeAt(i) + (h << 6) + (h << 16) - h) >>> 0;
  return h;
}

/** A 32-bit avalanche (murmur3's finaliser), so nearby keys spread over the ring. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
