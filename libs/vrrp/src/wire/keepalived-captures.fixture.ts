/**
 * Golden frames from /work/shared/vrrp/keepalived-captures.txt (keepalived 2.2.7, tcpdump -xx), copied as hex.
 * lb1 = 198.18.0.11 / 02:00:c6:12:00:0b, lb2 = 198.18.0.12 / 02:00:c6:12:00:0c, VRID 51, VIP 198.18.0.100.
 * Test data only: imported by specs.
 */
export interface AdvertCapture {
  readonly name: string;
  /** Full Ethernet frame, as captured. */
  readonly frame: string;
  readonly version: 2 | 3;
  readonly priority: number;
  readonly src: string;
  readonly id: number;
  readonly checksum: number;
}

export const ADVERT_CAPTURES: readonly AdvertCapture[] = [
  { name: '§1 v2 MASTER lb1 prio 110 PASS (id 61)', version: 2, priority: 110, src: '198.18.0.11', id: 61, checksum: 0xf1e1,
    frame: '01005e0000120200c612000b080045c00028003d0000ff701439c612000be00000122133 6e010101f1e1c61200646c61622d76727270' },
  { name: '§1 v2 MASTER lb1 prio 110 PASS (id 62)', version: 2, priority: 110, src: '198.18.0.11', id: 62, checksum: 0xf1e1,
    frame: '01005e0000120200c612000b080045c00028003e0000ff701438c612000be000001221336e010101f1e1c61200646c61622d76727270' },
  { name: '§2 v2 lb1 prio 90 after track script failed', version: 2, priority: 90, src: '198.18.0.11', id: 89, checksum: 0x05e2,
    frame: '01005e0000120200c612000b080045c000280059 0000ff70141dc612000be000001221335a01010105e2c61200646c61622d76727270' },
  { name: '§3 v2 lb1 prio 0 release', version: 2, priority: 0, src: '198.18.0.11', id: 228, checksum: 0x5fe2,
    frame: '01005e0000120200c612000b080045c0002800e40000ff701392c612000be000001221330001 01015fe2c61200646c61622d76727270' },
  { name: '§4 v2 lb2 prio 100 new MASTER', version: 2, priority: 100, src: '198.18.0.12', id: 53, checksum: 0xfbe1,
    frame: '01005e0000120200c612000c080045c000280035 0000ff701440c612000ce0000012213364010101fbe1c61200646c61622d76727270' },
  { name: '§5 v3 lb1 prio 110 10cs (id 44)', version: 3, priority: 110, src: '198.18.0.11', id: 44, checksum: 0xf39d,
    frame: '01005e0000120200c612000b080045c00020002c0000ff701452c612000be000001231336e01000af39dc6120064' },
  { name: '§5 v3 lb1 prio 110 10cs (id 45)', version: 3, priority: 110, src: '198.18.0.11', id: 45, checksum: 0xf39d,
    frame: '01005e0000120200c612000b080045c00020002d0000ff701451c612000be000001231336e01000af39dc6120064' },
  { name: '§6 v3 lb1 prio 0 release', version: 3, priority: 0, src: '198.18.0.11', id: 1574, checksum: 0x619e,
    frame: '01005e0000120200c612000b080045c0002006260000ff700e58c612000be000001231330001000a619ec6120064' },
  { name: '§7 v3 lb1 prio 90', version: 3, priority: 90, src: '198.18.0.11', id: 137, checksum: 0x079e,
    frame: '01005e0000120200c612000b080045c0002000890000ff7013f5c612000be000001231335a01000a079ec6120064' },
];

/** §9: VRRP messages (no IP header) from a minimal Node sender that keepalived accepted; src 198.18.0.10. */
export const NODE_SENDER_CAPTURES = [
  { name: '§9 v2 prio 120 PASS', version: 2 as const, priority: 120, src: '198.18.0.10', message: '213378010101e7e1c61200646c61622d76727270' },
  { name: '§9 v3 prio 120 10cs', version: 3 as const, priority: 120, src: '198.18.0.10', message: '31337801000ae99ec6120064' },
];

/** §8: gratuitous ARP from lb2 on becoming MASTER (42 bytes, no padding). */
export const GARP_CAPTURE = 'ffffffffffff0200c612000c08060001080006040001 0200c612000cc6120064ffffffffffffc6120064';

export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(buf: Uint8Array): string {
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}
