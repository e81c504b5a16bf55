import type { SelectionRequest } from '@tandem/balancing';
import { LazySelectionRequest } from './selection-request.js';
import type { TimerHandle } from '@tandem/core';
import type { HttpConnectionMode } from '@tandem/config';
import type { RequestView } from '@tandem/policy';
import { effectiveConnectionMode, type BackendRuntime, type ServerRuntime } from '../backend/backend-runtime.js';
import { connectServer } from '../io/connector.js';
import type { ProxySocket } from '../io/socket.types.js';
import type { FrontendRuntime, Session } from '../runtime.types.js';
import { httpLogTap, type HttpLogTap } from '../log/traffic-log.js';
import { clientIp, forwardForApplies } from './forwarded-for.js';
import { buildRequestHead, buildResponseHead, buildResponseHeadText } from './head-rewrite.js';
import { applyAfterResponseToLocal, applyResponseRules, connectionViewBase, requestViewOn, routeRequest, type ConnectionViewBase } from './policy-runtime.js';
import { txnInfo, withUniqueId } from './txn-runtime.js';
import { countDeniedRequest } from './request-drops.js';
import { applyResponseCookie, cookieTransaction, readRequestCookie } from './cookie-persistence.js';
import { NO_DATES, type CookieDates } from './cookie-dates.js';
import { persistRequest, persistResponse, serverRulesOf, type CompiledServerRules, type PendingStore } from './stick-rules.js';
import { ServerConnection, releaseToPool, serverSni, takeFromPool, tlsWithSni, type Attachment, type ServerConnectionOwner } from './server-connection.js';
import { ChunkedFramer } from './wire/chunked-framer.js';
import { errorResponse } from './wire/error-responses.js';
import type { RequestHead, ResponseHead } from './wire/http-head.types.js';
import { decodeRequestHead } from './wire/request-head.codec.js';
import { decodeResponseHead } from './wire/response-head.codec.js';
import { nextSessionId, type SessionView } from '../session-view.js';
import { captureRequestError, captureResponseError } from '../error-capture.js';
import { countResponseAnswer, isResponseAnswer, type ResponseAnswer } from './response-verdict-runtime.js';

const enum Phase {
  Head,
  Connecting,
  ReqBody,
  Wait,
  Tunnel,
  Closed,
}

const enum RespPhase {
  Head,
  Body,
  Done,
}

const EMPTY: Buffer<ArrayBufferLike> = Buffer.alloc(0);
/** Client bytes kept while a request is in flight before the client socket is paused. */
const PENDING_LIMIT = 65536;

/**
 * One client connection in `mode http`, with fixed phases: read head → pick server and connect (retries,
 * redispatch) → forward head + body → parse response head → stream response body → keep-alive or close.
 * Bodies are never buffered beyond one socket chunk: backpressure pauses the reading side.
 */
export class HttpSession implements Session, ServerConnectionOwner, Attachment {
  private phase = Phase.Head;
  private pending: Buffer<ArrayBufferLike> = EMPTY as Buffer;
  private requests = 0;
  private headTimer: TimerHandle | undefined;
  /** `http-request tarpit`: the pending answer. */
  private tarpitTimer: TimerHandle | undefined;
  private draining = false;
  private readonly ip: string;
  /** `show sess` / `shutdown session` (session-view.ts). */
  private readonly sessionId = nextSessionId();
  private readonly startedAt = Date.now();

  // current transaction
  private req: RequestHead | undefined;
  private reqRemaining = 0;
  private reqFramer: ChunkedFramer | undefined;
  private reqDone = false;
  private outHead: Buffer<ArrayBufferLike> = EMPTY;
  private outBody: Buffer<ArrayBufferLike> = EMPTY;
  private resendable = false;
  private attempts = 0;
  private tried: ServerRuntime[] = [];
  private lastServer: ServerRuntime | undefined;
  private srv: ServerConnection | undefined;
  private attached: ServerConnection | undefined;
  private respPhase = RespPhase.Head;
  private respPending: Buffer<ArrayBufferLike> = EMPTY;
  private resp: ResponseHead | undefined;
  private respRemaining = 0;
  private respFramer: ChunkedFramer | undefined;
  private respStarted = false;
  private keepClient = false;
  private assigned: ServerRuntime | undefined;
  private readonly tap: HttpLogTap | undefined;
  /** This transaction's backend: `use_backend` (issue #6) or the frontend's default one. */
  private be: BackendRuntime | undefined;
  /** The effective connection mode of the frontend and this transaction's backend. */
  private connMode: HttpConnectionMode;
  /** The fetches' view of the current request, when the frontend has L7 rules. */
  private view: RequestView | undefined;
  /** What the request views of this connection share, built at its first request with L7 rules. */
  private viewBase: ConnectionViewBase | undefined;
  /** Cookie persistence (issue #6): the server this request's cookie sends it to, bypassing the algorithm. */
  private pinned: ServerRuntime | undefined;
  private cookieDates: CookieDates = NO_DATES;
  /** `use-server` and `stick` rules of this transaction's backend, and the stick-table writes pending (issue #6). */
  private serverRules: CompiledServerRules | undefined;
  private stores: PendingStore[] | undefined;

