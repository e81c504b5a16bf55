import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequestHead, encodeRequestHead } from './request-head.codec.js';

/** Expected bytes written by hand (as curl 8 sends them), not produced by the encoder. */
const CURL_GET = 'GET /a?b=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n';

function ok(text: string) {
  const v = decodeRequestHead(Buffer.from(text, 'latin1'));
  assert.equal(v.kind, 'ok', JSON.stringify(v));
  return (v as Extract<typeof v, { kind: 'ok' }>);
}

function malformed(text: string, why?: RegExp) {
  const v = decodeRequestHead(Buffer.from(text, 'latin1'));
  assert.equal(v.kind, 'malformed', text);
  if (why) assert.match((v as { reason: string }).reason, why);
}

describe('request head codec', () => {
  it('decodes independent expected bytes', () => {
    const v = ok(CURL_GET);
    assert.equal(v.bytes, CURL_GET.length);
    assert.equal(v.value.method, 'GET');
    assert.equal(v.value.uri, '/a?b=1');
    assert.equal(v.value.minor, 1);
    assert.deepEqual(v.value.headers.names, ['host', 'user-agent', 'accept']);
    assert.deepEqual(v.value.headers.values, ['127.0.0.1:8080', 'curl/8.5.0', '*/*']);
    assert.deepEqual(v.value.framing, { kind: 'none' });
    assert.equal(v.value.keepAlive, true);
  });

  it('round trips with an offset and encodes the same bytes as curl', () => {
    const v = ok(CURL_GET).value;
    const enc = encodeRequestHead(v);
    assert.equal(enc.toString('latin1'), CURL_GET);
    const padded = Buffer.concat([Buffer.from('junk'), enc, Buffer.from('body')]);
    const again = decodeRequestHead(padded, 4);
    assert.equal(again.kind, 'ok');
    assert.equal((again as { bytes: number }).bytes, enc.length);
  });

  it('is incomplete at every split point, then ok', () => {
    const text = 'POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n'.replace('Content-Length: 3\r\n', '');
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i++) assert.equal(decodeRequestHead(buf.subarray(0, i)).kind, 'incomplete', `split ${i}`);
    assert.equal(decodeRequestHead(buf).kind, 'ok');
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
    const alphabet = Buffer.from('GET / HTTP/1.1\r\n: \t,chunked0123456789abcdefContent-Length');
    for (let n = 0; n < 3000; n++) {
      const len = rnd() % 120;
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = n % 2 ? rnd() : alphabet[rnd() % alphabet.length]!;
      const v = decodeRequestHead(b, 0, 64);
      assert.ok(['ok', 'incomplete', 'malformed'].includes(v.kind));
    }
  });

  it('gives a verdict for each smuggling shape', () => {
    malformed('POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', /content-length with transfer-encoding/);
    malformed('POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /conflicting/);
    malformed('POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n', /conflicting/);
    malformed('POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', /invalid content-length/);
    malformed('POST / HTTP/1.1\r\nContent-Length: 99999999999999999\r\n\r\n');
    malformed('POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', /final chunked/);
    malformed('POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n');
    malformed('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n');
    malformed('GET / HTTP/1.1\nHost: x\n\n', /bare LF/);
    malformed('GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n', /bare CR/);
    malformed('GET / HTTP/1.1\r\nA: 1\r\n b\r\n\r\n', /folding/);
    malformed('GET / HTTP/1.1\r\nA : 1\r\n\r\n', /header name/);
    malformed('GET / HTTP/1.1\r\n: 1\r\n\r\n', /header name/);
    malformed('GET / HTTP/1.1\r\nA: \u0001\r\n\r\n', /character/);
    malformed('GET  / HTTP/1.1\r\n\r\n');
    malformed('GET / HTTP/1.2\r\n\r\n', /version/);
    malformed('GET / http/1.1\r\n\r\n', /version/);
    malformed('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', /host/);
    malformed('GET / HTTP/1.1\r\nX: ' + 'a'.repeat(20000), /too large/);
  });

  it('merges identical Content-Length values and reads keep-alive rules', () => {
    assert.deepEqual(ok('POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n').value.framing, { kind: 'length', length: 5 });
    assert.deepEqual(ok('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n').value.framing, { kind: 'chunked' });
    assert.equal(ok('GET / HTTP/1.0\r\n\r\n').value.keepAlive, false);
    assert.equal(ok('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n').value.keepAlive, true);
    assert.equal(ok('GET / HTTP/1.1\r\nConnection: close\r\n\r\n').value.keepAlive, false);
    assert.equal(ok('GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n').value.upgrade, true);
  });
});
