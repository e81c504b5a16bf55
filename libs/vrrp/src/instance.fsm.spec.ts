import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, masterDownIntervalMs, skewTimeMs, transition } from './instance.fsm.js';
import type { InstanceAction, InstanceConfig, InstanceEvent, InstanceState } from './instance.types.js';

// lb1 of the keepalived lab: VRRPv3, VRID 51, 198.18.0.11, advert_int 1 s, preempt, priority 110.
const v3: InstanceConfig = { version: 3, vrid: 51, primaryAddress: '198.18.0.11', advertIntervalCs: 100, preempt: true, preemptDelayMs: 0 };
const v2: InstanceConfig = { ...v3, version: 2 };
const noPreempt: InstanceConfig = { ...v3, preempt: false };
const delayed: InstanceConfig = { ...v3, preemptDelayMs: 5000 };

const init = (c = v3, p = 110): InstanceState => initialState(c, p);
const backup = (c = v3, p = 110, masterAdverIntervalCs = 100, preemptDelayPending = false): InstanceState =>
  ({ name: 'BACKUP', config: c, priority: p, masterAdverIntervalCs, preemptDelayPending });
const master = (c = v3, p = 110): InstanceState => ({ name: 'MASTER', config: c, priority: p });
const releasing = (then: 'stop' | 'backup', c = v3, p = 110): InstanceState => ({ name: 'MASTER', config: c, priority: p, handover: then });
const fault = (c = v3, p = 110): InstanceState => ({ name: 'FAULT', config: c, priority: p });
const advert = (priority: number, srcIp = '198.18.0.12', maxAdverIntervalCs = 100): InstanceEvent =>
  ({ type: 'advertReceived', priority, srcIp, maxAdverIntervalCs });

test('timers: skew and master-down, VRRPv3 scales skew with the interval, VRRPv2 does not', () => {
  // v3, prio 110, 100 cs: skew = 146 * 1000 ms / 256 = 570.3 -> 570; down = 3000 + 570
  assert.equal(skewTimeMs(3, 110, 100), 570);
  assert.equal(masterDownIntervalMs(3, 110, 100), 3570);
  // v3, 300 cs: skew = 146 * 3000 / 256 = 1710.9 -> 1710; down = 9000 + 1710
  assert.equal(masterDownIntervalMs(3, 110, 300), 10710);
  // v2, 3 s: skew = 146 / 256 s = 570 ms regardless of the interval; down = 9000 + 570
  assert.equal(masterDownIntervalMs(2, 110, 300), 9570);
  // v3, learned 10 cs from keepalived's advert_int 0.1: skew = 146 * 100 / 256 = 57; down = 300 + 57
  assert.equal(masterDownIntervalMs(3, 110, 10), 357);
  assert.equal(skewTimeMs(3, 254, 100), 7);
});

const MASTER_ENTRY = (p: number): InstanceAction[] => [
  { type: 'cancelTimers' },
  { type: 'addVips' },
  { type: 'sendGarp' },
  { type: 'sendAdvert', priority: p },
  { type: 'startAdverTimer', ms: 1000 },
  { type: 'notify', state: 'MASTER' },
];

type Row = [name: string, from: InstanceState, event: InstanceEvent, next: InstanceState, actions: InstanceAction[]];

