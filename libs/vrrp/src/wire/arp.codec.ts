/**
 * Frames a new MASTER broadcasts so neighbours move the virtual addresses to its MAC:
 * - IPv4: gratuitous ARP (RFC 5798 §6.4.1 "broadcast a gratuitous ARP request"; RFC 5227 §3 ARP Announcement).
 *   Byte-identical to keepalived 2.2.7 (capture §8): Ethernet broadcast, op 1 REQUEST, sender = target = VIP,
 *   target hardware address ff:ff:ff:ff:ff:ff, no padding (42 bytes).
 * - IPv6: unsolicited Neighbor Advertisement (RFC 5798 §6.4.1, RFC 4861 §7.2.6) to all-nodes with the Override flag
 *   and a Target Link-Layer Address option.
 * Builders only; sending is io/'s job.
 */
import { finishChecksum, ipv6PseudoHeaderSum, sumWords } from './checksum.js';
import { parseIpv4, parseIpv6, parseMac } from './ip-address.js';

/** EtherType values. IEEE 802 numbers (RFC 826 for ARP, RFC 2464 §3 for IPv6). */
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERNET_HEADER_LENGTH = 14;
/** ARP: hardware type 1 = Ethernet, opcodes 1 REQUEST / 2 REPLY. RFC 826, IANA ARP parameters. */
export const ARP_HTYPE_ETHERNET = 1;
export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;
export const ARP_PAYLOAD_LENGTH = 28;
export const GARP_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + ARP_PAYLOAD_LENGTH;

/** ICMPv6 Neighbor Advertisement type 136, Target Link-Layer Address option 2. RFC 4861 §4.4, §4.6.1. */
export const ICMPV6_NEXT_HEADER = 58;
export const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
export const ND_OPT_TARGET_LINKADDR = 2;
/** NA flags in the first byte after the checksum: Router, Solicited, Override. RFC 4861 §4.4. */
export const NA_FLAG_ROUTER = 0x80;
export const NA_FLAG_SOLICITED = 0x40;
export const NA_FLAG_OVERRIDE = 0x20;
/** Unsolicited NAs go to the all-nodes address, Hop Limit 255. RFC 4861 §7.2.6, §7.1.2. */
export const IPV6_ALL_NODES = 'ff02::1';
export const IPV6_ALL_NODES_MAC = '33:33:00:00:00:01';
export const ND_HOP_LIMIT = 255;
export const IPV6_HEADER_LENGTH = 40;
export const NA_ICMP_LENGTH = 32;
export const NA_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + NA_ICMP_LENGTH;

const BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

function mac(text: string): Uint8Array {
  const m = parseMac(text);
  if (!m) throw new TypeError(`not a MAC address: '${text}'`);
  return m;
}

function room(buf: Uint8Array | undefined, offset: number, len: number): Uint8Array {
  const out = buf ?? new Uint8Array(offset + len);
  if (out.length < offset + len) throw new RangeError(`buffer too small: need ${offset + len} bytes, have ${out.length}`);
  return out;
}

export interface GratuitousArp {
  /** The MAC that should own the VIP (interface MAC, or the VMAC 00:00:5e:00:01:VRID). */
  readonly senderMac: string;
  readonly vip: string;
}

export function garpEncodingLength(_msg?: GratuitousArp): number {
  return GARP_FRAME_LENGTH;
}

/** Writes a 42-byte gratuitous ARP request frame (Ethernet header included). */
export function encodeGarp(msg: GratuitousArp, buf?: Uint8Array, offset = 0): Uint8Array {
  const out = room(buf, offset, GARP_FRAME_LENGTH);
  const sha = mac(msg.senderMac);
  const ip = parseIpv4(msg.vip);
  if (!ip) throw new TypeError(`not an IPv4 address: '${msg.vip}'`);
  out.set(BROADCAST, offset);
  out.set(sha, offset + 6);
  out[offset + 12] = ETHERTYPE_ARP >> 8;
  out[offset + 13] = ETHERTYPE_ARP & 0xff;
  const a = offset + ETHERNET_HEADER_LENGTH;
  out[a] = 0;
  out[a + 1] = ARP_HTYPE_ETHERNET;
  out[a + 2] = ETHERTYPE_IPV4 >> 8;
  out[a + 3] = ETHERTYPE_IPV4 & 0xff;
  out[a + 4] = 6;
  out[a + 5] = 4;
  out[a + 6] = 0;
  out[a + 7] = ARP_OP_REQUEST;
  out.set(sha, a + 8);
  out.set(ip, a + 14);
  out.set(BROADCAST, a + 18);
  out.set(ip, a + 24);
  return out;
}

