import { STICK_FETCH_DATA } from '@tandem/config';
import type { RequestView, Sample } from './request-view.types.js';

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
  ...stickFetches(),
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
  return out;
}
