import type { TxnInfo } from './txn-info.types.js';
import type { UserlistAuth } from './userlist-auth.js';

/** Header fields as the HTTP codecs hold them: lower-cased names, raw names and values, parallel arrays. */
export interface HeaderList {
  names: string[];
  rawNames: string[];
  values: string[];
}

/**
 * What the sample fetches read from one transaction. The proxy builds it once per request from the parsed head
 * and the connection; header rules edit `headers` in place, so later rules see earlier rules' changes (as in HAProxy).
 */
export interface RequestView {
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  /** Rewritten in place by `set-method`. */
  method: string;
  /** The request target as received (origin form `/p?q`, absolute form, or `*`). */
  /** Rewritten in place by `set-path`, `set-query`, `set-uri`. */
  uri: string;
  readonly headers: HeaderList;
  /** The connection arrived over TLS (`ssl_fc`). */
  readonly ssl: boolean;
  /** The SNI the client sent (`ssl_fc_sni`). */
  readonly sni: string | undefined;
  /** Usable servers of a backend (`nbsrv(<backend>)`); `undefined` names the current backend. */
  nbsrv(backend: string | undefined): number;
  /** True when `headers` are a response's (`http-response` rules, `stick store-response`): `cookie()` reads Set-Cookie. */
  readonly response?: boolean;
  /** Stick counters of this connection (issue #6); absent when no stick table is configured. */
  readonly stick?: StickAccess;
  /** `req.ver`: `1.0` or `1.1`. */
  readonly version?: string;
  /** `status`: the response's status, in response context. */
  readonly status?: number;
  /** `be_conn([<b>])`: current connections of a backend (undefined: the current one); `fe_conn`: of the frontend. */
  beConn?(backend: string | undefined): number;
  feConn?(frontend: string | undefined): number;
  /** Variables, captures and per-transaction settings (set by rules); the policy creates it when absent. */
  readonly txn?: TxnState;
  /** Names, dates, counters and capture slots for log-format variables in rule values (txn-info.types.ts). */
  readonly txnInfo?: TxnInfo;
  /**
   * TLS details of the client connection (`ssl_fc_protocol`, `ssl_fc_cipher`, `ssl_fc_alpn`, `ssl_c_used`), read
   * from the socket only when a fetch asks; absent or undefined when the connection is not TLS.
   */
  tls?(): TlsDetails | undefined;
  /**
   * Load figures of a backend (undefined: the current one) for `connslots`, `queue`, `avg_queue`, `be_sess_rate`;
   * computed when a fetch asks. Undefined when no such backend.
   */
  backendLoad?(backend: string | undefined): BackendLoad | undefined;
  /** `srv_is_up(<backend>/<server>)`: undefined when there is no such server. */
  serverUp?(backend: string, server: string): boolean | undefined;
  /** `fe_sess_rate([<frontend>])`: new sessions per second over the last second. */
  feSessRate?(frontend: string | undefined): number;
  /** The request buffer of a `mode tcp` connection under content inspection (Layer 6 fetches, 7.3.5). */
  readonly payload?: PayloadView;
  /** The configuration's `userlist` sections (`http_auth`, `http_auth_group`); absent when it declares none. */
  readonly userlists?: UserlistAuth;
}

export interface TlsDetails {
  /** `TLSv1.2`, `TLSv1.3`… as OpenSSL names them. */
  readonly protocol: string | undefined;
  /** The OpenSSL cipher name (`TLS_AES_256_GCM_SHA384`, `ECDHE-RSA-AES128-GCM-SHA256`). */
  readonly cipher: string | undefined;
  readonly alpn: string | undefined;
  /** The client presented a certificate. */
  readonly clientCert: boolean;
  readonly sni: string | undefined;
}

export interface BackendLoad {
  /** Requests waiting in the backend's and its servers' queues. */
  readonly queued: number;
  /** Usable servers (active in rotation, else backups), as `nbsrv`. */
  readonly usable: number;
  /** Free connection and queue slots of usable servers; undefined when one of them is unlimited. */
  readonly freeSlots: number | undefined;
  /** New sessions per second over the last second. */
  readonly sessRate: number;
}

/**
 * The bytes received so far on a TCP connection whose content rules run. `final` is HAProxy's SMP_OPT_FINAL (the
 * inspect-delay expired, the buffer is full, the client closed, or there is no delay): fetches then answer with what
 * is there. Otherwise a fetch that lacks data sets `mayChange` (HAProxy's SMP_F_MAY_CHANGE) and the rule waits.
 */
