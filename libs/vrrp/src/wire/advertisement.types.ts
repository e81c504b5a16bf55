import type { V3Ipv4ChecksumForm } from './checksum.js';

/** A VRRPv2 advertisement (RFC 3768 §5.1). Always IPv4. */
export interface VrrpV2Advertisement {
  readonly version: 2;
  readonly vrid: number;
  readonly priority: number;
  /** IPv4 addresses in dotted-quad text. */
  readonly addresses: readonly string[];
  /** Advertisement Interval in whole seconds (RFC 3768 §5.3.7). */
  readonly advertIntervalSec: number;
  /** 0 none, 1 simple text password (keepalived PASS), 2 IP AH (RFC 3768 §5.3.6). */
  readonly authType: number;
  /** The 8 Authentication Data octets (RFC 3768 §5.3.10); omitted means 8 zero bytes. */
  readonly authData?: Uint8Array;
}

/** A VRRPv3 advertisement (RFC 5798 §5.1), IPv4 or IPv6. */
export interface VrrpV3Advertisement {
  readonly version: 3;
  readonly family: 4 | 6;
  readonly vrid: number;
  readonly priority: number;
  /** Addresses as text: dotted quad for family 4, RFC 5952 form for family 6. */
  readonly addresses: readonly string[];
  /** Max Advertise Interval in centiseconds, 12 bits (RFC 5798 §5.2.7). */
  readonly maxAdvertIntervalCs: number;
}

export type VrrpAdvertisement = VrrpV2Advertisement | VrrpV3Advertisement;

/** What encode needs beyond the message: the addresses of the IP header, for the VRRPv3 pseudo-header. */
export interface AdvertEncodeContext {
  readonly src: string;
  /** Defaults to the VRRP group of the family (224.0.0.18 / ff02::12); a unicast peer otherwise. */
  readonly dst?: string;
  /** VRRPv3 over IPv4 only: compute the checksum without the pseudo-header (keepalived `vrrp_v3_checksum_as_v2`). */
  readonly v3ChecksumWithoutPseudoHeader?: boolean;
}

/** What decode knows about the packet from its IP header (or from the socket's ancillary data). */
export interface AdvertDecodeContext {
  readonly family: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** IPv4 TTL or IPv6 Hop Limit of the received packet. */
  readonly ttl: number;
  /** Length of the VRRP message (IP payload); defaults to the rest of the buffer. */
  readonly length?: number;
  /** Accept a VRRPv3-over-IPv4 checksum computed without the pseudo-header. Default false. */
  readonly acceptV3ChecksumWithoutPseudoHeader?: boolean;
  /** Optional instance-level checks, done here because they need only the packet. */
  readonly expect?: {
    readonly version?: 2 | 3;
    readonly vrid?: number;
    /** VRRPv2: the locally configured auth type and 8 data octets. */
    readonly authType?: number;
    readonly authData?: Uint8Array;
    /** VRRPv2: the locally configured Advertisement Interval in seconds. */
    readonly advertIntervalSec?: number;
  };
}

/** A decoded advertisement plus facts about how it was received. */
export interface DecodedAdvertisement {
  readonly advert: VrrpAdvertisement;
  /** The checksum carried in the packet. */
  readonly checksum: number;
  /** VRRPv3 over IPv4 only: which checksum form matched. */
  readonly checksumForm?: V3Ipv4ChecksumForm;
  /** VRRPv2 with auth type 1: the password text (up to the first NUL). */
  readonly password?: string;
}

/** Why an advertisement was not accepted. Each reason maps to one RFC receive check. */
export type AdvertRejectReason =
  | 'truncated'
  | 'ttl'
  | 'version'
  | 'type'
  | 'family'
  | 'length'
  | 'count-ip'
  | 'checksum'
  | 'address'
  | 'version-mismatch'
  | 'vrid'
  | 'auth'
  | 'advert-interval';