  constructor(
    private readonly client: ProxySocket,
    private readonly fe: FrontendRuntime,
  ) {
    this.ip = clientIp(client.remoteAddress);
    this.be = fe.backend;
    this.connMode = fe.connectionMode;
    fe.counters.connections++;
    fe.counters.current++;
    fe.sessions.add(this);
    this.tap = httpLogTap(fe, client);
    client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    client.on('end', () => this.onClientEnd());
    client.on('close', () => this.onClientClose());
    client.on('error', () => this.onClientClose());
    client.on('drain', () => this.onClientDrain());
    const t = fe.config.timeouts.client;
    if (t) client.setTimeout(t, () => this.onClientTimeout());
    this.armHeadTimer(fe.config.timeouts.httpRequest ?? fe.config.timeouts.client);
  }

  // ---- client side -------------------------------------------------------------------------------------------

  private onClientData(chunk: Buffer): void {
    this.fe.counters.bytesIn += chunk.length;
    switch (this.phase) {
      case Phase.Head:
        if (this.pending.length === 0) this.tap?.firstByte();
        if (this.pending.length === 0 && this.requests > 0) this.armHeadTimer(this.fe.config.timeouts.httpRequest ?? this.fe.config.timeouts.client);
        this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
        this.parseHead();
        return;
      case Phase.ReqBody:
        this.feedRequestBody(chunk);
        return;
      case Phase.Tunnel:
        if (this.srv && !this.srv.write(chunk)) this.client.pause();
        return;
      default:
        // Connecting or waiting for a response: keep the bytes (body or next pipelined request); stop reading only
        // when they pile up (pause/resume cost an epoll_ctl each, so they are not done per request).
        this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
        if (this.pending.length >= PENDING_LIMIT) this.client.pause();
    }
  }

