import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const BASE = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nbackend b0\n  server s 127.0.0.1:1\nfrontend fe\n  bind 127.0.0.1:8080\n  default_backend b0\n';

function parse(lines: string) {
  return parseHaproxyConfig([{ file: 'p.cfg', text: BASE + lines }]);
}

test('the seed block 06: a repeated ACL name with another criterion loads, is ORed, and warns naming both lines and the AND form', () => {
  const r = parse('  acl is_admin path_beg /admin\n  acl is_admin src 10.10.0.0/16\n  use_backend b0 if is_admin\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const acl = r.config.frontends[0]!.policy!.acls.get('is_admin')!;
  assert.deepEqual(acl.terms.map((t) => [t.fetch, t.match, ...t.values]), [['path_beg', 'beg', '/admin'], ['src', 'ip', '10.10.0.0/16']]);
  const w = r.config.warnings.find((d) => d.keyword === 'acl')!;
  assert.equal(w.line, 12);
  assert.match(w.message, /first at p\.cfg:11/);
  assert.match(w.message, /ORed/);
  assert.match(w.message, /'if is_admin_path is_admin_src'/);
});

test('repeating an ACL name with the same criterion adds patterns without a warning', () => {
  const r = parse('  acl st path_beg /a\n  acl st path_beg /b\n  use_backend b0 if st\n');
  assert.ok(r.ok);
  assert.equal(r.config.warnings.filter((d) => d.keyword === 'acl').length, 0);
});

test('errors name file:line: unknown fetch (with suggestion), unknown ACL, bad network, bad regex, unknown action, unknown backend', () => {
  const r = parse([
    '  acl a path_bgn /x',
    '  use_backend b0 if nope',
    '  acl n src 10.0.0.0/33',
    '  acl r path_reg (',
    '  http-request frobnicate',
    '  use_backend missing if TRUE',
    '  http-request set-tos 1',
    '  http-response silent-drop',
    '  acl f path,protobuf(1) x',
    '  acl m req.body -m found',
    '  acl c req.hdr(host),debug -m str x',
    '  http-request set-nice 10',
    '  http-request set-mark 1',
    '',
  ].join('\n'));
  assert.equal(r.ok, false);
  const byLine = new Map(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d]));
  assert.match(byLine.get(11)!.message, /unknown fetch method 'path_bgn'/);
  assert.equal(byLine.get(11)!.suggestion, 'path_beg');
  assert.match(byLine.get(12)!.message, /no such ACL : 'nope'/);
  assert.match(byLine.get(13)!.message, /not a valid prefix length/);
  assert.match(byLine.get(14)!.message, /invalid regex/);
  assert.match(byLine.get(15)!.message, /unknown action 'frobnicate'/);
  assert.match(byLine.get(16)!.message, /unable to find required use_backend: 'missing'/);
  for (const line of [17, 18, 19, 20, 21, 22, 23]) assert.match(byLine.get(line)!.message, /not implemented yet in Tandem \(not scheduled yet/, `line ${line}`);
});

test('rules parse: deny_status, redirect options, return, header actions, standalone redirect, conditions', () => {
  const r = parse([
    '  acl api path_beg /api',
    '  http-request deny deny_status 429 if api !{ src 10.0.0.0/8 } or { method TRACE }',
    '  http-request redirect scheme https code 301 unless { ssl_fc }',
    '  http-request return status 200 content-type text/plain string ok if { path /health }',
    '  http-request set-header X-Pct 100%%',
    '  http-response set-header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload"',
    '  redirect prefix https://new.example drop-query',
    '',
  ].join('\n'));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const p = r.config.frontends[0]!.policy!;
  assert.deepEqual(p.httpRequest.map((x) => x.action), ['deny', 'redirect', 'return', 'set-header']);
  const deny = p.httpRequest[0]!;
  assert.ok(deny.action === 'deny' && deny.status === 429);
  assert.deepEqual(deny.condition!.alternatives.map((g) => g.map((t) => (t.negate ? '!' : '') + (typeof t.acl === 'string' ? t.acl : t.acl.fetch))), [['api', '!src'], ['method']]);
  const set = p.httpRequest[3]!;
  assert.ok(set.action === 'set-header' && set.value === '100%');
  assert.equal(p.redirects[0]!.redirect.dropQuery, true);
  assert.equal(p.httpResponse[0]!.action, 'set-header');
});

