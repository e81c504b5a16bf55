import type { AclDefinition, AclTerm, Condition, HttpAfterResponseRule, HttpRequestRule, HttpResponseRule, ProxyPolicy, RedirectSpec, StickRule, StickTableConfig, StickTableStoreItem, TcpRequestRule, TrackScAction, UseBackendRule, UseServerRule } from '../policy-config.types.js';
import { parseInteger, parseSize, parseTime } from './units.js';
import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft } from './proxy-draft.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import { AclSyntaxError, parseAclTerm, parseCondition } from './acl-parse.js';
import { notImplementedMessage } from './not-implemented.js';
import { SAMPLE_FETCHES, STICK_FETCH_DATA } from './sample-fetches.js';
import { nearest } from './suggest.js';
import { sampleExprType } from './sample-expr.js';
import type { ConfigFilePort } from './parse-context.js';
import { logFormatValue, parseRequestOnlyAction, parseSetStatus, parseSharedAction } from './http-actions.js';
import { parseResponseVerdict, RESPONSE_VERDICT_ACTIONS } from './response-verdict-keywords.js';

/** The L7 policy of a proxy while it is parsed (frozen into a ProxyPolicy by buildRuntimeConfig). */
export interface PolicyDraft {
  acls: Map<string, { name: string; terms: AclTerm[] }>;
  httpRequest: HttpRequestRule[];
  httpResponse: HttpResponseRule[];
  httpAfterResponse?: HttpAfterResponseRule[];
  redirects: Array<{ redirect: RedirectSpec; condition?: Condition; source: { file: string; line: number } }>;
  useBackend: UseBackendRule[];
  tcpConnection: TcpRequestRule[];
  tcpContent: TcpRequestRule[];
  tcpSession?: TcpRequestRule[];
  inspectDelay?: number;
  stickTable?: StickTableConfig;
  /** `stick …` rules (tables checked, and given `server_id`, by checkStickRules). */
  stickRules?: StickRule[];
  /** `use-server` rules (servers checked by checkStickRules). */
  useServer?: UseServerRule[];
  /** track-sc rules whose table is checked once every proxy is known (checkStickTables). */
  tracks?: Array<{ table: string; explicit: boolean; source: { file: string; line: number } }>;
}

export function policyOf(draft: ProxyDraft): PolicyDraft {
  return (draft.policy ??= { acls: new Map(), httpRequest: [], httpResponse: [], redirects: [], useBackend: [], tcpConnection: [], tcpContent: [] });
}

export function freezePolicy(p: PolicyDraft): ProxyPolicy {
  const { tracks: _tracks, ...rest } = p;
  return { ...rest, acls: new Map<string, AclDefinition>([...p.acls].map(([k, v]) => [k, { name: v.name, terms: [...v.terms] }])) };
}

const where = (kw: KeywordLine) => ({ file: kw.file, line: kw.line });

/** Runs a parse step; an AclSyntaxError becomes a diagnostic on the keyword's line. */
export function guarded(kw: KeywordLine, keyword: string, run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof AclSyntaxError)) throw e;
    kw.sink.error(kw.file, kw.line, keyword, e.message, e.suggestion);
  }
}

/** `[if|unless …]` after an action's own arguments; anything else left over is an error. */
/** `stats admin if|unless <cond>`: a condition over the proxy's ACLs (the stats keywords use it). */
export function statsAdminCondition(draft: ProxyDraft, kw: KeywordLine, rest: readonly string[]): Condition | undefined {
  let cond: Condition | undefined;
  guarded(kw, 'stats admin', () => {
    if (rest.length === 0) throw new AclSyntaxError("expects 'if' or 'unless' followed by a condition");
    cond = trailingCondition(draft, kw, rest);
  });
  return cond;
}

function trailingCondition(draft: ProxyDraft, kw: KeywordLine, rest: readonly string[]): Condition | undefined {
  if (rest.length === 0) return undefined;
  if (rest[0] !== 'if' && rest[0] !== 'unless') throw new AclSyntaxError(`unexpected '${rest[0]}' (expects 'if' or 'unless' and a condition)`);
  const acls = policyOf(draft).acls;
  return parseCondition(rest, where(kw), (name) => acls.has(name), kw.files);
}

/**
 * A header value is a log-format string in HAProxy. Plain text (with `%%` for a percent sign) is supported;
 * `%[…]` expressions and `%<var>` variables are refused until log-format lands.
 */