  private parseHead(): void {
    const v = decodeRequestHead(this.pending, 0, this.fe.maxHead);
    if (v.kind === 'incomplete') return;
    this.headDeadline = 0;
    if (v.kind === 'malformed') {
      this.fe.counters.malformed++;
      captureRequestError(this.fe, this.be, this.client, this.sessionId, this.pending, v.reason);
      this.fe.logger.log('debug', `${this.fe.config.name}: 400 from ${this.ip}: ${v.reason}`);
      this.sendErrorAndClose(400);
      return;
    }
    this.fe.counters.requests++;
    this.requests++;
    const req = v.value;
    this.req = req;
    this.tap?.request(req);
    let rest = this.pending.subarray(v.bytes);
    this.pending = EMPTY;
    // Split what already arrived into body bytes and the next request's bytes; a bad chunk size is caught here,
    // before anything reaches a server.
    this.reqDone = false;
    this.reqFramer = undefined;
    let body: Buffer = EMPTY;
    const f = req.framing;
    if (f.kind === 'length') {
      const take = Math.min(f.length, rest.length);
      body = rest.subarray(0, take);
      this.reqRemaining = f.length - take;
      rest = rest.subarray(take);
      this.reqDone = this.reqRemaining === 0;
    } else if (f.kind === 'chunked') {
      this.reqFramer = new ChunkedFramer();
      const r = this.reqFramer.feed(rest);
      if (r.kind === 'malformed') {
        this.fe.counters.malformed++;
        captureRequestError(this.fe, this.be, this.client, this.sessionId, this.pending, r.reason);
        this.sendErrorAndClose(400);
        return;
      }
      body = rest.subarray(0, r.consumed);
      rest = rest.subarray(r.consumed);
      this.reqDone = r.done;
    } else {
      this.reqDone = true;
    }
    this.pending = rest;
    let be = this.fe.backend;
    this.view = undefined;
    if (this.fe.l7) {
      // L7 policy (issue #6): http-request rules, use_backend, the backend's rules. May answer here.
      this.be = undefined;
      this.viewBase ??= connectionViewBase(this.client, this.ip, this.fe.l7, () => this.be, this.fe);
      const view = (this.view = requestViewOn(this.viewBase, req, () => txnInfo(this.fe, this.client, req, this.tap?.stamp(), () => this.be, () => this.srv?.server ?? this.assigned)));
      this.tap?.attach(view);
      const routed = withUniqueId(routeRequest(this.fe.l7, view, req, this.fe.config, be, this.reqDone ? body : undefined), view, this.fe.config);
      be = routed.be;
      this.be = be;
      this.connMode = be === this.fe.backend ? this.fe.connectionMode : effectiveConnectionMode(this.fe.config.httpConnectionMode, be?.config.httpConnectionMode);
      if (routed.kind === 'answer') {
        if (routed.denied) countDeniedRequest(this.fe.counters, routed.be?.counters);
        if (routed.holdMs) {
          // `http-request tarpit`: hold the client (its own timeout does not apply), then answer.
          this.phase = Phase.Wait;
          this.client.pause();
          this.tarpitTimer = this.fe.clock.setTimeout(() => {
            this.tarpitTimer = undefined;
            if (this.phase !== Phase.Closed) this.sendError(routed.status, true, routed.bytes);
          }, routed.holdMs);
          return;
        }
        this.sendError(routed.status, !req.keepAlive || !this.reqDone, routed.bytes);
        return;
      }
      if (routed.req !== req) this.req = routed.req;
    }
    this.be = be;
    if (!be) {
      this.sendError(503, !req.keepAlive || !this.reqDone);
      return;
    }
    be.counters.requests++;
    this.pinned = undefined;
    if (be.config.cookie) {
      const c = readRequestCookie(be.config.cookie, be.config.persist === true, this.req!.headers, be.servers);
      ({ server: this.pinned, dates: this.cookieDates } = c);
      if (c.headers) this.req = { ...this.req!, headers: c.headers };
    }
    this.serverRules = this.view ? serverRulesOf(be) : undefined;
    this.stores = undefined;
    if (this.serverRules) ({ pinned: this.pinned, stores: this.stores } = persistRequest(this.serverRules, this.view!, this.req!.headers, be, this.fe.l7!.stick, this.pinned));
    const closeServer = this.connMode !== 'keep-alive' || be.config.httpReuse === 'never' && false;
    const xff = this.fe.config.forwardFor ?? be.config.forwardFor;
    this.outHead = buildRequestHead(this.req!, closeServer, forwardForApplies(xff, this.ip) ? xff : undefined, this.ip);
    this.outBody = body;
    this.resendable = this.reqDone;
    this.attempts = 0;
    this.tried.length = 0;
    this.lastServer = undefined;
    this.phase = Phase.Connecting;
    this.assignServer();
  }

  private feedRequestBody(chunk: Buffer): void {
    let body = chunk;
    let rest: Buffer = EMPTY;
    if (this.reqFramer) {
      const r = this.reqFramer.feed(chunk);
      if (r.kind === 'malformed') {
        this.fe.counters.malformed++;
        captureRequestError(this.fe, this.be, this.client, this.sessionId, chunk, r.reason);
        this.dropServer();
        if (this.respStarted) this.abort();
        else this.sendErrorAndClose(400);
        return;
      }
      body = chunk.subarray(0, r.consumed);
      rest = chunk.subarray(r.consumed);
      this.reqDone = r.done;
    } else {
      const take = Math.min(this.reqRemaining, chunk.length);
      body = chunk.subarray(0, take);
      rest = chunk.subarray(take);
      this.reqRemaining -= take;
      this.reqDone = this.reqRemaining === 0;
    }
    if (body.length > 0 && this.srv && !this.srv.write(body)) this.client.pause();
    if (this.reqDone) {
      this.phase = this.respPhase === RespPhase.Done ? this.phase : Phase.Wait;
      if (rest.length > 0) this.pending = rest;
      if (this.pending.length >= PENDING_LIMIT) this.client.pause();
      if (this.respPhase === RespPhase.Done) this.finishTransaction();
    }
  }

