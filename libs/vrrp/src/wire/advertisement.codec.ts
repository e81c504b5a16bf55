/**
 * VRRP advertisement codec, versions 2 (RFC 3768 §5.1) and 3 (RFC 5798 §5.1). Pure: bytes in, values out.
 *
 *   0                   1                   2                   3
 *   |Version| Type  | Virtual Rtr ID|   Priority    | Count IPvX Addr|
 *   v2: | Auth Type | Adver Int |  Checksum  |     v3: |rsvd| Max Adver Int (12 bits) | Checksum |
 *   IPvX Address(es) ...            v2 only: Authentication Data (8 octets)
 *
 * encode() throws only on programmer error (a message that cannot be represented); decode() never throws and
 * returns a verdict (ARCHITECTURE rule 1).
 */
import {
  internetChecksum,
  v3Ipv4Checksum,
  v3Ipv6Checksum,
  verifyV3Ipv4Checksum,
  type V3Ipv4ChecksumForm,
} from './checksum.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './ip-address.js';
import type {
  AdvertDecodeContext,
  AdvertEncodeContext,
  AdvertRejectReason,
  DecodedAdvertisement,
  VrrpAdvertisement,
} from './advertisement.types.js';
import { ok, reject, type Verdict } from './verdict.types.js';
import {
  IPV4_ADDRESS_LENGTH,
  IPV6_ADDRESS_LENGTH,
  VRRP_HEADER_LENGTH,
  VRRP_IPV4_GROUP,
  VRRP_IPV6_GROUP,
  VRRP_MAX_ADDRESSES,
  VRRP_TTL,
  VRRP_TYPE_ADVERTISEMENT,
  VRRP_V2_ADVER_INT_MAX_S,
  VRRP_V2_AUTH_DATA_LENGTH,
  VRRP_V3_MAX_ADVER_INT_MASK,
  VRRP_AUTH_PASS,
  VRRP_VERSION_2,
  VRRP_VERSION_3,
} from './vrrp-constants.js';

export type AdvertVerdict = Verdict<DecodedAdvertisement, AdvertRejectReason>;

function addressLength(msg: VrrpAdvertisement): number {
  return msg.version === 3 && msg.family === 6 ? IPV6_ADDRESS_LENGTH : IPV4_ADDRESS_LENGTH;
}

/** Bytes needed for the VRRP message (no IP header). */
export function encodingLength(msg: VrrpAdvertisement): number {
  const auth = msg.version === 2 ? VRRP_V2_AUTH_DATA_LENGTH : 0;
  return VRRP_HEADER_LENGTH + msg.addresses.length * addressLength(msg) + auth;
}

