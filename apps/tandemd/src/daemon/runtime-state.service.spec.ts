import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuntimeConfig } from '@tandem/config';
import type { RuntimeOverrideRecord } from '@tandem/persistence';
import { auditResult, RuntimeStateService, type OverrideStore } from './runtime-state.service.js';

const logs: string[] = [];
const logger = { log: (_level: string, message: string) => void logs.push(message) } as never;
const config = {} as RuntimeConfig;
const row = (server: string): RuntimeOverrideRecord => ({ backend: 'be', server, kind: 'state', value: 'drain', actor: 'a', updatedAt: '' });

test('a reload deletes and logs the overrides of servers that are gone; a failed read falls back to the known ones', async () => {
  const deleted: string[] = [];
  let failRead = false;
  const store: OverrideStore = {
    upsert: async () => undefined,
    list: async () => {
      if (failRead) throw new Error('SQLITE_IOERR');
      return [row('s1')];
    },
    delete: async (b, s, k) => (deleted.push(`${b}/${s} ${k}`), 1),
  };
  const service = new RuntimeStateService({ overrides: store, audit: { append: async () => undefined }, logger });
  const seen: number[] = [];
  const target = { apply: async (_c: RuntimeConfig, prepare?: (g: { backends: [] }) => void) => prepare?.({ backends: [] }) };
  await service.applyConfig(target as never, config);
  assert.deepEqual(deleted, ['be/s1 state']);
  assert.ok(logs.some((l) => /dropping state override of be\/s1 \(drain\): backend 'be' is no longer/.test(l)));
  failRead = true;
  await service.applyConfig({ apply: async () => void seen.push(1) } as never, config);
  assert.ok(logs.some((l) => /cannot read the stored overrides \(SQLITE_IOERR\); re-applying the 0 known/.test(l)));
  assert.deepEqual(seen, [1]);
});

test('a failed write rejects without applying; an audit failure is logged, never thrown', async () => {
  const service = new RuntimeStateService({
    overrides: { upsert: () => Promise.reject(new Error('disk full')), list: async () => [], delete: async () => 0 },
    audit: { append: () => Promise.reject(new Error('locked')) },
    logger,
  });
  let applied = false;
  await assert.rejects(service.commit({ backend: 'be', server: 's1', kind: 'state', value: 'drain' }, undefined, () => (applied = true)), /disk full/);
  assert.equal(applied, false);
  await service.recordCommand({ line: 'set server be/s1 state drain', context: { level: 'admin', origin: 'unix@/a' }, answer: '', outcome: 'ok' });
  assert.ok(logs.some((l) => l.includes("audit: could not record 'set server be/s1 state drain' from unix@/a level admin: locked")));
});

test('audit results: the answer on one line after the outcome', () => {
  assert.equal(auditResult('ok', ''), 'ok');
  assert.equal(auditResult('error', 'No such server.\n'), 'error: No such server.');
  assert.equal(auditResult('ok', 'Success=0\n--\n[ALERT] x\nReload failed\n'), 'ok: Success=0 | [ALERT] x | Reload failed');
});
