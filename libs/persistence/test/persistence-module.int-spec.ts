import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { AuditRepository, ConfigHistoryRepository, PersistenceModule, RuntimeOverrideRepository, STATE_DATA_SOURCE } from '@tandem/persistence';
import { tempDb } from './helpers.js';

test('PersistenceModule boots under NestFactory.createApplicationContext, serves repositories, and closes the DataSource', async () => {
  const db = tempDb();
  try {
    const app = await NestFactory.createApplicationContext(PersistenceModule.forRoot({ path: db.path }), { logger: false, abortOnError: false });
    const ds = app.get<DataSource>(STATE_DATA_SOURCE);
    assert.equal(ds.isInitialized, true);
    const history = app.get(ConfigHistoryRepository);
    assert.ok(app.get(RuntimeOverrideRepository) instanceof RuntimeOverrideRepository);
    assert.ok(app.get(AuditRepository) instanceof AuditRepository);
    const saved = await history.record({ sha256: 'a'.repeat(64), text: '[]', outcome: 'applied', diagnostics: '', trigger: 'start', node: 'lb1' });
    assert.deepEqual(await history.latestApplied(), saved);
    await app.close();
    assert.equal(ds.isInitialized, false);
  } finally {
    db.cleanup();
  }
});
