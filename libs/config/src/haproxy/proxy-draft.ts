import type { BindConfig, BalanceConfig, CookiePersistenceConfig, ForwardForOption, HttpCheckSend, HttpConnectionMode, HttpReuseMode, ProxyMode, ServerCheckConfig, TcpCheckRule } from '../runtime-config.types.js';
import type { ServerEndpoint } from '@tandem/core';
import type { Condition, SampleExpr } from '../policy-config.types.js';
import type { PolicyDraft } from './policy-draft.js';
import type { LogDraft } from './log-keywords.js';
import type { CaptureDraft } from './capture-keywords.js';
import type { LogFormat } from '../policy-config.types.js';

export type ProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';

/** Server parameters as written; `default-server` lines fill the same shape. */
export interface ServerParams {
  weight?: number;
  maxconn?: number;
  maxqueue?: number;
  minconn?: number;
  poolMaxConn?: number;
  poolPurgeDelay?: number;
  backup?: boolean;
  disabled?: boolean;
  ssl?: boolean;
  verify?: 'none' | 'required';
  caFile?: string;
  ca?: Buffer;
  sni?: string;
  /** `sni <expr>` other than `str(<name>)`. */
  sniExpr?: SampleExpr;
  verifyHost?: string;
  cookie?: string;
  id?: number;
  check?: Partial<ServerCheckConfig>;
  agent?: { enabled?: boolean; port?: number; inter?: number; send?: string; addr?: string };
}

export interface ServerDraft {
  readonly name: string;
  readonly endpoint: ServerEndpoint;
  readonly params: ServerParams;
  readonly file: string;
  readonly line: number;
}

/** A proxy section while it is being parsed. `from` names the defaults section it inherits. */
export interface ProxyDraft {
  readonly kind: ProxyKind;
  readonly name: string;
  readonly file: string;
  readonly line: number;
  mode?: ProxyMode;
  binds: BindConfig[];
  defaultBackend?: string;
  maxconn?: number;
  /** `fullconn` (backends): the load at which servers reach their maxconn. */
  fullconn?: number;
  timeouts: Map<string, number>;
  retries?: number;
  redispatch?: boolean;
  allBackups?: boolean;
  /** `cookie <name> …` (issue #6); `option persist`. */
  cookie?: CookiePersistenceConfig;
  persist?: boolean;
  /** `dynamic-cookie-key <string>`: the secret of `cookie … dynamic`, inherited from defaults. */
  dynamicCookieKey?: string;
  forwardFor?: ForwardForOption | null;
  connectionMode?: HttpConnectionMode;
  httpReuse?: HttpReuseMode;
  errorFiles: Map<number, Buffer>;
  balance?: Pick<BalanceConfig, 'algorithm' | 'args' | 'expr'>;
  hashType?: BalanceConfig['hashType'];
  hashFunction?: string;
  hashBalanceFactor?: number;
  servers: ServerDraft[];
  defaultServer: ServerParams;
  healthCheck?: { kind: 'tcp' | 'http'; httpchk: string[]; expect?: string[]; file: string; line: number };
  httpCheckSend?: HttpCheckSend;
  tcpCheckRules: TcpCheckRule[];
  disabled?: boolean;
  /** A bind line of this proxy failed to parse: its error already names the line. */
  bindFailed?: boolean;
  log?: LogDraft;
  /** ACLs, HTTP rules, redirects and use_backend (issue #6); absent when the proxy has none. */
  policy?: PolicyDraft;
  /** `stats *` keywords (issue #5); absent when none is set. */
  stats?: StatsDraft;
  /** `capture request|response header` slots and `http-request capture … len` ones, in declaration order. */
  captures?: CaptureDraft;
  /** `unique-id-format` / `unique-id-header` (inherited from defaults). */
  uniqueId?: { format?: LogFormat; header?: string };
}

/** The stats page settings while parsing (StatsPageConfig once built). */
export interface StatsDraft {
  uri?: string;
  realm?: string;
  auth: Array<{ user: string; password: string }>;
  refreshMs?: number;
  showNode?: string | true;
  showLegends?: boolean;
  hideVersion?: boolean;
  admin?: Condition;
  scope: string[];
}

export function newDraft(kind: ProxyKind, name: string, file: string, line: number): ProxyDraft {
  return { kind, name, file, line, binds: [], timeouts: new Map(), errorFiles: new Map(), servers: [], defaultServer: {}, tcpCheckRules: [] };
}

/** A proxy starts as a copy of its defaults section (HAProxy copies defaults into each proxy that follows). */
export function inheritDefaults(draft: ProxyDraft, defaults: ProxyDraft | undefined): ProxyDraft {
  if (!defaults) return draft;
  return {
    ...draft,
    mode: defaults.mode,
    timeouts: new Map(defaults.timeouts),
    retries: defaults.retries,
    fullconn: draft.kind === 'frontend' ? undefined : defaults.fullconn,
    redispatch: defaults.redispatch,
    allBackups: defaults.allBackups,
    cookie: defaults.cookie,
    persist: defaults.persist,
    dynamicCookieKey: defaults.dynamicCookieKey,
    forwardFor: defaults.forwardFor,
    connectionMode: defaults.connectionMode,
    httpReuse: defaults.httpReuse,
    errorFiles: new Map(defaults.errorFiles),
    balance: defaults.balance,
    hashType: defaults.hashType,
    hashFunction: defaults.hashFunction,
    hashBalanceFactor: defaults.hashBalanceFactor,
    healthCheck: defaults.healthCheck,
    httpCheckSend: defaults.httpCheckSend,
    tcpCheckRules: [...defaults.tcpCheckRules],
    log: defaults.log,
    ...(defaults.uniqueId ? { uniqueId: { ...defaults.uniqueId } } : {}),
    ...(defaults.stats ? { stats: { ...defaults.stats, auth: [...defaults.stats.auth], scope: [...defaults.stats.scope] } } : {}),
    maxconn: draft.kind === 'backend' ? undefined : defaults.maxconn,
    defaultBackend: draft.kind === 'backend' ? undefined : defaults.defaultBackend,
    defaultServer: { ...defaults.defaultServer, check: { ...defaults.defaultServer.check } },
    // `tcp-request inspect-delay` is the one policy setting a defaults section passes on (rules are not inherited).
    ...(defaults.policy?.inspectDelay !== undefined ? { policy: { acls: new Map(), httpRequest: [], httpResponse: [], redirects: [], useBackend: [], tcpConnection: [], tcpContent: [], inspectDelay: defaults.policy.inspectDelay } } : {}),
  };
}
