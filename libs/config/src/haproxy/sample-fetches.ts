import type { MatchMethod, SampleType } from '../policy-config.types.js';
import { MORE_FETCHES, checkMoreFetchArgs } from './more-fetch-specs.js';

/**
 * The sample fetches Tandem knows, as HAProxy's doc section 7.3 lists them: each ACL keyword names its base fetch,
 * the type it returns and the match method it implies (`path_beg` is `path -m beg`). `@tandem/policy` implements
 * every `base` listed here; a fetch not in this table is a config error naming its line.
 */
export interface FetchSpec {
  readonly base: string;
  readonly type: SampleType;
  /** The implied match method; undefined means "from the type" (str, int, ip, bool). */
  readonly match?: MatchMethod;
  readonly minArgs: number;
  readonly maxArgs: number;
}

const f = (base: string, type: SampleType, minArgs = 0, maxArgs = 0, match?: MatchMethod): FetchSpec => ({ base, type, minArgs, maxArgs, ...(match ? { match } : {}) });
const STRING_DERIVATIVES: readonly MatchMethod[] = ['beg', 'end', 'sub', 'reg', 'dir', 'dom', 'len'];

function withDerivatives(name: string, base: string, minArgs: number, maxArgs: number): Array<[string, FetchSpec]> {
  return [[name, f(base, 'str', minArgs, maxArgs)], ...STRING_DERIVATIVES.map((m): [string, FetchSpec] => [`${name}_${m}`, f(base, 'str', minArgs, maxArgs, m)])];
}

/**
 * Stick-counter fetches (section 7.3.3): `sc_<d>(<ctr>[,<table>])`, `sc0_<d>([<table>])` … `sc2_<d>`, and
 * `src_<d>([<table>])` (the client address looked up in the table, the current proxy's by default).
 */
export const STICK_FETCH_DATA: Readonly<Record<string, string>> = {
  http_req_rate: 'http_req_rate', http_req_cnt: 'http_req_cnt', http_err_rate: 'http_err_rate', http_err_cnt: 'http_err_cnt',
  conn_cur: 'conn_cur', conn_rate: 'conn_rate', conn_cnt: 'conn_cnt', sess_rate: 'sess_rate', sess_cnt: 'sess_cnt',
  get_gpc0: 'gpc0', gpc0_rate: 'gpc0_rate', bytes_in_rate: 'bytes_in_rate', bytes_out_rate: 'bytes_out_rate',
  kbytes_in: 'bytes_in_cnt', kbytes_out: 'bytes_out_cnt',
  get_gpc1: 'gpc1', gpc1_rate: 'gpc1_rate', get_gpt0: 'gpt0',
};

/**
 * Stick-counter fetches that write (7.3.3): `sc_inc_gpc0(<ctr>[,<t>])` increments gpc0 (and gpc0_rate) of the
 * tracked entry and returns the new value, `sc_clr_gpc0` clears it and returns the old one; the `src_` forms
 * create the client address's entry when absent. By fetch suffix → the operation and the counter.
 */
export const STICK_FETCH_WRITES: Readonly<Record<string, { readonly op: 'inc' | 'clr'; readonly type: 'gpc0' | 'gpc1' }>> = {
  inc_gpc0: { op: 'inc', type: 'gpc0' }, inc_gpc1: { op: 'inc', type: 'gpc1' },
  clr_gpc0: { op: 'clr', type: 'gpc0' }, clr_gpc1: { op: 'clr', type: 'gpc1' },
};

function STICK_FETCHES(): Array<[string, FetchSpec]> {
  const out: Array<[string, FetchSpec]> = [];
  for (const d of [...Object.keys(STICK_FETCH_DATA), ...Object.keys(STICK_FETCH_WRITES)]) {
    out.push([`sc_${d}`, f(`sc_${d}`, 'int', 1, 2)]);
    for (const n of [0, 1, 2]) out.push([`sc${n}_${d}`, f(`sc${n}_${d}`, 'int', 0, 1)]);
    out.push([`src_${d}`, f(`src_${d}`, 'int', 0, 1)]);
  }
  return out;
}