const rows: Row[] = [
  // ---- INIT (RFC 5798 §6.4.1)
  ['INIT startup, prio 110 -> BACKUP with Master_Down_Timer', init(), { type: 'startup' }, backup(),
    [{ type: 'cancelTimers' }, { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],
  ['INIT startup, owner prio 255 -> MASTER at once', init(v3, 255), { type: 'startup' }, master(v3, 255), MASTER_ENTRY(255)],
  ['INIT fault -> FAULT', init(), { type: 'fault' }, fault(), [{ type: 'notify', state: 'FAULT' }]],
  ['INIT advert is ignored', init(), advert(120), init(), []],
  ['INIT priorityChanged only updates the priority', init(), { type: 'priorityChanged', priority: 90 }, init(v3, 90), []],

  // ---- BACKUP (RFC 5798 §6.4.2)
  ['BACKUP master down -> MASTER', backup(), { type: 'masterDownTimerFired' }, master(), MASTER_ENTRY(110)],
  ['BACKUP higher advert resets Master_Down_Timer', backup(), advert(120), backup(), [{ type: 'startMasterDownTimer', ms: 3570 }]],
  ['BACKUP equal advert is accepted', backup(), advert(110), backup(), [{ type: 'startMasterDownTimer', ms: 3570 }]],
  ['BACKUP v3 learns the Master interval (10 cs)', backup(), advert(120, '198.18.0.12', 10), backup(v3, 110, 10),
    [{ type: 'startMasterDownTimer', ms: 357 }]],
  ['BACKUP v2 keeps its own interval', backup(v2), advert(120, '198.18.0.12', 10), backup(v2), [{ type: 'startMasterDownTimer', ms: 3570 }]],
  ['BACKUP priority 0 advert -> Master_Down_Timer = Skew_Time', backup(), advert(0), backup(), [{ type: 'startMasterDownTimer', ms: 570 }]],
  ['BACKUP priority 0 with learned 10 cs -> skew 57', backup(v3, 110, 10), advert(0), backup(v3, 110, 10), [{ type: 'startMasterDownTimer', ms: 57 }]],
  ['BACKUP preempt, lower advert is discarded', backup(), advert(90), backup(), []],
  ['BACKUP nopreempt, lower advert resets the timer', backup(noPreempt), advert(90), backup(noPreempt), [{ type: 'startMasterDownTimer', ms: 3570 }]],
  ['BACKUP preempt_delay, first lower advert starts the delay', backup(delayed), advert(90), backup(delayed, 110, 100, true),
    [{ type: 'startPreemptDelayTimer', ms: 5000 }, { type: 'startMasterDownTimer', ms: 3570 }]],
  ['BACKUP preempt_delay pending, lower advert keeps the Master alive', backup(delayed, 110, 100, true), advert(90), backup(delayed, 110, 100, true),
    [{ type: 'startMasterDownTimer', ms: 3570 }]],
  ['BACKUP preempt_delay pending, higher advert cancels it', backup(delayed, 110, 100, true), advert(120), backup(delayed),
    [{ type: 'cancelTimer', timer: 'preemptDelay' }, { type: 'startMasterDownTimer', ms: 3570 }]],
  ['BACKUP preempt delay elapsed -> MASTER', backup(delayed, 110, 100, true), { type: 'preemptDelayElapsed' }, master(delayed), [
    { type: 'cancelTimers' }, { type: 'addVips' }, { type: 'sendGarp' }, { type: 'sendAdvert', priority: 110 },
    { type: 'startAdverTimer', ms: 1000 }, { type: 'notify', state: 'MASTER' }]],
  ['BACKUP stale preempt delay is ignored', backup(delayed), { type: 'preemptDelayElapsed' }, backup(delayed), []],
  ['BACKUP shutdown -> INIT', backup(), { type: 'shutdown' }, init(), [{ type: 'cancelTimers' }, { type: 'notify', state: 'INIT' }]],
  ['BACKUP fault -> FAULT', backup(), { type: 'fault' }, fault(), [{ type: 'cancelTimers' }, { type: 'notify', state: 'FAULT' }]],
  ['BACKUP stray advert timer is ignored', backup(), { type: 'advertTimerFired' }, backup(), []],
  ['BACKUP own advert looped back is ignored', backup(), advert(120, '198.18.0.11'), backup(), []],

  // ---- MASTER (RFC 5798 §6.4.3, RFC 9568)
  ['MASTER advert timer -> send and re-arm', master(), { type: 'advertTimerFired' }, master(),
    [{ type: 'sendAdvert', priority: 110 }, { type: 'startAdverTimer', ms: 1000 }]],
  ['MASTER higher advert -> BACKUP (keepalived log §9), learns 10 cs', master(), advert(120, '198.18.0.10', 10), backup(v3, 110, 10),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'startMasterDownTimer', ms: 357 }, { type: 'notify', state: 'BACKUP' }]],
  ['MASTER equal priority, higher sender address -> BACKUP', master(), advert(110, '198.18.0.12'), backup(),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],
  ['MASTER equal priority, lower sender address -> stays, re-GARPs and answers at once', master(), advert(110, '198.18.0.10'), master(),
    [{ type: 'sendGarp', again: true }, { type: 'sendAdvert', priority: 110 }, { type: 'startAdverTimer', ms: 1000 }]],
  ['MASTER address compare is unsigned bytes (.200 > .11)', master(), advert(110, '198.18.0.200'), backup(),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],
  ['MASTER lower advert -> RFC 9568 sends an advert at once, GARPs again first (keepalived)', master(), advert(90), master(),
    [{ type: 'sendGarp', again: true }, { type: 'sendAdvert', priority: 110 }, { type: 'startAdverTimer', ms: 1000 }]],
  ['MASTER priority 0 advert -> send and re-arm', master(), advert(0), master(),
    [{ type: 'sendAdvert', priority: 110 }, { type: 'startAdverTimer', ms: 1000 }]],
  ['MASTER shutdown -> priority 0 advert, VIPs removed, INIT', master(), { type: 'shutdown' }, init(),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'removeVips' }, { type: 'notify', state: 'INIT' }]],
  // ---- sync groups (keepalived vrrp_sync_backup): another member left MASTER
  ['MASTER groupBackup -> priority 0 advert, VIPs removed, BACKUP', master(), { type: 'groupBackup' }, backup(),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'removeVips' }, { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],
  ['BACKUP groupBackup is a no-op', backup(), { type: 'groupBackup' }, backup(), []],
  ['FAULT groupBackup is a no-op', fault(), { type: 'groupBackup' }, fault(), []],
  ['releasing MASTER ignores groupBackup (the handover finishes)', releasing('backup'), { type: 'groupBackup' }, releasing('backup'), []],
  ['MASTER fault -> priority 0 advert, VIPs removed, FAULT', master(), { type: 'fault' }, fault(),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'removeVips' }, { type: 'notify', state: 'FAULT' }]],
  ['MASTER priority lowered (track script, capture §2) -> advertises 90 at once', master(), { type: 'priorityChanged', priority: 90 }, master(v3, 90),
    [{ type: 'sendAdvert', priority: 90 }, { type: 'startAdverTimer', ms: 1000 }]],
  ['MASTER stray master-down timer is ignored', master(), { type: 'masterDownTimerFired' }, master(), []],
  ['MASTER v2 higher advert -> BACKUP with its own interval', master(v2), advert(120, '198.18.0.10', 10), backup(v2),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],

  // ---- MASTER, make-before-break handover (graceful stop, `vrrp handover`)
  ['MASTER handover(stop) -> priority 0, VIPs kept, bound 3 x 1000 + skew(1) = 3996', master(), { type: 'handover', then: 'stop' }, releasing('stop'),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'startAdverTimer', ms: 1000 }, { type: 'startHandoverTimer', ms: 3996 }]],
  ['MASTER handover(backup) -> priority 0, VIPs kept', master(), { type: 'handover', then: 'backup' }, releasing('backup'),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'startAdverTimer', ms: 1000 }, { type: 'startHandoverTimer', ms: 3996 }]],
  ['MASTER handover v3 10 cs -> bound 300 + 99', master({ ...v3, advertIntervalCs: 10 }), { type: 'handover', then: 'stop' }, releasing('stop', { ...v3, advertIntervalCs: 10 }),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'startAdverTimer', ms: 100 }, { type: 'startHandoverTimer', ms: 399 }]],
  ['HANDOVER(stop) new Master heard -> VIPs removed, INIT', releasing('stop'), advert(100), init(),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'handoverComplete', newMaster: '198.18.0.12' }, { type: 'notify', state: 'INIT' }]],
  ['HANDOVER(backup) new Master heard -> VIPs removed, BACKUP (learns 10 cs)', releasing('backup'), advert(100, '198.18.0.12', 10), backup(v3, 110, 10),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'handoverComplete', newMaster: '198.18.0.12' },
      { type: 'startMasterDownTimer', ms: 357 }, { type: 'notify', state: 'BACKUP' }]],
  ['HANDOVER a lower-priority new Master counts too', releasing('backup'), advert(1, '198.18.0.10'), backup(),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'handoverComplete', newMaster: '198.18.0.10' },
      { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],
  ['HANDOVER priority 0 from another router is not a new Master', releasing('stop'), advert(0), releasing('stop'), []],
  ['HANDOVER own priority-0 advert looped back is ignored', releasing('stop'), advert(0, '198.18.0.11'), releasing('stop'), []],
  ['HANDOVER advert timer -> priority 0 again', releasing('stop'), { type: 'advertTimerFired' }, releasing('stop'),
    [{ type: 'sendAdvert', priority: 0 }, { type: 'startAdverTimer', ms: 1000 }]],
  ['HANDOVER(stop) timer fires, nobody heard -> VIPs removed, INIT', releasing('stop'), { type: 'handoverTimerFired' }, init(),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'handoverComplete' }, { type: 'notify', state: 'INIT' }]],
  ['HANDOVER(backup) timer fires -> VIPs removed, BACKUP', releasing('backup'), { type: 'handoverTimerFired' }, backup(),
    [{ type: 'cancelTimers' }, { type: 'removeVips' }, { type: 'handoverComplete' }, { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],
  ['HANDOVER(backup) then graceful stop -> HANDOVER(stop)', releasing('backup'), { type: 'handover', then: 'stop' }, releasing('stop'), []],
  ['HANDOVER(stop) a planned switchover does not turn it back', releasing('stop'), { type: 'handover', then: 'backup' }, releasing('stop'), []],
  ['HANDOVER(backup) cancel -> normal Master, advertises its priority', releasing('backup'), { type: 'handoverCancel' }, master(),
    [{ type: 'cancelTimer', timer: 'handover' }, { type: 'sendAdvert', priority: 110 }, { type: 'startAdverTimer', ms: 1000 }]],
  ['HANDOVER(stop) cannot be cancelled', releasing('stop'), { type: 'handoverCancel' }, releasing('stop'), []],
  ['HANDOVER priorityChanged -> no advert (still priority 0)', releasing('backup'), { type: 'priorityChanged', priority: 1 }, releasing('backup', v3, 1), []],
  ['HANDOVER immediate shutdown -> priority 0, VIPs removed, INIT', releasing('backup'), { type: 'shutdown' }, init(),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'removeVips' }, { type: 'notify', state: 'INIT' }]],
  ['HANDOVER fault -> VIPs removed, FAULT', releasing('stop'), { type: 'fault' }, fault(),
    [{ type: 'cancelTimers' }, { type: 'sendAdvert', priority: 0 }, { type: 'removeVips' }, { type: 'notify', state: 'FAULT' }]],
  ['MASTER stray handover timer / cancel are ignored', master(), { type: 'handoverTimerFired' }, master(), []],
  ['BACKUP handover(stop) = shutdown', backup(), { type: 'handover', then: 'stop' }, init(), [{ type: 'cancelTimers' }, { type: 'notify', state: 'INIT' }]],
  ['BACKUP handover(backup) is a no-op', backup(), { type: 'handover', then: 'backup' }, backup(), []],
  ['FAULT handover(stop) = shutdown', fault(), { type: 'handover', then: 'stop' }, init(), [{ type: 'cancelTimers' }, { type: 'notify', state: 'INIT' }]],
  ['INIT handover is a no-op', init(), { type: 'handover', then: 'stop' }, init(), []],

  // ---- FAULT (keepalived)
  ['FAULT cleared -> BACKUP', fault(), { type: 'faultCleared' }, backup(),
    [{ type: 'cancelTimers' }, { type: 'startMasterDownTimer', ms: 3570 }, { type: 'notify', state: 'BACKUP' }]],
  ['FAULT cleared, owner -> MASTER', fault(v3, 255), { type: 'faultCleared' }, master(v3, 255), MASTER_ENTRY(255)],
  ['FAULT ignores adverts', fault(), advert(120), fault(), []],
  ['FAULT ignores timers', fault(), { type: 'masterDownTimerFired' }, fault(), []],
  ['FAULT shutdown -> INIT', fault(), { type: 'shutdown' }, init(), [{ type: 'cancelTimers' }, { type: 'notify', state: 'INIT' }]],
];

for (const [name, from, event, next, actions] of rows) {
  test(`fsm: ${name}`, () => {
    const t = transition(from, event);
    assert.deepEqual(t.next, next);
    assert.deepEqual(t.actions, actions);
  });
}

test('fsm: the lab failover of capture §9 as a sequence', () => {
  let s = init();
  const seen: string[] = [];
  for (const e of [
    { type: 'startup' },
    { type: 'masterDownTimerFired' },
    advert(120, '198.18.0.10', 10),
    { type: 'masterDownTimerFired' },
  ] as InstanceEvent[]) {
    s = transition(s, e).next;
    seen.push(s.name);
  }
  // keepalived log: BACKUP, then MASTER, yields to prio 120 (BACKUP), reclaims after the master-down timer (MASTER)
  assert.deepEqual(seen, ['BACKUP', 'MASTER', 'BACKUP', 'MASTER']);
});