  private onClientDrain(): void {
    if (this.srv && (this.phase === Phase.Wait || this.phase === Phase.Tunnel || this.phase === Phase.ReqBody)) this.srv.socket.resume();
  }

  private clientEnded = false;

  private onClientEnd(): void {
    // Half-close from the client: in tunnel mode forward the FIN; if idle, close; otherwise finish the response first.
    this.clientEnded = true;
    if (this.phase === Phase.Tunnel) this.srv?.socket.end();
    else if (this.phase === Phase.Head) {
      if (this.pending.length > 0 && this.requests === 0) this.sendErrorAndClose(400);
      else this.close();
    }
  }

  private onClientClose(): void {
    if (this.phase === Phase.Closed) return;
    this.close();
  }

  private onClientTimeout(): void {
    if (this.phase === Phase.Head) this.onHeadTimeout();
    else if (this.phase === Phase.Wait || this.phase === Phase.Connecting) return; // the server side's timers govern
    else {
      this.fe.counters.timeouts++;
      this.abort();
    }
  }

  /**
   * The head timer is lazy: one clock timer per connection stays armed while the deadline only moves forward, so a
   * keep-alive request costs a clock read, not a timer insert/cancel. When it fires early it re-arms for the rest.
   */
  private headDeadline = 0;
  /** When the armed clock timer fires. */
  private headTimerAt = 0;

  private armHeadTimer(ms: number | undefined): void {
    if (!ms) {
      this.headDeadline = 0;
      return;
    }
    const deadline = this.fe.clock.now() + ms;
    if (this.headTimer && this.headTimerAt <= deadline) {
      this.headDeadline = deadline;
      return;
    }
    this.headTimer?.cancel();
    this.headDeadline = deadline;
    this.headTimerAt = deadline;
    this.headTimer = this.fe.clock.setTimeout(() => this.onHeadTimer(), ms);
  }

  private onHeadTimer(): void {
    this.headTimer = undefined;
    if (this.phase !== Phase.Head || this.headDeadline === 0) return;
    const left = this.headDeadline - this.fe.clock.now();
    if (left > 0) {
      this.headTimerAt = this.headDeadline;
      this.headTimer = this.fe.clock.setTimeout(() => this.onHeadTimer(), left);
      return;
    }
    this.onHeadTimeout();
  }

  private onHeadTimeout(): void {
    this.headTimer = undefined;
    if (this.phase !== Phase.Head) return;
    this.fe.counters.timeouts++;
    // HAProxy: 408 when a request was started (or on a fresh connection); an idle keep-alive connection just closes.
    if (this.pending.length > 0 || this.requests === 0) this.sendErrorAndClose(408);
    else this.close();
  }

  // ---- server selection and connection -----------------------------------------------------------------------

  private readonly isEligible = (s: { id: number }): boolean => {
    const server = s as ServerRuntime;
    if (!server.hasRoom) return false;
    return !this.tried.includes(server);
  };

  private selectionRequest(): SelectionRequest {
    // Fields computed on demand: round robin and leastconn never read them.
    return new LazySelectionRequest(this.req!, this.ip, this.view, this.be!.config.balance);
  }

  /** This request's place in the backend queue: woken when a slot frees, 503 after `timeout queue`. */
  private requeue = false;
  private readonly queued = {
    resume: (): void => {
      if (this.phase !== Phase.Connecting) return;
      this.requeue = true;
      try {
        this.assignServer();
      } finally {
        this.requeue = false;
      }
    },
    expire: (): void => {
      if (this.phase === Phase.Connecting) this.sendError(503, true);
    },
  };

