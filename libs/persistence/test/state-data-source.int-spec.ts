import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { createStateDataSource, stateDataSourceOptions } from '@tandem/persistence';
import { tempDb } from './helpers.js';

const TABLES = ['audit_event', 'config_revision', 'runtime_override'];

async function tables(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)) as { name: string }[];
  return rows.map((r) => r.name);
}

test('migrations create the schema on a fresh file, in a directory that did not exist', async () => {
  const db = tempDb();
  try {
    const ds = await createStateDataSource({ path: db.path });
    try {
      assert.ok(existsSync(db.path));
      assert.deepEqual(await tables(ds), [...TABLES, 'migrations'].sort());
      const applied = (await ds.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
      assert.deepEqual(applied.map((m) => m.name), ['CreateConfigRevision1795996800000', 'CreateRuntimeOverride1795996800001', 'CreateAuditEvent1795996800002']);
    } finally {
      await ds.destroy();
    }
  } finally {
    db.cleanup();
  }
});

test('the schema comes only from migrations: synchronize is off, and the migrations match the entities exactly', async () => {
  const options = stateDataSourceOptions({ path: '/x/state.db' });
  assert.equal(options.synchronize, false);
  assert.equal(options.migrationsRun, true);
  const db = tempDb();
  try {
    // Without migrations, the same entities produce no table at all: nothing else creates schema.
    const { mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(db.path), { recursive: true });
    const bare = new DataSource({ ...options, database: db.path, migrationsRun: false });
    await bare.initialize();
    assert.deepEqual(await tables(bare), []);
    await bare.destroy();
    // With migrations, TypeORM's schema diff against the entities is empty (what migration:generate would emit).
    const ds = await createStateDataSource({ path: db.path });
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      assert.deepEqual(pending.upQueries.map((q) => q.query), []);
    } finally {
      await ds.destroy();
    }
  } finally {
    db.cleanup();
  }
});

test('opening twice is idempotent: no migration re-runs, data is kept', async () => {
  const db = tempDb();
  try {
    const first = await createStateDataSource({ path: db.path });
    await first.query(`INSERT INTO audit_event (at, actor, command, result) VALUES ('2026-01-01T00:00:00.000Z', 'a', 'show info', 'ok')`);
    await first.destroy();
    const second = await createStateDataSource({ path: db.path });
    try {
      assert.equal(((await second.query('SELECT COUNT(*) AS n FROM migrations')) as { n: number }[])[0]!.n, 3);
      assert.equal(((await second.query('SELECT COUNT(*) AS n FROM audit_event')) as { n: number }[])[0]!.n, 1);
      assert.equal(await second.showMigrations(), false);
    } finally {
      await second.destroy();
    }
  } finally {
    db.cleanup();
  }
});

test('pragmas: journal_mode is wal, synchronous as chosen (FULL by default), busy_timeout set', async () => {
  const db = tempDb();
  try {
    const ds = await createStateDataSource({ path: db.path });
    try {
      assert.deepEqual(await ds.query('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
      assert.deepEqual(await ds.query('PRAGMA synchronous'), [{ synchronous: 2 }]);
      assert.deepEqual(await ds.query('PRAGMA busy_timeout'), [{ timeout: 5000 }]);
    } finally {
      await ds.destroy();
    }
    const normal = await createStateDataSource({ path: db.path, synchronous: 'NORMAL', busyTimeoutMs: 250 });
    try {
      assert.deepEqual(await normal.query('PRAGMA synchronous'), [{ synchronous: 1 }]);
      assert.deepEqual(await normal.query('PRAGMA busy_timeout'), [{ timeout: 250 }]);
    } finally {
      await normal.destroy();
    }
  } finally {
    db.cleanup();
  }
});

test('an unopenable path fails with a TandemError from persistence', async () => {
  const db = tempDb();
  try {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(db.dir, 'a-file'), '');
    await assert.rejects(createStateDataSource({ path: join(db.dir, 'a-file', 'sub', 'state.db') }), (e: unknown) => {
      const err = e as { source?: string; code?: string };
      return err.source === 'persistence' && err.code === 'PERSISTENCE_DIRECTORY';
    });
  } finally {
    db.cleanup();
  }
});
