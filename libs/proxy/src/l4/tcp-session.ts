import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import { connectServer } from '../io/connector.js';
import type { ProxySocket } from '../io/socket.types.js';
import { clientIp } from '../l7/forwarded-for.js';
import { dropClient } from '../l7/request-drops.js';
import type { FrontendRuntime, Session } from '../runtime.types.js';
import { tcpLogTap, type TcpLogTap } from '../log/traffic-log.js';
import { nextSessionId, type SessionView } from '../session-view.js';
import { commitStores, type PendingStore } from '../l7/stick-rules.js';
import { TcpContentRouter, tcpLogView, type TcpRoute } from './tcp-content.js';
import type { RequestView } from '@tandem/policy';

/**
 * One client connection in `mode tcp`: pick a server (retries, redispatch), then pipe bytes both ways with
 * backpressure (pause the reader when the writer's buffer is full, resume on drain). A FIN is forwarded as a
 * half-close; the side that is still open then runs on `timeout client-fin` / `server-fin`. With an L4 policy
 * (`fe.l4`) the connection is routed first (tcp-content.ts): the client's bytes are buffered meanwhile and forwarded
 * unchanged to the chosen backend's server.
 */
export class TcpSession implements Session {
  private server: ProxySocket | undefined;
  private assigned: ServerRuntime | undefined;
  private attempts = 0;
  private readonly tried: ServerRuntime[] = [];
  private last: ServerRuntime | undefined;
  private closed = false;
  private early: Buffer[] = [];
  private clientEnded = false;
  private readonly tap: TcpLogTap | undefined;
  /** `show sess` / `shutdown session` (session-view.ts). */
  private readonly sessionId = nextSessionId();
  private readonly startedAt = Date.now();
  /** The backend serving this connection: `default_backend`, or the one `use_backend` chose. */
  private be: BackendRuntime | undefined;
  /** The server `use-server` or a stick match named (first attempt), and the stick keys to store once connected. */
  private pinned: ServerRuntime | undefined;
  private stores: PendingStore[] = [];
  private router: TcpContentRouter | undefined;
  /** The view for `%[…]` in the log (only when the format has some): the content rules' one, else the connection's. */
  private inspected: RequestView | undefined;

  constructor(
    private readonly client: ProxySocket,
    private readonly fe: FrontendRuntime,
  ) {
    fe.counters.connections++;
    fe.counters.current++;
    fe.sessions.add(this);
    this.be = fe.backend;
    this.tap = tcpLogTap(fe, client);
    // `%[…]` in the log-format: a view of the connection, made while its addresses are known (its content rules'
    // view replaces it once they ran).
    if (this.tap?.wantsView) this.inspected = tcpLogView(client, fe, () => this.be);
    client.on('error', () => this.abort());
    client.on('close', () => this.abort());
    client.on('data', (chunk: Buffer) => {
      fe.counters.bytesIn += chunk.length;
      if (this.server) {
        const be = this.be!;
        be.counters.bytesOut += chunk.length;
        this.assigned!.counters.bytesOut += chunk.length;
        if (!this.server.write(chunk)) client.pause();
      } else if (this.router?.pending) {
        // Content inspection reads on (it decides at the latest when the buffer reaches tune.bufsize - maxrewrite).
        this.router.push(chunk);
      } else {
        this.early.push(chunk);
        client.pause();
      }
    });
    client.on('end', () => {
      this.clientEnded = true;
      this.router?.end();
      if (this.server) {
        this.server.end();
        const t = fe.config.timeouts.clientFin ?? fe.config.timeouts.client;
        if (t) this.client.setTimeout(t);
      }
    });
    client.on('drain', () => this.server?.resume());
    const t = fe.config.timeouts.tunnel ?? fe.config.timeouts.client;
    if (t) client.setTimeout(t, () => this.timeout());
    if (!fe.l4) {
      this.assign();
      return;
    }
    this.router = new TcpContentRouter(client, fe, fe.l4, fe.clock, (route) => this.route(route));
    this.router.start();
  }

  /** The L4 policy's decision: close, or connect to the chosen backend with the buffered bytes. */
  private route(route: TcpRoute): void {
    const buffered = this.router?.buffered ?? [];
    if (this.tap?.wantsView) this.inspected = this.router?.inspectedView ?? this.inspected;
    this.router = undefined;
    if (this.closed) return;
    if (route.kind !== 'forward') {
      if (route.kind === 'silent-drop') dropClient(this.client, 'silent-drop');
      return this.abort();
    }
    this.be = route.be;
    this.pinned = route.pinned;
    this.stores = route.stores;
    this.early = [...buffered, ...this.early];
    this.assign();
  }

