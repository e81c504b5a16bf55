import { SAMPLE_FETCHES, type HttpRequestRule, type HttpResponseRule, type ProxyPolicy, type RedirectSpec, type TcpRequestRule, type TrackScAction } from '@tandem/config';
import { compileAcls, compileCondition, type Predicate } from './condition.js';
import { FETCHES, pathOf } from './fetches.js';
import type { HeaderList, RequestView } from './request-view.types.js';

/** What the request rules of one proxy decided. `continue`: go on (next proxy, switching, server). */
export type RequestVerdict =
  | { readonly kind: 'continue' }
  | { readonly kind: 'deny'; readonly status: number }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string }
  | { readonly kind: 'return'; readonly status: number; readonly contentType?: string; readonly body?: string; readonly headers: ReadonlyArray<readonly [string, string]> };

const CONTINUE: RequestVerdict = { kind: 'continue' };

/** Removes every field named `name` (case-insensitive). */
export function deleteHeader(h: HeaderList, name: string): void {
  const n = name.toLowerCase();
  for (let i = h.names.length - 1; i >= 0; i--) {
    if (h.names[i] === n) {
      h.names.splice(i, 1);
      h.rawNames.splice(i, 1);
      h.values.splice(i, 1);
    }
  }
}

export function addHeader(h: HeaderList, name: string, value: string): void {
  h.names.push(name.toLowerCase());
  h.rawNames.push(name);
  h.values.push(value);
}

function applyHeaderRule(rule: { action: string; name: string; value?: string }, h: HeaderList): void {
  if (rule.action === 'set-header' || rule.action === 'del-header') deleteHeader(h, rule.name);
  if (rule.action === 'set-header' || rule.action === 'add-header') addHeader(h, rule.name, rule.value!);
}

/**
 * The Location of a redirect (HAProxy's http_apply_redirect_rule): `scheme` keeps the Host header and the path
 * and query; `prefix` prepends to the path (a prefix of `/` keeps the path alone); `location` is used as is.
 * `drop-query` removes the query; with it, `append-slash` adds a missing trailing slash.
 */
export function redirectLocation(spec: RedirectSpec, view: RequestView): string {
  if (spec.type === 'location') return spec.value;
  const path = pathOf(view.uri) ?? '';
  const q = view.uri.indexOf('?');
  let tail = path;
  if (spec.dropQuery) {
    if (spec.appendSlash && !tail.endsWith('/')) tail += '/';
  } else if (q >= 0) tail += view.uri.slice(q);
  if (spec.type === 'prefix') return spec.value === '/' ? tail : spec.value + tail;
  const i = view.headers.names.indexOf('host');
  const host = i < 0 ? '' : view.headers.values[i]!;
  return `${spec.value}://${host}${tail}`;
}

/** The key of a `track-sc*` rule: its fetch compiled once; a multi-valued sample keys on its first value. */
function compileTrackKey(rule: TrackScAction): (view: RequestView) => string | number | undefined {
  const spec = SAMPLE_FETCHES.get(rule.key.fetch);
  const fetch = spec ? FETCHES[spec.base] : undefined;
  if (!fetch) throw new Error(`track-sc key fetch '${rule.key.fetch}' has no implementation`);
  const args = rule.key.args;
  return (view) => {
    const s = fetch(view, args);
    const v = Array.isArray(s) ? (s as readonly string[])[0] : s;
    return typeof v === 'string' || typeof v === 'number' ? v : undefined;
  };
}

function runTrack(rule: TrackScAction, key: (view: RequestView) => string | number | undefined, view: RequestView): void {
  if (!view.stick) return;
  const k = key(view);
  if (k !== undefined && k !== '') view.stick.track(rule.counter, k, rule.table);
}

/** What a `tcp-request` rule set decided: `accept` and `reject` end it; `continue` when no rule ended it. */
export type TcpVerdict = 'accept' | 'reject' | 'continue';

interface CompiledTcpRule {
  readonly when: Predicate;
  readonly rule: TcpRequestRule;
  readonly key?: (view: RequestView) => string | number | undefined;
}

interface CompiledRequestRule {
  readonly when: Predicate;
  readonly rule: HttpRequestRule;
  readonly key?: (view: RequestView) => string | number | undefined;
}

/** One proxy's rules, compiled once per config generation (ACLs shared by every rule that names them). */
export class CompiledProxyPolicy {
  private readonly request: CompiledRequestRule[];
  private readonly redirects: Array<{ when: Predicate; redirect: RedirectSpec }>;
  private readonly response: Array<{ when: Predicate; rule: HttpResponseRule }>;
  /** `use_backend` rules in order: the first whose condition holds names the backend. */
  readonly switching: ReadonlyArray<{ readonly when: Predicate; readonly backend: string }>;
  readonly hasRequestRules: boolean;
  readonly hasResponseRules: boolean;
  private readonly tcpConnection: CompiledTcpRule[];
  private readonly tcpContent: CompiledTcpRule[];
  readonly hasTcpConnectionRules: boolean;
  readonly hasTcpContentRules: boolean;
  /** This proxy's own stick table (named after the proxy), the default of `src_*` fetches. */
  readonly table: string | undefined;

