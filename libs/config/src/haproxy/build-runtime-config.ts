import type { DiagnosticSink } from './diagnostics.js';
import { PatternRef } from '../pattern-ref.js';
import type { GlobalDraft } from './global-keywords.js';
import type { ProxyDraft, ServerDraft, ServerParams, StatsDraft } from './proxy-draft.js';
import { resolveLog } from './log-keywords.js';
import { checkPolicies } from './policy-keywords.js';
import { checkStickRules, checkStickTables } from './stick-keywords.js';
import { freezePolicy } from './policy-draft.js';
import { refuseTcpSampleUses } from './balance-hash.js';
import { checkTcpModeProxies } from './tcp-request-keywords.js';
import type { BackendConfig, ConfigSource, FrontendConfig, PeersSection, RuntimeConfig, ServerConfig, ServerTlsOptions, StatsPageConfig, Userlist } from '../runtime-config.types.js';

/** HAProxy's defaults where the configuration says nothing. Tandem's global maxconn default is documented. */
export const DEFAULTS = Object.freeze({
  globalMaxconn: 4096,
  bufsize: 16384,
  maxrewrite: 1024,
  retries: 3,
  weight: 1,
  inter: 2000,
  rise: 2,
  fall: 3,
});

interface Parsed {
  readonly global: GlobalDraft;
  readonly proxies: readonly ProxyDraft[];
  readonly peers: readonly PeersSection[];
  readonly userlists: readonly Userlist[];
  readonly sources: readonly ConfigSource[];
  readonly patternRefs?: readonly PatternRef[];
}

/** Cross-section validation, then the frozen snapshot. Returns undefined when a check failed (see the sink). */
export function buildRuntimeConfig(parsed: Parsed, sink: DiagnosticSink): RuntimeConfig | undefined {
  const frontends: FrontendWithFlag[] = [];
  const backends: BackendConfig[] = [];
  // Before the proxies are frozen: a table used by a stick rule gets `server_id`.
  checkStickRules(parsed.proxies, sink);
  for (const draft of parsed.proxies) {
    if (draft.kind === 'frontend' || draft.kind === 'listen') frontends.push(toFrontend(draft, sink, parsed.global));
    if (draft.kind === 'backend' || draft.kind === 'listen') backends.push(toBackend(draft, sink, parsed.global.sslServerVerify ?? 'required'));
  }
  checkUnique(frontends, 'frontend', sink);
  checkUnique(backends, 'backend', sink);

  const byName = new Map(backends.map((b) => [b.name, b]));
  for (const fe of frontends) {
    if (fe.disabled) continue;
    if (fe.binds.length === 0 && !fe.bindFailed) sink.error(fe.source.file, fe.source.line, fe.fromListen ? 'listen' : 'frontend', `Proxy '${fe.name}' has no 'bind' directive.`);
    if (fe.defaultBackend) {
      const be = byName.get(fe.defaultBackend);
      if (!be) sink.error(fe.source.file, fe.source.line, 'default_backend', `Proxy '${fe.name}': unable to find required default_backend: '${fe.defaultBackend}'.`);
      else if (be.mode !== fe.mode) sink.error(fe.source.file, fe.source.line, 'default_backend', `Proxy '${fe.name}' (mode ${fe.mode}) cannot use backend '${be.name}' (mode ${be.mode}).`);
    }
    checkPolicies(fe, byName, sink);
    if (fe.timeouts.client === undefined) sink.warning(fe.source.file, fe.source.line, 'timeout client', `missing timeouts for proxy '${fe.name}': 'timeout client' is not set; a client that stops responding holds its connection forever.`);
  }
  checkStickTables(parsed.proxies, sink);
  checkTcpModeProxies(parsed.proxies, sink);
  for (const be of backends) {
    if (be.timeouts.server === undefined || be.timeouts.connect === undefined) {
      sink.warning(be.source.file, be.source.line, be.timeouts.connect === undefined ? 'timeout connect' : 'timeout server', `missing timeouts for backend '${be.name}': set 'timeout connect' and 'timeout server'.`);
    }
  }
  if (sink.hasErrors) return undefined;

  const g = parsed.global;
  const config: RuntimeConfig = {
    global: {
      maxconn: g.maxconn ?? DEFAULTS.globalMaxconn,
      daemon: g.daemon,
      nbthread: g.nbthread,
      tune: { bufsize: g.bufsize ?? DEFAULTS.bufsize, maxrewrite: g.maxrewrite ?? DEFAULTS.maxrewrite },
      statsSockets: g.statsSockets,
      logTargets: g.logTargets,
      ...(g.logTag !== undefined ? { logTag: g.logTag } : {}),
      ...(g.logSendHostname !== undefined ? { logSendHostname: g.logSendHostname } : {}),
      ...(g.pidfile ? { pidfile: g.pidfile } : {}),
      ...(g.user ? { user: g.user } : {}),
      ...(g.group ? { group: g.group } : {}),
      ...(g.chroot ? { chroot: g.chroot } : {}),
      ...(g.sslDefaultDhParam ? { sslDefaultDhParam: g.sslDefaultDhParam } : {}),
      spreadChecks: g.spreadChecks ?? 0,
      ...(g.maxSpreadChecks !== undefined ? { maxSpreadChecks: g.maxSpreadChecks } : {}),
    },
    frontends: frontends.filter((f) => !f.disabled).map(({ disabled: _disabled, bindFailed: _bindFailed, ...f }) => f),
    backends,
    peers: parsed.peers,
    userlists: parsed.userlists,
    sources: parsed.sources,
    patternRefs: parsed.patternRefs ?? [],
    warnings: sink.all.filter((d) => d.severity === 'warning'),
  };
  return deepFreeze(config);
}

