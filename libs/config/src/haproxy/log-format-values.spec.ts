import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const BASE = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nbackend b0\n  server s 127.0.0.1:1\nfrontend fe\n  bind 127.0.0.1:8080\n  default_backend b0\n';
const parse = (lines: string, base = BASE) => parseHaproxyConfig([{ file: 'p.cfg', text: base + lines }]);
const errors = (lines: string, base?: string) => parse(lines, base).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`);

test('log-format values: variables, flags, %{…}o and separators parse into parts', () => {
  const r = parse('  http-request set-header X %{+Q}ci:%cp\n  unique-id-format %{+X}o\\ %ci_%rt\n  unique-id-header X-Unique-ID\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const fe = r.config.frontends[0]!;
  const rule = fe.policy!.httpRequest[0] as { format?: unknown };
  assert.deepEqual(rule.format, [{ variable: 'ci', flags: { Q: true } }, ':', { variable: 'cp' }]);
  assert.deepEqual(fe.uniqueId, { format: [{ separator: true }, { variable: 'ci', flags: { X: true } }, '_', { variable: 'rt', flags: { X: true } }], header: 'X-Unique-ID' });
});

test('log-time variables, unknown variables and bad flags are load errors naming them', () => {
  assert.deepEqual(errors('  http-request set-header X %Tr\n  http-request add-header Y b=%B\n  use_backend be_%ST\n  http-request set-header Z %zz\n  http-request set-header W %{+Z}ci\n'), [
    "11: log-format variable '%Tr' in '%Tr' reads the transaction timers, which only exist when the transaction is logged: it has no value in a rule",
    "12: log-format variable '%B' in 'b=%B' reads the byte counts, which only exist when the transaction is logged: it has no value in a rule",
    "13: log-format variable '%ST' in 'be_%ST' reads the status sent to the client, which only exist when the transaction is logged: it has no value in a rule",
    "14: no such log-format variable '%zz' in '%zz'",
    "15: unknown log-format flag '+Z' in '%{+Z}ci' (expects +Q, -Q, +X, -X, +E, -E)",
  ]);
});

test('captures: keywords and rules share the request slots; a backend may not take a slot with len; id is checked', () => {
  const r = parse('  capture request header Host len 32\n  http-request capture req.hdr(x) len 8\n  capture response header Server len 10\n  http-after-response capture res.hdr(y) id 0\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.config.frontends[0]!.captures, { request: [{ header: 'host', len: 32 }, { len: 8 }], response: [{ header: 'server', len: 10 }] });
  assert.equal((r.config.frontends[0]!.policy!.httpRequest[0] as { slot?: number }).slot, 1);
  assert.match(errors('  capture request header Host\n  http-response capture res.hdr(x) len 3\n').join('\n'), /11: .*expects <header> len <length>[\s\S]*12: 'capture' expects <sample> id <slot>/);
  assert.match(errors('', 'defaults\n  mode http\nbackend b0\n  http-request capture req.hdr(x) len 8\n  server s 127.0.0.1:1\n').join(), /has no frontend capability/);
  assert.match(errors('', 'defaults\n  mode http\nbackend b0\n  capture request header Host len 3\n  server s 127.0.0.1:1\n').join(), /not allowed in a 'backend' section/);
});
