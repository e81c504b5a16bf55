import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceStateName } from './instance.types.js';
import { syncGroupDecide, syncGroupNotify, syncGroupState, type SyncDecision, type SyncMemberView, type SyncTrigger } from './sync-group.js';

// m('A', 'BACKUP', 'w') = A in BACKUP wanting MASTER; 'f' = own fault.
const m = (name: string, state: InstanceStateName, flags = ''): SyncMemberView => ({ name, state, ownFault: flags.includes('f'), wantsMaster: flags.includes('w') });
const fault = (member: string) => ({ type: 'dispatch', member, event: { type: 'fault' } }) as const;
const cleared = (member: string) => ({ type: 'dispatch', member, event: { type: 'faultCleared' } }) as const;
const groupBackup = (member: string) => ({ type: 'dispatch', member, event: { type: 'groupBackup' } }) as const;
const becomeMaster = (member: string) => ({ type: 'becomeMaster', member }) as const;

type Row = [name: string, members: SyncMemberView[], trigger: SyncTrigger, expected: SyncDecision];

const rows: Row[] = [
  // ---- MASTER only when all members can be (vrrp_sync_can_goto_master / vrrp_sync_master)
  ['A wants MASTER, B hears a Master -> A waits', [m('A', 'BACKUP', 'w'), m('B', 'BACKUP')], { type: 'wantsMaster', member: 'A' }, { allow: false, commands: [] }],
  ['A wants MASTER, B wants too -> both go', [m('A', 'BACKUP', 'w'), m('B', 'BACKUP', 'w')], { type: 'wantsMaster', member: 'A' }, { allow: true, commands: [becomeMaster('B')] }],
  ['A wants MASTER, B already MASTER -> A goes', [m('A', 'BACKUP', 'w'), m('B', 'MASTER')], { type: 'wantsMaster', member: 'A' }, { allow: true, commands: [] }],
  ['A wants MASTER, B FAULT -> A waits', [m('A', 'BACKUP', 'w'), m('B', 'FAULT', 'f')], { type: 'wantsMaster', member: 'A' }, { allow: false, commands: [] }],
  ['A wants MASTER, B INIT (not started) -> A waits', [m('A', 'BACKUP', 'w'), m('B', 'INIT')], { type: 'wantsMaster', member: 'A' }, { allow: false, commands: [] }],
  ['three members: C MASTER, B wants -> A and B go', [m('A', 'BACKUP', 'w'), m('B', 'BACKUP', 'w'), m('C', 'MASTER')], { type: 'wantsMaster', member: 'A' }, { allow: true, commands: [becomeMaster('B')] }],
  ['a group of one never waits', [m('A', 'BACKUP', 'w')], { type: 'wantsMaster', member: 'A' }, { allow: true, commands: [] }],

  // ---- FAULT (vrrp_sync_fault): one member's fault drags the others; they leave together
  ['A faults -> B (MASTER) and C (BACKUP) go FAULT', [m('A', 'FAULT', 'f'), m('B', 'MASTER'), m('C', 'BACKUP')], { type: 'ownFault', member: 'A' }, { allow: true, commands: [fault('B'), fault('C')] }],
  ['A faults, B already FAULT -> nothing for B', [m('A', 'FAULT', 'f'), m('B', 'FAULT', 'f')], { type: 'ownFault', member: 'A' }, { allow: true, commands: [] }],
  ['A faults, B not started (INIT) -> B FAULT too', [m('A', 'INIT', 'f'), m('B', 'INIT')], { type: 'ownFault', member: 'A' }, { allow: true, commands: [fault('B')] }],
  ['A cleared, B dragged -> both leave FAULT', [m('A', 'FAULT'), m('B', 'FAULT')], { type: 'ownFaultCleared', member: 'A' }, { allow: true, commands: [cleared('B')] }],
  ['A cleared, B still has its own fault -> A stays FAULT', [m('A', 'FAULT'), m('B', 'FAULT', 'f')], { type: 'ownFaultCleared', member: 'A' }, { allow: false, commands: [] }],

  // ---- BACKUP (vrrp_sync_backup): a Master stepping down takes the other Masters with it
  ['A MASTER -> BACKUP (better Master heard) -> B groupBackup', [m('A', 'BACKUP'), m('B', 'MASTER')], { type: 'stateChanged', member: 'A', from: 'MASTER', to: 'BACKUP' }, { allow: true, commands: [groupBackup('B')] }],
  ['A MASTER -> BACKUP, B already BACKUP -> nothing', [m('A', 'BACKUP'), m('B', 'BACKUP')], { type: 'stateChanged', member: 'A', from: 'MASTER', to: 'BACKUP' }, { allow: true, commands: [] }],
  ['A BACKUP -> MASTER -> nothing (the gate already synced)', [m('A', 'MASTER'), m('B', 'MASTER')], { type: 'stateChanged', member: 'A', from: 'BACKUP', to: 'MASTER' }, { allow: true, commands: [] }],
  ['A MASTER -> INIT (stop) -> nothing', [m('A', 'INIT'), m('B', 'MASTER')], { type: 'stateChanged', member: 'A', from: 'MASTER', to: 'INIT' }, { allow: true, commands: [] }],
  ['A FAULT -> BACKUP -> nothing', [m('A', 'BACKUP'), m('B', 'FAULT')], { type: 'stateChanged', member: 'A', from: 'FAULT', to: 'BACKUP' }, { allow: true, commands: [] }],
];

for (const [name, members, trigger, expected] of rows) {
  test(`sync group: ${name}`, () => assert.deepEqual(syncGroupDecide(members, trigger), expected));
}

const stateRows: [SyncMemberView[], InstanceStateName][] = [
  [[m('A', 'MASTER'), m('B', 'MASTER')], 'MASTER'],
  [[m('A', 'MASTER'), m('B', 'BACKUP')], 'BACKUP'],
  [[m('A', 'BACKUP'), m('B', 'BACKUP')], 'BACKUP'],
  [[m('A', 'MASTER'), m('B', 'FAULT')], 'FAULT'],
  [[m('A', 'BACKUP', 'f'), m('B', 'BACKUP')], 'FAULT'],
  [[m('A', 'INIT'), m('B', 'BACKUP')], 'INIT'],
];
test('sync group state: FAULT if any, INIT while one is not started, MASTER if all, else BACKUP', () => {
  for (const [members, state] of stateRows) assert.equal(syncGroupState(members), state, JSON.stringify(members));
});

test('sync group notify: on a change, never for INIT', () => {
  assert.equal(syncGroupNotify('INIT', 'BACKUP'), 'BACKUP');
  assert.equal(syncGroupNotify('BACKUP', 'MASTER'), 'MASTER');
  assert.equal(syncGroupNotify('MASTER', 'MASTER'), undefined);
  assert.equal(syncGroupNotify('MASTER', 'INIT'), undefined);
});
