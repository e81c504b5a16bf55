// Scenario: SIGTERM stops tandemd quickly and cleanly; SIGUSR1 stops it gracefully: the listener closes at once
// but a download in flight completes. -D goes to the background and writes the pidfile; -W runs a master that
// relays signals to its worker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { download as downloadBytes, daemonArgs, httpFrontendConfig, freePort, httpGet, rawExchange, runNode, startHttpStub, TANDEMD_MAIN, TandemdProcess, TempDir, type StubBackend } from '@tandem/testing';


describe('signals and process modes', () => {
  let backend: StubBackend;
  before(async () => {
    backend = await startHttpStub('s1');
  });
  after(() => backend.close());

  test('SIGTERM stops the daemon within 2 s and closes its listener', async () => {
    const dir = new TempDir();
    const port = await freePort();
    const daemon = new TandemdProcess(daemonArgs(dir, httpFrontendConfig(port, [backend])));
    try {
      await daemon.start();
      assert.equal((await httpGet(port, '/')).status, 200);
      const started = Date.now();
      daemon.signal('SIGTERM');
      assert.equal(await daemon.waitExit(5_000), 0);
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
      await assert.rejects(rawExchange(port, 'GET / HTTP/1.1\r\n\r\n'), /ECONNREFUSED/);
    } finally {
      await daemon.stop();
      dir.cleanup();
    }
  });

  test('SIGUSR1 stops gracefully: new connections are refused, the download in flight completes', async () => {
    const dir = new TempDir();
    const port = await freePort();
    const daemon = new TandemdProcess(daemonArgs(dir, httpFrontendConfig(port, [backend])));
    try {
      await daemon.start();
      const total = 2 * 1024 * 1024;
      const download = downloadBytes(port, `/slow/${total}/20`);
      await new Promise((r) => setTimeout(r, 300));
      daemon.signal('SIGUSR1');
      await daemon.waitFor(/stopping gracefully/);
      await assert.rejects(rawExchange(port, 'GET / HTTP/1.1\r\n\r\n'), /ECONNREFUSED/);
      assert.equal(await download, total);
      assert.equal(await daemon.waitExit(10_000), 0);
    } finally {
      await daemon.stop();
      dir.cleanup();
    }
  });

  test('SIGTERM during a graceful stop aborts what is still in flight and exits at once', async () => {
    const dir = new TempDir();
    const port = await freePort();
    const daemon = new TandemdProcess(daemonArgs(dir, httpFrontendConfig(port, [backend])));
    try {
      await daemon.start();
      const total = 64 * 1024 * 1024;
      const download = downloadBytes(port, `/slow/${total}/50`);
      await new Promise((r) => setTimeout(r, 300));
      daemon.signal('SIGUSR1');
      await daemon.waitFor(/stopping gracefully/);
      const started = Date.now();
      daemon.signal('SIGTERM');
      assert.equal(await daemon.waitExit(5_000), 0);
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
      assert.ok((await download) < total, 'the download was cut');
    } finally {
      await daemon.stop();
      dir.cleanup();
    }
  });

  test('-D goes to the background once ready and writes the pidfile; SIGTERM to that pid stops it', async () => {
    const dir = new TempDir();
    const port = await freePort();
    const pidFile = join(dir.path, 'tandemd.pid');
    try {
      const result = await runNode(TANDEMD_MAIN, [...daemonArgs(dir, httpFrontendConfig(port, [backend])), '-D', '-p', pidFile]);
      assert.equal(result.code, 0, result.stderr);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.ok(pid > 0);
      assert.equal((await httpGet(port, '/')).status, 200);
      process.kill(pid, 'SIGTERM');
      await waitUntil(() => !existsSync(pidFile), 5_000);
    } finally {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
      if (pid > 0) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      dir.cleanup();
    }
  });

  test('-D with a broken config fails in the foreground with the errors and exit 1', async () => {
    const dir = new TempDir();
    try {
      const result = await runNode(TANDEMD_MAIN, [...daemonArgs(dir, 'frontend fe\n    bind 127.0.0.1:1\n    default_backend nowhere\n'), '-D']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /nowhere/);
    } finally {
      dir.cleanup();
    }
  });

  test('-W: the master relays SIGHUP to its worker and exits when the worker stops', async () => {
    const dir = new TempDir();
    const port = await freePort();
    const daemon = new TandemdProcess([...daemonArgs(dir, httpFrontendConfig(port, [backend])), '-W']);
    try {
      await daemon.start();
      assert.equal((await httpGet(port, '/')).status, 200);
      const mark = daemon.log.length;
      daemon.signal('SIGHUP');
      await daemon.waitFor(/Reload complete/, 10_000, mark);
      daemon.signal('SIGTERM');
      assert.equal(await daemon.waitExit(5_000), 0);
    } finally {
      await daemon.stop();
      dir.cleanup();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