export interface PayloadView {
  readonly data: Buffer;
  readonly final: boolean;
  mayChange: boolean;
}

export type VarValue = string | number | boolean;

/** What rules store on a transaction beyond its head. */
export interface TxnState {
  /** `txn.`, `req.` and `res.` variables of this transaction, keyed `<scope>.<name>`. */
  readonly vars: Map<string, VarValue>;
  /** `sess.` variables: the client connection's, shared by its transactions. */
  readonly sessVars: Map<string, VarValue>;
  /** `proc.` variables: the process's. */
  readonly procVars: Map<string, VarValue>;
  /** Captured values by slot (`capture request header`, `http-request capture`), for `%hr` and `capture.req.hdr`. */
  readonly reqCaptures: (string | undefined)[];
  /** Response capture slots (`capture response header`, `http-response capture … id`), for `%hs`. */
  readonly resCaptures: (string | undefined)[];
  /** The unique ID once generated (`%ID`, `unique-id`, `unique-id-header`): once per transaction, as HAProxy. */
  uniqueId?: string;
  /** `set-log-level`. */
  logLevel?: string;
  /** `set-timeout server|tunnel`, in ms. */
  serverTimeout?: number;
  tunnelTimeout?: number;
  /** A `set-src|set-src-port|set-dst|set-dst-port` rule changed the view's addresses (the proxy keeps them). */
  addressesSet?: boolean;
  /** `early-hint` headers gathered for the `103 Early Hints` the proxy sends before forwarding (HTTP/1.1 only). */
  earlyHints?: Array<readonly [string, string]>;
}

/**
 * The stick tables as the rules see them: the proxy implements it over `@tandem/stick-tables` (this lib does not
 * import it). Data types are HAProxy's names (`http_req_rate`, `conn_cur`, `gpc0`, ...).
 */
export interface StickAccess {
  /** The table `src_*` fetches use without argument: the proxy whose rules are being evaluated. */
  proxyTable: string | undefined;
  /**
   * `track-sc<n> <key> [table t]`: ignored when counter n already tracks an entry (HAProxy). `type` is the key
   * expression's sample type (the tracker casts it to the table's key type; absent: as the table reads it).
   */
  track(counter: number, key: string | number | boolean, table: string, type?: 'str' | 'int' | 'ip' | 'bool'): void;
  /** `sc_<d>(n[,t])`: undefined when counter n tracks nothing or the table does not store `type`. */
  readCounter(counter: number, type: string, table: string | undefined): number | undefined;
  /** `src_<d>([t])`: 0 when the key is absent, undefined when the table does not store `type`. */
  readKey(table: string | undefined, key: string, type: string): number | undefined;
  /** `in_table(<t>)`: whether table t holds an entry for `key` (optional: a view without it finds none). */
  hasKey?(table: string, key: string): boolean;
  /** `sc-inc-gpc0(n)`: gpc0 and gpc0_rate +1 on counter n's entry. */
  incGpc0(counter: number): void;
  /** `sc-inc-gpc1(n)`: gpc1 and gpc1_rate +1 on counter n's entry (optional: a view without it does nothing). */
  incGpc1?(counter: number): void;
  /** `sc-set-gpt0(n) <v>`: gpt0 of counter n's entry, when the table stores it. */
  setGpt0?(counter: number, value: number): void;
  /**
   * `sc_inc_gpc0|1(n[,t])` / `sc_clr_gpc0|1`: the new (inc) or previous (clr) value; undefined when counter n
   * tracks nothing, 0 when the table does not store the counter.
   */
  updateCounter?(counter: number, op: 'inc' | 'clr', type: 'gpc0' | 'gpc1', table: string | undefined): number | undefined;
  /** `src_inc_gpc0|1([t])` / `src_clr_gpc0|1`: as updateCounter on the key's entry, created when absent. */
  updateKey?(table: string | undefined, key: string, op: 'inc' | 'clr', type: 'gpc0' | 'gpc1'): number | undefined;
}

/** A fetched sample: nothing, a value, or every value of a multi-valued fetch (`hdr`, tried in turn by an ACL). */
export type Sample = undefined | string | number | boolean | readonly string[];
