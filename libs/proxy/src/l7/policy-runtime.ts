import type { FrontendConfig } from '@tandem/config';
import { CompiledProxyPolicy, CompiledTcpRules, newTxnState, type TxnInfo, type UserlistAuth, type HeaderList, type RequestView, type ResponseEdit } from '@tandem/policy';
import type { BackendRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import type { RequestHead, ResponseHead } from './wire/http-head.types.js';
import { authResponse, builtinErrorPage, reasonPhrase as reasonPhraseOf, redirectResponse, replyResponse } from './wire/local-responses.js';
import { dropClient } from './request-drops.js';
import { addressesOf, keepAddresses } from './address-override.js';
import { HAPROXY_ERRORS } from './wire/error-responses.js';
import { rewriteLocalResponse } from './wire/local-rewrite.js';
import { responseAnswer, type ResponseAnswer } from './response-verdict-runtime.js';
import { ConnectionView, sessVarsOf, type FrontendLike } from './connection-view.js';
import { clientIp } from './forwarded-for.js';
import { deriveView, HttpRequestView, VIEW_CLIENT } from './http-request-view.js';
import { captureHeaders, needsTxnView } from './txn-runtime.js';
import { trackerFor, type StickTableRegistry, type StickTracker } from '../stick/stick-table-registry.js';
import { matchesStatsUri } from '@tandem/stats';
import { servePrometheus, serveStatsPage, type StatsPageContext } from '../admin/stats-page.js';

/**
 * A frontend's L7 policy at one config generation (issue #6), compiled once at apply() time. Present only when
 * the frontend or a backend it can reach has rules, so plain round robin pays nothing per request.
 */
export interface FrontendL7 {
  readonly frontend: CompiledProxyPolicy | undefined;
  /** `use_backend` targets, resolved by name. */
  readonly backends: ReadonlyMap<string, BackendRuntime>;
  /** Backends' own rules (http-request after switching, http-response before the frontend's). */
  readonly backendPolicy: (be: BackendRuntime) => CompiledProxyPolicy | undefined;
  /** The data plane's stick tables, when the configuration declares any (track-sc and the sc_ and src_ fetches). */
  readonly stick?: StickTableRegistry;
  /** The stats page and the Prometheus exporter (issue #5): set when the data plane serves them. */
  readonly stats?: StatsPageContext;
  /** The configuration's `userlist` sections (`http_auth`, `http_auth_group`), when it declares any. */
  readonly userlists?: UserlistAuth;
}

const compiled = new WeakMap<BackendRuntime, CompiledProxyPolicy | null>();

function backendPolicy(be: BackendRuntime): CompiledProxyPolicy | undefined {
  let p = compiled.get(be);
  if (p === undefined) compiled.set(be, (p = be.config.policy ? new CompiledProxyPolicy(be.config.policy) : null));
  return p ?? undefined;
}

export function buildFrontendL7(f: FrontendConfig, backends: ReadonlyMap<string, BackendRuntime>, stick?: StickTableRegistry, stats?: StatsPageContext, userlists?: UserlistAuth): FrontendL7 | undefined {
  const frontend = f.policy ? new CompiledProxyPolicy(f.policy) : undefined;
  // A dynamic `use_backend %[…]` can reach any HTTP backend.
  const dynamic = f.policy?.useBackend.some((u) => u.format) === true;
  const reachable = dynamic ? [...backends.values()].filter((b) => b.config.mode === 'http') : [f.defaultBackend, ...(f.policy?.useBackend.map((u) => u.backend) ?? [])].flatMap((n) => (n && backends.get(n) ? [backends.get(n)!] : []));
  const statsPage = f.stats !== undefined || reachable.some((b) => b.config.stats);
  if (!frontend && !statsPage && !needsTxnView(f) && !reachable.some((b) => backendPolicy(b) || evaluatesSamples(b))) return undefined;
  return { frontend, backends, backendPolicy, ...(stick ? { stick } : {}), ...(stats ? { stats } : {}), ...(userlists ? { userlists } : {}) };
}

/** A backend that evaluates sample expressions on the request (`balance hash <expr>`, `sni <expr>`) needs a view. */
function evaluatesSamples(be: BackendRuntime): boolean {
  return be.config.balance.expr !== undefined || be.config.servers.some((s) => s.tls?.sniExpr !== undefined);
}

/**
 * `tcp-request connection` rules, then `tcp-request session` rules (no TLS handshake sits between them here), run
 * when a connection is accepted; false means reject (close at once). TCP-mode `tcp-request content` rules run in
 * the session (l4/tcp-content.ts), where they can wait for data. Undefined when the frontend has no such rule, so
 * accept() pays nothing.
 */
export function buildConnectionRules(f: FrontendConfig, compiled: CompiledProxyPolicy | undefined, stick: StickTableRegistry | undefined): ((client: ProxySocket) => boolean) | undefined {
  if (!f.policy) return undefined;
  const policy = compiled ?? new CompiledProxyPolicy(f.policy);
  const session = f.policy.tcpSession?.length ? new CompiledTcpRules(f.policy.tcpSession, f.policy.acls, f.policy.stickTable?.name) : undefined;
  if (!policy.hasTcpConnectionRules && !session) return undefined;
  const useStick = stick;
  return (client) => {
    const view: RequestView = {
      src: clientIp(client.remoteAddress),
      srcPort: client.remotePort ?? 0,
      dst: clientIp(client.localAddress),
      dstPort: client.localPort ?? 0,
      method: '',
      uri: '',
      headers: { names: [], rawNames: [], values: [] },
      ssl: (client as unknown as { encrypted?: boolean }).encrypted === true,
      sni: undefined,
      nbsrv: () => 0,
      ...(useStick ? { stick: trackerFor(client, useStick) } : {}),
      // `set-var(sess.…)` here is seen by the connection's later rules and requests (the connection's own map).
      txn: newTxnState(sessVarsOf(client)),
    };
    let verdict: string = policy.hasTcpConnectionRules ? policy.evaluateTcpConnection(view) : 'continue';
    if (verdict !== 'reject' && verdict !== 'silent-drop' && session) verdict = session.evaluate(view);
    if (verdict === 'silent-drop') dropClient(client, 'silent-drop');
    if (verdict === 'reject' || verdict === 'silent-drop') return false;
    // set-src/set-dst: the connection's addresses for its later rules, requests and log line.
    keepAddresses(client, view);
    return true;
  };
}

/** The client socket of a view (a `tcp-request content reject` closes the connection); a property, not a map entry. */
const CLIENT: typeof VIEW_CLIENT = VIEW_CLIENT;

/** What every request view of one client connection shares (connection-view.ts). */
export type ConnectionViewBase = ConnectionView;

export function connectionViewBase(client: ProxySocket, ip: string, l7: FrontendL7, current: () => BackendRuntime | undefined, fe?: FrontendLike): ConnectionViewBase {
  return new ConnectionView(client, ip, l7, current, fe);
}

/**
 * The fetches' view of one request. Its header list is the request's own until a rule set that edits the request
 * runs (`ownHeaders`, called by routeRequest), which then works on a copy.
 */
export function requestView(req: RequestHead, client: ProxySocket, ip: string, l7: FrontendL7, current: () => BackendRuntime | undefined, fe?: FrontendLike): RequestView {
  return requestViewOn(connectionViewBase(client, ip, l7, current, fe), req);
}

/**
 * As requestView, from the connection's shared part (the HTTP session keeps one per client connection).
 * `txnInfo` may be given as a function: it is then built on first use only (http-request-view.ts).
 */
export function requestViewOn(base: ConnectionViewBase, req: RequestHead, txnInfo?: TxnInfo | (() => TxnInfo)): RequestView {
  const stick = base.stick;
  if (stick) stick.beginHttpRequest();
  // `set-src`/`set-dst` of an earlier request of this connection still hold (HAProxy rewrites the connection's).
  const a = addressesOf(base.client) ?? base;
  const makeInfo = txnInfo === undefined ? undefined : typeof txnInfo === 'function' ? txnInfo : () => txnInfo;
  return new HttpRequestView(base, req, a.src, a.srcPort, a, stick, newTxnState(base.sessVars), makeInfo);
}

/** Before rules that may edit the request run: the view gets its own copy of the header list (once). */
function ownHeaders(view: RequestView, req: RequestHead): void {
  const h = req.headers;
  if (view.headers !== h) return;
  (view as { headers: HeaderList }).headers = { names: [...h.names], rawNames: [...h.rawNames], values: [...h.values] };
}


/** A 4xx final status counts in http_err_cnt/http_err_rate of the tracked entries (HAProxy's stream_inc_http_err_ctr). */
function countHttpError(view: RequestView, status: number): void {
  if (status >= 400 && status < 500 && view.stick) (view.stick as StickTracker).countHttpError();
}

/** What the request phase decided: forward `req` (headers as rewritten) to `be`, or answer with `bytes`. */
export type RoutedRequest =
  | { readonly kind: 'forward'; readonly be: BackendRuntime | undefined; readonly req: RequestHead }
  /** `holdMs`: `tarpit` holds the client this long before answering. */
  | { readonly kind: 'answer'; readonly status: number; readonly bytes: Buffer | undefined; readonly be: BackendRuntime | undefined; readonly holdMs?: number; readonly denied?: true };

/**
 * HAProxy's request order: the frontend's http-request rules and redirects, then `use_backend` (first match)
 * else `default_backend`, then the chosen backend's http-request rules and redirects (unless it is the same
 * `listen` section). A deny answers with the errorfile of its status if one is configured (bytes undefined).
 */
export function routeRequest(l7: FrontendL7, view: RequestView, req: RequestHead, fe: FrontendConfig, defaultBackend: BackendRuntime | undefined, body?: Buffer): RoutedRequest {
  let be: BackendRuntime | undefined;
  captureHeaders(view, fe, 'request', req.headers);
  // The stats page (issue #5): a request under `stats uri` of the frontend, then of the chosen backend, is answered
  // here. As in HAProxy, the proxy's own http-request rules do not apply to it.
  const stats = l7.stats;
  if (stats && fe.stats && matchesStatsUri(req.uri, fe.stats.uri)) {
    const a = serveStatsPage(stats, fe.stats, fe.name, fe.policy, view, req, body);
    return { kind: 'answer', status: a.status, bytes: a.bytes, be: undefined };
  }
  if (l7.frontend?.hasTcpContentRules) {
    const t = l7.frontend.evaluateTcpContent(view);
    if (t === 'reject' || t === 'silent-drop') return reject(view, t);
  }
  if (l7.frontend) {
    if (l7.frontend.editsRequest) ownHeaders(view, req);
    const done = answerOf(l7, view, fe, defaultBackend, l7.frontend.evaluateRequest(view), undefined);
    if (done) return done;
    const name = l7.frontend.selectBackend(view);
    be = name !== undefined ? l7.backends.get(name) : undefined;
    // A dynamic name that is no HTTP backend falls back to default_backend (HAProxy's process_switching_rules).
    if (be && be.config.mode !== 'http') be = undefined;
  }
  be ??= defaultBackend;
  const own = be !== undefined && be.config.fromListen && be.config.name === fe.name;
  if (stats && be?.config.stats && !own && matchesStatsUri(req.uri, be.config.stats.uri)) {
    const a = serveStatsPage(stats, be.config.stats, be.config.name, be.config.policy, view, req, body);
    return { kind: 'answer', status: a.status, bytes: a.bytes, be };
  }
  const bp = be && !own ? l7.backendPolicy(be) : undefined;
  if (bp?.hasTcpContentRules) {
    const t = bp.evaluateTcpContent(view);
    if (t === 'reject' || t === 'silent-drop') return reject(view, t);
  }
  if (bp?.hasRequestRules) {
    if (bp.editsRequest) ownHeaders(view, req);
    const done = answerOf(l7, view, fe, defaultBackend, bp.evaluateRequest(view), be);
    if (done) return done;
  }
  const edited = view.headers;
  const same = edited === req.headers || edited.names.length === req.headers.names.length && edited.values.every((v, i) => v === req.headers.values[i] && edited.names[i] === req.headers.names[i]);
  if (view.method !== req.method || view.uri !== req.uri) return { kind: 'forward', be, req: { ...req, method: view.method, uri: view.uri, headers: edited } };
  return { kind: 'forward', be, req: same ? req : { ...req, headers: edited } };
}

/** A verdict of http-request rules as the request phase's outcome (undefined: continue). */
function answerOf(l7: FrontendL7, view: RequestView, fe: FrontendConfig, defaultBackend: BackendRuntime | undefined, v: ReturnType<CompiledProxyPolicy['evaluateRequest']>, at: BackendRuntime | undefined): RoutedRequest | undefined {
  keepAddresses((view as { [CLIENT]?: ProxySocket })[CLIENT], view);
  if (v.kind === 'reject' || v.kind === 'silent-drop') {
    dropClient((view as { [CLIENT]?: ProxySocket })[CLIENT], v.kind);
    return { kind: 'answer', status: 0, bytes: Buffer.alloc(0), be: at, ...(v.kind === 'reject' ? { denied: true } : {}) };
  }
  if (v.kind !== 'continue' && v.kind !== 'service') countHttpError(view, v.status);
  switch (v.kind) {
    case 'continue':
      return undefined;
    case 'deny': {
      // The deny's own reply; else an errorfile, or HAProxy's captured page (502, 503, 504…), which sendError writes
      // when `bytes` is undefined.
      if (v.reply) return { kind: 'answer', status: v.status, bytes: replyResponse(v.status, v.reply), be: at, denied: true };
      const custom = fe.errorFiles.has(v.status) || at?.config.errorFiles.has(v.status) || HAPROXY_ERRORS.has(v.status);
      return { kind: 'answer', status: v.status, bytes: custom ? undefined : builtinErrorPage(v.status), be: at, denied: true };
    }
    case 'auth':
      return { kind: 'answer', status: 401, bytes: authResponse(v.realm), be: at };
    case 'redirect':
      return { kind: 'answer', status: v.status, bytes: redirectResponse(v.status, v.location, v.cookie), be: at };
    case 'tarpit': {
      // HAProxy: the tarpit timeout of the proxy whose rule fired (which defaults to its `timeout connect`).
      // An errorfile, or HAProxy's captured page (502, 503, 504…), is what sendError writes when `bytes` is undefined.
      const custom = v.reply !== undefined || fe.errorFiles.has(v.status) || at?.config.errorFiles.has(v.status) || HAPROXY_ERRORS.has(v.status);
      const holdMs = (at ? at.config.timeouts.tarpit : fe.timeouts.tarpit ?? defaultBackend?.config.timeouts.tarpit) ?? 0;
      const bytes = v.reply ? replyResponse(v.status, v.reply) : custom ? undefined : builtinErrorPage(v.status);
      return { kind: 'answer', status: v.status, bytes, be: at, holdMs, denied: true };
    }
    case 'return':
      return { kind: 'answer', status: v.status, bytes: replyResponse(v.status, v), be: at };
    case 'service': {
      // `http-request use-service prometheus-exporter` (issue #5).
      if (!l7.stats) return { kind: 'answer', status: 503, bytes: undefined, be: at };
      const a = servePrometheus(l7.stats);
      return { kind: 'answer', status: a.status, bytes: a.bytes, be: at };
    }
  }
}

/** `tcp-request content reject|silent-drop` in HTTP mode: the connection is closed without an answer (HAProxy). */
function reject(view: RequestView, how: 'reject' | 'silent-drop' = 'reject'): RoutedRequest {
  dropClient((view as { [CLIENT]?: ProxySocket })[CLIENT], how);
  return { kind: 'answer', status: 0, bytes: Buffer.alloc(0), be: undefined };
}

/**
 * `http-response` rules on a final response head: the backend's, then the frontend's (HAProxy's order). In
 * response context `hdr()` reads the response's fields and request-only fetches find nothing. deny/return/redirect
 * give a ResponseAnswer that replaces the server's response (response-verdict-runtime.ts).
 */
export function applyResponseRules(l7: FrontendL7, view: RequestView, be: BackendRuntime | undefined, fe: FrontendConfig, resp: ResponseHead): ResponseHead | ResponseAnswer {
  countHttpError(view, resp.status);
  captureHeaders(view, fe, 'response', resp.headers as HeaderList);
  const bp = be && !(be.config.fromListen && be.config.name === fe.name) ? l7.backendPolicy(be) : undefined;
  const after = bp?.hasAfterResponseRules || l7.frontend?.hasAfterResponseRules;
  if (!bp?.hasResponseRules && !l7.frontend?.hasResponseRules && !after) return resp;
  const headers = resp.headers as HeaderList;
  const edit: ResponseEdit = {};
  let resView: RequestView = deriveView(view, { method: '', uri: '', headers, response: true, status: resp.status });
  if (bp?.hasResponseRules) bp.evaluateResponse(resView, headers, edit);
  // A backend's deny/return/redirect ends the response rules: the frontend's do not run (HAProxy's `goto deny/done`).
  if (l7.frontend?.hasResponseRules && !edit.verdict) l7.frontend.evaluateResponse(resView, headers, edit);
  if (edit.verdict) return responseAnswer(edit.verdict, fe, be);
  if (after) {
    if (edit.status !== undefined) resView = deriveView(resView, { status: edit.status });
    bp?.evaluateAfterResponse(resView, headers, edit);
    l7.frontend?.evaluateAfterResponse(resView, headers, edit);
  }
  if (edit.status === undefined) return resp;
  return { ...resp, status: edit.status, reason: edit.reason ?? reasonPhraseOf(edit.status) };
}

/**
 * `http-after-response` rules on a response Tandem writes itself (redirect, deny, tarpit, return, errors): the
 * chosen backend's, then the frontend's, as HAProxy applies them to its internal responses.
 */
export function applyAfterResponseToLocal(l7: FrontendL7, view: RequestView, be: BackendRuntime | undefined, fe: FrontendConfig, bytes: Buffer): Buffer {
  const bp = be && !(be.config.fromListen && be.config.name === fe.name) ? l7.backendPolicy(be) : undefined;
  if (!bp?.hasAfterResponseRules && !l7.frontend?.hasAfterResponseRules) return bytes;
  return rewriteLocalResponse(bytes, (status, headers) => {
    const resView: RequestView = deriveView(view, { method: '', uri: '', headers, response: true, status });
    const edit: ResponseEdit = {};
    bp?.evaluateAfterResponse(resView, headers, edit);
    l7.frontend?.evaluateAfterResponse(resView, headers, edit);
    return edit;
  });
}
