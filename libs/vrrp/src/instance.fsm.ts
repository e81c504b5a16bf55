/**
 * The VRRP instance state machine: RFC 5798 §6.4 (Initialize, Backup, Master) with the RFC 9568 changes, plus
 * keepalived's FAULT state, nopreempt and preempt_delay. Pure: `transition(state, event) → { next, actions }`;
 * io/ performs the actions (send advert, GARP, add/remove VIPs, timers, notify). No clocks, no sockets.
 *
 * Times: configuration and wire are in centiseconds; actions carry milliseconds (floored to whole ms).
 */
import type {
  BackupState,
  InstanceAction,
  InstanceConfig,
  InstanceEvent,
  InstanceState,
  MasterState,
  Transition,
} from './instance.types.js';
import { compareIp } from './wire/ip-address.js';
import { VRRP_PRIORITY_OWNER, VRRP_PRIORITY_RELEASE } from './wire/vrrp-constants.js';

const CS_TO_MS = 10;

/**
 * Skew_Time in ms.
 * VRRPv3, RFC 5798 §6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.
 * VRRPv2, RFC 3768 §6.1: Skew_Time = (256 - Priority) / 256 seconds (does not scale with the interval).
 */
export function skewTimeMs(version: 2 | 3, priority: number, masterAdverIntervalCs: number): number {
  const intervalMs = version === 3 ? masterAdverIntervalCs * CS_TO_MS : 1000;
  return Math.floor(((256 - priority) * intervalMs) / 256);
}

/** Master_Down_Interval in ms = 3 * Master_Adver_Interval + Skew_Time. RFC 5798 §6.1, RFC 3768 §6.1. */
export function masterDownIntervalMs(version: 2 | 3, priority: number, masterAdverIntervalCs: number): number {
  return 3 * masterAdverIntervalCs * CS_TO_MS + skewTimeMs(version, priority, masterAdverIntervalCs);
}

/**
 * The bound on a make-before-break handover, in ms: the longest a Backup can take to notice the release even if it
 * lost every priority-0 advert, i.e. its Master_Down_Interval from the last normal advert, taken for the lowest
 * priority (largest Skew_Time): 3 × Advertisement_Interval + Skew_Time(1).
 */
export function handoverWaitMs(config: InstanceConfig): number {
  return masterDownIntervalMs(config.version, 1, config.advertIntervalCs);
}

/** A new instance in Initialize with its effective priority. */
export function initialState(config: InstanceConfig, priority: number): InstanceState {
  return { name: 'INIT', config, priority };
}

const stay = (next: InstanceState, actions: InstanceAction[] = []): Transition => ({ next, actions });

function adverMs(config: InstanceConfig): number {
  return config.advertIntervalCs * CS_TO_MS;
}

/** Becoming Master: RFC 5798 §6.4.1 / §6.4.2 (send an ADVERTISEMENT, broadcast gratuitous ARP / NA, set Adver_Timer). */
function enterMaster(s: InstanceState): Transition {
  return {
    next: { name: 'MASTER', config: s.config, priority: s.priority },
    actions: [
      { type: 'cancelTimers' },
      { type: 'addVips' },
      // GARP before the advert (RFC 5798 lists the advert first): the old Master drops the VIP as soon as it hears
      // us, so clients must already be pointed here, or their packets in between hit a host without the VIP.
      { type: 'sendGarp' },
      { type: 'sendAdvert', priority: s.priority },
      { type: 'startAdverTimer', ms: adverMs(s.config) },
      { type: 'notify', state: 'MASTER' },
    ],
  };
}

/** Becoming Backup: set Master_Adver_Interval, Master_Down_Timer. RFC 5798 §6.4.1 / §6.4.3. */
function enterBackup(s: InstanceState, masterAdverIntervalCs: number): Transition {
  const fromMaster = s.name === 'MASTER';
  return {
    next: { name: 'BACKUP', config: s.config, priority: s.priority, masterAdverIntervalCs, preemptDelayPending: false },
    actions: [
      { type: 'cancelTimers' },
      ...(fromMaster ? [{ type: 'removeVips' } as const] : []),
      { type: 'startMasterDownTimer', ms: masterDownIntervalMs(s.config.version, s.priority, masterAdverIntervalCs) },
      { type: 'notify', state: 'BACKUP' },
    ],
  };
}

