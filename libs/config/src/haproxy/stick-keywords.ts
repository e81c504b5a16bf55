/**
 * Stick tables and stick counters in the configuration: `stick-table`, `stick on|match|store-*`, the key of
 * `track-sc<n>`, and the cross-section checks (tables and servers named by these rules exist).
 */
import type { Condition, StickRule, StickTableConfig, StickTableStoreItem, TrackScAction } from '../policy-config.types.js';
import { parseInteger, parseSize, parseTime } from './units.js';
import type { KeywordLine } from './parse-context.js';
import type { ProxyDraft } from './proxy-draft.js';
import { AclSyntaxError, parseAclTerm } from './acl-parse.js';
import { notImplementedMessage } from './not-implemented.js';
import { SAMPLE_FETCHES, STICK_FETCH_DATA, STICK_FETCH_WRITES } from './sample-fetches.js';
import { nearest } from './suggest.js';
import { sampleExprType } from './sample-expr.js';
import { type PolicyDraft, policyOf, where, trailingCondition } from './policy-draft.js';

/** `<key fetch> [table <name>]` after `track-sc<n>`; the table defaults to the current proxy's (checked later). */
export function parseTrack(draft: ProxyDraft, kw: KeywordLine, counter: 0 | 1 | 2, args: readonly string[]): { rule: TrackScAction; rest: readonly string[] } {
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

const STICK_COUNTERS = new Set(['server_id', 'gpt0', 'gpc0', 'gpc1', 'conn_cnt', 'conn_cur', 'sess_cnt', 'http_req_cnt', 'http_err_cnt', 'bytes_in_cnt', 'bytes_out_cnt']);

const STICK_RATES = new Set(['gpc0_rate', 'gpc1_rate', 'conn_rate', 'sess_rate', 'http_req_rate', 'http_err_rate', 'bytes_in_rate', 'bytes_out_rate']);

const STICK_LATER = new Set(['gpc', 'gpc_rate', 'gpt', 'glitch_cnt', 'glitch_rate', 'server_key', 'server_name']);

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
export function parseStickRule(draft: ProxyDraft, kw: KeywordLine, args: readonly string[]): StickRule {
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
      if (!r.format && !p.servers.some((s) => s.name === r.server)) sink.error(r.source.file, r.source.line, 'use-server', `use-server rule: unable to find server '${r.server}' referenced in backend '${p.name}'.`, nearest(r.server, p.servers.map((s) => s.name)));
    }
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
      if (!m || (STICK_FETCH_DATA[m[1]!] === undefined && STICK_FETCH_WRITES[m[1]!] === undefined)) continue;
      const table = term.fetch.startsWith('sc_') ? term.args[1] : term.args[0];
      if (term.fetch.startsWith('sc_') && !/^[012]$/.test(term.args[0] ?? '')) sink.error(term.source.file, term.source.line, term.fetch, `fetch '${term.fetch}': the stick counter must be 0, 1 or 2, got '${term.args[0] ?? ''}'`);
      const wanted = table ?? (term.fetch.startsWith('src_') ? p.name : undefined);
      if (wanted !== undefined && !tables.has(wanted)) sink.error(term.source.file, term.source.line, term.fetch, `fetch '${term.fetch}': unable to find table '${wanted}'.`, nearest(wanted, tables));
    }
  }
}
