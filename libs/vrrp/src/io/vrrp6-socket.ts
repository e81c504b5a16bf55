/**
 * VrrpTransport for VRRPv3 over IPv6 (RFC 5798 §5.1.2), on the native raw socket (io/ipv6-raw.ts), the way keepalived
 * does it: AF_INET6/SOCK_RAW/112 bound to the interface, member of ff02::12 on it, sent from the interface's
 * link-local address (§5.1.2.1) with hop limit 255 (§5.1.2.3) and traffic class 0xc0, multicast loop off. On
 * receive, recvmsg's IPV6_HOPLIMIT and IPV6_PKTINFO give the hop limit and destination, so the §7.1 "hop limit
 * MUST be 255" check runs (receive.ts classifyIpv6Packet), unlike with raw-socket (recvfrom, no ancillary data).
 * The kernel does not checksum protocol 112: we compute the VRRPv3 checksum over the IPv6 pseudo-header ourselves.
 * Multicast only: IPv6 unicast peers are refused by the constructor.
 */
import { encode as encodeAdvert } from '../wire/advertisement.codec.js';
import { parseIpv6 } from '../wire/ip-address.js';
import { VRRP_IP_PROTOCOL, VRRP_IPV6_GROUP, VRRP_KEEPALIVED_TOS, VRRP_TTL } from '../wire/vrrp-constants.js';
import type { VrrpAdvertisement } from '../wire/advertisement.types.js';
import { classifyIpv6Packet, ReceiveCounters, type ReceiveExpect } from '../receive.js';
import type { ReceivedAdvert, VrrpTransport } from '../vrrp-transport.types.js';
import { openIpv6RawSocket, type Ipv6RawSocket } from './ipv6-raw.js';

export interface RawVrrp6SocketOptions {
  readonly interface: string;
  /** The interface's link-local address (fe80::/10): the source of our adverts and our primary address. */
  readonly address: string;
  readonly expect: ReceiveExpect;
  readonly unicastPeers?: readonly string[];
  readonly onReject?: (key: string, detail: string, src?: string) => void;
}

export class RawVrrp6Socket implements VrrpTransport {
  private readonly socket: Ipv6RawSocket;
  private readonly counts = new ReceiveCounters();
  private readonly listeners = new Set<(r: ReceivedAdvert) => void>();
  private closed = false;

  constructor(private readonly options: RawVrrp6SocketOptions) {
    if (options.unicastPeers?.length) throw new Error('VRRP over IPv6: unicast_peer is not supported yet (multicast ff02::12 only)');
    const ll = parseIpv6(options.address);
    if (!ll || ll[0] !== 0xfe || (ll[1]! & 0xc0) !== 0x80) throw new Error(`VRRP over IPv6 sends from a link-local address (RFC 5798 §5.1.2.1); '${options.address}' is not one`);
    this.socket = openIpv6RawSocket(VRRP_IP_PROTOCOL, options.interface, { hopLimit: VRRP_TTL, tclass: VRRP_KEEPALIVED_TOS });
    try {
      this.socket.bind(options.address);
      this.socket.join(VRRP_IPV6_GROUP);
    } catch (error) {
      this.socket.close();
      throw error;
    }
    this.socket.start(() => this.drain());
  }

  private drain(): void {
    for (let i = 0; i < 64 && !this.closed; i++) {
      let p;
      try {
        p = this.socket.recv();
      } catch {
        this.counts.count('socket:error');
        return;
      }
      if (!p) return;
      if (p.truncated) {
        this.counts.count('malformed:truncated');
        continue;
      }
      const v = classifyIpv6Packet(p.data, p, this.options.expect, this.options.address);
      this.counts.count(v.key);
      if ('received' in v) {
        for (const l of this.listeners) l(v.received);
      } else if (v.key !== 'own') {
        this.options.onReject?.(v.key, v.detail, p.src);
      }
    }
  }

  send(advert: VrrpAdvertisement): Promise<void> {
    if (this.closed) return Promise.reject(new Error('VRRP socket closed'));
    try {
      const bytes = Buffer.from(encodeAdvert(advert, undefined, 0, { src: this.options.address, dst: VRRP_IPV6_GROUP }));
      this.socket.send(bytes, VRRP_IPV6_GROUP);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  onAdvert(listener: (received: ReceivedAdvert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  counters(): Readonly<Record<string, number>> {
    return this.counts.snapshot();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.listeners.clear();
      this.socket.close();
    }
    return Promise.resolve();
  }
}
