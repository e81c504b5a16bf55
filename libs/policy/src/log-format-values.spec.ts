import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type FrontendConfig, type ProxyPolicy } from '@tandem/config';
import { CompiledProxyPolicy } from './http-rules.js';
import { compileLogFormat } from './log-format.js';
import type { HeaderList, RequestView } from './request-view.types.js';
import type { TxnInfo } from './txn-info.types.js';
import { newTxnState, readVar, txnOf } from './txn-state.js';

process.env.TZ = 'UTC';

function frontend(lines: string): FrontendConfig {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n${lines}\n  default_backend b0\nbackend b0\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.config.frontends[0]!;
}

const headers = (h: Record<string, string>): HeaderList => ({ names: Object.keys(h).map((k) => k.toLowerCase()), rawNames: Object.keys(h), values: Object.values(h) });

const ACCEPT = Date.UTC(2026, 10, 25, 22, 57, 7, 123);

function view(fe: FrontendConfig, over: Partial<TxnInfo> = {}): RequestView {
  const info: TxnInfo = {
    frontend: 'fe', frontendTls: false, backend: () => undefined, server: () => undefined, acceptDate: ACCEPT, requestDate: ACCEPT, requestCounter: 3,
    pid: 0x1a2b, hostname: 'lb1', method: 'GET', uri: '/a/b?q=1', version: 'HTTP/1.1', ...(fe.captures ? { captures: fe.captures } : {}),
    ...(fe.uniqueId ? { uniqueIdFormat: compileLogFormat(fe.uniqueId.format) } : {}), ...over,
  };
  return { src: '127.0.0.1', srcPort: 54321, dst: '127.0.0.1', dstPort: 8080, method: 'GET', uri: '/a/b?q=1', ssl: false, sni: undefined, nbsrv: () => 1, headers: headers({ Host: 'example.test' }), txn: newTxnState(), txnInfo: info };
}

const get = (h: HeaderList, n: string) => h.values.filter((_, i) => h.names[i] === n);

test('variables in set-header: addresses, names, dates, request line, with %{+Q}/%{+X} flags as in the logs', () => {
  const fe = frontend('  http-request set-header X-A %ci:%cp\n  http-request set-header X-B "%f %b %s %{+Q}HM %HP%HQ"\n  http-request set-header X-C %{+X}ci:%{+X}cp_%Ts.%ms_%{+X}rt:%{+X}pid\n  http-request set-header X-D [%t]');
  const v = view(fe);
  new CompiledProxyPolicy(fe.policy as ProxyPolicy).evaluateRequest(v);
  assert.deepEqual(get(v.headers, 'x-a'), ['127.0.0.1:54321']);
  assert.deepEqual(get(v.headers, 'x-b'), ['fe fe <NOSRV> "GET" /a/b?q=1']);
  assert.deepEqual(get(v.headers, 'x-c'), [`7F000001:D431_${Math.floor(ACCEPT / 1000)}.123_0003:1A2B`]);
  assert.deepEqual(get(v.headers, 'x-d'), ['[25/Nov/2026:22:57:07.123]']);
});

test('unique-id-format: the usual HAProxy format, generated once per transaction; %ID and unique-id agree', () => {
  const fe = frontend('  unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid\n  http-request set-header X-Id %ID\n  http-request set-var(txn.id) unique-id');
  const v = view(fe);
  new CompiledProxyPolicy(fe.policy as ProxyPolicy).evaluateRequest(v);
  const id = `7F000001:D431_7F000001:1F90_${Math.floor(ACCEPT / 1000).toString(16).toUpperCase()}_0003:1A2B`;
  assert.deepEqual(get(v.headers, 'x-id'), [id]);
  assert.equal(readVar(v, 'txn.id'), id);
  assert.equal(txnOf(v).uniqueId, id);
});

test('capture slots: request headers and capture rules numbered in declaration order; capture.req.hdr(n); %hr', () => {
  const fe = frontend('  capture request header Host len 4\n  http-request capture req.hdr(host),upper len 32\n  capture request header User-Agent len 8\n  http-request set-header X-Cap %[capture.req.hdr(1)]/%hr/%{+Q}hrl');
  assert.deepEqual(fe.captures?.request, [{ header: 'host', len: 4 }, { len: 32 }, { header: 'user-agent', len: 8 }]);
  const v = view(fe);
  txnOf(v).reqCaptures[0] = 'exam'; // what the proxy captures from the Host header before the rules
  new CompiledProxyPolicy(fe.policy as ProxyPolicy).evaluateRequest(v);
  assert.deepEqual(get(v.headers, 'x-cap'), ['EXAMPLE.TEST/{exam|EXAMPLE.TEST|}/"exam" "EXAMPLE.TEST" ""']);
});

test('set-var-fmt stores the text; separators print one space, none at the start or after an empty variable', () => {
  const fe = frontend('  http-request set-var-fmt(txn.v) "  %HM   %hr  %HU "\n  http-request return status 200 content-type text/plain lf-string "%[var(txn.v)]|%ci" hdr X-F %f');
  const v = view(fe);
  const verdict = new CompiledProxyPolicy(fe.policy as ProxyPolicy).evaluateRequest(v);
  assert.equal(readVar(v, 'txn.v'), 'GET /a/b?q=1 ');
  assert.deepEqual(verdict, { kind: 'return', status: 200, contentType: 'text/plain', body: 'GET /a/b?q=1 |127.0.0.1', headers: [['X-F', 'fe']] });
});

test('http-after-response: capture … id into a response slot, set-var-fmt, set-log-level, allow stops the rules', () => {
  const fe = frontend('  capture response header Server len 5\n  http-after-response capture res.hdr(x-s) id 0\n  http-after-response set-var-fmt(txn.s) %hs\n  http-after-response set-log-level debug\n  http-after-response allow\n  http-after-response set-header X-After no');
  const v = view(fe);
  const res: RequestView = { ...v, response: true, status: 200, headers: headers({ 'X-S': 'abcdefgh' }) };
  new CompiledProxyPolicy(fe.policy as ProxyPolicy).evaluateAfterResponse(res, res.headers);
  assert.deepEqual(txnOf(v).resCaptures, ['abcde']);
  assert.equal(readVar(v, 'txn.s'), '{abcde}');
  assert.equal(txnOf(v).logLevel, 'debug');
  assert.deepEqual(get(res.headers, 'x-after'), []);
});
