import { SystemClock, TandemError, type Clock, type Logger } from '@tandem/core';
import type { BindConfig, FrontendConfig, RuntimeConfig } from '@tandem/config';
import { BackendRuntime, effectiveConnectionMode } from './backend/backend-runtime.js';
import { BackendHealth } from './backend/health-monitoring.js';
import { fullconnByBackend } from './backend/dynamic-maxconn.js';
import { Admission } from './io/admission.js';
import { TrafficCounters } from './counters.js';
import { bindKey, openListener, type OpenListener } from './io/listener.js';
import type { ProxySocket } from './io/socket.types.js';
import { TcpSession } from './l4/tcp-session.js';
import { buildTcpL4 } from './l4/tcp-policy.js';
import { HttpSession } from './l7/http-session.js';
import { buildConnectionRules, buildFrontendL7 } from './l7/policy-runtime.js';
import { UserlistAuth } from '@tandem/policy';
import { StickTableRegistry } from './stick/stick-table-registry.js';
import type { StatsPageContext } from './admin/stats-page.js';
import { LatencyHistogram, type BackendHistograms } from '@tandem/stats';
import type { TrafficLogRecord } from '@tandem/logging';
import type { FrontendRuntime, Session, SessionRegistry } from './runtime.types.js';
import { frontendTrafficLog, type TrafficLogHook } from './log/traffic-log.js';

export interface DataPlaneDeps {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Traffic logs: called at the end of each HTTP transaction and TCP connection of a frontend that logs. */
  readonly trafficLog?: TrafficLogHook;
}

export interface DataPlaneSnapshot {
  readonly connections: number;
  readonly listeners: string[];
  readonly generation: number;
  readonly frontends: Record<string, ReturnType<TrafficCounters['toJSON']>>;
  readonly backends: Record<string, { counters: ReturnType<TrafficCounters['toJSON']>; servers: Record<string, { state: string; weight: number; counters: ReturnType<TrafficCounters['toJSON']> }> }>;
}

/**
 * Called by apply() with the new generation's backends before it goes live (the daemon re-applies the operator's
 * stored runtime overrides there). Synchronous: nothing may wait between building a generation and swapping it in.
 */
export type PrepareGeneration = (generation: { readonly backends: readonly BackendRuntime[] }) => void;

interface Listener {
  readonly open: OpenListener;
  /** The frontend new connections on this socket get; swapped by apply(). */
  frontend: FrontendRuntime;
}

/**
 * The data plane: listeners, sessions and backends. Plain class (rule 10); apply() swaps config generations
 * hitlessly, stop() ends everything.
 */
/** How often pools are looked at; each server purges on its own `pool-purge-delay` (HAProxy's default 5 s). */
const POOL_PURGE_TICK_MS = 1000;

export class DataPlane {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly trafficLog: TrafficLogHook | undefined;
  private readonly listeners = new Map<string, Listener>();
  private readonly sessions = new Set<Session>();
  private readonly registry: SessionRegistry = {
    add: (s) => this.sessions.add(s),
    delete: (s) => {
      if (this.sessions.delete(s)) this.admission.release();
    },
  };
  /** Global `maxconn` of the running configuration, unless `set maxconn global` changed it. */
  private globalMaxconn = 0;
  private globalMaxconnOverride: number | undefined;
  /** Frontend and global `maxconn`: connections beyond wait unread until a slot frees (HAProxy pauses accept). */
  private readonly admission = new Admission(() => this.globalMaxconnOverride ?? this.globalMaxconn, () => this.sessions.size);
  private backends = new Map<string, BackendRuntime>();
  private health: BackendHealth[] = [];
  private frontends = new Map<string, FrontendRuntime>();
  private readonly feCounters = new Map<string, TrafficCounters>();
  private readonly beCounters = new Map<string, TrafficCounters>();
  /** Per `<backend>/<server>`: counters continue across reloads for servers that still exist (issue #5). */
  private readonly svCounters = new Map<string, TrafficCounters>();
  private generation = 0;
  private draining = false;
  /** The once-a-second tick that lets each server's pool close its excess idle connections (`pool-purge-delay`). */
  private purgeTimer: NodeJS.Timeout | undefined;
  private applying: Promise<void> = Promise.resolve();
  /** Stick tables (issue #6): kept across reloads while their definition is unchanged. */
  readonly stickTables: StickTableRegistry;
  /** The registry for the generation being built, when its config declares tables. */
  private nextStick: StickTableRegistry | undefined;
  private nextUserlists: UserlistAuth | undefined;
  /** The running configuration's map/ACL file references (`show map`, `add acl`…); replaced, not merged, on reload. */
  private refs: RuntimeConfig['patternRefs'] = [];

