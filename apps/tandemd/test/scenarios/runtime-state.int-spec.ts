// Scenario: runtime state that survives (issue #5, item 4). An operator drains be/s1 and sets be/s2's weight on the
// admin socket; both are in SQLite before the command answers. A SIGHUP reload keeps them (show servers state,
// show stat, and traffic avoids s1); a kill -9 and a restart on the same --state-db keep them; `state ready` removes
// the drain; a reload that removes s1 from the config drops its override (deleted from SQLite, logged) and one that
// changes s2's weight in the config drops the weight override (the config wins). `show audit` and `tandemctl audit`
// list every change with its socket, level and result; `tandemctl config history` and `config diff` show the
// configurations applied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { createStateDataSource, RuntimeOverrideRepository, type RuntimeOverrideRecord } from '@tandem/persistence';
import { daemonArgs, freePort, httpGet, runNode, startHttpStub, stopScenario, type StubBackend, TANDEMCTL_MAIN, TandemdProcess, TempDir } from '@tandem/testing';

describe('runtime state survives reloads and restarts; audit log', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const userSocket = join(dir.path, 'user.sock');
  const stateDb = join(dir.path, 'state.db');
  const masterSocket = join(dir.path, 'master.sock');
  const admin = (line: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, line, 10_000);
  let daemon: TandemdProcess;
  let args: string[] = [];
  let stubs: StubBackend[] = [];
  let port = 0;

  const config = (servers: { s1: boolean; s2Weight: number }) => `global
    stats socket ${adminSocket} level admin
    stats socket ${userSocket} level user
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${port}
    default_backend be
backend be
    balance roundrobin
${servers.s1 ? `    server s1 127.0.0.1:${stubs[0]!.port}\n` : ''}    server s2 127.0.0.1:${stubs[1]!.port} weight ${servers.s2Weight}
`;
  const servedBy = async (n: number) => {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) seen.push((await httpGet(port, '/')).body);
    return seen;
  };
  /** `show stat` status of one server. */
  const status = async (server: string) => {
    const [header, ...rows] = (await admin('show stat')).trimEnd().split('\n');
    const names = header!.replace(/^# /, '').split(',');
    const row = rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i], v]))).find((r) => r.pxname === 'be' && r.svname === server);
    return row?.status;
  };
  /** `show servers state be`: srv_admin_state of one server (8 = forced drain, 1 = forced maintenance, 0 = none). */
  const adminState = async (server: string) => {
    const line = (await admin('show servers state be')).split('\n').find((l) => l.split(' ')[3] === server);
    return line?.split(' ')[6];
  };
  const storedOverrides = async (): Promise<RuntimeOverrideRecord[]> => {
    // A second connection to the daemon's file (WAL allows a reader beside the writer).
    const ds = await createStateDataSource({ path: stateDb });
    try {
      return await new RuntimeOverrideRepository(ds).list();
    } finally {
      await ds.destroy();
    }
  };
  let signalReloads = 0;
  const reload = async (pattern = /Reload complete/) => {
    const mark = daemon.log.length;
    daemon.signal('SIGHUP');
    await daemon.waitFor(pattern, 10_000, mark);
    // The reload's audit row is appended once the reload has completed: wait for it, so the order below is fixed.
    signalReloads++;
    for (let i = 0; i < 100; i++) {
      if ((await admin('show audit 1000')).split('\n').filter((l) => /signal SIGHUP +reload/.test(l)).length >= signalReloads) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail('the reload never reached the audit log');
  };

  before(async () => {
    stubs = await Promise.all(['s1', 's2'].map(startHttpStub));
    port = await freePort();
    args = daemonArgs(dir, config({ s1: true, s2Weight: 1 }));
    assert.ok(args.includes(stateDb));
    daemon = new TandemdProcess(args);
    await daemon.start();
  });

  after(() => stopScenario(daemon, stubs, dir));

  test('set server state drain and weight are stored before the answer', async () => {
    assert.equal(await admin('set server be/s1 state drain'), '\n');
    assert.equal(await admin('set server be/s2 weight 3'), '\n');
    // The answer came back: the rows are committed.
    assert.deepEqual(
      (await storedOverrides()).map((o) => `${o.backend}/${o.server} ${o.kind}=${o.value} by ${o.actor}`),
      [`be/s1 state=drain by unix@${adminSocket} level admin`, `be/s2 weight=3 (initial 1) by unix@${adminSocket} level admin`],
    );
    assert.deepEqual(await servedBy(4), ['s2', 's2', 's2', 's2']);
  });

  test('after a SIGHUP reload s1 is still DRAIN, s2 keeps weight 3, and traffic avoids s1', async () => {
    await reload();
    assert.equal(await status('s1'), 'DRAIN');
    assert.equal(await adminState('s1'), '8');
    assert.equal(await admin('get weight be/s2'), '3 (initial 1)\n\n');
    assert.deepEqual(await servedBy(4), ['s2', 's2', 's2', 's2']);
  });

  test('after kill -9 and a restart with the same --state-db, s1 is still DRAIN', async () => {
    daemon.signal('SIGKILL');
    await daemon.waitExit();
    daemon = new TandemdProcess(args);
    await daemon.start();
    assert.match(daemon.log, /be\/s1 state drain re-applied/);
    assert.equal(await status('s1'), 'DRAIN');
    assert.equal(await admin('get weight be/s2'), '3 (initial 1)\n\n');
    assert.deepEqual(await servedBy(4), ['s2', 's2', 's2', 's2']);
  });

  test('set server be/s1 state ready removes the override: s1 serves, also after a reload', async () => {
    assert.equal(await admin('set server be/s1 state ready'), '\n');
    assert.deepEqual((await storedOverrides()).map((o) => `${o.server} ${o.kind}`), ['s2 weight']);
    await reload();
    assert.equal(await status('s1'), 'no check');
    assert.equal(await adminState('s1'), '0');
    assert.ok((await servedBy(8)).includes('s1'));
  });

  test("removing s1 from the config drops its override; changing s2's weight in the config drops the weight override", async () => {
    assert.equal(await admin('set server be/s1 state drain'), '\n');
    dir.file('tandem.cfg', config({ s1: false, s2Weight: 2 }));
    await reload();
    assert.match(daemon.log, /dropping state override of be\/s1 \(drain\): server 'be\/s1' is no longer in the configuration/);
    assert.match(daemon.log, /dropping weight override of be\/s2 \(3 \(initial 1\)\): the configuration changed the weight from 1 to 2/);
    assert.deepEqual(await storedOverrides(), []);
    assert.equal(await admin('get weight be/s2'), '2 (initial 2)\n\n');
    // s1 comes back in the config: it is a new server for the operator, not drained.
    dir.file('tandem.cfg', config({ s1: true, s2Weight: 2 }));
    await reload();
    assert.equal(await status('s1'), 'no check');
  });

  test('show audit lists the changes, newest first, with socket, level and result; refusals too', async () => {
    assert.equal(await admin('set server be/nope state drain'), 'No such server.\n\n');
    const user = await sendControlCommand({ kind: 'unix', path: userSocket }, 'set server be/s1 state maint', 10_000);
    assert.equal(user, 'Permission denied\n\n');
    const audit = await admin('show audit 50');
    const lines = audit.trimEnd().split('\n');
    assert.match(lines[0]!, /^# id +at +actor +command +result$/);
    const rows = lines.slice(1);
    assert.match(rows[0]!, new RegExp(`unix@${userSocket} level user +set server be/s1 state maint +denied: Permission denied$`));
    assert.match(rows[1]!, new RegExp(`unix@${adminSocket} level admin +set server be/nope state drain +error: No such server\\.$`));
    assert.ok(rows.some((r) => /signal SIGHUP +reload +ok: Success=1/.test(r)), audit);
    const drains = rows.filter((r) => /level admin +set server be\/s1 state drain +ok$/.test(r));
    assert.equal(drains.length, 2, audit);
    assert.ok(rows.some((r) => /set server be\/s2 weight 3 +ok$/.test(r)), audit);
    assert.ok(rows.some((r) => /set server be\/s1 state ready +ok$/.test(r)), audit);
    assert.match(rows[0]!, /^\d+ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
  });

  test('tandemctl audit, config history and config diff', async () => {
    const audit = await runNode(TANDEMCTL_MAIN, ['-S', masterSocket, '--json', 'audit', '3']);
    assert.equal(audit.code, 0, audit.stderr);
    const events = JSON.parse(audit.stdout) as { actor: string; command: string; result: string }[];
    assert.equal(events.length, 3);
    assert.equal(events[0]!.result, 'denied: Permission denied');

    const history = await runNode(TANDEMCTL_MAIN, ['-S', masterSocket, '--json', 'config', 'history']);
    assert.equal(history.code, 0, history.stderr);
    const revisions = JSON.parse(history.stdout) as { id: number; outcome: string; trigger: string }[];
    assert.ok(revisions.length >= 5);
    assert.deepEqual(revisions.slice(0, 2).map((r) => `${r.outcome}/${r.trigger}`), ['applied/reload-signal', 'applied/reload-signal']);
    const table = await runNode(TANDEMCTL_MAIN, ['-S', masterSocket, 'config', 'history', '2']);
    assert.match(table.stdout, /^# id +at +outcome +trigger +sha256 +node\n\d+ /);

    // The newest (s1 back, weight 2) against the one before (s1 removed, weight 2).
    const [newest, previous] = revisions;
    const diff = await runNode(TANDEMCTL_MAIN, ['-S', masterSocket, 'config', 'diff', String(previous!.id), String(newest!.id)]);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, new RegExp(`^--- .*tandem\\.cfg\\t\\(revision ${previous!.id}\\)\\n\\+\\+\\+ .*tandem\\.cfg\\t\\(revision ${newest!.id}\\)\\n@@ `));
    assert.match(diff.stdout, new RegExp(`\\n\\+    server s1 127\\.0\\.0\\.1:${stubs[0]!.port}\\n`));
    const missing = await runNode(TANDEMCTL_MAIN, ['-S', masterSocket, 'config', 'diff', '1', '999999']);
    assert.match(missing.stdout, /No such configuration: 999999\./);
  });
});
