import type { SourceLocation } from './runtime-config.types.js';
import type { LogFlags } from './log-value.js';
import type { PatternRef } from './pattern-ref.js';

/**
 * L7 policy as configured (issue #6): ACLs, conditions, content switching and HTTP rules, with HAProxy's meaning.
 * Types only; `@tandem/policy` compiles them into matchers and evaluates them per request.
 */

/** HAProxy's pattern matching methods (`-m <method>`), plus `bool` for boolean samples without patterns. */
export type MatchMethod = 'found' | 'bool' | 'int' | 'ip' | 'str' | 'beg' | 'end' | 'sub' | 'reg' | 'len' | 'dir' | 'dom';

/** The type a sample fetch returns (it decides the default match method when no `-m` is given). */
export type SampleType = 'str' | 'int' | 'ip' | 'bool';

/** One ACL criterion: `<fetch>[(<args>)] [flags] [operator] <value>...`. Values are kept as written. */
export interface AclTerm {
  /** Fetch name as written (`path_beg`, `hdr`, `req.hdr`, `src`...). */
  readonly fetch: string;
  readonly args: readonly string[];
  readonly match: MatchMethod;
  /** `-i`: case-insensitive string matching. */
  readonly ignoreCase: boolean;
  /** Patterns in order; for `int` and `len` an optional operator (`eq ge gt le lt`) or range (`a:b`) is kept. */
  readonly values: readonly string[];
  readonly source: SourceLocation;
  /** Converters applied to the fetched sample, in order (`fetch,lower,map(f)`); absent when none. */
  readonly converters?: readonly ConverterCall[];
  /**
   * `-f <file>`: the shared, mutable references (pattern-ref.ts) whose entries the matcher reads, in `-f` order;
   * `values` then starts with their lines as loaded and the patterns written on the line begin at `inlineFrom`.
   */
  readonly patternRefs?: readonly PatternRef[];
  readonly inlineFrom?: number;
}

/** One `key value` line of a map file, as read at load. */
export interface MapEntry {
  readonly key: string;
  readonly value: string;
}

/** How a `map_<m>` converter matches its keys: HAProxy's match methods usable with maps. */
export type MapMatch = 'str' | 'beg' | 'sub' | 'dir' | 'dom' | 'end' | 'reg' | 'regm' | 'int' | 'ip';

/** A converter (configuration.txt 7.3.1) with its arguments as written; map converters carry the file's entries. */
export interface ConverterCall {
  readonly name: string;
  readonly args: readonly string[];
  /** `entries` as loaded; `ref` is the file's shared reference that `add map`/`set-map` change at run time. */
  readonly map?: { readonly file: string; readonly match: MapMatch; readonly output: SampleType; readonly entries: readonly MapEntry[]; readonly ref?: PatternRef };
}

/**
 * A log-format string in a rule (configuration.txt 8.2.4): literal text, `%[…]` sample expressions, `%<var>`
 * variables (flags from `%{…}` and `%{…}o` applied), and separators (a run of spaces: one space, printed only after
 * something was printed, as HAProxy's LOG_FMT_SEPARATOR).
 */
export type LogFormatPart = string | (SampleExpr & { readonly flags?: LogFlags }) | LogVariablePart | { readonly separator: true };
export type LogFormat = readonly LogFormatPart[];
export interface LogVariablePart {
  readonly variable: string;
  readonly flags?: LogFlags;
}

/** A sample expression: a fetch and its converters (`use_backend %[…]`, log-format values, track keys). */
export interface SampleExpr {
  readonly fetch: string;
  readonly args: readonly string[];
  readonly converters?: readonly ConverterCall[];
}

/** Every `acl <name>` line of a proxy with that name: the alternatives are ORed, as in HAProxy. */
export interface AclDefinition {
  readonly name: string;
  readonly terms: readonly AclTerm[];
}

/** One element of a condition: a named ACL or an anonymous `{ … }` one, optionally negated with `!`. */
export interface ConditionTerm {
  readonly negate: boolean;
  /** The ACL name (named ACLs are resolved in the proxy's `acls`) or the anonymous term. */
  readonly acl: string | AclTerm;
}

/** `if|unless <terms> [or|'||' <terms>]...`: an OR of AND-groups; `unless` negates the whole. */
export interface Condition {
  readonly polarity: 'if' | 'unless';
  readonly alternatives: readonly (readonly ConditionTerm[])[];
}

