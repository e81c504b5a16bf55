/**
 * Server selection and connection for an `HttpSession` (l7/http-session.ts): pinned server (cookie, use-server,
 * stick) or the selector, the server and backend queues, retries and `option redispatch`, connection reuse (the
 * session's attached connection, then the shared pool per `http-reuse`), and fresh connects. Separate from the
 * session because it is one self-contained phase between the request head and forwarding; free functions taking
 * the session keep the calls direct (no wrapper object, no closure beyond the connect callback it always had).
 */
import type { SelectionRequest } from '@tandem/balancing';
import type { ServerRuntime } from '../backend/backend-runtime.js';
import { connectServer } from '../io/connector.js';
import { LazySelectionRequest } from './selection-request.js';
import { ServerConnection, serverSni, takeFromPool, tlsWithSni } from './server-connection.js';
import { useConnection } from './http-request-forward.js';
import { Phase } from './http-session-phases.js';
import type { HttpSession } from './http-session.js';

function selectionRequest(s: HttpSession): SelectionRequest {
  // Fields computed on demand: round robin and leastconn never read them.
  return new LazySelectionRequest(s.req!, s.ip, s.view, s.be!.config.balance);
}

/** Picks the server of the current request (or queues it, or answers 503) and hands it a connection. */
export function assignServer(s: HttpSession): void {
  const be = s.be!;
  let server: ServerRuntime | undefined;
  // A server that went DOWN while the request waited no longer holds it, unless `option persist`.
  if (s.pinned && !s.pinned.acceptsPersistent && !be.config.persist) s.pinned = undefined;
  // The bound server's queue is at its `maxqueue`: redispatch (`option redispatch`) or 503, as HAProxy.
  if (s.pinned && !s.pinned.hasRoom && s.pinned.queueFull) {
    if (!be.config.redispatch) return s.sendError(503, true);
    s.pinned = undefined;
  }
  const pinned = s.pinned;
  if (pinned && (s.attempts === 0 || (!be.config.redispatch && s.lastServer === pinned))) {
    // Cookie persistence, stick match, use-server: that server, whatever the algorithm says; at its maxconn the
    // request waits in the server's own queue (HAProxy).
    if (!pinned.hasRoom) {
      pinned.queue.add(s.queued, be.queueTimeout, s.requeue);
      return;
    }
    server = pinned;
  } else if (s.attempts > 0 && !be.config.redispatch && s.lastServer?.inRotation) server = s.lastServer;
  else {
    server = be.selector.select(selectionRequest(s), s.isEligible) as ServerRuntime | undefined;
    // Every server already tried: retry among all of them.
    if (!server && s.tried.length > 0) server = be.selector.select(selectionRequest(s), (x) => (x as ServerRuntime).hasRoom) as ServerRuntime | undefined;
  }
  if (!server) {
    // Every server is at its maxconn: wait in the backend queue (HAProxy), else 503 at once.
    if (be.hasServersInRotation) {
      be.queue.add(s.queued, be.queueTimeout, s.requeue);
      return;
    }
    s.sendError(503, true);
    return;
  }
  if (s.attempts > 0 && server !== s.lastServer) be.counters.redispatches++;
  s.lastServer = server;
  if (!s.tried.includes(server)) s.tried.push(server);
  // Connection reuse: this session's own idle connection first, then the shared pool (http-reuse rules).
  let conn: ServerConnection | undefined;
  const sni = serverSni(server, s.view); // a connection opened with another SNI is not reused (HAProxy)
  if (s.attached && s.attached.server === server && !s.attached.closed && s.attached.sni === sni) {
    conn = s.attached;
    s.attached = undefined;
    conn.attachment = null;
  } else {
    s.releaseAttached();
    const reuse = be.config.httpReuse;
    if (reuse === 'always' || reuse === 'aggressive' || (reuse === 'safe' && s.requests > 1)) conn = takeFromPool(server, sni);
  }
  s.startOnServer(server);
  if (conn) {
    useConnection(s, conn);
    return;
  }
  connectFresh(s, server, sni, () => {
    server.counters.connectErrors++;
    be.counters.connectErrors++;
    s.attempts++;
    if (s.attempts > be.config.retries) {
      s.sendError(503, true);
      return;
    }
    be.counters.retries++;
    assignServer(s);
  });
}

/** A reused connection closed before answering: the whole request goes once more to `server`, on a new connection. */
export function assignFresh(s: HttpSession, server: ServerRuntime): void {
  s.startOnServer(server);
  connectFresh(s, server, serverSni(server, s.view), () => s.sendError(503, true));
}

/**
 * Opens a new connection to `server` (already counted by startOnServer) and hands it to the session; on failure
 * the server slot is released and `onFailure` decides what follows (retry, redispatch or 503).
 */
function connectFresh(s: HttpSession, server: ServerRuntime, sni: string | undefined, onFailure: () => void): void {
  const be = s.be!;
  be.counters.connections++;
  server.counters.connections++;
  connectServer(server.config.endpoint, be.config.timeouts.connect, (outcome) => {
    if (s.phase === Phase.Closed) {
      if (outcome.ok) outcome.socket.destroy();
      s.endOnServer();
      return;
    }
    if (outcome.ok) {
      useConnection(s, new ServerConnection(outcome.socket, server, be, s.view?.txn?.serverTimeout ?? be.config.timeouts.server ?? 0, sni));
      return;
    }
    s.endOnServer();
    onFailure();
  }, tlsWithSni(server.config.tls, sni));
}