  /** Map and ACL pattern files of the running generation (admin commands change them in place). */
  patternRefs(): NonNullable<RuntimeConfig['patternRefs']> {
    return this.refs ?? [];
  }

  /** What the stats page and the Prometheus exporter read (issue #5); the daemon adds its name and admin path. */
  private readonly statsPage: StatsPageContext = {
    runtimes: () => this.runtimes(),
    startedAt: Date.now(),
    nodeName: '',
    version: '',
    histograms: () => [...this.backends.keys()].flatMap((name) => this.latency.get(name) ?? []),
  };

  /** Latency histograms per backend (issue #5, beyond HAProxy), kept across reloads like the counters. */
  private readonly latency = new Map<string, BackendHistograms>();
  /** Set while the running configuration can show the histograms (a stats page or the Prometheus exporter). */
  private latencyObserver: ((record: TrafficLogRecord) => void) | undefined;

  private observeLatency(record: TrafficLogRecord): void {
    if (record.mode !== 'http' || !record.backend || record.status < 0) return;
    let h = this.latency.get(record.backend);
    if (!h) this.latency.set(record.backend, (h = { backend: record.backend, connect: new LatencyHistogram(), response: new LatencyHistogram(), total: new LatencyHistogram() }));
    if (record.Tc >= 0) h.connect.observe(record.Tc);
    if (record.Tr >= 0) h.response.observe(record.Tr);
    if (record.Ta >= 0) h.total.observe(record.Ta);
  }

  /** The daemon's node name, version and admin path (its command registry) for the stats page's actions. */
  setStatsPage(options: Partial<Pick<StatsPageContext, 'nodeName' | 'version' | 'action' | 'histograms'>>): void {
    Object.assign(this.statsPage, options);
  }

  constructor(deps: DataPlaneDeps) {
    this.logger = deps.logger;
    this.clock = deps.clock ?? new SystemClock();
    this.trafficLog = deps.trafficLog;
    this.stickTables = new StickTableRegistry(this.clock);
  }

  /**
   * First call opens listeners. Later calls are hitless reloads: listeners whose key (address + TLS material) is
   * unchanged are kept (same socket), new ones opened, removed ones closed. New connections use the new config;
   * established ones finish on theirs. If a new listener fails to open, nothing changes: listeners opened by this
   * call are closed and a TandemError naming the bind's file:line is thrown.
   */
  apply(config: RuntimeConfig, prepare?: PrepareGeneration): Promise<void> {
    const run = this.applying.then(() => this.applyNow(config, prepare));
    this.applying = run.catch(() => undefined);
    return run;
  }

