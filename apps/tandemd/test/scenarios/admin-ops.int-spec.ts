// Scenario: the admin socket as operators drive it (issue #5 items 1, 5, 6, 7). One tandemd, two stub servers
// (a third one as a new address), an admin and a user stats socket:
// - Debian's socat: `echo "show stat" | socat stdio unix-connect:<sock>` answers HAProxy 2.6's CSV header and one
//   row per frontend, server and backend; `;`-separated commands; interactive `prompt` mode with `quit`;
// - `show info`, `show backend`, `show errors`, `show stat typed|json`, `clear counters all`, `set maxconn ...`,
//   `set server ... addr` (stored and re-applied after a reload), with their levels;
// - zero-downtime deploy: a slowly read multi-MB download on s1, `tandemctl drain be/s1 --wait` while it runs,
//   new requests avoid s1, `show stat` shows s1's scur going to 0, the download completes intact, `state ready`;
// - a hitless reload (SIGHUP) keeps the counters of the frontend, backend and servers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, hasProgram, httpGet, runCommand, runNode, startHttpStub, stopScenario, type StubBackend, TANDEMCTL_MAIN, TandemdProcess, TempDir } from '@tandem/testing';

/** A GET whose body is read slowly (the socket paused between chunks); resolves with the body's bytes. */
function slowDownload(port: number, path: string, pauseMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      socket.pause();
      setTimeout(() => socket.resume(), pauseMs);
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      resolve(end < 0 ? Buffer.alloc(0) : all.subarray(end + 4));
    });
  });
}

