import type { FrontendConfig } from '@tandem/config';
import { CompiledProxyPolicy, type HeaderList, type RequestView } from '@tandem/policy';
import type { BackendRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import type { RequestHead, ResponseHead } from './wire/http-head.types.js';
import { builtinErrorPage, redirectResponse, returnResponse } from './wire/local-responses.js';
import { clientIp } from './forwarded-for.js';
import { trackerFor, type StickTableRegistry, type StickTracker } from '../stick/stick-table-registry.js';

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
}

const compiled = new WeakMap<BackendRuntime, CompiledProxyPolicy | null>();

function backendPolicy(be: BackendRuntime): CompiledProxyPolicy | undefined {
  let p = compiled.get(be);
  if (p === undefined) compiled.set(be, (p = be.config.policy ? new CompiledProxyPolicy(be.config.policy) : null));
  return p ?? undefined;
}

export function buildFrontendL7(f: FrontendConfig, backends: ReadonlyMap<string, BackendRuntime>, stick?: StickTableRegistry): FrontendL7 | undefined {
  const frontend = f.policy ? new CompiledProxyPolicy(f.policy) : undefined;
  const reachable = [f.defaultBackend, ...(f.policy?.useBackend.map((u) => u.backend) ?? [])].flatMap((n) => (n && backends.get(n) ? [backends.get(n)!] : []));
  if (!frontend && !reachable.some((b) => backendPolicy(b))) return undefined;
  return { frontend, backends, backendPolicy, ...(stick ? { stick } : {}) };
}

/**
 * `tcp-request connection` rules (and, in TCP mode, `tcp-request content` rules, which have no content to wait
 * for without inspect-delay) run when a connection is accepted; false means reject (close at once). Undefined
 * when the frontend has no such rule, so accept() pays nothing.
 */
export function buildConnectionRules(f: FrontendConfig, compiled: CompiledProxyPolicy | undefined, stick: StickTableRegistry | undefined): ((client: ProxySocket) => boolean) | undefined {
  if (!f.policy) return undefined;
  const policy = compiled ?? new CompiledProxyPolicy(f.policy);
  const content = f.mode === 'tcp' && policy.hasTcpContentRules;
  if (!policy.hasTcpConnectionRules && !content) return undefined;
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
    };
    if (policy.hasTcpConnectionRules && policy.evaluateTcpConnection(view) === 'reject') return false;
    return !(content && policy.evaluateTcpContent(view) === 'reject');
  };
}

/** Client sockets of the views (a `tcp-request content reject` closes the connection). */
const clients = new WeakMap<RequestView, ProxySocket>();

/** HAProxy's usable servers of a backend: active ones in rotation, else the backups. */
function usableServers(be: BackendRuntime | undefined): number {
  if (!be) return 0;
  let active = 0;
  let backup = 0;
  for (const s of be.servers) if (s.inRotation) s.backup ? backup++ : active++;
  return active || backup;
}

/** The fetches' view of one request; the header list is a copy that header rules edit. */
export function requestView(req: RequestHead, client: ProxySocket, ip: string, l7: FrontendL7, current: () => BackendRuntime | undefined): RequestView {
  const tls = client as unknown as { encrypted?: boolean; servername?: string | false };
  const h = req.headers;
  let stick: StickTracker | undefined;
  if (l7.stick) {
    stick = trackerFor(client, l7.stick);
    stick.beginHttpRequest();
  }
  const view: RequestView = {
    src: ip,
    srcPort: client.remotePort ?? 0,
    dst: clientIp(client.localAddress),
    dstPort: client.localPort ?? 0,
    method: req.method,
    uri: req.uri,
    headers: { names: [...h.names], rawNames: [...h.rawNames], values: [...h.values] },
    ssl: tls.encrypted === true,
    sni: typeof tls.servername === 'string' ? tls.servername : undefined,
    nbsrv: (name) => usableServers(name === undefined ? current() : l7.backends.get(name)),
    ...(stick ? { stick } : {}),
  };
  clients.set(view, client);
  return view;
}

