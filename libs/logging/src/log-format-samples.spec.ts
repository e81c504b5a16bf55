import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SampleExpr } from '@tandem/config';
import { hasSamples, parseLogFormat, renderLogFormat } from './log-format.js';
import type { TrafficLogRecord } from './log-record.types.js';

const RECORD: TrafficLogRecord = {
  mode: 'http', acceptDate: 0, requestDate: 0, clientIp: '127.0.0.1', clientPort: 54321, frontend: 'fe', frontendTls: false,
  Th: 0, Ti: 0, TR: 0, Tw: 0, Tc: 1, Tr: 2, Ta: 3, Tt: 5, status: 200, bytesRead: 1, bytesUploaded: 1, termination: '--',
  actconn: 1, feconn: 1, beconn: 0, srvconn: 0, retries: 0, redispatched: false, srvQueue: 0, beQueue: 0,
};
const CTX = { process: { pid: 42, hostname: 'lb1' } };

/** A fake evaluator: values by `fetch(args)`; every expression it was asked for is recorded. */
function reader(values: Record<string, string>) {
  const asked: SampleExpr[] = [];
  const sample = (e: SampleExpr) => (asked.push(e), values[`${e.fetch}(${e.args.join(',')})${(e.converters ?? []).map((c) => `,${c.name}`).join('')}`]);
  return { asked, sample };
}

const render = (format: string, record: TrafficLogRecord) => {
  const parsed = parseLogFormat(format);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return renderLogFormat(parsed.nodes, record, CTX);
};

test('%[…] prints the evaluator\'s value; +Q quotes, +E escapes, %{…}o applies; no value or empty prints -', () => {
  const { sample, asked } = reader({ 'req.hdr(host)': 'example.test', 'var(txn.user)': 'bob "b"]', 'ssl_fc_sni()': '', 'src(),lower': 'x' });
  const r = { ...RECORD, sample };
  assert.equal(render('%ci %[req.hdr(host)] %{+Q}[var(txn.user)] %{+Q,+E}[var(txn.user)] %[ssl_fc_sni] %[res.hdr(x-none)] %[src,lower]', r), '127.0.0.1 example.test "bob "b"]" "bob \\"b\\"\\]" - - x');
  assert.deepEqual(asked[0], { fetch: 'req.hdr', args: ['host'] });
  assert.equal(render('%{+Q}o %[req.hdr(host)] %{-Q}[req.hdr(host)]', r), '"example.test" example.test');
  // HAProxy's lf_text_len: an absent value under Q prints "" (as %hr does), without Q a dash.
  assert.equal(render('%{+Q}[res.hdr(x-none)]|%[res.hdr(x-none)]', r), '""|-');
});

test('a record without a reader (a connection that never parsed a request) prints - for every sample', () => {
  assert.equal(render('%ci %[req.hdr(host)] %b', { ...RECORD, backend: 'be' }), '127.0.0.1 - be');
});

test('parsing: brackets inside arguments, %% before [, escapes, hasSamples, errors', () => {
  const p = parseLogFormat('%[req.hdr(x),regsub(\\],_)] 100%%[a] \\%[b]');
  assert.ok(p.ok);
  assert.equal(p.nodes.filter((n) => n.kind === 'sample').length, 1);
  assert.equal(hasSamples(p.nodes), true);
  const plain = parseLogFormat('%ci:%cp %{+Q}r');
  assert.ok(plain.ok);
  assert.equal(hasSamples(plain.nodes), false);
  assert.match((parseLogFormat('%[nosuchfetch]') as { error: string }).error, /unknown fetch method 'nosuchfetch'/);
  assert.match((parseLogFormat('%[src') as { error: string }).error, /missing '\]'/);
  assert.match((parseLogFormat('%{+Z}[src]') as { error: string }).error, /unknown log-format flag/);
});

test('the parsed expressions handed in by the config are used (map converters read their files at load)', () => {
  const expr: SampleExpr = { fetch: 'src', args: [], converters: [{ name: 'map', args: ['/etc/x.map'] }] };
  const p = parseLogFormat('%[src,map(/etc/x.map)]', [{ text: 'src,map(/etc/x.map)', expr }]);
  assert.ok(p.ok);
  assert.equal((p.nodes[0] as { expr: SampleExpr }).expr, expr);
});
