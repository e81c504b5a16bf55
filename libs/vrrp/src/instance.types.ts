/** Types of the VRRP instance state machine (RFC 5798 §6.4 with RFC 9568 changes). Types only. */

/** Static configuration of one virtual router instance. Times are in centiseconds, as on the VRRPv3 wire. */
export interface InstanceConfig {
  readonly version: 2 | 3;
  readonly vrid: number;
  /** This router's primary address on the interface, for the equal-priority tie-break (RFC 5798 §6.4.3). */
  readonly primaryAddress: string;
  /** Advertisement_Interval (RFC 5798 §6.1); for VRRPv2 a whole number of seconds × 100. */
  readonly advertIntervalCs: number;
  /** Preempt_Mode (RFC 5798 §6.1). keepalived `nopreempt` = false. */
  readonly preempt: boolean;
  /** keepalived `preempt_delay`: how long a Backup waits before preempting a lower-priority Master. 0 = at once. */
  readonly preemptDelayMs: number;
}

export type InstanceStateName = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

interface Common {
  readonly config: InstanceConfig;
  /** Effective priority, computed by priority.ts (the only place that does). */
  readonly priority: number;
}

export interface InitState extends Common {
  readonly name: 'INIT';
}
export interface BackupState extends Common {
  readonly name: 'BACKUP';
  /** Master_Adver_Interval (RFC 5798 §6.1): learned from the Master's adverts in VRRPv3. */
  readonly masterAdverIntervalCs: number;
  /** A preempt-delay timer is running (keepalived preempt_delay). */
  readonly preemptDelayPending: boolean;
}
export interface MasterState extends Common {
  readonly name: 'MASTER';
  /**
   * Make-before-break handover in progress: the Master advertises priority 0 but keeps its VIPs (and the proxy
   * keeps serving them) until it hears the new Master or the handover timer fires; then it removes the VIPs and
   * goes to INIT (`'stop'`, a shutdown) or BACKUP (`'backup'`, `vrrp handover`). Absent: a normal Master.
   */
  readonly handover?: 'stop' | 'backup';
}
export interface FaultState extends Common {
  readonly name: 'FAULT';
}

export type InstanceState = InitState | BackupState | MasterState | FaultState;

export type InstanceEvent =
  | { readonly type: 'startup' }
  | { readonly type: 'shutdown' }
  | {
      readonly type: 'advertReceived';
      readonly priority: number;
      readonly srcIp: string;
      /** The interval the sender advertises, in centiseconds (VRRPv2: seconds × 100). */
      readonly maxAdverIntervalCs: number;
    }
  | { readonly type: 'masterDownTimerFired' }
  | { readonly type: 'advertTimerFired' }
  | { readonly type: 'preemptDelayElapsed' }
  | { readonly type: 'priorityChanged'; readonly priority: number }
  | { readonly type: 'fault' }
  | { readonly type: 'faultCleared' }
  /**
   * Make-before-break release: a Master hands over (see MasterState.handover); `then: 'stop'` is the graceful
   * shutdown (any other state shuts down at once), `then: 'backup'` the planned switchover (no-op unless Master).
   */
  | { readonly type: 'handover'; readonly then: 'stop' | 'backup' }
  /** Stops a `then: 'backup'` handover still waiting for the new Master: back to a normal Master. */
  | { readonly type: 'handoverCancel' }
  | { readonly type: 'handoverTimerFired' }
  /**
   * keepalived `vrrp_sync_group` (sync-group.ts): another member of this instance's group left MASTER, so this one
   * follows: a Master advertises priority 0, removes its VIPs and becomes Backup; other states ignore it.
   */
  | { readonly type: 'groupBackup' };

export type TimerName = 'masterDown' | 'adver' | 'preemptDelay' | 'handover';

/**
 * What io/ must do, in order. Starting a timer replaces a running timer of the same name; `cancelTimers` cancels
 * every timer of the instance.
 */
export type InstanceAction =
  | { readonly type: 'sendAdvert'; readonly priority: number }
  /** `again`: a Master re-announces after a preempt race (one immediate burst; its delayed/refresh schedule stays). */
  | { readonly type: 'sendGarp'; readonly again?: true }
  | { readonly type: 'addVips' }
  | { readonly type: 'removeVips' }
  | { readonly type: 'startMasterDownTimer'; readonly ms: number }
  | { readonly type: 'startAdverTimer'; readonly ms: number }
  | { readonly type: 'startPreemptDelayTimer'; readonly ms: number }
  | { readonly type: 'startHandoverTimer'; readonly ms: number }
  /** A handover ended: `newMaster` is the address heard, absent when the timer fired first. Informational. */
  | { readonly type: 'handoverComplete'; readonly newMaster?: string }
  | { readonly type: 'cancelTimer'; readonly timer: TimerName }
  | { readonly type: 'cancelTimers' }
  | { readonly type: 'notify'; readonly state: InstanceStateName };

export interface Transition {
  readonly next: InstanceState;
  readonly actions: readonly InstanceAction[];
}