  private requeue = false;
  private readonly queued = {
    resume: (): void => {
      if (this.closed || this.assigned) return;
      this.requeue = true;
      try {
        this.assign();
      } finally {
        this.requeue = false;
      }
    },
    expire: (): void => this.abort(),
  };

  private assign(): void {
    const be = this.be;
    if (!be) return this.abort();
    let server: ServerRuntime | undefined;
    if (this.attempts === 0 && this.pinned) server = this.pinned;
    else if (this.attempts > 0 && !be.config.redispatch && this.last?.inRotation) server = this.last;
    else {
      const req = { clientAddress: clientIp(this.client.remoteAddress) };
      server = be.selector.select(req, (s) => (s as ServerRuntime).hasRoom && !this.tried.includes(s as ServerRuntime)) as ServerRuntime | undefined;
      if (!server && this.tried.length > 0) server = be.selector.select(req, (s) => (s as ServerRuntime).hasRoom) as ServerRuntime | undefined;
    }
    if (!server) {
      // Every server is at its maxconn: wait in the backend queue (HAProxy), else close at once.
      if (be.hasServersInRotation) return be.queue.add(this.queued, be.queueTimeout, this.requeue);
      return this.abort();
    }
    if (this.attempts > 0 && server !== this.last) be.counters.redispatches++;
    this.last = server;
    if (!this.tried.includes(server)) this.tried.push(server);
    this.assigned = server;
    server.sessions.add(this);
    server.counters.current++;
    server.counters.connections++;
    be.counters.connections++;
    be.selector.connectionStarted(server);
    connectServer(server.config.endpoint, be.config.timeouts.connect, (outcome) => {
      if (this.closed) {
        if (outcome.ok) outcome.socket.destroy();
        return;
      }
      if (!outcome.ok) {
        server.counters.connectErrors++;
        be.counters.connectErrors++;
        this.release();
        if (++this.attempts > be.config.retries) return this.abort();
        be.counters.retries++;
        this.assign();
        return;
      }
      this.piped(outcome.socket, server);
    }, server.config.tls);
  }

  private piped(s: ProxySocket, server: ServerRuntime): void {
    const be = this.be!;
    this.server = s;
    this.tap?.connected(server);
    if (this.stores.length) commitStores(this.fe.l4?.stick, this.stores, server);
    s.on('error', () => this.abort());
    s.on('close', () => this.abort());
    s.on('data', (chunk: Buffer) => {
      be.counters.bytesIn += chunk.length;
      server.counters.bytesIn += chunk.length;
      this.fe.counters.bytesOut += chunk.length;
      if (!this.client.write(chunk)) s.pause();
    });
    s.on('end', () => {
      this.client.end();
      const t = be.config.timeouts.serverFin ?? be.config.timeouts.server;
      if (t) s.setTimeout(t);
    });
    s.on('drain', () => this.client.resume());
    const t = be.config.timeouts.tunnel ?? be.config.timeouts.server;
    if (t) s.setTimeout(t, () => this.timeout());
    for (const c of this.early) {
      be.counters.bytesOut += c.length;
      server.counters.bytesOut += c.length;
      s.write(c);
    }
    this.early = [];
    if (this.clientEnded) s.end();
    else this.client.resume();
  }

  private timeout(): void {
    this.fe.counters.timeouts++;
    this.tap?.timeout();
    this.abort();
  }

  private release(): void {
    const s = this.assigned;
    if (!s) return;
    this.assigned = undefined;
    s.sessions.delete(this);
    s.counters.current--;
    this.be?.selector.connectionEnded(s);
    this.be?.slotFreed(s);
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
      serverSocket: this.server,
      queued: this.be?.queue.has(this.queued) ?? false,
      requests: 0,
      retries: this.attempts,
    };
  }

  drain(): void {
    // A TCP stream has no request boundary: it runs until one side closes (bounded by stop()'s timeout).
  }

  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.router?.cancel();
    this.be?.queue.remove(this.queued);
    this.release();
    if (this.tap?.wantsView) this.tap.attach(this.router?.inspectedView ?? this.inspected!);
    this.tap?.end(this.attempts, this.be);
    this.client.destroy();
    this.server?.destroy();
    this.fe.counters.current--;
    this.fe.sessions.delete(this);
  }
}
