import { type DelHeaderAction, type HttpAfterResponseRule, type HttpRequestRule, type LogFormat, type HttpResponseRule, type ProxyPolicy, type RedirectSpec, type TcpRequestRule, type TrackScAction } from '@tandem/config';
import { compileValue, type TextEval } from './log-format.js';
import { compileSharedAction, compileUriAction, type ActionImpl } from './rule-actions.js';
import { txnOf } from './txn-state.js';
import { compileAcls, compileCondition, type Predicate } from './condition.js';
import { pathOf } from './fetches.js';
import { compileKeyExpr, type TypedSample } from './key-expr.js';
import type { HeaderList, RequestView } from './request-view.types.js';
import { compileMoreEdit, compileNormalize } from './request-actions-more.js';
import { replyContent, returnAnswer, type ReplyContent } from './return-action.js';
import { compileDelHeaderMatch } from './del-header.js';
import { compilePatternAction } from './pattern-actions.js';
import { compileResponseStep, isVerdictRule, type ResponseStep, type ResponseVerdict } from './response-verdict.js';
import { compileStickCounterAction, isStickCounterAction } from './stick-counter-actions.js';
import { compileTcpAction } from './tcp-rule-actions.js';

/** What the request rules of one proxy decided. `continue`: go on (next proxy, switching, server). */
export type RequestVerdict =
  | { readonly kind: 'continue' }
  /** `reply`: the deny's own response options (content-type/string/hdr/errorfile…), else the status's error page. */
  | { readonly kind: 'deny'; readonly status: number; readonly reply?: ReplyContent }
  /** `cookie`: the `Set-Cookie` value of `set-cookie`/`clear-cookie`. */
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string; readonly cookie?: string }
  | { readonly kind: 'return'; readonly status: number; readonly contentType?: string; readonly body?: string; readonly headers: ReadonlyArray<readonly [string, string]> }
  | { readonly kind: 'service'; readonly service: 'prometheus-exporter' }
  /** `tarpit`: hold the client for the tarpit timeout, then answer `status` (HAProxy). */
  | { readonly kind: 'tarpit'; readonly status: number; readonly reply?: ReplyContent }
  /** `auth`: HAProxy's 401 with `WWW-Authenticate: Basic realm="<realm>"`. */
  | { readonly kind: 'auth'; readonly status: 401; readonly realm: string }
  /** `reject`: close, no answer; `silent-drop`: close with a reset, nothing sent (no status: nothing is answered). */
  | { readonly kind: 'reject' }
  | { readonly kind: 'silent-drop' };

/** What response rules changed beyond the header fields (`set-status`). */
export interface ResponseEdit {
  status?: number;
  reason?: string;
  /** http-response deny/return/redirect: the server's response is replaced (response-verdict.ts). */
  verdict?: ResponseVerdict;
}

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

/**
 * set-header / add-header / del-header, with the value's log-format (if any) evaluated first: as in HAProxy, the
 * value is built before the old fields are removed, so `set-header X %[req.hdr(X)]…` sees the old value.
 */
function compileHeaderRule(rule: { action: string; name: string; value?: string; format?: LogFormat; match?: DelHeaderAction['match'] }): ActionImpl {
  const value: TextEval | undefined = rule.value !== undefined ? compileValue(rule.value, rule.format) : undefined;
  if (rule.action === 'del-header') return rule.match ? compileDelHeaderMatch(rule as DelHeaderAction) : (_v, h) => deleteHeader(h, rule.name);
  if (rule.action === 'add-header') return (v, h) => addHeader(h, rule.name, value!(v));
  return (v, h) => {
    const text = value!(v);
    deleteHeader(h, rule.name);
    addHeader(h, rule.name, text);
  };
}