describe('admin socket operations: socat, new commands, drain, counters across reloads', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const userSocket = join(dir.path, 'user.sock');
  const admin = (line: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, line, 10_000);
  const user = (line: string) => sendControlCommand({ kind: 'unix', path: userSocket }, line, 10_000);
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let port = 0;
  let socat = false;

  const showStat = async () => {
    const [header, ...rows] = (await admin('show stat')).trimEnd().split('\n');
    const names = header!.replace(/^# /, '').split(',');
    return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i], v])) as Record<string, string>);
  };
  const row = async (px: string, sv: string) => (await showStat()).find((r) => r.pxname === px && r.svname === sv)!;
  const servedBy = async (n: number) => {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) seen.push((await httpGet(port, '/')).body);
    return seen;
  };
  const reload = async () => {
    const mark = daemon.log.length;
    daemon.signal('SIGHUP');
    await daemon.waitFor(/Reload complete|Configuration applied/, 10_000, mark);
  };

  before(async () => {
    socat = await hasProgram('socat');
    stubs = await Promise.all(['s1', 's2', 's3'].map(startHttpStub));
    port = await freePort();
    const config = `global
    stats socket ${adminSocket} level admin
    stats socket ${userSocket} level user
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
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

  test('socat: show stat answers the HAProxy 2.6 CSV header and one row per frontend, server and backend', async (t) => {
    if (!socat) return t.skip('socat is not installed (scripts/test.sh installs Debian\'s socat as root)');
    await servedBy(2);
    const { stdout, code } = await runCommand('socat', ['stdio', `unix-connect:${adminSocket}`], { input: 'show stat\n', timeoutMs: 10_000 });
    assert.equal(code, 0);
    assert.ok(stdout.startsWith('# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,'));
    assert.ok(stdout.endsWith('\n\n'), 'the answer ends with an empty line');
    const rows = stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join('/'));
    assert.deepEqual(rows, ['fe/FRONTEND', 'be/s1', 'be/s2', 'be/BACKEND']);

    const several = await runCommand('socat', ['stdio', `unix-connect:${adminSocket}`], { input: 'show backend; get weight be/s1\n', timeoutMs: 10_000 });
    assert.equal(several.stdout, '# name\nbe\n\n1 (initial 1)\n\n');
    // Interactive mode: the empty line and `> ` after each answer, until quit (-t: socat waits for the server).
    const prompt = await runCommand('socat', ['-t', '5', 'stdio', `unix-connect:${adminSocket}`], { input: 'prompt\nshow backend\nquit\n', timeoutMs: 10_000 });
    assert.equal(prompt.stdout, '\n> # name\nbe\n\n> ');
  });

  test('show info, show errors, show stat typed and json; levels', async () => {
    const info = await admin('show info');
    assert.match(info, /^Name: Tandem\nVersion: .+\n/);
    for (const key of ['Pid', 'Uptime_sec', 'Maxconn', 'CurrConns', 'CumConns', 'CumReq']) assert.match(info, new RegExp(`\\n${key}: \\d+\\n`));
    assert.match(await admin('show errors'), /^Total events captured on \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] : 0\n\n$/);
    assert.equal(await user('show errors'), 'Permission denied\n\n');
    const typed = await admin('show stat typed');
    assert.match(typed, /^F\.1\.0\.0\.pxname\.1:KNS:str:fe\n/m);
    assert.match(typed, /^S\.2\.1\.1\.svname\.1:KNS:str:s1$/m);
    const json = JSON.parse(await admin('show stat json')) as { objType: string }[][];
    assert.deepEqual(json.map((r) => r[0]!.objType), ['Frontend', 'Server', 'Server', 'Backend']);
    assert.match(await admin('help'), /show backend/);
  });

  test('set maxconn and set server addr; the address override survives a reload; clear counters all', async () => {
    assert.equal(await user('set maxconn server be/s1 5'), 'Permission denied\n\n');
    assert.equal(await admin('set maxconn server be/s1 5; set maxconn frontend fe 500; set maxconn global 3000'), '\n\n\n');
    assert.equal((await row('be', 's1')).slim, '5');
    assert.equal((await row('fe', 'FRONTEND')).slim, '500');
    assert.match(await admin('show info'), /\nMaxconn: 3000\n/);
    assert.equal(await admin('set maxconn server be/s1 0'), '\n');

    assert.equal(await admin(`set server be/s2 addr 127.0.0.1 port ${stubs[2]!.port}`), `port changed from '${stubs[1]!.port}' to '${stubs[2]!.port}' by 'stats socket command'\n\n`);
    assert.deepEqual(new Set(await servedBy(4)), new Set(['s1', 's3']));
    await reload();
    assert.equal((await row('be', 's2')).addr, `127.0.0.1:${stubs[2]!.port}`);
    assert.deepEqual(new Set(await servedBy(4)), new Set(['s1', 's3']));
    assert.equal(await admin(`set server be/s2 addr 127.0.0.1 port ${stubs[1]!.port}`), `port changed from '${stubs[2]!.port}' to '${stubs[1]!.port}' by 'stats socket command'\n\n`);
    assert.deepEqual(new Set(await servedBy(4)), new Set(['s1', 's2']));

    assert.equal(await admin('clear counters all'), '\n');
    assert.equal((await row('fe', 'FRONTEND')).stot, '0');
  });

  test('a hitless reload (SIGHUP) keeps the counters of frontends, backends and servers', async () => {
    await servedBy(6);
    const keys = ['stot', 'bin', 'bout', 'hrsp_2xx'] as const;
    const pick = (rows: Record<string, string>[]) => rows.map((r) => `${r.pxname}/${r.svname} ${keys.map((k) => r[k]).join(' ')}`);
    const before = pick(await showStat());
    assert.ok(Number((await row('fe', 'FRONTEND')).stot) >= 6);
    await reload();
    assert.deepEqual(pick(await showStat()), before);
    await servedBy(2);
    assert.equal(Number((await row('fe', 'FRONTEND')).hrsp_2xx), Number(before[0]!.split(' ')[4]) + 2);
  });

  test('drain: a slowly read download on s1 completes intact, new requests avoid s1, scur drains to 0, tandemctl drain --wait', async () => {
    const size = 3 * 1024 * 1024;
    // Put the download on s1: s2 out of rotation while it starts.
    assert.equal(await admin('set server be/s2 state maint'), '\n');
    const downloading = slowDownload(port, `/slow/${size}/10`, 5);
    for (let i = 0; i < 100 && (await row('be', 's1')).scur !== '1'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await row('be', 's1')).scur, '1');
    assert.equal(await admin('set server be/s2 state ready'), '\n');

    const ctl = runNode(TANDEMCTL_MAIN, ['-S', adminSocket, '--json', 'drain', 'be/s1', '--wait', '--timeout', '60s'], { timeoutMs: 90_000 });
    for (let i = 0; i < 100 && (await row('be', 's1')).status !== 'DRAIN'; i++) await new Promise((r) => setTimeout(r, 20));
    const draining = await row('be', 's1');
    assert.deepEqual([draining.status, draining.scur], ['DRAIN', '1']);
    assert.deepEqual(await servedBy(4), ['s2', 's2', 's2', 's2']);

    const body = await downloading;
    assert.equal(body.length, size);
    assert.ok(body.every((b) => b === 0x79), 'the body arrived intact');
    const done = await ctl;
    assert.equal(done.code, 0, done.stderr);
    const report = JSON.parse(done.stdout) as { idle: boolean; scur: number };
    assert.deepEqual([report.idle, report.scur], [true, 0]);
    assert.equal((await row('be', 's1')).scur, '0');

    assert.equal(await admin('set server be/s1 state ready'), '\n');
    assert.deepEqual(new Set(await servedBy(4)), new Set(['s1', 's2']));
  });
});
