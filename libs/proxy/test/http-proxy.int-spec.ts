import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startStubHttpBackend, type StubHttpBackend } from '@tandem/testing';
import type { DataPlane } from '../src/index.js';
import { backend, bind, deadPort, frontend, parse, raw, runtimeConfig, server, startPlane } from './support.js';

describe('mode http', () => {
  let stubs: StubHttpBackend[] = [];
  let plane: DataPlane;
  let port: number;

  before(async () => {
    stubs = await Promise.all(['s1', 's2', 's3'].map((n) => startStubHttpBackend(n)));
    const cfg = runtimeConfig(
      [frontend('fe', 'be', [bind()], { forwardFor: { header: 'X-Forwarded-For', ifNone: false } })],
      [backend('be', [server('s1', stubs[0]!.port), server('s2', stubs[1]!.port), server('s3', stubs[2]!.port, { weight: 2 })])],
    );
    ({ plane, port } = await startPlane(cfg));
  });

  after(async () => {
    await plane.stop('hard');
    await Promise.all(stubs.map((s) => s.close()));
  });

  it('weighted round robin 1,1,2 is exact over 8 requests', async () => {
    const seen: Record<string, number> = {};
    for (let i = 0; i < 8; i++) {
      const r = parse(await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      assert.equal(r.status, 200);
      seen[r.body] = (seen[r.body] ?? 0) + 1;
    }
    assert.deepEqual(seen, { s1: 2, s2: 2, s3: 4 });
  });

  it('adds X-Forwarded-For and strips hop-by-hop headers', async () => {
    const before = stubs.map((s) => s.requests.length);
    await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: 5\r\n\r\n');
    const s = stubs.find((st, i) => st.requests.length > before[i]!)!;
    const head = s.requests.at(-1)!;
    assert.match(head, /X-Forwarded-For: 127\.0\.0\.1/);
    assert.doesNotMatch(head, /X-Secret/i);
    assert.doesNotMatch(head, /Keep-Alive/i);
  });

  it('keeps the client connection alive and serves pipelined requests in order', async () => {
    const out = await raw(port, 'GET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const bodies = out.split('HTTP/1.1 200').slice(1).map((p) => p.slice(p.indexOf('\r\n\r\n') + 4));
    assert.deepEqual(bodies, ['xxx', 'xxxxx', 'xxxxxxx']);
  });

  it('reuses the server connection for keep-alive requests', async () => {
    const conns = stubs.reduce((n, s) => n + s.connections, 0);
    const sock = connect({ host: '127.0.0.1', port });
    let out = '';
    sock.on('data', (d) => (out += d.toString('latin1')));
    for (let i = 0; i < 8; i++) {
      sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      const want = i + 1;
      while ((out.match(/HTTP\/1\.1 200/g) ?? []).length < want) await new Promise((r) => setTimeout(r, 5));
    }
    sock.destroy();
    const opened = stubs.reduce((n, s) => n + s.connections, 0) - conns;
    assert.ok(opened <= 4, `opened ${opened} server connections for 8 requests`);
  });

  it('streams chunked uploads and downloads', async () => {
    const up = parse(await raw(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'));
    assert.equal(up.status, 200);
    assert.equal(up.body, 'hello world');
    const down = await raw(port, 'GET /chunked/2500 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(down, /transfer-encoding: chunked/i);
    assert.ok(down.endsWith('0\r\n\r\n'));
  });

  it('HEAD responses have no body; read-until-close responses close the client', async () => {
    const h = await raw(port, 'HEAD /bytes/10 HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal((h.match(/HTTP\/1\.1 200/g) ?? []).length, 2);
    assert.ok(h.endsWith('\r\n\r\nxx'));
    const c = await raw(port, 'GET /close HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(c, /connection: close/);
    assert.ok(c.endsWith('until-close'));
  });

  it('HTTP/1.0 keeps alive only when asked', async () => {
    const a = await raw(port, 'GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n');
    assert.equal((a.match(/HTTP\/1\.1 200/g) ?? []).length, 1);
    const b = await raw(port, 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n');
    assert.equal((b.match(/HTTP\/1\.1 200/g) ?? []).length, 2);
  });
});

describe('smuggling shapes get 400 and never reach the server', () => {
  let stub: StubHttpBackend;
  let plane: DataPlane;
  let port: number;
  before(async () => {
    stub = await startStubHttpBackend('only');
    ({ plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()])], [backend('be', [server('only', stub.port)])])));
  });
  after(async () => {
    await plane.stop('hard');
    await stub.close();
  });
  const shapes: Record<string, string> = {
    'CL + TE': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'conflicting CL': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
    'invalid CL': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello',
    'TE not chunked final': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
    'TE identity': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n',
    'bad chunk size': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n',
    'chunk size overflow': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nhello\r\n0\r\n\r\n',
    'bare LF': 'GET / HTTP/1.1\nHost: x\n\n',
    'bare CR': 'GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n',
    'obs-fold': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n',
    'space before colon': 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n',
    'invalid header char': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n',
    'invalid method': 'G(T / HTTP/1.1\r\nHost: x\r\n\r\n',
    'invalid uri': 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
    'invalid version': 'GET / HTTP/2.0\r\nHost: x\r\n\r\n',
    'two hosts': 'GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n',
    'TE in HTTP/1.0': 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'head too large': 'GET / HTTP/1.1\r\nHost: x\r\nX-Big: ' + 'a'.repeat(16000) + '\r\n\r\n',
  };
  for (const [name, payload] of Object.entries(shapes)) {
    it(name, async () => {
      const out = await raw(port, payload);
      assert.ok(out.startsWith('HTTP/1.1 400 Bad request\r\n'), out.slice(0, 60));
      assert.equal(stub.received(), '');
    });
  }
  it('identical repeated Content-Length values are merged', async () => {
    const out = await raw(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    assert.equal(parse(out).body, 'ok');
  });
});

describe('errors, retries, timeouts', () => {
  it('503 when no server, byte-compatible with HAProxy', async () => {
    const { plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()])], [backend('be', [server('dead', await deadPort())], { retries: 1 })]));
    const out = await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(out, 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n');
    await plane.stop('hard');
  });

  it('a refused server is redispatched to another', async () => {
    const stub = await startStubHttpBackend('alive');
    const { plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()])], [backend('be', [server('dead', await deadPort()), server('alive', stub.port)], { retries: 2, redispatch: true })]));
    for (let i = 0; i < 4; i++) {
      const r = parse(await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      assert.equal(r.status, 200);
      assert.equal(r.body, 'alive');
    }
    assert.ok(plane.snapshot().backends['be']!.counters.connectErrors >= 1);
    await plane.stop('hard');
    await stub.close();
  });

  it('504 on timeout server, errorfile overrides', async () => {
    const stub = await startStubHttpBackend('slow');
    const ef = new Map([[504, Buffer.from('HTTP/1.1 504 Custom\r\ncontent-length: 0\r\n\r\n')]]);
    const { plane, port } = await startPlane(
      runtimeConfig([frontend('fe', 'be', [bind()]), frontend('fe2', 'be', [bind()], { errorFiles: ef })], [backend('be', [server('slow', stub.port)], { timeouts: { connect: 500, server: 200 } })]),
    );
    const out = await raw(port, 'GET /hang HTTP/1.1\r\nHost: x\r\n\r\n', 600);
    assert.ok(out.startsWith('HTTP/1.1 504 Gateway Time-out\r\ncontent-length: 92\r\n'), out);
    const port2 = plane.listenerAddresses()[1]!.port!;
    const out2 = await raw(port2, 'GET /hang HTTP/1.1\r\nHost: x\r\n\r\n', 600);
    assert.ok(out2.startsWith('HTTP/1.1 504 Custom'), out2);
    await plane.stop('hard');
    await stub.close();
  });

  it('408 on a slow head', async () => {
    const stub = await startStubHttpBackend('x');
    const { plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()], { timeouts: { client: 5000, httpRequest: 200 } })], [backend('be', [server('x', stub.port)])]));
    const out = await raw(port, 'GET / HTTP/1.1\r\nHost', 1000);
    assert.ok(out.startsWith('HTTP/1.1 408 Request Time-out\r\nContent-length: 110\r\n'), out);
    assert.equal(stub.received(), '');
    await plane.stop('hard');
    await stub.close();
  });

  it('502 on a bad response', async () => {
    const { createServer } = await import('node:net');
    const bad = createServer((s) => s.on('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab')));
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', () => r()));
    const p = (bad.address() as { port: number }).port;
    const { plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()])], [backend('be', [server('bad', p)])]));
    const out = await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.ok(out.startsWith('HTTP/1.1 502 Bad Gateway\r\n'), out);
    await plane.stop('hard');
    await new Promise<void>((r) => bad.close(() => r()));
  });
});
