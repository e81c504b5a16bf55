/**
 * VRRP protocol constants. Every value cites the section of the RFC that defines it:
 * RFC 3768 (VRRPv2), RFC 5798 (VRRPv3), RFC 9568 (VRRPv3, obsoletes RFC 5798 with the same wire format).
 */

/** IANA IP protocol number for VRRP. RFC 3768 §5.2.4, RFC 5798 §5.1.1.4 / §5.1.2.4. */
export const VRRP_IP_PROTOCOL = 112;

/** IPv4 destination: the VRRP multicast group. RFC 3768 §5.2.2, RFC 5798 §5.1.1.2. */
export const VRRP_IPV4_GROUP = '224.0.0.18';
/** IPv6 destination: the link-local scoped VRRP multicast group. RFC 5798 §5.1.2.2. */
export const VRRP_IPV6_GROUP = 'ff02::12';
/** Ethernet multicast MAC for 224.0.0.18 (RFC 1112 §6.4 mapping of the group above). */
export const VRRP_IPV4_GROUP_MAC = '01:00:5e:00:00:12';
/** Ethernet multicast MAC for ff02::12 (RFC 2464 §7 mapping of the group above). */
export const VRRP_IPV6_GROUP_MAC = '33:33:00:00:00:12';

/** IPv4 TTL / IPv6 Hop Limit: MUST be 255 when sent, checked on receipt. RFC 3768 §5.2.3, RFC 5798 §5.1.1.3 / §5.1.2.3. */
export const VRRP_TTL = 255;
/** IPv4 TOS keepalived puts on adverts (precedence "internetwork control"); not mandated by any RFC. */
export const VRRP_KEEPALIVED_TOS = 0xc0;

/** Version field (high nibble of byte 0). RFC 3768 §5.3.1 (2), RFC 5798 §5.2.1 (3). */
export const VRRP_VERSION_2 = 2;
export const VRRP_VERSION_3 = 3;
export type VrrpVersion = typeof VRRP_VERSION_2 | typeof VRRP_VERSION_3;

/** Type field (low nibble of byte 0): the only type is ADVERTISEMENT. RFC 3768 §5.3.2, RFC 5798 §5.2.2. */
export const VRRP_TYPE_ADVERTISEMENT = 1;

/** Virtual Router Identifier range 1..255. RFC 3768 §5.3.3, RFC 5798 §5.2.3. */
export const VRRP_VRID_MIN = 1;
export const VRRP_VRID_MAX = 255;

/** Priority 255: the router owns the virtual addresses (IP address owner). RFC 3768 §5.3.4, RFC 5798 §5.2.4. */
export const VRRP_PRIORITY_OWNER = 255;
/** Priority 0: the current Master stops participating; Backups take over after Skew_Time. RFC 3768 §5.3.4, RFC 5798 §5.2.4. */
export const VRRP_PRIORITY_RELEASE = 0;
/** Default priority for a Backup router. RFC 3768 §5.3.4, RFC 5798 §5.2.4. */
export const VRRP_PRIORITY_DEFAULT = 100;
/** Usable range for routers that are not the address owner. RFC 3768 §5.3.4, RFC 5798 §5.2.4. */
export const VRRP_PRIORITY_BACKUP_MIN = 1;
export const VRRP_PRIORITY_BACKUP_MAX = 254;

/**
 * VRRPv2 Auth Type. RFC 3768 §5.3.6: 0 = no authentication; 1 = reserved (was "simple text password" in RFC 2338
 * §5.3.6.1, still sent by keepalived `auth_type PASS`); 2 = reserved (was IP Authentication Header, RFC 2338 §5.3.6.2).
 * RFC 5798 removed authentication altogether (§9.1 / §5.2 has no auth fields).
 */
export const VRRP_AUTH_NONE = 0;
export const VRRP_AUTH_PASS = 1;
export const VRRP_AUTH_AH = 2;
/** VRRPv2 Authentication Data: 8 octets, the password NUL-padded. RFC 3768 §5.3.10, RFC 2338 §5.3.6.1. */
export const VRRP_V2_AUTH_DATA_LENGTH = 8;

/** Fixed header length (version/type .. checksum) for both versions. RFC 3768 §5.1, RFC 5798 §5.1. */
export const VRRP_HEADER_LENGTH = 8;
/** Address sizes in the address list. RFC 5798 §5.2.9. */
export const IPV4_ADDRESS_LENGTH = 4;
export const IPV6_ADDRESS_LENGTH = 16;

/** VRRPv2 Advertisement Interval, 8 bits in seconds, default 1. RFC 3768 §5.3.7. */
export const VRRP_V2_ADVER_INT_DEFAULT_S = 1;
export const VRRP_V2_ADVER_INT_MAX_S = 255;
/** VRRPv3 Max Adver Int: 12 bits in centiseconds, default 100 (1 s). RFC 5798 §5.2.7 (rsvd: 4 bits, §5.2.6). */
export const VRRP_V3_MAX_ADVER_INT_MASK = 0x0fff;
export const VRRP_V3_MAX_ADVER_INT_DEFAULT_CS = 100;
/** Count IPvX Addr is 8 bits. RFC 3768 §5.3.5, RFC 5798 §5.2.5. */
export const VRRP_MAX_ADDRESSES = 255;

/** Virtual router MAC: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6. RFC 5798 §7.3. */
export const VRRP_VMAC_IPV4_PREFIX = [0x00, 0x00, 0x5e, 0x00, 0x01] as const;
export const VRRP_VMAC_IPV6_PREFIX = [0x00, 0x00, 0x5e, 0x00, 0x02] as const;
