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
};