  private async applyNow(config: RuntimeConfig, prepare?: PrepareGeneration): Promise<void> {
    if (this.draining) throw new TandemError('proxy.stopped', 'proxy', 'the data plane is stopped');
    const backends = new Map<string, BackendRuntime>();
    for (const b of config.backends) {
      let c = this.beCounters.get(b.name);
      if (!c) this.beCounters.set(b.name, (c = new TrafficCounters()));
      const serverCounters = (server: string) => {
        const key = `${b.name}/${server}`;
        let sc = this.svCounters.get(key);
        if (!sc) this.svCounters.set(key, (sc = new TrafficCounters()));
        return sc;
      };
      backends.set(b.name, new BackendRuntime(b, c, serverCounters));
    }
    // Dynamic maxconn (`minconn`): each backend's `fullconn`, configured or HAProxy's default from its frontends.
    for (const [name, full] of fullconnByBackend(config)) backends.get(name)!.fullconn = full;
    // Operator overrides (drain, weight) are set on the new servers before any connection can reach them.
    prepare?.({ backends: [...backends.values()] });
    const maxHead = Math.max(1024, config.global.tune.bufsize - config.global.tune.maxrewrite);
    // Stick tables are swapped with the generation (commit below); unchanged definitions keep their entries.
    const stickPlan = this.stickTables.plan(config);
    this.nextStick = stickPlan.size > 0 ? this.stickTables : undefined;
    // `userlist` sections: compiled once per generation (http_auth, http_auth_group).
    this.nextUserlists = config.userlists.length > 0 ? new UserlistAuth(config.userlists) : undefined;
    // Histograms cost a record per request: only kept when a stats page or the Prometheus exporter can show them.
    this.latencyObserver = showsStats(config) ? (record) => this.observeLatency(record) : undefined;
    const frontends = new Map<string, FrontendRuntime>();
    const wanted = new Map<string, { bind: BindConfig; fe: FrontendRuntime }>();
    for (const f of config.frontends) {
      const fe = this.frontendRuntime(f, backends, maxHead);
      frontends.set(f.name, fe);
      for (const bind of f.binds) wanted.set(isEphemeral(bind) ? uniqueKey(wanted, bindKey(bind)) : bindKey(bind), { bind, fe });
    }
    // Open every new listener first; on failure close those and leave the running generation untouched.
    const opened: Listener[] = [];
    try {
      for (const [key, { bind, fe }] of wanted) {
        if (this.listeners.has(key) && !isEphemeral(bind)) continue;
        const listener: Listener = { open: undefined as unknown as OpenListener, frontend: fe };
        (listener as { open: OpenListener }).open = await openListener(bind, (socket) => this.accept(listener, socket));
        opened.push(listener);
      }
    } catch (err) {
      await Promise.all(opened.map((l) => l.open.close()));
      throw err;
    }
    // Commit: swap frontends of kept listeners, register new ones, close removed ones.
    for (const [key, l] of this.listeners) {
      const w = wanted.get(key);
      if (w && !isEphemeral(w.bind)) l.frontend = w.fe;
      else {
        this.listeners.delete(key);
        void l.open.close();
      }
    }
    for (const l of opened) this.listeners.set(uniqueKey(this.listeners, l.open.key), l);
    const recreated = stickPlan.commit();
    if (recreated.length) this.logger.log('info', `proxy: stick tables created: ${recreated.join(', ')}`);
    const old = this.backends;
    this.globalMaxconn = config.global.maxconn;
    this.globalMaxconnOverride = undefined;
    this.backends = backends;
    this.frontends = frontends;
    this.refs = config.patternRefs ?? [];
    this.generation++;
    for (const b of old.values()) b.dropIdle();
    this.purgeTimer ??= this.schedulePurge();
    // Health checks follow the generation: the old monitors stop, the new backends' servers start UP and are checked.
    for (const h of this.health) h.stop();
    this.health = [...backends.values()].map((b) => new BackendHealth(b, this.clock, this.logger, config.global));
    this.logger.log('info', `proxy: generation ${this.generation} applied (${this.listeners.size} listeners)`);
  }

  private frontendRuntime(f: FrontendConfig, backends: Map<string, BackendRuntime>, maxHead: number): FrontendRuntime {
    let counters = this.feCounters.get(f.name);
    if (!counters) this.feCounters.set(f.name, (counters = new TrafficCounters()));
    const backend = f.defaultBackend ? backends.get(f.defaultBackend) : undefined;
    const l7 = f.mode === 'http' ? buildFrontendL7(f, backends, this.nextStick, this.statsPage, this.nextUserlists) : undefined;
    const l4 = f.mode === 'tcp' ? buildTcpL4(f, backends, this.nextStick) : undefined;
    const acceptRules = buildConnectionRules(f, l7?.frontend, this.nextStick);
    return {
      config: f,
      backend,
      ...(l7 ? { l7 } : {}),
      ...(l4 ? { l4 } : {}),
      ...(acceptRules ? { acceptRules } : {}),
      counters,
      maxHead,
      connectionMode: effectiveConnectionMode(f.httpConnectionMode, backend?.config.httpConnectionMode),
      clock: this.clock,
      logger: this.logger,
      sessions: this.registry,
      ...frontendTrafficLog(this.trafficLog, f, () => this.sessions.size, this.latencyObserver),
      draining: () => this.draining,
    };
  }

  private accept(listener: Listener, socket: ProxySocket): void {
    socket.on('error', () => socket.destroy());
    if (this.draining) {
      socket.destroy();
      return;
    }
    // At the frontend's or the process's maxconn the connection waits (HAProxy stops accepting), never refused.
    const fits = () => {
      const max = listener.frontend.config.maxconn;
      return !(max !== undefined && max > 0 && listener.frontend.counters.current >= max);
    };
    this.admission.offer(socket, fits, () => this.start(listener, socket));
  }

  /** `set maxconn global` (runtime only, until the next reload, as in HAProxy); waiting connections may fit now. */
  setGlobalMaxconn(maxconn: number): void {
    this.globalMaxconnOverride = maxconn;
    this.admission.release();
  }