/** Compiles the header-editing and shared actions of any rule list; undefined for the actions the caller handles. */
function compileEdit(rule: HttpRequestRule | HttpResponseRule | HttpAfterResponseRule): ActionImpl | undefined {
  switch (rule.action) {
    case 'set-header':
    case 'add-header':
    case 'del-header':
      return compileHeaderRule(rule);
    case 'set-var':
    case 'set-var-fmt':
    case 'unset-var':
    case 'set-log-level':
    case 'capture':
      return compileSharedAction(rule);
    case 'replace-header':
    case 'replace-value':
      return compileSharedAction(rule);
    case 'set-path':
    case 'set-query':
    case 'set-uri':
    case 'set-method':
      return compileUriAction(rule.action, rule.format);
    case 'set-map':
    case 'del-map':
    case 'add-acl':
    case 'del-acl':
      return compilePatternAction(rule);
    case 'set-timeout':
      return (view) => {
        const t = txnOf(view);
        if (rule.timeout === 'server') t.serverTimeout = rule.ms;
        else t.tunnelTimeout = rule.ms;
      };
  }
  return undefined;
}

/** Response-side rules compiled: header/shared edits, or `set-status`. */
interface CompiledResponseRule {
  readonly when: Predicate;
  readonly edit?: ActionImpl;
  readonly status?: { readonly status: number; readonly reason?: string };
  readonly step?: ResponseStep;
}

function compileResponseRules(rules: ReadonlyArray<HttpResponseRule | HttpAfterResponseRule>, acls: ReadonlyMap<string, Predicate>): CompiledResponseRule[] {
  return rules.map((rule) => {
    const when = compileCondition(rule.condition, acls);
    if (rule.action === 'set-status') return { when, status: { status: rule.status, ...(rule.reason !== undefined ? { reason: rule.reason } : {}) } };
    if (isVerdictRule(rule)) return { when, step: compileResponseStep(rule) };
    const edit = compileEdit(rule);
    if (!edit) throw new Error(`${rule.source.file}:${rule.source.line}: response action '${rule.action}' has no implementation`);
    return { when, edit };
  });
}

function runResponseRules(rules: readonly CompiledResponseRule[], view: RequestView, headers: HeaderList, out: ResponseEdit): void {
  for (const r of rules) {
    if (!r.when(view)) continue;
    if (r.edit) r.edit(view, headers);
    else if (r.status) {
      out.status = r.status.status;
      if (r.status.reason !== undefined) out.reason = r.status.reason;
      else delete out.reason;
    } else if (r.step) {
      const s = r.step(view);
      if (s === 'stop') return;
      if (s !== 'continue') return void (out.verdict = s);
    }
  }
}


/**
 * The Location of a redirect (HAProxy's http_apply_redirect_rule): `scheme` keeps the Host header and the path
 * and query; `prefix` prepends to the path (a prefix of `/` keeps the path alone); `location` is used as is.
 * `drop-query` removes the query; with it, `append-slash` adds a missing trailing slash.
 */
export function redirectLocation(spec: RedirectSpec, view: RequestView, value: string = spec.value): string {
  if (spec.type === 'location') return value;
  const path = pathOf(view.uri) ?? '';
  const q = view.uri.indexOf('?');
  let tail = path;
  if (spec.dropQuery) {
    if (spec.appendSlash && !tail.endsWith('/')) tail += '/';
  } else if (q >= 0) tail += view.uri.slice(q);
  if (spec.type === 'prefix') return value === '/' ? tail : value + tail;
  const i = view.headers.names.indexOf('host');
  const host = i < 0 ? '' : view.headers.values[i]!;
  return `${value}://${host}${tail}`;
}

/** The key of a `track-sc*` rule: its sample expression (fetch and converters) compiled once, with its type. */
function compileTrackKey(rule: TrackScAction): TrackKey {
  return compileKeyExpr(rule.key);
}

/** A key that is no value, or the empty string, tracks nothing; the tracker casts it to the table's key type. */
function runTrack(rule: TrackScAction, key: TrackKey, view: RequestView): void {
  if (!view.stick) return;
  const k = key(view);
  if (k !== undefined && k.value !== '') view.stick.track(rule.counter, k.value, rule.table, k.type);
}

/** What a `tcp-request` rule set decided: `accept` and `reject` end it; `continue` when no rule ended it. */
export type TcpVerdict = 'accept' | 'reject' | 'silent-drop' | 'continue';

interface CompiledTcpRule {
  readonly when: Predicate;
  readonly rule: TcpRequestRule;
  readonly key?: TrackKey;
  /** Non-final actions (variables, counters, set-src…: tcp-rule-actions.ts). */
  readonly act?: (view: RequestView) => void;
}

