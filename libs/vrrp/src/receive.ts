/**
 * What a raw AF_INET/SOCK_RAW/112 socket delivers, turned into a verdict: IPv4 header codec, then the advert codec
 * with the instance's expectations (RFC 5798 §7.1 order). Pure; io/vrrp-socket.ts feeds it and counts the keys.
 */
import { decode as decodeAdvert } from './wire/advertisement.codec.js';
import { decode as decodeIpv4Header } from './wire/ipv4-header.codec.js';
import type { AdvertDecodeContext } from './wire/advertisement.types.js';
import type { ReceivedAdvert } from './vrrp-transport.types.js';

export type ReceiveExpect = NonNullable<AdvertDecodeContext['expect']>;

export type PacketVerdict =
  | { readonly key: 'ok'; readonly received: ReceivedAdvert }
  /** `ip:<reason>` for the IP header, `<kind>:<reason>` for the advert, `own` for our own looped-back packet. */
  | { readonly key: string; readonly detail: string };

/** Classifies one received IPv4 packet. `ownAddress`: packets from it are ours (multicast loop) and not counted as errors. */
export function classifyPacket(packet: Uint8Array, expect: ReceiveExpect, ownAddress?: string): PacketVerdict {
  const ip = decodeIpv4Header(packet, 0, { verifyChecksum: false });
  if (ip.kind !== 'ok') return { key: `ip:${ip.reason}`, detail: ip.detail };
  const h = ip.value;
  if (ownAddress !== undefined && h.src === ownAddress) return { key: 'own', detail: 'our own advert' };
  const v = decodeAdvert(packet, h.payloadOffset, {
    family: 4,
    src: h.src,
    dst: h.dst,
    ttl: h.ttl,
    length: h.payloadLength,
    expect,
  });
  if (v.kind !== 'ok') return { key: `${v.kind}:${v.reason}`, detail: v.detail };
  return { key: 'ok', received: { advert: v.value.advert, src: h.src, dst: h.dst, ttl: h.ttl } };
}

/**
 * Classifies one VRRPv3 message received on a raw AF_INET6 socket: no IP header is delivered, so source,
 * destination and hop limit come from recvmsg (source address and IPV6_PKTINFO / IPV6_HOPLIMIT ancillary data).
 * The advert codec then runs the RFC 5798 §7.1 checks, hop limit 255 first.
 */
export function classifyIpv6Packet(
  message: Uint8Array,
  meta: { readonly src: string; readonly dst: string; readonly hopLimit: number },
  expect: ReceiveExpect,
  ownAddress?: string,
): PacketVerdict {
  if (ownAddress !== undefined && meta.src === ownAddress) return { key: 'own', detail: 'our own advert' };
  const v = decodeAdvert(message, 0, { family: 6, src: meta.src, dst: meta.dst, ttl: meta.hopLimit, length: message.length, expect });
  if (v.kind !== 'ok') return { key: `${v.kind}:${v.reason}`, detail: v.detail };
  return { key: 'ok', received: { advert: v.value.advert, src: meta.src, dst: meta.dst, ttl: meta.hopLimit } };
}

/** Counters per verdict key (the future `show vrrp` / Prometheus receive-error counters). */
export class ReceiveCounters {
  private readonly counts = new Map<string, number>();

  count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): Readonly<Record<string, number>> {
    return Object.freeze(Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b))));
  }
}
