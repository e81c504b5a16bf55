/**
 * Runs one VRRP instance: feeds events to the pure state machine (instance.fsm.ts) and performs its actions
 * through ports (ARCHITECTURE rules 7 and 13): adverts through a VrrpTransport, VIPs through a VipPort, gratuitous
 * ARP through a GarpPort, timers on the Clock. No sockets, processes or real time here, so the unit specs drive it
 * with a ManualClock and fakes.
 *
 * Ordering: actions that touch the outside world run one after another on a queue, in the order the FSM listed
 * them (add VIPs, then advertise, then GARP); timers are started synchronously. A failed action is reported as an
 * `error` event and does not stop the queue.
 */
import type { Clock, TimerHandle } from '@tandem/core';
import { initialState, transition } from './instance.fsm.js';
import type { InstanceAction, InstanceConfig, InstanceEvent, InstanceState, InstanceStateName, TimerName } from './instance.types.js';
import type { VrrpAdvertisement } from './wire/advertisement.types.js';
import type { GarpPort, ReceivedAdvert, VipPort, VirtualIp, VrrpTransport } from './vrrp-transport.types.js';

export interface InstanceRunnerOptions {
  readonly name: string;
  readonly config: InstanceConfig;
  /** Effective priority at start (priority.ts computes it). */
  readonly priority: number;
  readonly vips: readonly VirtualIp[];
  /** VRRPv2 authentication: type (0 none, 1 PASS) and the 8 data octets. */
  readonly auth?: { readonly type: number; readonly data: Uint8Array };
  readonly transport: VrrpTransport;
  readonly vipPort: VipPort;
  readonly garp: GarpPort;
  readonly clock: Clock;
  /** Gratuitous ARP bursts on becoming Master (keepalived `garp_master_*`); default: one GARP per VIP, once. */
  readonly garpSchedule?: GarpSchedule;
}

/**
 * keepalived's gratuitous ARP schedule for a new Master: `repeat` GARPs per VIP at once (`vrrp_garp_interval`
 * apart), the same again `delayMs` later (`garp_master_delay`, 0 = no second burst), then `refreshRepeat` every
 * `refreshMs` while Master (`garp_master_refresh`, 0 = none). Leaving MASTER cancels what is pending.
 */
export interface GarpSchedule {
  readonly repeat: number;
  readonly delayMs: number;
  readonly refreshMs: number;
  readonly refreshRepeat: number;
  readonly intervalMs: number;
}

export const SINGLE_GARP: GarpSchedule = { repeat: 1, delayMs: 0, refreshMs: 0, refreshRepeat: 1, intervalMs: 0 };

export type RunnerEvent =
  | { readonly type: 'state'; readonly from: InstanceStateName; readonly to: InstanceStateName; readonly at: number }
  | { readonly type: 'action'; readonly action: InstanceAction; readonly at: number }
  | { readonly type: 'error'; readonly action: InstanceAction['type']; readonly error: string; readonly at: number };

const TIMER_EVENT: Record<TimerName, InstanceEvent> = {
  masterDown: { type: 'masterDownTimerFired' },
  adver: { type: 'advertTimerFired' },
  preemptDelay: { type: 'preemptDelayElapsed' },
};

/** The advert an instance sends (VRRPv2: seconds and auth; VRRPv3: centiseconds). Pure. */
export function buildAdvert(o: Pick<InstanceRunnerOptions, 'config' | 'vips' | 'auth'>, priority: number): VrrpAdvertisement {
  const addresses = o.vips.map((v) => v.address);
  if (o.config.version === 2) {
    return {
      version: 2,
      vrid: o.config.vrid,
      priority,
      addresses,
      advertIntervalSec: Math.max(1, Math.round(o.config.advertIntervalCs / 100)),
      authType: o.auth?.type ?? 0,
      ...(o.auth ? { authData: o.auth.data } : {}),
    };
  }
  return { version: 3, family: 4, vrid: o.config.vrid, priority, addresses, maxAdvertIntervalCs: o.config.advertIntervalCs };
}

/** A received advert as the state machine's event. */
export function advertEvent(r: ReceivedAdvert): InstanceEvent {
  const a = r.advert;
  return {
    type: 'advertReceived',
    priority: a.priority,
    srcIp: r.src,
    maxAdverIntervalCs: a.version === 2 ? a.advertIntervalSec * 100 : a.maxAdvertIntervalCs,
  };
}

export class InstanceRunner {
  private current: InstanceState;
  private readonly timers = new Map<TimerName, TimerHandle>();
  private readonly listeners = new Set<(e: RunnerEvent) => void>();
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  /** The delayed and refresh GARP timers of the current MASTER period. */
  private readonly garpTimers = new Set<TimerHandle>();
  private readonly schedule: GarpSchedule;

