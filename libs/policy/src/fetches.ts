import { STICK_FETCH_DATA, STICK_FETCH_WRITES } from '@tandem/config';
import type { RequestView, Sample } from './request-view.types.js';
import { readVar } from './txn-state.js';
import { PAYLOAD_FETCHES } from './payload-fetches.js';
import { moreFetches } from './more-fetches.js';
import { AUTH_FETCHES } from './auth-fetches.js';
import { TXN_FETCHES } from './txn-fetches.js';

/**
 * The sample fetches, by the base name `@tandem/config`'s SAMPLE_FETCHES table gives each ACL keyword
 * (HAProxy configuration.txt 7.3). Each returns undefined when the sample does not exist.
 */
export type FetchImpl = (view: RequestView, args: readonly string[]) => Sample;

/** The path of the request target: origin form up to `?`; absolute form from the first `/` after the authority. */
export function pathOf(uri: string): string | undefined {
  let start = 0;
  if (uri[0] !== '/') {
    const scheme = uri.indexOf('://');
    if (scheme < 0) return undefined;
    start = uri.indexOf('/', scheme + 3);
    if (start < 0) return undefined;
  }
  const q = uri.indexOf('?', start);
  return q < 0 ? uri.slice(start) : uri.slice(start, q);
}

/** Every value of a header, comma-split and trimmed, as HAProxy's `hdr` iterates them; all headers without a name. */
export function headerValues(view: RequestView, name: string | undefined): string[] {
  const { names, values } = view.headers;
  const n = name?.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    if (n !== undefined && names[i] !== n) continue;
    for (const part of values[i]!.split(',')) out.push(part.trim());
  }
  return out;
}

function occurrence(all: string[], occ: string | undefined): Sample {
  if (occ === undefined || occ === '') return all.length ? all : undefined;
  const n = Number(occ);
  if (n === 0) return all.length ? all : undefined;
  const v = n > 0 ? all[n - 1] : all[all.length + n];
  return v;
}

/**
 * The values of every cookie `<name>` in the `Cookie` request headers (`set: false`) or the `Set-Cookie` response
 * headers (`set: true`), in order; without a name, the first cookie's value only (HAProxy's smp_fetch_cookie).
 * A `Cookie` line holds `a=1; b=2` pairs; a `Set-Cookie` line one pair followed by its attributes.
 */
export function cookieValues(view: RequestView, name: string | undefined, set: boolean): string[] {
  const { names, values } = view.headers;
  const header = set ? 'set-cookie' : 'cookie';
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== header) continue;
    const line = values[i]!;
    for (const part of set ? [line.split(';', 1)[0]!] : line.split(';')) {
      const eq = part.indexOf('=');
      const n = (eq < 0 ? part : part.slice(0, eq)).trim();
      if (!n) continue;
      const v = eq < 0 ? '' : part.slice(eq + 1).trim();
      if (name === undefined || name === '') return [v];
      if (n === name) out.push(v);
    }
  }
  return out;
}

const cookies = (view: RequestView, name: string | undefined, set: boolean): Sample => {
  const all = cookieValues(view, name, set);
  return all.length ? all : undefined;
};

/**
 * `url_param(<name>[,<delim>])`: the values of parameter `name` in the query string (after `?`), parameters split on
 * `delim` (`&` by default), in order; without a name, the first parameter's value. Names are case-sensitive.
 */
