// Scenario: cookie persistence (seed block 07, issue #6 item 4) with three stub servers on loopback.
// - a first request gets `Set-Cookie: SERVERID=<server>; path=/` and `Cache-Control: private` (insert nocache);
// - 1,000 requests with the cookie all reach that server, which never sees the cookie (indirect), and get no new one;
// - that server fails its health check: the next request with its cookie goes to another server and gets a
//   rewritten cookie, which then sticks;
// - a server set to DRAIN on the admin socket still serves its sticky clients while new clients avoid it;
// - the seed's `stick on cookie(SERVERID)` loads and runs; as in HAProxy, `insert indirect` removes the cookie before
//   the stick rules read the request, so its table stays empty (the cookie alone carries the persistence);
// - `stick on src` in a roundrobin backend: one client address keeps its server across 100 fresh connections,
//   `show table` lists the entry with its server_id, and after `clear table` the client moves and sticks again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, httpGet, startHttpStub, stopScenario, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'seeds');
const NAMES = ['node01', 'node02', 'node03'];

interface Answer {
  readonly status: number;
  readonly servedBy: string;
  readonly setCookie: readonly string[];
  readonly cacheControl: string | undefined;
}

describe('seed 07: cookie SERVERID insert indirect nocache', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const admin = (line: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, line, 10_000);
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let port = 0;

  const get = (cookie?: string, fresh = false): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = cookie ? { cookie } : {};
      const req = request({ host: '127.0.0.1', port, path: '/', headers, agent: fresh ? false : agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const sc = res.headers['set-cookie'];
          resolve({ status: res.statusCode ?? 0, servedBy: String(res.headers['x-served-by'] ?? ''), setCookie: sc ?? [], cacheControl: res.headers['cache-control'] });
        });
      });
      req.on('error', reject);
      req.end();
    });
  const stub = (name: string) => stubs[NAMES.indexOf(name)]!;

  before(async () => {
    stubs = await Promise.all(NAMES.map(startHttpStub));
    port = await freePort();
    let seed = readFileSync(join(FIXTURES, '07-sticky-cookie.cfg'), 'utf8');
    NAMES.forEach((n, i) => (seed = seed.replace(new RegExp(`10\\.10\\.60\\.\\d+:8080( check cookie ${n})`), `127.0.0.1:${stubs[i]!.port}$1`)));
    // Fast HTTP checks so a failing server is marked DOWN within a few hundred milliseconds.
    seed = seed.replace(/^backend sticky_app$/m, 'backend sticky_app\n    option httpchk GET /healthz\n    default-server inter 100 fall 1 rise 1');
    const config = `global
    stats socket ${adminSocket} level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${port}
    default_backend sticky_app
${seed}`;
    daemon = await bootTandemd(dir, config);
  });

  after(async () => {
    agent.destroy();
    await daemon?.stop();
    await Promise.all(stubs.map((s) => s.close()));
    dir.cleanup();
  });

  let first = '';

  test('a first request gets the cookie of the server that answered, with Cache-Control: private', async () => {
    const a = await get();
    assert.equal(a.status, 200);
    assert.ok(NAMES.includes(a.servedBy), a.servedBy);
    assert.deepEqual(a.setCookie, [`SERVERID=${a.servedBy}; path=/`]);
    assert.equal(a.cacheControl, 'private');
    first = a.servedBy;
  });

  test('1,000 requests with the cookie all reach the same server, which never sees the cookie, and get no new cookie', async () => {
    const before = stubs.map((s) => s.hitsOn('/'));
    const answers: Answer[] = [];
    for (let round = 0; round < 100; round++) answers.push(...(await Promise.all(Array.from({ length: 10 }, () => get(`a=1; SERVERID=${first}; b=2`)))));
    assert.equal(answers.length, 1000);
    assert.deepEqual([...new Set(answers.map((a) => `${a.status} ${a.servedBy}`))], [`200 ${first}`]);
    assert.equal(answers.filter((a) => a.setCookie.length > 0).length, 0, 'a valid cookie is not set again');
    assert.equal(stub(first).hitsOn('/') - before[NAMES.indexOf(first)]!, 1000, 'health checks aside, every request reached it');
    // indirect: the server sees the other cookies only (checked on every byte it received; health checks interleave).
    assert.match(stub(first).received, /\r\ncookie: a=1; b=2\r\n/i);
    assert.doesNotMatch(stub(first).received, /SERVERID/);
  });

  test('a wrong cookie is replaced by the cookie of the server that answered', async () => {
    const a = await get('SERVERID=nosuchserver', true);
    assert.equal(a.status, 200);
    assert.deepEqual(a.setCookie, [`SERVERID=${a.servedBy}; path=/`]);
  });

  test('the server goes DOWN: the next request with its cookie goes to another server and gets a rewritten cookie', async () => {
    stub(first).setHealth(500, 'down');
    let a: Answer | undefined;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      a = await get(`SERVERID=${first}`, true);
      if (a.servedBy !== first) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(a && a.servedBy !== first, `still served by ${first} after 5 s`);
    assert.equal(a.status, 200);
    assert.deepEqual(a.setCookie, [`SERVERID=${a.servedBy}; path=/`]);
    assert.equal(a.cacheControl, 'private');
    const next = a.servedBy;
    const again = await Promise.all(Array.from({ length: 20 }, () => get(`SERVERID=${next}`)));
    assert.deepEqual([...new Set(again.map((x) => x.servedBy))], [next], 'the rewritten cookie sticks');
    assert.equal(again.filter((x) => x.setCookie.length > 0).length, 0);
  });

  test('a draining server keeps its sticky clients; new clients avoid it', async () => {
    stub(first).setHealth(200, 'ok');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await get(`SERVERID=${first}`, true)).servedBy !== first) await new Promise((r) => setTimeout(r, 50));
    const drained = NAMES.find((n) => n !== first)!;
    assert.equal(await admin(`set server sticky_app/${drained} state drain`), '\n');
    const sticky = await Promise.all(Array.from({ length: 30 }, () => get(`SERVERID=${drained}`)));
    assert.deepEqual([...new Set(sticky.map((x) => `${x.status} ${x.servedBy}`))], [`200 ${drained}`]);
    assert.equal(sticky.filter((x) => x.setCookie.length > 0).length, 0);
    const fresh = await Promise.all(Array.from({ length: 30 }, () => get()));
    assert.equal(fresh.filter((x) => x.servedBy === drained).length, 0, 'no new client lands on the draining server');
    assert.ok(fresh.every((x) => x.setCookie.length === 1 && x.setCookie[0] === `SERVERID=${x.servedBy}; path=/`));
  });

  test("the seed's stick table sticky_app loaded; insert indirect removed the cookie before the stick rule, so it holds nothing", async () => {
    const out = await admin('show table sticky_app');
    assert.match(out, /^# table: sticky_app, type: string, size:102400, used:0\n/);
  });
});

