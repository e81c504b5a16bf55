import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigHistoryRepository, createStateDataSource } from '@tandem/persistence';
import { tempDb } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/record-revisions.js', import.meta.url));

test('kill -9 right after "committed 5": the 5 revisions are there and the database is intact', async () => {
  const db = tempDb();
  try {
    const child = spawn(process.execPath, [CHILD, db.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.split('\n').includes('committed 5')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`child exited before committing 5: ${buffered}`)));
    });
    assert.equal(await exited, 'SIGKILL');

    const ds = await createStateDataSource({ path: db.path });
    try {
      assert.deepEqual(await ds.query('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      const records = await new ConfigHistoryRepository(ds).list(1_000_000);
      assert.ok(records.length >= 5, `expected at least 5 revisions, found ${records.length}`);
      const ids = records.map((r) => r.id).reverse();
      assert.deepEqual(ids.slice(0, 5), [1, 2, 3, 4, 5]);
    } finally {
      await ds.destroy();
    }
  } finally {
    db.cleanup();
  }
});
