/**
 * The Internet checksum (RFC 1071) and the VRRP-specific ways of applying it. Pure functions over bytes.
 *
 * - VRRPv2: over the VRRP message only, starting at the version field. RFC 3768 §5.3.8.
 * - VRRPv3: over the VRRP message plus the IPv4 / IPv6 pseudo-header. RFC 5798 §5.2.8 (IPv4 pseudo-header as in
 *   RFC 768; IPv6 pseudo-header as in RFC 8200 §8.1).
 * Some older VRRPv3 implementations (and keepalived's `vrrp_v3_checksum_as_v2` option) compute the IPv4 VRRPv3
 * checksum without the pseudo-header; `verifyV3Ipv4Checksum` recognises both forms and says which one matched.
 */
import { VRRP_IP_PROTOCOL } from './vrrp-constants.js';

/** Adds 16-bit big-endian words of buf[offset, offset+length) to a running 32-bit sum (not yet folded). */
export function sumWords(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  let sum = initial;
  const end = offset + length;
  let i = offset;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  // An odd trailing byte is padded with a zero byte on the right (RFC 1071 §4.1).
  if (i < end) sum += buf[i]! << 8;
  // Fold early so the sum never leaves the safe integer range, however long the input.
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Folds a running sum and returns its one's complement, the value to put in the checksum field. */
export function finishChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** RFC 1071 Internet checksum of a byte range. A range that embeds its own correct checksum yields 0. */
export function internetChecksum(buf: Uint8Array, offset = 0, length = buf.length - offset): number {
  return finishChecksum(sumWords(buf, offset, length));
}

/** Sum of the IPv4 pseudo-header: src, dst, zero, protocol 112, VRRP length. RFC 5798 §5.2.8, RFC 768. */
export function ipv4PseudoHeaderSum(src: Uint8Array, dst: Uint8Array, length: number): number {
  const ph = new Uint8Array(12);
  ph.set(src.subarray(0, 4), 0);
  ph.set(dst.subarray(0, 4), 4);
  ph[9] = VRRP_IP_PROTOCOL;
  ph[10] = (length >> 8) & 0xff;
  ph[11] = length & 0xff;
  return sumWords(ph, 0, 12);
}

/** Sum of the IPv6 pseudo-header: src, dst, 32-bit length, 3 zero bytes, next header 112. RFC 8200 §8.1. */
export function ipv6PseudoHeaderSum(src: Uint8Array, dst: Uint8Array, length: number, nextHeader = VRRP_IP_PROTOCOL): number {
  const ph = new Uint8Array(40);
  ph.set(src.subarray(0, 16), 0);
  ph.set(dst.subarray(0, 16), 16);
  ph[32] = (length >>> 24) & 0xff;
  ph[33] = (length >> 16) & 0xff;
  ph[34] = (length >> 8) & 0xff;
  ph[35] = length & 0xff;
  ph[39] = nextHeader;
  return sumWords(ph, 0, 40);
}

/** VRRPv2 checksum over the message bytes (checksum field must be zero while computing). RFC 3768 §5.3.8. */
export function v2Checksum(msg: Uint8Array, offset = 0, length = msg.length - offset): number {
  return internetChecksum(msg, offset, length);
}

/** VRRPv3 checksum for IPv4 (with pseudo-header). RFC 5798 §5.2.8. */
export function v3Ipv4Checksum(msg: Uint8Array, src: Uint8Array, dst: Uint8Array, offset = 0, length = msg.length - offset): number {
  return finishChecksum(sumWords(msg, offset, length, ipv4PseudoHeaderSum(src, dst, length)));
}

/** VRRPv3 checksum for IPv6 (with pseudo-header). RFC 5798 §5.2.8. */
export function v3Ipv6Checksum(msg: Uint8Array, src: Uint8Array, dst: Uint8Array, offset = 0, length = msg.length - offset): number {
  return finishChecksum(sumWords(msg, offset, length, ipv6PseudoHeaderSum(src, dst, length)));
}

/** Which form of the VRRPv3-over-IPv4 checksum a received message carries. */
export type V3Ipv4ChecksumForm = 'pseudo-header' | 'message-only';

/**
 * Verifies a received VRRPv3-over-IPv4 message (checksum field included) in either form: first with the
 * pseudo-header (RFC 5798 §5.2.8), then over the message alone (the pre-RFC-5798-errata / "as v2" form).
 * Returns the form that matched, or null when neither does.
 */
export function verifyV3Ipv4Checksum(
  msg: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
  offset = 0,
  length = msg.length - offset,
): V3Ipv4ChecksumForm | null {
  if (v3Ipv4Checksum(msg, src, dst, offset, length) === 0) return 'pseudo-header';
  if (internetChecksum(msg, offset, length) === 0) return 'message-only';
  return null;
}