export const SAMPLE_FETCHES: ReadonlyMap<string, FetchSpec> = new Map<string, FetchSpec>([
  ['src', f('src', 'ip')],
  ['src_port', f('src_port', 'int')],
  ['dst', f('dst', 'ip')],
  ['dst_port', f('dst_port', 'int')],
  ...withDerivatives('path', 'path', 0, 0),
  ...withDerivatives('url', 'url', 0, 0),
  ['query', f('query', 'str')],
  ['method', f('method', 'str')],
  ['req.hdr', f('hdr', 'str', 0, 2)],
  ['req.hdr_cnt', f('hdr_cnt', 'int', 0, 1)],
  ...withDerivatives('hdr', 'hdr', 0, 2),
  ['hdr_cnt', f('hdr_cnt', 'int', 0, 1)],
  ['hdr_ip', f('hdr', 'ip', 0, 2, 'ip')],
  ['req.hdr_ip', f('hdr', 'ip', 0, 2, 'ip')],
  ['ssl_fc', f('ssl_fc', 'bool')],
  ...withDerivatives('ssl_fc_sni', 'ssl_fc_sni', 0, 0),
  ['always_true', f('always_true', 'bool')],
  ['always_false', f('always_false', 'bool')],
  ['nbsrv', f('nbsrv', 'int', 0, 1)],
  // Cookies (7.3.6): `cook`/`req.cook` read the request's Cookie headers, `res.cook`/`scook` the response's
  // Set-Cookie headers; `cookie` (deprecated) is the one or the other depending on the direction.
  ...withDerivatives('cook', 'cook', 0, 1),
  ['req.cook', f('cook', 'str', 0, 1)],
  ['res.cook', f('res.cook', 'str', 0, 1)],
  ['scook', f('res.cook', 'str', 0, 1)],
  ['cookie', f('cookie', 'str', 0, 1)],
  // Issue #6 item 3: query parameters, response fetches, connection counts, base, url_port, version, variables.
  ...withDerivatives('url_param', 'url_param', 0, 2),
  ...withDerivatives('urlp', 'url_param', 0, 2),
  ['res.hdr', f('res.hdr', 'str', 0, 2)],
  ['shdr', f('res.hdr', 'str', 0, 2)],
  ['res.hdr_cnt', f('res.hdr_cnt', 'int', 0, 1)],
  ['shdr_cnt', f('res.hdr_cnt', 'int', 0, 1)],
  ['status', f('status', 'int')],
  ['be_conn', f('be_conn', 'int', 0, 1)],
  ['fe_conn', f('fe_conn', 'int', 0, 1)],
  ...withDerivatives('base', 'base', 0, 0),
  ['url_port', f('url_port', 'int')],
  ['req.ver', f('req.ver', 'str')],
  ['req_ver', f('req.ver', 'str')],
  ['var', f('var', 'str', 1, 1)],
  // Captures and the unique ID (configuration.txt 7.3.6): slots numbered in declaration order in the frontend.
  ['capture.req.hdr', f('capture.req.hdr', 'str', 1, 1)],
  ['capture.res.hdr', f('capture.res.hdr', 'str', 1, 1)],
  ['unique-id', f('unique-id', 'str')],
  ['capture.req.method', f('capture.req.method', 'str')],
  ['capture.req.uri', f('capture.req.uri', 'str')],
  ['capture.req.ver', f('capture.req.ver', 'str')],
  ...STICK_FETCHES(),
  // Layer 6 (7.3.5): the request buffer, for `tcp-request content` rules under `tcp-request inspect-delay`.
  ['req.len', f('req.len', 'int')],
  ['req_len', f('req.len', 'int')],
  ['req.payload', f('req.payload', 'str', 2, 2)],
  ['payload', f('req.payload', 'str', 2, 2)],
  ['req.payload_lv', f('req.payload_lv', 'str', 2, 3)],
  ['payload_lv', f('req.payload_lv', 'str', 2, 3)],
  ['req.ssl_hello_type', f('req.ssl_hello_type', 'int')],
  ['req_ssl_hello_type', f('req.ssl_hello_type', 'int')],
  ['req.ssl_ver', f('req.ssl_ver', 'int')],
  ['req_ssl_ver', f('req.ssl_ver', 'int')],
  ['req.ssl_sni', f('req.ssl_sni', 'str')],
  ['req_ssl_sni', f('req.ssl_sni', 'str')],
  ['wait_end', f('wait_end', 'bool')],
  // Userlists (3.4): the request's Basic credentials checked against a userlist; the user's groups.
  ['http_auth', f('http_auth', 'bool', 1, 1)],
  ['http_auth_group', f('http_auth_group', 'str', 1, 1)],
  ...MORE_FETCHES,
]);

/** Argument checks beyond counts, shared by ACLs and sample expressions; an error text or undefined. */
export function checkFetchArgs(name: string, spec: FetchSpec, args: readonly string[]): string | undefined {
  if ((spec.base === 'hdr' || spec.base === 'hdr_cnt' || spec.base === 'res.hdr') && args[1] !== undefined && !/^-?\d+$/.test(args[1])) return `fetch '${name}': occurrence '${args[1]}' is not an integer`;
  if ((spec.base === 'req.payload' || spec.base === 'req.payload_lv') && !args.every((a, i) => /^\d+$/.test(a) || (i === 2 && /^[+-]\d+$/.test(a)))) return `fetch '${name}': offsets and lengths must be non-negative integers, got '${args.join(',')}'`;
  if ((spec.base === 'capture.req.hdr' || spec.base === 'capture.res.hdr') && !/^\d+$/.test(args[0] ?? '')) return `fetch '${name}': '${args[0] ?? ''}' is not a capture slot number`;
  const more = checkMoreFetchArgs(name, spec.base, args);
  if (more) return more;
  if (spec.base === 'var' && !/^(proc|sess|txn|req|res)\.[A-Za-z0-9_.]+$/.test(args[0] ?? '')) return `fetch '${name}': '${args[0] ?? ''}' is not a variable name (expects <scope>.<name> with scope proc, sess, txn, req or res)`;
  return undefined;
}


/**
 * Fetches of HAProxy's list Tandem does not implement: refused as "not scheduled yet". `req.body` needs
 * `option http-buffer-request` (the request body held before the rules run), which Tandem does not do.
 */
export const PLANNED_FETCHES: ReadonlySet<string> = new Set(['req.body', 'req.body_len', 'req.body_size', 'req.body_param']);

/** Match methods accepted after `-m`. */
export const MATCH_METHODS: readonly MatchMethod[] = ['found', 'bool', 'int', 'ip', 'str', 'beg', 'end', 'sub', 'reg', 'len', 'dir', 'dom'];

/** The method a sample type implies when neither the keyword nor `-m` gives one (HAProxy section 7.1). */
export function defaultMatch(type: SampleType): MatchMethod {
  return type;
}
