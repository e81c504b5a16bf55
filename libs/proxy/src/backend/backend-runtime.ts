import { createSelector, type BalancedServer, type Selector } from '@tandem/balancing';
import type { BackendConfig, HttpConnectionMode, ServerConfig } from '@tandem/config';
import { TrafficCounters } from '../counters.js';
import type { ServerAdminState } from './server-state.types.js';
import { olderHead, PendingQueue } from './pending-queue.js';
import { effectiveMaxconn } from './dynamic-maxconn.js';
import { DynamicCookieMemo } from '../l7/dynamic-cookie.js';
import { IdlePoolPolicy } from './idle-pool-policy.js';

/** An idle pooled server connection, as the pool sees it. */
export interface Poolable {
  destroy(): void;
}

/**
 * One server's runtime state: admin/health state, effective weight, counters, current connections and the idle
 * connection pool. It is the `BalancedServer` handed to selectors (stable identity across selector rebuilds).
 */
export class ServerRuntime implements BalancedServer {
  readonly id: number;
  readonly name: string;
  readonly backup: boolean;
  weight: number;
  state: ServerAdminState;
  /**
   * Kept by the data plane per `<backend>/<server>` name across reloads (issue #5: counters continue after a
   * hitless reload), so sessions still running on the previous generation keep counting into the same object.
   */
  readonly counters: TrafficCounters;
  /** The server line as the configuration declares it; `config` may differ by runtime `addr` / `maxconn` changes. */
  readonly declared: ServerConfig;
  /** Idle keep-alive connections shared by the backend's requests (http-reuse). */
  readonly idle: Poolable[] = [];
  /** How many idle connections the pool keeps (`pool-max-conn`, `pool-purge-delay`, HAProxy's need estimate). */
  readonly pool: IdlePoolPolicy;
  /** Sessions currently using this server, so `on-marked-down shutdown-sessions` can end them. */
  readonly sessions = new Set<{ abort(): void }>();
  /** Requests bound to this server (cookie, stick match, use-server) waiting for one of its slots (HAProxy). */
  readonly queue = new PendingQueue();
  /** Queued requests moved to the backend queue when the server last went DOWN (the DOWN log line's "requeued"). */
  lastRequeued = 0;

  constructor(
    public config: ServerConfig,
    private readonly owner: BackendRuntime,
    counters?: TrafficCounters,
  ) {
    this.declared = config;
    this.counters = counters ?? new TrafficCounters();
    this.id = config.id;
    this.name = config.name;
    this.backup = config.backup;
    this.weight = config.weight;
    this.state = config.disabled ? 'maint' : 'up';
    this.pool = new IdlePoolPolicy(config.poolMaxConn, config.poolPurgeDelay);
  }

  /** Closes the idle connections the pool policy finds in excess at this purge time, oldest first. */
  purgeIdle(now: number): void {
    const n = this.pool.purge(now, this.idle.length, this.counters.current);
    for (const c of this.idle.slice(0, n)) c.destroy();
  }

  /** In rotation for new requests: UP with a non-zero weight. */
  get inRotation(): boolean {
    return this.state === 'up' && this.weight > 0;
  }

  private readonly dynCookie = new DynamicCookieMemo();

  /**
   * The `cookie` value of cookie persistence: the server line's, else with `cookie … dynamic` and a
   * `dynamic-cookie-key` the one computed from its current address and port (HAProxy); none: never sticky.
   */
  get cookie(): string | undefined {
    if (this.config.cookie !== undefined) return this.config.cookie;
    const be = this.owner.config;
    if (!be.cookie?.dynamic || be.dynamicCookieKey === undefined) return undefined;
    return this.dynCookie.get(be.dynamicCookieKey, this.config.endpoint.host, this.config.endpoint.port);
  }

  /** Takes requests whose persistence cookie names it: UP (whatever its weight) or draining, as in HAProxy. */
  get acceptsPersistent(): boolean {
    return this.state === 'up' || this.state === 'drain';
  }

  /** The limit now: `maxconn`, or HAProxy's dynamic maxconn with `minconn` and the backend's `fullconn`. */
  get effectiveMaxconn(): number | undefined {
    return effectiveMaxconn(this.config.maxconn, this.config.minconn, this.owner.load, this.owner.fullconn);
  }

  /** Below the effective maxconn (or unlimited). */
  get hasRoom(): boolean {
    const max = this.effectiveMaxconn;
    return max === undefined || this.counters.current < max;
  }

  /** `maxqueue` reached: a request bound to this server is redispatched (`option redispatch`) or refused. */
  get queueFull(): boolean {
    const max = this.config.maxqueue;
    return max !== undefined && max > 0 && this.queue.length >= max;
  }

  /** The health-check / admin entry point: change state and/or weight; the backend's selector is rebuilt. */
  setState(state: ServerAdminState, weight: number = this.weight): void {
    this.lastRequeued = 0;
    if (state === this.state && weight === this.weight) return;
    // `lastchg` / `downtime` (issue #5): only a change of state counts, not a weight change.
    if (state !== this.state) this.counters.state.changed(state === 'down' || state === 'maint');
    this.state = state;
    this.weight = Math.max(0, Math.min(256, weight));
    if (state === 'maint' || state === 'down') {
      this.dropIdle();
      // HAProxy (pendconn_redistribute): with `option redispatch` and without `option persist`, the requests
      // waiting for this server go back to the backend queue and on to another server.
      this.lastRequeued = this.owner.config.redispatch && !this.owner.config.persist ? this.queue.moveTo(this.owner.queue) : 0;
    }
    this.owner.rebuildSelector();
  }

