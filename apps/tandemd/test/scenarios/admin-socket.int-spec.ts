// Scenario: the HAProxy-compatible admin socket (issue #5, part 1). A tandemd with `stats socket ... level admin`
// (and one at level user) in front of two stub servers: `show stat` answers HAProxy's CSV with FRONTEND, server
// and BACKEND rows; `set server be/s1 state drain` takes s1 out of rotation for new requests and `show stat` says
// DRAIN; `state ready` brings it back; weights change and read back with `get weight`; HAProxy's refusals.
// The project's own client (sendControlCommand) is used: socat is not installed in the build image.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, httpGet, startHttpStub, stopScenario, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

describe('admin socket: show stat, set server, weights', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const userSocket = join(dir.path, 'user.sock');
  const admin = (line: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, line, 10_000);
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let port = 0;

  /** The `show stat` rows as objects keyed by column name. */
  const showStat = async () => {
    const answer = await admin('show stat');
    assert.ok(answer.endsWith('\n\n'), 'the answer ends with an empty line');
    const [header, ...rows] = answer.trimEnd().split('\n');
    const names = header!.replace(/^# /, '').split(',');
    return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i], v])) as Record<string, string>);
  };
  const servedBy = async (n: number) => {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) seen.push((await httpGet(port, '/')).body);
    return seen;
  };

  before(async () => {
    stubs = await Promise.all(['s1', 's2'].map(startHttpStub));
    port = await freePort();
    const config = `global
    stats socket ${adminSocket} level admin
    stats socket ${userSocket} mode 600 level user
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
    server s1 127.0.0.1:${stubs[0]!.port}
    server s2 127.0.0.1:${stubs[1]!.port}
`;
    daemon = await bootTandemd(dir, config);
  });

  after(() => stopScenario(daemon, stubs, dir));

  test('show stat: the HAProxy header, then FRONTEND, the servers and BACKEND', async () => {
    await servedBy(4);
    const answer = await admin('show stat');
    assert.ok(answer.startsWith('# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,'));
    const rows = await showStat();
    assert.deepEqual(rows.map((r) => `${r.pxname}/${r.svname}/${r.type}/${r.status}`), ['fe/FRONTEND/0/OPEN', 'be/s1/2/no check', 'be/s2/2/no check', 'be/BACKEND/1/UP']);
    const fe = rows[0]!;
    assert.ok(Number(fe.stot) >= 4, `frontend stot ${fe.stot}`);
    assert.ok(Number(fe.hrsp_2xx) >= 4, `frontend hrsp_2xx ${fe.hrsp_2xx}`);
    assert.equal(rows[1]!.addr, `127.0.0.1:${stubs[0]!.port}`);
    assert.equal(rows[3]!.act, '2');
    assert.equal(rows[3]!.algo, 'roundrobin');
  });

  test('set server be/s1 state drain: new requests avoid s1; show stat says DRAIN; ready restores it', async () => {
    assert.equal(await admin('set server be/s1 state drain'), '\n');
    assert.deepEqual(await servedBy(4), ['s2', 's2', 's2', 's2']);
    const drained = (await showStat()).find((r) => r.svname === 's1')!;
    assert.equal(drained.status, 'DRAIN');
    assert.equal(drained.weight, '0');
    assert.match(await admin('show servers state be'), /^1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state .*\n\d+ be 1 s1 127\.0\.0\.1 2 8 1 1 /);

    assert.equal(await admin('set server be/s1 state ready'), '\n');
    assert.equal((await showStat()).find((r) => r.svname === 's1')!.status, 'no check');
    assert.deepEqual(new Set(await servedBy(4)), new Set(['s1', 's2']));
  });

  test('set server be/s1 weight 0, get weight, then back to 1', async () => {
    assert.equal(await admin('get weight be/s1'), '1 (initial 1)\n\n');
    assert.equal(await admin('set server be/s1 weight 0'), '\n');
    assert.equal(await admin('get weight be/s1'), '0 (initial 1)\n\n');
    assert.deepEqual(await servedBy(3), ['s2', 's2', 's2']);
    assert.equal(await admin('set server be/s1 weight 100%; get weight be/s1'), '\n1 (initial 1)\n\n');
    assert.deepEqual(new Set(await servedBy(4)), new Set(['s1', 's2']));
  });

  test('disable / enable server, and HAProxy\'s refusals', async () => {
    assert.equal(await admin('disable server be/s2'), '\n');
    assert.equal((await showStat()).find((r) => r.svname === 's2')!.status, 'MAINT');
    assert.equal(await admin('enable server be/s2'), '\n');
    assert.equal(await admin('set server nope/s1 state drain'), 'No such backend.\n\n');
    assert.equal(await admin('set server be/nope state drain'), 'No such server.\n\n');
    assert.equal(await admin('set server be/s1 state up'), "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n");
  });

  test('a level user socket reads but may not change a server', async () => {
    const user = (line: string) => sendControlCommand({ kind: 'unix', path: userSocket }, line, 10_000);
    assert.ok((await user('show stat')).startsWith('# pxname,svname,'));
    assert.equal(await user('get weight be/s1'), '1 (initial 1)\n\n');
    assert.equal(await user('set server be/s1 state maint'), 'Permission denied\n\n');
    assert.equal((await showStat()).find((r) => r.svname === 's1')!.status, 'no check');
  });
});
