import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EXPECT, expectationMet, parseHttpExpect, type HttpExpect } from './http-expect.js';
import { encodeHttpCheckRequest, parseHttpchkOption } from './httpchk-request.js';
import { noServerLine, serverDownLine, serverUpLine } from './transition-log.js';

const expectOf = (words: string[]) => parseHttpExpect(words) as HttpExpect;

test("seed 05's rstring: passes on {\"status\":\"ok\"}, fails on {\"status\":\"degraded\"}", () => {
  // The lexer turns "\"status\":\"ok\"" into the word "status":"ok".
  const expect = expectOf(['rstring', '"status":"ok"']);
  assert.equal(expectationMet(expect, 200, '{"status":"ok"}'), true);
  assert.equal(expectationMet(expect, 200, '{"status":"degraded"}'), false);
});

test('status lists, regex status, plain strings, and ! negation', () => {
  assert.equal(expectationMet(expectOf(['status', '200']), 200, ''), true);
  assert.equal(expectationMet(expectOf(['status', '200']), 500, ''), false);
  assert.equal(expectationMet(expectOf(['status', '200,204']), 204, ''), true);
  assert.equal(expectationMet(expectOf(['rstatus', '^2']), 204, ''), true);
  assert.equal(expectationMet(expectOf(['string', 'ready']), 200, 'all ready'), true);
  assert.equal(expectationMet(expectOf(['!', 'string', 'maintenance']), 200, 'maintenance mode'), false);
  assert.equal(expectationMet(DEFAULT_EXPECT, 302, ''), true);
  assert.equal(expectationMet(DEFAULT_EXPECT, 500, ''), false);
});

test('bad expect lines are errors that say what is wrong', () => {
  assert.match(parseHttpExpect(['status']) as string, /expects/);
  assert.match(parseHttpExpect(['status', '2xx']) as string, /invalid status list/);
  assert.match(parseHttpExpect(['rstring', '(']) as string, /invalid regular expression/);
  assert.match(parseHttpExpect(['body', 'x']) as string, /unknown match 'body'/);
});

test("the seed's one-line httpchk form gives method, URI, version and the Host header", () => {
  const request = parseHttpchkOption(['GET', '/healthz', 'HTTP/1.1\r\nHost: solvethenetwork.com']);
  assert.deepEqual(request, { method: 'GET', uri: '/healthz', version: 'HTTP/1.1', headers: [['Host', 'solvethenetwork.com']] });
  assert.equal(
    encodeHttpCheckRequest(request as never, '10.0.0.1').toString(),
    'GET /healthz HTTP/1.1\r\nHost: solvethenetwork.com\r\nConnection: close\r\n\r\n',
  );
  assert.deepEqual(parseHttpchkOption([]), { method: 'OPTIONS', uri: '/', version: 'HTTP/1.0', headers: [] });
});

test("transition log lines use HAProxy 2.6's wording", () => {
  const tally = { activeUp: 2, backupUp: 0, sessionsActive: 0, requeued: 0, remainingInQueue: 0 };
  assert.equal(
    serverDownLine('web_servers', 'web01', { ok: false, reason: 'Layer7 wrong status', code: 500, info: 'Internal Server Error', durationMs: 2 }, tally),
    'Server web_servers/web01 is DOWN, reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: 2ms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
  );
  assert.equal(
    serverUpLine('web_servers', 'web01', { ok: true, reason: 'Layer7 check passed', code: 200, info: 'OK', durationMs: 1 }, { ...tally, activeUp: 3 }),
    'Server web_servers/web01 is UP, reason: Layer7 check passed, code: 200, info: "OK", check duration: 1ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.',
  );
  assert.equal(noServerLine('web_servers'), 'Backend web_servers has no server available!');
});
