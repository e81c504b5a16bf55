import { xxh64 } from '@tandem/core';

/**
 * Dynamic cookies (`cookie <name> … dynamic` + `dynamic-cookie-key <key>`), computed exactly as HAProxy 2.6 does
 * (srv_set_dyncookie): XXH64, seed 0, over the key's bytes, then the server's address in network byte order (4 bytes
 * for IPv4, 16 for IPv6), then the server port as a 4-byte big-endian integer; printed as 16 lowercase hex digits.
 * Doing it byte for byte the same way lets Tandem and HAProxy share clients during a migration.
 *
 * HAProxy only computes one for an IPv4/IPv6 address: a server given by host name that Tandem resolves per
 * connection has no dynamic cookie (HAProxy resolves it once at startup; see the lib README).
 */
export function dynamicCookie(key: string, host: string, port: number): string | undefined {
  const addr = addressBytes(host);
  if (!addr) return undefined;
  const k = Buffer.from(key, 'utf8');
  const buf = new Uint8Array(k.length + addr.length + 4);
  buf.set(k, 0);
  buf.set(addr, k.length);
  new DataView(buf.buffer).setUint32(k.length + addr.length, port >>> 0, false);
  return xxh64(buf).toString(16).padStart(16, '0');
}

/** The address's bytes in network order, or undefined when `host` is not an IP literal. */
export function addressBytes(host: string): Uint8Array | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.includes(':') ? ipv6Bytes(bare) : ipv4Bytes(bare);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipv4Bytes(text: string): Uint8Array | undefined {
  return IPV4.test(text) ? Uint8Array.from(text.split('.').map(Number)) : undefined;
}

/** RFC 4291 text forms (`::` once, an optional trailing dotted quad, an optional `%zone`); undefined otherwise. */
function ipv6Bytes(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  let s = zone < 0 ? text : text.slice(0, zone);
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  let tail: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = ipv4Bytes(s.slice(lastColon + 1));
    if (!tail) return undefined;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (!part) return [];
    const g = part.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g.map((x) => parseInt(x, 16)) : undefined;
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

/**
 * A server's dynamic cookie, recomputed only when the key, address or port changes (`set server … addr` at runtime
 * changes the value, as in HAProxy).
 */
export class DynamicCookieMemo {
  private input = '';
  private value: string | undefined;

  get(key: string, host: string, port: number): string | undefined {
    const input = `${key}\u0000${host}\u0000${port}`;
    if (input !== this.input) {
      this.input = input;
      this.value = dynamicCookie(key, host, port);
    }
    return this.value;
  }
}
