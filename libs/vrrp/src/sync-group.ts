/**
 * keepalived's `vrrp_sync_group`: the member instances change state together. Pure: the caller (the tandemd VRRP
 * worker) describes the members and what just happened; `syncGroupDecide` says whether a member may go on and
 * what the other members must do. keepalived's semantics (vrrp_sync.c):
 *  - FAULT: a member whose own trackers fail goes FAULT and drags every other member into FAULT
 *    (vrrp_sync_fault); the group leaves FAULT only when no member has a fault of its own, then every member goes
 *    back to BACKUP (and the election runs again).
 *  - BACKUP: a member that leaves MASTER for BACKUP (it heard a better Master) makes every other Master follow
 *    (vrrp_sync_backup: priority-0 advert, VIPs removed; the FSM's `groupBackup`).
 *  - MASTER: a group is MASTER only when all its members can be (vrrp_sync_can_goto_master): a Backup whose
 *    Master_Down_Timer fires waits until every other member is MASTER or wants to be (its own timer fired and it
 *    heard no Master since); then all go MASTER together (vrrp_sync_master).
 *  - The group's state (for its notify scripts, `GROUP <name> <STATE>`): FAULT if any member is FAULT, MASTER if
 *    all are MASTER, INIT while a member is INIT (not started / stopped), else BACKUP.
 */
import type { InstanceEvent, InstanceStateName } from './instance.types.js';

export interface SyncMemberView {
  readonly name: string;
  readonly state: InstanceStateName;
  /** The member's own trackers put it in FAULT (as opposed to the group dragging it there). */
  readonly ownFault: boolean;
  /** A Backup whose Master_Down_Timer fired and which heard no Master since (InstanceRunner.wantsMaster). */
  readonly wantsMaster: boolean;
}

export type SyncTrigger =
  /** The member's FSM would go BACKUP → MASTER (Master_Down_Timer or preempt delay): may it? */
  | { readonly type: 'wantsMaster'; readonly member: string }
  /** The member's own trackers failed (it is, or will be, FAULT). */
  | { readonly type: 'ownFault'; readonly member: string }
  /** The member's own trackers recovered: may it leave FAULT? */
  | { readonly type: 'ownFaultCleared'; readonly member: string }
  /** The member changed state (after its FSM ran). */
  | { readonly type: 'stateChanged'; readonly member: string; readonly from: InstanceStateName; readonly to: InstanceStateName };

export type SyncCommand =
  /** Dispatch this event to the member's state machine (`fault`, `faultCleared`, `groupBackup`). */
  | { readonly type: 'dispatch'; readonly member: string; readonly event: InstanceEvent }
  /** Make this Backup Master now, past its gate (InstanceRunner.becomeMaster). */
  | { readonly type: 'becomeMaster'; readonly member: string };

export interface SyncDecision {
  /** For `wantsMaster` / `ownFaultCleared`: whether the member itself may go on. Always true otherwise. */
  readonly allow: boolean;
  /** What the other members must do, in order. */
  readonly commands: readonly SyncCommand[];
}

/** The group's state, derived from its members' (see the file comment). */
export function syncGroupState(members: readonly SyncMemberView[]): InstanceStateName {
  if (members.some((m) => m.state === 'FAULT' || m.ownFault)) return 'FAULT';
  if (members.some((m) => m.state === 'INIT')) return 'INIT';
  if (members.length > 0 && members.every((m) => m.state === 'MASTER')) return 'MASTER';
  return 'BACKUP';
}

/** The group state to notify (`GROUP <name> <STATE>`) after a change from `before` to `after`, or undefined. */
export function syncGroupNotify(before: InstanceStateName, after: InstanceStateName): InstanceStateName | undefined {
  return after !== before && after !== 'INIT' ? after : undefined;
}

export function syncGroupDecide(members: readonly SyncMemberView[], trigger: SyncTrigger): SyncDecision {
  const others = members.filter((m) => m.name !== trigger.member);
  switch (trigger.type) {
    case 'wantsMaster': {
      // vrrp_sync_can_goto_master: only if everyone wants to (prefer BACKUP to avoid thrashing).
      const can = others.every((m) => !m.ownFault && (m.state === 'MASTER' || (m.state === 'BACKUP' && m.wantsMaster)));
      if (!can) return { allow: false, commands: [] };
      return { allow: true, commands: others.filter((m) => m.state === 'BACKUP').map((m) => ({ type: 'becomeMaster', member: m.name })) };
    }
    case 'ownFault':
      // vrrp_sync_fault: every other member goes FAULT too.
      return { allow: true, commands: others.filter((m) => m.state !== 'FAULT').map((m) => ({ type: 'dispatch', member: m.name, event: { type: 'fault' } })) };
    case 'ownFaultCleared': {
      // Still FAULT while another member has a fault of its own; else the members the group dragged into FAULT
      // leave it with this one.
      if (others.some((m) => m.ownFault)) return { allow: false, commands: [] };
      return {
        allow: true,
        commands: others.filter((m) => m.state === 'FAULT').map((m) => ({ type: 'dispatch', member: m.name, event: { type: 'faultCleared' } })),
      };
    }
    case 'stateChanged':
      // vrrp_sync_backup: a member left MASTER for BACKUP (a better Master, or a handover): the other Masters follow.
      if (trigger.from === 'MASTER' && trigger.to === 'BACKUP') {
        return { allow: true, commands: others.filter((m) => m.state === 'MASTER').map((m) => ({ type: 'dispatch', member: m.name, event: { type: 'groupBackup' } })) };
      }
      return { allow: true, commands: [] };
  }
}