  private assignServer(): void {
    const be = this.be!;
    let server: ServerRuntime | undefined;
    // A server that went DOWN while the request waited no longer holds it, unless `option persist`.
    if (this.pinned && !this.pinned.acceptsPersistent && !be.config.persist) this.pinned = undefined;
    // The bound server's queue is at its `maxqueue`: redispatch (`option redispatch`) or 503, as HAProxy.
    if (this.pinned && !this.pinned.hasRoom && this.pinned.queueFull) {
      if (!be.config.redispatch) return this.sendError(503, true);
      this.pinned = undefined;
    }
    const pinned = this.pinned;
    if (pinned && (this.attempts === 0 || (!be.config.redispatch && this.lastServer === pinned))) {
      // Cookie persistence, stick match, use-server: that server, whatever the algorithm says; at its maxconn the
      // request waits in the server's own queue (HAProxy).
      if (!pinned.hasRoom) {
        pinned.queue.add(this.queued, be.queueTimeout, this.requeue);
        return;
      }
      server = pinned;
    } else if (this.attempts > 0 && !be.config.redispatch && this.lastServer?.inRotation) server = this.lastServer;
    else {
      server = be.selector.select(this.selectionRequest(), this.isEligible) as ServerRuntime | undefined;
      // Every server already tried: retry among all of them.
      if (!server && this.tried.length > 0) server = be.selector.select(this.selectionRequest(), (s) => (s as ServerRuntime).hasRoom) as ServerRuntime | undefined;
    }
    if (!server) {
      // Every server is at its maxconn: wait in the backend queue (HAProxy), else 503 at once.
      if (be.hasServersInRotation) {
        be.queue.add(this.queued, be.queueTimeout, this.requeue);
        return;
      }
      this.sendError(503, true);
      return;
    }
    if (this.attempts > 0 && server !== this.lastServer) be.counters.redispatches++;
    this.lastServer = server;
    if (!this.tried.includes(server)) this.tried.push(server);
    // Connection reuse: this session's own idle connection first, then the shared pool (http-reuse rules).
    let conn: ServerConnection | undefined;
    const sni = serverSni(server, this.view); // a connection opened with another SNI is not reused (HAProxy)
    if (this.attached && this.attached.server === server && !this.attached.closed && this.attached.sni === sni) {
      conn = this.attached;
      this.attached = undefined;
      conn.attachment = null;
    } else {
      this.releaseAttached();
      const reuse = be.config.httpReuse;
      if (reuse === 'always' || reuse === 'aggressive' || (reuse === 'safe' && this.requests > 1)) conn = takeFromPool(server, sni);
    }
    this.startOnServer(server);
    if (conn) {
      this.useConnection(conn);
      return;
    }
    this.connectFresh(server, sni, () => {
      server.counters.connectErrors++;
      be.counters.connectErrors++;
      this.attempts++;
      if (this.attempts > be.config.retries) {
        this.sendError(503, true);
        return;
      }
      be.counters.retries++;
      this.assignServer();
    });
  }

  /**
   * Opens a new connection to `server` (already counted by startOnServer) and hands it to this session; on failure
   * the server slot is released and `onFailure` decides what follows (retry, redispatch or 503).
   */
  private connectFresh(server: ServerRuntime, sni: string | undefined, onFailure: () => void): void {
    const be = this.be!;
    be.counters.connections++;
    server.counters.connections++;
    connectServer(server.config.endpoint, be.config.timeouts.connect, (outcome) => {
      if (this.phase === Phase.Closed) {
        if (outcome.ok) outcome.socket.destroy();
        this.endOnServer();
        return;
      }
      if (outcome.ok) {
        this.useConnection(new ServerConnection(outcome.socket, server, be, this.view?.txn?.serverTimeout ?? be.config.timeouts.server ?? 0, sni));
        return;
      }
      this.endOnServer();
      onFailure();
    }, tlsWithSni(server.config.tls, sni));
  }

  private startOnServer(server: ServerRuntime): void {
    this.assigned = server;
    server.sessions.add(this);
    server.counters.current++;
    server.counters.requests++;
    this.be!.selector.connectionStarted(server);
  }

  private endOnServer(): void {
    const s = this.assigned;
    if (!s) return;
    this.assigned = undefined;
    s.sessions.delete(this);
    s.counters.current--;
    this.be!.selector.connectionEnded(s);
    this.be!.slotFreed(s);
  }

  private useConnection(conn: ServerConnection): void {
    this.tap?.connected(conn.server);
    conn.owner = this;
    conn.uses++;
    this.srv = conn;
    this.respPhase = RespPhase.Head;
    this.respPending = EMPTY;
    this.respStarted = false;
    this.resp = undefined;
    const head = this.outHead;
    const body = this.outBody;
    conn.write(body.length > 0 ? Buffer.concat([head, body], head.length + body.length) : head);
    if (!this.resendable) {
      this.outHead = EMPTY;
      this.outBody = EMPTY;
    }
    if (this.reqDone) {
      this.phase = Phase.Wait;
    } else {
      this.phase = Phase.ReqBody;
      const more = this.pending;
      this.pending = EMPTY;
      if (more.length > 0) this.feedRequestBody(more);
      if (this.phase === Phase.ReqBody && this.client.isPaused()) this.client.resume();
    }
  }

