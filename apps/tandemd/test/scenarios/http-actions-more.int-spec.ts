// Scenario (HAProxy 2.6 section 3.4 "Userlists" and 4.2 "http-request"): a real daemon, a stub backend, real
// sockets and curl.
//  - `userlist` with a `$6$` hash made by `openssl passwd -6` and an `insecure-password` user in a group;
//    `http-request auth realm <r> unless { http_auth(<list>) }` answers 401 with `WWW-Authenticate: Basic
//    realm="<r>"`; `curl -u user:pass` gets through, a wrong password does not; `http_auth_group` routes by group;
//  - `http-request reject` closes the connection with no answer; `silent-drop` resets it;
//  - `set-src` from a header, read back by a later rule with `%[src]`; `set-pathq`; `normalize-uri`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { bootTandemd, freePort, hasProgram, parseResponse, rawExchange, runCommand, startHttpStub, type StubBackend, TandemdProcess, TempDir, stopScenario } from '@tandem/testing';

describe('http-request auth with userlists, reject, silent-drop, set-src, set-pathq, normalize-uri', async () => {
  const tools = (await hasProgram('curl')) && (await hasProgram('openssl'));
  const dir = new TempDir();
  let stub: StubBackend;
  let admins: StubBackend;
  let daemon: TandemdProcess;
  let port = 0;

  const get = async (path: string, extra = '') => parseResponse(await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}Connection: close\r\n\r\n`, { idleMs: 5_000 }));
  const basic = (user: string, pass: string) => `Authorization: Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}\r\n`;

  before(async () => {
    if (!tools) return;
    stub = await startHttpStub('app');
    admins = await startHttpStub('admins');
    port = await freePort();
    const hash = (await runCommand('openssl', ['passwd', '-6', 's3cret!'])).stdout.trim();
    assert.match(hash, /^\$6\$/);
    const config = [
      'userlist people',
      '    group admin',
      '    group ops users bob',
      `    user alice password ${hash} groups admin`,
      '    user bob insecure-password hunter2',
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 10s',
      '    timeout server 10s',
      'frontend fe',
      `    bind 127.0.0.1:${port}`,
      '    http-request reject if { path_beg /reject }',
      '    http-request silent-drop if { path_beg /drop }',
      '    http-request normalize-uri path-merge-slashes',
      '    http-request normalize-uri path-strip-dotdot full',
      '    http-request set-src req.hdr(x-real-ip) if { req.hdr(x-real-ip) -m found }',
      '    http-request set-header X-Seen-Src %[src]',
      '    http-request set-pathq /rewritten?x=1 if { path_beg /pq }',
      '    http-request auth realm Private unless { path_beg /open } || { http_auth(people) }',
      '    use_backend be_admins if { http_auth_group(people) admin }',
      '    default_backend be_app',
      `backend be_app\n    server s1 127.0.0.1:${stub.port}`,
      `backend be_admins\n    server s1 127.0.0.1:${admins.port}`,
      '',
    ].join('\n');
    daemon = await bootTandemd(dir, config);
  });

  after(() => stopScenario(daemon, [stub, admins], dir));

  test('no credentials: 401 with the realm; a wrong password: 401; the open path passes', { skip: !tools }, async () => {
    const r = await get('/x');
    assert.equal(r.status, 401);
    assert.equal(r.headers['www-authenticate'], 'Basic realm="Private"');
    assert.match(r.body, /401 Unauthorized/);
    assert.equal((await get('/x', basic('alice', 'wrong'))).status, 401);
    assert.equal((await get('/x', basic('nobody', 's3cret!'))).status, 401);
    assert.equal((await get('/open')).status, 200);
  });

  test('curl -u against the $6$ hash reaches the admin backend (http_auth_group); bob (insecure-password) the app', { skip: !tools }, async () => {
    const ok = await runCommand('curl', ['-s', '--max-time', '10', '-u', 'alice:s3cret!', '-w', '\n%{http_code}', `http://127.0.0.1:${port}/page`]);
    assert.equal(ok.stdout, 'admins\n200');
    const bad = await runCommand('curl', ['-s', '--max-time', '10', '-u', 'alice:nope', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port}/page`]);
    assert.equal(bad.stdout, '401');
    const bob = await get('/page', basic('bob', 'hunter2'));
    assert.equal(bob.status, 200);
    assert.equal(bob.body, 'app');
  });

  test('reject closes without any answer; silent-drop resets the connection', { skip: !tools }, async () => {
    assert.equal(await rawExchange(port, 'GET /reject HTTP/1.1\r\nHost: t\r\n\r\n', { idleMs: 3_000 }), '');
    const outcome = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      const timer = setTimeout(() => (s.destroy(), resolve('timeout')), 5_000);
      let data = '';
      s.on('connect', () => s.write('GET /drop HTTP/1.1\r\nHost: t\r\n\r\n'));
      s.on('data', (d) => (data += d.toString()));
      s.on('error', (e: NodeJS.ErrnoException) => (clearTimeout(timer), resolve(`error ${e.code} ${data}`)));
      s.on('end', () => (clearTimeout(timer), resolve(`fin ${data}`)));
    });
    assert.equal(outcome.trim(), 'error ECONNRESET');
  });

  test('set-src is what a later rule reads; set-pathq and normalize-uri rewrite what the server gets', { skip: !tools }, async () => {
    const r = await get('/open/a', 'X-Real-IP: 203.0.113.9\r\n');
    assert.equal(r.status, 200);
    assert.equal(stub.lastHeaders['x-seen-src'], '203.0.113.9');
    await get('/open//b/../../../open/c');
    assert.match(stub.received, /GET \/open\/c HTTP\/1\.1\r\n/);
    await get('/pq/page?old=1', basic('bob', 'hunter2'));
    assert.match(stub.received, /GET \/rewritten\?x=1 HTTP\/1\.1\r\n/);
  });
});