/**
 * keepalived's vrrp_sync_backup (vrrp_state_leave_master with advF): a Master whose sync group goes BACKUP
 * advertises priority 0 (the peer's member takes over after Skew_Time), removes its VIPs and becomes Backup.
 */
function groupBackup(s: MasterState): Transition {
  const b = enterBackup(s, s.config.advertIntervalCs);
  const [cancel, ...rest] = b.actions;
  return { next: b.next, actions: [cancel!, { type: 'sendAdvert', priority: VRRP_PRIORITY_RELEASE }, ...rest] };
}

/** RFC 5798 §6.4.1: on Startup the address owner (priority 255) becomes Master at once, any other router Backup. */
function start(s: InstanceState): Transition {
  if (s.priority === VRRP_PRIORITY_OWNER) return enterMaster(s);
  // RFC 5798 §6.4.1: Set Master_Adver_Interval to Advertisement_Interval.
  return enterBackup(s, s.config.advertIntervalCs);
}

function leave(s: InstanceState, to: 'INIT' | 'FAULT'): Transition {
  const wasMaster = s.name === 'MASTER';
  return {
    next: { name: to, config: s.config, priority: s.priority },
    actions: [
      { type: 'cancelTimers' },
      // RFC 5798 §6.4.3: on Shutdown the Master MUST send an ADVERTISEMENT with Priority = 0 (keepalived also does
      // so on entering FAULT, so the Backups take over after Skew_Time rather than Master_Down_Interval).
      ...(wasMaster ? [{ type: 'sendAdvert', priority: VRRP_PRIORITY_RELEASE } as const, { type: 'removeVips' } as const] : []),
      { type: 'notify', state: to },
    ],
  };
}

/**
 * Make-before-break: a Master that hands over advertises priority 0 (a Backup then takes over after its Skew_Time)
 * but keeps its VIPs, so requests still reaching it are served, until it hears the new Master (whose GARPs went out
 * before its first advert) or the handover timer fires.
 */
function beginHandover(s: MasterState, then: 'stop' | 'backup'): Transition {
  return stay({ ...s, handover: then }, [
    { type: 'cancelTimers' },
    { type: 'sendAdvert', priority: VRRP_PRIORITY_RELEASE },
    { type: 'startAdverTimer', ms: adverMs(s.config) },
    { type: 'startHandoverTimer', ms: handoverWaitMs(s.config) },
  ]);
}

/** The handover ends: the VIPs go, then INIT (shutdown) or BACKUP (planned switchover). */
function finishHandover(s: MasterState, newMaster: string | undefined, intervalCs: number): Transition {
  const done = { type: 'handoverComplete', ...(newMaster !== undefined ? { newMaster } : {}) } as const;
  if (s.handover === 'stop') {
    return {
      next: { name: 'INIT', config: s.config, priority: s.priority },
      actions: [{ type: 'cancelTimers' }, { type: 'removeVips' }, done, { type: 'notify', state: 'INIT' }],
    };
  }
  const b = enterBackup(s, intervalCs); // cancelTimers, removeVips, startMasterDownTimer, notify
  return { next: b.next, actions: [...b.actions.slice(0, 2), done, ...b.actions.slice(2)] };
}

