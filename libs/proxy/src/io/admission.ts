import type { ProxySocket } from './socket.types.js';

/** A connection accepted while its frontend or the process was at `maxconn`, not read until admitted. */
interface Held {
  readonly socket: ProxySocket;
  /** Whether the connection's frontend has room now (the listener's current frontend, swapped by reloads). */
  readonly fits: () => boolean;
  readonly start: () => void;
}

/**
 * Frontend and global `maxconn` as HAProxy applies them: at the limit, new connections are not served but wait
 * (HAProxy stops polling the listener and they stay in the kernel's backlog) until a connection ends. Node cannot
 * pause a listening socket, so a connection accepted at the limit is held unread (its bytes stay in the kernel's
 * buffers) and started in arrival order when a slot frees. At most `backlog` connections wait per process; beyond,
 * they are closed, as a full kernel backlog drops them.
 */
export class Admission {
  private readonly held: Held[] = [];

  constructor(
    /** Process-wide limit (`global maxconn`, or `set maxconn global`); 0: unlimited. */
    private readonly globalMax: () => number,
    /** Connections being served by the whole process. */
    private readonly current: () => number,
    private readonly backlog = 1024,
  ) {}

  /** Connections accepted and waiting for a slot (not counted by their frontend yet). */
  get waiting(): number {
    return this.held.length;
  }

  /** Below the global limit. */
  private globalRoom(): boolean {
    const max = this.globalMax();
    return !(max > 0 && this.current() >= max);
  }

  /**
   * Starts the connection now when the limits allow and no older waiting connection could start first (one of
   * another, full frontend does not hold it back); else holds it unread.
   */
  offer(socket: ProxySocket, fits: () => boolean, start: () => void): void {
    if (this.globalRoom() && fits() && !this.held.some((h) => h.fits())) return start();
    if (this.held.length >= this.backlog) {
      socket.destroy();
      return;
    }
    socket.pause();
    const entry: Held = { socket, fits, start };
    this.held.push(entry);
    socket.once('close', () => {
      const i = this.held.indexOf(entry);
      if (i >= 0) this.held.splice(i, 1);
    });
  }

  /** A connection ended (or a limit rose): start waiting connections, oldest first, while there is room. */
  release(): void {
    for (let i = 0; i < this.held.length && this.globalRoom(); ) {
      const h = this.held[i]!;
      if (!h.fits()) {
        // This frontend is still full; a connection of another frontend may fit.
        i++;
        continue;
      }
      this.held.splice(i, 1);
      if (h.socket.destroyed) continue;
      h.socket.resume();
      h.start();
    }
  }

  /** Stop: waiting connections are closed. */
  clear(): void {
    for (const h of this.held.splice(0)) h.socket.destroy();
  }
}