  // ---- server side -------------------------------------------------------------------------------------------

  onServerData(chunk: Buffer): void {
    if (this.phase === Phase.Tunnel) {
      this.writeClient(chunk);
      return;
    }
    if (this.respPhase === RespPhase.Head) {
      this.respPending = this.respPending.length === 0 ? chunk : Buffer.concat([this.respPending, chunk]);
      this.parseResponseHead();
    } else if (this.respPhase === RespPhase.Body) {
      this.feedResponseBody(chunk);
    } else {
      // Bytes after a complete response: the connection cannot be trusted any more.
      this.srv?.destroy();
    }
  }

  private parseResponseHead(): void {
    for (;;) {
      const v = decodeResponseHead(this.respPending, 0, this.fe.maxHead, this.req!.method);
      if (v.kind === 'incomplete') return;
      const be = this.be!;
      if (v.kind === 'malformed') {
        be.counters.malformed++;
        captureResponseError(this.fe, be, this.srv?.server ?? this.assigned, this.client, this.sessionId, this.respPending, v.reason);
        this.fe.logger.log('debug', `${be.config.name}: bad response from server: ${v.reason}`);
        this.dropServer();
        this.sendError(502, true);
        return;
      }
      let resp = v.value;
      this.outHead = EMPTY;
      this.outBody = EMPTY;
      this.resendable = false;
      const rest = this.respPending.subarray(v.bytes);
      this.respPending = EMPTY;
      if (resp.status < 200 && resp.status !== 101) {
        // Interim response (100 Continue, 103): forward it and read the final one.
        this.writeClient(buildResponseHead(resp, this.req!, true, false));
        this.respPending = rest;
        if (rest.length === 0) return;
        continue;
      }
      if (this.serverRules && this.stores) persistResponse(this.serverRules, this.view!, resp.headers, this.stores, this.fe.l7!.stick, this.srv?.server ?? this.lastServer);
      const ruled = this.fe.l7 && this.view ? applyResponseRules(this.fe.l7, this.view, this.be, this.fe.config, resp) : resp;
      if (isResponseAnswer(ruled)) return this.replaceResponse(ruled);
      resp = ruled;
      if (be.config.cookie) applyResponseCookie(be.config.cookie, cookieTransaction(this.req!.method, this.srv?.server ?? this.lastServer, this.pinned, this.cookieDates), resp.headers);
      this.resp = resp;
      this.countStatus(resp.status);
      if (resp.status === 101) {
        if (!this.req!.upgrade) {
          this.dropServer();
          this.sendError(502, true);
          return;
        }
        this.respStarted = true;
        this.phase = Phase.Tunnel;
        this.writeClient(buildResponseHead(resp, this.req!, true, true));
        if (rest.length > 0) this.writeClient(rest);
        if (this.pending.length > 0) this.srv!.write(this.pending);
        this.pending = EMPTY;
        const t = this.view?.txn?.tunnelTimeout ?? this.fe.config.timeouts.tunnel ?? be.config.timeouts.tunnel;
        if (t) {
          this.client.setTimeout(t);
          this.srv!.socket.setTimeout(t);
        }
        this.client.resume();
        return;
      }
      this.keepClient = this.req!.keepAlive && this.connMode !== 'close' && resp.framing.kind !== 'close' && !this.draining && !this.fe.draining();
      this.respPhase = RespPhase.Body;
      this.respStarted = true;
      const f = resp.framing;
      const head = buildResponseHeadText(resp, this.req!, this.keepClient, false);
      if (f.kind === 'none') {
        this.writeClient(Buffer.from(head, 'latin1'));
        this.endResponse();
        return;
      }
      if (f.kind === 'length') this.respRemaining = f.length;
      else if (f.kind === 'chunked') this.respFramer = new ChunkedFramer();
      if (rest.length === 0) {
        this.writeClient(Buffer.from(head, 'latin1'));
        return;
      }
      // First body bytes go out with the head in one write.
      this.feedResponseBody(rest, head);
      return;
    }
  }