test('use_backend on L4 fetches loads in a tcp frontend; http-request and HTTP fetches there are refused', () => {
  const tail = 'backend b\n  mode tcp\n  timeout connect 1s\n  timeout server 1s\n  server s 127.0.0.1:1\n';
  const ok = parseHaproxyConfig([{ file: 't.cfg', text: `frontend t\n  mode tcp\n  bind 127.0.0.1:9\n  timeout client 1s\n  use_backend b if { src 1.2.3.4 }\n${tail}` }]);
  assert.ok(ok.ok, JSON.stringify(ok.diagnostics));
  const rules = parseHaproxyConfig([{ file: 't.cfg', text: `frontend t\n  mode tcp\n  bind 127.0.0.1:9\n  timeout client 1s\n  http-request deny\n  acl api path_beg /api\n  default_backend b\n${tail}` }]);
  assert.equal(rules.ok, false);
  const errs = rules.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line} ${d.keyword}: ${d.message}`);
  assert.ok(errs.some((e) => /^5 http-request: .*require HTTP mode/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => /^6 acl: fetch 'path_beg' requires HTTP mode/.test(e)), errs.join('\n'));
});

test('stick-table, track-sc, tcp-request and the stick fetches parse (seed block 08)', () => {
  const r = parse([
    '  stick-table type ip size 200k expire 60s store http_req_rate(10s),conn_cur,gpc0',
    '  tcp-request connection track-sc1 src',
    '  tcp-request connection reject if { sc_conn_cur(1) gt 50 }',
    '  tcp-request content accept if { src 127.0.0.1 }',
    '  http-request track-sc0 src',
    '  http-request sc-inc-gpc0(0) if { path /x }',
    '  http-request deny deny_status 429 if { sc_http_req_rate(0) gt 100 } || { sc0_http_req_rate gt 100 } || { src_http_req_rate(fe) gt 100 } || { sc_get_gpc0(0) gt 3 } || { sc_http_err_rate(0) gt 5 } || { sc_conn_rate(1) gt 9 }',
  ].join('\n') + '\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const p = r.config.frontends[0]!.policy!;
  assert.deepEqual({ ...p.stickTable, source: undefined }, { name: 'fe', type: 'ip', size: 204800, expireMs: 60000, store: [{ type: 'http_req_rate', periodMs: 10000 }, { type: 'conn_cur' }, { type: 'gpc0' }], source: undefined });
  assert.deepEqual(p.tcpConnection.map((t) => t.action), ['track-sc', 'reject']);
  assert.deepEqual(p.tcpContent.map((t) => t.action), ['accept']);
  assert.deepEqual(p.httpRequest.map((t) => t.action), ['track-sc', 'sc-inc-gpc0', 'deny']);
  assert.deepEqual(p.httpRequest[0], { action: 'track-sc', counter: 0, key: { fetch: 'src', args: [] }, table: 'fe', source: { file: 'p.cfg', line: 15 } });
});

test('stick-table errors name file:line: bad type, missing size, bad store, track-sc without a table, unknown table', () => {
  const r = parse([
    '  stick-table type ipv4 size 10',
    '  http-request track-sc0 src',
    '  http-request track-sc1 src table nope',
    '  http-request deny if { src_http_req_rate(nope) gt 1 }',
  ].join('\n') + '\n' + 'backend t1\n  stick-table type string len 8 store conn_cur\nbackend t2\n  stick-table type ip size 1k store http_req_rate\n');
  assert.equal(r.ok, false);
  const errs = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`);
  assert.ok(errs.some((e) => e.startsWith('p.cfg:11:') && /'type' expects ip, ipv6/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('p.cfg:12:') && /needs a 'table' argument or a 'stick-table'/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('p.cfg:13:') && /unable to find table 'nope'/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('p.cfg:14:') && /unable to find table 'nope'/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('p.cfg:16:') && /missing 'size'/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => e.startsWith('p.cfg:18:') && /http_req_rate\(10s\)/.test(e)), errs.join('\n'));
});