/** A 4xx final status counts in http_err_cnt/http_err_rate of the tracked entries (HAProxy's stream_inc_http_err_ctr). */
function countHttpError(view: RequestView, status: number): void {
  if (status >= 400 && status < 500 && view.stick) (view.stick as StickTracker).countHttpError();
}

/** What the request phase decided: forward `req` (headers as rewritten) to `be`, or answer with `bytes`. */
export type RoutedRequest =
  | { readonly kind: 'forward'; readonly be: BackendRuntime | undefined; readonly req: RequestHead }
  | { readonly kind: 'answer'; readonly status: number; readonly bytes: Buffer | undefined; readonly be: BackendRuntime | undefined };

/**
 * HAProxy's request order: the frontend's http-request rules and redirects, then `use_backend` (first match)
 * else `default_backend`, then the chosen backend's http-request rules and redirects (unless it is the same
 * `listen` section). A deny answers with the errorfile of its status if one is configured (bytes undefined).
 */
export function routeRequest(l7: FrontendL7, view: RequestView, req: RequestHead, fe: FrontendConfig, defaultBackend: BackendRuntime | undefined): RoutedRequest {
  let be: BackendRuntime | undefined;
  const answer = (v: ReturnType<CompiledProxyPolicy['evaluateRequest']>, at: BackendRuntime | undefined): RoutedRequest | undefined => {
    if (v.kind !== 'continue') countHttpError(view, v.status);
    switch (v.kind) {
      case 'continue':
        return undefined;
      case 'deny': {
        const custom = fe.errorFiles.has(v.status) || at?.config.errorFiles.has(v.status);
        return { kind: 'answer', status: v.status, bytes: custom ? undefined : builtinErrorPage(v.status), be: at };
      }
      case 'redirect':
        return { kind: 'answer', status: v.status, bytes: redirectResponse(v.status, v.location), be: at };
      case 'return':
        return { kind: 'answer', status: v.status, bytes: returnResponse(v.status, v.contentType, v.body, v.headers), be: at };
    }
  };
  if (l7.frontend?.hasTcpContentRules && l7.frontend.evaluateTcpContent(view) === 'reject') return reject(view);
  if (l7.frontend) {
    const done = answer(l7.frontend.evaluateRequest(view), undefined);
    if (done) return done;
    const name = l7.frontend.selectBackend(view);
    be = name !== undefined ? l7.backends.get(name) : undefined;
  }
  be ??= defaultBackend;
  const bp = be && !(be.config.fromListen && be.config.name === fe.name) ? l7.backendPolicy(be) : undefined;
  if (bp?.hasTcpContentRules && bp.evaluateTcpContent(view) === 'reject') return reject(view);
  if (bp?.hasRequestRules) {
    const done = answer(bp.evaluateRequest(view), be);
    if (done) return done;
  }
  const edited = view.headers;
  const same = edited.names.length === req.headers.names.length && edited.values.every((v, i) => v === req.headers.values[i] && edited.names[i] === req.headers.names[i]);
  return { kind: 'forward', be, req: same ? req : { ...req, headers: edited } };
}

/** `tcp-request content reject` in HTTP mode: the connection is closed without an answer (HAProxy). */
function reject(view: RequestView): RoutedRequest {
  clients.get(view)?.destroy();
  return { kind: 'answer', status: 0, bytes: Buffer.alloc(0), be: undefined };
}

/**
 * `http-response` rules on a final response head: the backend's, then the frontend's (HAProxy's order). In
 * response context `hdr()` reads the response's fields and request-only fetches find nothing.
 */
export function applyResponseRules(l7: FrontendL7, view: RequestView, be: BackendRuntime | undefined, fe: FrontendConfig, resp: ResponseHead): void {
  countHttpError(view, resp.status);
  const bp = be && !(be.config.fromListen && be.config.name === fe.name) ? l7.backendPolicy(be) : undefined;
  if (!bp?.hasResponseRules && !l7.frontend?.hasResponseRules) return;
  const headers = resp.headers as HeaderList;
  const resView: RequestView = { ...view, method: '', uri: '', headers };
  bp?.evaluateResponse(resView, headers);
  l7.frontend?.evaluateResponse(resView, headers);
}
