import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

function parse(fe: string, mode = 'http') {
  const text = `defaults\n  mode ${mode}\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nbackend b0\n  server s 127.0.0.1:1\nfrontend fe\n  bind 127.0.0.1:8080\n  default_backend b0\n${fe}\n`;
  return parseHaproxyConfig([{ file: 'p.cfg', text }]);
}

function cfg(r: ReturnType<typeof parse>) {
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.config;
}

const errors = (r: ReturnType<typeof parse>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`);

test('stick-table stores gpt0, gpc1, gpc1_rate(<period>); fetches and converters that read them load', () => {
  const r = parse([
    '  stick-table type ip size 1k expire 30s store gpt0,gpc1,gpc1_rate(10s),http_req_rate(10s)',
    '  http-request track-sc0 src',
    '  http-request deny if { sc_get_gpt0(0) eq 1 } || { sc0_get_gpc1 gt 5 } || { src_gpc1_rate gt 3 } || { src_get_gpt0 eq 2 }',
    '  http-request deny if { sc_gpc1_rate(0) gt 3 } || { sc_inc_gpc1(0) gt 9 } || { src_clr_gpc1 gt 0 } || { sc_clr_gpc0(0) ge 0 } || { src_inc_gpc0 gt 1 }',
    '  http-request set-header x-f %[src,table_gpt0(fe)]-%[src,table_gpc1(fe)]-%[src,table_gpc1_rate(fe)]',
  ].join('\n'));
  assert.deepEqual(errors(r), []);
  assert.deepEqual(cfg(r).frontends[0]!.policy!.stickTable!.store, [{ type: 'gpt0' }, { type: 'gpc1' }, { type: 'gpc1_rate', periodMs: 10000 }, { type: 'http_req_rate', periodMs: 10000 }]);
  const bad = parse('  stick-table type ip size 1k store gpc1_rate');
  assert.match(errors(bad)[0]!, /'gpc1_rate' expects a period/);
});

test('sc-inc-gpc1(<n>), sc-set-gpt0(<n>) <int|expr> in http-request and http-response; a bad counter is refused', () => {
  const r = parse([
    '  stick-table type ip size 1k store gpt0,gpc1',
    '  http-request track-sc1 src',
    '  http-request sc-inc-gpc1(1) if { path /x }',
    '  http-request sc-set-gpt0(1) 7',
    '  http-request sc-set-gpt0 req.hdr(x-level),add(1) unless { path /y }',
    '  http-response sc-inc-gpc1(1) if { status 404 }',
    '  http-response sc-set-gpt0(1) status',
  ].join('\n'));
  assert.deepEqual(errors(r), []);
  const p = cfg(r).frontends[0]!.policy!;
  const [, inc, set, expr] = p.httpRequest;
  assert.deepEqual({ ...inc, condition: undefined, source: undefined }, { action: 'sc-inc-gpc1', counter: 1, condition: undefined, source: undefined });
  assert.equal(set!.action === 'sc-set-gpt0' && set!.value, 7);
  assert.ok(expr!.action === 'sc-set-gpt0' && expr!.counter === 0 && expr!.expr?.fetch === 'req.hdr' && expr!.condition?.polarity === 'unless');
  assert.deepEqual(p.httpResponse.map((x) => x.action), ['sc-inc-gpc1', 'sc-set-gpt0']);
  assert.match(errors(parse('  http-request sc-inc-gpc1(3)'))[0]!, /stick counter 0, 1 or 2/);
  assert.match(errors(parse('  http-request sc-set-gpt0(0)'))[0]!, /expects an integer or a sample expression/);
});

test('http-request early-hint <name> <fmt>: a header name and a log-format value', () => {
  const r = parse('  http-request early-hint Link "</style.css>; rel=preload; as=style"\n  http-request early-hint Link "</%[path]>; rel=preload" if { path_beg /a }');
  assert.deepEqual(errors(r), []);
  const [a, b] = cfg(r).frontends[0]!.policy!.httpRequest;
  assert.ok(a!.action === 'early-hint' && a!.name === 'Link' && a!.value === '</style.css>; rel=preload; as=style' && a!.format === undefined);
  assert.ok(b!.action === 'early-hint' && b!.format !== undefined && b!.condition !== undefined);
  assert.match(errors(parse('  http-request early-hint Link'))[0]!, /expects a header name and a log-format value/);
});

test('tcp-request content/connection/session: set-var, unset-var, sc-*, silent-drop, set-src, set-dst; capture in content only', () => {
  const r = parse([
    '  stick-table type ip size 1k store gpc0,gpc1,gpt0',
    '  tcp-request inspect-delay 1s',
    '  tcp-request connection track-sc0 src',
    '  tcp-request connection set-var(sess.c) src',
    '  tcp-request connection sc-inc-gpc0(0)',
    '  tcp-request connection silent-drop if { sc_get_gpt0(0) eq 1 }',
    '  tcp-request session sc-set-gpt0(0) 1 if { src 10.0.0.0/8 }',
    '  tcp-request session unset-var(sess.c)',
    '  tcp-request content set-var(sess.x) req.payload(0,3)',
    '  tcp-request content capture req.payload(0,4) len 4',
    '  tcp-request content sc-inc-gpc1(0)',
    '  tcp-request content set-src req.payload(0,7)',
    '  tcp-request content set-dst str(127.0.0.1)',
    '  tcp-request content silent-drop if { var(sess.x) -m str bad }',
  ].join('\n'), 'tcp');
  assert.deepEqual(errors(r), []);
  const p = cfg(r).frontends[0]!.policy!;
  assert.deepEqual(p.tcpConnection.map((x) => x.action), ['track-sc', 'set-var', 'sc-inc-gpc0', 'silent-drop']);
  assert.deepEqual(p.tcpSession!.map((x) => x.action), ['sc-set-gpt0', 'unset-var']);
  assert.deepEqual(p.tcpContent.map((x) => x.action), ['set-var', 'capture', 'sc-inc-gpc1', 'set-src', 'set-dst', 'silent-drop']);
  const cap = p.tcpContent[1]!;
  assert.ok(cap.action === 'capture' && cap.slot === 0 && cap.len === 4);
  assert.match(errors(parse('  tcp-request connection capture src len 4', 'tcp'))[0]!, /only available in 'tcp-request content'/);
  assert.match(errors(parse('  tcp-request content set-mark 1', 'tcp'))[0]!, /not implemented yet/);
});
