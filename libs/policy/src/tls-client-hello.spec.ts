import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { helloSni, helloType, helloVersion } from './tls-client-hello.js';

/** A ClientHello built by hand: record 3.1, hello 3.3, a session id, two suites, and the given extensions. */
function clientHello(extensions: Buffer[], opts: { recordMinor?: number; type?: number } = {}): Buffer {
  const ext = Buffer.concat(extensions);
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 7),
    Buffer.from([4, 1, 2, 3, 4]),
    Buffer.from([0, 4, 0x13, 0x01, 0x13, 0x02]),
    Buffer.from([1, 0]),
    u16(ext.length),
    ext,
  ]);
  const hs = Buffer.concat([Buffer.from([opts.type ?? 1]), u24(body.length), body]);
  return Buffer.concat([Buffer.from([0x16, 3, opts.recordMinor ?? 1]), u16(hs.length), hs]);
}
function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 255]);
}
function u24(n: number): Buffer {
  return Buffer.from([n >> 16, (n >> 8) & 255, n & 255]);
}
function sniExt(name: string): Buffer {
  const host = Buffer.from(name, 'latin1');
  const entry = Buffer.concat([Buffer.from([0]), u16(host.length), host]);
  const list = Buffer.concat([u16(entry.length), entry]);
  return Buffer.concat([u16(0), u16(list.length), list]);
}
function otherExt(type: number, len: number): Buffer {
  return Buffer.concat([u16(type), u16(len), Buffer.alloc(len, 9)]);
}

test('helloSni reads server_name after other extensions', () => {
  const hello = clientHello([otherExt(10, 6), otherExt(0xff01, 1), sniExt('a.example')]);
  assert.deepEqual(helloSni(hello), { kind: 'value', value: 'a.example' });
  assert.deepEqual(helloType(hello), { kind: 'value', value: 1 });
  assert.deepEqual(helloVersion(hello), { kind: 'value', value: 0x30003 }, 'the hello version (3.3) outranks the record (3.1)');
});

test('every strict prefix of a ClientHello is short (the rule waits), never a wrong answer', () => {
  const hello = clientHello([otherExt(10, 6), sniExt('b.example')]);
  for (let n = 0; n < hello.length; n++) {
    const r = helloSni(hello.subarray(0, n));
    assert.equal(r.kind, 'short', `prefix of ${n} bytes`);
  }
  for (let n = 0; n < hello.length; n++) assert.equal(helloType(hello.subarray(0, n)).kind, 'short', `hello type, prefix of ${n} bytes: HAProxy waits for the full message`);
  assert.deepEqual(helloType(hello), { kind: 'value', value: 1 });
});

test('no server_name, other handshake types and non-TLS bytes give no sample (final, no wait)', () => {
  assert.deepEqual(helloSni(clientHello([otherExt(10, 4)])), { kind: 'none' });
  assert.deepEqual(helloSni(clientHello([])), { kind: 'none' });
  const serverHello = clientHello([sniExt('x')], { type: 2 });
  assert.deepEqual(helloSni(serverHello), { kind: 'none' });
  assert.deepEqual(helloType(serverHello), { kind: 'value', value: 2 });
  for (const text of ['GET / HTTP/1.1\r\n\r\n', 'SSH-2.0-OpenSSH\r\n', '\x16\x02\x00']) {
    assert.deepEqual(helloSni(Buffer.from(text, 'latin1')), { kind: 'none' }, JSON.stringify(text));
    // HAProxy reads the version only once 9 bytes are in: a short handshake-typed prefix still waits there.
    if (!text.startsWith('\x16')) assert.deepEqual(helloType(Buffer.from(text, 'latin1')), { kind: 'none' });
  }
  assert.deepEqual(helloType(Buffer.from('\x16\x02\x00\x00\x08\x01\x00\x00\x04', 'latin1')), { kind: 'none' }, 'SSLv2-numbered record');
});

test('lengths pointing past the record are malformed, not short', () => {
  const hello = clientHello([sniExt('c.example')]);
  const bad = Buffer.from(hello);
  // The extensions block claims more bytes than the record holds.
  const extLenAt = 5 + 4 + 2 + 32 + 5 + 6 + 2;
  bad.writeUInt16BE(0xfff0, extLenAt);
  assert.deepEqual(helloSni(bad), { kind: 'none' });
  const tiny = Buffer.from([0x16, 3, 1, 0, 3, 1, 0, 0]);
  assert.deepEqual(helloSni(tiny), { kind: 'none' }, 'a record too small for a hello');
});

test('random and mutated bytes never throw', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) & 255;
  const hello = clientHello([otherExt(10, 6), sniExt('d.example')]);
  for (let i = 0; i < 3000; i++) {
    const b = i % 2 ? Buffer.from(Array.from({ length: rnd() }, rnd)) : Buffer.from(hello);
    if (i % 2 === 0) for (let k = 0; k < 3; k++) b[rnd() % b.length] = rnd();
    if (i % 4 === 1 && b.length) b[0] = 0x16;
    for (const f of [helloSni, helloType, helloVersion]) {
      const r = f(b.subarray(0, rnd() % (b.length + 1)));
      assert.ok(r.kind === 'short' || r.kind === 'none' || r.kind === 'value');
    }
  }
});

test("node's own ClientHello (tls.connect with servername) parses", async () => {
  const first = await new Promise<Buffer>((resolve, reject) => {
    const server = net.createServer((s) => {
      const got: Buffer[] = [];
      s.on('data', (c: Buffer) => {
        got.push(c);
        const all = Buffer.concat(got);
        if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) {
          resolve(all);
          s.destroy();
          server.close();
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      const c = tls.connect({ host: '127.0.0.1', port, servername: 'real.example', rejectUnauthorized: false });
      c.on('error', () => undefined);
      setTimeout(() => {
        c.destroy();
        server.close();
        reject(new Error('no ClientHello within 3 s'));
      }, 3000).unref();
    });
  });
  assert.deepEqual(helloSni(first), { kind: 'value', value: 'real.example' });
  assert.deepEqual(helloType(first), { kind: 'value', value: 1 });
  const v = helloVersion(first);
  assert.ok(v.kind === 'value' && v.value >= 0x30001, JSON.stringify(v));
});
