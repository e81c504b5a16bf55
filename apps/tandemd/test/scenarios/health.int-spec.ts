// Scenario: health checks as HAProxy runs them, against real stub servers.
// - seed 05's Layer7 check (one-line httpchk, rstring "status":"ok", fall 2, rise 3): a server whose body turns
//   "degraded" goes DOWN after exactly 2 failed checks, traffic avoids it at once, and it comes back after exactly
//   3 passing checks; the transitions are logged in HAProxy's wording.
// - seed 03's backup: with option tcp-check, the backup server takes traffic only when both others are down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { daemonArgs, freePort, httpGet, startHttpStub, startTcpStub, TandemdProcess, TempDir, type StubBackend, waitUntil } from '@tandem/testing';


describe('Layer7 health checks (seed 05)', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let app01: StubBackend;
  let app02: StubBackend;
  let port = 0;

  before(async () => {
    [app01, app02] = await Promise.all([startHttpStub('app01'), startHttpStub('app02')]);
    port = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${port}
    default_backend app_pool
backend app_pool
    option httpchk GET /healthz HTTP/1.1\\r\\nHost:\\ solvethenetwork.com
    http-check expect rstring "\\"status\\":\\"ok\\""
    server app01 127.0.0.1:${app01.port} check inter 150 fall 2 rise 3
    server app02 127.0.0.1:${app02.port} check inter 150 fall 2 rise 3
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all([app01.close(), app02.close()]);
    dir.cleanup();
  });

  test('the check request is the one-line httpchk form with its Host header', async () => {
    await waitUntil(() => app01.hitsOn('/healthz') >= 1, 5_000, 'a first check');
    assert.equal(app01.lastHeaders.host, 'solvethenetwork.com');
  });

  test('"degraded" fails the rstring: DOWN after exactly 2 checks, traffic avoids it, UP after exactly 3', async () => {
    await waitUntil(() => app01.hitsOn('/healthz') >= 3, 5_000, 'app01 fully up');
    const mark = daemon.log.length;
    app01.setHealth(200, '{"status":"degraded"}');
    const before = app01.hitsOn('/healthz');
    await daemon.waitFor(/Server app_pool\/app01 is DOWN/, 5_000, mark);
    // A check may have been in flight when the body changed; it passed and does not count.
    const failedChecks = app01.hitsOn('/healthz') - before;
    assert.ok(failedChecks === 2 || failedChecks === 3, `DOWN after ${failedChecks} checks`);
    assert.match(daemon.log.slice(mark), /Server app_pool\/app01 is DOWN, reason: Layer7 wrong response, code: 200, info: "OK", check duration: \d+ms\. 1 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\./);
    for (let i = 0; i < 6; i++) assert.equal((await httpGet(port, '/')).body, 'app02');

    const upMark = daemon.log.length;
    app01.setHealth(200, '{"status":"ok"}');
    const downChecks = app01.hitsOn('/healthz');
    await daemon.waitFor(/Server app_pool\/app01 is UP/, 5_000, upMark);
    const passing = app01.hitsOn('/healthz') - downChecks;
    assert.ok(passing === 3 || passing === 4, `UP after ${passing} checks`);
    assert.match(daemon.log.slice(upMark), /Server app_pool\/app01 is UP, reason: Layer7 check passed, code: 200, info: "OK", check duration: \d+ms\. 2 active and 0 backup servers online\./);
    const served = new Set<string>();
    for (let i = 0; i < 4; i++) served.add((await httpGet(port, '/')).body);
    assert.deepEqual([...served].sort(), ['app01', 'app02']);
  });
});

describe('backup server with option tcp-check (seed 03)', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let db: StubBackend[] = [];
  let port = 0;

  const greeting = () =>
    new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('\n')) {
          socket.destroy();
          resolve(text.trim());
        }
      });
      socket.on('error', reject);
    });

  before(async () => {
    db = await Promise.all(['db01', 'db02', 'db03'].map(startTcpStub));
    port = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${port}
    default_backend db_proxy
backend db_proxy
    balance leastconn
    option tcp-check
    server db01 127.0.0.1:${db[0]!.port} check inter 100 fall 1 rise 1
    server db02 127.0.0.1:${db[1]!.port} check inter 100 fall 1 rise 1
    server db03 127.0.0.1:${db[2]!.port} check inter 100 fall 1 rise 1 backup
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all(db.map((s) => s.close()));
    dir.cleanup();
  });

  test('db03 takes traffic only when db01 and db02 are both down', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(await greeting());
    assert.deepEqual([...seen].sort(), ['db01', 'db02']);
    await db[0]!.close();
    await daemon.waitFor(/Server db_proxy\/db01 is DOWN, reason: Layer4 connection problem/, 5_000);
    for (let i = 0; i < 3; i++) assert.equal(await greeting(), 'db02');
    await db[1]!.close();
    await daemon.waitFor(/Server db_proxy\/db02 is DOWN/, 5_000);
    await daemon.waitFor(/0 active and 1 backup servers left|0 active and 0 backup servers left/, 1_000);
    for (let i = 0; i < 3; i++) assert.equal(await greeting(), 'db03');
  });
});
