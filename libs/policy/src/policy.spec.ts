import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type ProxyPolicy } from '@tandem/config';
import { CompiledProxyPolicy } from './http-rules.js';
import type { RequestView } from './request-view.types.js';

/** A frontend's policy from config text (the lines go inside `frontend fe`). */
function policy(lines: string): CompiledProxyPolicy {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n${lines}\n  default_backend b0\nbackend b0\n  server s 127.0.0.1:1\nbackend b1\n  server s 127.0.0.1:1\nbackend b2\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return new CompiledProxyPolicy(r.config.frontends[0]!.policy as ProxyPolicy);
}

function view(over: Partial<Omit<RequestView, 'headers'>> & { headers?: Record<string, string | string[]> } = {}): RequestView {
  const names: string[] = [];
  const rawNames: string[] = [];
  const values: string[] = [];
  for (const [k, v] of Object.entries(over.headers ?? { host: 'example.com' })) {
    for (const one of Array.isArray(v) ? v : [v]) {
      names.push(k.toLowerCase());
      rawNames.push(k);
      values.push(one);
    }
  }
  const { headers: _h, ...rest } = over;
  return { src: '10.10.1.2', srcPort: 40000, dst: '10.10.10.1', dstPort: 443, method: 'GET', uri: '/', ssl: false, sni: undefined, nbsrv: () => 1, ...rest, headers: { names, rawNames, values } };
}

test('use_backend: first match wins; path_beg with several patterns ORs them; no match falls to default', () => {
  const p = policy('  acl is_api path_beg /api/\n  acl is_static path_beg /static/ /assets/ /images/\n  use_backend b1 if is_api\n  use_backend b2 if is_static');
  assert.equal(p.selectBackend(view({ uri: '/api/x?y=1' })), 'b1');
  assert.equal(p.selectBackend(view({ uri: '/assets/a.css' })), 'b2');
  assert.equal(p.selectBackend(view({ uri: '/apix' })), undefined);
  assert.equal(p.selectBackend(view({ uri: '/' })), undefined);
});

test('a repeated ACL name is an OR of its lines (HAProxy), not an AND', () => {
  const p = policy('  acl is_admin path_beg /admin\n  acl is_admin src 10.10.0.0/16\n  use_backend b1 if is_admin');
  assert.equal(p.selectBackend(view({ uri: '/admin', src: '192.0.2.1' })), 'b1', 'path alone matches');
  assert.equal(p.selectBackend(view({ uri: '/', src: '10.10.5.5' })), 'b1', 'internal source alone matches');
  assert.equal(p.selectBackend(view({ uri: '/', src: '192.0.2.1' })), undefined);
});

test('conditions: implicit AND, or/||, !, unless, anonymous ACLs', () => {
  const p = policy('  acl a path_beg /a\n  acl int src 10.0.0.0/8\n  use_backend b1 if a int\n  use_backend b2 if !a { method POST } || { hdr(x-k) -i yes }');
  assert.equal(p.selectBackend(view({ uri: '/a', src: '10.1.1.1' })), 'b1');
  assert.equal(p.selectBackend(view({ uri: '/a', src: '11.1.1.1' })), undefined);
  assert.equal(p.selectBackend(view({ uri: '/b', method: 'POST' })), 'b2');
  assert.equal(p.selectBackend(view({ uri: '/a', method: 'POST', src: '11.1.1.1' })), undefined);
  assert.equal(p.selectBackend(view({ uri: '/a', src: '11.1.1.1', headers: { 'X-K': 'YES' } })), 'b2');
  const u = policy('  use_backend b1 unless { ssl_fc }');
  assert.equal(u.selectBackend(view({ ssl: false })), 'b1');
  assert.equal(u.selectBackend(view({ ssl: true })), undefined);
});