function logFormatText(text: string): string {
  if (/%(?!%)/.test(text.replace(/%%/g, ''))) throw new AclSyntaxError(`log-format expressions ('%…') in values ${notImplementedMessage(6)}`);
  return text.replace(/%%/g, '%');
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/** `scheme|location|prefix <value> [code N] [drop-query] [append-slash]`; returns the spec and the words after it. */
function parseRedirect(args: readonly string[], files?: ConfigFilePort): { redirect: RedirectSpec; rest: readonly string[] } {
  const type = args[0];
  if (type !== 'scheme' && type !== 'location' && type !== 'prefix') throw new AclSyntaxError(`expects 'scheme', 'location' or 'prefix', got '${type ?? ''}'`);
  const value = args[1];
  if (value === undefined) throw new AclSyntaxError(`'${type}' expects a value`);
  let code: RedirectSpec['code'] = 302;
  let dropQuery = false;
  let appendSlash = false;
  let i = 2;
  for (; i < args.length; i++) {
    const w = args[i]!;
    if (w === 'if' || w === 'unless') break;
    if (w === 'code') {
      const n = Number(args[++i]);
      if (!REDIRECT_CODES.has(n)) throw new AclSyntaxError(`'code': unsupported HTTP code '${args[i] ?? ''}' (must be one of 301, 302, 303, 307 or 308)`);
      code = n as RedirectSpec['code'];
    } else if (w === 'drop-query') dropQuery = true;
    else if (w === 'append-slash') appendSlash = true;
    else if (w === 'set-cookie' || w === 'clear-cookie' || w === 'ignore-empty' || w === 'keep-query') throw new AclSyntaxError(`redirect option '${w}' ${notImplementedMessage(6)}`);
    else throw new AclSyntaxError(`unknown redirect option '${w}' (expects code, drop-query, append-slash, if, unless)`);
  }
  // `location` and `prefix` are log-format strings (HAProxy); `scheme` too, evaluated the same way.
  return { redirect: { type, ...logFormatValue(value, files), code, dropQuery, appendSlash }, rest: args.slice(i) };
}

/** http-request actions of HAProxy 2.6 that belong to issue #6 and are not implemented yet. */
const LATER_REQUEST_ACTIONS = [
  'auth', 'reject', 'set-pathq', 'sc-inc-gpc1', 'sc-inc-gpc',
  'sc-set-gpt0', 'set-src', 'set-src-port', 'set-dst', 'set-dst-port', 'add-acl',
  'del-acl', 'set-map', 'del-map', 'cache-use', 'silent-drop', 'set-nice', 'set-mark', 'set-tos', 'early-hint',
  'normalize-uri', 'wait-for-body', 'wait-for-handshake', 'do-resolve', 'set-bandwidth-limit',
  'set-priority-class', 'set-priority-offset', 'strict-mode', 'send-spoe-group', 'disable-l7-retry', 'set-var-fmt',
];
const LATER_RESPONSE_ACTIONS = [
  'sc-inc-gpc1', 'sc-set-gpt0', 'set-timeout',
  'add-acl', 'del-acl', 'set-map', 'del-map', 'cache-store', 'silent-drop', 'set-nice', 'set-mark', 'set-tos',
  'send-spoe-group', 'strict-mode', 'wait-for-body', 'set-bandwidth-limit', 'set-var-fmt',
];
const SHARED_ACTIONS = ['replace-header', 'replace-value', 'set-var', 'unset-var', 'set-log-level', 'capture'];
const REQUEST_ACTIONS = ['track-sc0', 'track-sc1', 'track-sc2', 'sc-inc-gpc0', 'allow', 'deny', 'redirect', 'set-header', 'add-header', 'del-header', 'return', 'use-service', 'set-path', 'set-query', 'set-uri', 'set-method', 'tarpit', 'set-timeout', ...SHARED_ACTIONS];
const RESPONSE_ACTIONS = ['set-header', 'add-header', 'del-header', 'set-status', ...SHARED_ACTIONS, ...RESPONSE_VERDICT_ACTIONS];
const AFTER_RESPONSE_ACTIONS = ['set-header', 'add-header', 'del-header', 'set-status', 'replace-header', 'replace-value'];

function headerAction(action: 'set-header' | 'add-header' | 'del-header', args: readonly string[], files?: ConfigFilePort): { rule: { action: 'set-header' | 'add-header'; name: string; value: string } | { action: 'del-header'; name: string }; rest: readonly string[] } {
  const name = args[0];
  if (!name || name === 'if' || name === 'unless') throw new AclSyntaxError(`'${action}' expects a header name`);
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new AclSyntaxError(`'${name}' is not a valid header name`);
  if (action === 'del-header') {
    if (args[1] === '-m') throw new AclSyntaxError(`'del-header … -m' ${notImplementedMessage(6)}`);
    return { rule: { action, name }, rest: args.slice(1) };
  }
  const value = args[1];
  if (value === undefined) throw new AclSyntaxError(`'${action}' expects a header name and a value`);
  return { rule: { action, name, ...logFormatValue(value, files) }, rest: args.slice(2) };
}

/** `<key fetch> [table <name>]` after `track-sc<n>`; the table defaults to the current proxy's (checked later). */
function parseTrack(draft: ProxyDraft, kw: KeywordLine, counter: 0 | 1 | 2, args: readonly string[]): { rule: TrackScAction; rest: readonly string[] } {
  const keyWord = args[0];
  if (!keyWord || keyWord === 'if' || keyWord === 'unless') throw new AclSyntaxError(`'track-sc${counter}' expects a key sample fetch (e.g. 'src') [table <table>]`);
  // The key is a sample expression: a fetch and its converters (`req.hdr(x-id),lower`, `src,ipmask(24)`).
  const term = parseAclTerm([keyWord], where(kw), kw.files);
  let i = 1;
  let table = draft.name;
  let explicit = false;
  if (args[1] === 'table') {
    if (!args[2]) throw new AclSyntaxError(`'table' expects a table name`);
    table = args[2];
    explicit = true;
    i = 3;
  }
  (policyOf(draft).tracks ??= []).push({ table, explicit, source: where(kw) });
  return { rule: { action: 'track-sc', counter, key: { fetch: term.fetch, args: term.args, ...(term.converters ? { converters: term.converters } : {}) }, table }, rest: args.slice(i) };
}

const STICK_KEY_TYPES = new Set(['ip', 'ipv6', 'integer', 'string', 'binary']);
const STICK_COUNTERS = new Set(['server_id', 'gpc0', 'conn_cnt', 'conn_cur', 'sess_cnt', 'http_req_cnt', 'http_err_cnt', 'bytes_in_cnt', 'bytes_out_cnt']);
const STICK_RATES = new Set(['gpc0_rate', 'conn_rate', 'sess_rate', 'http_req_rate', 'http_err_rate', 'bytes_in_rate', 'bytes_out_rate']);
const STICK_LATER = new Set(['gpt0', 'gpc1', 'gpc1_rate', 'gpc', 'gpc_rate', 'gpt', 'glitch_cnt', 'glitch_rate', 'server_key', 'server_name']);

/** HAProxy's `stick-table` line (configuration.txt 4.2, "stick-table"). */
export function parseStickTable(name: string, args: readonly string[], source: { file: string; line: number }): StickTableConfig {
  let type: StickTableConfig['type'] | undefined;
  let keyLength: number | undefined;
  let size: number | undefined;
  let expireMs: number | undefined;
  let nopurge = false;
  let peers: string | undefined;
  const store: StickTableStoreItem[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const v = args[i + 1];
    switch (w) {
      case 'type': {
        if (!v || !STICK_KEY_TYPES.has(v)) throw new AclSyntaxError(`'type' expects ip, ipv6, integer, string or binary, got '${v ?? ''}'`, v ? nearest(v, STICK_KEY_TYPES) : undefined);
        type = v as StickTableConfig['type'];
        i++;
        if (args[i + 1] === 'len') {
          if (type !== 'string' && type !== 'binary') throw new AclSyntaxError(`'len' only applies to string and binary tables`);
          keyLength = parseInteger(args[i + 2] ?? '', 1, 65535);
          if (keyLength === undefined) throw new AclSyntaxError(`'len' expects a positive integer, got '${args[i + 2] ?? ''}'`);
          i += 2;
        }
        break;
      }
      case 'size': {
        size = v === undefined ? undefined : parseSize(v);
        if (!size) throw new AclSyntaxError(`'size' expects a positive number of entries (k, m, g suffixes), got '${v ?? ''}'`);
        i++;
        break;
      }
      case 'expire': {
        expireMs = v === undefined ? undefined : parseTime(v);
        if (expireMs === undefined) throw new AclSyntaxError(`'expire' expects a time, got '${v ?? ''}'`);
        i++;
        break;
      }
      case 'nopurge':
        nopurge = true;
        break;
      case 'peers':
        if (!v) throw new AclSyntaxError(`'peers' expects a peers section name`);
        peers = v;
        i++;
        break;
      case 'store': {
        if (!v) throw new AclSyntaxError(`'store' expects data types (e.g. 'http_req_rate(10s),conn_cur')`);
        for (const item of v.split(',')) {
          const m = /^([a-z0-9_]+)(?:\(([^)]*)\))?$/.exec(item);
          const dt = m?.[1] ?? item;
          if (STICK_LATER.has(dt)) throw new AclSyntaxError(`stick-table data type '${dt}' ${notImplementedMessage(0)}`);
          if (!m || (!STICK_COUNTERS.has(dt) && !STICK_RATES.has(dt))) throw new AclSyntaxError(`unknown stick-table data type '${item}'`, nearest(dt, [...STICK_COUNTERS, ...STICK_RATES]));
          if (store.some((s) => s.type === dt)) throw new AclSyntaxError(`data type '${dt}' is stored twice`);
          if (STICK_RATES.has(dt)) {
            const period = m[2] === undefined ? undefined : parseTime(m[2]);
            if (!period) throw new AclSyntaxError(`'${dt}' expects a period, as in '${dt}(10s)'`);
            store.push({ type: dt, periodMs: period });
          } else {
            if (m[2] !== undefined) throw new AclSyntaxError(`'${dt}' takes no period`);
            store.push({ type: dt });
          }
        }
        i++;
        break;
      }
      default:
        throw new AclSyntaxError(`unknown argument '${w}' (expects type, size, expire, nopurge, peers, store)`, nearest(w, ['type', 'size', 'expire', 'nopurge', 'peers', 'store']));
    }
  }
  if (!type) throw new AclSyntaxError("missing 'type'");
  if (!size) throw new AclSyntaxError("missing 'size'");
  return { name, type, ...(keyLength !== undefined ? { keyLength } : {}), size, ...(expireMs !== undefined ? { expireMs } : {}), ...(nopurge ? { nopurge } : {}), ...(peers !== undefined ? { peers } : {}), store, source };
}