describe('stick on src: a client address keeps its server with roundrobin', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const admin = (line: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, line, 10_000);
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let port = 0;
  const served = async () => {
    const r = await httpGet(port, '/', {});
    assert.equal(r.status, 200);
    return r.body;
  };

  before(async () => {
    stubs = await Promise.all(['a', 'b', 'c'].map(startHttpStub));
    port = await freePort();
    const config = `global
    stats socket ${adminSocket} level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${port}
    default_backend by_src
backend by_src
    balance roundrobin
    stick-table type ip size 1k expire 30m
    stick on src
${stubs.map((s, i) => `    server ${'abc'[i]} 127.0.0.1:${s.port}`).join('\n')}
`;
    daemon = await bootTandemd(dir, config);
  });

  after(() => stopScenario(daemon, stubs, dir));

  test('100 requests on fresh connections all reach the first server; show table lists the entry with its server_id', async () => {
    const first = await served();
    const answers: string[] = [];
    for (let i = 0; i < 100; i++) answers.push(await served());
    assert.deepEqual([...new Set(answers)], [first], 'roundrobin alone would spread them');
    const table = await admin('show table by_src');
    const id = 'abc'.indexOf(first) + 1;
    assert.match(table, /^# table: by_src, type: ip, size:1024, used:1\n/);
    assert.match(table, new RegExp(`key=127\\.0\\.0\\.1 use=0 exp=\\d+ server_id=${id}\\n`));
  });

  test('after clear table the client is balanced again (roundrobin moves it on) and sticks to its new server', async () => {
    const before = await served();
    assert.equal(await admin('clear table by_src'), '\n');
    const moved = await served();
    assert.notEqual(moved, before, 'roundrobin picks the next server once the entry is gone');
    const again = await Promise.all(Array.from({ length: 20 }, () => served()));
    assert.deepEqual([...new Set(again)], [moved]);
    assert.match(await admin('show table by_src'), new RegExp(`server_id=${'abc'.indexOf(moved) + 1}\\n`));
  });
});

describe('option persist: a cookie naming a DOWN server', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let live: StubBackend;
  let plain = 0;
  let redisp = 0;

  before(async () => {
    live = await startHttpStub('live');
    const dead = await freePort();
    [plain, redisp] = [await freePort(), await freePort()];
    const backend = (name: string, extra: string) => `backend ${name}
    cookie S insert
    option persist
${extra}    retries 1
    default-server check inter 100 fall 1 rise 1
    server dead 127.0.0.1:${dead} cookie dead
    server live 127.0.0.1:${live.port} cookie live
`;
    const config = `defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend fe_plain
    bind 127.0.0.1:${plain}
    default_backend persist_only
frontend fe_redisp
    bind 127.0.0.1:${redisp}
    default_backend persist_redispatch
${backend('persist_only', '')}${backend('persist_redispatch', '    option redispatch\n')}`;
    daemon = await bootTandemd(dir, config);
    // Both `dead` servers fail their first check within ~100 ms.
    await daemon.waitFor(/Server persist_only\/dead is DOWN/, 5000);
    await daemon.waitFor(/Server persist_redispatch\/dead is DOWN/, 5000);
  });

  after(async () => {
    await daemon?.stop();
    await live.close();
    dir.cleanup();
  });

  const get = (port: number, cookie?: string) => httpGet(port, '/', cookie ? { Cookie: cookie } : {});

  test('new clients avoid the DOWN server', async () => {
    const r = await get(plain);
    assert.equal(r.status, 200);
    assert.equal(r.headers['set-cookie'], 'S=live; path=/');
  });

  test('without option redispatch the request still goes to the DOWN server, and fails with 503 after the retries', async () => {
    const before = live.hitsOn('/');
    const r = await get(plain, 'S=dead');
    assert.equal(r.status, 503);
    assert.equal(live.hitsOn('/'), before, 'not balanced elsewhere');
  });

  test('with option redispatch the retry goes to a working server and the cookie is rewritten', async () => {
    const r = await get(redisp, 'S=dead');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'live');
    assert.equal(r.headers['set-cookie'], 'S=live; path=/');
  });
});
