import type { PatternRef } from './pattern-ref.js';
import type { Condition } from './policy-config.types.js';
import type { ListenAddress, ServerEndpoint } from '@tandem/core';
import type { ProxyCaptures, ProxyLogConfig, UniqueIdConfig } from './log.types.js';
import type { ProxyPolicy, SampleExpr } from './policy-config.types.js';

/**
 * The validated, frozen configuration every subsystem consumes. Produced by `loadHaproxyConfig()`; all times are
 * milliseconds and all sizes bytes. Objects are deep-frozen: a subsystem that needs other values builds its own.
 *
 * Sections: `listen` contributes one frontend and one backend with the same name (as HAProxy does internally), and
 * `defaults` values are already copied into every proxy that follows them, so consumers never read defaults.
 */
export interface RuntimeConfig {
  readonly global: GlobalSettings;
  /** In declaration order. */
  readonly frontends: readonly FrontendConfig[];
  /** In declaration order. */
  readonly backends: readonly BackendConfig[];
  readonly peers: readonly PeersSection[];
  readonly userlists: readonly Userlist[];
  /** Every file that was read, with its content hash; the config history records these. */
  readonly sources: readonly ConfigSource[];
  /** Non-fatal findings (for example a repeated ACL name that reads as an OR). */
  readonly warnings: readonly ConfigDiagnostic[];
  /** Map and ACL pattern files as loaded, by id (`show map|acl`); mutable at run time, forgotten on reload. */
  readonly patternRefs?: readonly PatternRef[];
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

export interface ConfigSource {
  readonly file: string;
  readonly sha256: string;
  readonly text: string;
}

export type DiagnosticSeverity = 'error' | 'warning';

/** One finding. `format()` of the config lib renders it as `[ALERT] file:line: 'keyword': message`. */
export interface ConfigDiagnostic {
  readonly severity: DiagnosticSeverity;
  readonly file: string;
  readonly line: number;
  /** The keyword the finding is about, for example `balance` or `timeout client`. */
  readonly keyword: string;
  readonly message: string;
  /** The nearest known keyword when the keyword was not recognised. */
  readonly suggestion?: string;
}

export interface GlobalSettings {
  readonly maxconn: number;
  readonly daemon: boolean;
  readonly pidfile?: string;
  readonly nbthread: number;
  readonly user?: string;
  readonly group?: string;
  readonly chroot?: string;
  readonly tune: TuneSettings;
  /** `stats socket` lines (the admin socket lib consumes them). */
  readonly statsSockets: readonly StatsSocketConfig[];
  /** `log` lines of the global section. */
  readonly logTargets: readonly LogTarget[];
  /** `log-tag` (global); `log-send-hostname` ('' means the system's hostname). */
  readonly logTag?: string;
  readonly logSendHostname?: string;
  readonly sslDefaultDhParam?: number;
  /** `spread-checks <0..50>`: each check interval is moved at random by up to this percentage (HAProxy's default 0). */
  readonly spreadChecks: number;
  /** `max-spread-checks <time>`: the first checks of a backend are spread over at most this delay. */
  readonly maxSpreadChecks?: number;
}

export interface TuneSettings {
  /** `tune.bufsize`: the largest request or response head accepted, in bytes (HAProxy's default 16384). */
  readonly bufsize: number;
  /** `tune.maxrewrite`: room kept for header rewrites (HAProxy's default 1024). Heads must fit bufsize - maxrewrite. */
  readonly maxrewrite: number;
}

export interface StatsSocketConfig {
  readonly address: ListenAddress;
  readonly mode?: number;
  readonly level: 'user' | 'operator' | 'admin';
  readonly source: SourceLocation;
}

export interface LogTarget {
  /** `stdout`, `stderr`, `udp` (host:port), or `unix` (path). */
  readonly kind: 'stdout' | 'stderr' | 'udp' | 'unix';
  readonly address?: string;
  readonly port?: number;
  readonly facility: string;
  readonly level?: string;
  readonly minLevel?: string;
  readonly format: 'rfc3164' | 'rfc5424' | 'raw' | 'short';
  /** `len <n>`: the longest line sent, header included (HAProxy's default 1024). */
  readonly maxLen?: number;
  readonly source: SourceLocation;
}

export type ProxyMode = 'http' | 'tcp';

/**
 * HAProxy's HTTP connection modes. The effective mode of a transaction combines the frontend's and the backend's
 * (`close` wins over `server-close`, which wins over `keep-alive`).
 */
export type HttpConnectionMode = 'keep-alive' | 'server-close' | 'close';

export interface ForwardForOption {
  /** Header name, `X-Forwarded-For` by default (`option forwardfor header <name>`). */
  readonly header: string;
  /** `except <network>`: clients in this network get no header. CIDR text, or undefined. */
  readonly except?: string;
  /** `if-none`: add the header only when the request has none. */
  readonly ifNone: boolean;
}

/** `errorfile <code> <file>`: the raw HTTP response, read at load time. */
export type ErrorFiles = ReadonlyMap<number, Buffer>;

export interface FrontendTimeouts {
  readonly client?: number;
  readonly httpRequest?: number;
  readonly httpKeepAlive?: number;
  readonly clientFin?: number;
  readonly tunnel?: number;
  /** `timeout tarpit` (issue #6): how long `http-request tarpit` holds the client (else `timeout connect`). */
  readonly tarpit?: number;
}

export interface BackendTimeouts {
  readonly connect?: number;
  readonly server?: number;
  readonly serverFin?: number;
  readonly tunnel?: number;
  readonly queue?: number;
  readonly check?: number;
  readonly tarpit?: number;
}

export interface TlsBindOptions {
  /** Paths of PEM files (certificate, chain and key in one file); a directory given as `crt` is expanded. */
  readonly certificates: readonly string[];
  /** The PEM contents, read at load time, in the same order as `certificates`. */
  readonly pems: readonly Buffer[];
  readonly ciphers?: string;
  readonly ciphersuites?: string;
  readonly alpn?: readonly string[];
  /** Lowest protocol accepted, from `no-sslv3 no-tlsv10 no-tlsv11` or `ssl-min-ver`. */
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

export interface BindConfig {
  readonly address: ListenAddress;
  readonly tls?: TlsBindOptions;
  /** `accept-proxy`, `name`, and friends land with later issues; unknown bind options are errors. */
  readonly name?: string;
  readonly source: SourceLocation;
}

export interface FrontendConfig {
  readonly name: string;
  readonly mode: ProxyMode;
  readonly binds: readonly BindConfig[];
  readonly defaultBackend?: string;
  readonly maxconn?: number;
  readonly timeouts: FrontendTimeouts;
  readonly forwardFor?: ForwardForOption;
  readonly httpConnectionMode?: HttpConnectionMode;
  readonly errorFiles: ErrorFiles;
  /** Traffic logging (`log`, `option httplog|tcplog`, `log-format`...), with `log global` resolved. */
  readonly log?: ProxyLogConfig;
  /** ACLs, http-request/http-response rules, redirects and use_backend (issue #6). */
  readonly policy?: ProxyPolicy;
  /** The stats page (`stats enable`, `stats uri`...), issue #5; absent when the proxy does not serve it. */
  readonly stats?: StatsPageConfig;
  /** Capture slots (`capture request|response header`, `http-request capture … len`); absent when none. */
  readonly captures?: ProxyCaptures;
  /** `unique-id-format` (and `unique-id-header`); absent when no format is set. */
  readonly uniqueId?: UniqueIdConfig;
  /** True when this frontend came from a `listen` section. */
  readonly fromListen: boolean;
  readonly source: SourceLocation;
}

/**
 * HAProxy's stats page settings of one proxy (configuration.txt 4.2, `stats *`). Any `stats` keyword enables it,
 * as in HAProxy; `uri` defaults to `/haproxy?stats` and `realm` to `HAProxy Statistics`.
 */
export interface StatsPageConfig {
  /** Matched as a prefix of the request URI (path and query), as HAProxy does. */
  readonly uri: string;
  readonly realm: string;
  /** `stats auth <user>:<passwd>` lines; empty: no authentication. */
  readonly auth: ReadonlyArray<{ readonly user: string; readonly password: string }>;
  readonly refreshMs?: number;
  /** `stats show-node [name]`: true for the node name (hostname or global `node`). */
  readonly showNode?: string | true;
  readonly showLegends: boolean;
  readonly hideVersion: boolean;
  /** `stats admin if|unless <cond>`: the page accepts server actions when the condition matches. */
  readonly admin?: Condition;
  /** `stats scope <proxy>` lines (`.` is the stats proxy itself); empty: every proxy. */
  readonly scope: readonly string[];
}

export interface BalanceConfig {
  /** `roundrobin`, `static-rr`, `leastconn`, `first`, `source`, `uri`, `url_param`, `hdr`, `random`, ... */
  readonly algorithm: string;
  /** Arguments after the algorithm name, and the name's parenthesised argument (`hdr(host)` gives ['host']). */
  readonly args: readonly string[];
  /** `balance hash <expr>`: the sample expression whose value is hashed (absent for every other algorithm). */
  readonly expr?: SampleExpr;
  readonly hashType: 'map-based' | 'consistent';
  readonly hashFunction?: string;
  readonly hashBalanceFactor?: number;
}

export type HttpReuseMode = 'never' | 'safe' | 'aggressive' | 'always';

export interface ServerConfig {
  readonly name: string;
  /** `id` keyword or position (1-based), as HAProxy numbers servers. */
  readonly id: number;
  readonly endpoint: ServerEndpoint;
  /** 0..256, default 1. */
  readonly weight: number;
  readonly maxconn?: number;
  readonly maxqueue?: number;
  /** `minconn`: with the backend's `fullconn`, the low end of HAProxy's dynamic maxconn (below `maxconn`). */
  readonly minconn?: number;
  /** `pool-max-conn`: most idle connections kept for reuse; -1 (default) unlimited, 0 none. */
  readonly poolMaxConn?: number;
  /** `pool-purge-delay` in ms (default 5 s): how often excess idle connections are closed; 0 keeps none. */
  readonly poolPurgeDelay?: number;
  readonly backup: boolean;
  readonly disabled: boolean;
  readonly ssl: boolean;
  /** TLS towards the server, present when `ssl` is set. */
  readonly tls?: ServerTlsOptions;
  /** Health-check settings, recorded for the health lib (issue: backends). */
  readonly check: ServerCheckConfig;
  readonly cookie?: string;
  readonly source: SourceLocation;
}

/**
 * `ssl` on a server line: `verify none|required` (the default comes from global `ssl-server-verify`, `required`
 * as in HAProxy), `ca-file` (read at load time), `sni str(<name>)`, `verifyhost`.
 */
export interface ServerTlsOptions {
  readonly verify: 'none' | 'required';
  readonly ca?: Buffer;
  readonly caFile?: string;
  readonly sni?: string;
  /**
   * `sni <expr>` other than `str(<name>)`: evaluated on the request that opens each connection (no SNI when it
   * yields nothing); a pooled connection is reused only by a request whose SNI is the same (HAProxy's rule).
   */
  readonly sniExpr?: SampleExpr;
  readonly verifyHost?: string;
}

export interface ServerCheckConfig {
  readonly enabled: boolean;
  readonly inter: number;
  readonly fastinter?: number;
  readonly downinter?: number;
  readonly rise: number;
  readonly fall: number;
  readonly port?: number;
  readonly addr?: string;
  /** Checks over TLS: `check-ssl`, or a server with `ssl` whose checks go to its own address and port. */
  readonly ssl?: boolean;
  /** `check-sni <name>`: the SNI sent by TLS checks. */
  readonly sni?: string;
  /** `slowstart <time>`: after a DOWN server comes back, its weight ramps up over this time. */
  readonly slowstart?: number;
  /** `on-marked-down shutdown-sessions`: end the server's established sessions when it goes DOWN. */
  readonly shutdownSessionsOnDown?: boolean;
  /** `agent-check` with `agent-port` (required), `agent-inter` (default: inter), `agent-send`, `agent-addr`. */
  readonly agent?: { readonly port: number; readonly inter: number; readonly send?: string; readonly addr?: string };
}

/**
 * How the backend's servers with `check` are checked: a Layer4 connect (the default, and `option tcp-check`
 * without rules) or a Layer7 HTTP request (`option httpchk` with its one-line arguments, and `http-check expect`).
 * Words are kept as written; the health lib builds the request and the matcher from them.
 */
export interface HealthCheckConfig {
  readonly kind: 'tcp' | 'http';
  readonly httpchk: readonly string[];
  readonly expect?: readonly string[];
  /** `http-check send`: overrides the request of `option httpchk`, field by field. */
  readonly send?: HttpCheckSend;
  /** `option tcp-check` with `tcp-check` rules: the sequence run instead of a bare connect. */
  readonly tcpRules?: readonly TcpCheckRule[];
  readonly source: SourceLocation;
}

/** `http-check send [meth <m>] [uri <u>] [ver <v>] [hdr <name> <value>]* [body <string>]`. */
export interface HttpCheckSend {
  readonly method?: string;
  readonly uri?: string;
  readonly version?: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

/** One `tcp-check` rule, in order. A sequence that does not start with `connect` connects first, as HAProxy does. */
export type TcpCheckRule =
  | { readonly kind: 'connect'; readonly port?: number; readonly ssl: boolean; readonly sni?: string; readonly source: SourceLocation }
  | { readonly kind: 'send'; readonly data: Buffer; readonly source: SourceLocation }
  | { readonly kind: 'expect'; readonly negate: boolean; readonly match: 'string' | 'rstring' | 'binary'; readonly pattern: string; readonly source: SourceLocation };

export interface BackendConfig {
  readonly name: string;
  readonly mode: ProxyMode;
  readonly balance: BalanceConfig;
  readonly servers: readonly ServerConfig[];
  readonly timeouts: BackendTimeouts;
  readonly retries: number;
  readonly redispatch: boolean;
  /** `option allbackups`: when no active server is up, use every backup server at once, not only the first. */
  readonly allBackups: boolean;
  readonly forwardFor?: ForwardForOption;
  readonly httpConnectionMode?: HttpConnectionMode;
  readonly httpReuse: HttpReuseMode;
  readonly errorFiles: ErrorFiles;
  readonly healthCheck: HealthCheckConfig;
  /** ACLs, http-request/http-response rules and redirects of the backend (issue #6). */
  readonly policy?: ProxyPolicy;
  /** `cookie <name> …`: cookie-based server persistence (`mode http` only). */
  readonly cookie?: CookiePersistenceConfig;
  /** `option persist`: a cookie naming a DOWN server still sends the request there. */
  readonly persist?: boolean;
  /** `dynamic-cookie-key <string>`: the secret of `cookie … dynamic` (servers without a `cookie` value). */
  readonly dynamicCookieKey?: string;
  /** `fullconn`: the backend load at which servers reach their `maxconn` (dynamic maxconn); unset: HAProxy's default. */
  readonly fullconn?: number;
  /** The stats page served by this backend (issue #5). */
  readonly stats?: StatsPageConfig;
  readonly fromListen: boolean;
  readonly source: SourceLocation;
}

/**
 * `cookie <name> [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve] [httponly] [secure]
 * [domain <d>]* [maxidle <idle>] [maxlife <life>] [dynamic] [attr <v>]*`, as HAProxy reads it. `passive` is a cookie line without a mode: the cookie is only
 * read for persistence, never set nor changed.
 */
export interface CookiePersistenceConfig {
  readonly name: string;
  readonly mode: 'insert' | 'rewrite' | 'prefix' | 'passive';
  readonly indirect: boolean;
  readonly nocache: boolean;
  readonly postonly: boolean;
  readonly preserve: boolean;
  readonly httponly: boolean;
  readonly secure: boolean;
  readonly domains: readonly string[];
  readonly attrs: readonly string[];
  /** `maxidle` / `maxlife` in seconds (absent or 0: off): dated cookies, ignored once idle or old for too long. */
  readonly maxidle?: number;
  readonly maxlife?: number;
  /** `dynamic`: servers without a `cookie` value get one computed from `dynamic-cookie-key`, address and port. */
  readonly dynamic?: boolean;
  readonly source: SourceLocation;
}

export interface PeerConfig {
  readonly name: string;
  readonly endpoint: ServerEndpoint;
  readonly source: SourceLocation;
}

export interface PeersSection {
  readonly name: string;
  readonly peers: readonly PeerConfig[];
  readonly source: SourceLocation;
}

export interface UserConfig {
  readonly name: string;
  /** Either a crypt(3) hash (`password`) or clear text (`insecure-password`). */
  readonly password: { readonly kind: 'hash' | 'insecure'; readonly value: string };
  readonly groups: readonly string[];
}

export interface Userlist {
  readonly name: string;
  readonly users: readonly UserConfig[];
  readonly groups: readonly string[];
  /** `group <name> users <u1,u2>`: the members each group line names (a user's own `groups` add to these). */
  readonly groupUsers?: Readonly<Record<string, readonly string[]>>;
  readonly source: SourceLocation;
}
