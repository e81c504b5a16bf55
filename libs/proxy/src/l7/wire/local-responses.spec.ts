import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authResponse, builtinErrorPage, redirectResponse, replyResponse, returnResponse } from './local-responses.js';
import { headOnly } from './head-only.js';

/**
 * Golden bytes captured from HAProxy 2.6.12 (Debian 2.6.12-1+deb12u4, /usr/sbin/haproxy) on 2026-11-26, on
 * 127.0.0.1 with a raw node `net` client sending `GET <path> HTTP/1.1\r\nHost: a\r\n\r\n` (keep-alive, so no
 * `connection: close`; http-session.ts adds that one when it closes). Rules, one per path:
 *   http-request redirect location /x code 30X | redirect scheme https | redirect prefix /p set-cookie C=1
 *   http-request return status 200 content-type text/plain string ok hdr X-A 1 hdr X-B 2
 *   http-request return status 200 hdr X-A 1
 *   http-request deny deny_status 429 content-type text/plain string slow hdr Retry-After 7
 *   http-request deny deny_status N | http-request auth realm R
 */
const HAPROXY = {
  r301: 'HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: /x\r\n\r\n',
  r302: 'HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: /x\r\ncache-control: no-cache\r\n\r\n',
  r303: 'HTTP/1.1 303 See Other\r\ncontent-length: 0\r\nlocation: /x\r\ncache-control: no-cache\r\n\r\n',
  r307: 'HTTP/1.1 307 Temporary Redirect\r\ncontent-length: 0\r\nlocation: /x\r\ncache-control: no-cache\r\n\r\n',
  r308: 'HTTP/1.1 308 Permanent Redirect\r\ncontent-length: 0\r\nlocation: /x\r\n\r\n',
  scheme: 'HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://a/scheme\r\ncache-control: no-cache\r\n\r\n',
  cookie: 'HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: /p/cookie\r\ncache-control: no-cache\r\nset-cookie: C=1; path=/;\r\n\r\n',
  ret: 'HTTP/1.1 200 OK\r\nx-a: 1\r\nx-b: 2\r\ncontent-length: 2\r\ncontent-type: text/plain\r\n\r\nok',
  retNoBody: 'HTTP/1.1 200 OK\r\nx-a: 1\r\ncontent-length: 0\r\n\r\n',
  ret404: 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n',
  slow: 'HTTP/1.1 429 Too Many Requests\r\nretry-after: 7\r\ncontent-length: 4\r\ncontent-type: text/plain\r\n\r\nslow',
  d403: 'HTTP/1.1 403 Forbidden\r\ncontent-length: 93\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n',
  d429: 'HTTP/1.1 429 Too Many Requests\r\ncontent-length: 117\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n',
  d407: 'HTTP/1.1 407 Unauthorized\r\ncontent-length: 112\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>407 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n',
  d200: 'HTTP/1.1 200 OK\r\ncontent-length: 58\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n',
  d501: 'HTTP/1.1 501 Not Implemented\r\ncontent-length: 136\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>501 Not Implemented</h1>\n.The server does not support the functionality required to fulfill the request.\n</body></html>\n',
  auth: 'HTTP/1.1 401 Unauthorized\r\ncontent-length: 112\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nwww-authenticate: Basic realm="R"\r\n\r\n<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n',
  authHead: 'HTTP/1.1 401 Unauthorized\r\ncontent-length: 112\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nwww-authenticate: Basic realm="R"\r\n\r\n',
} as const;

const text = (b: Buffer) => b.toString('latin1');

describe('local responses match HAProxy 2.6 byte for byte', () => {
  it('redirects: cache-control: no-cache on 302/303/307 only, set-cookie last', () => {
    assert.equal(text(redirectResponse(301, '/x')), HAPROXY.r301);
    assert.equal(text(redirectResponse(302, '/x')), HAPROXY.r302);
    assert.equal(text(redirectResponse(303, '/x')), HAPROXY.r303);
    assert.equal(text(redirectResponse(307, '/x')), HAPROXY.r307);
    assert.equal(text(redirectResponse(308, '/x')), HAPROXY.r308);
    assert.equal(text(redirectResponse(302, 'https://a/scheme')), HAPROXY.scheme);
    assert.equal(text(redirectResponse(302, '/p/cookie', 'C=1; path=/;')), HAPROXY.cookie);
  });

  it('return: hdr fields first and lower-cased, then content-length, then content-type', () => {
    assert.equal(text(returnResponse(200, 'text/plain', 'ok', [['X-A', '1'], ['X-B', '2']])), HAPROXY.ret);
    assert.equal(text(returnResponse(200, undefined, undefined, [['X-A', '1']])), HAPROXY.retNoBody);
    assert.equal(text(returnResponse(404, undefined, undefined, [])), HAPROXY.ret404);
  });

  it('deny with a reply (deny_status + content-type/string/hdr) is built like return', () => {
    assert.equal(text(replyResponse(429, { contentType: 'text/plain', body: 'slow', headers: [['Retry-After', '7']] })), HAPROXY.slow);
  });

  it('built-in deny pages, 407 titled "Unauthorized" as in HAProxy 2.6', () => {
    assert.equal(text(builtinErrorPage(403)), HAPROXY.d403);
    assert.equal(text(builtinErrorPage(429)), HAPROXY.d429);
    assert.equal(text(builtinErrorPage(407)), HAPROXY.d407);
    assert.equal(text(builtinErrorPage(200)), HAPROXY.d200);
    assert.equal(text(builtinErrorPage(501)), HAPROXY.d501);
  });

  it('http-request auth, and its head alone for a HEAD request', () => {
    assert.equal(text(authResponse('R')), HAPROXY.auth);
    assert.equal(text(headOnly(authResponse('R'))), HAPROXY.authHead);
    assert.equal(text(headOnly(Buffer.from('no head'))), 'no head');
  });
});
