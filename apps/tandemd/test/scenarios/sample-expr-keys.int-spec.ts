// Scenario: sample expressions with converters where HAProxy 2.6 takes them (issue #6), with a real tandemd.
// - track-sc0 req.hdr(x-client-id),lower with a deny above 3 requests: two casings of one client id count as one.
// - balance hash path (hash-type consistent): one path always reaches one server; many paths reach several.
// - server … ssl sni req.hdr(host): the TLS server receives each request's Host as SNI, and a keep-alive client
//   asking for another host gets a new server connection (one opened with another SNI is not reused).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { daemonArgs, freePort, httpGet, selfSignedPem, startHttpStub, TandemdProcess, TempDir, type StubBackend } from '@tandem/testing';

const DEFAULTS = `defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
`;

/** One keep-alive client connection: each call sends a GET and resolves with the response (Content-Length bodies). */
function keepAliveClient(port: number): { get(path: string, host: string): Promise<{ status: number; body: string }>; close(): void } {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  let buffer = '';
  let waiting: ((r: { status: number; body: string }) => void) | undefined;
  const tryParse = () => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0 || !waiting) return;
    const head = buffer.slice(0, end);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.slice(end + 4, end + 4 + length);
    buffer = buffer.slice(end + 4 + length);
    const done = waiting;
    waiting = undefined;
    done({ status: Number(head.split(' ')[1]), body });
  };
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    tryParse();
  });
  return {
    get: (path, host) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no response to ${path} within 5 s`)), 5_000);
        waiting = (r) => {
          clearTimeout(timer);
          resolve(r);
        };
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      }),
    close: () => socket.destroy(),
  };
}

describe('sample expressions with converters: track-sc keys, balance hash, server sni', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let tls: HttpsServer;
  /** SNI of each TLS connection the stub accepted, in order. */
  const tlsConnections: Array<string | undefined> = [];
  let frontRate = 0;
  let frontHash = 0;
  let frontSni = 0;

  before(async () => {
    stubs = await Promise.all(['s1', 's2', 's3'].map((n) => startHttpStub(n)));
    const pem = readFileSync(await selfSignedPem(dir, 'tls.tandem.test'));
    // A TLS server that answers with the SNI its connection received (keep-alive, so reuse would show).
    tls = createHttpsServer({ key: pem, cert: pem }, (req, res) => {
      const sni = (req.socket as unknown as { servername?: string | false }).servername || 'none';
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(sni) });
      res.end(sni);
    });
    tls.on('secureConnection', (s) => tlsConnections.push((s as unknown as { servername?: string | false }).servername || undefined));
    const tlsPort = await new Promise<number>((resolve) => tls.listen(0, '127.0.0.1', () => resolve((tls.address() as { port: number }).port)));
    [frontRate, frontHash, frontSni] = [await freePort(), await freePort(), await freePort()];
    daemon = new TandemdProcess(daemonArgs(dir, `${DEFAULTS}
frontend fe_rate
    bind 127.0.0.1:${frontRate}
    stick-table type string len 32 size 1k expire 60s store http_req_cnt
    http-request track-sc0 req.hdr(x-client-id),lower
    http-request deny deny_status 429 if { sc_http_req_cnt(0) gt 3 }
    default_backend one
backend one
    server s1 127.0.0.1:${stubs[0]!.port}
frontend fe_hash
    bind 127.0.0.1:${frontHash}
    default_backend hashed
backend hashed
    balance hash path
    hash-type consistent
    server s1 127.0.0.1:${stubs[0]!.port}
    server s2 127.0.0.1:${stubs[1]!.port}
    server s3 127.0.0.1:${stubs[2]!.port}
frontend fe_sni
    bind 127.0.0.1:${frontSni}
    default_backend secure
backend secure
    server t1 127.0.0.1:${tlsPort} ssl verify none sni req.hdr(host)
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all(stubs.map((s) => s.close()));
    tls?.close();
    dir.cleanup();
  });

  test('track-sc0 req.hdr(x-client-id),lower: Alice, ALICE and alice are one client, denied past 3 requests', async () => {
    const statuses: number[] = [];
    for (const id of ['Alice', 'ALICE', 'alice', 'aLiCe']) statuses.push((await httpGet(frontRate, '/', { 'X-Client-Id': id })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429], 'the fourth request of one client (any casing) is over the limit');
    assert.equal((await httpGet(frontRate, '/', { 'X-Client-Id': 'Bob' })).status, 200, 'another client has its own count');
  });

  test('balance hash path: the same path always reaches the same server; 20 paths reach several servers', async () => {
    const first = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const r = await httpGet(frontHash, `/item/${i}?v=1`);
      assert.equal(r.status, 200);
      first.set(`/item/${i}`, r.headers['x-served-by']!);
    }
    for (const [path, server] of first) {
      const again = await httpGet(frontHash, `${path}?v=2`);
      assert.equal(again.headers['x-served-by'], server, `${path} moved (the query string is not part of 'path')`);
    }
    assert.ok(new Set(first.values()).size >= 2, `20 paths over 3 servers, got ${[...new Set(first.values())].join(',')}`);
  });

  test("sni req.hdr(host): each request's Host is the SNI; another Host on a kept-alive client opens another connection", async () => {
    const client = keepAliveClient(frontSni);
    try {
      const a = await client.get('/', 'one.tandem.test');
      const again = await client.get('/', 'one.tandem.test');
      const b = await client.get('/', 'two.tandem.test');
      assert.deepEqual([a, again, b].map((r) => r.status), [200, 200, 200]);
      assert.equal(a.body, 'one.tandem.test');
      assert.equal(again.body, 'one.tandem.test');
      assert.equal(b.body, 'two.tandem.test', 'a connection opened with SNI one.tandem.test must not carry a request for two.tandem.test');
      assert.deepEqual(tlsConnections, ['one.tandem.test', 'two.tandem.test'], 'the same SNI reuses its connection; another SNI gets a new one');
    } finally {
      client.close();
    }
  });
});
