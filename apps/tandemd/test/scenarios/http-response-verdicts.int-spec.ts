// Scenario (issue #6): `http-response` verdicts on a real daemon, a real backend and real sockets.
//  - `http-response deny if { status 500 }`: the client gets 502 (HAProxy's default), never the server's body; the
//    server connection is closed (its body was not read); `dresp` goes up on the frontend, backend and server rows of
//    `show stat`; the client's keep-alive connection goes on with the next pipelined request;
//  - `http-response allow` stops the remaining http-response rules (a 500 marked trusted passes);
//  - `http-response return … if { res.hdr(x-maint) -m found }` and `http-response redirect location … if { status 401 }`
//    replace the response; http-after-response rules still apply to the generated responses;
//  - `http-response track-sc0 src` + `sc-inc-gpc0(0) if { status 404 }`, read by `http-request deny deny_status 429
//    if { src_get_gpc0 gt 3 }`: after four 404s a client is blocked, another source address is not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, parseResponse, rawExchange, TandemdProcess, TempDir, waitUntil } from '@tandem/testing';

const SECRET = 'SECRET-STACK-TRACE';

/** The backend: one route per case; it records the socket of each /err500 request, to see it closed. */
async function startBackend(): Promise<{ server: Server; port: number; errSockets: Socket[]; hits: Map<string, number>; sockets: Set<Socket> }> {
  const errSockets: Socket[] = [];
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/err500') {
      errSockets.push(req.socket);
      // A large body: Tandem cannot have read it all when it answers, so it must close this connection.
      const body = `${SECRET}\n`.repeat(20_000);
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } else if (path === '/trusted500') {
      res.writeHead(500, { 'x-trusted': '1', 'content-type': 'text/plain', 'content-length': 7 });
      res.end('trusted');
    } else if (path === '/maint') {
      res.writeHead(200, { 'x-maint': '1', 'content-type': 'text/plain', 'content-length': 11 });
      res.end('server-body');
    } else if (path === '/private') {
      res.writeHead(401, { 'content-type': 'text/plain', 'content-length': 12 });
      res.end('unauthorized');
    } else if (path === '/missing') {
      res.writeHead(404, { 'content-length': 9 });
      res.end('not found');
    } else {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
    }
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, errSockets, hits, sockets };
}

