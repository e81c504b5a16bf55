import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type ConfigFilePort, type ProxyPolicy } from '@tandem/config';
import { CompiledProxyPolicy } from './http-rules.js';
import type { HeaderList, RequestView } from './request-view.types.js';
import { setPath, setQuery } from './rule-actions.js';
import { txnOf } from './txn-state.js';

const FILES: Record<string, string> = { '/hosts.map': '# host → backend\nexample.com b1\napi.example.com b2\n', '/nets.map': '10.0.0.0/8 corp\n10.1.0.0/16 lab\n' };
const files: ConfigFilePort = { read: (p) => (FILES[p] !== undefined ? Buffer.from(FILES[p]!) : new Error('ENOENT')), listDirectory: () => undefined };

function policy(lines: string): CompiledProxyPolicy {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n${lines}\n  default_backend b0\nbackend b0\n  server s 127.0.0.1:1\nbackend b1\n  server s 127.0.0.1:1\nbackend b2\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }], { files });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return new CompiledProxyPolicy(r.config.frontends[0]!.policy as ProxyPolicy);
}

function headers(h: Record<string, string>): HeaderList {
  const names = Object.keys(h).map((k) => k.toLowerCase());
  return { names, rawNames: Object.keys(h), values: Object.values(h) };
}

function view(over: Partial<Omit<RequestView, 'headers'>> & { headers?: Record<string, string> } = {}): RequestView {
  const { headers: h, ...rest } = over;
  return { src: '10.1.2.3', srcPort: 40000, dst: '10.10.10.1', dstPort: 80, method: 'GET', uri: '/', ssl: false, sni: undefined, nbsrv: () => 1, ...rest, headers: headers(h ?? { Host: 'Example.COM' }) };
}

const get = (h: HeaderList, n: string) => h.values.filter((_, i) => h.names[i] === n);

test('dynamic use_backend through a map: lower-cased Host, default when unknown, the unknown name returned as is', () => {
  const p = policy('  use_backend %[req.hdr(host),lower,map(/hosts.map,b0)]');
  assert.equal(p.selectBackend(view()), 'b1');
  assert.equal(p.selectBackend(view({ headers: { host: 'API.example.com' } })), 'b2');
  assert.equal(p.selectBackend(view({ headers: { host: 'other.org' } })), 'b0');
  const q = policy('  use_backend be_%[req.hdr(x-missing)]');
  assert.equal(q.selectBackend(view()), 'be_-', 'an absent sample prints - (the runtime then uses default_backend)');
});

test('set-path keeps the query, set-query replaces it, set-uri and set-method; later rules see the rewrite', () => {
  assert.equal(setPath('/a/b?x=1', '/c'), '/c?x=1');
  assert.equal(setPath('http://h:8080/a?x', '/z'), 'http://h:8080/z?x');
  assert.equal(setQuery('/a?x=1', 'y=2'), '/a?y=2');
  assert.equal(setQuery('/a?x=1', ''), '/a');
  const p = policy('  http-request set-path /v2%[path]\n  http-request set-header X-Path %[path]\n  http-request set-method POST if { path_beg /v2/post }\n  http-request set-query %[query]&from=lb');
  const v = view({ uri: '/post?a=1' });
  assert.deepEqual(p.evaluateRequest(v), { kind: 'continue' });
  assert.equal(v.uri, '/v2/post?a=1&from=lb');
  assert.equal(v.method, 'POST');
  assert.deepEqual(get(v.headers, 'x-path'), ['/v2/post']);
});

test('set-var / var across rules and scopes; unset-var; an absent sample leaves the variable as it was', () => {
  const p = policy('  http-request set-var(txn.host) req.hdr(host),lower\n  http-request set-var(sess.seen) always_true\n  http-request set-var(txn.host) req.hdr(x-none)\n  http-request set-header X-Host %[var(txn.host)]\n  http-request unset-var(sess.seen) if { var(txn.host) -m str nope }\n  http-request deny if { var(txn.host) -m end .com } { path /deny }');
  const v = view();
  p.evaluateRequest(v);
  assert.deepEqual(get(v.headers, 'x-host'), ['example.com']);
  assert.equal(txnOf(v).sessVars.get('sess.seen'), true);
  assert.deepEqual(p.evaluateRequest(view({ uri: '/deny' })), { kind: 'deny', status: 403 });
});

