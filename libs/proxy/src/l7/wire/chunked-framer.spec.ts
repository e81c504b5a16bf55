import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkedFramer, encodeChunked } from './chunked-framer.js';

/** RFC 9112 section 7.1 style example, written by hand (with a chunk extension and a trailer). */
const WIKI = '4\r\nWiki\r\n6;name=v\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n';

describe('chunked framer', () => {
  it('frames independent expected bytes and stops at the end', () => {
    const f = new ChunkedFramer();
    const buf = Buffer.from(WIKI + 'GET / HTTP/1.1\r\n');
    const r = f.feed(buf);
    assert.deepEqual(r, { kind: 'body', consumed: WIKI.length, done: true });
  });

  it('round trips encodeChunked at any chunk size', () => {
    const body = Buffer.alloc(10000, 'q');
    for (const size of [1, 7, 4096, 20000]) {
      const enc = encodeChunked(body, size);
      const r = new ChunkedFramer().feed(enc);
      assert.deepEqual(r, { kind: 'body', consumed: enc.length, done: true });
    }
    assert.equal(encodeChunked(Buffer.from('Wiki'), 4).toString(), '4\r\nWiki\r\n0\r\n\r\n');
  });

  it('gives the same answer at every split point', () => {
    const buf = Buffer.from(WIKI);
    for (let i = 0; i <= buf.length; i++) {
      const f = new ChunkedFramer();
      const a = f.feed(buf, 0, i);
      const b = f.feed(buf, i);
      assert.equal(a.kind, 'body');
      assert.equal(b.kind, 'body');
      assert.equal((a as { consumed: number }).consumed + (b as { consumed: number }).consumed, buf.length, `split ${i}`);
      assert.ok(f.done);
    }
  });

  it('rejects bad sizes, overflow, bare LF; never throws on random bytes', () => {
    for (const bad of ['zz\r\n', '-1\r\n', 'fffffffffffffffffff\r\n', '4\nWiki\r\n', '4\r\nWikiX\r\n', '0x4\r\n', '\r\n']) {
      assert.equal(new ChunkedFramer().feed(Buffer.from(bad)).kind, 'malformed', JSON.stringify(bad));
    }
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.alloc(rnd() % 64);
      for (let i = 0; i < b.length; i++) b[i] = n % 2 ? rnd() : Buffer.from('0123af;\r\n x')[rnd() % 11]!;
      const r = new ChunkedFramer().feed(b);
      assert.ok(r.kind === 'body' || r.kind === 'malformed');
    }
  });
});
