/**
 * The native IPv6 raw socket (libs/vrrp/native/ipv6_raw.cc, node-addon-api, built by `npm ci` through node-gyp):
 * raw-socket reads with recvfrom, and an AF_INET6 raw socket delivers no IP header, so it cannot tell the hop limit
 * of a received packet. This one reads with recvmsg and IPV6_RECVHOPLIMIT + IPV6_RECVPKTINFO (hop limit and
 * destination of every packet), sends with IPV6_MULTICAST_HOPS / IPV6_UNICAST_HOPS set (255 by default), is bound to
 * its interface (SO_BINDTODEVICE, IPV6_MULTICAST_IF, scope id), and watches its fd with uv_poll on the calling
 * thread's event loop (napi_get_uv_event_loop).
 */
import { createRequire } from 'node:module';

export interface Ipv6Packet {
  readonly data: Buffer;
  readonly src: string;
  readonly dst: string;
  /** From IPV6_HOPLIMIT ancillary data; -1 if the kernel gave none. */
  readonly hopLimit: number;
  readonly ifindex: number;
  readonly truncated: boolean;
}

export interface Ipv6RawSocket {
  /** IPV6_ADD_MEMBERSHIP on the socket's interface. */
  join(group: string): void;
  /** The source address of what is sent (link-local: scoped to the interface). */
  bind(address: string): void;
  /** sendto; returns the bytes sent, throws (with `errno`) on failure. */
  send(data: Buffer, dst: string): number;
  /** One waiting packet, or undefined. */
  recv(): Ipv6Packet | undefined;
  /** Calls `onReadable` whenever packets are waiting. */
  start(onReadable: () => void): void;
  close(): void;
}

interface Addon {
  Ipv6RawSocket: new (protocol: number, ifname: string, options?: { hopLimit?: number; tclass?: number }) => Ipv6RawSocket;
}

let addon: Addon | undefined;

/** Opens a raw AF_INET6 socket for `protocol` on `ifname`. Throws if the addon was not built (`npm ci`). */
export function openIpv6RawSocket(protocol: number, ifname: string, options: { hopLimit?: number; tclass?: number } = {}): Ipv6RawSocket {
  // dist/src/io/ipv6-raw.js -> libs/vrrp/native/build/Release/ipv6_raw.node
  addon ??= createRequire(import.meta.url)('../../../native/build/Release/ipv6_raw.node') as Addon;
  return new addon.Ipv6RawSocket(protocol, ifname, options);
}