  constructor(private readonly o: InstanceRunnerOptions) {
    this.current = initialState(o.config, o.priority);
    this.schedule = o.garpSchedule ?? SINGLE_GARP;
  }

  get state(): InstanceStateName {
    return this.current.name;
  }

  get priority(): number {
    return this.current.priority;
  }

  /** Subscribes to state changes, performed actions and action errors; returns the unsubscribe function. */
  onEvent(listener: (e: RunnerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens for adverts and sends Startup to the state machine. */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.o.transport.onAdvert((r) => this.dispatch(advertEvent(r)));
    this.dispatch({ type: 'startup' });
  }

  /** Sends Shutdown (a Master advertises priority 0 and removes its VIPs) and waits for the io to finish. */
  async stop(): Promise<void> {
    this.dispatch({ type: 'shutdown' });
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelAll();
    this.cancelGarps();
    await this.idle();
  }

  /** Resolves once every queued io action has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  dispatch(event: InstanceEvent): void {
    const from = this.current.name;
    const { next, actions } = transition(this.current, event);
    this.current = next;
    if (next.name !== from) {
      if (from === 'MASTER') this.cancelGarps();
      this.emit({ type: 'state', from, to: next.name, at: this.o.clock.now() });
    }
    for (const action of actions) this.perform(action);
  }

  private perform(action: InstanceAction): void {
    this.emit({ type: 'action', action, at: this.o.clock.now() });
    switch (action.type) {
      case 'startMasterDownTimer':
        return this.startTimer('masterDown', action.ms);
      case 'startAdverTimer':
        return this.startTimer('adver', action.ms);
      case 'startPreemptDelayTimer':
        return this.startTimer('preemptDelay', action.ms);
      case 'cancelTimer':
        this.timers.get(action.timer)?.cancel();
        this.timers.delete(action.timer);
        return;
      case 'cancelTimers':
        return this.cancelAll();
      case 'sendAdvert':
        return this.enqueue(action, () => this.o.transport.send(buildAdvert(this.o, action.priority)));
      case 'addVips':
        return this.enqueue(action, () => this.o.vipPort.add(this.o.vips));
      case 'removeVips':
        return this.enqueue(action, () => this.o.vipPort.remove(this.o.vips));
      case 'sendGarp':
        this.enqueue(action, () => this.garpBurst(this.schedule.repeat));
        return this.scheduleGarps(action);
      case 'notify':
        return; // the state event above is the notification; notify scripts are a later step
    }
  }

  /** `count` rounds of one GARP per VIP; with no interval the rounds go out together. */
  private async garpBurst(count: number): Promise<void> {
    const { intervalMs } = this.schedule;
    if (intervalMs <= 0) {
      await Promise.all(Array.from({ length: count }, () => this.o.vips.map((vip) => this.o.garp.announce(vip))).flat());
      return;
    }
    for (let i = 0; i < count; i++) {
      if (i > 0) await new Promise<void>((r) => this.o.clock.setTimeout(r, intervalMs));
      for (const vip of this.o.vips) await this.o.garp.announce(vip);
    }
  }

  /** The second burst after `delayMs` and the periodic refresh, while this MASTER period lasts. */
  private scheduleGarps(action: InstanceAction): void {
    this.cancelGarps();
    const { delayMs, refreshMs, refreshRepeat, repeat } = this.schedule;
    const later = (ms: number, count: number, again: boolean): void => {
      const handle = this.o.clock.setTimeout(() => {
        this.garpTimers.delete(handle);
        if (this.current.name !== 'MASTER') return;
        this.enqueue(action, () => this.garpBurst(count));
        if (again) later(ms, count, true);
      }, ms);
      this.garpTimers.add(handle);
    };
    if (delayMs > 0) later(delayMs, repeat, false);
    if (refreshMs > 0) later(refreshMs, refreshRepeat, true);
  }

  private cancelGarps(): void {
    for (const t of this.garpTimers) t.cancel();
    this.garpTimers.clear();
  }

  private startTimer(name: TimerName, ms: number): void {
    this.timers.get(name)?.cancel();
    const handle = this.o.clock.setTimeout(() => {
      if (this.timers.get(name) !== handle) return;
      this.timers.delete(name);
      this.dispatch(TIMER_EVENT[name]);
    }, ms);
    this.timers.set(name, handle);
  }

  private cancelAll(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private enqueue(action: InstanceAction, fn: () => Promise<void>): void {
    this.queue = this.queue.then(fn).catch((error: unknown) => {
      this.emit({ type: 'error', action: action.type, error: error instanceof Error ? error.message : String(error), at: this.o.clock.now() });
    });
  }

  private emit(e: RunnerEvent): void {
    for (const l of this.listeners) l(e);
  }
}
