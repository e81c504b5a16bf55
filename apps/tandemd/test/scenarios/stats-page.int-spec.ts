// Scenario: the stats page (issue #5, item 2) with the seed's stats block (10-stats.cfg, addresses rewritten to
// loopback and a free port), plus a backend to look at and `stats admin if TRUE`. Without credentials the page
// answers 401 with the seed's realm; with them, HAProxy's HTML page; `;csv` carries the same header as the admin
// socket's `show stat`; a drain posted from the page's form reaches the server as `set server … state drain` does
// (stored, applied, audited); `http-request use-service prometheus-exporter` exports HAProxy's metric names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, httpGet, parseResponse, rawExchange, startHttpStub, stopScenario, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'seeds');
const USER = 'infrarunbook-admin';
const PASSWORD = 'S3cur3P@ssw0rd!';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('stats page (seed 10-stats.cfg)', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const admin = (line: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, line, 10_000);
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let statsPort = 0;
  let port = 0;
  const auth = { Authorization: basic(USER, PASSWORD) };

  before(async () => {
    stubs = await Promise.all(['s1', 's2'].map(startHttpStub));
    statsPort = await freePort();
    port = await freePort();
    const seed = readFileSync(join(FIXTURES, '10-stats.cfg'), 'utf8').replace(/10\.10\.\d+\.\d+:8404/g, `127.0.0.1:${statsPort}`);
    const config = `global
    stats socket ${adminSocket} level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
${seed.trimEnd()}
    stats admin if TRUE
frontend fe
    bind 127.0.0.1:${port}
    http-request use-service prometheus-exporter if { path /metrics }
    default_backend be
backend be
    server s1 127.0.0.1:${stubs[0]!.port}
    server s2 127.0.0.1:${stubs[1]!.port}
`;
    daemon = await bootTandemd(dir, config);
  });

  after(() => stopScenario(daemon, stubs, dir));

  test('without credentials, or with wrong ones: 401 with the seed realm', async () => {
    for (const headers of [{}, { Authorization: basic(USER, 'wrong') }] as Record<string, string>[]) {
      const r = await httpGet(statsPort, '/haproxy?stats', headers);
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], 'Basic realm="HAProxy Statistics"');
      assert.match(r.body, /401 Unauthorized/);
    }
  });

  test('with the seed credentials: the HTML page with a table per proxy, legends, no version', async () => {
    const r = await httpGet(statsPort, '/haproxy?stats', auth);
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type']!, /text\/html/);
    assert.equal(r.headers['refresh'], '5');
    for (const name of ['stats', 'fe', 'be']) assert.match(r.body, new RegExp(`<a class=px href="#${name}">${name}</a>`));
    assert.match(r.body, /active UP, going down/, 'stats show-legends');
    assert.doesNotMatch(r.body, /version/, 'stats hide-version');
    assert.match(r.body, /Statistics Report for pid \d+ on /, 'stats show-node');
    assert.match(r.body, /<option value="drain">Set state to DRAIN<\/option>/, 'stats admin if TRUE');
    const norefresh = await httpGet(statsPort, '/haproxy?stats;norefresh', auth);
    assert.equal(norefresh.headers['refresh'], undefined);
  });

  test(';csv has the same header as `show stat` on the admin socket, ;json is HAProxy typed JSON', async () => {
    const csv = await httpGet(statsPort, '/haproxy?stats;csv', auth);
    assert.equal(csv.status, 200);
    const socket = await admin('show stat');
    assert.equal(csv.body.split('\n')[0], socket.split('\n')[0]);
    assert.deepEqual(csv.body.split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join('/')).filter(Boolean), socket.split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join('/')).filter(Boolean));
    const json = JSON.parse((await httpGet(statsPort, '/haproxy?stats;json', auth)).body) as Array<Array<{ field: { name: string }; value: { value: unknown } }>>;
    const s1 = json.find((row) => row.some((f) => f.field.name === 'svname' && f.value.value === 's1'));
    assert.ok(s1, 'a row for be/s1');
  });

  test('the admin form drains a server through the admin path (applied, stored, audited)', async () => {
    const csv = (await httpGet(statsPort, '/haproxy?stats;csv', auth)).body.split('\n');
    const names = csv[0]!.replace(/^# /, '').split(',');
    const beRow = csv.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v]))).find((r) => r.pxname === 'be' && r.svname === 'BACKEND')!;
    const form = `s=s1&action=drain&b=%23${beRow.iid}`;
    const post = parseResponse(await rawExchange(statsPort, [`POST /haproxy?stats HTTP/1.1`, 'Host: test', 'Connection: close', `Authorization: ${auth.Authorization}`, 'Content-Type: application/x-www-form-urlencoded', `Content-Length: ${form.length}`, '', form].join('\r\n'), { idleMs: 5_000 }));
    assert.equal(post.status, 303);
    assert.equal(post.headers['location'], '/haproxy?stats;st=DONE');
    let stat = '';
    for (let i = 0; i < 100 && !/^be,s1,(?:[^,]*,){15}DRAIN,/m.test(stat); i++) {
      stat = await admin('show stat');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.match(stat, /^be,s1,(?:[^,]*,){15}DRAIN,/m);
    assert.match(await admin('show audit 100'), /set server be\/s1 state drain/);
    const page = await httpGet(statsPort, '/haproxy?stats;st=DONE', auth);
    assert.match(page.body, /Action processed successfully/);
    assert.match(page.body, /<tr class="active_draining">/);
  });

  test('http-request use-service prometheus-exporter: HAProxy metric names', async () => {
    await httpGet(port, '/');
    const r = await httpGet(port, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.body, /^haproxy_frontend_current_sessions\{proxy="fe"\} \d+$/m);
    assert.match(r.body, /^haproxy_backend_http_responses_total\{proxy="be",code="2xx"\} [1-9]\d*$/m);
    assert.match(r.body, /^haproxy_server_status\{proxy="be",server="s1",state="DRAIN"\} 1$/m);
  });

  test('beyond HAProxy: latency histograms per backend, p50/p99 in ;latency JSON, the page and Prometheus', async () => {
    for (let i = 0; i < 5; i++) await httpGet(port, '/');
    const latency = JSON.parse((await httpGet(statsPort, '/haproxy?stats;latency', auth)).body) as Record<string, Record<string, { count: number; p50_ms?: number; p99_ms?: number }>>;
    assert.ok(latency['be']!['total']!.count >= 5, JSON.stringify(latency));
    for (const phase of ['connect', 'response', 'total']) {
      assert.equal(typeof latency['be']![phase]!.p50_ms, 'number', phase);
      assert.equal(typeof latency['be']![phase]!.p99_ms, 'number', phase);
    }
    assert.match((await httpGet(statsPort, '/haproxy?stats', auth)).body, /Latency \(Tandem\)/);
    const metrics = (await httpGet(port, '/metrics')).body;
    assert.match(metrics, /^# TYPE tandem_backend_response_time_seconds histogram$/m);
    assert.match(metrics, /^tandem_backend_total_time_seconds_count\{proxy="be"\} [1-9]\d*$/m);
  });
});
