/**
 * Effective VRRP priority: the ONE place it is computed (ARCHITECTURE rule 8; keepalived `vrrp_track.c`).
 *
 * keepalived semantics, for every tracked object (script, interface, or a built-in tracker):
 *  - weight > 0: the weight is added while the object is OK;
 *  - weight < 0: the weight is added (i.e. subtracted) while the object is failed;
 *  - weight 0:   a failed object puts the instance in FAULT and adds nothing;
 *  - reverse:    keepalived's `reverse` flips OK and failed before the rules above.
 * The sum is clamped to 1..254 (RFC 5798 §5.2.4: 255 is the address owner, 0 means "release"). An address owner
 * (base 255) keeps 255: weights do not apply to it, only faults do.
 *
 * `handedOver` (after `vrrp handover`): priority 1, the lowest, whatever the base and weights, so the node does not
 * preempt the Master it handed over to, yet still takes over if that Master (and every other peer) goes silent.
 */
import {
  VRRP_PRIORITY_BACKUP_MAX,
  VRRP_PRIORITY_BACKUP_MIN,
  VRRP_PRIORITY_OWNER,
} from './wire/vrrp-constants.js';

export type TrackedKind = 'script' | 'interface' | 'tracker';

export interface TrackedObject {
  readonly kind: TrackedKind;
  readonly name: string;
  /** keepalived allows -253..253. */
  readonly weight: number;
  readonly ok: boolean;
  readonly reverse?: boolean;
}

export interface EffectivePriority {
  /** The priority to advertise and to compare with. */
  readonly priority: number;
  /** A weight-0 object failed: the instance must be in FAULT. */
  readonly fault: boolean;
  /** Names of the weight-0 objects that are failed, as `kind:name`. */
  readonly faultedBy: readonly string[];
  /** The signed sum of weights that applied (before clamping). */
  readonly adjustment: number;
}

export function effectivePriority(base: number, tracked: readonly TrackedObject[], options: { readonly handedOver?: boolean } = {}): EffectivePriority {
  let adjustment = 0;
  const faultedBy: string[] = [];
  for (const t of tracked) {
    const ok = t.reverse ? !t.ok : t.ok;
    if (t.weight === 0) {
      if (!ok) faultedBy.push(`${t.kind}:${t.name}`);
    } else if (t.weight > 0 ? ok : !ok) {
      adjustment += t.weight;
    }
  }
  const priority = options.handedOver
    ? VRRP_PRIORITY_BACKUP_MIN
    : base === VRRP_PRIORITY_OWNER
      ? VRRP_PRIORITY_OWNER
      : Math.min(VRRP_PRIORITY_BACKUP_MAX, Math.max(VRRP_PRIORITY_BACKUP_MIN, base + adjustment));
  return { priority, fault: faultedBy.length > 0, faultedBy, adjustment };
}