test('replace-header replaces matching values by the expansion; replace-value works per comma-separated value', () => {
  const p = policy('  http-request replace-header Cookie foo=([^;]*);(.*) foo=\\1;ip=%[src];\\2\n  http-request replace-value X-Fwd ^10\\.(.*)$ net10-\\1');
  const v = view({ headers: { Host: 'h', Cookie: 'foo=bar; a=b', 'X-Fwd': '10.0.0.1, 192.0.2.1' } });
  p.evaluateRequest(v);
  assert.deepEqual(get(v.headers, 'cookie'), ['foo=bar;ip=10.1.2.3; a=b']);
  assert.deepEqual(get(v.headers, 'x-fwd'), ['net10-0.0.1, 192.0.2.1']);
});

test('tarpit, capture, set-log-level, set-timeout', () => {
  const p = policy('  http-request capture req.hdr(host) len 4\n  http-request set-log-level silent\n  http-request set-timeout server 5s\n  http-request tarpit deny_status 429 if { path /slow }');
  const v = view();
  assert.deepEqual(p.evaluateRequest(v), { kind: 'continue' });
  assert.deepEqual(txnOf(v).reqCaptures, ['Exam']);
  assert.equal(txnOf(v).logLevel, 'silent');
  assert.equal(txnOf(v).serverTimeout, 5000);
  assert.deepEqual(p.evaluateRequest(view({ uri: '/slow' })), { kind: 'tarpit', status: 429 });
  assert.deepEqual(policy('  http-request tarpit').evaluateRequest(view()), { kind: 'tarpit', status: 500 });
});

test('http-response set-status, replace-header, del-header; http-after-response runs after and sees the new status', () => {
  const p = policy('  http-response set-status 503 reason Maintenance if { status 500 }\n  http-response del-header Server\n  http-response replace-value Cache-Control ^private$ no-store\n  http-after-response set-header X-Final %[status]\n  http-after-response add-header X-Res %[res.hdr(x-app)]');
  const h = headers({ Server: 'app', 'Cache-Control': 'private, max-age=0', 'X-App': 'v1' });
  const rv = view({ response: true, status: 500 });
  const edit = p.evaluateResponse(rv, h);
  assert.deepEqual(edit, { status: 503, reason: 'Maintenance' });
  p.evaluateAfterResponse({ ...rv, headers: h, status: 503 }, h, edit);
  assert.deepEqual(get(h, 'server'), []);
  assert.deepEqual(get(h, 'cache-control'), ['no-store, max-age=0']);
  assert.deepEqual(get(h, 'x-final'), ['503']);
  assert.deepEqual(get(h, 'x-res'), ['v1']);
});

test('redirect location with %[…]', () => {
  const p = policy('  http-request redirect location https://%[req.hdr(host),lower]%[path] code 301');
  assert.deepEqual(p.evaluateRequest(view({ uri: '/a?b' })), { kind: 'redirect', status: 301, location: 'https://example.com/a' });
});

test('fetches: url_param, base, url_port, req.ver, be_conn, fe_conn, map_ip converter in an ACL', () => {
  const p = policy([
    '  acl p url_param(user) -m str alice',
    '  acl b base_beg example.com/api',
    '  acl port url_port 8080',
    '  acl v10 req.ver 1.0',
    '  acl busy be_conn(b1) gt 2',
    '  acl lab src,map_ip(/nets.map) lab',
    '  use_backend b1 if p',
    '  use_backend b2 if b port',
    '  use_backend b0 if v10 busy',
    '  http-request set-header X-Net %[src,map_ip(/nets.map,none)]',
    '  http-request set-header X-Lab 1 if lab',
  ].join('\n'));
  assert.equal(p.selectBackend(view({ uri: '/x?a=1&user=alice' })), 'b1');
  assert.equal(p.selectBackend(view({ uri: 'http://example.com:8080/api/x', headers: { host: 'example.com' } })), 'b2');
  assert.equal(p.selectBackend(view({ uri: '/api/x', headers: { host: 'example.com' } })), undefined, 'url_port defaults to 80');
  assert.equal(p.selectBackend(view({ version: '1.0', beConn: () => 3 })), 'b0');
  const v = view();
  p.evaluateRequest(v);
  assert.deepEqual(get(v.headers, 'x-net'), ['lab']);
  assert.deepEqual(get(v.headers, 'x-lab'), ['1']);
  const w = view({ src: '192.0.2.1' });
  p.evaluateRequest(w);
  assert.deepEqual(get(w.headers, 'x-net'), ['none']);
});