  dropIdle(): void {
    for (const c of this.idle.splice(0)) c.destroy();
  }

  /** `set server <b>/<s> addr <ip> [port <p>]`: new connections (and checks) go there; pooled ones are closed. */
  setAddress(host: string, port: number = this.config.endpoint.port): void {
    const family = host.includes(':') ? 6 : 4;
    this.config = { ...this.config, endpoint: { ...this.config.endpoint, host, port, family } as ServerConfig['endpoint'] };
    this.dropIdle();
  }

  /** `set maxconn server <b>/<s> <n>` (0: unlimited); a raised limit lets queued requests in. */
  setMaxconn(maxconn: number): void {
    this.config = { ...this.config, maxconn };
    this.owner.slotFreed(this);
    this.owner.rebuildSelector();
  }
}

/** A backend at one config generation: servers, the current selector (rebuilt and swapped, rule 6), counters. */
export class BackendRuntime {
  readonly servers: ServerRuntime[];
  readonly counters: TrafficCounters;
  /** Requests waiting because every server was at its maxconn (issue #6: queues). */
  readonly queue = new PendingQueue();
  /** `fullconn` for dynamic maxconn: configured, or HAProxy's default from the frontends (set by the data plane). */
  fullconn: number;
  selector: Selector;

  constructor(
    readonly config: BackendConfig,
    counters?: TrafficCounters,
    serverCounters?: (server: string) => TrafficCounters,
  ) {
    this.counters = counters ?? new TrafficCounters();
    this.fullconn = config.fullconn ?? 0;
    this.servers = config.servers.map((s) => new ServerRuntime(s, this, serverCounters?.(s.name)));
    this.selector = this.makeSelector();
  }

  rebuildSelector(): void {
    this.selector = this.makeSelector();
    // A server came up or got weight: queued requests may fit now.
    this.queue.wake(this.queue.length);
    for (const s of this.servers) if (s.queue.length > 0) this.slotFreed(s);
  }

  /**
   * A server connection ended (or a limit rose). With the server known, it serves the oldest request of its own
   * queue and the backend's while it has room, as HAProxy does; without, the backend queue's first request retries.
   */
  slotFreed(server?: ServerRuntime): void {
    if (!server) {
      if (this.queue.length > 0) this.queue.wake(1);
      return;
    }
    let budget = server.queue.length + this.queue.length;
    while (budget-- > 0 && server.hasRoom) {
      const q = olderHead(server.queue, this.queue);
      if (!q || !q.wakeOne()) return;
    }
  }

  /** HAProxy's backend load for dynamic maxconn: connections on its servers plus every queued request. */
  get load(): number {
    let n = this.queue.length;
    for (const s of this.servers) n += s.counters.current + s.queue.length;
    return n;
  }

  /** Queued requests, the backend's and its servers' (stats' qcur of the backend). */
  get queued(): number {
    return this.servers.reduce((n, s) => n + s.queue.length, this.queue.length);
  }

  /** Whether a request waits in the backend queue or one of its servers' queues (`show sess`). */
  isQueued(request: Parameters<PendingQueue['has']>[0]): boolean {
    return this.queue.has(request) || this.servers.some((s) => s.queue.has(request));
  }

  /** Takes a request out of whichever queue holds it (its client left). */
  forget(request: Parameters<PendingQueue['remove']>[0]): void {
    if (this.queue.remove(request)) return;
    for (const s of this.servers) if (s.queue.remove(request)) return;
  }

  /** True when some server is in rotation, so a request that found none with room should wait rather than fail. */
  get hasServersInRotation(): boolean {
    return this.servers.some((s) => s.inRotation);
  }

  /** How long a request may wait in the queue: `timeout queue`, else `timeout connect` (HAProxy's fallback). */
  get queueTimeout(): number | undefined {
    return this.config.timeouts.queue ?? this.config.timeouts.connect;
  }

  private makeSelector(): Selector {
    const inRotation = this.servers.filter((s) => s.inRotation);
    const active = new Map<number, number>();
    for (const s of this.servers) active.set(s.id, s.counters.current);
    return createSelector(inRotation, { config: this.config.balance, allBackups: this.config.allBackups, activeConnections: active });
  }

  server(name: string): ServerRuntime | undefined {
    return this.servers.find((s) => s.name === name);
  }

  /** `pool-purge-delay`: called about once a second; each server purges on its own delay. */
  purgeIdle(now: number): void {
    for (const s of this.servers) s.purgeIdle(now);
  }

  /** Closes every idle pooled connection (old generation after a reload, or stop). */
  dropIdle(): void {
    for (const s of this.servers) s.dropIdle();
  }
}

/** HAProxy's rule: the effective mode is the most closing of frontend and backend (close > server-close > keep-alive). */
export function effectiveConnectionMode(frontend: HttpConnectionMode | undefined, backend: HttpConnectionMode | undefined): HttpConnectionMode {
  if (frontend === 'close' || backend === 'close') return 'close';
  if (frontend === 'server-close' || backend === 'server-close') return 'server-close';
  return 'keep-alive';
}