  /** `head`: the response head's text when these are the first body bytes (both go out in one write). */
  private feedResponseBody(chunk: Buffer, head?: string): void {
    const f = this.resp!.framing;
    let body = chunk;
    let done = false;
    if (f.kind === 'length') {
      const take = Math.min(this.respRemaining, chunk.length);
      body = take === chunk.length ? chunk : chunk.subarray(0, take);
      this.respRemaining -= take;
      done = this.respRemaining === 0;
    } else if (f.kind === 'chunked') {
      const r = this.respFramer!.feed(chunk);
      if (r.kind === 'malformed') {
        this.be!.counters.malformed++;
        captureResponseError(this.fe, this.be!, this.srv?.server ?? this.assigned, this.client, this.sessionId, chunk, r.reason);
        if (head !== undefined) this.writeClient(Buffer.from(head, 'latin1'));
        this.abort();
        return;
      }
      body = r.consumed === chunk.length ? chunk : chunk.subarray(0, r.consumed);
      done = r.done;
    }
    let out = body;
    if (head !== undefined) {
      // Head and first body bytes in one buffer: the head's text is written straight into it (latin1: one byte
      // per character), with no intermediate head Buffer and no concat.
      out = Buffer.allocUnsafe(head.length + body.length);
      out.write(head, 0, 'latin1');
      body.copy(out, head.length);
    }
    this.writeClient(out);
    if (done) this.endResponse();
  }

  private writeClient(buf: Buffer): void {
    this.fe.counters.bytesOut += buf.length;
    if (!this.client.write(buf)) this.srv?.socket.pause();
  }

  onServerDrain(): void {
    if (this.phase === Phase.ReqBody || this.phase === Phase.Tunnel) this.client.resume();
  }

  onServerEnd(): void {
    const conn = this.srv;
    this.srv = undefined;
    if (this.phase === Phase.Closed) return;
    if (this.phase === Phase.Tunnel) {
      this.endOnServer();
      this.client.end();
      this.close();
      return;
    }
    if (this.respPhase === RespPhase.Body && this.resp?.framing.kind === 'close') {
      this.keepClient = false;
      this.endResponse();
      return;
    }
    if (this.respPhase === RespPhase.Head && !this.respStarted && this.respPending.length === 0) {
      // A reused connection closed before answering: resend once on a fresh connection (the request is still whole).
      if (conn && conn.uses > 1 && this.resendable) {
        this.endOnServer();
        this.releaseAttached();
        this.tried.length = 0;
        this.assignFresh(conn.server);
        return;
      }
      this.endOnServer();
      this.be!.counters.malformed++;
      this.sendError(502, true);
      return;
    }
    if (this.respPhase === RespPhase.Done) return;
    this.endOnServer();
    if (!this.respStarted) this.sendError(502, true);
    else this.abort();
  }

  private assignFresh(server: ServerRuntime): void {
    this.startOnServer(server);
    this.connectFresh(server, serverSni(server, this.view), () => this.sendError(503, true));
  }

  onServerTimeout(): void {
    this.be!.counters.timeouts++;
    if (this.phase === Phase.Tunnel) {
      this.abort();
      return;
    }
    this.dropServer();
    if (!this.respStarted) this.sendError(504, true);
    else this.abort();
  }

  private endResponse(): void {
    this.respPhase = RespPhase.Done;
    this.respFramer = undefined;
    if (this.reqDone) this.finishTransaction();
    else {
      // The server answered before the whole request body arrived: the client connection cannot be resynchronised.
      this.keepClient = false;
      this.finishTransaction();
    }
  }

  private finishTransaction(): void {
    const conn = this.srv;
    this.srv = undefined;
    this.endOnServer();
    const be = this.be!;
    if (conn) {
      const reusable = this.resp!.keepAlive && this.reqDone && this.req!.minor === 1 && this.connMode === 'keep-alive' && this.respPending.length === 0;
      conn.owner = null;
      if (conn.socket.isPaused()) conn.socket.resume();
      if (!reusable) conn.destroy();
      else if (this.keepClient) {
        this.attached = conn;
        conn.attachment = this;
      } else if (be.config.httpReuse !== 'never') releaseToPool(conn);
      else conn.destroy();
    }
    this.tap?.end('done', this.attempts, this.fe.backend);
    this.req = undefined;
    this.resp = undefined;
    this.respPhase = RespPhase.Head;
    if (!this.keepClient || (this.clientEnded && this.pending.length === 0)) {
      this.phase = Phase.Closed;
      this.client.end();
      this.cleanup();
      return;
    }
    this.phase = Phase.Head;
    this.armHeadTimer(this.fe.config.timeouts.httpKeepAlive ?? this.fe.config.timeouts.httpRequest ?? this.fe.config.timeouts.client);
    if (this.client.isPaused()) this.client.resume();
    if (this.pending.length > 0) this.parseHead();
  }