function masterHandingOver(s: MasterState, event: InstanceEvent): Transition {
  switch (event.type) {
    // Keep telling the Backups (a lost priority-0 advert must not leave them on their Master_Down_Timer).
    case 'advertTimerFired':
      return stay(s, [{ type: 'sendAdvert', priority: VRRP_PRIORITY_RELEASE }, { type: 'startAdverTimer', ms: adverMs(s.config) }]);
    case 'advertReceived':
      return event.priority === VRRP_PRIORITY_RELEASE ? stay(s) : finishHandover(s, event.srcIp, learnedInterval(s.config, event.maxAdverIntervalCs));
    case 'handoverTimerFired':
      return finishHandover(s, undefined, s.config.advertIntervalCs);
    case 'handover':
      return event.then === 'stop' ? stay({ ...s, handover: 'stop' }) : stay(s);
    case 'handoverCancel':
      if (s.handover !== 'backup') return stay(s);
      return stay({ name: 'MASTER', config: s.config, priority: s.priority }, [
        { type: 'cancelTimer', timer: 'handover' },
        { type: 'sendAdvert', priority: s.priority },
        { type: 'startAdverTimer', ms: adverMs(s.config) },
      ]);
    case 'shutdown':
      return leave(s, 'INIT');
    case 'fault':
      return leave(s, 'FAULT');
    default:
      return stay(s);
  }
}

/** Sender's address compared with ours as unsigned bytes; an unparsable or other-family address counts as lower. */
function compareWithOurs(srcIp: string, config: InstanceConfig): number {
  try {
    return compareIp(srcIp, config.primaryAddress);
  } catch {
    return -1;
  }
}

/** The interval a Backup uses: VRRPv3 learns the Master's (RFC 5798 §6.4.2); VRRPv2 uses its own (RFC 3768 §6.4.2). */
function learnedInterval(config: InstanceConfig, advertisedCs: number): number {
  return config.version === 3 && advertisedCs > 0 ? advertisedCs : config.advertIntervalCs;
}

function backupOnAdvert(s: BackupState, ev: Extract<InstanceEvent, { type: 'advertReceived' }>): Transition {
  const { config } = s;
  // RFC 5798 §6.4.2: if the Priority in the ADVERTISEMENT is zero, set the Master_Down_Timer to Skew_Time.
  if (ev.priority === VRRP_PRIORITY_RELEASE) {
    return stay(s, [{ type: 'startMasterDownTimer', ms: skewTimeMs(config.version, s.priority, s.masterAdverIntervalCs) }]);
  }
  const interval = learnedInterval(config, ev.maxAdverIntervalCs);
  const resetDown = { type: 'startMasterDownTimer', ms: masterDownIntervalMs(config.version, s.priority, interval) } as const;
  // RFC 5798 §6.4.2: if Preempt_Mode is False, or the advert's Priority >= the local Priority, accept it: set
  // Master_Adver_Interval, recompute Master_Down_Interval and reset the Master_Down_Timer.
  if (!config.preempt || ev.priority >= s.priority) {
    const next: BackupState = { ...s, masterAdverIntervalCs: interval, preemptDelayPending: false };
    return stay(next, s.preemptDelayPending ? [{ type: 'cancelTimer', timer: 'preemptDelay' }, resetDown] : [resetDown]);
  }
  // A lower-priority Master and we preempt. keepalived preempt_delay: keep the Master alive (reset the timer) until
  // the delay elapses, then take over.
  if (config.preemptDelayMs > 0) {
    const next: BackupState = { ...s, masterAdverIntervalCs: interval, preemptDelayPending: true };
    if (s.preemptDelayPending) return stay(next, [resetDown]);
    return stay(next, [{ type: 'startPreemptDelayTimer', ms: config.preemptDelayMs }, resetDown]);
  }
  // RFC 5798 §6.4.2 "Else: Discard the ADVERTISEMENT" — the Master_Down_Timer will fire and we become Master.
  return stay(s);
}

