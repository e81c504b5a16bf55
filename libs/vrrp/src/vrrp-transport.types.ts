/**
 * The ports the instance runner drives (ARCHITECTURE rule 13). Types only: the raw-socket, `ip` and `arping`
 * implementations live in src/io/; unit specs inject fakes.
 */
import type { VrrpAdvertisement } from './wire/advertisement.types.js';

/** An advertisement that passed every receive check, with what the IP header said about it. */
export interface ReceivedAdvert {
  readonly advert: VrrpAdvertisement;
  readonly src: string;
  readonly dst: string;
  readonly ttl: number;
}

/** Sends and receives the adverts of one virtual router on one interface. */
export interface VrrpTransport {
  /** Sends one advertisement to 224.0.0.18 from the interface's primary address. Rejects on a send error. */
  send(advert: VrrpAdvertisement): Promise<void>;
  /** Subscribes to accepted adverts; returns the unsubscribe function. */
  onAdvert(listener: (received: ReceivedAdvert) => void): () => void;
  /** Receive verdicts counted by `kind:reason` (`ok` for accepted adverts). */
  counters(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** One virtual address, as `ip addr add <address>/<prefixLength> dev <dev> [label <label>]` takes it. */
export interface VirtualIp {
  readonly address: string;
  readonly prefixLength: number;
  readonly dev: string;
  readonly label?: string;
}

/** Adds and removes virtual addresses. Adding a present address and removing an absent one are not errors. */
export interface VipPort {
  add(vips: readonly VirtualIp[]): Promise<void>;
  remove(vips: readonly VirtualIp[]): Promise<void>;
}

/** Announces that this host now owns an address (gratuitous ARP for IPv4). */
export interface GarpPort {
  announce(vip: VirtualIp): Promise<void>;
}

/**
 * Watches interface link state (keepalived's interface tracking): an interface is up when it is administratively
 * up and has carrier. `watch` calls the listener on every change (not for the current state; read `isUp`).
 */
export interface LinkMonitorPort {
  isUp(ifname: string): boolean;
  watch(ifname: string, listener: (up: boolean) => void): () => void;
}