type FrontendWithFlag = FrontendConfig & { readonly disabled?: boolean; readonly bindFailed?: boolean };

function toFrontend(d: ProxyDraft, _sink: DiagnosticSink, g: GlobalDraft): FrontendWithFlag {
  const log = resolveLog(d.log, g);
  const t = d.timeouts;
  return {
    name: d.name,
    mode: d.mode ?? 'tcp',
    binds: d.binds,
    // A listen section with servers and no default_backend serves its own servers.
    ...(d.defaultBackend ? { defaultBackend: d.defaultBackend } : d.kind === 'listen' && d.servers.length ? { defaultBackend: d.name } : {}),
    ...(d.maxconn !== undefined ? { maxconn: d.maxconn } : {}),
    timeouts: pick({ client: t.get('client'), httpRequest: t.get('http-request'), httpKeepAlive: t.get('http-keep-alive'), clientFin: t.get('client-fin'), tunnel: t.get('tunnel'), tarpit: t.get('tarpit') ?? t.get('connect') }),
    ...(d.forwardFor ? { forwardFor: d.forwardFor } : {}),
    ...(d.connectionMode ? { httpConnectionMode: d.connectionMode } : {}),
    errorFiles: d.errorFiles,
    ...(d.policy ? { policy: freezePolicy(d.policy) } : {}),
    ...(d.stats ? { stats: statsPage(d.stats) } : {}),
    ...(log ? { log } : {}),
    ...(d.captures ? { captures: d.captures } : {}),
    ...(d.uniqueId?.format ? { uniqueId: { format: d.uniqueId.format, ...(d.uniqueId.header ? { header: d.uniqueId.header } : {}) } } : {}),
    fromListen: d.kind === 'listen',
    source: { file: d.file, line: d.line },
    ...(d.disabled ? { disabled: true } : {}),
    ...(d.bindFailed ? { bindFailed: true } : {}),
  };
}

