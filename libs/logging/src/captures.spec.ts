import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HTTP_LOG_FORMAT } from './default-formats.js';
import { parseLogFormat, renderLogFormat } from './log-format.js';
import type { TrafficLogRecord } from './log-record.types.js';

const HTTP: TrafficLogRecord = {
  mode: 'http', acceptDate: 0, requestDate: 0, clientIp: '127.0.0.1', clientPort: 54321, frontend: 'fe', frontendTls: false, backend: 'be', server: 's1',
  Th: 0, Ti: 0, TR: 0, Tw: 0, Tc: 1, Tr: 2, Ta: 3, Tt: 5, status: 200, bytesRead: 1, bytesUploaded: 1, termination: '--',
  actconn: 1, feconn: 1, beconn: 0, srvconn: 0, retries: 0, redispatched: false, srvQueue: 0, beQueue: 0,
  method: 'GET', uri: '/', version: 'HTTP/1.1', requestCounter: 7,
};
const render = (format: string, r: TrafficLogRecord) => {
  const parsed = parseLogFormat(format);
  assert.ok(parsed.ok);
  return renderLogFormat(parsed.nodes, r, { process: { pid: 0x1a2b, hostname: 'lb1' } });
};

test('option httplog prints capture slots as {…|…}, an empty slot empty, and "#{|} encoded as #XX', () => {
  const line = render(HTTP_LOG_FORMAT, { ...HTTP, requestCaptures: ['example.test', undefined, 'a|b{"}'], responseCaptures: ['nginx'] });
  assert.match(line, / 0\/0 \{example\.test\|\|a#7Cb#7B#22#7D\} \{nginx\} "GET \/ HTTP\/1\.1"$/);
  assert.equal(render('%hrl %{+Q}hsl', { ...HTTP, requestCaptures: ['x', undefined], responseCaptures: [undefined] }), 'x - ""');
});

test('%ID prints the unique ID; %rt and %pid are 4 hex digits under X, as in HAProxy', () => {
  assert.equal(render('%ID %{+X}rt:%{+X}pid %{+X}Ts', { ...HTTP, uniqueId: 'abc', acceptDate: 16_000 }), 'abc 0007:1A2B 00000010');
  assert.equal(render('%ID', HTTP), '-');
});