/** Builds the 8 Authentication Data octets for auth type 1 (PASS): the text NUL-padded/truncated to 8 bytes. */
export function passwordAuthData(password: string): Uint8Array {
  const out = new Uint8Array(VRRP_V2_AUTH_DATA_LENGTH);
  out.set(new TextEncoder().encode(password).subarray(0, VRRP_V2_AUTH_DATA_LENGTH));
  return out;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} ${value} not in ${min}..${max}`);
}

/**
 * Writes the VRRP message into buf at offset (allocating when buf is omitted) with its checksum, and returns the
 * buffer. VRRPv3 needs `ctx.src` (and `ctx.dst` unless it is the multicast group) for the pseudo-header.
 */
export function encode(msg: VrrpAdvertisement, buf?: Uint8Array, offset = 0, ctx?: AdvertEncodeContext): Uint8Array {
  const len = encodingLength(msg);
  const out = buf ?? new Uint8Array(len + offset);
  if (out.length < offset + len) throw new RangeError(`buffer too small: need ${offset + len} bytes, have ${out.length}`);
  checkRange('vrid', msg.vrid, 1, 255);
  checkRange('priority', msg.priority, 0, 255);
  checkRange('address count', msg.addresses.length, 0, VRRP_MAX_ADDRESSES);

  out[offset] = (msg.version << 4) | VRRP_TYPE_ADVERTISEMENT;
  out[offset + 1] = msg.vrid;
  out[offset + 2] = msg.priority;
  out[offset + 3] = msg.addresses.length;
  if (msg.version === VRRP_VERSION_2) {
    checkRange('auth type', msg.authType, 0, 255);
    checkRange('advert interval', msg.advertIntervalSec, 1, VRRP_V2_ADVER_INT_MAX_S);
    out[offset + 4] = msg.authType;
    out[offset + 5] = msg.advertIntervalSec;
  } else {
    checkRange('max advert interval', msg.maxAdvertIntervalCs, 1, VRRP_V3_MAX_ADVER_INT_MASK);
    // RFC 5798 §5.2.6: rsvd MUST be set to zero on transmission.
    out[offset + 4] = (msg.maxAdvertIntervalCs >> 8) & 0x0f;
    out[offset + 5] = msg.maxAdvertIntervalCs & 0xff;
  }
  out[offset + 6] = 0;
  out[offset + 7] = 0;

  const v6 = msg.version === VRRP_VERSION_3 && msg.family === 6;
  let p = offset + VRRP_HEADER_LENGTH;
  for (const a of msg.addresses) {
    const bytes = v6 ? parseIpv6(a) : parseIpv4(a);
    if (!bytes) throw new TypeError(`not an IPv${v6 ? 6 : 4} address: '${a}'`);
    out.set(bytes, p);
    p += bytes.length;
  }
  if (msg.version === VRRP_VERSION_2) {
    const auth = msg.authData ?? new Uint8Array(VRRP_V2_AUTH_DATA_LENGTH);
    if (auth.length !== VRRP_V2_AUTH_DATA_LENGTH) throw new RangeError('authData must be 8 bytes');
    out.set(auth, p);
  }

  let sum: number;
  if (msg.version === VRRP_VERSION_2) {
    // RFC 3768 §5.3.8: the checksum covers the entire VRRP message, checksum field zero while computing.
    sum = internetChecksum(out, offset, len);
  } else {
    if (!ctx) throw new TypeError('VRRPv3 encode needs the source address for the pseudo-header checksum');
    const src = v6 ? parseIpv6(ctx.src) : parseIpv4(ctx.src);
    const dstText = ctx.dst ?? (v6 ? VRRP_IPV6_GROUP : VRRP_IPV4_GROUP);
    const dst = v6 ? parseIpv6(dstText) : parseIpv4(dstText);
    if (!src || !dst) throw new TypeError(`bad pseudo-header addresses '${ctx.src}' -> '${dstText}'`);
    // RFC 5798 §5.2.8: the checksum covers the VRRP message plus the IPv4/IPv6 pseudo-header.
    if (v6) sum = v3Ipv6Checksum(out, src, dst, offset, len);
    else if (ctx.v3ChecksumWithoutPseudoHeader) sum = internetChecksum(out, offset, len);
    else sum = v3Ipv4Checksum(out, src, dst, offset, len);
  }
  out[offset + 6] = sum >> 8;
  out[offset + 7] = sum & 0xff;
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Decodes a VRRP message starting at offset. The context carries what only the IP layer knows. The checks run in
 * the order of RFC 5798 §7.1 / RFC 3768 §7.1 and stop at the first failure.
 */
export function decode(buf: Uint8Array, offset = 0, ctx?: AdvertDecodeContext): AdvertVerdict {
  if (!ctx) return reject('malformed', 'family', 'decode needs the IP context (family, src, dst, ttl)');
  if (!Number.isInteger(offset) || offset < 0 || offset > buf.length) {
    return reject('malformed', 'truncated', `offset ${offset} outside a ${buf.length}-byte buffer`);
  }
  const available = buf.length - offset;
  const length = ctx.length ?? available;
  if (!Number.isInteger(length) || length < 0 || length > available) {
    return reject('malformed', 'truncated', `message length ${length} exceeds the ${available} bytes received`);
  }

  // RFC 3768 §7.1 / RFC 5798 §7.1: the receiver MUST verify that the IP TTL (IPv6 Hop Limit) is 255.
  if (ctx.ttl !== VRRP_TTL) return reject('drop', 'ttl', `TTL/hop limit ${ctx.ttl}, must be ${VRRP_TTL}`);

  // RFC 5798 §7.1: MUST verify that the received packet contains the complete VRRP packet (fixed fields first).
  if (length < VRRP_HEADER_LENGTH) return reject('malformed', 'truncated', `${length} bytes, header needs ${VRRP_HEADER_LENGTH}`);

  const b0 = buf[offset]!;
  const version = b0 >> 4;
  const type = b0 & 0x0f;
  // RFC 3768 §7.1: MUST verify that the VRRP version is 2; RFC 5798 §7.1: MUST verify that the version is 3.
  if (version !== VRRP_VERSION_2 && version !== VRRP_VERSION_3) return reject('malformed', 'version', `unknown VRRP version ${version}`);
  // RFC 3768 §5.3.2 / RFC 5798 §5.2.2: a packet with unknown type MUST be discarded.
  if (type !== VRRP_TYPE_ADVERTISEMENT) return reject('malformed', 'type', `unknown VRRP type ${type}`);
  // VRRPv2 is IPv4 only (RFC 3768 §1); VRRPv3 carries one family per instance (RFC 5798 §5.2.9).
  if (version === VRRP_VERSION_2 && ctx.family !== 4) return reject('malformed', 'family', 'VRRPv2 over IPv6');

  const vrid = buf[offset + 1]!;
  const priority = buf[offset + 2]!;
  const count = buf[offset + 3]!;
  const alen = ctx.family === 6 ? IPV6_ADDRESS_LENGTH : IPV4_ADDRESS_LENGTH;
  const trailer = version === VRRP_VERSION_2 ? VRRP_V2_AUTH_DATA_LENGTH : 0;
  const expected = VRRP_HEADER_LENGTH + count * alen + trailer;

  // RFC 5798 §7.1: MUST verify that the packet contains the complete VRRP packet, including the IPvX address(es).
  if (length !== expected) {
    const body = length - VRRP_HEADER_LENGTH - trailer;
    if (body >= 0 && body % alen === 0) {
      return reject('malformed', 'count-ip', `count_ip ${count} but the ${length}-byte message holds ${body / alen} address(es)`);
    }
    if (length < expected) return reject('malformed', 'truncated', `count_ip ${count} needs ${expected} bytes, have ${length}`);
    return reject('malformed', 'length', `message length ${length} is not ${expected} (count_ip ${count})`);
  }

  const src = ctx.family === 6 ? parseIpv6(ctx.src) : parseIpv4(ctx.src);
  const dst = ctx.family === 6 ? parseIpv6(ctx.dst) : parseIpv4(ctx.dst);
  if (!src || !dst) return reject('malformed', 'address', `context addresses '${ctx.src}' -> '${ctx.dst}' are not IPv${ctx.family}`);

  // RFC 3768 §7.1 / RFC 5798 §7.1: the receiver MUST verify the VRRP checksum.
  const checksum = (buf[offset + 6]! << 8) | buf[offset + 7]!;
  let checksumForm: V3Ipv4ChecksumForm | undefined;
  if (version === VRRP_VERSION_2) {
    if (internetChecksum(buf, offset, length) !== 0) return reject('malformed', 'checksum', `bad VRRPv2 checksum 0x${checksum.toString(16)}`);
  } else if (ctx.family === 6) {
    if (v3Ipv6Checksum(buf, src, dst, offset, length) !== 0) return reject('malformed', 'checksum', `bad VRRPv3 checksum 0x${checksum.toString(16)}`);
  } else {
    const form = verifyV3Ipv4Checksum(buf, src, dst, offset, length);
    if (form === null || (form === 'message-only' && !ctx.acceptV3ChecksumWithoutPseudoHeader)) {
      return reject('malformed', 'checksum', `bad VRRPv3 checksum 0x${checksum.toString(16)}${form ? ' (message-only form not accepted)' : ''}`);
    }
    checksumForm = form;
  }

  const expect = ctx.expect ?? {};
  if (expect.version !== undefined && expect.version !== version) {
    return reject('foreign', 'version-mismatch', `VRRPv${version} packet, instance speaks VRRPv${expect.version}`);
  }
  // RFC 3768 §7.1 / RFC 5798 §7.1: MUST verify that the VRID is configured on the receiving interface.
  if (expect.vrid !== undefined && expect.vrid !== vrid) return reject('foreign', 'vrid', `VRID ${vrid} is not ${expect.vrid}`);

  const addresses: string[] = [];
  for (let i = 0, p = offset + VRRP_HEADER_LENGTH; i < count; i++, p += alen) {
    addresses.push(alen === IPV6_ADDRESS_LENGTH ? formatIpv6(buf, p) : formatIpv4(buf, p));
  }

  if (version === VRRP_VERSION_2) {
    const authType = buf[offset + 4]!;
    const advertIntervalSec = buf[offset + 5]!;
    const authStart = offset + VRRP_HEADER_LENGTH + count * alen;
    const authData = buf.slice(authStart, authStart + VRRP_V2_AUTH_DATA_LENGTH);
    // RFC 3768 §7.1: MUST perform authentication specified by Auth Type; on failure the packet MUST be discarded.
    if (expect.authType !== undefined) {
      if (authType !== expect.authType) return reject('drop', 'auth', `auth type ${authType}, configured ${expect.authType}`);
      if (authType === VRRP_AUTH_PASS && expect.authData && !bytesEqual(authData, expect.authData)) {
        return reject('drop', 'auth', 'password mismatch');
      }
    }
    // RFC 3768 §7.1: MUST verify that the Adver Interval in the packet is the same as the locally configured one;
    // if the check fails the receiver MUST discard the packet.
    if (expect.advertIntervalSec !== undefined && expect.advertIntervalSec !== advertIntervalSec) {
      return reject('drop', 'advert-interval', `advert interval ${advertIntervalSec}s, configured ${expect.advertIntervalSec}s`);
    }
    let password: string | undefined;
    if (authType === VRRP_AUTH_PASS) {
      const nul = authData.indexOf(0);
      password = new TextDecoder('utf-8', { fatal: false }).decode(nul < 0 ? authData : authData.subarray(0, nul));
    }
    const advert = { version: 2 as const, vrid, priority, addresses, advertIntervalSec, authType, authData };
    return ok({ advert, checksum, ...(password !== undefined ? { password } : {}) }, length);
  }

  // RFC 5798 §5.2.6: rsvd MUST be ignored on reception.
  const maxAdvertIntervalCs = ((buf[offset + 4]! << 8) | buf[offset + 5]!) & VRRP_V3_MAX_ADVER_INT_MASK;
  const advert = { version: 3 as const, family: ctx.family, vrid, priority, addresses, maxAdvertIntervalCs };
  return ok({ advert, checksum, ...(checksumForm ? { checksumForm } : {}) }, length);
}
