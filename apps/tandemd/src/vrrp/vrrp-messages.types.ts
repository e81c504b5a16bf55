/** Messages between the daemon (VrrpHost) and the VRRP worker process (vrrp-worker.ts), over IPC. Types only. */
import type { KeepalivedConfig } from '@tandem/config';

export interface VrrpWorkerData {
  readonly config: KeepalivedConfig;
  /** The heartbeat period of the main thread; the worker calls the data plane stalled after 3 missed beats. */
  readonly heartbeatMs: number;
  /**
   * Start gate: an instance does not start (nor leave FAULT) until the proxy is ready (listeners bound, tracked
   * `tandem:backend-healthy` backends healthy), for at most this long. Default 10 000 ms.
   */
  readonly startHoldMs?: number;
}

export type HostToWorker =
  | { readonly type: 'init'; readonly data: VrrpWorkerData }
  /** Sent every heartbeatMs; `backends` (backend name → has a server in rotation) only when it changed. */
  | { readonly type: 'heartbeat'; readonly backends?: Readonly<Record<string, boolean>>; readonly proxyReady?: boolean }
  | { readonly type: 'show'; readonly id: number }
  /** `handover`: Masters hand over make-before-break before exiting (default true; false = release at once). */
  | { readonly type: 'stop'; readonly handover?: boolean }
  /** `vrrp handover [cancel] [<instance>]`; answered by a `handover` message with the same id. */
  | { readonly type: 'handover'; readonly id: number; readonly instance?: string; readonly cancel: boolean };

export interface TrackerView {
  readonly name: string;
  readonly kind: 'script' | 'tracker' | 'interface';
  readonly weight: number;
  readonly ok: boolean;
}

export interface InstanceView {
  readonly name: string;
  readonly interface: string;
  readonly vrid: number;
  readonly state: string;
  readonly basePriority: number;
  readonly effectivePriority: number;
  readonly fault: boolean;
  /** `vrrp handover` holds the priority at 1 until `vrrp handover cancel` or a restart. */
  readonly handedOver?: boolean;
  /** The Master's address: our own when MASTER, the source of the last accepted advert when BACKUP. */
  readonly masterIp: string;
  readonly vips: readonly string[];
  readonly trackers: readonly TrackerView[];
  readonly counters: Readonly<Record<string, number>>;
}

export type WorkerToHost =
  | { readonly type: 'log'; readonly level: 'alert' | 'err' | 'warning' | 'notice' | 'info' | 'debug'; readonly message: string }
  | { readonly type: 'ready'; readonly instances: number }
  | { readonly type: 'show'; readonly id: number; readonly instances: readonly InstanceView[] }
  | { readonly type: 'handover'; readonly id: number; readonly text: string }
  | { readonly type: 'stopped' };