/** `cookie`: the `Set-Cookie` value of `set-cookie NAME[=value]` (`NAME=value; path=/;`) or `clear-cookie NAME` (`…; Max-Age=0;`). */
export type RedirectSpec =
  | { readonly type: 'scheme' | 'location' | 'prefix'; readonly value: string; readonly code: 301 | 302 | 303 | 307 | 308; readonly dropQuery: boolean; readonly appendSlash: boolean; readonly format?: LogFormat; readonly cookie?: string };

/**
 * The response options of deny, tarpit and return (HAProxy's "http reply", configuration.txt 4.2): `message` is a
 * complete HTTP response (`errorfile <file>`, `errorfiles <name>`) sent as is; otherwise the content type, body
 * (`string`, `file`; `lf-string`/`lf-file` give `bodyFormat`) and `hdr` fields (`headerFormats[i]` when not plain).
 */
export interface HttpReply {
  readonly contentType?: string;
  readonly body?: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly bodyFormat?: LogFormat;
  readonly headerFormats?: ReadonlyArray<LogFormat | undefined>;
  readonly message?: Buffer;
}

/** `del-header <name> [-m str|beg|end|sub|reg]`: `match` absent is `str` (the whole name, case-insensitive). */
export type DelHeaderAction = { readonly action: 'del-header'; readonly name: string; readonly match?: 'beg' | 'end' | 'sub' | 'reg' };

/** `set-var(<scope>.<name>)` / `var(<scope>.<name>)`: HAProxy's variable scopes. */
export type VarScope = 'proc' | 'sess' | 'txn' | 'req' | 'res';

/** Actions `http-request` and `http-response` share (issue #6): variables, header rewrites. */
export type SharedHttpAction =
  | { readonly action: 'set-var'; readonly scope: VarScope; readonly name: string; readonly expr: SampleExpr }
  | { readonly action: 'unset-var'; readonly scope: VarScope; readonly name: string }
  | { readonly action: 'replace-header' | 'replace-value'; readonly name: string; readonly regex: string; readonly format: LogFormat }
  | { readonly action: 'set-log-level'; readonly level: string }
  | { readonly action: 'set-var-fmt'; readonly scope: VarScope; readonly name: string; readonly format: LogFormat }
  /**
   * `capture <sample> len <n>` (request: a new slot of the frontend, numbered with `capture request header`) or
   * `capture <sample> id <slot>` (a declared slot, truncated to its length; response rules use their side's slots).
   */
  | { readonly action: 'capture'; readonly expr: SampleExpr; readonly slot: number; readonly len?: number };

/** `http-request <action> … [if|unless cond]`, in declaration order. */
/**
 * `set-map(<file>) <key fmt> <value fmt>`, `del-map(<file>) <key fmt>`, `add-acl(<file>) <key fmt>`,
 * `del-acl(<file>) <key fmt>`: change the file's shared reference (pattern-ref.ts) at run time; a file no map or ACL
 * loaded leaves `ref` unloaded and the action does nothing (HAProxy looks the file up and skips).
 */
export interface PatternAction {
  readonly action: 'set-map' | 'del-map' | 'add-acl' | 'del-acl';
  readonly ref: PatternRef;
  readonly key: string;
  readonly keyFormat?: LogFormat;
  readonly value?: string;
  readonly valueFormat?: LogFormat;
}

/**
 * `sc-inc-gpc0(<n>)`, `sc-inc-gpc1(<n>)`: the counter (and its rate) +1 on stick counter n's entry;
 * `sc-set-gpt0(<n>) <int|expr>`: gpt0 of that entry set to the integer, or to the expression's value (4.2).
 */
export type StickCounterAction =
  | { readonly action: 'sc-inc-gpc0' | 'sc-inc-gpc1'; readonly counter: 0 | 1 | 2 }
  | { readonly action: 'sc-set-gpt0'; readonly counter: 0 | 1 | 2; readonly value?: number; readonly expr?: SampleExpr };

