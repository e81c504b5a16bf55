import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CookiePersistenceConfig } from '@tandem/config';
import { applyResponseCookie, buildSetCookie, parseCookieHeader, readRequestCookie, type CookieServer } from './cookie-persistence.js';
import type { HttpHeaders } from './wire/http-head.types.js';

function cfg(over: Partial<CookiePersistenceConfig> = {}): CookiePersistenceConfig {
  return { name: 'SERVERID', mode: 'insert', indirect: false, nocache: false, postonly: false, preserve: false, httponly: false, secure: false, domains: [], attrs: [], source: { file: 't', line: 1 }, ...over };
}

function headers(...pairs: Array<[string, string]>): HttpHeaders {
  return { names: pairs.map(([n]) => n.toLowerCase()), rawNames: pairs.map(([n]) => n), values: pairs.map(([, v]) => v) };
}

const srv = (cookie: string | undefined, acceptsPersistent = true): CookieServer & { label: string } => ({ cookie, acceptsPersistent, label: cookie ?? '-' });
const SERVERS = [srv('node01'), srv('node02'), srv('node03', false), srv(undefined)];

describe('cookie persistence: request side', () => {
  it('parses Cookie header pairs, blanks trimmed, valueless tokens kept', () => {
    assert.deepEqual(parseCookieHeader(' a=1;b = 2 ;flag; c='), [
      { name: 'a', value: '1', raw: 'a=1' },
      { name: 'b', value: '2', raw: 'b = 2' },
      { name: 'flag', value: '', raw: 'flag' },
      { name: 'c', value: '', raw: 'c=' },
    ]);
  });

  it('a valid cookie names its server (UP or draining); other cookies are left alone without indirect', () => {
    const h = headers(['Host', 'x'], ['Cookie', 'a=1; SERVERID=node02; b=2']);
    const r = readRequestCookie(cfg(), false, h, SERVERS);
    assert.equal(r.status, 'valid');
    assert.equal(r.server, SERVERS[1]);
    assert.equal(r.headers, undefined);
  });

  it('no cookie, an unknown value, or an empty one: balance normally', () => {
    assert.equal(readRequestCookie(cfg(), false, headers(['Cookie', 'a=1']), SERVERS).status, 'none');
    assert.equal(readRequestCookie(cfg(), false, headers(), SERVERS).status, 'none');
    const bad = readRequestCookie(cfg(), false, headers(['Cookie', 'SERVERID=nodeXX']), SERVERS);
    assert.deepEqual([bad.status, bad.server], ['invalid', undefined]);
    assert.equal(readRequestCookie(cfg(), false, headers(['Cookie', 'SERVERID=']), SERVERS).server, undefined, 'a server without a cookie value is never sticky');
  });

  it('the first occurrence counts, across Cookie headers; names are case-sensitive', () => {
    const r = readRequestCookie(cfg(), false, headers(['Cookie', 'serverid=node01'], ['Cookie', 'SERVERID=node02'], ['Cookie', 'SERVERID=node01']), SERVERS);
    assert.equal(r.server, SERVERS[1]);
  });

  it('a DOWN server: balanced elsewhere, unless option persist', () => {
    const h = headers(['Cookie', 'SERVERID=node03']);
    const r = readRequestCookie(cfg(), false, h, SERVERS);
    assert.deepEqual([r.status, r.server], ['down', undefined]);
    const p = readRequestCookie(cfg(), true, h, SERVERS);
    assert.deepEqual([p.status, p.server], ['down', SERVERS[2]]);
  });

  it('insert indirect removes the cookie from what the server sees (and an emptied header)', () => {
    const r = readRequestCookie(cfg({ indirect: true }), false, headers(['Host', 'x'], ['Cookie', 'a=1; SERVERID=node01; b'], ['Cookie', 'SERVERID=node02']), SERVERS);
    assert.equal(r.server, SERVERS[0]);
    assert.deepEqual(r.headers, headers(['Host', 'x'], ['Cookie', 'a=1; b']));
  });

  it('rewrite indirect keeps the cookie (only insert indirect removes it)', () => {
    const r = readRequestCookie(cfg({ mode: 'rewrite', indirect: true }), false, headers(['Cookie', 'SERVERID=node01']), SERVERS);
    assert.equal(r.server, SERVERS[0]);
    assert.equal(r.headers, undefined);
  });

  it('prefix: the part before ~ names the server and is stripped before forwarding', () => {
    const r = readRequestCookie(cfg({ mode: 'prefix', name: 'JSESSIONID' }), false, headers(['Cookie', 'x=1; JSESSIONID=node02~abc~d']), SERVERS);
    assert.equal(r.server, SERVERS[1]);
    assert.deepEqual(r.headers, headers(['Cookie', 'x=1; JSESSIONID=abc~d']));
    const plain = readRequestCookie(cfg({ mode: 'prefix', name: 'JSESSIONID' }), false, headers(['Cookie', 'JSESSIONID=abc']), SERVERS);
    assert.deepEqual([plain.status, plain.headers], ['invalid', undefined]);
  });
});

