import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStubHttpBackend } from '@tandem/testing';
import { TandemError } from '@tandem/core';
import { backend, bind, frontend, parse, raw, runtimeConfig, server, startPlane } from './support.js';

async function tcpStub(name: string): Promise<{ port: number; close: () => Promise<void> }> {
  const socks = new Set<Socket>();
  const s = createServer((c) => {
    socks.add(c);
    c.on('error', () => undefined);
    c.on('data', (d) => c.write(`${name}:${d.toString()}`));
    c.on('end', () => c.end());
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { port: (s.address() as { port: number }).port, close: () => new Promise((r) => { for (const c of socks) c.destroy(); s.close(() => r()); }) };
}

function tcpExchange(port: number, msg: string): Promise<string> {
  return new Promise((resolve) => {
    const c = connect({ host: '127.0.0.1', port });
    let out = '';
    c.on('data', (d) => (out += d.toString()));
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(out));
    c.end(msg); // half-close: the server answers then closes
  });
}

describe('mode tcp', () => {
  it('round robin with half-close', async () => {
    const a = await tcpStub('a');
    const b = await tcpStub('b');
    const { plane, port } = await startPlane(
      runtimeConfig([frontend('ft', 'bt', [bind()], { mode: 'tcp' })], [backend('bt', [server('a', a.port), server('b', b.port)], { mode: 'tcp' })]),
    );
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await tcpExchange(port, 'hi'));
    assert.deepEqual(got.sort(), ['a:hi', 'a:hi', 'b:hi', 'b:hi']);
    await plane.stop('hard');
    await a.close();
    await b.close();
  });
});

describe('large bodies and backpressure', () => {
  it('streams 8 MiB down and up', async () => {
    const stub = await startStubHttpBackend('big');
    const { plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()])], [backend('be', [server('big', stub.port)])]));
    const size = 8 * 1024 * 1024;
    const got = await new Promise<number>((resolve) => {
      const c = connect({ host: '127.0.0.1', port });
      let n = 0;
      let headDone = false;
      c.on('data', (d: Buffer) => {
        if (!headDone) {
          const i = d.indexOf('\r\n\r\n');
          if (i >= 0) {
            headDone = true;
            n += d.length - i - 4;
          }
        } else n += d.length;
        // a slow reader: pause now and then so the proxy must apply backpressure
        if (Math.random() < 0.05) {
          c.pause();
          setTimeout(() => c.resume(), 2);
        }
        if (n >= size) c.destroy();
      });
      c.on('close', () => resolve(n));
      c.write(`GET /bytes/${size} HTTP/1.1\r\nHost: x\r\n\r\n`);
    });
    assert.equal(got, size);
    const body = Buffer.alloc(size, 'u');
    const echoed = await new Promise<number>((resolve) => {
      const c = connect({ host: '127.0.0.1', port });
      let text = 0;
      let headLen = -1;
      const chunks: Buffer[] = [];
      c.on('data', (d: Buffer) => {
        chunks.push(d);
        text += d.length;
        if (headLen < 0) {
          const all = Buffer.concat(chunks);
          const i = all.indexOf('\r\n\r\n');
          if (i >= 0) headLen = i + 4;
        }
        if (headLen >= 0 && text - headLen >= size) c.destroy();
      });
      c.on('close', () => resolve(text - headLen));
      c.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`);
      c.write(body);
    });
    assert.equal(echoed, size);
    await plane.stop('hard');
    await stub.close();
  });
});

describe('TLS termination', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('serves HTTP/1.1 over TLS and negotiates http/1.1 when h2 is also listed', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const pem = Buffer.concat([readFileSync(join(dir, 'c.pem')), readFileSync(join(dir, 'k.pem'))]);
    const stub = await startStubHttpBackend('tls-backend');
    const { plane, port } = await startPlane(
      runtimeConfig([frontend('fe', 'be', [bind(0, { tls: { certificates: ['x.pem'], pems: [pem], alpn: ['h2', 'http/1.1'], minVersion: 'TLSv1.2' } })])], [backend('be', [server('s', stub.port)])]),
    );
    const { text, alpn } = await new Promise<{ text: string; alpn: string | false | null }>((resolve, reject) => {
      const c = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
        c.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let out = '';
      c.on('data', (d) => (out += d.toString()));
      c.on('end', () => resolve({ text: out, alpn: c.alpnProtocol ?? null }));
      c.on('error', reject);
    });
    assert.equal(alpn, 'http/1.1');
    assert.equal(parse(text).body, 'tls-backend');
    await plane.stop('hard');
    await stub.close();
  });
});

describe('hitless reload', () => {
  it('keeps the listening socket; open connections and downloads survive; new connections use the new config', async () => {
    const one = await startStubHttpBackend('one');
    const two = await startStubHttpBackend('two');
    // A fixed port so the second apply() sees the same key: find one free, then bind it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const fixed = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const cfg1 = runtimeConfig([frontend('fe', 'be', [bind(fixed)])], [backend('be', [server('one', one.port)])]);
    const cfg2 = runtimeConfig([frontend('fe', 'be', [bind(fixed)])], [backend('be', [server('two', two.port)])]);
    const { plane } = await startPlane(cfg1);
    const serverBefore = plane.listenerAddresses()[0];
    // A long download (2 MiB in 16 KiB pieces every 5 ms ≈ 0.6 s) and an idle keep-alive connection.
    const download = new Promise<number>((resolve) => {
      const c = connect({ host: '127.0.0.1', port: fixed });
      let n = 0;
      c.on('data', (d: Buffer) => (n += d.length));
      c.on('close', () => resolve(n));
      c.write('GET /slow/2097152/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    const keep = connect({ host: '127.0.0.1', port: fixed });
    let keepOut = '';
    keep.on('data', (d) => (keepOut += d.toString()));
    keep.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    await plane.apply(cfg2);
    assert.deepEqual(plane.listenerAddresses()[0], serverBefore);
    keep.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((r) => keep.on('close', r));
    assert.match(keepOut, /\r\n\r\none[\s\S]*\r\n\r\none$/);
    assert.equal(parse(await raw(fixed, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).body, 'two');
    assert.ok((await download) > 2097152);
    // A reload whose new bind fails leaves the old config serving.
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    const bad = runtimeConfig([frontend('fe', 'be', [bind(fixed), bind(taken, { source: { file: 'bad.cfg', line: 42 } })])], [backend('be', [server('one', one.port)])]);
    await assert.rejects(plane.apply(bad), (e: unknown) => e instanceof TandemError && /bad\.cfg:42/.test(e.message));
    assert.equal(parse(await raw(fixed, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).body, 'two');
    assert.equal(plane.listenerAddresses().length, 1);
    await new Promise<void>((r) => blocker.close(() => r()));
    await plane.stop('graceful', 1000);
    await one.close();
    await two.close();
  });
});