type TrackKey = (view: RequestView) => TypedSample | undefined;

interface CompiledRequestRule {
  readonly when: Predicate;
  readonly rule: HttpRequestRule;
  readonly key?: TrackKey;
  /** Header, URI, variable… edits. */
  readonly edit?: ActionImpl;
  /** The redirect's value, when it is a log-format. */
  readonly target?: TextEval;
  /** `normalize-uri`: false when a strict normalizer refuses the request (400). */
  readonly normalize?: (view: RequestView) => boolean;
  /** `sc-inc-gpc0|1`, `sc-set-gpt0` (stick-counter-actions.ts). */
  readonly sc?: (view: RequestView) => void;
}

/** A redirect's verdict, with its `set-cookie`/`clear-cookie` field when it has one. */
function redirectVerdict(redirect: RedirectSpec, location: string): RequestVerdict {
  return redirect.cookie === undefined ? { kind: 'redirect', status: redirect.code, location } : { kind: 'redirect', status: redirect.code, location, cookie: redirect.cookie };
}

/** A redirect's Location, its value's log-format evaluated first. */
function locationOf(redirect: RedirectSpec, target: TextEval | undefined, view: RequestView): string {
  return redirectLocation(redirect, view, target ? target(view) : redirect.value);
}

/** One proxy's rules, compiled once per config generation (ACLs shared by every rule that names them). */
export class CompiledProxyPolicy {
  private readonly request: CompiledRequestRule[];
  private readonly redirects: Array<{ when: Predicate; redirect: RedirectSpec; target?: TextEval }>;
  private readonly response: CompiledResponseRule[];
  private readonly afterResponse: CompiledResponseRule[];
  /** `use_backend` rules in order: the first whose condition holds names the backend (`name` evaluates `%[…]`). */
  readonly switching: ReadonlyArray<{ readonly when: Predicate; readonly backend: string; readonly name?: TextEval }>;
  readonly hasRequestRules: boolean;
  /**
   * Some http-request rule edits the transaction (headers, URI, method, variables…): the caller gives such a
   * policy a view whose header list it may change; without one the view can share the parsed request's arrays.
   */
  readonly editsRequest: boolean;
  readonly hasResponseRules: boolean;
  readonly hasAfterResponseRules: boolean;
  private readonly tcpConnection: CompiledTcpRule[];
  private readonly tcpContent: CompiledTcpRule[];
  readonly hasTcpConnectionRules: boolean;
  readonly hasTcpContentRules: boolean;
  /** This proxy's own stick table (named after the proxy), the default of `src_*` fetches. */
  readonly table: string | undefined;

  constructor(policy: ProxyPolicy) {
    const acls = compileAcls(policy.acls);
    this.table = policy.stickTable?.name;
    const tcp = (rule: TcpRequestRule): CompiledTcpRule => {
      const act = compileTcpAction(rule);
      return { when: compileCondition(rule.condition, acls), rule, ...(rule.action === 'track-sc' ? { key: compileTrackKey(rule) } : {}), ...(act ? { act } : {}) };
    };
    this.tcpConnection = (policy.tcpConnection ?? []).map(tcp);
    this.tcpContent = (policy.tcpContent ?? []).map(tcp);
    this.hasTcpConnectionRules = this.tcpConnection.length > 0;
    this.hasTcpContentRules = this.tcpContent.length > 0;
    this.request = policy.httpRequest.map((rule) => {
      const edit = compileEdit(rule) ?? compileMoreEdit(rule);
      const normalize = rule.action === 'normalize-uri' ? compileNormalize(rule) : undefined;
      const target = rule.action === 'redirect' && rule.redirect.format ? compileValue(rule.redirect.value, rule.redirect.format) : undefined;
      const sc = isStickCounterAction(rule) ? compileStickCounterAction(rule) : undefined;
      return { when: compileCondition(rule.condition, acls), rule, ...(rule.action === 'track-sc' ? { key: compileTrackKey(rule) } : {}), ...(edit ? { edit } : {}), ...(target ? { target } : {}), ...(normalize ? { normalize } : {}), ...(sc ? { sc } : {}) };
    });
    this.redirects = policy.redirects.map((r) => ({ when: compileCondition(r.condition, acls), redirect: r.redirect, ...(r.redirect.format ? { target: compileValue(r.redirect.value, r.redirect.format) } : {}) }));
    this.response = compileResponseRules(policy.httpResponse, acls);
    this.afterResponse = compileResponseRules(policy.httpAfterResponse ?? [], acls);
    this.switching = policy.useBackend.map((u) => ({ when: compileCondition(u.condition, acls), backend: u.backend, ...(u.format ? { name: compileValue(u.backend, u.format) } : {}) }));
    this.hasRequestRules = this.request.length > 0 || this.redirects.length > 0;
    this.editsRequest = this.request.some((r) => r.edit !== undefined || r.normalize !== undefined);
    this.hasResponseRules = this.response.length > 0;
    this.hasAfterResponseRules = this.afterResponse.length > 0;
  }

