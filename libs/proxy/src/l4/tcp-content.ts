import { newTxnState, type PayloadView, type RequestView } from '@tandem/policy';
import { keepAddresses } from '../l7/address-override.js';
import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import { clientIp } from '../l7/forwarded-for.js';
import { connectionViewBase, type ConnectionViewBase, type FrontendL7 } from '../l7/policy-runtime.js';
import { serverRulesOf, type PendingStore } from '../l7/stick-rules.js';
import type { FrontendRuntime } from '../runtime.types.js';
import { ContentInspection, type InspectionTimers } from './content-inspection.js';
import type { ContentStage, TcpL4Policy } from './tcp-policy.js';

/** Where a `mode tcp` connection goes once its L4 policy ran. */
export type TcpRoute =
  /** `silent-drop`: the session resets the connection (no FIN reaches the client). */
  | { readonly kind: 'reject' | 'silent-drop' }
  | { readonly kind: 'forward'; readonly be: BackendRuntime | undefined; readonly pinned: ServerRuntime | undefined; readonly stores: PendingStore[] };

/**
 * The L4 policy of one `mode tcp` connection, in HAProxy's order (stream.c analysers): the frontend's
 * `tcp-request content` rules (waiting for data under its inspect-delay), `use_backend` / `default_backend` (on the
 * buffer as it then is, final), the backend's content rules (under the backend's inspect-delay), then `use-server`
 * and the `stick match|on|store-request` rules. The session keeps receiving into `chunks` meanwhile and forwards them
 * unchanged once routed.
 */
export class TcpContentRouter {
  private readonly chunks: Buffer[] = [];
  private joined: Buffer | undefined;
  private stage: ContentInspection | undefined;
  private readonly base: ConnectionViewBase;
  private be: BackendRuntime | undefined;
  private clientEnded = false;
  /**
   * The stream's one view (HAProxy evaluates every rule of the stream on the same stream): its transaction holds
   * `txn.` variables and captures for the whole connection, and `set-src`/`set-dst` rewrite its addresses.
   */
  private shared: (RequestView & { payload: PayloadView }) | undefined;

  constructor(
    private readonly client: ProxySocket,
    private readonly fe: FrontendRuntime,
    private readonly l4: TcpL4Policy,
    private readonly timers: InspectionTimers,
    private readonly routed: (route: TcpRoute) => void,
  ) {
    const l7Like = { frontend: undefined, backends: l4.backends, backendPolicy: () => undefined, ...(l4.stick ? { stick: l4.stick } : {}) } as FrontendL7;
    this.base = connectionViewBase(client, clientIp(client.remoteAddress), l7Like, () => this.be ?? fe.backend, fe);
  }

  /** The bytes received so far, in order (forwarded to the server unchanged). */
  get buffered(): Buffer[] {
    return this.chunks;
  }

  start(): void {
    if (this.l4.frontend) this.inspect(this.l4.frontend, () => this.switchBackend());
    else this.switchBackend();
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.joined = undefined;
    this.stage?.data();
  }

  /** The client's FIN: the current stage becomes final, and so does any later one. */
  end(): void {
    this.clientEnded = true;
    this.stage?.end();
  }

  cancel(): void {
    this.stage?.cancel();
    this.stage = undefined;
  }

  /** Still deciding (the session keeps reading into the buffer). */
  get pending(): boolean {
    return this.stage?.waiting ?? false;
  }

  private buffer(): Buffer {
    return (this.joined ??= this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
  }

  /** The view the content rules ran on (its payload as last inspected), for `%[…]` in the log; none if no rule ran. */
  get inspectedView(): RequestView | undefined {
    return this.shared;
  }

  private view(payload: PayloadView): RequestView {
    if (this.shared) {
      this.shared.payload = payload;
      return this.shared;
    }
    return (this.shared = tcpView(this.base, payload));
  }

  private inspect(stage: ContentStage, next: () => void): void {
    // Resumes at the rule that waited for data, so the actions of the rules before it run once (HAProxy).
    const resume = { index: 0 };
    const inspection = new ContentInspection((p) => stage.rules.evaluate(this.view(p), resume), stage.delayMs, this.fe.maxHead, () => this.buffer(), this.timers, (verdict) => {
      this.stage = undefined;
      // set-src/set-dst: the connection's addresses as later stages and the log see them.
      if (this.shared) keepAddresses(this.client, this.shared);
      if (verdict === 'reject' || verdict === 'silent-drop') this.routed({ kind: verdict });
      else next();
    });
    this.stage = inspection;
    if (this.clientEnded) inspection.end();
    else inspection.start();
  }

  private final(): RequestView {
    return this.view({ data: this.buffer(), final: true, mayChange: false });
  }

  private switchBackend(): void {
    const sw = this.l4.switching;
    let be: BackendRuntime | undefined;
    if (sw) {
      const name = sw.selectBackend(this.final());
      be = name !== undefined ? this.l4.backends.get(name) : undefined;
      // A dynamic name that is no TCP backend falls back to default_backend (HAProxy's process_switching_rules).
      if (be && be.config.mode !== 'tcp') be = undefined;
    }
    this.be = be ?? this.fe.backend;
    const stage = this.be ? this.l4.backendStage(this.be) : undefined;
    if (stage) this.inspect(stage, () => this.selectServer());
    else this.selectServer();
  }

  private selectServer(): void {
    const be = this.be;
    const rules = be ? serverRulesOf(be) : undefined;
    if (!be || !rules) return this.routed({ kind: 'forward', be, pinned: undefined, stores: [] });
    const view = this.final();
    const useServer = rules.selectUseServer(view, be);
    const r = rules.onRequest(view, be, this.l4.stick, useServer !== undefined);
    this.routed({ kind: 'forward', be, pinned: useServer ?? r.server, stores: r.stores });
  }
}

/** A `mode tcp` connection's view over its connection base (addresses, TLS, stick counters, a new transaction). */
function tcpView<P extends PayloadView | undefined>(b: ConnectionViewBase, payload: P): RequestView & { payload: P } {
  return {
    src: b.src,
    srcPort: b.srcPort,
    dst: b.dst,
    dstPort: b.dstPort,
    method: '',
    uri: '',
    headers: { names: [], rawNames: [], values: [] },
    ssl: b.ssl,
    sni: b.sni,
    // The base is a class (connection-view.ts): its methods are called on it, not copied unbound.
    nbsrv: (name) => b.nbsrv(name),
    beConn: (name) => b.beConn(name),
    feConn: (name) => b.feConn(name),
    tls: () => b.tls(),
    backendLoad: (name) => b.backendLoad(name),
    serverUp: (backend, server) => b.serverUp(backend, server),
    feSessRate: (name) => b.feSessRate(name),
    ...(b.stick ? { stick: b.stick } : {}),
    txn: newTxnState(b.sessVars),
    payload,
  };
}

/**
 * A view made for the log of a `mode tcp` connection whose content rules never built one (`%[src]`, `%[dst_port]`
 * in its log-format): the connection's fetches, no payload.
 */
export function tcpLogView(client: ProxySocket, fe: FrontendRuntime, current: () => BackendRuntime | undefined): RequestView {
  const l7Like = { frontend: undefined, backends: fe.l4?.backends ?? new Map(), backendPolicy: () => undefined, ...(fe.l4?.stick ? { stick: fe.l4.stick } : {}) } as FrontendL7;
  return tcpView(connectionViewBase(client, clientIp(client.remoteAddress), l7Like, () => current() ?? fe.backend, fe), undefined);
}
