// Scenario (HAProxy 2.6 configuration.txt 3.8 "http-errors" and 4.2 "http-request deny|return|redirect|del-header",
// "use-server"): a real daemon, stub backends, real sockets and curl -i.
//  - `deny deny_status 429 content-type … string … hdr …` answers that body and those fields;
//  - `deny errorfiles <name>` answers the http-errors section's file for the status; `errorfiles <name> 503` in the
//    frontend replaces the built-in 503 page;
//  - `return … file <path>` answers the file read at load;
//  - `redirect … set-cookie NAME=v` / `clear-cookie NAME` add HAProxy's exact Set-Cookie field;
//  - `del-header X-Debug- -m beg` removes every X-Debug-* field before the backend sees the request;
//  - `use-server %[req.hdr(x-srv)]` picks the server named by a header.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootTandemd, freePort, hasProgram, runCommand, startHttpStub, type StubBackend, TandemdProcess, TempDir, stopScenario } from '@tandem/testing';

const SORRY = 'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 20\r\nx-page: section\r\n\r\nforbidden by policy\n';
const BUSY = 'HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n\r\ncome back!!\n';

describe('local answers: deny/return options, http-errors, redirect cookies, del-header -m, dynamic use-server', async () => {
  const tools = await hasProgram('curl');
  const dir = new TempDir();
  let one: StubBackend;
  let two: StubBackend;
  let daemon: TandemdProcess;
  let port = 0;

  /** `curl -i`: the status, the fields (lower-case names, repeated ones joined by '\n') and the body. */
  const curl = async (path: string, ...args: string[]) => {
    const r = await runCommand('curl', ['-s', '-i', '--max-time', '10', ...args, `http://127.0.0.1:${port}${path}`]);
    const split = r.stdout.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = r.stdout.slice(0, split).split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      const n = l.slice(0, i).toLowerCase();
      headers[n] = headers[n] === undefined ? l.slice(i + 1).trim() : `${headers[n]}\n${l.slice(i + 1).trim()}`;
    }
    return { status: Number(statusLine.split(' ')[1]), headers, body: r.stdout.slice(split + 4) };
  };

  before(async () => {
    if (!tools) return;
    one = await startHttpStub('one');
    two = await startHttpStub('two');
    port = await freePort();
    const sorry = dir.file('403.http', SORRY);
    const busy = dir.file('503.http', BUSY);
    const health = dir.file('health.json', '{"status":"up"}\n');
    const config = [
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 10s',
      '    timeout server 10s',
      'frontend fe',
      `    bind 127.0.0.1:${port}`,
      '    errorfiles site 503',
      '    http-request deny deny_status 429 content-type text/plain string "slow down" hdr Retry-After 7 hdr X-Client %[src] if { path /limited }',
      '    http-request deny errorfiles site if { path_beg /admin }',
      '    http-request return content-type application/json file ' + health + ' if { path /health }',
      '    http-request redirect location /home set-cookie SEEN=1 if { path /login }',
      '    redirect location /bye clear-cookie SID code 303 if { path /logout }',
      '    http-request del-header X-Debug- -m beg',
      '    use_backend be_down if { path_beg /down }',
      '    default_backend be_app',
      'backend be_app',
      '    use-server %[req.hdr(x-srv)] if { req.hdr(x-srv) -m found }',
      `    server one 127.0.0.1:${one.port}`,
      `    server two 127.0.0.1:${two.port}`,
      'backend be_down',
      `    server gone 127.0.0.1:${await freePort()} disabled`,
      'http-errors site',
      `    errorfile 403 ${sorry}`,
      `    errorfile 503 ${busy}`,
      '',
    ].join('\n');
    daemon = await bootTandemd(dir, config);
  });

  after(() => stopScenario(daemon, [one, two], dir));

  test('deny with content-type, string and hdr (a log-format) answers that response', { skip: !tools }, async () => {
    const r = await curl('/limited');
    assert.equal(r.status, 429);
    assert.equal(r.body, 'slow down');
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.equal(r.headers['retry-after'], '7');
    assert.equal(r.headers['x-client'], '127.0.0.1');
    assert.equal(one.hits + two.hits, 0);
  });

  test("deny errorfiles answers the http-errors section's page; the frontend's errorfiles replaces the built-in 503", { skip: !tools }, async () => {
    const d = await curl('/admin/x');
    assert.equal(d.status, 403);
    assert.equal(d.headers['x-page'], 'section');
    assert.equal(d.body, 'forbidden by policy\n');
    const u = await curl('/down');
    assert.equal(u.status, 503);
    assert.equal(u.body, 'come back!!\n');
  });

  test('return … file answers the file read at load', { skip: !tools }, async () => {
    const r = await curl('/health');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.body, '{"status":"up"}\n');
  });

  test("redirect set-cookie and clear-cookie add HAProxy's Set-Cookie fields", { skip: !tools }, async () => {
    const a = await curl('/login');
    assert.equal(a.status, 302);
    assert.equal(a.headers['location'], '/home');
    assert.equal(a.headers['set-cookie'], 'SEEN=1; path=/;');
    const b = await curl('/logout');
    assert.equal(b.status, 303);
    assert.equal(b.headers['location'], '/bye');
    assert.equal(b.headers['set-cookie'], 'SID; path=/; Max-Age=0;');
  });

  test('del-header X-Debug- -m beg: the backend sees no X-Debug-* field, the others pass', { skip: !tools }, async () => {
    const r = await curl('/app', '-H', 'X-Debug-Token: t', '-H', 'x-debug-trace: 1', '-H', 'X-Debugger: kept-no', '-H', 'X-Keep: yes', '-H', 'x-srv: one');
    assert.equal(r.status, 200);
    assert.equal(one.lastHeaders['x-keep'], 'yes');
    assert.equal(one.lastHeaders['x-debug-token'], undefined);
    assert.equal(one.lastHeaders['x-debug-trace'], undefined);
    // `X-Debugger` does not start with `X-Debug-`: it stays.
    assert.equal(one.lastHeaders['x-debugger'], 'kept-no');
  });

  test('use-server %[req.hdr(x-srv)] sends each request to the server the header names', { skip: !tools }, async () => {
    for (let i = 0; i < 3; i++) assert.equal((await curl('/pick', '-H', 'x-srv: two')).body, 'two');
    for (let i = 0; i < 3; i++) assert.equal((await curl('/pick', '-H', 'x-srv: one')).body, 'one');
  });
});