  /**
   * `http-request` rules in order, then the standalone `redirect` rules (HAProxy's order within one proxy).
   * Header actions edit `view.headers`; `allow` stops this proxy's http-request rules; deny/redirect/return end.
   */
  evaluateRequest(view: RequestView): RequestVerdict {
    if (view.stick) view.stick.proxyTable = this.table;
    for (let i = 0; i < this.request.length; i++) {
      const { when, rule, key, edit, target } = this.request[i]!;
      if (!when(view)) continue;
      if (edit) {
        edit(view, view.headers);
        continue;
      }
      switch (rule.action) {
        case 'track-sc':
          runTrack(rule, key!, view);
          break;
        case 'sc-inc-gpc0':
        case 'sc-inc-gpc1':
        case 'sc-set-gpt0':
          this.request[i]!.sc!(view);
          break;
        case 'allow':
          return this.evaluateRedirects(view);
        case 'deny':
        case 'tarpit':
          return rule.reply ? { kind: rule.action, status: rule.status, reply: replyContent(rule.reply, view) } : { kind: rule.action, status: rule.status };
        case 'redirect':
          return redirectVerdict(rule.redirect, locationOf(rule.redirect, target, view));
        case 'return':
          return returnAnswer(rule, view);
        case 'use-service':
          return { kind: 'service', service: rule.service };
        case 'auth':
          return { kind: 'auth', status: 401, realm: rule.realm };
        case 'reject':
          return { kind: 'reject' };
        case 'silent-drop':
          return { kind: 'silent-drop' };
        case 'normalize-uri':
          // HAProxy answers an invalid target (strict normalizers) with 400 Bad Request.
          if (!this.request[i]!.normalize!(view)) return { kind: 'deny', status: 400 };
          break;
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
    for (const { when, rule, key, act } of rules) {
      if (!when(view)) continue;
      if (act) act(view);
      else if (rule.action === 'track-sc') runTrack(rule, key!, view);
      else return rule.action as 'accept' | 'reject' | 'silent-drop';
    }
    return 'continue';
  }

  private evaluateRedirects(view: RequestView): RequestVerdict {
    for (const { when, redirect, target } of this.redirects) {
      if (when(view)) return redirectVerdict(redirect, locationOf(redirect, target, view));
    }
    return CONTINUE;
  }

  /** The backend named by the first matching `use_backend`, or undefined (then `default_backend`). */
  selectBackend(view: RequestView): string | undefined {
    for (const s of this.switching) if (s.when(view)) return s.name ? s.name(view) : s.backend;
    return undefined;
  }

  /**
   * `http-response` rules on a response's fields (conditions see `view`, the response's view); `set-status`
   * changes go to `edit`, which the caller applies to the head.
   */
  evaluateResponse(view: RequestView, headers: HeaderList, edit: ResponseEdit = {}): ResponseEdit {
    if (view.stick) view.stick.proxyTable = this.table;
    runResponseRules(this.response, view, headers, edit);
    return edit;
  }

  /** `http-after-response` rules: on every response, Tandem's own (redirects, denies, errors) included. */
  evaluateAfterResponse(view: RequestView, headers: HeaderList, edit: ResponseEdit = {}): ResponseEdit {
    if (view.stick) view.stick.proxyTable = this.table;
    runResponseRules(this.afterResponse, view, headers, edit);
    return edit;
  }
}
