/**
 * IPv4 header codec (RFC 791 §3.1). A raw IPv4 socket (AF_INET, SOCK_RAW, 112) delivers the IP header in front of
 * the VRRP message; decode() splits them and reports what the VRRP receive checks need (src, dst, TTL).
 * encode() exists for tests and for senders that build the header themselves (IP_HDRINCL).
 */
import { internetChecksum } from './checksum.js';
import { formatIpv4, parseIpv4 } from './ip-address.js';
import { ok, reject, type Verdict } from './verdict.types.js';
import { VRRP_IP_PROTOCOL } from './vrrp-constants.js';

/** Minimum header: 5 32-bit words. RFC 791 §3.1 (IHL). */
export const IPV4_MIN_HEADER_LENGTH = 20;

export interface Ipv4Header {
  readonly headerLength: number;
  readonly tos: number;
  readonly totalLength: number;
  readonly id: number;
  /** The 3 flag bits (bit 1 = DF, bit 0 = MF). */
  readonly flags: number;
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  readonly src: string;
  readonly dst: string;
  /** Where the payload starts and how long it is, relative to the decode offset. */
  readonly payloadOffset: number;
  readonly payloadLength: number;
}

export type Ipv4HeaderRejectReason = 'truncated' | 'version' | 'header-length' | 'total-length' | 'checksum' | 'fragment' | 'protocol';

export interface Ipv4DecodeOptions {
  /** Protocol the caller wants; anything else is `foreign`. Default 112 (VRRP). null accepts any. */
  readonly protocol?: number | null;
  /** Verify the header checksum (the kernel already did for received packets). Default true. */
  readonly verifyChecksum?: boolean;
}

export function decode(buf: Uint8Array, offset = 0, options: Ipv4DecodeOptions = {}): Verdict<Ipv4Header, Ipv4HeaderRejectReason> {
  if (!Number.isInteger(offset) || offset < 0 || buf.length - offset < IPV4_MIN_HEADER_LENGTH) {
    return reject('malformed', 'truncated', `need ${IPV4_MIN_HEADER_LENGTH} bytes for an IPv4 header`);
  }
  const version = buf[offset]! >> 4;
  if (version !== 4) return reject('malformed', 'version', `IP version ${version}`);
  const headerLength = (buf[offset]! & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) return reject('malformed', 'header-length', `IHL ${headerLength / 4} below 5`);
  if (headerLength > buf.length - offset) return reject('malformed', 'truncated', `IHL says ${headerLength} bytes, have ${buf.length - offset}`);
  const totalLength = (buf[offset + 2]! << 8) | buf[offset + 3]!;
  if (totalLength < headerLength) return reject('malformed', 'total-length', `total length ${totalLength} below header ${headerLength}`);
  if (totalLength > buf.length - offset) return reject('malformed', 'truncated', `total length ${totalLength}, have ${buf.length - offset}`);
  const checksum = (buf[offset + 10]! << 8) | buf[offset + 11]!;
  if (options.verifyChecksum !== false && internetChecksum(buf, offset, headerLength) !== 0) {
    return reject('malformed', 'checksum', `bad header checksum 0x${checksum.toString(16)}`);
  }
  const flagsFrag = (buf[offset + 6]! << 8) | buf[offset + 7]!;
  const flags = flagsFrag >> 13;
  const fragmentOffset = flagsFrag & 0x1fff;
  if ((flags & 1) !== 0 || fragmentOffset !== 0) return reject('drop', 'fragment', 'fragment (the kernel reassembles before raw delivery)');
  const protocol = buf[offset + 9]!;
  const want = options.protocol === undefined ? VRRP_IP_PROTOCOL : options.protocol;
  if (want !== null && protocol !== want) return reject('foreign', 'protocol', `protocol ${protocol}, want ${want}`);
  return ok(
    {
      headerLength,
      tos: buf[offset + 1]!,
      totalLength,
      id: (buf[offset + 4]! << 8) | buf[offset + 5]!,
      flags,
      fragmentOffset,
      ttl: buf[offset + 8]!,
      protocol,
      checksum,
      src: formatIpv4(buf, offset + 12),
      dst: formatIpv4(buf, offset + 16),
      payloadOffset: headerLength,
      payloadLength: totalLength - headerLength,
    },
    totalLength,
  );
}

/** The fields encode() needs; options are not supported (IHL is always 5). */
export interface Ipv4HeaderInput {
  readonly tos: number;
  readonly payloadLength: number;
  readonly id: number;
  readonly flags?: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
}

export function encodingLength(_h?: Ipv4HeaderInput): number {
  return IPV4_MIN_HEADER_LENGTH;
}

/** Writes a 20-byte header with its checksum (RFC 791 §3.1). The payload is not written. */
export function encode(h: Ipv4HeaderInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const out = buf ?? new Uint8Array(offset + IPV4_MIN_HEADER_LENGTH);
  if (out.length < offset + IPV4_MIN_HEADER_LENGTH) throw new RangeError('buffer too small for an IPv4 header');
  const src = parseIpv4(h.src);
  const dst = parseIpv4(h.dst);
  if (!src || !dst) throw new TypeError(`bad IPv4 addresses '${h.src}' -> '${h.dst}'`);
  const total = IPV4_MIN_HEADER_LENGTH + h.payloadLength;
  out[offset] = 0x45;
  out[offset + 1] = h.tos;
  out[offset + 2] = total >> 8;
  out[offset + 3] = total & 0xff;
  out[offset + 4] = (h.id >> 8) & 0xff;
  out[offset + 5] = h.id & 0xff;
  out[offset + 6] = ((h.flags ?? 0) & 0x7) << 5;
  out[offset + 7] = 0;
  out[offset + 8] = h.ttl;
  out[offset + 9] = h.protocol;
  out[offset + 10] = 0;
  out[offset + 11] = 0;
  out.set(src, offset + 12);
  out.set(dst, offset + 16);
  const sum = internetChecksum(out, offset, IPV4_MIN_HEADER_LENGTH);
  out[offset + 10] = sum >> 8;
  out[offset + 11] = sum & 0xff;
  return out;
}