describe('cookie persistence: response side', () => {
  it('Set-Cookie carries path, every domain, HttpOnly, Secure and attrs; a cookieless server gets an expired cookie', () => {
    assert.equal(buildSetCookie(cfg(), 'node01'), 'SERVERID=node01; path=/');
    assert.equal(
      buildSetCookie(cfg({ domains: ['.a.example', '.b.example'], httponly: true, secure: true, attrs: ['SameSite=Lax'] }), 'n'),
      'SERVERID=n; path=/; domain=.a.example; domain=.b.example; HttpOnly; Secure; SameSite=Lax',
    );
    assert.equal(buildSetCookie(cfg(), undefined), 'SERVERID=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/');
  });

  it('insert: added when the request did not go directly to its cookie server; nocache adds Cache-Control: private', () => {
    const h = headers(['Content-Length', '0']);
    assert.equal(applyResponseCookie(cfg({ nocache: true }), { method: 'GET', serverCookie: 'node02', direct: false }, h), 'inserted');
    assert.deepEqual(h, headers(['Content-Length', '0'], ['Set-Cookie', 'SERVERID=node02; path=/'], ['Cache-Control', 'private']));
    const d = headers();
    assert.equal(applyResponseCookie(cfg({ nocache: true }), { method: 'GET', serverCookie: 'node02', direct: true }, d), 'none');
    assert.deepEqual(d, headers());
  });

  it('nocache does not add Cache-Control to a response that is already private or no-store', () => {
    const h = headers(['Cache-Control', 'no-store']);
    applyResponseCookie(cfg({ nocache: true }), { method: 'GET', serverCookie: 'a', direct: false }, h);
    assert.deepEqual(h.names, ['cache-control', 'set-cookie']);
  });

  it('postonly inserts only on POST', () => {
    const get = headers();
    assert.equal(applyResponseCookie(cfg({ postonly: true }), { method: 'GET', serverCookie: 'a', direct: false }, get), 'none');
    assert.equal(applyResponseCookie(cfg({ postonly: true }), { method: 'POST', serverCookie: 'a', direct: false }, headers()), 'inserted');
  });

  it("insert removes the server's own cookie of that name; preserve keeps it and inserts nothing", () => {
    const h = headers(['Set-Cookie', 'SERVERID=app; path=/x'], ['Set-Cookie', 'other=1']);
    applyResponseCookie(cfg(), { method: 'GET', serverCookie: 'node01', direct: false }, h);
    assert.deepEqual(h.values, ['other=1', 'SERVERID=node01; path=/']);
    const p = headers(['Set-Cookie', 'SERVERID=; Max-Age=0']);
    assert.equal(applyResponseCookie(cfg({ preserve: true }), { method: 'GET', serverCookie: 'node01', direct: false }, p), 'none');
    assert.deepEqual(p.values, ['SERVERID=; Max-Age=0']);
  });

  it("rewrite replaces the value of the server's cookie; indirect drops it when the client already has it", () => {
    const h = headers(['Set-Cookie', 'SERVERID=whatever; path=/; HttpOnly']);
    assert.equal(applyResponseCookie(cfg({ mode: 'rewrite' }), { method: 'GET', serverCookie: 'node01', direct: false }, h), 'rewritten');
    assert.deepEqual(h.values, ['SERVERID=node01; path=/; HttpOnly']);
    const none = headers();
    assert.equal(applyResponseCookie(cfg({ mode: 'rewrite' }), { method: 'GET', serverCookie: 'node01', direct: false }, none), 'none', 'rewrite never inserts');
    const ind = headers(['Set-Cookie', 'SERVERID=x']);
    applyResponseCookie(cfg({ mode: 'rewrite', indirect: true }), { method: 'GET', serverCookie: 'node01', direct: true }, ind);
    assert.deepEqual(ind.values, []);
  });

  it("prefix prefixes the server's cookie with <value>~", () => {
    const h = headers(['Set-Cookie', 'JSESSIONID=abc; path=/']);
    applyResponseCookie(cfg({ mode: 'prefix', name: 'JSESSIONID' }), { method: 'GET', serverCookie: 'node02', direct: true }, h);
    assert.deepEqual(h.values, ['JSESSIONID=node02~abc; path=/']);
  });

  it('passive (no mode) never touches responses', () => {
    const h = headers(['Set-Cookie', 'SERVERID=x']);
    assert.equal(applyResponseCookie(cfg({ mode: 'passive' }), { method: 'GET', serverCookie: 'a', direct: false }, h), 'none');
    assert.deepEqual(h.values, ['SERVERID=x']);
  });
});