export type HttpRequestRule = (
  | { readonly action: 'allow' }
  | PatternAction
  | TrackScAction
  | StickCounterAction
  /** `early-hint <name> <fmt>`: a header of the `103 Early Hints` sent to HTTP/1.1 clients before forwarding. */
  | { readonly action: 'early-hint'; readonly name: string; readonly value: string; readonly format?: LogFormat }
  | { readonly action: 'deny'; readonly status: number; readonly reply?: HttpReply }
  | { readonly action: 'redirect'; readonly redirect: RedirectSpec }
  | { readonly action: 'set-header' | 'add-header'; readonly name: string; readonly value: string; readonly format?: LogFormat }
  | DelHeaderAction
  /** `lf-string` and `hdr` values are log-formats: `bodyFormat`/`headerFormats[i]` are set when not plain text. */
  | ({ readonly action: 'return'; readonly status: number } & HttpReply)
  | { readonly action: 'use-service'; readonly service: 'prometheus-exporter' }
  | { readonly action: 'set-path' | 'set-query' | 'set-uri' | 'set-method'; readonly format: LogFormat }
  | { readonly action: 'tarpit'; readonly status: number; readonly reply?: HttpReply }
  | { readonly action: 'set-timeout'; readonly timeout: 'server' | 'tunnel'; readonly ms: number }
  /** `auth [realm <r>]`: a 401 asking for Basic credentials; the realm defaults to the proxy's name. */
  | { readonly action: 'auth'; readonly realm: string }
  /** `reject`: close without an answer; `silent-drop`: close with a TCP reset, nothing sent. */
  | { readonly action: 'reject' | 'silent-drop' }
  | { readonly action: 'set-pathq'; readonly format: LogFormat }
  /** `normalize-uri <normalizer> [full|strict]`: `option` is the normalizer's `full` or `strict`. */
  | { readonly action: 'normalize-uri'; readonly normalizer: string; readonly option: boolean }
  /** What later fetches (`src`, `dst_port`…) and the log see, as HAProxy's set-src rewrites the stream's addresses. */
  | { readonly action: 'set-src' | 'set-src-port' | 'set-dst' | 'set-dst-port'; readonly expr: SampleExpr }
  | SharedHttpAction
) & { readonly condition?: Condition; readonly source: SourceLocation };

/** `http-response <action> … [if|unless cond]`, in declaration order. */
export type HttpResponseRule = (
  | PatternAction
  | { readonly action: 'set-header' | 'add-header'; readonly name: string; readonly value: string; readonly format?: LogFormat }
  | DelHeaderAction
  | { readonly action: 'set-status'; readonly status: number; readonly reason?: string }
  | SharedHttpAction
  /** allow, deny (default 502), return, redirect (`location` only), track-sc, sc-inc-gpc0: as the http-request forms. */
  | Extract<HttpRequestRule, { readonly action: 'allow' | 'deny' | 'return' | 'redirect' | 'track-sc' | 'sc-inc-gpc0' | 'sc-inc-gpc1' | 'sc-set-gpt0' }>
) & { readonly condition?: Condition; readonly source: SourceLocation };

/** `http-after-response <action> … [if|unless cond]`: on every response, Tandem's own included. */
export type HttpAfterResponseRule = (
  | { readonly action: 'allow' }
  | Extract<SharedHttpAction, { readonly action: 'set-var' | 'unset-var' | 'set-var-fmt' | 'set-log-level' | 'capture' }>
  | { readonly action: 'set-header' | 'add-header'; readonly name: string; readonly value: string; readonly format?: LogFormat }
  | DelHeaderAction
  | { readonly action: 'set-status'; readonly status: number; readonly reason?: string }
  | { readonly action: 'replace-header' | 'replace-value'; readonly name: string; readonly regex: string; readonly format: LogFormat }
) & { readonly condition?: Condition; readonly source: SourceLocation };

/** `use_backend <name> [if|unless cond]`. */
export interface UseBackendRule {
  /** The name as written; with `format`, a log-format evaluated per request (an unknown result → default_backend). */
  readonly backend: string;
  readonly format?: LogFormat;
  readonly condition?: Condition;
  readonly source: SourceLocation;
}

/** `track-sc0|1|2 <key fetch> [table <name>]`: `table` is resolved at load (the current proxy's when omitted). */
export interface TrackScAction {
  readonly action: 'track-sc';
  readonly counter: 0 | 1 | 2;
  /**
   * The key: a sample fetch (`src`, `hdr(x-user)`, ...) and its converters (`req.hdr(x-id),lower`); the result is
   * cast to the table's key type at run time, as HAProxy does (a key that cannot be cast tracks nothing).
   */
  readonly key: SampleExpr;
  readonly table: string;
}

