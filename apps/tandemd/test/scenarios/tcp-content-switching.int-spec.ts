// Scenario (issue #6): L4 policy in `mode tcp` proxies on a real tandemd, with real clients and stub servers.
//  - SNI routing as HAProxy users write it: `tcp-request inspect-delay 5s`, `tcp-request content accept if
//    { req.ssl_hello_type 1 }`, `use_backend be_a if { req.ssl_sni -i a.example }`, default be_b; proved with node's
//    tls.connect and with `openssl s_client -servername` against two TLS servers (the TLS passes through untouched);
//  - `use_backend` on `src` (clients bound to 127.0.0.1 and 127.0.0.2);
//  - `stick on src` in a `mode tcp` backend keeps a client on one server across connections (round robin otherwise);
//  - `tcp-request content reject` on the first bytes closes the connection without reaching a server;
//  - `tandemd -c` refuses an HTTP fetch in a `mode tcp` frontend (file, line, keyword, "requires HTTP mode") and warns
//    about payload rules without inspect-delay.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createTlsServer, connect as tlsConnect, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { connect as tcpConnect, createServer as createTcpServer } from 'node:net';
import { daemonArgs, freePort, hasProgram, runCommand, runNode, selfSignedPem, startTcpStub, TANDEMD_MAIN, TandemdProcess, TempDir, type StubBackend } from '@tandem/testing';

/** A TLS server on 127.0.0.1 that writes `<name> <sni>\n` once the handshake is done. */
async function tlsStub(name: string, pem: string): Promise<{ port: number; hits: () => number; connections: () => number; close: () => Promise<void> }> {
  const material = readFileSync(pem);
  let hits = 0;
  let connections = 0;
  const sockets = new Set<TLSSocket>();
  const server: TlsServer = createTlsServer({ key: material, cert: material }, (s) => {
    hits++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    s.end(`${name} ${s.servername || '-'}\n`);
  });
  server.on('connection', () => connections++);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    port,
    hits: () => hits,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** The first flight of node's TLS client for `servername`, captured by a plain TCP server on 127.0.0.1. */
function captureClientHello(servername: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer((sock) => {
      let got = Buffer.alloc(0);
      sock.on('data', (c: Buffer) => {
        got = Buffer.concat([got, c]);
        if (got.length >= 5 && got.length >= 5 + got.readUInt16BE(3)) {
          sock.destroy();
          server.close();
          resolve(got);
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const c = tlsConnect({ host: '127.0.0.1', port: (server.address() as { port: number }).port, servername, rejectUnauthorized: false });
      c.on('error', () => undefined);
      setTimeout(() => {
        c.destroy();
        server.close();
        reject(new Error('no ClientHello within 3 s'));
      }, 3000).unref();
    });
  });
}

/** The first line a TLS client reads through the proxy, with the given SNI. */
function tlsLine(port: number, servername: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(servername ? { servername } : {}) });
    let text = '';
    const timer = setTimeout(() => s.destroy(new Error('no answer within 8 s')), 8_000);
    s.on('data', (c: Buffer) => (text += c.toString()));
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(text.split('\n')[0]!);
    });
  });
}

/** A plain TCP exchange: send `payload` (if any), read until the server's first line or the close. */
function tcpExchange(port: number, options: { from?: string; payload?: string } = {}): Promise<{ text: string; closedWithoutData: boolean }> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect({ host: '127.0.0.1', port, localAddress: options.from ?? '127.0.0.1' });
    let text = '';
    const timer = setTimeout(() => s.destroy(new Error('no answer within 8 s')), 8_000);
    s.once('connect', () => {
      if (options.payload) s.write(options.payload);
    });
    s.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (text.includes('\n')) s.end();
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET') resolve({ text, closedWithoutData: text === '' });
      else reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedWithoutData: text === '' });
    });
  });
}

