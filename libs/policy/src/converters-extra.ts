import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { crc32Bytes, djb2Bytes, fullHash, sdbmBytes, wt6Bytes, xxh32, xxh64 } from '@tandem/core';
import { DIGESTS, TABLE_CONVERTER_DATA, type ConverterCall } from '@tandem/config';
import type { RequestView } from './request-view.types.js';
import { readVar, writeVar } from './txn-state.js';
import { httpDate, strftime } from './strftime.js';
import { compileJsonQuery, jsonEscape } from './json-converters.js';

/**
 * The converters of HAProxy 2.6's section 7.3.1 beyond strings, masks and maps (converters.ts): encodings, hashes,
 * arithmetic, dates, digests, variables and stick-table lookups. Binary samples are latin1 strings (one char per
 * byte). Integer arguments may be variables (`add(txn.x)`), read from the view at run time; a missing variable makes
 * the converter fail, as in HAProxy. Every implementation is built at load, so a request pays only for what it uses.
 */
type Value = string | number | boolean;
export type ViewConverter = (v: Value, view: RequestView | undefined) => Value | undefined;

const str = (v: Value): string => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
const bytes = (v: Value): Buffer => Buffer.from(str(v), 'latin1');
const VAR = /^(proc|sess|txn|req|res)\./;

function toInt(v: Value | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** An argument that is an integer or a variable, resolved per call. */
function intArg(arg: string): (view: RequestView | undefined) => number | undefined {
  if (!VAR.test(arg)) {
    const n = Number(arg);
    return () => n;
  }
  return (view) => (view ? toInt(readVar(view, arg)) : undefined);
}

/** HAProxy's 64-bit signed arithmetic (wraps); results within 2^53 stay exact numbers. */
const wrap = (b: bigint): number => Number(BigInt.asIntN(64, b));
const big = (n: number): bigint => BigInt(Math.trunc(n));
const INT64_MAX = 9223372036854775807;

function arithmetic(name: string, arg: string): ViewConverter {
  const rhs = intArg(arg);
  return (v, view) => {
    const a = toInt(v);
    const b = rhs(view);
    if (a === undefined || b === undefined) return undefined;
    switch (name) {
      case 'add': return wrap(big(a) + big(b));
      case 'sub': return wrap(big(a) - big(b));
      case 'mul': return wrap(big(a) * big(b));
      case 'div': return b === 0 ? INT64_MAX : wrap(big(a) / big(b));
      case 'mod': return b === 0 ? 0 : wrap(big(a) % big(b));
      case 'and': return wrap(big(a) & big(b));
      case 'or': return wrap(big(a) | big(b));
      default: return wrap(big(a) ^ big(b));
    }
  };
}

function hash32(fn: (b: Uint8Array) => number, avalanche: string | undefined): ViewConverter {
  const av = avalanche !== undefined && Number(avalanche) !== 0;
  return (v) => {
    const h = fn(bytes(v));
    return av ? fullHash(h) : h;
  };
}

/** `url_dec`: `%XX` decoded (an invalid escape fails); `+` is a space in a form, or after `?`. */
export function urlDecode(s: string, inForm: boolean): string | undefined {
  let out = '';
  let query = inForm;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) return undefined;
      out += String.fromCharCode(parseInt(h, 16));
      i += 2;
    } else if (c === '+' && query) out += ' ';
    else {
      if (c === '?') query = true;
      out += c;
    }
  }
  return out;
}

/** `url_enc(query)`: every byte outside RFC 3986's unreserved set as `%XX` (upper-case hex). */
export function urlEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += /[A-Za-z0-9\-._~]/.test(s[i]!) ? s[i] : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `language(<list>[,<default>])`: the entry of `;`-separated `list` the Accept-Language input prefers most. */
export function preferredLanguage(header: string, supported: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestQ = 0;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().split(';').map((x) => x.trim());
    if (!tag) continue;
    const qp = params.find((p) => /^q=/i.test(p));
    const q = qp ? Number(qp.slice(2)) : 1;
    if (!(q > bestQ)) continue;
    const hit = tag === '*' ? supported[0] : supported.find((s) => s.toLowerCase() === tag.toLowerCase());
    if (hit !== undefined) {
      best = hit;
      bestQ = q;
    }
  }
  return best;
}