function masterOnAdvert(s: InstanceState, ev: Extract<InstanceEvent, { type: 'advertReceived' }>): Transition {
  const resend: InstanceAction[] = [
    { type: 'sendAdvert', priority: s.priority },
    { type: 'startAdverTimer', ms: adverMs(s.config) },
  ];
  // RFC 5798 §6.4.3: if the Priority in the ADVERTISEMENT is zero, send an ADVERTISEMENT and reset the Adver_Timer.
  if (ev.priority === VRRP_PRIORITY_RELEASE) return stay(s, resend);
  const cmp = compareWithOurs(ev.srcIp, s.config);
  // RFC 5798 §6.4.3: if the advert's Priority is greater than the local Priority, or equal and the sender's primary
  // address is greater than ours, become Backup (cancel Adver_Timer, learn the interval, set Master_Down_Timer).
  if (ev.priority > s.priority || (ev.priority === s.priority && cmp > 0)) {
    return enterBackup(s, learnedInterval(s.config, ev.maxAdverIntervalCs));
  }
  // RFC 9568 §6.4.3: an advert of lower priority (or equal with a lower address) makes the Master send an
  // ADVERTISEMENT at once and reset the Adver_Timer, so the other router falls back to Backup quickly.
  // keepalived (vrrp_state_master_rx) also re-sends its gratuitous ARPs: the other router believed it was Master and
  // may have announced the VIP after us, so clients can point at it. GARP first, like on entering MASTER (rule 11).
  return stay(s, [{ type: 'sendGarp', again: true }, ...resend]);
}

export function transition(state: InstanceState, event: InstanceEvent): Transition {
  if (event.type === 'priorityChanged') {
    const next = { ...state, priority: event.priority };
    // A Master handing over keeps advertising priority 0.
    if (state.name === 'MASTER' && state.handover) return stay(next);
    // A Master tells the Backups at once, so a lowered priority lets a preempting Backup take over without waiting.
    if (state.name === 'MASTER' && event.priority !== state.priority) {
      return stay(next, [{ type: 'sendAdvert', priority: event.priority }, { type: 'startAdverTimer', ms: adverMs(state.config) }]);
    }
    return stay(next);
  }
  if (event.type === 'advertReceived' && compareWithOurs(event.srcIp, state.config) === 0) {
    return stay(state); // our own advert looped back
  }

  switch (state.name) {
    case 'INIT':
      if (event.type === 'startup') return start(state);
      if (event.type === 'fault') return stay({ ...state, name: 'FAULT' }, [{ type: 'notify', state: 'FAULT' }]);
      return stay(state);

    case 'FAULT':
      if (event.type === 'faultCleared') return start(state);
      if (event.type === 'shutdown' || (event.type === 'handover' && event.then === 'stop')) return leave(state, 'INIT');
      return stay(state);

    case 'BACKUP':
      switch (event.type) {
        // RFC 5798 §6.4.2: on Shutdown cancel the Master_Down_Timer and go to Initialize.
        case 'shutdown':
          return leave(state, 'INIT');
        // Nothing to hand over: a graceful stop is a shutdown, a planned switchover a no-op.
        case 'handover':
          return event.then === 'stop' ? leave(state, 'INIT') : stay(state);
        case 'fault':
          return leave(state, 'FAULT');
        // RFC 5798 §6.4.2: when the Master_Down_Timer fires, become Master.
        case 'masterDownTimerFired':
          return enterMaster(state);
        case 'preemptDelayElapsed':
          return state.preemptDelayPending ? enterMaster(state) : stay(state);
        case 'advertReceived':
          return backupOnAdvert(state, event);
        default:
          return stay(state);
      }

    case 'MASTER':
      if (state.handover) return masterHandingOver(state, event);
      switch (event.type) {
        // RFC 5798 §6.4.3: when the Adver_Timer fires, send an ADVERTISEMENT and reset the Adver_Timer.
        case 'advertTimerFired':
          return stay(state, [{ type: 'sendAdvert', priority: state.priority }, { type: 'startAdverTimer', ms: adverMs(state.config) }]);
        case 'shutdown':
          return leave(state, 'INIT');
        case 'handover':
          return beginHandover(state, event.then);
        case 'fault':
          return leave(state, 'FAULT');
        case 'advertReceived':
          return masterOnAdvert(state, event);
        case 'groupBackup':
          return groupBackup(state);
        default:
          return stay(state);
      }
  }
}
