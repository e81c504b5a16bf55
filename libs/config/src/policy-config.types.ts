import type { SourceLocation } from './runtime-config.types.js';

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

export type RedirectSpec =
  | { readonly type: 'scheme' | 'location' | 'prefix'; readonly value: string; readonly code: 301 | 302 | 303 | 307 | 308; readonly dropQuery: boolean; readonly appendSlash: boolean };

/** `http-request <action> … [if|unless cond]`, in declaration order. */
export type HttpRequestRule = (
  | { readonly action: 'allow' }
  | TrackScAction
  | { readonly action: 'sc-inc-gpc0'; readonly counter: 0 | 1 | 2 }
  | { readonly action: 'deny'; readonly status: number }
  | { readonly action: 'redirect'; readonly redirect: RedirectSpec }
  | { readonly action: 'set-header' | 'add-header'; readonly name: string; readonly value: string }
  | { readonly action: 'del-header'; readonly name: string }
  | { readonly action: 'return'; readonly status: number; readonly contentType?: string; readonly body?: string; readonly headers: ReadonlyArray<readonly [string, string]> }
) & { readonly condition?: Condition; readonly source: SourceLocation };

/** `http-response <action> … [if|unless cond]`, in declaration order. */
export type HttpResponseRule = (
  | { readonly action: 'set-header' | 'add-header'; readonly name: string; readonly value: string }
  | { readonly action: 'del-header'; readonly name: string }
) & { readonly condition?: Condition; readonly source: SourceLocation };

/** `use_backend <name> [if|unless cond]`. */
export interface UseBackendRule {
  readonly backend: string;
  readonly condition?: Condition;
  readonly source: SourceLocation;
}

/** `track-sc0|1|2 <key fetch> [table <name>]`: `table` is resolved at load (the current proxy's when omitted). */
export interface TrackScAction {
  readonly action: 'track-sc';
  readonly counter: 0 | 1 | 2;
  /** The key's sample fetch (`src`, `hdr(x-user)`, ...): any fetch of SAMPLE_FETCHES returning one value. */
  readonly key: { readonly fetch: string; readonly args: readonly string[] };
  readonly table: string;
}

/** `tcp-request connection|content <action> [if|unless cond]`, in declaration order. */
export type TcpRequestRule = (
  | { readonly action: 'accept' | 'reject' }
  | TrackScAction
) & { readonly condition?: Condition; readonly source: SourceLocation };

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
  /** Standalone `redirect` rules: evaluated after the http-request rules, before `use_backend`. */
  readonly redirects: ReadonlyArray<{ readonly redirect: RedirectSpec; readonly condition?: Condition; readonly source: SourceLocation }>;
  /** Frontends only (and listen). */
  readonly useBackend: readonly UseBackendRule[];
  /** `tcp-request connection` rules (frontends and listen): evaluated when a connection is accepted. */
  readonly tcpConnection: readonly TcpRequestRule[];
  /** `tcp-request content` rules: per request in HTTP mode (before http-request), at accept in TCP mode. */
  readonly tcpContent: readonly TcpRequestRule[];
  /** This proxy's own `stick-table`, named after the proxy. */
  readonly stickTable?: StickTableConfig;
}