  detach(conn: ServerConnection): void {
    if (this.attached === conn) this.attached = undefined;
  }

  private releaseAttached(): void {
    const a = this.attached;
    if (!a) return;
    this.attached = undefined;
    a.attachment = null;
    if (this.be?.config.httpReuse !== 'never') releaseToPool(a);
    else a.destroy();
  }

  private dropServer(): void {
    const conn = this.srv;
    this.srv = undefined;
    this.endOnServer();
    conn?.destroy();
  }

  private countStatus(status: number): void {
    this.tap?.statusSent(status);
    this.fe.counters.countStatus(status);
    this.be?.counters.countStatus(status);
    this.assigned?.counters.countStatus(status);
  }

  // ---- errors and lifecycle ----------------------------------------------------------------------------------

  private sendError(status: number, close: boolean, body?: Buffer): void {
    this.countStatus(status);
    this.endOnServer();
    const closing = close || !this.req?.keepAlive || this.draining || this.fe.draining() || this.connMode === 'close';
    let bytes = body ?? errorResponse(status, this.fe.config.errorFiles, this.be?.config.errorFiles);
    // `http-after-response` rules apply to Tandem's own responses too (redirects, denies, errors).
    if (this.fe.l7 && this.view) bytes = applyAfterResponseToLocal(this.fe.l7, this.view, this.be, this.fe.config, bytes);
    if (closing) bytes = withConnectionClose(bytes);
    this.fe.counters.bytesOut += bytes.length;
    this.tap?.end('error', this.attempts, this.fe.backend, bytes.length);
    if (closing) {
      this.phase = Phase.Closed;
      this.client.end(bytes);
      this.releaseAttached();
      this.cleanup();
      return;
    }
    this.client.write(bytes);
    this.respPhase = RespPhase.Head;
    this.req = undefined;
    this.phase = Phase.Head;
    this.armHeadTimer(this.fe.config.timeouts.httpKeepAlive ?? this.fe.config.timeouts.httpRequest ?? this.fe.config.timeouts.client);
    this.client.resume();
    if (this.pending.length > 0) this.parseHead();
  }

  private sendErrorAndClose(status: number): void {
    this.sendError(status, true);
  }

  /** http-response deny/return/redirect: the server connection closes (its body is unread), the answer goes out. */
  private replaceResponse(a: ResponseAnswer): void {
    countResponseAnswer(a, this.fe.counters, this.be?.counters, (this.srv?.server ?? this.lastServer)?.counters);
    this.dropServer();
    this.sendError(a.status, !this.reqDone, a.bytes);
  }

  /** Read-only fields for `show sess` (session-view.ts). */
  describe(): SessionView {
    return {
      id: this.sessionId,
      startedAt: this.startedAt,
      client: this.client,
      frontend: this.fe,
      backend: this.be,
      server: this.assigned,
      serverSocket: this.srv?.socket,
      queued: this.be?.queue.has(this.queued) ?? false,
      requests: this.requests,
      retries: this.attempts,
      request: this.req,
    };
  }

  drain(): void {
    this.draining = true;
    if (this.phase === Phase.Head && this.pending.length === 0) this.close();
  }

  abort(): void {
    if (this.phase === Phase.Closed && this.client.destroyed) return;
    this.phase = Phase.Closed;
    this.dropServer();
    this.attached?.destroy();
    this.client.destroy();
    this.cleanup();
  }

  private close(): void {
    this.phase = Phase.Closed;
    this.dropServer();
    this.releaseAttached();
    this.client.destroy();
    this.cleanup();
  }

  private cleaned = false;

  private cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    this.tarpitTimer?.cancel();
    this.be?.forget(this.queued);
    this.headTimer?.cancel();
    this.headTimer = undefined;
    this.tap?.end('abort', this.attempts, this.fe.backend);
    this.fe.counters.current--;
    this.fe.sessions.delete(this);
  }
}

/** Adds `connection: close` to a built-in error whose head lacks it (HAProxy does so when it closes after it). */
function withConnectionClose(bytes: Buffer): Buffer {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return bytes;
  const head = bytes.toString('latin1', 0, end).toLowerCase();
  if (/\r\nconnection:/.test(head)) return bytes;
  return Buffer.concat([bytes.subarray(0, end), Buffer.from('\r\nconnection: close', 'latin1'), bytes.subarray(end)]);
}
