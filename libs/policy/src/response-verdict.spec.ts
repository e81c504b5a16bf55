import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type ProxyPolicy } from '@tandem/config';
import { CompiledProxyPolicy, type ResponseEdit } from './http-rules.js';
import type { HeaderList, RequestView, StickAccess } from './request-view.types.js';

const DEFAULTS = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n';

/** The frontend's policy from config text (lines go inside `frontend fe`, which has a stick table). */
function policy(lines: string): CompiledProxyPolicy {
  const text = `${DEFAULTS}frontend fe\n  bind 127.0.0.1:8080\n  stick-table type ip size 1k expire 1m store gpc0,http_err_rate(10s)\n${lines}\n  default_backend b0\nbackend b0\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return new CompiledProxyPolicy(r.config.frontends[0]!.policy as ProxyPolicy);
}

/** The parse errors of one http-response line. */
function errors(line: string): string[] {
  const text = `${DEFAULTS}frontend fe\n  bind 127.0.0.1:8080\n  ${line}\n  default_backend b0\nbackend b0\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }]);
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

/** A fake of the stick counters: what the rules tracked and incremented. */
function stickLog(): StickAccess & { readonly log: string[] } {
  const log: string[] = [];
  const tracked = new Set<number>();
  return {
    log,
    proxyTable: undefined,
    track(counter, key, table) {
      if (tracked.has(counter)) return;
      tracked.add(counter);
      log.push(`track sc${counter} ${String(key)} ${table}`);
    },
    readCounter: () => undefined,
    readKey: () => undefined,
    incGpc0(counter) {
      log.push(`inc sc${counter}`);
    },
  };
}

function response(status: number, fields: Record<string, string> = {}, stick?: StickAccess): { view: RequestView; headers: HeaderList } {
  const headers: HeaderList = { names: Object.keys(fields).map((k) => k.toLowerCase()), rawNames: Object.keys(fields), values: Object.values(fields) };
  const view: RequestView = { src: '10.0.0.7', srcPort: 40000, dst: '10.0.0.1', dstPort: 80, method: '', uri: '', headers, ssl: false, sni: undefined, nbsrv: () => 1, response: true, status, ...(stick ? { stick } : {}) };
  return { view, headers };
}

function run(p: CompiledProxyPolicy, status: number, fields: Record<string, string> = {}, stick?: StickAccess): { edit: ResponseEdit; headers: HeaderList } {
  const { view, headers } = response(status, fields, stick);
  return { edit: p.evaluateResponse(view, headers), headers };
}

test('http-response deny: 502 by default (HAProxy), deny_status sets it; the condition is on the response', () => {
  const p = policy('  http-response deny if { status 500 }');
  assert.deepEqual(run(p, 500).edit.verdict, { kind: 'deny', status: 502 });
  assert.equal(run(p, 200).edit.verdict, undefined);
  const q = policy('  http-response deny deny_status 503 if { res.hdr(x-leak) -m found }');
  assert.deepEqual(run(q, 200, { 'X-Leak': '1' }).edit.verdict, { kind: 'deny', status: 503 });
  assert.equal(run(q, 200).edit.verdict, undefined);
});

test('http-response return: status, content-type, string and hdr as http-request return', () => {
  const p = policy('  http-response return status 503 content-type text/plain string "maintenance" hdr x-why maint if { res.hdr(x-maint) -m found }');
  assert.deepEqual(run(p, 200, { 'x-maint': 'on' }).edit.verdict, { kind: 'return', status: 503, contentType: 'text/plain', body: 'maintenance', headers: [['x-why', 'maint']] });
  assert.equal(run(p, 200).edit.verdict, undefined);
});

test('http-response redirect location [code N]: a log-format location; scheme and prefix are refused as HAProxy does', () => {
  const p = policy('  http-response redirect location /login code 302 if { status 401 }\n  http-response redirect location /moved/%[res.hdr(x-id)] code 301 if { status 410 }');
  assert.deepEqual(run(p, 401).edit.verdict, { kind: 'redirect', status: 302, location: '/login' });
  assert.deepEqual(run(p, 410, { 'x-id': '42' }).edit.verdict, { kind: 'redirect', status: 301, location: '/moved/42' });
  assert.equal(run(p, 200).edit.verdict, undefined);
  assert.match(errors('http-response redirect prefix /x').join('\n'), /response only supports redirect type 'location'/);
  assert.match(errors('http-response redirect scheme https').join('\n'), /response only supports redirect type 'location'/);
});

test('rules run in order: header edits before a verdict apply, rules after it do not run', () => {
  const p = policy('  http-response set-header x-a 1\n  http-response deny if { status 500 }\n  http-response set-header x-b 2');
  const { edit, headers } = run(p, 500);
  assert.deepEqual(edit.verdict, { kind: 'deny', status: 502 });
  assert.deepEqual(headers.names, ['x-a'], 'x-b is never set: evaluation stopped at deny');
});

test('allow stops the remaining http-response rules of the section (later deny and set-header are skipped)', () => {
  const p = policy('  http-response allow if { res.hdr(x-trusted) -m found }\n  http-response deny if { status 500 }\n  http-response set-header x-after 1');
  const allowed = run(p, 500, { 'x-trusted': '1' });
  assert.equal(allowed.edit.verdict, undefined);
  assert.deepEqual(allowed.headers.names, ['x-trusted']);
  assert.deepEqual(run(p, 500).edit.verdict, { kind: 'deny', status: 502 }, 'without the header, allow does not match and deny does');
});

test('track-sc0 and sc-inc-gpc0(<n>) on responses drive the stick counters; the first track of a counter wins', () => {
  const p = policy('  http-response track-sc0 src\n  http-response track-sc1 res.hdr(x-user) table fe\n  http-response sc-inc-gpc0(0) if { status 404 }\n  http-response sc-inc-gpc0(1) if { status 404 }');
  const stick = stickLog();
  run(p, 404, { 'x-user': 'alice' }, stick);
  run(p, 200, {}, stick);
  run(p, 404, {}, stick);
  assert.deepEqual(stick.log, ['track sc0 10.0.0.7 fe', 'track sc1 alice fe', 'inc sc0', 'inc sc1', 'inc sc0', 'inc sc1']);
});

test('sc-inc-gpc0 without (<n>) increments counter 0', () => {
  const p = policy('  http-response sc-inc-gpc0 if { status 404 }');
  const stick = stickLog();
  run(p, 404, {}, stick);
  run(p, 200, {}, stick);
  assert.deepEqual(stick.log, ['inc sc0']);
});

test('http-response deny content-type/string/hdr: the reply replaces the error page (HAProxy 2.6 http reply)', () => {
  const p = policy('  http-response deny deny_status 503 content-type text/plain string x hdr x-why %[status] if { status 500 }');
  assert.deepEqual(run(p, 500).edit.verdict, { kind: 'deny', status: 503, reply: { contentType: 'text/plain', body: 'x', headers: [['x-why', '500']] } });
  assert.match(errors('http-response deny string x').join('\n'), /content type must be defined/);
  assert.deepEqual(errors('http-response deny status 503'), []);
});
