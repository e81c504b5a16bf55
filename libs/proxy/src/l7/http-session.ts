import type { TimerHandle } from '@tandem/core';
import type { HttpConnectionMode } from '@tandem/config';
import type { HeaderList, RequestView } from '@tandem/policy';
import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import type { FrontendRuntime, Session } from '../runtime.types.js';
import { httpLogTap, type HttpLogTap } from '../log/traffic-log.js';
import { clientIp } from './forwarded-for.js';
import { applyAfterResponseToLocal, type ConnectionViewBase } from './policy-runtime.js';
import { NO_DATES, type CookieDates } from './cookie-dates.js';
import type { CompiledServerRules, PendingStore } from './stick-rules.js';
import { releaseToPool, type Attachment, type ServerConnection, type ServerConnectionOwner } from './server-connection.js';
import type { ChunkedFramer } from './wire/chunked-framer.js';
import { errorResponse } from './wire/error-responses.js';
import type { RequestHead, ResponseHead } from './wire/http-head.types.js';
import { nextSessionId, type SessionView } from '../session-view.js';
import { countResponseAnswer, type ResponseAnswer } from './response-verdict-runtime.js';
import { EMPTY, PENDING_LIMIT, Phase, RespPhase } from './http-session-phases.js';
import { parseHead } from './http-request-head.js';
import { assignFresh, assignServer } from './http-server-assign.js';
import { feedRequestBody } from './http-request-forward.js';
import { feedResponseBody, parseResponseHead } from './http-response-phase.js';
import { headOnly } from './wire/head-only.js';

/**
 * One client connection in `mode http`, with fixed phases: read head → pick server and connect (retries,
 * redispatch) → forward head + body → parse response head → stream response body → keep-alive or close.
 * Bodies are never buffered beyond one socket chunk: backpressure pauses the reading side.
 *
 * The phases live in free functions taking the session, one module each: http-request-head.ts (head, routing,
 * pinning), http-server-assign.ts (selection, queues, retries, reuse, connect), http-request-forward.ts (request
 * write and body), http-response-phase.ts (response head and body). This class keeps the state, the client side,
 * the timers, the end of a transaction and the local answers. The fields those modules read and write are
 * therefore not `private` (TypeScript's `private` is compile-time only: the object's shape is the same); nothing
 * outside these l7 modules touches them. Keep every field declared here, initialised in this order, so all
 * sessions share one hidden class.
 */
export class HttpSession implements Session, ServerConnectionOwner, Attachment {
  phase = Phase.Head;
  pending: Buffer<ArrayBufferLike> = EMPTY as Buffer;
  requests = 0;
  private headTimer: TimerHandle | undefined;
  /** `http-request tarpit`: the pending answer. */
  tarpitTimer: TimerHandle | undefined;
  draining = false;
  readonly ip: string;
  /** `show sess` / `shutdown session` (session-view.ts). */
  readonly sessionId = nextSessionId();
  private readonly startedAt = Date.now();

  // current transaction
  req: RequestHead | undefined;
  reqRemaining = 0;
  reqFramer: ChunkedFramer | undefined;
  reqDone = false;
  outHead: Buffer<ArrayBufferLike> = EMPTY;
  outBody: Buffer<ArrayBufferLike> = EMPTY;
  resendable = false;
  attempts = 0;
  tried: ServerRuntime[] = [];
  lastServer: ServerRuntime | undefined;
  srv: ServerConnection | undefined;
  attached: ServerConnection | undefined;
  respPhase = RespPhase.Head;
  respPending: Buffer<ArrayBufferLike> = EMPTY;
  resp: ResponseHead | undefined;
  respRemaining = 0;
  respFramer: ChunkedFramer | undefined;
  respStarted = false;
  keepClient = false;
  assigned: ServerRuntime | undefined;
  readonly tap: HttpLogTap | undefined;
  /** This transaction's backend: `use_backend` (issue #6) or the frontend's default one. */
  be: BackendRuntime | undefined;
  /** The effective connection mode of the frontend and this transaction's backend. */
  connMode: HttpConnectionMode;
  /** The fetches' view of the current request, when the frontend has L7 rules. */
  view: RequestView | undefined;
  /** What the request views of this connection share, built at its first request with L7 rules. */
  viewBase: ConnectionViewBase | undefined;
  /** Cookie persistence (issue #6): the server this request's cookie sends it to, bypassing the algorithm. */
  pinned: ServerRuntime | undefined;
  cookieDates: CookieDates = NO_DATES;
  /** `use-server` and `stick` rules of this transaction's backend, and the stick-table writes pending (issue #6). */
  serverRules: CompiledServerRules | undefined;
  stores: PendingStore[] | undefined;