export function urlParams(uri: string, name: string | undefined, delim: string | undefined): string[] {
  const q = uri.indexOf('?');
  if (q < 0) return [];
  const out: string[] = [];
  for (const part of uri.slice(q + 1).split(delim || '&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const n = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    if (name === undefined || name === '') return [v];
    if (n === name) out.push(v);
  }
  return out;
}

/** `base`: the first Host header's value followed by the path (HAProxy's smp_fetch_base). */
function base(v: RequestView): Sample {
  const path = pathOf(v.uri);
  if (path === undefined) return undefined;
  const i = v.headers.names.indexOf('host');
  return (i < 0 ? '' : v.headers.values[i]!) + path;
}

/** `url_port`: the port of an absolute-form URL, 80 when it gives none (origin form included). */
function urlPort(v: RequestView): Sample {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(?::(\d+))?/.exec(v.uri);
  return m?.[2] !== undefined ? Number(m[2]) : 80;
}

export const FETCHES: Readonly<Record<string, FetchImpl>> = {
  src: (v) => v.src || undefined,
  src_port: (v) => v.srcPort,
  dst: (v) => v.dst || undefined,
  dst_port: (v) => v.dstPort,
  path: (v) => pathOf(v.uri),
  url: (v) => v.uri,
  query: (v) => {
    const q = v.uri.indexOf('?');
    return q < 0 ? undefined : v.uri.slice(q + 1);
  },
  method: (v) => v.method,
  hdr: (v, args) => occurrence(headerValues(v, args[0] || undefined), args[1]),
  hdr_cnt: (v, args) => headerValues(v, args[0] || undefined).length,
  ssl_fc: (v) => v.ssl,
  ssl_fc_sni: (v) => (v.ssl ? v.sni : undefined),
  always_true: () => true,
  always_false: () => false,
  nbsrv: (v, args) => v.nbsrv(args[0]),
  cook: (v, args) => cookies(v, args[0], false),
  'res.cook': (v, args) => cookies(v, args[0], true),
  cookie: (v, args) => cookies(v, args[0], v.response === true),
  url_param: (v, args) => {
    const all = urlParams(v.uri, args[0], args[1]);
    return all.length ? all : undefined;
  },
  'res.hdr': (v, args) => (v.response ? occurrence(headerValues(v, args[0] || undefined), args[1]) : undefined),
  'res.hdr_cnt': (v, args) => (v.response ? headerValues(v, args[0] || undefined).length : undefined),
  status: (v) => v.status,
  be_conn: (v, args) => v.beConn?.(args[0] || undefined),
  fe_conn: (v, args) => v.feConn?.(args[0] || undefined),
  base,
  url_port: (v) => (v.response ? undefined : urlPort(v)),
  'req.ver': (v) => v.version,
  var: (v, args) => readVar(v, args[0]!),
  ...stickFetches(),
  ...PAYLOAD_FETCHES,
  ...AUTH_FETCHES,
  ...TXN_FETCHES,
  ...moreFetches(cookieValues, urlParams, headerValues),
};

/**
 * `sc_<d>(n[,t])`, `sc0_<d>([t])`…, `src_<d>([t])` over the view's stick counters (HAProxy's smp_fetch_sc_*):
 * an untracked counter gives no sample; an absent `src` key reads 0; a data type the table does not store gives
 * no sample. `kbytes_*` are bytes / 1024.
 */
function stickFetches(): Record<string, FetchImpl> {
  const out: Record<string, FetchImpl> = {};
  for (const [name, type] of Object.entries(STICK_FETCH_DATA)) {
    const k = name.startsWith('kbytes_') ? (n: number | undefined) => (n === undefined ? n : Math.floor(n / 1024)) : (n: number | undefined) => n;
    out[`sc_${name}`] = (v, args) => k(v.stick?.readCounter(Number(args[0]), type, args[1] || undefined));
    for (const n of [0, 1, 2]) out[`sc${n}_${name}`] = (v, args) => k(v.stick?.readCounter(n, type, args[0] || undefined));
    out[`src_${name}`] = (v, args) => (v.src ? k(v.stick?.readKey(args[0] || undefined, v.src, type)) : undefined);
  }
  // sc_inc_gpc0, sc_clr_gpc1…: they write the entry (volatile samples, evaluated each time a rule asks).
  for (const [name, { op, type }] of Object.entries(STICK_FETCH_WRITES)) {
    out[`sc_${name}`] = (v, args) => v.stick?.updateCounter?.(Number(args[0]), op, type, args[1] || undefined);
    for (const n of [0, 1, 2]) out[`sc${n}_${name}`] = (v, args) => v.stick?.updateCounter?.(n, op, type, args[0] || undefined);
    out[`src_${name}`] = (v, args) => (v.src ? v.stick?.updateKey?.(args[0] || undefined, v.src, op, type) : undefined);
  }
  return out;
}