const STICK_KINDS = ['match', 'on', 'store-request', 'store-response'] as const;
/** Fetches that read the request's HTTP content (unusable in `stick store-response`). */
const REQUEST_CONTENT_FETCHES = new Set(['cook', 'hdr', 'hdr_cnt', 'path', 'url', 'query', 'method']);

/**
 * `stick match|on|store-request|store-response <pattern> [table <t>] [if|unless cond]` (configuration.txt 4.2).
 * The pattern is a sample fetch and its converters (`req.cook(sid),lower`); the deprecated `cookie(<n>)` is
 * read as `req.cook(<n>)` in request rules and `res.cook(<n>)` in `store-response`, as HAProxy reads it by direction.
 */
function parseStickRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): StickRule {
  const kind = args[0] as StickRule['kind'];
  if (!STICK_KINDS.includes(kind)) throw new AclSyntaxError(`unknown stick rule '${args[0] ?? ''}' (expects match, on, store-request, store-response)`, args[0] ? nearest(args[0], STICK_KINDS) : undefined);
  const pattern = args[1];
  if (!pattern || pattern === 'if' || pattern === 'unless' || pattern === 'table') throw new AclSyntaxError(`'stick ${kind}' expects a pattern (a sample fetch such as 'src' or 'req.cook(<name>)') [table <table>] [if|unless <condition>]`);
  const term = parseAclTerm([pattern], where(kw), kw.files);
  const spec = SAMPLE_FETCHES.get(term.fetch)!;
  const response = kind === 'store-response';
  let fetch = term.fetch;
  if (fetch === 'cookie') fetch = response ? 'res.cook' : 'req.cook';
  const base = SAMPLE_FETCHES.get(fetch)!.base;
  if (sampleExprType(spec.type, term.converters) === 'bool') throw new AclSyntaxError(`'${pattern}' is a boolean and cannot be a stick-table key`);
  if (response && REQUEST_CONTENT_FETCHES.has(base)) throw new AclSyntaxError(`fetch '${term.fetch}' reads the request's HTTP content, which is not available for 'store-response' (use 'res.cook', 'res.hdr'… or 'stick store-request')`);
  if (!response && base === 'res.cook') throw new AclSyntaxError(`fetch '${term.fetch}' reads the response, which is only available for 'store-response'`);
  let i = 2;
  let table = draft.name;
  if (args[2] === 'table') {
    if (!args[3] || args[3] === 'if' || args[3] === 'unless') throw new AclSyntaxError("'table' expects a table name");
    table = args[3];
    i = 4;
  }
  const condition = trailingCondition(draft, kw, args.slice(i));
  return { kind, key: { fetch, args: term.args, ...(term.converters ? { converters: term.converters } : {}) }, table, ...(condition ? { condition } : {}), source: where(kw) };
}

