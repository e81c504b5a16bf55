/**
 * The daemon side of VRRP: forks the VRRP worker (vrrp-worker.ts, a child process with an IPC channel: see there
 * why not a worker_thread), sends it a heartbeat every `heartbeatMs` with the health of the backends (backend name
 * → has a server in rotation, sent when it changes), relays its log lines, answers `show vrrp` through it, and
 * stops it (priority-0 advert and VIPs removed) before the daemon exits. Imports only types from @tandem/vrrp.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@tandem/core';
import type { KeepalivedConfig } from '@tandem/config';
import type { HostToWorker, InstanceView, WorkerToHost } from './vrrp-messages.types.js';

export interface VrrpHostOptions {
  readonly config: KeepalivedConfig;
  readonly logger: Logger;
  /** Backend name → has at least one server in rotation (read from the DataPlane on every heartbeat). */
  readonly backendHealth: () => Readonly<Record<string, boolean>>;
  readonly heartbeatMs?: number;
  /** Listeners bound: the proxy can serve the VIP (sent with every heartbeat; default: always ready). */
  readonly proxyReady?: () => boolean;
  /** The worker entry point (tests may point elsewhere). */
  readonly workerUrl?: URL;
}

export class VrrpHost {
  private readonly child: ChildProcess;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly pending = new Map<number, (v: readonly InstanceView[]) => void>();
  private readonly pendingHandovers = new Map<number, (text: string) => void>();
  private nextId = 1;
  private lastHealth = '';
  private stopping: Promise<void> | undefined;
  private exited = false;
  private readonly ready: Promise<void>;
  private readonly exit: Promise<void>;

  constructor(private readonly o: VrrpHostOptions) {
    const heartbeatMs = o.heartbeatMs ?? 100;
    this.child = fork(fileURLToPath(o.workerUrl ?? new URL('./vrrp-worker.js', import.meta.url)), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exit = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.ready = new Promise<void>((resolve, reject) => {
      this.child.on('message', (m: WorkerToHost) => {
        switch (m.type) {
          case 'log':
            return o.logger.log(m.level, m.message);
          case 'ready':
            o.logger.log('notice', `VRRP: ${m.instances} instance(s) running in the VRRP worker (pid ${this.child.pid}).`);
            return resolve();
          case 'show':
            this.pending.get(m.id)?.(m.instances);
            this.pending.delete(m.id);
            return;
          case 'handover':
            this.pendingHandovers.get(m.id)?.(m.text);
            this.pendingHandovers.delete(m.id);
            return;
          case 'stopped':
            return reject(new Error('the VRRP worker could not start its instances'));
        }
      });
      this.child.on('error', (error) => {
        o.logger.log('alert', `VRRP worker failed: ${error.message}`);
        reject(error);
      });
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        if (!this.stopping) o.logger.log('alert', `VRRP worker exited unexpectedly (${signal ?? `code ${code}`}).`);
        reject(new Error('the VRRP worker exited'));
      });
    });
    this.ready.catch(() => undefined);
    this.send({ type: 'init', data: { config: o.config, heartbeatMs } });
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.beat();
  }

  /** Resolves once every instance runs; rejects when the worker cannot start them. */
  started(): Promise<void> {
    return this.ready;
  }

  private send(m: HostToWorker): void {
    if (!this.exited && this.child.connected) this.child.send(m);
  }

  private beat(): void {
    if (this.stopping) return;
    const health = this.o.backendHealth();
    const key = JSON.stringify(health);
    const proxyReady = this.o.proxyReady?.() ?? true;
    this.send(key !== this.lastHealth ? { type: 'heartbeat', backends: health, proxyReady } : { type: 'heartbeat', proxyReady });
    this.lastHealth = key;
  }

  /** The instances as the worker sees them now. */
  show(timeoutMs = 2000): Promise<readonly InstanceView[]> {
    if (this.exited) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the VRRP worker did not answer'));
      }, timeoutMs);
      this.pending.set(id, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
      this.send({ type: 'show', id });
    });
  }

  /**
   * `vrrp handover [cancel] [<instance>]`: the worker's report. A Master's handover lasts until the new Master is
   * heard, at most 3 × advert_int + skew, hence the default timeout.
   */
  handover(instance: string | undefined, cancel: boolean, timeoutMs = this.handoverBoundMs() + 2000): Promise<string> {
    if (this.exited || this.stopping) return Promise.resolve('VRRP is stopping.\n');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingHandovers.delete(id);
        reject(new Error('the VRRP worker did not answer'));
      }, timeoutMs);
      this.pendingHandovers.set(id, (text) => {
        clearTimeout(timer);
        resolve(text);
      });
      this.send({ type: 'handover', id, ...(instance ? { instance } : {}), cancel });
    });
  }

  /** The longest handover of any instance: 4 × its advert interval bounds 3 × interval + skew. */
  private handoverBoundMs(): number {
    return 4 * Math.max(1000, ...this.o.config.instances.map((i) => i.advertIntervalMs));
  }

  /**
   * Masters hand over make-before-break (priority-0 adverts, VIPs kept until the new Master is heard, at most
   * 3 × advert_int + skew), then remove their VIPs; notify scripts run; then the worker exits. The daemon awaits
   * this before it stops the proxy, so the proxy serves the VIP for as long as this node holds it.
   */
  stop(timeoutMs = this.handoverBoundMs() + 3000): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.heartbeat);
      if (this.exited) return;
      this.send({ type: 'stop', handover: true });
      await Promise.race([this.exit, new Promise((r) => setTimeout(r, timeoutMs))]);
      if (!this.exited) this.child.kill('SIGKILL'); // our own child, by its handle
    })();
    return this.stopping;
  }
}
