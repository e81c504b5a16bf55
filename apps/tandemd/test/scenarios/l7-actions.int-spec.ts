// Scenario (issue #6 items 1, 2 and 4): converters, maps and the rewriting actions on a real daemon with stub
// backends and real sockets.
//  - `use_backend %[req.hdr(host),lower,map(<hosts.map>,default_be)]`: the Host header, lower-cased, looked up in a
//    map file read at load; a host the map lacks uses the map's default; a name that is no backend falls back to
//    default_backend (HAProxy's dynamic use_backend);
//  - `http-request set-path`, `set-var(txn.host)` read back with `%[var(txn.host)]` in a header;
//  - `http-request tarpit`: the client is held for `timeout tarpit`, then gets the status (bounded timing);
//  - `http-after-response set-header` on a forwarded response and on Tandem's own deny and tarpit answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootTandemd, freePort, parseResponse, rawExchange, startHttpStub, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

const TARPIT_MS = 400;

describe('L7 actions: map-based use_backend, set-path, set-var/var, tarpit, http-after-response', () => {
  const dir = new TempDir();
  const stubs: Record<string, StubBackend> = {};
  let daemon: TandemdProcess;
  let port = 0;

  const get = async (path: string, host: string) => parseResponse(await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, { idleMs: 5_000 }));

  before(async () => {
    for (const name of ['a', 'b', 'd']) stubs[name] = await startHttpStub(name);
    port = await freePort();
    const map = dir.file('hosts.map', '# host -> backend\nshop.example be_a\napi.example  be_b\nghost.example no_such_backend\n');
    const config = [
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 10s',
      '    timeout server 10s',
      `    timeout tarpit ${TARPIT_MS}ms`,
      'frontend fe',
      `    bind 127.0.0.1:${port}`,
      '    http-request deny deny_status 403 if { path_beg /forbidden }',
      '    http-request deny deny_status 503 if { path_beg /closed }',
      '    http-request tarpit deny_status 429 if { path_beg /tarpit }',
      '    http-request set-var(txn.host) req.hdr(host),lower',
      '    http-request set-header X-Host %[var(txn.host)]',
      '    http-request set-path /v2%[path] if { path_beg /old }',
      `    use_backend %[req.hdr(host),lower,map(${map},default_be)]`,
      '    default_backend default_be',
      '    http-after-response set-header X-After done',
      `backend be_a\n    server s1 127.0.0.1:${stubs.a!.port}`,
      `backend be_b\n    server s1 127.0.0.1:${stubs.b!.port}`,
      `backend default_be\n    server s1 127.0.0.1:${stubs.d!.port}`,
      '',
    ].join('\n');
    daemon = await bootTandemd(dir, config);
  });

  after(async () => {
    await daemon?.stop();
    for (const s of Object.values(stubs)) await s.close();
    dir.cleanup();
  });

  test('the map routes by lower-cased Host; unknown hosts get the map default; a non-backend name gets default_backend', async () => {
    const shop = await get('/', 'SHOP.Example');
    assert.equal(shop.status, 200);
    assert.equal(shop.body, 'a');
    assert.equal(shop.headers['x-after'], 'done', 'http-after-response on a forwarded response');
    assert.equal((await get('/', 'api.example')).body, 'b');
    assert.equal((await get('/', 'nowhere.org')).body, 'd');
    assert.equal((await get('/', 'ghost.example')).body, 'd');
  });

  test('set-path rewrites the forwarded path (query kept); set-var/var carries the host into a header', async () => {
    const r = await get('/old/page?q=1', 'Shop.Example');
    assert.equal(r.body, 'a');
    assert.match(stubs.a!.received, /GET \/v2\/old\/page\?q=1 HTTP\/1\.1\r\n/);
    assert.equal(stubs.a!.lastHeaders['x-host'], 'shop.example');
  });

  test('http-after-response applies to a deny Tandem writes itself', async () => {
    const r = await get('/forbidden', 'shop.example');
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-after'], 'done');
  });

  test('deny deny_status 503 answers HAProxy\'s 503 page, not an empty body', async () => {
    const r = await get('/closed', 'shop.example');
    assert.equal(r.status, 503);
    assert.match(r.body, /503 Service Unavailable/);
    assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body, 'latin1'));
  });

  test('tarpit holds the client for timeout tarpit, then answers its status (and after-response applies)', async () => {
    const hits = stubs.a!.hits;
    const t0 = Date.now();
    const r = await get('/tarpit', 'shop.example');
    const took = Date.now() - t0;
    assert.equal(r.status, 429);
    assert.equal(r.headers['x-after'], 'done');
    assert.ok(took >= TARPIT_MS - 50, `answered after ${took} ms, before the tarpit timeout`);
    assert.ok(took < TARPIT_MS + 3_000, `answered after ${took} ms`);
    assert.equal(stubs.a!.hits, hits, 'a tarpitted request never reaches a server');
  });
});
