/**
 * Runs one VRRP instance: feeds events to the pure state machine (instance.fsm.ts) and performs its actions
 * through ports (ARCHITECTURE rules 7 and 13): adverts through a VrrpTransport, VIPs through a VipPort, gratuitous
 * ARP through a GarpPort, timers on the Clock. No sockets, processes or real time here, so the unit specs drive it
 * with a ManualClock and fakes.
 *
 * Ordering: actions that touch the outside world run one after another on a queue, in the order the FSM listed
 * them (add VIPs, then GARP, then advertise); timers are started synchronously. A failed action is reported as an
 * `error` event and does not stop the queue.
 */
import type { Clock, TimerHandle } from '@tandem/core';
import { initialState, masterDownIntervalMs, transition } from './instance.fsm.js';
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
  /**
   * keepalived `vrrp_sync_group`: asked before this Backup becomes Master (its Master_Down_Timer or preempt delay
   * fired). `false` defers it: the runner stays BACKUP, `wantsMaster` stays true and the Master_Down_Timer is re-armed
   * (keepalived's vrrp_sync_can_goto_master); the group later calls `becomeMaster()` when every member can.
   * Absent: no group, always allowed.
   */
  readonly masterGate?: () => boolean;
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
  | { readonly type: 'error'; readonly action: InstanceAction['type']; readonly error: string; readonly at: number }
  /** The sync group held this Backup back from MASTER (masterGate said no); it waits for the other members. */
  | { readonly type: 'masterDeferred'; readonly at: number };

const TIMER_EVENT: Record<TimerName, InstanceEvent> = {
  masterDown: { type: 'masterDownTimerFired' },
  adver: { type: 'advertTimerFired' },
  preemptDelay: { type: 'preemptDelayElapsed' },
  handover: { type: 'handoverTimerFired' },
};

