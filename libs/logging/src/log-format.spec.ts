import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLF_HTTP_LOG_FORMAT, HTTP_LOG_FORMAT, TCP_LOG_FORMAT } from './default-formats.js';
import { parseLogFormat, renderLogFormat } from './log-format.js';
import type { TrafficLogRecord } from './log-record.types.js';

process.env.TZ = 'UTC';

const ACCEPT = Date.UTC(2026, 10, 25, 22, 57, 7, 123);
const HTTP: TrafficLogRecord = {
  mode: 'http', acceptDate: ACCEPT, requestDate: ACCEPT + 2, clientIp: '127.0.0.1', clientPort: 54321, frontendIp: '127.0.0.1', frontendPort: 8080,
  frontend: 'fe', frontendTls: false, backend: 'be', server: 's1', serverIp: '10.0.0.11', serverPort: 8080,
  Th: 0, Ti: 0, TR: 0, Tw: 0, Tc: 1, Tr: 2, Ta: 3, Tt: 5, status: 200, bytesRead: 123, bytesUploaded: 78, termination: '--',
  actconn: 1, feconn: 1, beconn: 0, srvconn: 0, retries: 0, redispatched: false, srvQueue: 0, beQueue: 0,
  method: 'GET', uri: '/index.html?a=b]', version: 'HTTP/1.1', requestCounter: 7,
};
const TCP: TrafficLogRecord = { ...HTTP, mode: 'tcp', requestDate: ACCEPT, TR: -1, Tr: -1, Ta: -1, Tc: 1, Tt: 50, status: -1, bytesRead: 1024, method: undefined, uri: undefined, version: undefined };
const CTX = { process: { pid: 42, hostname: 'lb1' } };

const render = (format: string, r: TrafficLogRecord = HTTP) => {
  const parsed = parseLogFormat(format);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return renderLogFormat(parsed.nodes, r, CTX);
};

test("option httplog: HAProxy's layout, empty captures leave no double space", () => {
  // HAProxy 2.6, same inputs: captures absent, so %hr and %hs print nothing and their separators collapse.
  assert.equal(render(HTTP_LOG_FORMAT), '127.0.0.1:54321 [25/Nov/2026:22:57:07.125] fe be/s1 0/0/1/2/3 200 123 - - ---- 1/1/0/0/0 0/0 "GET /index.html?a=b] HTTP/1.1"');
});

test("option httplog on a 503 without server, and a TLS frontend ('~')", () => {
  const r = { ...HTTP, server: undefined, frontendTls: true, Tc: -1, Tr: -1, Tw: -1, status: 503, termination: 'SC', retries: 3, redispatched: true };
  assert.equal(render(HTTP_LOG_FORMAT, r), '127.0.0.1:54321 [25/Nov/2026:22:57:07.125] fe~ be/<NOSRV> 0/-1/-1/-1/3 503 123 - - SC-- 1/1/0/0/+3 0/0 "GET /index.html?a=b] HTTP/1.1"');
});

test("option tcplog: HAProxy's layout", () => {
  assert.equal(render(TCP_LOG_FORMAT, TCP), '127.0.0.1:54321 [25/Nov/2026:22:57:07.123] fe be/s1 0/1/50 1024 -- 1/1/0/0/0 0/0');
});

test('option httplog clf', () => {
  assert.equal(render(CLF_HTTP_LOG_FORMAT), '127.0.0.1 - - [25/Nov/2026:22:57:07 +0000] "GET /index.html?a=b] HTTP/1.1" 200 123 "" "" 54321 123 "fe" "be" "s1" 0 0 1 2 3 "----" 1 1 0 0 0 0 0 "" "" ');
});

test("seed 11's log-format, every variable", () => {
  assert.equal(
    render('%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %{+Q}r'),
    '127.0.0.1:54321 [25/Nov/2026:22:57:07.125] fe be/s1 0/0/1/2/3 200 123 ---- 1/1/0/0/0 "GET /index.html?a=b] HTTP/1.1"',
  );
});

test('flags: +Q quotes strings, +X prints hex, +E escapes; %o sets defaults; %% and \\ escapes', () => {
  assert.equal(render('%{+Q}ci %{+X}cp %{+X}ci %{+X}Ts %{+E,+Q}HQ %HP %HM %HV'), '"127.0.0.1" D431 7F000001 6B0767C3 "?a=b\\]" /index.html GET HTTP/1.1');
  assert.equal(render('%{+Q}o %f %{-Q}b %ST'), '"fe" be 200');
  assert.equal(render('100%% %pid %H %rt a\\ \\ b'), '100% 42 lb1 7 a  b');
  assert.equal(render('%fi:%fp %si:%sp %bi %Tq %Tu %Td %U %T %Tl %ms'), '127.0.0.1:8080 10.0.0.11:8080 - 0 5 2 78 25/Nov/2026:22:57:07 +0000 25/Nov/2026:22:57:07 +0000 123');
});

test('separators: runs of spaces print one; nothing printed, nothing separated', () => {
  assert.equal(render('%f    %hr   %hs %b'), 'fe be');
});

test('errors: unknown variable, unknown fetch, unbalanced braces, bad flag', () => {
  assert.deepEqual(parseLogFormat('%zz'), { ok: false, error: "unknown log-format variable '%zz'" });
  assert.match((parseLogFormat('%[srcc]') as { error: string }).error, /unknown fetch method/);
  assert.match((parseLogFormat('%{+Q') as { error: string }).error, /missing '}'/);
  assert.match((parseLogFormat('%{+Z}r') as { error: string }).error, /unknown log-format flag/);
});
