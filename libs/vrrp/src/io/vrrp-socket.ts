/**
 * VrrpTransport over a raw IPv4 socket (AF_INET, SOCK_RAW, protocol 112), the way keepalived does it
 * (vrrp.c `open_vrrp_send_socket` / `open_vrrp_read_socket`): bound to the interface (SO_BINDTODEVICE), member of
 * 224.0.0.18 on the interface's address, multicast TTL 255, TOS 0xc0, multicast loop off. The kernel builds the IP
 * header on send; on receive the socket delivers it, and receive.ts turns the bytes into a verdict.
 *
 * A raw socket sees the packets of every interface of the network namespace; SO_BINDTODEVICE narrows that to ours,
 * and when it cannot be set we drop packets whose source is outside the interface's subnet.
 *
 * Unicast (keepalived `unicast_peer { … }`, `unicast_src_ip`): no group membership; each advert goes to every peer
 * (TTL 255 still, VRRPv3 checksum over that peer's pseudo-header); only packets from a listed peer are accepted,
 * others are counted as `foreign:unicast-peer` and dropped. A `unicast_src_ip` other than the interface address is
 * written into an IPv4 header we build ourselves (IP_HDRINCL, wire/ipv4-header.codec.ts), since the socket cannot
 * be bound and the kernel would pick the interface's primary address.
 */
import raw, { type RawSocket } from 'raw-socket';
import { encode as encodeAdvert } from '../wire/advertisement.codec.js';
import { encode as encodeIpv4Header } from '../wire/ipv4-header.codec.js';
import { parseIpv4 } from '../wire/ip-address.js';
import { VRRP_IP_PROTOCOL, VRRP_IPV4_GROUP, VRRP_KEEPALIVED_TOS, VRRP_TTL } from '../wire/vrrp-constants.js';
import type { VrrpAdvertisement } from '../wire/advertisement.types.js';
import { classifyPacket, ReceiveCounters, type ReceiveExpect } from '../receive.js';
import type { ReceivedAdvert, VrrpTransport } from '../vrrp-transport.types.js';

// Linux <bits/socket.h>, <netinet/in.h>, <asm-generic/socket.h>.
const SOL_SOCKET = 1;
const SO_BINDTODEVICE = 25;
const IPPROTO_IP = 0;
const IP_TOS = 1;
const IP_TTL = 2;
const IP_HDRINCL = 3;
const IP_MULTICAST_IF = 32;
const IP_MULTICAST_TTL = 33;
const IP_MULTICAST_LOOP = 34;
const IP_ADD_MEMBERSHIP = 35;

export interface RawVrrpSocketOptions {
  /** Interface name, e.g. eth0. */
  readonly interface: string;
  /** The interface's primary IPv4 address: multicast source and membership address. */
  readonly address: string;
  /** Prefix length of that address, for the subnet filter used when SO_BINDTODEVICE is not available. */
  readonly prefixLength: number;
  /** The instance's receive expectations (version, VRID, v2 auth and interval). */
  readonly expect: ReceiveExpect;
  /** keepalived `unicast_peer`: send to each of these instead of 224.0.0.18 and accept adverts only from them. */
  readonly unicastPeers?: readonly string[];
  /** keepalived `unicast_src_ip` (default: `address`): the source of our adverts in unicast mode. */
  readonly unicastSrcIp?: string;
  /** Called with every rejected packet (verdict key and detail), e.g. for a debug log. */
  readonly onReject?: (key: string, detail: string, src?: string) => void;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value); // host byte order on the little-endian platforms Tandem runs on (x86-64, arm64)
  return b;
}

function ipv4Bytes(text: string): Buffer {
  const b = parseIpv4(text);
  if (!b) throw new Error(`not an IPv4 address: ${text}`);
  return Buffer.from(b);
}

function sameSubnet(a: Uint8Array, b: Uint8Array, prefixLength: number): boolean {
  for (let bit = 0; bit < prefixLength; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((a[bit >> 3]! & mask) !== (b[bit >> 3]! & mask)) return false;
  }
  return true;
}

export class RawVrrpSocket implements VrrpTransport {
  private readonly socket: RawSocket;
  private readonly counts = new ReceiveCounters();
  private readonly listeners = new Set<(r: ReceivedAdvert) => void>();
  private readonly ownBytes: Buffer;
  private readonly boundToDevice: boolean;
  private closed = false;
  private readonly peers: ReadonlySet<string>;
  /** The source of our adverts (and of our own packets seen on receive). */
  private readonly src: string;
  /** IP_HDRINCL: we write the IPv4 header (unicast_src_ip other than the interface address). */
  private readonly headerIncluded: boolean;
  private ipId = 0;

