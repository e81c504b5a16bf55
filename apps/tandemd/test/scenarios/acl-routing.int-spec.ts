// Scenario (issue #6): the seed's L7 policy blocks on real daemons, stub backends and real sockets.
//  - block 06 (ACL routing): /api and /static go to their clusters; `acl is_admin` is declared twice, which HAProxy
//    reads as an OR (path /admin OR source in the internal range), and the load warns naming both lines;
//  - the base config (block 01): `http-request redirect scheme https unless { ssl_fc }` answers 302 to
//    https://<host><uri> on the plain port and forwards on the TLS one;
//  - block 09: `http-response set-header Strict-Transport-Security …` on every response.
// The seed's addresses are rewritten to loopback; the internal range 10.10.0.0/16 becomes 127.0.0.1/32 so that a
// client bound to 127.0.0.2 is "external".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { connect as tcpConnect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonArgs, freePort, parseResponse, selfSignedPem, startHttpStub, TandemdProcess, TempDir, type StubBackend, stopScenario } from '@tandem/testing';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'seeds');
const DEFAULTS = 'defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n';

/** One GET over plain TCP or TLS from a chosen local address; the whole response as parsed text. */
function request(port: number, path: string, options: { tls?: boolean; from?: string; host?: string } = {}): Promise<ReturnType<typeof parseResponse>> {
  return new Promise((resolve, reject) => {
    const common = { host: '127.0.0.1', port, localAddress: options.from ?? '127.0.0.1' };
    const socket = options.tls ? tlsConnect({ ...common, rejectUnauthorized: false, servername: 'solvethenetwork.com' }) : tcpConnect(common);
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer for ${path}`)), 10_000);
    socket.once(options.tls ? 'secureConnect' : 'connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${options.host ?? 'solvethenetwork.com'}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(text));
    });
  });
}

function seed(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

describe('seed block 06: ACL routing, with the repeated acl name read as an OR', () => {
  const dir = new TempDir();
  const stubs: Record<string, StubBackend> = {};
  let daemon: TandemdProcess;
  let port = 0;
  let configPath = '';

  before(async () => {
    for (const name of ['api', 'cdn', 'admin', 'web']) stubs[name] = await startHttpStub(name);
    port = await freePort();
    const pem = await selfSignedPem(dir, 'solvethenetwork.com');
    const block = seed('06-acl-routing.cfg')
      .replace('10.10.0.0/16', '127.0.0.1/32')
      .replace('10.10.10.1:443', `127.0.0.1:${port}`)
      .replace('/etc/haproxy/certs/solvethenetwork.com.pem', pem);
    const backends = [['api_cluster', 'api'], ['cdn_origin', 'cdn'], ['admin_backend', 'admin'], ['web_servers', 'web']]
      .map(([be, stub]) => `backend ${be}\n    server s1 127.0.0.1:${stubs[stub!]!.port}\n`).join('');
    const args = daemonArgs(dir, DEFAULTS + block + backends);
    configPath = args[1]!;
    daemon = new TandemdProcess(args);
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    for (const s of Object.values(stubs)) await s.close();
    dir.cleanup();
  });

  test('the load warns that the repeated is_admin reads as an OR, naming both lines and the AND form', () => {
    const text = readFileSync(configPath, 'utf8').split('\n');
    const lines = text.flatMap((l, i) => (/^\s*acl is_admin /.test(l) ? [i + 1] : []));
    assert.equal(lines.length, 2);
    const warning = daemon.log.split('\n').find((l) => l.includes('[WARNING]') && l.includes("ACL 'is_admin'"));
    assert.ok(warning, daemon.log);
    assert.ok(warning.includes(`${configPath}:${lines[1]}`), warning);
    assert.ok(warning.includes(`first at ${configPath}:${lines[0]}`), warning);
    assert.match(warning, /ORed/);
    assert.match(warning, /if is_admin_path is_admin_src/);
  });

  test('/api/ and /static/ go to their backends; anything else to web_servers', async () => {
    assert.equal((await request(port, '/api/users?id=1', { tls: true, from: '127.0.0.2' })).body, 'api');
    assert.equal((await request(port, '/assets/app.css', { tls: true, from: '127.0.0.2' })).body, 'cdn');
    assert.equal((await request(port, '/images/a.png', { tls: true, from: '127.0.0.2' })).body, 'cdn');
    assert.equal((await request(port, '/', { tls: true, from: '127.0.0.2' })).body, 'web');
    assert.equal((await request(port, '/apiv2', { tls: true, from: '127.0.0.2' })).body, 'web');
  });

  test('is_admin is an OR: /admin from outside the internal range, and any path from inside it, reach admin_backend', async () => {
    assert.equal((await request(port, '/admin/users', { tls: true, from: '127.0.0.2' })).body, 'admin', 'path alone (an AND would send this to web)');
    assert.equal((await request(port, '/', { tls: true, from: '127.0.0.1' })).body, 'admin', 'internal source alone');
    assert.equal((await request(port, '/api/x', { tls: true, from: '127.0.0.1' })).body, 'api', 'use_backend rules are tried in order');
  });
});

describe('seed block 01: http-request redirect scheme https unless { ssl_fc }', () => {
  const dir = new TempDir();
  const stubs: StubBackend[] = [];
  let daemon: TandemdProcess;
  let plain = 0;
  let secure = 0;

  before(async () => {
    for (const n of ['web01', 'web02', 'web03']) stubs.push(await startHttpStub(n));
    plain = await freePort();
    secure = await freePort();
    const pem = await selfSignedPem(dir, 'solvethenetwork.com');
    const text = seed('01-base.cfg');
    // The document's frontend, verbatim but for its addresses; its backend with the loopback stubs.
    const frontend = text.slice(text.indexOf('frontend http_in'), text.indexOf('\nbackend web_servers') + 1)
      .replace('10.10.10.1:80', `127.0.0.1:${plain}`)
      .replace('10.10.10.1:443', `127.0.0.1:${secure}`)
      .replace('/etc/haproxy/certs/solvethenetwork.com.pem', pem);
    assert.match(frontend, /http-request redirect scheme https unless \{ ssl_fc \}/);
    const backend = `backend web_servers\n    balance roundrobin\n${stubs.map((s) => `    server ${s.name} 127.0.0.1:${s.port}\n`).join('')}`;
    daemon = new TandemdProcess(daemonArgs(dir, DEFAULTS + '    option forwardfor\n    option http-server-close\n' + frontend + backend));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    for (const s of stubs) await s.close();
    dir.cleanup();
  });

  test('plain HTTP gets 302 to https://<host><uri>, and no server sees the request', async () => {
    const before = stubs.reduce((n, s) => n + s.hits, 0);
    const r = await request(plain, '/shop/cart?item=42', { host: 'solvethenetwork.com' });
    assert.equal(r.status, 302);
    assert.equal(r.headers['location'], 'https://solvethenetwork.com/shop/cart?item=42');
    assert.equal(r.body, '');
    assert.equal(stubs.reduce((n, s) => n + s.hits, 0), before);
  });

  test('over TLS the request is forwarded to web_servers', async () => {
    const r = await request(secure, '/', { tls: true });
    assert.equal(r.status, 200);
    assert.match(r.body, /^web0[123]$/);
  });
});

describe('seed block 09: HSTS on every response', () => {
  const dir = new TempDir();
  let stub: StubBackend;
  let daemon: TandemdProcess;
  let port = 0;

  before(async () => {
    stub = await startHttpStub('web01');
    port = await freePort();
    const pem = await selfSignedPem(dir, 'solvethenetwork.com');
    const block = seed('09-tls-termination.cfg').replace('10.10.10.1:443', `127.0.0.1:${port}`).replace('/etc/haproxy/certs/solvethenetwork.com.pem', pem);
    daemon = new TandemdProcess(daemonArgs(dir, DEFAULTS + block + `backend web_servers\n    server web01 127.0.0.1:${stub.port}\n`));
    await daemon.start();
  });

  after(() => stopScenario(daemon, [stub], dir));

  test('every response from the servers carries Strict-Transport-Security as configured', async () => {
    for (const path of ['/', '/status/404', '/bytes/10', '/status/500']) {
      const r = await request(port, path, { tls: true });
      assert.equal(r.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains; preload', `${path}: ${JSON.stringify(r.headers)}`);
    }
  });
});
