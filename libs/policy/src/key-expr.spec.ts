import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type ProxyPolicy, type SampleExpr } from '@tandem/config';
import { CompiledProxyPolicy } from './http-rules.js';
import { compileKeyExpr } from './key-expr.js';
import type { RequestView, StickAccess } from './request-view.types.js';

const PROLOGUE = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n';

function view(headers: Array<[string, string]>, src = '10.10.1.2'): RequestView {
  return {
    src, srcPort: 40000, dst: '10.10.10.1', dstPort: 80, method: 'GET', uri: '/', ssl: false, sni: undefined, nbsrv: () => 1,
    headers: { names: headers.map(([n]) => n.toLowerCase()), rawNames: headers.map(([n]) => n), values: headers.map(([, v]) => v) },
  };
}

/** A StickAccess that records what the rules ask it to track. */
function recorder(): StickAccess & { calls: Array<[number, string | number | boolean, string, string | undefined]> } {
  const calls: Array<[number, string | number | boolean, string, string | undefined]> = [];
  return {
    calls, proxyTable: undefined,
    track: (c, k, t, type) => void calls.push([c, k, t, type]),
    readCounter: () => undefined, readKey: () => undefined, incGpc0: () => {},
  };
}

function frontendPolicy(lines: string): CompiledProxyPolicy {
  const text = `${PROLOGUE}frontend fe\n  bind 127.0.0.1:8080\n  stick-table type string len 32 size 1k store http_req_rate(10s)\n${lines}\n  default_backend b\nbackend b\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return new CompiledProxyPolicy(r.config.frontends[0]!.policy as ProxyPolicy);
}

test('track-sc with converters: the key is the fetch then its converters, typed by the last converter', () => {
  const p = frontendPolicy('  http-request track-sc0 req.hdr(x-client-id),lower\n  http-request track-sc1 req.hdr(x-real-ip),field(1,:) table fe\n  http-request track-sc2 src,ipmask(24) table fe');
  const stick = recorder();
  p.evaluateRequest({ ...view([['X-Client-Id', 'AliCe'], ['X-Real-Ip', '192.0.2.9:5555']], '10.10.1.77'), stick });
  assert.deepEqual(stick.calls, [
    [0, 'alice', 'fe', 'str'],
    [1, '192.0.2.9', 'fe', 'str'],
    [2, '10.10.1.0', 'fe', 'ip'],
  ]);
});

test('track-sc: no header, or a converter that fails, tracks nothing', () => {
  const p = frontendPolicy('  http-request track-sc0 req.hdr(x-client-id),lower');
  const stick = recorder();
  p.evaluateRequest({ ...view([]), stick });
  assert.deepEqual(stick.calls, []);
});

test('outside ACLs a multi-valued fetch gives its last occurrence, then the converters apply to it', () => {
  const r = parseHaproxyConfig([{ file: 't.cfg', text: `${PROLOGUE}frontend fe\n  bind 127.0.0.1:8080\n  http-request set-var(txn.k) req.hdr(x-id),upper\n  default_backend b\nbackend b\n  server s 127.0.0.1:1\n` }]);
  assert.ok(r.ok);
  const rule = r.config.frontends[0]!.policy!.httpRequest[0]! as unknown as { expr: SampleExpr };
  const key = compileKeyExpr(rule.expr);
  assert.deepEqual(key(view([['x-id', 'first'], ['x-id', 'second']])), { value: 'SECOND', type: 'str' });
  assert.equal(key(view([])), undefined);
});