  constructor(private readonly options: RawVrrpSocketOptions) {
    this.ownBytes = ipv4Bytes(options.address);
    this.peers = new Set(options.unicastPeers ?? []);
    this.src = options.unicastSrcIp ?? options.address;
    ipv4Bytes(this.src);
    for (const peer of this.peers) ipv4Bytes(peer);
    this.headerIncluded = this.peers.size > 0 && this.src !== options.address;
    this.socket = raw.createSocket({ protocol: VRRP_IP_PROTOCOL, addressFamily: raw.AddressFamily.IPv4, bufferSize: 65535 });
    const s = this.socket;
    const dev = Buffer.from(`${options.interface}\0`, 'latin1');
    let bound = true;
    try {
      s.setOption(SOL_SOCKET, SO_BINDTODEVICE, dev, dev.length);
    } catch {
      bound = false;
    }
    this.boundToDevice = bound;
    if (this.peers.size === 0) {
      // RFC 3768 §7.3 / RFC 5798 §8.3.2: join the VRRP group on the interface. struct ip_mreq { multiaddr; interface }.
      const mreq = Buffer.concat([ipv4Bytes(VRRP_IPV4_GROUP), this.ownBytes]);
      s.setOption(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, mreq.length);
      s.setOption(IPPROTO_IP, IP_MULTICAST_IF, this.ownBytes, 4);
    }
    if (this.headerIncluded) s.setOption(IPPROTO_IP, IP_HDRINCL, u32(1), 4);
    // RFC 3768 §5.2.3 / RFC 5798 §5.1.1.3: the TTL MUST be 255.
    s.setOption(IPPROTO_IP, IP_MULTICAST_TTL, u32(VRRP_TTL), 4);
    s.setOption(IPPROTO_IP, IP_TTL, u32(VRRP_TTL), 4);
    s.setOption(IPPROTO_IP, IP_MULTICAST_LOOP, u32(0), 4);
    try {
      s.setOption(IPPROTO_IP, IP_TOS, u32(VRRP_KEEPALIVED_TOS), 4); // keepalived's IPTOS_PREC_INTERNETCONTROL
    } catch {
      /* TOS is cosmetic: keep going without it */
    }
    s.on('message', (buffer) => this.receive(buffer));
    s.on('error', () => this.counts.count('socket:error'));
  }

  private receive(packet: Buffer): void {
    if (!this.boundToDevice && packet.length >= 20 && !sameSubnet(packet.subarray(12, 16), this.ownBytes, this.options.prefixLength)) {
      this.counts.count('foreign:subnet');
      return;
    }
    if (this.peers.size > 0 && packet.length >= 20) {
      const src = `${packet[12]}.${packet[13]}.${packet[14]}.${packet[15]}`;
      if (src !== this.src && !this.peers.has(src)) {
        this.counts.count('foreign:unicast-peer');
        this.options.onReject?.('foreign:unicast-peer', `advert from ${src}, not a unicast_peer`, src);
        return;
      }
    }
    const v = classifyPacket(packet, this.options.expect, this.src);
    this.counts.count(v.key);
    if ('received' in v) {
      for (const l of this.listeners) l(v.received);
    } else if (v.key !== 'own') {
      this.options.onReject?.(v.key, v.detail);
    }
  }

  send(advert: VrrpAdvertisement): Promise<void> {
    if (this.closed) return Promise.reject(new Error('VRRP socket closed'));
    if (this.peers.size === 0) return this.sendTo(advert, VRRP_IPV4_GROUP);
    // Unicast: one copy per peer; a failing peer does not stop the others, the first error is reported.
    return Promise.allSettled([...this.peers].map((peer) => this.sendTo(advert, peer))).then((results) => {
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
  }

  private sendTo(advert: VrrpAdvertisement, dst: string): Promise<void> {
    let bytes = Buffer.from(encodeAdvert(advert, undefined, 0, { src: this.src, dst }));
    if (this.headerIncluded) {
      this.ipId = (this.ipId + 1) & 0xffff;
      const header = encodeIpv4Header({ tos: VRRP_KEEPALIVED_TOS, payloadLength: bytes.length, id: this.ipId, ttl: VRRP_TTL, protocol: VRRP_IP_PROTOCOL, src: this.src, dst });
      bytes = Buffer.concat([Buffer.from(header), bytes]);
    }
    return new Promise((resolve, reject) => {
      this.socket.send(bytes, 0, bytes.length, dst, (error) => (error ? reject(error) : resolve()));
    });
  }

  onAdvert(listener: (received: ReceivedAdvert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  counters(): Readonly<Record<string, number>> {
    return this.counts.snapshot();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.listeners.clear();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