/**
 * Stick and use-server rules, once every proxy is known (HAProxy's check_config_validity): each `stick` rule names
 * a declared table (its own proxy's by default), which then stores `server_id` even when its `store` list does not
 * say so, as HAProxy adds it; each `use-server` names a server of its backend. The TCP data plane has no server
 * rules yet: they are refused in `mode tcp` rather than ignored.
 */
export function checkStickRules(
  proxies: ReadonlyArray<{ readonly name: string; readonly kind: string; readonly mode?: string; readonly servers: ReadonlyArray<{ readonly name: string }>; readonly policy?: PolicyDraft }>,
  sink: { error(file: string, line: number, keyword: string, message: string, suggestion?: string): void },
): void {
  const tables = new Map<string, PolicyDraft>();
  for (const p of proxies) if (p.kind !== 'defaults' && p.policy?.stickTable && !tables.has(p.name)) tables.set(p.name, p.policy);
  for (const p of proxies) {
    if (p.kind === 'defaults' || !p.policy) continue;
    const tcp = (p.mode ?? 'tcp') !== 'http';
    for (const r of p.policy.stickRules ?? []) {
      const owner = tables.get(r.table);
      if (!owner) {
        const msg = r.table === p.name ? `Proxy '${p.name}': 'stick ${r.kind}' needs a 'table' argument or a 'stick-table' in the proxy.` : `Proxy '${p.name}': unable to find stick-table '${r.table}'.`;
        sink.error(r.source.file, r.source.line, `stick ${r.kind}`, msg, r.table === p.name ? undefined : nearest(r.table, tables.keys()));
        continue;
      }
      if (tcp && r.kind === 'store-response') sink.error(r.source.file, r.source.line, `stick ${r.kind}`, `'stick store-response' requires HTTP mode: backend '${p.name}' is in 'mode tcp' (use 'stick on' or 'stick store-request').`);
      const t = owner.stickTable!;
      if (!t.store.some((s) => s.type === 'server_id')) owner.stickTable = { ...t, store: [...t.store, { type: 'server_id' }] };
    }
    for (const r of p.policy.useServer ?? []) {
      if (!p.servers.some((s) => s.name === r.server)) sink.error(r.source.file, r.source.line, 'use-server', `use-server rule: unable to find server '${r.server}' referenced in backend '${p.name}'.`, nearest(r.server, p.servers.map((s) => s.name)));
    }
  }
}