  constructor(policy: ProxyPolicy) {
    const acls = compileAcls(policy.acls);
    this.table = policy.stickTable?.name;
    const tcp = (rule: TcpRequestRule): CompiledTcpRule => ({ when: compileCondition(rule.condition, acls), rule, ...(rule.action === 'track-sc' ? { key: compileTrackKey(rule) } : {}) });
    this.tcpConnection = (policy.tcpConnection ?? []).map(tcp);
    this.tcpContent = (policy.tcpContent ?? []).map(tcp);
    this.hasTcpConnectionRules = this.tcpConnection.length > 0;
    this.hasTcpContentRules = this.tcpContent.length > 0;
    this.request = policy.httpRequest.map((rule) => ({ when: compileCondition(rule.condition, acls), rule, ...(rule.action === 'track-sc' ? { key: compileTrackKey(rule) } : {}) }));
    this.redirects = policy.redirects.map((r) => ({ when: compileCondition(r.condition, acls), redirect: r.redirect }));
    this.response = policy.httpResponse.map((rule) => ({ when: compileCondition(rule.condition, acls), rule }));
    this.switching = policy.useBackend.map((u) => ({ when: compileCondition(u.condition, acls), backend: u.backend }));
    this.hasRequestRules = this.request.length > 0 || this.redirects.length > 0;
    this.hasResponseRules = this.response.length > 0;
  }

  /**
   * `http-request` rules in order, then the standalone `redirect` rules (HAProxy's order within one proxy).
   * Header actions edit `view.headers`; `allow` stops this proxy's http-request rules; deny/redirect/return end.
   */
  evaluateRequest(view: RequestView): RequestVerdict {
    if (view.stick) view.stick.proxyTable = this.table;
    for (const { when, rule, key } of this.request) {
      if (!when(view)) continue;
      switch (rule.action) {
        case 'track-sc':
          runTrack(rule, key!, view);
          break;
        case 'sc-inc-gpc0':
          view.stick?.incGpc0(rule.counter);
          break;
        case 'allow':
          return this.evaluateRedirects(view);
        case 'deny':
          return { kind: 'deny', status: rule.status };
        case 'redirect':
          return { kind: 'redirect', status: rule.redirect.code, location: redirectLocation(rule.redirect, view) };
        case 'return':
          return { kind: 'return', status: rule.status, ...(rule.contentType !== undefined ? { contentType: rule.contentType } : {}), ...(rule.body !== undefined ? { body: rule.body } : {}), headers: rule.headers };
        default:
          applyHeaderRule(rule as { action: string; name: string; value?: string }, view.headers);
      }
    }
    return this.evaluateRedirects(view);
  }

  /** `tcp-request connection` rules at accept (the view has no HTTP content). */
  evaluateTcpConnection(view: RequestView): TcpVerdict {
    return this.evaluateTcp(this.tcpConnection, view);
  }

  /** `tcp-request content` rules: per request in HTTP mode, at accept in TCP mode. */
  evaluateTcpContent(view: RequestView): TcpVerdict {
    return this.evaluateTcp(this.tcpContent, view);
  }

  private evaluateTcp(rules: readonly CompiledTcpRule[], view: RequestView): TcpVerdict {
    if (view.stick) view.stick.proxyTable = this.table;
    for (const { when, rule, key } of rules) {
      if (!when(view)) continue;
      if (rule.action === 'track-sc') runTrack(rule, key!, view);
      else return rule.action;
    }
    return 'continue';
  }

  private evaluateRedirects(view: RequestView): RequestVerdict {
    for (const { when, redirect } of this.redirects) {
      if (when(view)) return { kind: 'redirect', status: redirect.code, location: redirectLocation(redirect, view) };
    }
    return CONTINUE;
  }

  /** The backend named by the first matching `use_backend`, or undefined (then `default_backend`). */
  selectBackend(view: RequestView): string | undefined {
    for (const s of this.switching) if (s.when(view)) return s.backend;
    return undefined;
  }

  /** `http-response` header rules on a response's fields; the conditions see the request (`view`). */
  evaluateResponse(view: RequestView, headers: HeaderList): void {
    if (view.stick) view.stick.proxyTable = this.table;
    for (const { when, rule } of this.response) if (when(view)) applyHeaderRule(rule, headers);
  }
}