/** `tcp-request connection|content <action> [if|unless cond]`, in declaration order. */
export type TcpRequestRule = (
  | { readonly action: 'accept' | 'reject' }
  | TrackScAction
  | StickCounterAction
  /** `silent-drop`: the connection is closed with a TCP reset, nothing sent. */
  | { readonly action: 'silent-drop' }
  /** What later fetches and the log see (`src`, `dst`), kept for the connection. */
  | { readonly action: 'set-src' | 'set-dst'; readonly expr: SampleExpr }
  /** Variables (`sess.`/`proc.` outlive the rule set; `txn.` lasts the stream), and `capture … len` (content only). */
  | Extract<SharedHttpAction, { readonly action: 'set-var' | 'set-var-fmt' | 'unset-var' | 'capture' }>
) & { readonly condition?: Condition; readonly source: SourceLocation };

/**
 * `stick match|on|store-request|store-response <pattern> [table <t>] [if|unless cond]` (backend and listen), in
 * declaration order. `on` is match + store-request. `table` is resolved at load (the current proxy's when omitted);
 * a table used by a stick rule always stores `server_id`, as in HAProxy.
 */
export interface StickRule {
  readonly kind: 'match' | 'on' | 'store-request' | 'store-response';
  /**
   * The key's sample fetch and converters; `cookie(<n>)` is read as `req.cook` in request rules and `res.cook` in
   * store-response. Cast to the table's key type at run time (a key that cannot be cast does nothing).
   */
  readonly key: SampleExpr;
  readonly table: string;
  readonly condition?: Condition;
  readonly source: SourceLocation;
}

/** `use-server <server> [if|unless cond]` (backend and listen): the server is checked at load. */
export interface UseServerRule {
  /** The server's name, or a log-format (`use-server %[hdr(x)]`, `format` set) evaluated per request. */
  readonly server: string;
  readonly format?: LogFormat;
  readonly condition?: Condition;
  readonly source: SourceLocation;
}

/** A stick-table key type and stored data types, as HAProxy's `stick-table` line declares them. */
export type StickTableKeyType = 'ip' | 'ipv6' | 'integer' | 'string' | 'binary';
export type StickTableStoreItem = { readonly type: string; readonly periodMs?: number };

/**
 * `stick-table type … size … [expire …] [nopurge] [peers …] [store …]`, validated; structurally the
 * `StickTableDefinition` of `@tandem/stick-tables` (named after its proxy, as HAProxy names tables).
 */
export interface StickTableConfig {
  readonly name: string;
  readonly type: StickTableKeyType;
  readonly keyLength?: number;
  readonly size: number;
  readonly expireMs?: number;
  readonly nopurge?: boolean;
  readonly peers?: string;
  readonly store: readonly StickTableStoreItem[];
  readonly source: SourceLocation;
}

/** A proxy's L7 policy. Empty lists when the proxy has none. */
export interface ProxyPolicy {
  readonly acls: ReadonlyMap<string, AclDefinition>;
  readonly httpRequest: readonly HttpRequestRule[];
  readonly httpResponse: readonly HttpResponseRule[];
  /** `http-after-response` rules (absent when none): after http-response, and on Tandem's own responses. */
  readonly httpAfterResponse?: readonly HttpAfterResponseRule[];
  /** Standalone `redirect` rules: evaluated after the http-request rules, before `use_backend`. */
  readonly redirects: ReadonlyArray<{ readonly redirect: RedirectSpec; readonly condition?: Condition; readonly source: SourceLocation }>;
  /** Frontends only (and listen). */
  readonly useBackend: readonly UseBackendRule[];
  /** `tcp-request connection` rules (frontends and listen): evaluated when a connection is accepted. */
  readonly tcpConnection: readonly TcpRequestRule[];
  /** `tcp-request content` rules: per request in HTTP mode (before http-request), at accept in TCP mode. */
  readonly tcpContent: readonly TcpRequestRule[];
  /** `tcp-request session` rules (frontends and listen): after the connection rules, before content rules. */
  readonly tcpSession?: readonly TcpRequestRule[];
  /** `tcp-request inspect-delay` in ms: how long TCP-mode `tcp-request content` rules may wait for data. */
  readonly inspectDelay?: number;
  /** This proxy's own `stick-table`, named after the proxy. */
  readonly stickTable?: StickTableConfig;
  /** `stick match|on|store-request|store-response` rules (backends and listen), in order. */
  readonly stickRules?: readonly StickRule[];
  /** `use-server` rules (backends and listen), in order: evaluated before cookie and stick persistence. */
  readonly useServer?: readonly UseServerRule[];
}