/** `tcp-request connection|content accept|reject|track-sc<n> … [if|unless cond]`. */
export function parseTcpRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): TcpRequestRule {
  const action = args[0] ?? '';
  const rest = args.slice(1);
  const done = (rule: object, after: readonly string[]): TcpRequestRule => {
    const condition = trailingCondition(draft, kw, after);
    return { ...rule, ...(condition ? { condition } : {}), source: where(kw) } as TcpRequestRule;
  };
  const track = /^track-sc([012])$/.exec(action);
  if (track) {
    const { rule, rest: after } = parseTrack(draft, kw, Number(track[1]) as 0 | 1 | 2, rest);
    return done(rule, after);
  }
  if (action === 'accept' || action === 'reject') return done({ action }, rest);
  const later = ['expect-proxy', 'expect-netscaler-cip', 'capture', 'set-var', 'unset-var', 'sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0', 'set-src', 'set-dst', 'silent-drop', 'set-mark', 'set-tos', 'do-resolve', 'use-service', 'switch-mode', 'send-spoe-group', 'set-log-level', 'set-nice', 'set-priority-class', 'set-priority-offset', 'attach-srv', 'set-bandwidth-limit', 'set-src-port', 'set-dst-port', 'set-var-fmt'];
  if (later.includes(action)) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(6)}`);
  throw new AclSyntaxError(`unknown action '${action}' (expects accept, reject, track-sc0, track-sc1, track-sc2)`, nearest(action, ['accept', 'reject', 'track-sc0', 'track-sc1', 'track-sc2']));
}

function parseRequestRule(draft: ProxyDraft, kw: KeywordLine, words: readonly string[]): HttpRequestRule {
  // `sc-inc-gpc0(<n>)` is one word: split the counter off so it reads as `sc-inc-gpc0 (<n>)`.
  const inc = /^(sc-inc-gpc0)(\(.*)$/.exec(words[0] ?? '');
  const args = inc ? [inc[1]!, inc[2]!, ...words.slice(1)] : words;
  const action = args[0] ?? '';
  const rest = args.slice(1);
  const done = (rule: object, after: readonly string[]): HttpRequestRule => {
    const condition = trailingCondition(draft, kw, after);
    return { ...rule, ...(condition ? { condition } : {}), source: where(kw) } as HttpRequestRule;
  };
  const track = /^track-sc([012])$/.exec(action);
  if (track) {
    const { rule, rest: after } = parseTrack(draft, kw, Number(track[1]) as 0 | 1 | 2, rest);
    return done(rule, after);
  }
  switch (action) {
    case 'allow':
      return done({ action }, rest);
    case 'sc-inc-gpc0': {
      const m = /^\((\d)\)$/.exec(rest[0] ?? '');
      let counter = 0;
      let i = 0;
      if (rest[0] !== undefined && rest[0].startsWith('(')) {
        if (!m || Number(m[1]) > 2) throw new AclSyntaxError(`'sc-inc-gpc0' expects a stick counter 0, 1 or 2 ('sc-inc-gpc0(0)'), got '${rest[0]}'`);
        counter = Number(m[1]);
        i = 1;
      }
      return done({ action, counter }, rest.slice(i));
    }
    case 'deny': {
      let status = 403;
      let i = 0;
      if (rest[0] === 'deny_status' || rest[0] === 'status') {
        status = Number(rest[1]);
        if (!Number.isInteger(status) || status < 200 || status > 599) throw new AclSyntaxError(`'${rest[0]}' expects a status code between 200 and 599, got '${rest[1] ?? ''}'`);
        i = 2;
      }
      if (rest[i] === 'content-type' || rest[i] === 'string' || rest[i] === 'errorfile' || rest[i] === 'hdr') throw new AclSyntaxError(`'deny ${rest[i]}' ${notImplementedMessage(6)}`);
      return done({ action, status }, rest.slice(i));
    }
    case 'redirect': {
      const { redirect, rest: after } = parseRedirect(rest, kw.files);
      return done({ action, redirect }, after);
    }
    case 'set-header':
    case 'add-header':
    case 'del-header': {
      const { rule, rest: after } = headerAction(action, rest, kw.files);
      return done(rule, after);
    }
    case 'use-service': {
      // HAProxy's built-in services: prometheus-exporter (issue #5); Lua services are not supported.
      if (rest[0] !== 'prometheus-exporter') throw new AclSyntaxError(`'use-service' expects 'prometheus-exporter' (the only built-in service), got '${rest[0] ?? ''}'`);
      return done({ action, service: 'prometheus-exporter' }, rest.slice(1));
    }
    case 'return': {
      let status = 200;
      let contentType: string | undefined;
      let body: string | undefined;
      const headers: Array<[string, string]> = [];
      let i = 0;
      for (; i < rest.length; i++) {
        const w = rest[i]!;
        if (w === 'if' || w === 'unless') break;
        const v = rest[i + 1];
        if (v === undefined) throw new AclSyntaxError(`'return ${w}' expects a value`);
        if (w === 'status') {
          status = Number(v);
          if (!Number.isInteger(status) || status < 200 || status > 599) throw new AclSyntaxError(`'status' expects a code between 200 and 599, got '${v}'`);
        } else if (w === 'content-type') contentType = logFormatText(v);
        else if (w === 'string') body = v;
        else if (w === 'lf-string') body = logFormatText(v);
        else if (w === 'hdr') {
          const hv = rest[i + 2];
          if (hv === undefined) throw new AclSyntaxError("'return hdr' expects a name and a value");
          headers.push([v, logFormatText(hv)]);
          i++;
        } else if (w === 'file' || w === 'lf-file' || w === 'errorfile' || w === 'errorfiles') throw new AclSyntaxError(`'return ${w}' ${notImplementedMessage(6)}`);
        else throw new AclSyntaxError(`unknown 'return' argument '${w}' (expects status, content-type, string, lf-string, hdr)`);
        i++;
      }
      if (body !== undefined && contentType === undefined) throw new AclSyntaxError("'return': a 'string' body needs a 'content-type'");
      if (body !== undefined && (status === 204 || status === 304)) throw new AclSyntaxError(`'return': status ${status} has no body`);
      return done({ action, status, ...(contentType !== undefined ? { contentType } : {}), ...(body !== undefined ? { body } : {}), headers }, rest.slice(i));
    }
  }
  const more = parseSharedAction(action, rest, kw.files, 'request') ?? parseRequestOnlyAction(action, rest, kw.files);
  if (more) return done(more.rule, more.rest);
  if (LATER_REQUEST_ACTIONS.includes(action) || action.startsWith('lua.')) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(6)}`);
  throw new AclSyntaxError(`unknown action '${action}'`, nearest(action, [...REQUEST_ACTIONS, ...LATER_REQUEST_ACTIONS]));
}