function toBackend(d: ProxyDraft, sink: DiagnosticSink, serverVerifyDefault: 'none' | 'required'): BackendConfig {
  const t = d.timeouts;
  const usedIds = new Set(d.servers.map((s) => s.params.id ?? d.defaultServer.id).filter((id): id is number => id !== undefined));
  let nextId = 1;
  const servers: ServerConfig[] = d.servers.map((s) => {
    const p = { ...d.defaultServer, ...s.params, check: { ...d.defaultServer.check, ...s.params.check }, agent: { ...d.defaultServer.agent, ...s.params.agent } };
    if (p.agent.enabled && p.agent.port === undefined) sink.error(s.file, s.line, 'server', `server '${s.name}': 'agent-check' needs 'agent-port'`);
    let id = s.params.id;
    if (id === undefined) {
      while (usedIds.has(nextId)) nextId++;
      id = nextId++;
    }
    return {
      name: s.name,
      id,
      endpoint: s.endpoint,
      weight: p.weight ?? DEFAULTS.weight,
      // HAProxy: a `minconn` alone, or above `maxconn`, is the static limit; below `maxconn` it makes it dynamic.
      ...(limits(p.maxconn, p.minconn)),
      ...(p.maxqueue !== undefined ? { maxqueue: p.maxqueue } : {}),
      ...(p.poolMaxConn !== undefined ? { poolMaxConn: p.poolMaxConn } : {}),
      ...(p.poolPurgeDelay !== undefined ? { poolPurgeDelay: p.poolPurgeDelay } : {}),
      backup: p.backup ?? false,
      disabled: p.disabled ?? false,
      ssl: p.ssl ?? false,
      ...(p.ssl ? { tls: serverTls(p, s, serverVerifyDefault, sink) } : {}),
      check: {
        enabled: p.check.enabled ?? false,
        inter: p.check.inter ?? DEFAULTS.inter,
        rise: p.check.rise ?? DEFAULTS.rise,
        fall: p.check.fall ?? DEFAULTS.fall,
        ...(p.check.fastinter !== undefined ? { fastinter: p.check.fastinter } : {}),
        ...(p.check.downinter !== undefined ? { downinter: p.check.downinter } : {}),
        ...(p.check.port !== undefined ? { port: p.check.port } : {}),
        ...(p.check.addr !== undefined ? { addr: p.check.addr } : {}),
        ...(p.check.shutdownSessionsOnDown ? { shutdownSessionsOnDown: true } : {}),
        // As in HAProxy, checks of an `ssl` server use TLS unless they go to another port or address.
        ...((p.check.ssl ?? (p.ssl === true && p.check.port === undefined && p.check.addr === undefined)) ? { ssl: true } : {}),
        ...(p.check.sni !== undefined ? { sni: p.check.sni } : {}),
        ...(p.check.slowstart !== undefined ? { slowstart: p.check.slowstart } : {}),
        ...(p.agent.enabled && p.agent.port !== undefined
          ? { agent: { port: p.agent.port, inter: p.agent.inter ?? p.check.inter ?? DEFAULTS.inter, ...(p.agent.send !== undefined ? { send: p.agent.send } : {}), ...(p.agent.addr ? { addr: p.agent.addr } : {}) } }
          : {}),
      },
      ...(p.cookie !== undefined ? { cookie: p.cookie } : {}),
      source: { file: s.file, line: s.line },
    };
  });
  if ((d.mode ?? 'tcp') !== 'http' && d.kind !== 'defaults') refuseTcpSampleUses(d, sink);
  if (d.cookie && (d.mode ?? 'tcp') !== 'http' && d.kind !== 'defaults') {
    sink.warning(d.cookie.source.file, d.cookie.source.line, 'cookie', `backend '${d.name}': cookie persistence needs 'mode http'; it is ignored in 'mode tcp' (as in HAProxy)`);
  }
  if (d.cookie?.dynamic && d.dynamicCookieKey === undefined && d.kind !== 'defaults' && (d.mode ?? 'tcp') === 'http') {
    // HAProxy 2.6 says nothing here and simply sets no dynamic cookie; Tandem says so, as a warning.
    sink.warning(d.cookie.source.file, d.cookie.source.line, 'cookie', `backend '${d.name}': 'dynamic' without a 'dynamic-cookie-key': servers without a 'cookie' value get no cookie (as in HAProxy)`);
  }
  const firstRule = d.tcpCheckRules[0];
  if (firstRule && d.healthCheck?.kind !== 'tcp' && d.kind !== 'defaults') {
    sink.warning(firstRule.source.file, firstRule.source.line, 'tcp-check', `backend '${d.name}': tcp-check rules are ignored without 'option tcp-check' (as in HAProxy)`);
  }
  const ids = new Map<number, string>();
  for (const s of servers) {
    if (ids.has(s.id)) sink.error(s.source.file, s.source.line, 'server', `server '${s.name}' uses id ${s.id}, already used by '${ids.get(s.id)}' in backend '${d.name}'`);
    ids.set(s.id, s.name);
  }
  return {
    name: d.name,
    mode: d.mode ?? 'tcp',
    balance: {
      algorithm: d.balance?.algorithm ?? 'roundrobin',
      args: d.balance?.args ?? [],
      ...(d.balance?.expr ? { expr: d.balance.expr } : {}),
      hashType: d.hashType ?? 'map-based',
      ...(d.hashFunction ? { hashFunction: d.hashFunction } : {}),
      ...(d.hashBalanceFactor !== undefined ? { hashBalanceFactor: d.hashBalanceFactor } : {}),
    },
    servers,
    timeouts: pick({ connect: t.get('connect'), server: t.get('server'), serverFin: t.get('server-fin'), tunnel: t.get('tunnel'), queue: t.get('queue'), check: t.get('check'), tarpit: t.get('tarpit') ?? t.get('connect') }),
    retries: d.retries ?? DEFAULTS.retries,
    redispatch: d.redispatch ?? false,
    allBackups: d.allBackups ?? false,
    ...(d.forwardFor ? { forwardFor: d.forwardFor } : {}),
    ...(d.connectionMode ? { httpConnectionMode: d.connectionMode } : {}),
    httpReuse: d.httpReuse ?? 'safe',
    errorFiles: d.errorFiles,
    healthCheck: {
      ...(d.healthCheck
        ? { kind: d.healthCheck.kind, httpchk: d.healthCheck.httpchk, ...(d.healthCheck.expect ? { expect: d.healthCheck.expect } : {}), source: { file: d.healthCheck.file, line: d.healthCheck.line } }
        : { kind: 'tcp' as const, httpchk: [], source: { file: d.file, line: d.line } }),
      ...(d.httpCheckSend && d.healthCheck?.kind === 'http' ? { send: d.httpCheckSend } : {}),
      // Rules run only under `option tcp-check`, as in HAProxy.
      ...(d.tcpCheckRules.length && d.healthCheck?.kind === 'tcp' ? { tcpRules: d.tcpCheckRules } : {}),
    },
    ...(d.policy ? { policy: freezePolicy({ ...d.policy, useBackend: [] }) } : {}),
    ...(d.cookie ? { cookie: d.cookie } : {}),
    persist: d.persist ?? false,
    ...(d.dynamicCookieKey !== undefined ? { dynamicCookieKey: d.dynamicCookieKey } : {}),
    ...(d.fullconn ? { fullconn: d.fullconn } : {}),
    ...(d.stats ? { stats: statsPage(d.stats) } : {}),
    fromListen: d.kind === 'listen',
    source: { file: d.file, line: d.line },
  };
}