/** One GET on its own connection from a chosen local address (127.0.0.0/8 is all local). */
function getFrom(port: number, path: string, from = '127.0.0.1'): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port, localAddress: from });
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error('no answer')), 10_000);
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`));
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

describe('http-response allow/deny/return/redirect/track-sc/sc-inc-gpc0', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  let backend: Awaited<ReturnType<typeof startBackend>>;
  let daemon: TandemdProcess;
  let port = 0;

  const dresp = async (): Promise<Record<string, string>> => {
    const [header, ...rows] = (await sendControlCommand({ kind: 'unix', path: adminSocket }, 'show stat', 10_000)).trimEnd().split('\n');
    const names = header!.replace(/^# /, '').split(',');
    const out: Record<string, string> = {};
    for (const r of rows) {
      const f = Object.fromEntries(r.split(',').map((v, i) => [names[i], v])) as Record<string, string>;
      out[`${f.pxname}/${f.svname}`] = f.dresp!;
    }
    return out;
  };

  before(async () => {
    backend = await startBackend();
    port = await freePort();
    const config = [
      'global',
      `    stats socket ${adminSocket} level admin`,
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 10s',
      '    timeout server 10s',
      'frontend fe',
      `    bind 127.0.0.1:${port}`,
      '    stick-table type ip size 1k expire 1m store gpc0',
      '    http-request deny deny_status 429 if { src_get_gpc0 gt 3 }',
      '    http-response track-sc0 src',
      '    http-response sc-inc-gpc0(0) if { status 404 }',
      '    http-response allow if { res.hdr(x-trusted) -m found }',
      '    http-response deny if { status 500 }',
      '    http-response return status 503 content-type text/plain string "maintenance" if { res.hdr(x-maint) -m found }',
      '    http-response redirect location /login code 302 if { status 401 }',
      '    http-after-response set-header x-after done',
      '    default_backend be',
      'backend be',
      `    server s1 127.0.0.1:${backend.port}`,
      '',
    ].join('\n');
    daemon = await bootTandemd(dir, config);
  });

  after(async () => {
    await daemon?.stop();
    for (const s of backend?.sockets ?? []) s.destroy();
    await new Promise<void>((resolve) => (backend ? backend.server.close(() => resolve()) : resolve()));
    dir.cleanup();
  });

  test('deny if { status 500 }: 502 without the server body, the server connection closed, dresp +1 on fe, be and server', async () => {
    const before = await dresp();
    assert.deepEqual([before['fe/FRONTEND'], before['be/BACKEND'], before['be/s1']], ['0', '0', '0']);
    const r = await getFrom(port, '/err500');
    assert.equal(r.status, 502);
    assert.ok(!r.body.includes(SECRET), 'no byte of the server body reaches the client');
    assert.match(r.body, /502 Bad Gateway/);
    assert.equal(r.headers['x-after'], 'done', 'http-after-response applies to the generated 502');
    assert.equal(backend.errSockets.length, 1);
    await waitUntil(() => backend.errSockets[0]!.destroyed, 5_000, 'the server connection of the denied response to close');
    const now = await dresp();
    assert.deepEqual([now['fe/FRONTEND'], now['be/BACKEND'], now['be/s1']], ['1', '1', '1']);
  });

  test('after a deny the client keep-alive connection serves the next pipelined request', async () => {
    const text = await rawExchange(port, 'GET /err500 HTTP/1.1\r\nHost: test\r\n\r\nGET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n', { idleMs: 3_000 });
    assert.ok(!text.includes(SECRET));
    const second = text.indexOf('HTTP/1.1 200');
    assert.ok(text.startsWith('HTTP/1.1 502 '), text.slice(0, 80));
    assert.ok(second > 0, 'the second response follows the 502');
    assert.equal(parseResponse(text.slice(second)).body, 'ok');
  });

  test('allow if { res.hdr(x-trusted) -m found } stops the rules: the later deny does not apply', async () => {
    const r = await getFrom(port, '/trusted500');
    assert.equal(r.status, 500);
    assert.equal(r.body, 'trusted');
  });

  test('return status 503 … string "maintenance" if { res.hdr(x-maint) -m found } replaces the response', async () => {
    const r = await getFrom(port, '/maint');
    assert.equal(r.status, 503);
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.equal(r.body, 'maintenance');
    assert.equal(r.headers['x-maint'], undefined, 'the server head is not sent');
    assert.equal(r.headers['x-after'], 'done');
    assert.equal((await getFrom(port, '/')).body, 'ok', 'a response without the header passes');
  });

  test('redirect location /login code 302 if { status 401 }', async () => {
    const r = await getFrom(port, '/private');
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, '/login');
    assert.equal(r.body, '');
    assert.equal(r.headers['x-after'], 'done');
  });

  test('track-sc0 src + sc-inc-gpc0(0) on 404 responses: a client is blocked with 429 after four 404s, others are not', async () => {
    const from = '127.0.0.3';
    const served = backend.hits.get('/missing') ?? 0;
    for (let i = 1; i <= 4; i++) assert.equal((await getFrom(port, '/missing', from)).status, 404, `404 number ${i}`);
    const blocked = await getFrom(port, '/', from);
    assert.equal(blocked.status, 429, 'the fifth request is denied by http-request (gpc0 = 4 > 3)');
    assert.equal(backend.hits.get('/missing'), served + 4, 'the blocked request never reached the server');
    assert.equal((await getFrom(port, '/', '127.0.0.4')).status, 200, 'another source address is unaffected');
    const table = await sendControlCommand({ kind: 'unix', path: adminSocket }, 'show table fe key 127.0.0.3', 10_000);
    assert.match(table, /key=127\.0\.0\.3 .*gpc0=4/);
  });
});