/** The actions http-response and http-after-response share: `set-header|add-header|del-header` and `set-status`. */
function responseHeaderOrStatus<R>(action: string, args: readonly string[], kw: KeywordLine, done: (rule: object, after: readonly string[]) => R): R | undefined {
  if (action === 'set-header' || action === 'add-header' || action === 'del-header') {
    const { rule, rest } = headerAction(action, args.slice(1), kw.files);
    return done(rule, rest);
  }
  if (action === 'set-status') {
    const { rule, rest } = parseSetStatus(args.slice(1));
    return done(rule, rest);
  }
  return undefined;
}

function parseResponseRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): HttpResponseRule {
  const action = args[0] ?? '';
  const done = (rule: object, after: readonly string[]): HttpResponseRule => {
    const condition = trailingCondition(draft, kw, after);
    return { ...rule, ...(condition ? { condition } : {}), source: where(kw) } as HttpResponseRule;
  };
  const common = responseHeaderOrStatus(action, args, kw, done);
  if (common) return common;
  const more = parseSharedAction(action, args.slice(1), kw.files, 'response');
  if (more) return done(more.rule, more.rest);
  const verdict = parseResponseVerdict(args, (words) => parseRequestRule(draft, kw, words));
  if (verdict) return verdict;
  if (LATER_RESPONSE_ACTIONS.includes(action) || action.startsWith('lua.')) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(6)}`);
  throw new AclSyntaxError(`unknown action '${action}'`, nearest(action, [...RESPONSE_ACTIONS, ...LATER_RESPONSE_ACTIONS]));
}

/** `http-after-response set-header|add-header|del-header|set-status|replace-header|replace-value … [if|unless cond]`. */
function parseAfterResponseRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): HttpAfterResponseRule {
  const action = args[0] ?? '';
  const done = (rule: object, after: readonly string[]): HttpAfterResponseRule => {
    const condition = trailingCondition(draft, kw, after);
    return { ...rule, ...(condition ? { condition } : {}), source: where(kw) } as HttpAfterResponseRule;
  };
  const common = responseHeaderOrStatus(action, args, kw, done);
  if (common) return common;
  if (action === 'replace-header' || action === 'replace-value') {
    const more = parseSharedAction(action, args.slice(1), kw.files, 'response')!;
    return done(more.rule, more.rest);
  }
  if (['allow', 'capture', 'set-map', 'del-map', 'add-acl', 'del-acl', 'set-var', 'unset-var', 'set-log-level', 'sc-inc-gpc0', 'sc-inc-gpc1', 'sc-set-gpt0', 'strict-mode', 'set-var-fmt'].includes(action)) throw new AclSyntaxError(`action '${action}' ${notImplementedMessage(6)}`);
  throw new AclSyntaxError(`unknown action '${action}' (expects ${AFTER_RESPONSE_ACTIONS.join(', ')})`, nearest(action, AFTER_RESPONSE_ACTIONS));
}

/** The fetch written on an ACL line, without its implied match (`path_beg` → `path`), for the AND-form hint. */
function criterionWord(term: AclTerm): string {
  return term.fetch.replace(/_(beg|end|sub|reg|dir|dom|len|ip|cnt)$/, '').replace(/^req\./, '').replace(/[^a-z0-9_]/gi, '_');
}

export const POLICY_KEYWORDS: ProxyKeyword[] = [
  {
    words: ['stick-table'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, 'stick-table', () => {
        const p = policyOf(draft);
        if (p.stickTable) throw new AclSyntaxError(`only one stick-table per proxy (the first is at ${p.stickTable.source.file}:${p.stickTable.source.line})`);
        p.stickTable = parseStickTable(draft.name, args, where(kw));
      });
    },
  },
  {
    words: ['stick'],
    sections: 'bl',
    handle(draft, kw, args) {
      const kind = args[0] ?? '';
      guarded(kw, `stick ${kind}`.trim(), () => {
        (policyOf(draft).stickRules ??= []).push(parseStickRule(draft, kw, args));
      });
    },
  },
  {
    words: ['use-server'],
    sections: 'bl',
    handle(draft, kw, args) {
      guarded(kw, 'use-server', () => {
        const server = args[0];
        if (!server || server === 'if' || server === 'unless') throw new AclSyntaxError('expects <server> [if|unless <condition>]');
        if (server.includes('%[')) throw new AclSyntaxError(`dynamic server names ('${server}') ${notImplementedMessage(6)}`);
        const condition = trailingCondition(draft, kw, args.slice(1));
        (policyOf(draft).useServer ??= []).push({ server, ...(condition ? { condition } : {}), source: where(kw) });
      });
    },
  },
  {
    words: ['tcp-request', 'connection'],
    sections: 'fl',
    handle(draft, kw, args) {
      guarded(kw, `tcp-request connection ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError('expects an action (accept, reject, track-sc0, track-sc1, track-sc2)');
        policyOf(draft).tcpConnection.push(parseTcpRule(draft, kw, args));
      });
    },
  },
  {
    words: ['tcp-request', 'content'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `tcp-request content ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError('expects an action (accept, reject, track-sc0, track-sc1, track-sc2)');
        policyOf(draft).tcpContent.push(parseTcpRule(draft, kw, args));
      });
    },
  },
  {
    words: ['acl'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, 'acl', () => {
        const name = args[0];
        if (!name) throw new AclSyntaxError('expects <name> <criterion> [flags] [operator] <value>...');
        if (!/^[A-Za-z0-9_.:-]+$/.test(name)) throw new AclSyntaxError(`ACL name '${name}' contains invalid characters (letters, digits, '-', '_', '.', ':')`);
        const term = parseAclTerm(args.slice(1), where(kw), kw.files);
        const acls = policyOf(draft).acls;
        const existing = acls.get(name);
        if (!existing) {
          acls.set(name, { name, terms: [term] });
          return;
        }
        // HAProxy: declaring a name again adds an alternative (OR). When the criteria differ, that is rarely what
        // the author meant (the seed's block 06 reads it as an AND), so say so and show the AND form.
        const first = existing.terms[0]!;
        existing.terms.push(term);
        if (first.fetch !== term.fetch || first.match !== term.match) {
          const a = `${name}_${criterionWord(first)}`;
          const b = `${name}_${criterionWord(term)}` === a ? `${name}_2` : `${name}_${criterionWord(term)}`;
          kw.sink.warning(kw.file, kw.line, 'acl', `ACL '${name}' is declared again here with another criterion (first at ${first.source.file}:${first.source.line}); as in HAProxy, lines that repeat an ACL name are ORed, so '${name}' matches '${[first.fetch, ...first.values].join(' ')}' OR '${[term.fetch, ...term.values].join(' ')}'. For an AND, give each line its own name (acl ${a} …, acl ${b} …) and list both names in the condition: 'if ${a} ${b}'.`);
        }
      });
    },
  },
  {
    words: ['use_backend'],
    sections: 'fl',
    handle(draft, kw, args) {
      guarded(kw, 'use_backend', () => {
        const backend = args[0];
        if (!backend || backend === 'if' || backend === 'unless') throw new AclSyntaxError('expects <backend> [if|unless <condition>]');
        // A log-format name (`use_backend %[…]`) is evaluated per request; an unknown result uses default_backend.
        const { value, format } = logFormatValue(backend, kw.files);
        const condition = trailingCondition(draft, kw, args.slice(1));
        policyOf(draft).useBackend.push({ backend: value, ...(format ? { format } : {}), ...(condition ? { condition } : {}), source: where(kw) });
      });
    },
  },
  {
    words: ['http-request'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `http-request ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError(`expects an action (${REQUEST_ACTIONS.join(', ')})`);
        policyOf(draft).httpRequest.push(parseRequestRule(draft, kw, args));
      });
    },
  },
  {
    words: ['http-response'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `http-response ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError(`expects an action (${RESPONSE_ACTIONS.join(', ')})`);
        policyOf(draft).httpResponse.push(parseResponseRule(draft, kw, args));
      });
    },
  },
  {
    words: ['http-after-response'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, `http-after-response ${args[0] ?? ''}`.trim(), () => {
        if (!args[0]) throw new AclSyntaxError(`expects an action (${AFTER_RESPONSE_ACTIONS.join(', ')})`);
        (policyOf(draft).httpAfterResponse ??= []).push(parseAfterResponseRule(draft, kw, args));
      });
    },
  },
  {
    words: ['redirect'],
    sections: 'fbl',
    handle(draft, kw, args) {
      guarded(kw, 'redirect', () => {
        const { redirect, rest } = parseRedirect(args, kw.files);
        const condition = trailingCondition(draft, kw, rest);
        policyOf(draft).redirects.push({ redirect, ...(condition ? { condition } : {}), source: where(kw) });
      });
    },
  },
];

/**
 * Cross-section checks of a frontend's policy: every `use_backend` names a backend of the same mode (HAProxy:
 * "unable to find required use_backend"). HTTP rules in a `mode tcp` frontend are refused rather than ignored.
 */
export function checkPolicies(
  fe: { readonly name: string; readonly mode: string; readonly policy?: ProxyPolicy },
  backends: ReadonlyMap<string, { readonly name: string; readonly mode: string }>,
  sink: { error(file: string, line: number, keyword: string, message: string, suggestion?: string): void },
): void {
  const p = fe.policy;
  if (!p) return;
  for (const rule of p.useBackend) {
    if (rule.format) continue; // resolved per request (an unknown name falls back to default_backend, as in HAProxy)
    const be = backends.get(rule.backend);
    if (!be) sink.error(rule.source.file, rule.source.line, 'use_backend', `Proxy '${fe.name}': unable to find required use_backend: '${rule.backend}'.`, nearest(rule.backend, backends.keys()));
    else if (be.mode !== fe.mode) sink.error(rule.source.file, rule.source.line, 'use_backend', `Proxy '${fe.name}' (mode ${fe.mode}) cannot use backend '${be.name}' (mode ${be.mode}).`);
  }
  if (fe.mode === 'tcp') {
    // L4 content switching runs in the TCP data plane (libs/proxy/src/l4); HTTP rules need HTTP mode.
    const http: Array<[string, { readonly file: string; readonly line: number } | undefined]> = [['http-request', p.httpRequest[0]?.source], ['http-response', p.httpResponse[0]?.source], ['http-after-response', p.httpAfterResponse?.[0]?.source], ['redirect', p.redirects[0]?.source]];
    for (const [keyword, at] of http) if (at) sink.error(at.file, at.line, keyword, `'${keyword}' rules require HTTP mode: proxy '${fe.name}' is in 'mode tcp' (add 'mode http').`);
  }
}

/**
 * Every `track-sc*` names a table that exists (HAProxy: "unable to find table"): the current proxy's when no
 * `table` is given, which must then declare a stick-table. Fetches naming a table (`src_http_req_rate(t)`,
 * `sc_http_req_rate(0,t)`) are checked the same way.
 */
export function checkStickTables(
  proxies: ReadonlyArray<{ readonly name: string; readonly kind: string; readonly policy?: PolicyDraft }>,
  sink: { error(file: string, line: number, keyword: string, message: string, suggestion?: string): void },
): void {
  const tables = new Set(proxies.filter((p) => p.kind !== 'defaults' && p.policy?.stickTable).map((p) => p.name));
  for (const p of proxies) {
    if (p.kind === 'defaults' || !p.policy) continue;
    for (const t of p.policy.tracks ?? []) {
      if (tables.has(t.table)) continue;
      const msg = t.explicit ? `unable to find table '${t.table}' referenced by 'track-sc' in proxy '${p.name}'.` : `'track-sc' in proxy '${p.name}' needs a 'table' argument or a 'stick-table' in the proxy.`;
      sink.error(t.source.file, t.source.line, 'track-sc', msg, t.explicit ? nearest(t.table, tables) : undefined);
    }
    const terms = [...p.policy.acls.values()].flatMap((a) => a.terms);
    const walk = (c: Condition | undefined) => c?.alternatives.forEach((g) => g.forEach((t) => typeof t.acl !== 'string' && terms.push(t.acl)));
    for (const r of [...p.policy.httpRequest, ...p.policy.httpResponse, ...(p.policy.httpAfterResponse ?? []), ...p.policy.redirects, ...p.policy.useBackend, ...p.policy.tcpConnection, ...p.policy.tcpContent, ...(p.policy.stickRules ?? []), ...(p.policy.useServer ?? [])]) walk(r.condition);
    for (const term of terms) {
      const m = /^(?:sc[012]?|src)_(.+)$/.exec(term.fetch);
      if (!m || STICK_FETCH_DATA[m[1]!] === undefined) continue;
      const table = term.fetch.startsWith('sc_') ? term.args[1] : term.args[0];
      if (term.fetch.startsWith('sc_') && !/^[012]$/.test(term.args[0] ?? '')) sink.error(term.source.file, term.source.line, term.fetch, `fetch '${term.fetch}': the stick counter must be 0, 1 or 2, got '${term.args[0] ?? ''}'`);
      const wanted = table ?? (term.fetch.startsWith('src_') ? p.name : undefined);
      if (wanted !== undefined && !tables.has(wanted)) sink.error(term.source.file, term.source.line, term.fetch, `fetch '${term.fetch}': unable to find table '${wanted}'.`, nearest(wanted, tables));
    }
  }
}
