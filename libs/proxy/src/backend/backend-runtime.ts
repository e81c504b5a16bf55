import { createSelector, type BalancedServer, type Selector } from '@tandem/balancing';
import type { BackendConfig, HttpConnectionMode, ServerConfig } from '@tandem/config';
import { TrafficCounters } from '../counters.js';
import type { ServerAdminState } from './server-state.types.js';
import { PendingQueue } from './pending-queue.js';

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
  /** Sessions currently using this server, so `on-marked-down shutdown-sessions` can end them. */
  readonly sessions = new Set<{ abort(): void }>();

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
  }

  /** In rotation for new requests: UP with a non-zero weight. */
  get inRotation(): boolean {
    return this.state === 'up' && this.weight > 0;
  }

  /** The `cookie` value of cookie persistence; a server without one is never sticky. */
  get cookie(): string | undefined {
    return this.config.cookie;
  }

  /** Takes requests whose persistence cookie names it: UP (whatever its weight) or draining, as in HAProxy. */
  get acceptsPersistent(): boolean {
    return this.state === 'up' || this.state === 'drain';
  }

  /** Below `maxconn` (or unlimited). */
  get hasRoom(): boolean {
    return this.config.maxconn === undefined || this.config.maxconn <= 0 || this.counters.current < this.config.maxconn;
  }

  /** The health-check / admin entry point: change state and/or weight; the backend's selector is rebuilt. */
  setState(state: ServerAdminState, weight: number = this.weight): void {
    if (state === this.state && weight === this.weight) return;
    this.state = state;
    this.weight = Math.max(0, Math.min(256, weight));
    if (state === 'maint' || state === 'down') this.dropIdle();
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
    this.owner.slotFreed();
    this.owner.rebuildSelector();
  }
}

/** A backend at one config generation: servers, the current selector (rebuilt and swapped, rule 6), counters. */
export class BackendRuntime {
  readonly servers: ServerRuntime[];
  readonly counters: TrafficCounters;
  /** Requests waiting because every server was at its maxconn (issue #6: queues). */
  readonly queue = new PendingQueue();
  selector: Selector;

  constructor(
    readonly config: BackendConfig,
    counters?: TrafficCounters,
    serverCounters?: (server: string) => TrafficCounters,
  ) {
    this.counters = counters ?? new TrafficCounters();
    this.servers = config.servers.map((s) => new ServerRuntime(s, this, serverCounters?.(s.name)));
    this.selector = this.makeSelector();
  }

  rebuildSelector(): void {
    this.selector = this.makeSelector();
    // A server came up or got weight: queued requests may fit now.
    this.queue.wake(this.queue.length);
  }

  /** A server connection ended: the first queued request (if any) takes the slot. */
  slotFreed(): void {
    if (this.queue.length > 0) this.queue.wake(1);
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