  /** A limit may have risen (`set maxconn frontend`): waiting connections get another chance. */
  admitWaiting(): void {
    this.admission.release();
  }

  private start(listener: Listener, socket: ProxySocket): void {
    const fe = listener.frontend;
    if (this.draining || socket.destroyed) {
      socket.destroy();
      return;
    }
    if (fe.acceptRules && !fe.acceptRules(socket)) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    if (fe.config.mode === 'tcp') new TcpSession(socket, fe);
    else new HttpSession(socket, fe);
  }

  // A plain unref'd timer (not the injected clock's): housekeeping must never keep a process alive on its own.
  private schedulePurge(): NodeJS.Timeout {
    return setTimeout(() => {
      const now = this.clock.now();
      for (const b of this.backends.values()) b.purgeIdle(now);
      if (!this.draining) this.purgeTimer = this.schedulePurge();
    }, POOL_PURGE_TICK_MS).unref();
  }

  /** 'hard': close listeners and destroy every connection now. 'graceful': close listeners, let in-flight requests finish (bounded by timeoutMs). */
  async stop(mode: 'hard' | 'graceful', timeoutMs = 10_000): Promise<void> {
    this.draining = true;
    this.admission.clear();
    const closing = [...this.listeners.values()].map((l) => l.open.close());
    this.listeners.clear();
    if (mode === 'graceful') {
      for (const s of [...this.sessions]) s.drain();
      const deadline = Date.now() + timeoutMs;
      while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
    for (const h of this.health) h.stop();
    this.health = [];
    clearTimeout(this.purgeTimer);
    this.purgeTimer = undefined;
    for (const s of [...this.sessions]) s.abort();
    for (const b of this.backends.values()) b.dropIdle();
    await Promise.all(closing);
  }

  /** The live sessions of every generation, for `show sess` and `shutdown session` (issue #5). */
  liveSessions(): Iterable<Session> {
    return this.sessions;
  }

  snapshot(): DataPlaneSnapshot {
    const frontends: DataPlaneSnapshot['frontends'] = {};
    for (const [name, f] of this.frontends) frontends[name] = f.counters.toJSON();
    const backends: DataPlaneSnapshot['backends'] = {};
    for (const [name, b] of this.backends) {
      const servers: DataPlaneSnapshot['backends'][string]['servers'] = {};
      for (const s of b.servers) servers[s.name] = { state: s.state, weight: s.weight, counters: s.counters.toJSON() };
      backends[name] = { counters: b.counters.toJSON(), servers };
    }
    return { connections: this.sessions.size, listeners: [...this.listeners.keys()], generation: this.generation, frontends, backends };
  }

  /** The current runtime of a backend (the health-check lib drives `server(name).setState(...)`). */
  backend(name: string): BackendRuntime | undefined {
    return this.backends.get(name);
  }

  /** The frontends and backends of the current generation, in config order (read by the admin commands in admin/). */
  runtimes(): { readonly frontends: readonly FrontendRuntime[]; readonly backends: readonly BackendRuntime[] } {
    return { frontends: [...this.frontends.values()], backends: [...this.backends.values()] };
  }

  /** Bound ports of the listeners, by key (tests bind port 0). */
  listenerAddresses(): { key: string; port: number | undefined; path: string | undefined }[] {
    return [...this.listeners.entries()].map(([key, l]) => {
      const a = l.open.server.address();
      return { key, port: typeof a === 'object' && a ? a.port : undefined, path: typeof a === 'string' ? a : undefined };
    });
  }
}

/** Port 0 asks the kernel for a new port every time: such binds are never "the same listener". */
function isEphemeral(bind: BindConfig): boolean {
  return bind.address.kind === 'inet' && bind.address.port === 0;
}

function uniqueKey(map: Map<string, unknown>, key: string): string {
  if (!map.has(key)) return key;
  let i = 2;
  while (map.has(`${key}#${i}`)) i++;
  return `${key}#${i}`;
}

/** Whether a frontend or backend serves the stats page, or a frontend has `use-service prometheus-exporter`. */
function showsStats(config: RuntimeConfig): boolean {
  return (
    config.frontends.some((f) => f.stats || f.policy?.httpRequest.some((r) => r.action === 'use-service')) ||
    config.backends.some((b) => b.stats || b.policy?.httpRequest.some((r) => r.action === 'use-service'))
  );
}