/** A server's `maxconn` / `minconn` pair as HAProxy settles it: `minconn` only counts below a non-zero `maxconn`. */
function limits(maxconn: number | undefined, minconn: number | undefined): { maxconn?: number; minconn?: number } {
  if (minconn === undefined || minconn === 0) return maxconn !== undefined ? { maxconn } : {};
  if (!maxconn || minconn >= maxconn) return { maxconn: minconn };
  return { maxconn, minconn };
}

function checkUnique(proxies: readonly { name: string; source: { file: string; line: number }; fromListen: boolean }[], kind: string, sink: DiagnosticSink): void {
  const seen = new Map<string, { file: string; line: number }>();
  for (const p of proxies) {
    const earlier = seen.get(p.name);
    if (earlier) sink.error(p.source.file, p.source.line, p.fromListen ? 'listen' : kind, `${kind} '${p.name}' has the same name as another ${kind} declared at ${earlier.file}:${earlier.line}`);
    else seen.set(p.name, p.source);
  }
}

function pick<T extends Record<string, number | undefined>>(values: T): { [K in keyof T]?: number } {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: number };
}

/** Freezes the snapshot all the way down (Maps are wrapped so `set` fails too; Buffers stay as they are). */
export function deepFreeze<T>(value: T): T {
  // A PatternRef is the runtime-mutable content of a map/ACL file (pattern-ref.ts): shared, never frozen.
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof PatternRef || Object.isFrozen(value)) return value;
  if (value instanceof Map) {
    for (const v of value.values()) deepFreeze(v);
    const map = value as Map<unknown, unknown>;
    map.set = () => { throw new TypeError('RuntimeConfig is frozen'); };
    map.delete = () => { throw new TypeError('RuntimeConfig is frozen'); };
    map.clear = () => { throw new TypeError('RuntimeConfig is frozen'); };
    return Object.freeze(value);
  }
  for (const v of Object.values(value as object)) deepFreeze(v);
  return Object.freeze(value);
}