test('fetches and match methods', () => {
  const cases: Array<[string, Partial<Omit<RequestView, 'headers'>> & { headers?: Record<string, string | string[]> }, boolean]> = [
    ['path /x', { uri: '/x?q' }, true],
    ['path -i /X', { uri: '/x' }, true],
    ['path /X', { uri: '/x' }, false],
    ['path /p', { uri: 'http://h:8/p?z' }, true],
    ['path_end .css', { uri: '/a/b.css?v=2' }, true],
    ['path_sub /b/', { uri: '/a/b/c' }, true],
    ['path_reg ^/a/[0-9]+$', { uri: '/a/12' }, true],
    ['path_dir b', { uri: '/a/b/c' }, true],
    ['path_dir b', { uri: '/a/bc' }, false],
    ['path_len gt 3', { uri: '/abcd' }, true],
    ['url_beg /a?', { uri: '/a?x' }, true],
    ['query -m sub x=1', { uri: '/?x=1&y' }, true],
    ['query -m found', { uri: '/' }, false],
    ['method GET HEAD', { method: 'HEAD' }, true],
    ['hdr(host) -i example.com', {}, true],
    ['hdr_dom(host) -i example', { headers: { Host: 'www.example.com:8080' } }, true],
    ['hdr_beg(host) www.', { headers: { Host: 'www.example.com' } }, true],
    ['hdr_end(host) .com', {}, true],
    ['hdr_sub(accept) json', { headers: { Accept: 'text/html, application/json' } }, true],
    ['hdr(accept) application/json', { headers: { Accept: 'text/html, application/json' } }, true],
    ['hdr(x,1) a', { headers: { x: ['a, b', 'c'] } }, true],
    ['hdr(x,-1) c', { headers: { x: ['a, b', 'c'] } }, true],
    ['hdr(x,-1) a', { headers: { x: ['a, b', 'c'] } }, false],
    ['hdr_reg(ua) -i bot$', { headers: { ua: 'GoogleBot' } }, true],
    ['hdr_cnt(x) eq 3', { headers: { x: ['a, b', 'c'] } }, true],
    ['hdr_cnt(y) 0', {}, true],
    ['req.hdr(host) -m beg exa', {}, true],
    ['hdr_ip(x-real-ip) 192.168.0.0/16', { headers: { 'x-real-ip': '192.168.3.4' } }, true],
    ['hdr_len(host) 11', {}, true],
    ['src 10.10.0.0/16', {}, true],
    ['src 10.10.0.0/255.255.0.0', {}, true],
    ['src 10.11.0.0/16', {}, false],
    ['src 2001:db8::/32', { src: '2001:db8::5' }, true],
    ['src 2001:db8::/32', { src: '10.0.0.1' }, false],
    ['src 10.0.0.1', { src: '::ffff:10.0.0.1' }, true],
    ['src ::1', { src: '::1' }, true],
    ['src_port ge 1024', {}, true],
    ['src_port lt 1024', {}, false],
    ['dst_port 80 443', {}, true],
    ['dst_port 400:500', {}, true],
    ['dst 10.10.10.1', {}, true],
    ['ssl_fc', { ssl: true }, true],
    ['ssl_fc', { ssl: false }, false],
    ['ssl_fc_sni -i example.com', { ssl: true, sni: 'Example.com' }, true],
    ['ssl_fc_sni -m found', { ssl: true, sni: undefined }, false],
    ['always_true', {}, true],
    ['always_false', {}, false],
    ['nbsrv(b1) lt 1', { nbsrv: (b) => (b === 'b1' ? 0 : 2) }, true],
    ['nbsrv(b2) lt 1', { nbsrv: (b) => (b === 'b1' ? 0 : 2) }, false],
    ['hdr(host) -m len 11', {}, true],
    ['hdr(missing) -m found', {}, false],
    ['hdr(host) -m found', {}, true],
    ['path -m dom a', { uri: '/x.a.y' }, true],
  ];
  for (const [acl, v, expected] of cases) {
    const p = policy(`  acl t ${acl}\n  use_backend b1 if t`);
    assert.equal(p.selectBackend(view(v)) === 'b1', expected, acl);
  }
});