  constructor(
    readonly client: ProxySocket,
    readonly fe: FrontendRuntime,
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
        parseHead(this);
        return;
      case Phase.ReqBody:
        feedRequestBody(this, chunk);
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
  headDeadline = 0;
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

  // ---- server selection and connection (the phase itself: http-server-assign.ts) ------------------------------

  readonly isEligible = (s: { id: number }): boolean => {
    const server = s as ServerRuntime;
    if (!server.hasRoom) return false;
    return !this.tried.includes(server);
  };

  /** This request's place in the backend queue: woken when a slot frees, 503 after `timeout queue`. */
  requeue = false;
  readonly queued = {
    resume: (): void => {
      if (this.phase !== Phase.Connecting) return;
      this.requeue = true;
      try {
        assignServer(this);
      } finally {
        this.requeue = false;
      }
    },
    expire: (): void => {
      if (this.phase === Phase.Connecting) this.sendError(503, true);
    },
  };

  startOnServer(server: ServerRuntime): void {
    this.assigned = server;
    server.sessions.add(this);
    server.counters.current++;
    server.counters.requests++;
    this.be!.selector.connectionStarted(server);
  }

  endOnServer(): void {
    const s = this.assigned;
    if (!s) return;
    this.assigned = undefined;
    s.sessions.delete(this);
    s.counters.current--;
    this.be!.selector.connectionEnded(s);
    this.be!.slotFreed(s);
  }

  // ---- server side (response head and body: http-response-phase.ts) -------------------------------------------

  onServerData(chunk: Buffer): void {
    if (this.phase === Phase.Tunnel) {
      this.writeClient(chunk);
      return;
    }
    if (this.respPhase === RespPhase.Head) {
      this.respPending = this.respPending.length === 0 ? chunk : Buffer.concat([this.respPending, chunk]);
      parseResponseHead(this);
    } else if (this.respPhase === RespPhase.Body) {
      feedResponseBody(this, chunk);
    } else {
      // Bytes after a complete response: the connection cannot be trusted any more.
      this.srv?.destroy();
    }
  }

  writeClient(buf: Buffer): void {
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
        assignFresh(this, conn.server);
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

  endResponse(): void {
    this.respPhase = RespPhase.Done;
    this.respFramer = undefined;
    if (this.reqDone) this.finishTransaction();
    else {
      // The server answered before the whole request body arrived: the client connection cannot be resynchronised.
      this.keepClient = false;
      this.finishTransaction();
    }
  }

  finishTransaction(): void {
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
    if (this.pending.length > 0) parseHead(this);
  }

  detach(conn: ServerConnection): void {
    if (this.attached === conn) this.attached = undefined;
  }

  releaseAttached(): void {
    const a = this.attached;
    if (!a) return;
    this.attached = undefined;
    a.attachment = null;
    if (this.be?.config.httpReuse !== 'never') releaseToPool(a);
    else a.destroy();
  }

  dropServer(): void {
    const conn = this.srv;
    this.srv = undefined;
    this.endOnServer();
    conn?.destroy();
  }

  countStatus(status: number, headers?: HeaderList): void {
    this.tap?.statusSent(status, headers);
    this.fe.counters.countStatus(status);
    this.be?.counters.countStatus(status);
    this.assigned?.counters.countStatus(status);
  }

  // ---- errors and lifecycle ----------------------------------------------------------------------------------

  sendError(status: number, close: boolean, body?: Buffer): void {
    this.countStatus(status);
    this.endOnServer();
    const closing = close || !this.req?.keepAlive || this.draining || this.fe.draining() || this.connMode === 'close';
    let bytes = body ?? errorResponse(status, this.fe.config.errorFiles, this.be?.config.errorFiles);
    // `http-after-response` rules apply to Tandem's own responses too (redirects, denies, errors).
    if (this.fe.l7 && this.view) bytes = applyAfterResponseToLocal(this.fe.l7, this.view, this.be, this.fe.config, bytes);
    if (closing) bytes = withConnectionClose(bytes);
    if (this.req?.method === 'HEAD') bytes = headOnly(bytes);
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
    if (this.pending.length > 0) parseHead(this);
  }

  sendErrorAndClose(status: number): void {
    this.sendError(status, true);
  }

  /** http-response deny/return/redirect: the server connection closes (its body is unread), the answer goes out. */
  replaceResponse(a: ResponseAnswer): void {
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