/** How a planned switchover (`InstanceRunner.handover`) ended. */
export interface HandoverResult {
  /** handedOver: the new Master was heard; timeout: none within the bound (VIPs released anyway); notMaster:
   * nothing to hand over; cancelled: `cancelHandover` or a shutdown/fault ended it first. */
  readonly outcome: 'handedOver' | 'timeout' | 'notMaster' | 'cancelled';
  readonly newMaster?: string;
  /** From the request to the VIPs' removal. */
  readonly ms: number;
}

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
  // An instance carries one address family (the config checks it): IPv6 VIPs make it a VRRPv3-over-IPv6 router.
  const family = addresses.some((x) => x.includes(':')) ? 6 : 4;
  return { version: 3, family, vrid: o.config.vrid, priority, addresses, maxAdvertIntervalCs: o.config.advertIntervalCs };
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
  /** Counts MASTER periods: a GARP queued or scheduled in one never goes out in a later state (see garpBurst). */
  private masterPeriod = 0;
  /** A Backup whose Master_Down_Timer fired but whose sync group held it back (see `masterGate`). */
  private wants = false;

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

  /** Sync groups: this Backup would be Master but its group holds it back (it heard no Master since). */
  get wantsMaster(): boolean {
    return this.wants && this.current.name === 'BACKUP';
  }

  /** Sync groups: a Backup becomes Master now, without asking `masterGate` (the group decided). */
  becomeMaster(): void {
    if (this.current.name === 'BACKUP') this.dispatch({ type: 'masterDownTimerFired' }, true);
  }

  /** True while a Master hands over (advertising priority 0, VIPs still up). */
  get handingOver(): boolean {
    return this.current.name === 'MASTER' && this.current.handover !== undefined;
  }

  /**
   * Sends Shutdown (a Master advertises priority 0 and removes its VIPs) and waits for the io to finish. With
   * `handover`, a Master first hands over make-before-break: it keeps its VIPs until the new Master is heard or the
   * state machine's handover timer fires (3 × advert interval + skew), then removes them.
   */
  async stop(options: { readonly handover?: boolean } = {}): Promise<void> {
    if (options.handover && this.unsubscribe) {
      const left = this.untilNotMaster();
      this.dispatch({ type: 'handover', then: 'stop' });
      await left;
    }
    this.dispatch({ type: 'shutdown' });
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelAll();
    this.cancelGarps();
    await this.idle();
  }

  /**
   * Planned switchover: a Master advertises priority 0, keeps its VIPs until the new Master is heard (or the
   * handover timer fires), then removes them and stays BACKUP. Resolves when that is done, VIPs removed.
   */
  async handover(): Promise<HandoverResult> {
    const t0 = this.o.clock.now();
    if (this.current.name !== 'MASTER') return { outcome: 'notMaster', ms: 0 };
    let newMaster: string | undefined;
    let completed = false;
    let cancelled = false;
    const off = this.onEvent((e) => {
      if (e.type !== 'action') return;
      if (e.action.type === 'handoverComplete') (completed = true), (newMaster = e.action.newMaster);
      if (e.action.type === 'cancelTimer' && e.action.timer === 'handover') cancelled = true;
    });
    const ended = new Promise<void>((resolve) => {
      const check = this.onEvent((e) => {
        if ((e.type === 'state' && e.from === 'MASTER') || cancelled) (check(), resolve());
      });
    });
    this.dispatch({ type: 'handover', then: 'backup' });
    await ended;
    off();
    await this.idle();
    const ms = Math.round(this.o.clock.now() - t0);
    if (!completed) return { outcome: 'cancelled', ms };
    return newMaster !== undefined ? { outcome: 'handedOver', newMaster, ms } : { outcome: 'timeout', ms };
  }

  /** Ends a planned switchover still waiting for the new Master (the Master advertises its priority again). */
  cancelHandover(): void {
    this.dispatch({ type: 'handoverCancel' });
  }

  private untilNotMaster(): Promise<void> {
    if (this.current.name !== 'MASTER') return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onEvent((e) => {
        if (e.type === 'state' && e.from === 'MASTER') (off(), resolve());
      });
    });
  }

  /** Resolves once every queued io action has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  dispatch(event: InstanceEvent, ungated = false): void {
    const from = this.current.name;
    const { next, actions } = transition(this.current, event);
    if (from === 'BACKUP' && next.name === 'MASTER' && this.o.masterGate && !ungated) {
      this.wants = true;
      if (!this.o.masterGate()) {
        // keepalived re-arms ms_down_timer and waits for the other members; an advert heard meanwhile clears `wants`.
        const s = this.current;
        if (s.name === 'BACKUP') this.startTimer('masterDown', masterDownIntervalMs(s.config.version, s.priority, s.masterAdverIntervalCs));
        this.emit({ type: 'masterDeferred', at: this.o.clock.now() });
        return;
      }
      if (this.current.name !== 'BACKUP') return; // the gate's own commands moved us (cannot happen for a sane group)
    }
    // A Backup that (re)starts its Master_Down_Timer heard a Master (or a release): it no longer waits to be Master.
    if (next.name !== 'BACKUP' || actions.some((a) => a.type === 'startMasterDownTimer')) this.wants = false;
    const wasHandingOver = this.current.name === 'MASTER' && this.current.handover !== undefined;
    this.current = next;
    if (next.name !== from) {
      if (from === 'MASTER' || next.name === 'MASTER') this.masterPeriod++;
      if (from === 'MASTER') this.cancelGarps();
      this.emit({ type: 'state', from, to: next.name, at: this.o.clock.now() });
    } else if (next.name === 'MASTER') {
      const handingOver = next.handover !== undefined;
      // A Master handing over keeps its VIPs but must stop claiming them: a delayed or refresh GARP of its MASTER
      // period going out after the new Master's GARP re-points the clients at us just before we drop the VIPs,
      // and they stay there until the new Master's next burst (the vrrp-pair handover flake: 210 of 249 probes
      // failed for ~5 s). A new period drops what is queued; a cancelled handover claims the VIPs again.
      if (handingOver && !wasHandingOver) {
        this.masterPeriod++;
        this.cancelGarps();
      } else if (!handingOver && wasHandingOver) {
        this.masterPeriod++;
        this.perform({ type: 'sendGarp' });
      }
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
      case 'startHandoverTimer':
        return this.startTimer('handover', action.ms);
      case 'handoverComplete':
        return; // reported by the action event above
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
      case 'sendGarp': {
        const period = this.masterPeriod;
        this.enqueue(action, () => this.garpBurst(this.schedule.repeat, period));
        // A re-announcement (preempt race) keeps the delayed/refresh schedule of this MASTER period.
        return action.again ? undefined : this.scheduleGarps(action);
      }
      case 'notify':
        return; // the state event above is the notification; notify scripts are a later step
    }
  }

  /**
   * `count` rounds of one GARP per VIP. The first round is awaited (the queue's next action, the advert, follows
   * it); further rounds go out together, or `intervalMs` apart beside the queue, so adverts are never held up.
   *
   * Each round runs only while the MASTER period it was queued in lasts (`period`), checked when the round is about
   * to go out, not when it was queued: a delayed burst (garp_master_delay) that fired just before we heard a higher
   * priority Master used to run after the state change, re-pointing clients at us just after the new Master's
   * GARPs, while we removed the VIP. That was the drill's intermittent v3 "link down" failback error (140/191): lb2's
   * 5 s burst coincides with lb1's failback at ~4.4 s + 0.4 s, and the client stayed on lb2's MAC.
   */
  private async garpBurst(count: number, period: number): Promise<void> {
    const live = (): boolean => this.masterPeriod === period && this.current.name === 'MASTER';
    const round = (): Promise<unknown> => (live() ? Promise.all(this.o.vips.map((vip) => this.o.garp.announce(vip))) : Promise.resolve());
    const { intervalMs } = this.schedule;
    if (intervalMs <= 0) {
      await Promise.all(Array.from({ length: count }, round));
      return;
    }
    await round();
    if (count <= 1) return;
    void (async () => {
      for (let i = 1; i < count; i++) {
        await new Promise<void>((r) => this.o.clock.setTimeout(r, intervalMs));
        if (!live()) return;
        await round();
      }
    })().catch((error: unknown) => {
      this.emit({ type: 'error', action: 'sendGarp', error: error instanceof Error ? error.message : String(error), at: this.o.clock.now() });
    });
  }

  /** The second burst after `delayMs` and the periodic refresh, while this MASTER period lasts. */
  private scheduleGarps(action: InstanceAction): void {
    this.cancelGarps();
    const { delayMs, refreshMs, refreshRepeat, repeat } = this.schedule;
    const later = (ms: number, count: number, again: boolean): void => {
      const handle = this.o.clock.setTimeout(() => {
        this.garpTimers.delete(handle);
        if (this.current.name !== 'MASTER') return;
        const period = this.masterPeriod;
        this.enqueue(action, () => this.garpBurst(count, period));
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
