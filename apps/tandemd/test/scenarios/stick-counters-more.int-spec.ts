// Scenario (issue #6): gpt0/gpc1 stick counters, tcp-request content actions and early hints on a real daemon.
//  - "flag abusers": `http-request sc-set-gpt0(0) 1 if { path /login } { sc_http_req_rate(0) gt 3 }` then
//    `http-request deny if { sc_get_gpt0(0) eq 1 }`: the 4th /login inside 10 s flags the source, whose later
//    requests on new connections are denied, any path; another source is not; `set table … data.gpt0 1` on the
//    admin socket flags a source too;
//  - `http-request sc-inc-gpc1(0)` counted, visible in `show table` in HAProxy's format (gpt0 after server_id,
//    gpc1 and gpc1_rate(<period>) last);
//  - a `mode tcp` frontend: `tcp-request content set-var(sess.x) req.payload(0,4) if { req.len ge 4 }` + `silent-drop if { var(sess.x)
//    -m str EVIL }` resets that connection (ECONNRESET, nothing answered); another payload reaches the echo server;
//  - `http-request early-hint Link …`: an HTTP/1.1 client reads `103 Early Hints` with the header, then the 200;
//    an HTTP/1.0 client gets no 103 (HAProxy's behaviour).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect as tcpConnect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, parseResponse, rawExchange, TandemdProcess, TempDir } from '@tandem/testing';

/** One GET on its own connection from a chosen local address (127.0.0.0/8 is all local). */
function getFrom(port: number, path: string, from: string): Promise<{ status: number; body: string }> {
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

/** Sends `payload` on a new TCP connection; resolves with what came back, or the socket error's code. */
function tcpExchange(port: number, payload: string): Promise<{ data: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.once('connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.length >= payload.length) socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ data, error: e.code ?? e.message });
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data });
    });
  });
}

describe('stick counters gpt0/gpc1, tcp-request content set-var + silent-drop, early-hint', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  let http: Server;
  let echo: TcpServer;
  const sockets = new Set<Socket>();
  let daemon: TandemdProcess;
  let port = 0;
  let tcpPort = 0;
  const admin = (cmd: string) => sendControlCommand({ kind: 'unix', path: adminSocket }, cmd, 10_000);

  before(async () => {
    http = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
    });
    echo = createTcpServer((s) => s.pipe(s));
    for (const srv of [http, echo]) srv.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    port = await freePort();
    tcpPort = await freePort();
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
      '    stick-table type ip size 1k expire 1m store http_req_rate(10s),gpt0,gpc1,gpc1_rate(10s)',
      '    http-request track-sc0 src',
      '    http-request sc-set-gpt0(0) 1 if { path /login } { sc_http_req_rate(0) gt 3 }',
      '    http-request deny if { sc_get_gpt0(0) eq 1 }',
      '    http-request sc-inc-gpc1(0) if { path /count }',
      '    http-request early-hint Link "</style.css>; rel=preload; as=style" if { path /hint }',
      '    http-request early-hint Link "<%[path]/app.js>; rel=preload" if { path /hint }',
      '    default_backend be',
      'backend be',
      `    server s1 127.0.0.1:${(http.address() as AddressInfo).port}`,
      'frontend ft',
      '    mode tcp',
      `    bind 127.0.0.1:${tcpPort}`,
      '    tcp-request inspect-delay 2s',
      // As in HAProxy, the rules run at accept: the condition makes them wait for the first 4 bytes.
      '    tcp-request content set-var(sess.x) req.payload(0,4) if { req.len ge 4 }',
      '    tcp-request content silent-drop if { var(sess.x) -m str EVIL }',
      '    default_backend tbe',
      'backend tbe',
      '    mode tcp',
      `    server e1 127.0.0.1:${(echo.address() as AddressInfo).port}`,
      '',
    ].join('\n');
    daemon = await bootTandemd(dir, config);
  });

  after(async () => {
    await daemon?.stop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
    dir.cleanup();
  });

  test('flag abusers: the 4th /login inside 10 s sets gpt0=1; that source is then denied on new connections', async () => {
    const abuser = '127.0.0.2';
    for (let i = 1; i <= 3; i++) assert.equal((await getFrom(port, '/login', abuser)).status, 200, `login ${i}`);
    assert.equal((await getFrom(port, '/login', abuser)).status, 403, 'the 4th trips the flag and is denied');
    assert.equal((await getFrom(port, '/home', abuser)).status, 403, 'flagged: any path, new connection');
    assert.equal((await getFrom(port, '/home', '127.0.0.3')).status, 200, 'another source is not flagged');
    assert.match(await admin('show table fe key 127.0.0.2'), /key=127\.0\.0\.2 use=0 exp=\d+ gpt0=1 http_req_rate\(10000\)=5 gpc1=0 gpc1_rate\(10000\)=0\n/);
  });

  test('set table <t> key <k> data.gpt0 1 on the admin socket flags a source', async () => {
    assert.equal((await getFrom(port, '/', '127.0.0.5')).status, 200);
    assert.equal((await admin('set table fe key 127.0.0.5 data.gpt0 1')).trim(), '');
    assert.equal((await getFrom(port, '/', '127.0.0.5')).status, 403);
    assert.match(await admin('set table fe key 127.0.0.5 data.nope 1'), /Unknown data type/);
  });

  test('sc-inc-gpc1 is visible in show table in HAProxy format', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await getFrom(port, '/count', '127.0.0.4')).status, 200);
    const out = await admin('show table fe');
    assert.match(out, /^# table: fe, type: ip, size:1024, used:\d+\n/);
    assert.match(out, /0x[0-9a-f]+: key=127\.0\.0\.4 use=0 exp=\d+ gpt0=0 http_req_rate\(10000\)=3 gpc1=3 gpc1_rate\(10000\)=3\n/);
    assert.match(await admin('show table fe data.gpc1 gt 2'), /key=127\.0\.0\.4 /);
  });

  test('mode tcp: tcp-request content set-var(sess.x) + silent-drop resets EVIL, echoes the rest', async () => {
    const evil = await tcpExchange(tcpPort, 'EVIL payload');
    assert.equal(evil.error, 'ECONNRESET', 'silent-drop resets the connection');
    assert.equal(evil.data, '');
    const good = await tcpExchange(tcpPort, 'GOOD payload');
    assert.equal(good.error, undefined);
    assert.equal(good.data, 'GOOD payload');
  });

  test('early-hint: an HTTP/1.1 client reads 103 Early Hints with the headers, then the 200; HTTP/1.0 gets no 103', async () => {
    const text = await rawExchange(port, 'GET /hint HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n', { idleMs: 3_000 });
    assert.ok(text.startsWith('HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\nLink: </hint/app.js>; rel=preload\r\n\r\nHTTP/1.1 200 '), text.slice(0, 200));
    assert.equal(parseResponse(text.slice(text.indexOf('HTTP/1.1 200'))).body, 'ok');
    const old = await rawExchange(port, 'GET /hint HTTP/1.0\r\nHost: test\r\n\r\n', { idleMs: 3_000 });
    assert.ok(old.startsWith('HTTP/1.0 200 ') || old.startsWith('HTTP/1.1 200 '), old.slice(0, 80));
    assert.ok(!old.includes('103'), 'no interim response for HTTP/1.0');
  });
});
