/**
 * Pattern syntax shared by the parser (which validates it, with file:line) and `@tandem/policy` (which compiles
 * it): integer patterns with operators and ranges, and IPv4/IPv6 addresses and networks (HAProxy section 7.1.3/7.1.6).
 */

/** `eq|ge|gt|le|lt <n>`, `<n>`, `<a>:<b>`, `:<b>`, `<a>:` as one inclusive range. */
export interface IntPattern {
  readonly lo: number;
  readonly hi: number;
}

const INT_OPERATORS = new Set(['eq', 'ge', 'gt', 'le', 'lt']);

/** Parses the values of an `int` or `len` ACL; the operator applies to the value that follows it. */
export function parseIntPatterns(values: readonly string[]): IntPattern[] | string {
  const out: IntPattern[] = [];
  for (let i = 0; i < values.length; i++) {
    let word = values[i]!;
    let op: string | undefined;
    if (INT_OPERATORS.has(word)) {
      op = word;
      word = values[++i] ?? '';
      if (!word) return `operator '${op}' expects a number after it`;
    }
    const num = (t: string) => (/^-?\d+$/.test(t) ? Number(t) : undefined);
    if (op) {
      const n = num(word);
      if (n === undefined) return `'${word}' is not an integer`;
      const bounds: Record<string, IntPattern> = { eq: { lo: n, hi: n }, ge: { lo: n, hi: Infinity }, gt: { lo: n + 1, hi: Infinity }, le: { lo: -Infinity, hi: n }, lt: { lo: -Infinity, hi: n - 1 } };
      out.push(bounds[op]!);
      continue;
    }
    const range = /^(-?\d*):(-?\d*)$/.exec(word);
    if (range && (range[1] || range[2])) {
      out.push({ lo: range[1] ? Number(range[1]) : -Infinity, hi: range[2] ? Number(range[2]) : Infinity });
      continue;
    }
    const n = num(word);
    if (n === undefined) return `'${word}' is not an integer, a range (a:b) or an operator (eq ge gt le lt)`;
    out.push({ lo: n, hi: n });
  }
  return out;
}

/** An address family and its bytes (4 or 16), with a prefix length for networks. */
export interface IpNetwork {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

export function parseIpv6(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const words = part.split(':');
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (i === words.length - 1 && w.includes('.')) {
        const v4 = parseIpv4(w);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(w)) out.push(parseInt(w, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** An address in either family; IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are returned as IPv4. */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = parseIpv4(text);
  if (v4) return v4;
  const v6 = parseIpv6(text);
  if (v6 && v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
  return v6;
}

/** `a.b.c.d`, `a.b.c.d/len`, `a.b.c.d/m.m.m.m`, `ipv6`, `ipv6/len`. Host names (HAProxy resolves them) are refused. */
export function parseNetwork(text: string): IpNetwork | string {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseIp(addr);
  if (!bytes) return `'${text}' is not an IPv4 or IPv6 address or network (host names are not resolved by Tandem)`;
  const bits = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: bits };
  const mask = text.slice(slash + 1);
  if (/^\d{1,3}$/.test(mask) && Number(mask) <= bits) return { bytes, prefix: Number(mask) };
  const dotted = bytes.length === 4 ? parseIpv4(mask) : undefined;
  if (dotted) {
    let prefix = 0;
    let ended = false;
    for (const b of dotted) {
      for (let i = 7; i >= 0; i--) {
        const one = (b >> i) & 1;
        if (one && ended) return `'${mask}' is not a contiguous netmask`;
        if (one) prefix++;
        else ended = true;
      }
    }
    return { bytes, prefix };
  }
  return `'${mask}' is not a valid prefix length or netmask`;
}

/** Whether `ip` falls in `net`. An IPv4 address matches an IPv4 network; IPv6 networks match IPv6 addresses only. */
export function ipInNetwork(ip: Uint8Array, net: IpNetwork): boolean {
  if (ip.length !== net.bytes.length) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i]! & mask) !== (net.bytes[i]! & mask)) return false;
  }
  return true;
}