test('predefined ACLs (TRUE, FALSE, LOCALHOST, METH_GET)', () => {
  assert.equal(policy('  use_backend b1 if TRUE').selectBackend(view()), 'b1');
  assert.equal(policy('  use_backend b1 if FALSE').selectBackend(view()), undefined);
  assert.equal(policy('  use_backend b1 if LOCALHOST').selectBackend(view({ src: '127.0.0.2' })), 'b1');
  assert.equal(policy('  use_backend b1 if METH_GET').selectBackend(view({ method: 'HEAD' })), 'b1');
});

test('http-request: redirect scheme https unless { ssl_fc } (seed 01) builds https://<host><uri>', () => {
  const p = policy('  http-request redirect scheme https unless { ssl_fc }');
  assert.deepEqual(p.evaluateRequest(view({ uri: '/a/b?c=1', headers: { Host: 'solvethenetwork.com' } })), { kind: 'redirect', status: 302, location: 'https://solvethenetwork.com/a/b?c=1' });
  assert.deepEqual(p.evaluateRequest(view({ ssl: true })), { kind: 'continue' });
});

test('redirect variants: prefix, location, code, drop-query, append-slash; standalone redirect after http-request rules', () => {
  assert.deepEqual(policy('  http-request redirect prefix https://new.example code 301').evaluateRequest(view({ uri: '/p?q' })), { kind: 'redirect', status: 301, location: 'https://new.example/p?q' });
  assert.deepEqual(policy('  http-request redirect prefix / drop-query append-slash').evaluateRequest(view({ uri: '/p?q' })), { kind: 'redirect', status: 302, location: '/p/' });
  assert.deepEqual(policy('  http-request redirect location /moved code 308').evaluateRequest(view()), { kind: 'redirect', status: 308, location: '/moved' });
  const p = policy('  redirect location /r\n  http-request deny deny_status 429 if { path /d }');
  assert.deepEqual(p.evaluateRequest(view({ uri: '/d' })), { kind: 'deny', status: 429 });
  assert.deepEqual(p.evaluateRequest(view({ uri: '/x' })), { kind: 'redirect', status: 302, location: '/r' });
});

test('http-request header actions run in order and later conditions see them; allow stops the rules', () => {
  const p = policy('  http-request set-header X-A 1\n  http-request add-header X-A 2\n  http-request del-header X-Gone\n  http-request deny if { hdr_cnt(x-a) 3 }\n  http-request allow if { path /ok }\n  http-request deny');
  const v = view({ uri: '/ok', headers: { 'x-a': 'old', 'X-Gone': 'y', host: 'h' } });
  assert.deepEqual(p.evaluateRequest(v), { kind: 'continue' });
  assert.deepEqual(v.headers.names, ['host', 'x-a', 'x-a']);
  assert.deepEqual(v.headers.values, ['h', '1', '2']);
  assert.deepEqual(p.evaluateRequest(view({ uri: '/no' })), { kind: 'deny', status: 403 });
});

test('http-request return and http-response header rules', () => {
  const r = policy('  http-request return status 200 content-type text/plain string ok hdr X-R 1 if { path /health }');
  assert.deepEqual(r.evaluateRequest(view({ uri: '/health' })), { kind: 'return', status: 200, contentType: 'text/plain', body: 'ok', headers: [['X-R', '1']] });
  const p = policy('  http-response set-header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload"\n  http-response del-header Server\n  http-response add-header X-Api 1 if { path_beg /api }');
  const headers = { names: ['server', 'strict-transport-security'], rawNames: ['Server', 'Strict-Transport-Security'], values: ['x', 'max-age=1'] };
  p.evaluateResponse(view({ uri: '/api/x' }), headers);
  assert.deepEqual(headers.rawNames, ['Strict-Transport-Security', 'X-Api']);
  assert.deepEqual(headers.values, ['max-age=63072000; includeSubDomains; preload', '1']);
});
