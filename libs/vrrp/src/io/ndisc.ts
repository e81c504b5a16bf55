/**
 * Unsolicited Neighbor Advertisements for IPv6 VIPs (RFC 5798 §6.4.1 / §6.4.2, RFC 4861 §7.2.6), sent through the
 * native raw socket (io/ipv6-raw.ts) as ICMPv6 (AF_INET6/SOCK_RAW/58): the NA built by wire/arp.codec.ts
 * (Override + Router flags, target = the VIP, target link-layer option = the interface MAC) from the VIP itself
 * (as keepalived does) to all-nodes ff02::1 with hop limit 255 (RFC 4861 §7.1.2). The kernel writes the IPv6 header
 * and, for ICMPv6, the checksum. `AddressAnnouncer` sends GARP (arping) for IPv4 VIPs and NA for IPv6 ones.
 */
import { readFileSync } from 'node:fs';
import { encodeUnsolicitedNa } from '../wire/arp.codec.js';
import type { GarpPort, VirtualIp } from '../vrrp-transport.types.js';
import { openIpv6RawSocket } from './ipv6-raw.js';

const IPPROTO_ICMPV6 = 58;
const ALL_NODES = 'ff02::1';
/** Ethernet (14) + IPv6 header (40) in front of the ICMPv6 message in the frame the codec builds. */
const ICMP_OFFSET = 54;

export const isIpv6 = (address: string): boolean => address.includes(':');

export class UnsolicitedNaSender implements GarpPort {
  constructor(private readonly readMac: (ifname: string) => string = (ifname) => readFileSync(`/sys/class/net/${ifname}/address`, 'utf8').trim()) {}

  async announce(vip: VirtualIp): Promise<void> {
    const frame = encodeUnsolicitedNa({ senderMac: this.readMac(vip.dev), src: vip.address, target: vip.address, router: true });
    const socket = openIpv6RawSocket(IPPROTO_ICMPV6, vip.dev, { hopLimit: 255 });
    try {
      socket.bind(vip.address); // the VIP was added with nodad, so it is usable at once
      socket.send(Buffer.from(frame.subarray(ICMP_OFFSET)), ALL_NODES);
    } finally {
      socket.close();
    }
  }
}

/** GarpPort for both families: gratuitous ARP for IPv4 VIPs, unsolicited NA for IPv6 ones. */
export class AddressAnnouncer implements GarpPort {
  constructor(private readonly v4: GarpPort, private readonly v6: GarpPort = new UnsolicitedNaSender()) {}

  announce(vip: VirtualIp): Promise<void> {
    return isIpv6(vip.address) ? this.v6.announce(vip) : this.v4.announce(vip);
  }
}
