import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@tandem/core';
import {
  AuditRepository,
  ConfigHistoryRepository,
  RuntimeOverrideRepository,
  createStateDataSource,
  type ConfigRevisionInput,
} from '@tandem/persistence';
import { tempDb } from './helpers.js';

async function withDb(run: (ds: Awaited<ReturnType<typeof createStateDataSource>>) => Promise<void>) {
  const db = tempDb();
  const ds = await createStateDataSource({ path: db.path });
  try {
    await run(ds);
  } finally {
    await ds.destroy();
    db.cleanup();
  }
}

const rev = (n: number, outcome: 'applied' | 'rejected' = 'applied'): ConfigRevisionInput => ({
  sha256: String(n).padStart(64, '0'),
  text: JSON.stringify([{ file: '/etc/tandem/haproxy.cfg', text: `# rev ${n}\n` }]),
  outcome,
  diagnostics: outcome === 'rejected' ? `[ALERT] rev ${n} broken` : '',
  trigger: n === 1 ? 'start' : 'reload-signal',
  node: 'lb1',
});

test('config history: record / get / latest / list round trip, newest first', async () => {
  await withDb(async (ds) => {
    const clock = new ManualClock();
    const history = new ConfigHistoryRepository(ds, clock);
    assert.equal(await history.latest(), undefined);
    const first = await history.record(rev(1));
    assert.equal(first.id, 1);
    assert.equal(first.appliedAt, new Date(clock.wallTime()).toISOString());
    const second = await history.record(rev(2));
    assert.deepEqual(await history.get(first.id), first);
    assert.deepEqual(await history.get(second.id), second);
    assert.equal(await history.get(999), undefined);
    assert.deepEqual(await history.latest(), second);
    assert.deepEqual(await history.list(10), [second, first]);
    assert.deepEqual(await history.list(1), [second]);
    assert.deepEqual({ ...first, id: undefined, appliedAt: undefined }, { ...rev(1), id: undefined, appliedAt: undefined });
  });
});

test('config history: latestApplied ignores rejected revisions; latest does not', async () => {
  await withDb(async (ds) => {
    const history = new ConfigHistoryRepository(ds);
    assert.equal(await history.latestApplied(), undefined);
    await history.record(rev(1, 'rejected'));
    assert.equal(await history.latestApplied(), undefined);
    const good = await history.record(rev(2));
    const bad = await history.record(rev(3, 'rejected'));
    assert.deepEqual(await history.latestApplied(), good);
    assert.deepEqual(await history.latest(), bad);
  });
});

test('config history: concurrent records on the single connection all commit with distinct ids', async () => {
  await withDb(async (ds) => {
    const history = new ConfigHistoryRepository(ds);
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => history.record(rev(i + 1))));
    assert.equal(new Set(records.map((r) => r.id)).size, 20);
    assert.equal((await history.list(100)).length, 20);
  });
});

test('config history: the schema rejects an unknown outcome or trigger', async () => {
  await withDb(async (ds) => {
    const history = new ConfigHistoryRepository(ds);
    await assert.rejects(history.record({ ...rev(1), outcome: 'maybe' as 'applied' }));
    await assert.rejects(history.record({ ...rev(1), trigger: 'cron' as 'start' }));
  });
});

test('runtime overrides: upsert replaces the value per (backend, server, kind); list and delete', async () => {
  await withDb(async (ds) => {
    const overrides = new RuntimeOverrideRepository(ds, new ManualClock());
    await overrides.upsert({ backend: 'web', server: 's1', kind: 'weight', value: '10', actor: 'admin.sock' });
    await overrides.upsert({ backend: 'web', server: 's1', kind: 'state', value: 'drain', actor: 'admin.sock' });
    const replaced = await overrides.upsert({ backend: 'web', server: 's1', kind: 'weight', value: '50', actor: 'ops' });
    await overrides.upsert({ backend: 'api', server: 'a1', kind: 'maxconn', value: '100', actor: 'ops' });
    const all = await overrides.list();
    assert.deepEqual(all.map((o) => `${o.backend}/${o.server}/${o.kind}=${o.value}`), ['api/a1/maxconn=100', 'web/s1/state=drain', 'web/s1/weight=50']);
    assert.deepEqual(all[2], replaced);
    assert.equal((await overrides.list('web')).length, 2);
    assert.equal(await overrides.delete('web', 's1', 'weight'), 1);
    assert.equal(await overrides.delete('web', 's1', 'weight'), 0);
    assert.equal(await overrides.delete('api', 'a1'), 1);
    assert.deepEqual((await overrides.list()).map((o) => o.kind), ['state']);
  });
});

test('audit: append and list newest first', async () => {
  await withDb(async (ds) => {
    const audit = new AuditRepository(ds);
    const a = await audit.append({ actor: 'unix:/run/tandem/admin.sock uid=0', command: 'disable server web/s1', result: '' });
    const b = await audit.append({ actor: 'unix:/run/tandem/admin.sock uid=0', command: 'show info', result: 'ok' });
    assert.ok(b.id > a.id);
    assert.deepEqual(await audit.list(), [b, a]);
    assert.deepEqual(await audit.list(1), [b]);
  });
});