/** `host_only`/`port_only` over a Host header value (`name`, `name:port`, `[v6]`, `[v6]:port`). */
export function splitHost(s: string): { host: string; port: number | undefined } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(s);
  if (!m) return { host: s, port: undefined };
  return { host: m[1]!, port: m[2] ? Number(m[2]) : undefined };
}

function digestOf(alg: string): (b: Buffer) => Buffer {
  const name = DIGESTS[alg.toLowerCase()]!;
  return (b) => createHash(name).update(b).digest();
}

/** One converter of this file → its implementation; undefined when the name is not one of them. */
export function compileExtraConverter(call: ConverterCall): ViewConverter | undefined {
  const a = call.args;
  const name = call.name;
  switch (name) {
    case 'base64': return (v) => bytes(v).toString('base64');
    case 'b64dec': return (v) => {
      const s = str(v);
      return /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64').toString('latin1') : undefined;
    };
    case 'hex': return (v) => bytes(v).toString('hex').toUpperCase();
    case 'hex2i': return (v) => {
      const s = str(v);
      if (!/^[0-9A-Fa-f]*$/.test(s) || s === '') return 0;
      return wrap(BigInt.asUintN(64, BigInt(`0x${s}`)));
    };
    case 'length': return (v) => str(v).length;
    case 'ltime':
    case 'utime': {
      const off = a[1] === undefined ? 0 : Number(a[1]);
      const utc = name === 'utime';
      return (v) => {
        const t = toInt(v);
        return t === undefined ? undefined : strftime(a[0]!, new Date((t + off) * 1000), utc);
      };
    }
    case 'http_date': {
      const off = a[0] === undefined || a[0] === '' ? 0 : Number(a[0]);
      const div = a[1] === 'ms' ? 1e3 : a[1] === 'us' ? 1e6 : 1;
      return (v) => {
        const t = toInt(v);
        return t === undefined ? undefined : httpDate(new Date((Math.floor((t + off) / div)) * 1000));
      };
    }
    case 'sdbm': return hash32(sdbmBytes, a[0]);
    case 'djb2': return hash32(djb2Bytes, a[0]);
    case 'wt6': return hash32(wt6Bytes, a[0]);
    case 'crc32': return hash32(crc32Bytes, a[0]);
    case 'crc32c': return hash32((b) => crc32Bytes(b, true), a[0]);
    case 'xxh32': {
      const seed = a[0] === undefined ? 0 : Number(a[0]) >>> 0;
      return (v) => xxh32(bytes(v), seed);
    }
    case 'xxh64': {
      const seed = BigInt.asUintN(64, BigInt(a[0] ?? 0));
      // A signed 64-bit integer in HAProxy: kept as its decimal text, which a JS number cannot hold exactly.
      return (v) => BigInt.asIntN(64, xxh64(bytes(v), seed)).toString();
    }
    case 'add': case 'sub': case 'mul': case 'div': case 'mod': case 'and': case 'or': case 'xor':
      return arithmetic(name, a[0]!);
    case 'neg': return (v) => {
      const n = toInt(v);
      return n === undefined ? undefined : wrap(-big(n));
    };
    case 'cpl': return (v) => {
      const n = toInt(v);
      return n === undefined ? undefined : wrap(~big(n));
    };
    case 'odd': case 'even': return (v) => {
      const n = toInt(v);
      return n === undefined ? undefined : (Math.abs(n) % 2 === 1) === (name === 'odd');
    };
    case 'bytes': {
      const off = Number(a[0]);
      const len = a[1] === undefined ? undefined : Number(a[1]);
      return (v) => {
        const s = str(v);
        return off >= s.length ? '' : s.slice(off, len === undefined ? undefined : off + len);
      };
    }
    case 'concat': {
      const [start = '', v2 = '', end = ''] = a;
      return (v, view) => {
        const mid = v2 && view ? readVar(view, v2) : undefined;
        return start + str(v) + (mid === undefined ? '' : str(mid)) + end;
      };
    }
    case 'strcmp': case 'secure_memcmp': return (v, view) => {
      const other = view ? readVar(view, a[0]!) : undefined;
      if (other === undefined) return undefined;
      const x = bytes(v);
      const y = bytes(other);
      if (name === 'secure_memcmp') return x.length === y.length && timingSafeEqual(x, y);
      const c = Buffer.compare(x.subarray(0, Math.min(x.length, y.length)), y.subarray(0, Math.min(x.length, y.length)));
      return c !== 0 ? c : x.length - y.length;
    };
    case 'url_dec': {
      const form = a[0] !== undefined && Number(a[0]) !== 0;
      return (v) => urlDecode(str(v), form);
    }
    case 'url_enc': return (v) => urlEncode(str(v));
    case 'iif': return (v) => {
      const b = typeof v === 'boolean' ? v : toInt(v) !== undefined ? toInt(v) !== 0 : str(v) !== '';
      return b ? a[0]! : a[1]!;
    };
    case 'ltrim': return (v) => {
      const s = str(v);
      let i = 0;
      while (i < s.length && a[0]!.includes(s[i]!)) i++;
      return s.slice(i);
    };
    case 'rtrim': return (v) => {
      const s = str(v);
      let i = s.length;
      while (i > 0 && a[0]!.includes(s[i - 1]!)) i--;
      return s.slice(0, i);
    };
    case 'host_only': return (v) => splitHost(str(v)).host;
    case 'port_only': return (v) => splitHost(str(v)).port ?? 0;
    case 'htonl': return (v) => {
      const n = toInt(v);
      if (n === undefined) return undefined;
      const b = Buffer.alloc(4);
      b.writeUInt32BE(Number(BigInt.asUintN(32, big(n))));
      return b.toString('latin1');
    };
    case 'json': return (v) => jsonEscape(str(v), a[0] || undefined);
    case 'json_query': return compileJsonQuery(a[0]!, a[1]);
    case 'digest': {
      const d = digestOf(a[0]!);
      return (v) => d(bytes(v)).toString('latin1');
    }
    case 'sha1': return (v) => createHash('sha1').update(bytes(v)).digest().toString('latin1');
    case 'sha2': {
      const alg = `sha${a[0] ?? '256'}`;
      return (v) => createHash(alg).update(bytes(v)).digest().toString('latin1');
    }
    case 'hmac': {
      const alg = DIGESTS[a[0]!.toLowerCase()]!;
      const fixed = VAR.test(a[1]!) ? undefined : Buffer.from(a[1]!, 'base64');
      return (v, view) => {
        const key = fixed ?? (view ? readVar(view, a[1]!) : undefined);
        if (key === undefined) return undefined;
        const k = fixed ?? Buffer.from(str(key as Value), 'base64');
        return createHmac(alg, k).update(bytes(v)).digest().toString('latin1');
      };
    }
    case 'set-var': case 'unset-var': {
      const full = a[0]!;
      const dot = full.indexOf('.');
      const scope = full.slice(0, dot) as 'txn';
      const varName = full.slice(dot + 1);
      const set = name === 'set-var';
      return (v, view) => {
        if (view) writeVar(view, scope, varName, set ? v : undefined);
        return v;
      };
    }
    case 'in_table': return (v, view) => view?.stick?.hasKey?.(a[0]!, str(v)) ?? false;
    case 'language': {
      const supported = a[0]!.split(';').map((x) => x.trim()).filter(Boolean);
      return (v) => preferredLanguage(str(v), supported) ?? a[1];
    }
    case 'nbsrv': return (v, view) => view?.nbsrv(str(v));
  }
  if (name.startsWith('table_')) {
    const d = name.slice(6);
    const type = TABLE_CONVERTER_DATA[d];
    if (!type) return undefined;
    const kb = d.startsWith('kbytes_');
    // HAProxy: an absent key reads 0; a table that does not store the data type gives no sample.
    return (v, view) => {
      const n = view?.stick?.readKey(a[0]!, str(v), type);
      return n === undefined ? undefined : kb ? Math.floor(n / 1024) : n;
    };
  }
  return undefined;
}
