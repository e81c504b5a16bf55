/**
 * How many orphaned idle connections a server's pool keeps, HAProxy's way (`pool-max-conn`, `pool-purge-delay`).
 *
 * HAProxy keeps an idle server connection only while the server's used + idle connections stay within what the
 * recent past needed, and every `pool-purge-delay` it closes half of the idle connections above that estimate.
 * Without the estimate, a stream of new clients (`http-reuse safe` opens a connection for every session's first
 * request) would park one idle connection per client until a cap or a timeout, which is what tandemd did before:
 * 1,000 idle sockets and their buffers after a connection-per-request benchmark.
 *
 * Pure bookkeeping: the caller says how many connections are used and idle, and closes what this returns.
 */
export class IdlePoolPolicy {
  /** Most connections in use at once since the last purge (including the one being released). */
  private peak = 0;
  /** The need estimated at the last purge: the peak of the previous period, decaying by half when traffic drops. */
  private estimatedNeed = 0;
  private lastPurge: number | undefined;

  /**
   * @param maxIdle `pool-max-conn`: -1 unlimited (HAProxy's default), 0 never keeps an idle connection.
   * @param purgeDelayMs `pool-purge-delay`, HAProxy's default 5 s; 0 keeps no idle connection.
   */
  constructor(
    readonly maxIdle: number = -1,
    readonly purgeDelayMs: number = DEFAULT_POOL_PURGE_DELAY_MS,
  ) {}

  /** Notes `used` connections in use right now (a request took one). */
  noteUsed(used: number): void {
    if (used > this.peak) this.peak = used;
  }

  /** May a connection just released (so no longer counted in `used`) join the `idle` ones? */
  admit(idle: number, used: number): boolean {
    if (this.maxIdle === 0 || this.purgeDelayMs === 0) return false;
    if (this.maxIdle > 0 && idle >= this.maxIdle) return false;
    this.noteUsed(used + 1);
    return used + idle + 1 <= Math.max(this.peak, this.estimatedNeed);
  }

  /**
   * Called periodically with the monotonic time: once per purge delay, how many idle connections to close now
   * (half of those above the estimated need, rounded up, as HAProxy does), and the estimate moves on.
   */
  purge(now: number, idle: number, used: number): number {
    if (this.lastPurge === undefined) this.lastPurge = now;
    if (now - this.lastPurge < this.purgeDelayMs) return 0;
    this.lastPurge = now;
    this.estimatedNeed = Math.max(this.peak, Math.floor((this.estimatedNeed + this.peak) / 2));
    this.peak = used;
    const excess = used + idle - this.estimatedNeed;
    return excess > 0 ? Math.min(idle, Math.ceil(excess / 2)) : 0;
  }
}

export const DEFAULT_POOL_PURGE_DELAY_MS = 5000;