export interface UnsolicitedNa {
  readonly senderMac: string;
  /** Source of the IPv6 packet: the interface's link-local address (RFC 4861 §7.2.2 / §7.2.6). */
  readonly src: string;
  /** The virtual IPv6 address being announced. */
  readonly target: string;
  /** Set the Router flag (the VRRP router forwards, RFC 5798 §6.4.1 sends NAs "with the Router Flag"). Default true. */
  readonly router?: boolean;
  /** Destination; default all-nodes ff02::1 with MAC 33:33:00:00:00:01. */
  readonly dst?: string;
}

export function naEncodingLength(_msg?: UnsolicitedNa): number {
  return NA_FRAME_LENGTH;
}

function multicastMac(dst: Uint8Array): Uint8Array {
  // RFC 2464 §7: 33:33 followed by the last four bytes of the IPv6 destination.
  return Uint8Array.of(0x33, 0x33, dst[12]!, dst[13]!, dst[14]!, dst[15]!);
}

/** Writes an 86-byte Ethernet + IPv6 + ICMPv6 Neighbor Advertisement frame with its checksum. */
export function encodeUnsolicitedNa(msg: UnsolicitedNa, buf?: Uint8Array, offset = 0): Uint8Array {
  const out = room(buf, offset, NA_FRAME_LENGTH);
  const sha = mac(msg.senderMac);
  const src = parseIpv6(msg.src);
  const dst = parseIpv6(msg.dst ?? IPV6_ALL_NODES);
  const target = parseIpv6(msg.target);
  if (!src || !dst || !target) throw new TypeError(`bad IPv6 addresses in NA for '${msg.target}'`);
  out.set(multicastMac(dst), offset);
  out.set(sha, offset + 6);
  out[offset + 12] = ETHERTYPE_IPV6 >> 8;
  out[offset + 13] = ETHERTYPE_IPV6 & 0xff;
  const ip = offset + ETHERNET_HEADER_LENGTH;
  out.fill(0, ip, ip + IPV6_HEADER_LENGTH + NA_ICMP_LENGTH);
  out[ip] = 0x60; // version 6, traffic class 0, flow label 0
  out[ip + 4] = 0;
  out[ip + 5] = NA_ICMP_LENGTH;
  out[ip + 6] = ICMPV6_NEXT_HEADER;
  // RFC 4861 §7.1.2: a node MUST discard an NA whose IP Hop Limit is not 255, so we send 255.
  out[ip + 7] = ND_HOP_LIMIT;
  out.set(src, ip + 8);
  out.set(dst, ip + 24);
  const icmp = ip + IPV6_HEADER_LENGTH;
  out[icmp] = ICMPV6_NEIGHBOR_ADVERTISEMENT;
  out[icmp + 1] = 0;
  // RFC 4861 §7.2.6: unsolicited NA has Solicited = 0 and SHOULD set Override.
  out[icmp + 4] = NA_FLAG_OVERRIDE | (msg.router === false ? 0 : NA_FLAG_ROUTER);
  out.set(target, icmp + 8);
  out[icmp + 24] = ND_OPT_TARGET_LINKADDR;
  out[icmp + 25] = 1; // option length in units of 8 octets
  out.set(sha, icmp + 26);
  const sum = finishChecksum(sumWords(out, icmp, NA_ICMP_LENGTH, ipv6PseudoHeaderSum(src, dst, NA_ICMP_LENGTH, ICMPV6_NEXT_HEADER)));
  out[icmp + 2] = sum >> 8;
  out[icmp + 3] = sum & 0xff;
  return out;
}
