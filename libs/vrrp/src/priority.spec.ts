import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectivePriority, type TrackedObject } from './priority.js';

const script = (name: string, weight: number, ok: boolean, reverse?: boolean): TrackedObject =>
  ({ kind: 'script', name, weight, ok, ...(reverse !== undefined ? { reverse } : {}) });
const iface = (name: string, weight: number, ok: boolean): TrackedObject => ({ kind: 'interface', name, weight, ok });

test('no tracking: the base priority', () => {
  assert.deepEqual(effectivePriority(110, []), { priority: 110, fault: false, faultedBy: [], adjustment: 0 });
});

test('capture §2: track script weight -20 fails, 110 -> 90', () => {
  assert.equal(effectivePriority(110, [script('chk_haproxy', -20, false)]).priority, 90);
  assert.equal(effectivePriority(110, [script('chk_haproxy', -20, true)]).priority, 110);
});

test('positive weight is added while OK, nothing when failed', () => {
  assert.equal(effectivePriority(100, [script('a', 10, true)]).priority, 110);
  assert.equal(effectivePriority(100, [script('a', 10, false)]).priority, 100);
});

test('weights of scripts, interfaces and trackers add up', () => {
  const r = effectivePriority(100, [script('a', 10, true), iface('eth1', -30, false), { kind: 'tracker', name: 'bfd', weight: 5, ok: true }]);
  assert.deepEqual(r, { priority: 85, fault: false, faultedBy: [], adjustment: -15 });
});

test('weight 0 failure means FAULT, and is named', () => {
  const r = effectivePriority(100, [script('a', 0, false), iface('eth0', 0, false), iface('eth1', 0, true)]);
  assert.deepEqual(r, { priority: 100, fault: true, faultedBy: ['script:a', 'interface:eth0'], adjustment: 0 });
});

test('reverse flips OK and failed', () => {
  assert.equal(effectivePriority(100, [script('a', -20, true, true)]).priority, 80);
  assert.equal(effectivePriority(100, [script('a', 0, true, true)]).fault, true);
});

test('clamped to 1..254', () => {
  assert.equal(effectivePriority(250, [script('a', 100, true)]).priority, 254);
  assert.equal(effectivePriority(10, [script('a', -100, false)]).priority, 1);
});

test('the address owner stays at 255; faults still apply', () => {
  assert.equal(effectivePriority(255, [script('a', -50, false)]).priority, 255);
  assert.equal(effectivePriority(255, [script('a', 0, false)]).fault, true);
});