describe('mode tcp: SNI routing, src switching, stick on src, content reject', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let a: Awaited<ReturnType<typeof tlsStub>>;
  let b: Awaited<ReturnType<typeof tlsStub>>;
  const tcp: Record<string, StubBackend> = {};
  const port = { sni: 0, src: 0, sticky: 0, guard: 0 };
  let configPath = '';

  before(async () => {
    const pem = await selfSignedPem(dir, 'stub.example');
    a = await tlsStub('A', pem);
    b = await tlsStub('B', pem);
    for (const n of ['one', 'two', 's1', 's2']) tcp[n] = await startTcpStub(n);
    for (const k of Object.keys(port) as Array<keyof typeof port>) port[k] = await freePort();
    const config = `defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend sni
    bind 127.0.0.1:${port.sni}
    tcp-request inspect-delay 5s
    tcp-request content accept if { req.ssl_hello_type 1 }
    use_backend be_a if { req.ssl_sni -i a.example }
    default_backend be_b
frontend by_src
    bind 127.0.0.1:${port.src}
    acl second src 127.0.0.2
    use_backend t_two if second
    use_backend t_two if { src 127.0.0.3 } { nbsrv(t_two) ge 1 } { be_conn(t_one) ge 0 }
    default_backend t_one
frontend sticky
    bind 127.0.0.1:${port.sticky}
    default_backend t_sticky
frontend guard
    bind 127.0.0.1:${port.guard}
    tcp-request inspect-delay 2s
    tcp-request content reject if { req.payload(0,4) -m str EVIL }
    default_backend t_one
backend be_a
    server a 127.0.0.1:${a.port}
backend be_b
    server b 127.0.0.1:${b.port}
backend t_one
    server one 127.0.0.1:${tcp.one!.port}
backend t_two
    server two 127.0.0.1:${tcp.two!.port}
backend t_sticky
    balance roundrobin
    stick-table type ip size 100 expire 10m
    stick on src
    server s1 127.0.0.1:${tcp.s1!.port}
    server s2 127.0.0.1:${tcp.s2!.port}
`;
    const args = daemonArgs(dir, config);
    configPath = args[1]!;
    daemon = new TandemdProcess(args);
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await a?.close();
    await b?.close();
    for (const s of Object.values(tcp)) await s.close();
    dir.cleanup();
  });

  test('SNI a.example goes to be_a, any other name and no SNI to be_b (tls.connect, TLS passed through)', async () => {
    assert.equal(await tlsLine(port.sni, 'a.example'), 'A a.example');
    assert.equal(await tlsLine(port.sni, 'A.EXAMPLE'), 'A A.EXAMPLE', '-i: case-insensitive');
    assert.equal(await tlsLine(port.sni, 'b.example'), 'B b.example');
    assert.equal(await tlsLine(port.sni, undefined), 'B -');
  });

  test('openssl s_client -servername routes the same way', async (t) => {
    if (!(await hasProgram('openssl'))) return t.skip('openssl is not installed');
    const run = (name: string) => runCommand('openssl', ['s_client', '-connect', `127.0.0.1:${port.sni}`, '-servername', name, '-quiet'], { timeoutMs: 10_000, input: '' });
    const ra = await run('a.example');
    assert.match(ra.stdout, /^A a\.example$/m, ra.stdout + ra.stderr);
    const rb = await run('other.example');
    assert.match(rb.stdout, /^B other\.example$/m, rb.stdout + rb.stderr);
  });

  test('a ClientHello arriving in two pieces 300 ms apart is routed on its SNI (the rule waits for the data)', async () => {
    const hello = await captureClientHello('a.example');
    const before = { a: a.connections(), b: b.connections() };
    const s = tcpConnect({ host: '127.0.0.1', port: port.sni });
    await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
    s.on('error', () => undefined);
    s.write(hello.subarray(0, 20));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(a.connections() + b.connections(), before.a + before.b, 'no server chosen before the SNI arrived');
    s.write(hello.subarray(20));
    const deadline = Date.now() + 5000;
    while (a.connections() === before.a && b.connections() === before.b && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    s.destroy();
    assert.deepEqual({ a: a.connections() - before.a, b: b.connections() - before.b }, { a: 1, b: 0 });
  });

  test('use_backend on src: 127.0.0.2 goes to t_two, 127.0.0.1 to t_one', async () => {
    assert.equal((await tcpExchange(port.src, { from: '127.0.0.2' })).text.split('\n')[0], 'two');
    assert.equal((await tcpExchange(port.src, { from: '127.0.0.1' })).text.split('\n')[0], 'one');
    assert.equal((await tcpExchange(port.src, { from: '127.0.0.2' })).text.split('\n')[0], 'two');
  });

  test('state fetches in a mode tcp condition (nbsrv, be_conn): 127.0.0.3 goes to t_two', async () => {
    assert.equal((await tcpExchange(port.src, { from: '127.0.0.3' })).text.split('\n')[0], 'two');
  });

  test('stick on src keeps each client on its first server across connections', async () => {
    const first1 = (await tcpExchange(port.sticky, { from: '127.0.0.1' })).text.split('\n')[0];
    const first2 = (await tcpExchange(port.sticky, { from: '127.0.0.2' })).text.split('\n')[0];
    assert.notEqual(first1, first2, 'round robin gives the second client the other server');
    for (let i = 0; i < 4; i++) {
      assert.equal((await tcpExchange(port.sticky, { from: '127.0.0.1' })).text.split('\n')[0], first1, `client 1, connection ${i + 2}`);
      assert.equal((await tcpExchange(port.sticky, { from: '127.0.0.2' })).text.split('\n')[0], first2, `client 2, connection ${i + 2}`);
    }
  });

  test('tcp-request content reject on the first bytes closes without a server; other bytes are forwarded unchanged', async () => {
    const hits = tcp.one!.hits;
    const rejected = await tcpExchange(port.guard, { payload: 'EVIL payload\n' });
    assert.equal(rejected.closedWithoutData, true, rejected.text);
    assert.equal(tcp.one!.hits, hits, 'no connection reached the server');
    const received = tcp.one!.received.length;
    const ok = await tcpExchange(port.guard, { payload: 'GOOD payload\n' });
    assert.equal(ok.text.split('\n')[0], 'one');
    assert.equal(tcp.one!.hits, hits + 1);
    // The inspected bytes reach the server as sent.
    const deadline = Date.now() + 3000;
    while (!tcp.one!.received.slice(received).includes('GOOD payload\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(tcp.one!.received.slice(received).includes('GOOD payload\n'), tcp.one!.received);
  });

  test('the config loaded without the inspect-delay warning (every payload rule has a delay)', () => {
    assert.ok(!daemon.log.includes('explicitly depending on request contents'), daemon.log);
    assert.ok(configPath.length > 0);
  });
});

describe('tandemd -c on L4 policy mistakes', () => {
  test('an HTTP fetch in a mode tcp frontend is an error naming file, line, keyword and HTTP mode', async () => {
    const dir = new TempDir();
    try {
      const cfg = dir.file('tcp.cfg', 'defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\nfrontend fe\n    bind 127.0.0.1:1\n    use_backend b2 if { path_beg /api }\n    default_backend b1\nbackend b1\n    server s 127.0.0.1:2\nbackend b2\n    server s 127.0.0.1:3\n');
      const r = await runNode(TANDEMD_MAIN, ['-c', '-f', cfg]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`${cfg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8\\].*'use_backend'.*fetch 'path_beg' requires HTTP mode`));
    } finally {
      dir.cleanup();
    }
  });

  test('payload rules without tcp-request inspect-delay load with HAProxy\'s warning', async () => {
    const dir = new TempDir();
    try {
      const cfg = dir.file('warn.cfg', 'defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\nfrontend fe\n    bind 127.0.0.1:1\n    tcp-request content accept if { req.ssl_hello_type 1 }\n    default_backend b1\nbackend b1\n    server s 127.0.0.1:2\n');
      const r = await runNode(TANDEMD_MAIN, ['-c', '-f', cfg]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /\[WARNING\].*:8\].*'tcp-request content'.*some 'tcp-request content' rules explicitly depending on request contents without any 'tcp-request inspect-delay' setting/);
    } finally {
      dir.cleanup();
    }
  });
});
