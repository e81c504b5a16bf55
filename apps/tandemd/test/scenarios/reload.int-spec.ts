// Scenario: reloads without loss. SIGHUP (or `tandemctl reload`) with a broken config keeps the old config
// serving and reports every error; with a good config, the new one applies without closing the listening socket,
// and a long download started before the reload completes. Every attempt is recorded in the SQLite state file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { download as downloadBytes, daemonArgs, httpFrontendConfig, freePort, httpGet, runNode, startHttpStub, TANDEMCTL_MAIN, TandemdProcess, TempDir, type StubBackend } from '@tandem/testing';


describe('reload', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let a: StubBackend;
  let b: StubBackend;
  let port = 0;
  let configFile = '';

  before(async () => {
    [a, b] = await Promise.all([startHttpStub('a'), startHttpStub('b')]);
    port = await freePort();
    const args = daemonArgs(dir, httpFrontendConfig(port, [a]));
    configFile = args[1]!;
    daemon = new TandemdProcess(args);
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all([a.close(), b.close()]);
    dir.cleanup();
  });

  test('SIGHUP with a broken config keeps the old config serving and logs every error', async () => {
    writeFileSync(configFile, httpFrontendConfig(port, [a]).replace('balance roundrobin', 'balance roundrobn').replace('timeout client 20s', 'timeout clent 20s'));
    const mark = daemon.log.length;
    daemon.signal('SIGHUP');
    await daemon.waitFor(/Reload failed/, 10_000, mark);
    const attempt = daemon.log.slice(mark);
    assert.match(attempt, /'balance'/);
    assert.match(attempt, /'timeout clent'|'clent'|timeout/);
    const response = await httpGet(port, '/');
    assert.equal(response.status, 200);
    assert.equal(response.body, 'a');
  });

  test('tandemctl reload reports the failure with exit 1 and the errors', async () => {
    const result = await runNode(TANDEMCTL_MAIN, ['-S', join(dir.path, 'master.sock'), 'reload']);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /balance/);
    assert.match(result.stdout, /FAILED/);
  });

  test('a good reload applies without closing the listener, and a download started before it completes', async () => {
    const total = 4 * 1024 * 1024;
    const download = downloadBytes(port, `/slow/${total}/20`);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(configFile, httpFrontendConfig(port, [b]));
    const result = await runNode(TANDEMCTL_MAIN, ['-S', join(dir.path, 'master.sock'), 'reload']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const after = await httpGet(port, '/');
    assert.equal(after.body, 'b', 'new connections use the new config');
    assert.equal(await download, total, 'the download started before the reload completed in full');
  });

  test('every attempt is in the SQLite config history, applied or rejected', async () => {
    const rows = await query(join(dir.path, 'state.db'), 'SELECT outcome, "trigger" AS trigger_, sha256 FROM config_revision ORDER BY id');
    const outcomes = rows.map((r) => `${r.outcome}/${r.trigger_}`);
    assert.deepEqual(outcomes, ['applied/start', 'rejected/reload-signal', 'rejected/reload-command', 'applied/reload-command']);
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(String(r.sha256))));
  });
});

function query(file: string, sql: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return reject(error);
      db.all(sql, (err, rows) => {
        db.close();
        if (err) reject(err);
        else resolve(rows as Array<Record<string, unknown>>);
      });
    });
  });
}
