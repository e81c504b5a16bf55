import { parseIpv4, parseIpv6 } from './key.js';
import type { StickKeyInput, StickKeyType } from './stick-table.types.js';

/** The type of a sample as the fetches and converters produce it (`@tandem/config`'s SampleType). */
export type SampleValueType = 'str' | 'int' | 'ip' | 'bool';

/**
 * A typed sample (a `track-sc` key, a `stick` pattern) cast to a table's key type, as HAProxy's sample_casts matrix
 * does before smp_to_stkey (src/sample.c, HAProxy 2.6). Addresses are carried as text (`ip` samples), integers as
 * numbers. Returns undefined when HAProxy has no cast or the cast fails: the rule then does nothing.
 *
 * - to `ip`: an IPv4 as is, an IPv4-mapped IPv6 as its IPv4 (c_ipv62ip), an integer as the address of that
 *   32-bit value (c_int2ip); a string only when it is a dotted quad (c_str2ip); a boolean never.
 * - to `ipv6`: an IPv4 as ::ffff:a.b.c.d (c_ip2ipv6), an integer through its IPv4 (c_int2ipv6); a string only when
 *   it is IPv6 text (c_str2ipv6: a dotted quad fails); a boolean never.
 * - to `integer`: an IPv4 as its 32-bit value (c_ip2int), an IPv6 never; a string by read_int64 (an optional sign,
 *   then the leading digits: `42abc` is 42, `abc` is 0; the empty string fails); a boolean as 0 or 1.
 * - to `string`: the value's text (integers in decimal, booleans as 0/1).
 * - to `binary`: a string's bytes, an address's 4 or 16 bytes (c_addr2bin), an integer's 8 big-endian bytes
 *   (c_int2bin); a boolean never.
 * The table then applies its own length rules (string and binary `len`) and 32-bit integer keys.
 */
export function sampleToKey(value: string | number | boolean, type: SampleValueType, table: StickKeyType): StickKeyInput | undefined {
  switch (type) {
    case 'ip':
      return typeof value === 'string' ? addressTo(value, table) : undefined;
    case 'int':
    case 'bool': {
      const n = typeof value === 'number' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : readInt64(value);
      if (n === undefined) return undefined;
      return type === 'bool' ? boolTo(n, table) : intTo(n, table);
    }
    case 'str': {
      const s = typeof value === 'string' ? value : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
      return stringTo(s, table);
    }
  }
}

function addressTo(text: string, table: StickKeyType): StickKeyInput | undefined {
  const v4 = parseIpv4(text);
  const v6 = v4 ? undefined : parseIpv6(text);
  if (!v4 && !v6) return undefined;
  switch (table) {
    case 'ip':
    case 'ipv6':
      return text; // the table's normalisation maps between the families (mapped IPv4 only, as c_ipv62ip)
    case 'integer':
      return v4 ? (((v4[0]! << 24) | (v4[1]! << 16) | (v4[2]! << 8) | v4[3]!) >>> 0) : undefined;
    case 'string':
      return text;
    case 'binary': {
      if (v4) return Uint8Array.from(v4);
      const bytes = new Uint8Array(16);
      v6!.forEach((w, i) => {
        bytes[2 * i] = w >> 8;
        bytes[2 * i + 1] = w & 0xff;
      });
      return bytes;
    }
  }
}

function intTo(n: number, table: StickKeyType): StickKeyInput | undefined {
  switch (table) {
    case 'ip':
      return v4Text(n);
    case 'ipv6':
      return `::ffff:${v4Text(n)}`;
    case 'integer':
      return n;
    case 'string':
      return String(n);
    case 'binary': {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigInt64(0, BigInt(Math.trunc(n)));
      return bytes;
    }
  }
}

/** HAProxy has no cast from a boolean to an address or to binary. */
function boolTo(n: number, table: StickKeyType): StickKeyInput | undefined {
  if (table === 'integer') return n;
  if (table === 'string') return String(n);
  return undefined;
}

function stringTo(s: string, table: StickKeyType): StickKeyInput | undefined {
  switch (table) {
    case 'ip':
      return parseIpv4(s) ? s : undefined;
    case 'ipv6':
      return parseIpv6(s) ? s : undefined;
    case 'integer':
      return readInt64(s);
    case 'string':
      return s;
    case 'binary':
      return new TextEncoder().encode(s);
  }
}

/** The address of a 32-bit value, in dotted-quad form (network order). */
function v4Text(n: number): string {
  const u = n >>> 0;
  return `${u >>> 24}.${(u >>> 16) & 0xff}.${(u >>> 8) & 0xff}.${u & 0xff}`;
}

/** HAProxy's read_int64 after c_str2int's empty check: optional sign, then the leading digits (none: 0). */
function readInt64(s: string): number | undefined {
  if (s.length === 0) return undefined;
  const m = /^([+-]?)(\d*)/.exec(s)!;
  const n = m[2] ? Number(m[2]) : 0;
  return m[1] === '-' ? -n : n;
}
