import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';

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

const MAX_IDLE_PER_SERVER = 1024;

export function releaseToPool(conn: ServerConnection): void {
  const idle = conn.server.idle as ServerConnection[];
  if (conn.closed || idle.length >= MAX_IDLE_PER_SERVER || conn.server.state !== 'up') {
    conn.destroy();
    return;
  }
  conn.owner = null;
  conn.attachment = new PoolAttachment(conn.server);
  idle.push(conn);
}

export function takeFromPool(server: ServerRuntime): ServerConnection | undefined {
  const idle = server.idle as ServerConnection[];
  while (idle.length > 0) {
    const c = idle.pop()!;
    if (!c.closed) {
      c.attachment = null;
      return c;
    }
  }
  return undefined;
}
