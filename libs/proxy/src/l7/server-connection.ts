import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import type { ServerTlsOptions } from '@tandem/config';
import type { RequestView } from '@tandem/policy';
import { sniValue } from './sample-bytes.js';

/** What a server connection reports to the transaction that currently owns it. */
export interface ServerConnectionOwner {
  onServerData(chunk: Buffer): void;
  onServerEnd(): void;
  onServerTimeout(): void;
  onServerDrain(): void;
}

/** Where an idle connection sits between requests: attached to one client session, or in the server's shared pool. */
export interface Attachment {
  detach(conn: ServerConnection): void;
}

/**
 * A connection to a server, possibly reused across requests and clients. Its listeners are installed once; they
 * delegate to the current owner, so reuse costs no listener churn. Idle connections die on close, on data (a server
 * must not talk unasked) or on timeout.
 */
export class ServerConnection {
  owner: ServerConnectionOwner | null = null;
  attachment: Attachment | null = null;
  /** Requests already served on it (0 = fresh). */
  uses = 0;
  closed = false;

  constructor(
    readonly socket: ProxySocket,
    readonly server: ServerRuntime,
    readonly backend: BackendRuntime,
    idleTimeoutMs: number,
    /** The SNI this connection was opened with (TLS servers): reused only by requests with the same SNI. */
    readonly sni?: string,
  ) {
    socket.setTimeout(idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => {
      backend.counters.bytesIn += chunk.length;
      server.counters.bytesIn += chunk.length;
      if (this.owner) this.owner.onServerData(chunk);
      else this.destroy();
    });
    socket.on('end', () => this.onGone());
    socket.on('close', () => this.onGone());
    socket.on('error', () => this.onGone());
    socket.on('timeout', () => {
      if (this.owner) this.owner.onServerTimeout();
      else this.destroy();
    });
    socket.on('drain', () => this.owner?.onServerDrain());
  }

  write(buf: Buffer): boolean {
    this.backend.counters.bytesOut += buf.length;
    this.server.counters.bytesOut += buf.length;
    return this.socket.write(buf);
  }

  private onGone(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.attachment?.detach(this);
    this.attachment = null;
    const owner = this.owner;
    this.owner = null;
    owner?.onServerEnd();
  }

  destroy(): void {
    this.owner = null;
    this.onGone();
  }
}

/** The server's shared idle pool as an attachment. */
export class PoolAttachment implements Attachment {
  constructor(private readonly server: ServerRuntime) {}

  detach(conn: ServerConnection): void {
    const i = this.server.idle.indexOf(conn);
    if (i >= 0) this.server.idle.splice(i, 1);
  }
}

/** A connection no session keeps: pooled if the server's pool policy admits it (HAProxy's need estimate), else closed. */
export function releaseToPool(conn: ServerConnection): void {
  const idle = conn.server.idle as ServerConnection[];
  if (conn.closed || conn.server.state !== 'up' || !conn.server.pool.admit(idle.length, conn.server.counters.current)) {
    conn.destroy();
    return;
  }
  conn.owner = null;
  conn.attachment = new PoolAttachment(conn.server);
  idle.push(conn);
}

/**
 * An idle connection of `server` for a request whose SNI is `sni`. As HAProxy keys idle connections by their
 * parameters (the SNI among them), one opened with another SNI stays in the pool; closed ones are dropped.
 */
export function takeFromPool(server: ServerRuntime, sni?: string): ServerConnection | undefined {
  const idle = server.idle as ServerConnection[];
  server.pool.noteUsed(server.counters.current + 1);
  for (let i = idle.length - 1; i >= 0; i--) {
    const c = idle[i]!;
    if (!c.closed && c.sni !== sni) continue;
    idle.splice(i, 1);
    if (c.closed) continue;
    c.attachment = null;
    return c;
  }
  return undefined;
}

/**
 * The SNI of a new connection to `server` for the request `view` shows: `sni <expr>` evaluated on it (none when
 * the expression yields nothing), else the fixed `sni str(<name>)`, else none.
 */
export function serverSni(server: ServerRuntime, view: RequestView | undefined): string | undefined {
  const tls = server.config.tls;
  if (!tls) return undefined;
  return tls.sniExpr ? sniValue(tls, view) : tls.sni;
}

/** The server's TLS options with the connection's SNI (which `verify required` also checks the certificate against). */
export function tlsWithSni(tls: ServerTlsOptions | undefined, sni: string | undefined): ServerTlsOptions | undefined {
  if (!tls || !tls.sniExpr) return tls;
  const { sniExpr: _expr, sni: _fixed, ...rest } = tls;
  return sni !== undefined ? { ...rest, sni } : rest;
}
