// Scenario: what operators look at on the admin socket while traffic flows (issue #5 leftovers). One tandemd, two
// checked stub servers, an admin and a user socket:
// - `show sess` during a slow download lists the stream in HAProxy 2.6's one-line layout (fe, be, srv, age),
//   `show sess <id>` dumps it, `shutdown session <id>` (admin only) cuts it;
// - `show errors` after a request-smuggling shape (Content-Length with Transfer-Encoding, answered 400) holds the
//   frontend's capture, in HAProxy's layout with the escaped bytes;
// - `show stat` has non-empty rate, req_rate, lbtot, lastsess, lastchg and check columns (L4OK from the checks).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, httpGet, rawExchange, startHttpStub, stopScenario, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

/** A download read slowly; resolves with the number of body-and-head bytes received when the connection closes. */
function slowDownload(port: number, path: string): { done: Promise<number> } {
  const socket = connect({ host: '127.0.0.1', port });
  let received = 0;
  socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`));
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    socket.pause();
    setTimeout(() => socket.resume(), 20);
  });
  return { done: new Promise((resolve) => socket.on('close', () => resolve(received))) };
}

describe('admin socket observation: show sess, show errors, rates and checks in show stat', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const userSocket = join(dir.path, 'user.sock');
  const admin = (line: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, line, 10_000);
  const user = (line: string) => sendControlCommand({ kind: 'unix', path: userSocket }, line, 10_000);
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let port = 0;

  const showStat = async () => {
    const [header, ...rows] = (await admin('show stat')).trimEnd().split('\n');
    const names = header!.replace(/^# /, '').split(',');
    return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i], v])) as Record<string, string>);
  };
  const row = async (px: string, sv: string) => (await showStat()).find((r) => r.pxname === px && r.svname === sv)!;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  before(async () => {
    stubs = await Promise.all(['s1', 's2'].map(startHttpStub));
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
    server s1 127.0.0.1:${stubs[0]!.port} check inter 200
    server s2 127.0.0.1:${stubs[1]!.port} check inter 200
`;
    daemon = await bootTandemd(dir, config);
  });

  after(() => stopScenario(daemon, stubs, dir));

  test('show sess lists a slow download in HAProxy 2.6\'s layout; show sess <id>; shutdown session cuts it', async () => {
    const download = slowDownload(port, `/slow/${8 * 1024 * 1024}/20`);
    let line: string | undefined;
    for (let i = 0; i < 100 && !line; i++) {
      line = (await admin('show sess')).split('\n').find((l) => / srv=s[12] /.test(l));
      if (!line) await sleep(20);
    }
    assert.ok(line, 'the download shows in show sess');
    assert.match(line, /^0x[0-9a-f]+: proto=tcpv4 src=127\.0\.0\.1:\d+ fe=fe be=be srv=s[12] ts=00 epoch=0x0 age=\d+s calls=1 rate=0 cpu=0 lat=0 rq\[f=0h,i=0,an=00h,rx=,wx=,ax=\] rp\[f=0h,i=0,an=00h,rx=,wx=,ax=\] s0=\[8,0h,fd=\d+,ex=\] s1=\[8,0h,fd=\d+,ex=\] exp=<NEVER>$/);
    const id = line.slice(0, line.indexOf(':'));
    const detail = await user(`show sess ${id}`);
    assert.match(detail, new RegExp(`^${id}: \\[.+\\] id=\\d+ proto=tcpv4 source=127\\.0\\.0\\.1:\\d+\\n`));
    assert.match(detail, /\n {2}backend=be \(id=2 mode=http\)\n {2}server=s[12] \(id=[12]\) addr=127\.0\.0\.1:\d+\n/);
    assert.match(detail, /\n {2}txn=0x[0-9a-f]+ flags=0x0 meth=GET status=-1 uri=\/slow\//);
    assert.equal(await user(`shutdown session ${id}`), 'Permission denied\n\n');
    assert.equal(await admin(`shutdown session ${id}`), '\n');
    const received = await download.done;
    assert.ok(received < 8 * 1024 * 1024, `the download was cut (${received} bytes)`);
    assert.equal(await admin(`shutdown session ${id}`), "No such session (use 'show sess').\n\n");
    assert.ok(!(await admin('show sess')).includes(`${id}:`));
  });

  test('show errors holds the last invalid request of the frontend after a smuggling shape', async () => {
    const smuggling = 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
    assert.match(await rawExchange(port, smuggling, { idleMs: 1_000 }), /^HTTP\/1\.[01] 400 /);
    const out = await admin('show errors');
    assert.match(out, /^Total events captured on \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] : [1-9]\d*\n\n\[/);
    assert.match(out, /\] frontend fe \(#1\): invalid request\n {2}backend be \(#2\), server <NONE> \(#-1\), event #\d+, src 127\.0\.0\.1:\d+\n {2}buffer starts at 0/);
    assert.match(out, /\n {2}00000 {2}POST \/ HTTP\/1\.1\\r\\n\n/);
    assert.match(out, /\n {2}\d{5} {2}Transfer-Encoding: chunked\\r\\n\n/);
    assert.match(await admin('show errors fe request'), /invalid request/);
    assert.doesNotMatch(await admin('show errors -1 response'), /invalid request/);
    assert.equal(await user('show errors'), 'Permission denied\n\n');
  });

  test('show stat: rate, req_rate, lbtot, lastsess, lastchg and check columns are filled', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await httpGet(port, '/')).status, 200);
    let s1 = await row('be', 's1');
    for (let i = 0; i < 50 && s1.check_status !== 'L4OK'; i++) {
      await sleep(50);
      s1 = await row('be', 's1');
    }
    const fe = await row('fe', 'FRONTEND');
    const be = await row('be', 'BACKEND');
    assert.ok(Number(fe.rate_max) >= 1 && Number(fe.req_rate_max) >= 6, `fe rate_max ${fe.rate_max} req_rate_max ${fe.req_rate_max}`);
    assert.ok(fe.rate !== '' && fe.req_rate !== '');
    assert.ok(Number(be.lbtot) >= 6 && Number(be.rate_max) >= 1, `be lbtot ${be.lbtot}`);
    assert.deepEqual([be.qcur, be.qmax], ['0', '0']);
    assert.ok(Number(s1.lbtot) >= 3 && Number(s1.lastsess) >= 0 && s1.lastchg !== '', `s1 lbtot ${s1.lbtot} lastsess ${s1.lastsess}`);
    assert.equal(s1.check_status, 'L4OK');
    assert.ok(s1.check_duration !== '' && s1.chkfail === '0' && s1.chkdown === '0' && s1.downtime === '0');
    const typed = await admin('show stat typed');
    assert.match(typed, /^S\.2\.1\.36\.check_status\.1:SOP:str:L4OK$/m);
    assert.match(typed, /^F\.1\.0\.46\.req_rate\.1:MRP:u32:\d+$/m);
  });
});