/**
 * TLS towards a server. HAProxy verifies server certificates by default (`ssl-server-verify required`), and a
 * server that must be verified without a CA file is a configuration error, with HAProxy's advice.
 */
function serverTls(p: ServerParams, s: ServerDraft, verifyDefault: 'none' | 'required', sink: DiagnosticSink): ServerTlsOptions {
  const verify = p.verify ?? verifyDefault;
  const sni = s.params.sni !== undefined || s.params.sniExpr !== undefined ? s.params : p;
  if (verify === 'required' && !p.ca) {
    sink.error(s.file, s.line, 'server', `server '${s.name}': verify is enabled by default but no CA file specified. If you're running on a LAN where you're certain to trust the server's certificate, please set an explicit 'verify none' statement on the 'server' line, or use 'ssl-server-verify none' in the global section to disable server-side verifications by default.`);
  }
  return {
    verify,
    ...(p.ca ? { ca: p.ca, caFile: p.caFile } : {}),
    // The server line's `sni` replaces default-server's, whichever form each uses.
    ...(sni.sni !== undefined ? { sni: sni.sni } : {}),
    ...(sni.sniExpr !== undefined ? { sniExpr: sni.sniExpr } : {}),
    ...(p.verifyHost !== undefined ? { verifyHost: p.verifyHost } : {}),
  };
}

/** HAProxy's defaults for a proxy with any `stats` keyword: uri `/haproxy?stats`, realm `HAProxy Statistics`. */
function statsPage(d: StatsDraft): StatsPageConfig {
  return {
    uri: d.uri ?? '/haproxy?stats',
    realm: d.realm ?? 'HAProxy Statistics',
    auth: d.auth.map((a) => ({ ...a })),
    ...(d.refreshMs !== undefined ? { refreshMs: d.refreshMs } : {}),
    ...(d.showNode !== undefined ? { showNode: d.showNode } : {}),
    showLegends: d.showLegends ?? false,
    hideVersion: d.hideVersion ?? false,
    ...(d.admin ? { admin: d.admin } : {}),
    scope: [...d.scope],
  };
}
