import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type ProxyPolicy } from '@tandem/config';
import { CompiledProxyPolicy } from './http-rules.js';
import type { HeaderList, RequestView } from './request-view.types.js';

const files = { read: (p: string) => (p === '/e/403.http' ? Buffer.from('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n') : new Error('ENOENT')), listDirectory: () => undefined };

function policy(lines: string): CompiledProxyPolicy {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n${lines}\n  default_backend b0\nbackend b0\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }], { files });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return new CompiledProxyPolicy(r.config.frontends[0]!.policy as ProxyPolicy);
}

function request(uri: string, fields: Record<string, string> = {}): RequestView {
  const headers: HeaderList = { names: Object.keys(fields).map((k) => k.toLowerCase()), rawNames: Object.keys(fields), values: Object.values(fields) };
  return { src: '10.0.0.7', srcPort: 40000, dst: '10.0.0.1', dstPort: 80, method: 'GET', uri, headers, ssl: false, sni: undefined, nbsrv: () => 1 };
}

test('deny/tarpit with reply options answer their content (hdr log-formats evaluated per request); a bare deny stays lean', () => {
  const p = policy([
    '  http-request deny deny_status 429 content-type text/plain string "slow down" hdr X-Src %[src] if { path /a }',
    '  http-request tarpit content-type text/plain string t if { path /t }',
    '  http-request deny errorfile /e/403.http if { path /e }',
    '  http-request deny',
  ].join('\n'));
  assert.deepEqual(p.evaluateRequest(request('/a')), { kind: 'deny', status: 429, reply: { contentType: 'text/plain', body: 'slow down', headers: [['X-Src', '10.0.0.7']] } });
  assert.deepEqual(p.evaluateRequest(request('/t')), { kind: 'tarpit', status: 500, reply: { contentType: 'text/plain', body: 't', headers: [] } });
  const e = p.evaluateRequest(request('/e'));
  assert.ok(e.kind === 'deny' && e.reply?.message?.toString().startsWith('HTTP/1.1 403 Forbidden'));
  assert.deepEqual(p.evaluateRequest(request('/z')), { kind: 'deny', status: 403 });
});

test('redirect set-cookie / clear-cookie reach the verdict (http-request and standalone redirect)', () => {
  const p = policy(['  http-request redirect location /in set-cookie SEEN=1 if { path /login }', '  redirect location /out clear-cookie SID= code 301'].join('\n'));
  assert.deepEqual(p.evaluateRequest(request('/login')), { kind: 'redirect', status: 302, location: '/in', cookie: 'SEEN=1; path=/;' });
  assert.deepEqual(p.evaluateRequest(request('/other')), { kind: 'redirect', status: 301, location: '/out', cookie: 'SID=; path=/; Max-Age=0;' });
});

test('del-header -m beg|end|sub|reg|str removes the matching fields, case-insensitively for names', () => {
  const fields = { 'X-Debug-A': '1', 'x-debug-b': '2', 'X-Trace-Id': '3', 'Via': '4', 'X-Keep': '5', 'X-Debugger': '6' };
  const run = (line: string) => {
    const view = request('/', fields);
    policy(line).evaluateRequest(view);
    return view.headers.rawNames;
  };
  assert.deepEqual(run('  http-request del-header x-DEBUG- -m beg'), ['X-Trace-Id', 'Via', 'X-Keep', 'X-Debugger']);
  assert.deepEqual(run('  http-request del-header -ID -m end'), ['X-Debug-A', 'x-debug-b', 'Via', 'X-Keep', 'X-Debugger']);
  assert.deepEqual(run('  http-request del-header debug -m sub'), ['X-Trace-Id', 'Via', 'X-Keep']);
  assert.deepEqual(run('  http-request del-header ^x-debug-[ab]$ -m reg'), ['X-Trace-Id', 'Via', 'X-Keep', 'X-Debugger']);
  assert.deepEqual(run('  http-request del-header VIA -m str'), ['X-Debug-A', 'x-debug-b', 'X-Trace-Id', 'X-Keep', 'X-Debugger']);
});
