import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';
import { logFormatSamples } from './log-format-samples.js';
import { SampleExprError } from './sample-expr.js';

const config = (logFormat: string) => `global
    log 127.0.0.1:514 local0
defaults
    mode http
    log global
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:8080
    log-format ${logFormat}
    default_backend be
backend be
    server s1 127.0.0.1:9001
`;

test('log-format %[…]: expressions with flags and converters are parsed at load, keyed by their text', () => {
  const r = parseHaproxyConfig([{ file: 'a.cfg', text: config('"%ci:%cp %[ssl_fc_sni] %[capture.req.hdr(0)] %{+Q}[var(txn.user)] %{+Q,+E}[req.hdr(host),lower] 100%%[src] \\%[x]"') }]);
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  if (!r.ok) return;
  const format = r.config.frontends[0]!.log!.format as { custom: string; samples: { text: string; expr: unknown }[] };
  assert.deepEqual(
    format.samples.map((s) => s.text),
    ['ssl_fc_sni', 'capture.req.hdr(0)', 'var(txn.user)', 'req.hdr(host),lower'],
  );
  assert.deepEqual(format.samples[2]!.expr, { fetch: 'var', args: ['txn.user'] });
  assert.deepEqual(format.samples[3]!.expr, { fetch: 'req.hdr', args: ['host'], converters: [{ name: 'lower', args: [] }] });
});

test('log-format without %[…] carries no samples (the data plane then keeps no view for the log)', () => {
  const r = parseHaproxyConfig([{ file: 'a.cfg', text: config('"%ci %{+Q}r"') }]);
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual(r.config.frontends[0]!.log!.format, { custom: '%ci %{+Q}r' });
});

test('log-format %[…]: an unknown fetch or a bad argument is an error at load, with file:line', () => {
  const r = parseHaproxyConfig([{ file: 'a.cfg', text: config('"%ci %[req.hdrr(host)]"') }]);
  assert.equal(r.ok, false);
  const d = r.diagnostics.find((x) => x.keyword === 'log-format')!;
  assert.equal(d.line, 11);
  assert.match(d.message, /unknown fetch method 'req\.hdrr'/);
  assert.throws(() => logFormatSamples('%[hdr(a,b,c)]', undefined), SampleExprError);
  assert.throws(() => logFormatSamples('%[src', undefined), /missing '\]'/);
});
