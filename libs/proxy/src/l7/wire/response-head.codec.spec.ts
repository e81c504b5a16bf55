import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResponseHead, encodeResponseHead } from './response-head.codec.js';

/** nginx 1.24's answer to a GET, written by hand. */
const NGINX = 'HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/html\r\nContent-Length: 615\r\nConnection: keep-alive\r\n\r\n';

describe('response head codec', () => {
  it('decodes independent expected bytes and round trips', () => {
    const v = decodeResponseHead(Buffer.from(NGINX));
    assert.equal(v.kind, 'ok');
    const r = (v as Extract<typeof v, { kind: 'ok' }>).value;
    assert.equal(r.status, 200);
    assert.equal(r.reason, 'OK');
    assert.deepEqual(r.framing, { kind: 'length', length: 615 });
    assert.equal(r.keepAlive, true);
    assert.equal(encodeResponseHead(r).toString('latin1'), NGINX);
    const off = decodeResponseHead(Buffer.concat([Buffer.from('xx'), Buffer.from(NGINX)]), 2);
    assert.equal((off as { bytes: number }).bytes, NGINX.length);
  });

  it('knows which responses have no body and which run until close', () => {
    const f = (t: string, m = 'GET') => (decodeResponseHead(Buffer.from(t), 0, 16384, m) as { value: { framing: unknown } }).value.framing;
    assert.deepEqual(f('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n'), { kind: 'none' });
    assert.deepEqual(f('HTTP/1.1 304 Not Modified\r\n\r\n'), { kind: 'none' });
    assert.deepEqual(f('HTTP/1.1 100 Continue\r\n\r\n'), { kind: 'none' });
    assert.deepEqual(f('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', 'HEAD'), { kind: 'none' });
    assert.deepEqual(f('HTTP/1.1 200 OK\r\n\r\n'), { kind: 'close' });
    assert.deepEqual(f('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), { kind: 'chunked' });
    assert.deepEqual(f('HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n'), { kind: 'none' });
  });

  it('is incomplete at every split point', () => {
    const b = Buffer.from(NGINX);
    for (let i = 0; i < b.length; i++) assert.equal(decodeResponseHead(b.subarray(0, i)).kind, 'incomplete', `split ${i}`);
  });

  it('gives verdicts for bad responses and never throws on random bytes', () => {
    for (const bad of ['HTTP/1.1 20 OK\r\n\r\n', 'HTTP/2 200 OK\r\n\r\n', 'HTTP/1.1 200 OK\nA: b\n\n', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 'HTTP/1.1 200 OK\r\n x\r\n\r\n']) {
      assert.equal(decodeResponseHead(Buffer.from(bad)).kind, 'malformed', bad);
    }
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.alloc(rnd() % 100);
      for (let i = 0; i < b.length; i++) b[i] = n % 2 ? rnd() : Buffer.from('HTTP/1.1 200 OK\r\n:')[rnd() % 18]!;
      assert.ok(['ok', 'incomplete', 'malformed'].includes(decodeResponseHead(b, 0, 64).kind));
    }
  });
});
