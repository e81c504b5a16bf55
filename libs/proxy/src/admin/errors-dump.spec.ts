import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NULL_LOGGER, SystemClock } from '@tandem/core';
import { BackendRuntime } from '../backend/backend-runtime.js';
import { TrafficCounters } from '../counters.js';
import { captureError, captureRequestError, captureResponseError, lastError } from '../error-capture.js';
import type { FrontendRuntime } from '../runtime.types.js';
import { backend, frontend, server } from '../../test/support.js';
import { dumpText, encodeShowErrors } from './errors-dump.js';
import { proxyOpsCommands } from './ops-commands.js';

function setup() {
  const be = new BackendRuntime(backend('be', [server('s1', 8001)]));
  Object.defineProperty(be, 'config', { value: { ...be.config, source: { file: 'test.cfg', line: 10 } } });
  const fe = { config: frontend('fe', 'be', [], { source: { file: 'test.cfg', line: 1 } }), backend: be, counters: new TrafficCounters(), maxHead: 15360, connectionMode: 'keep-alive', clock: new SystemClock(), logger: NULL_LOGGER, sessions: { add() {}, delete() {} }, draining: () => false } as FrontendRuntime;
  return { fe, be, runtimes: { frontends: [fe], backends: [be] } };
}

const client = { remoteAddress: '::ffff:127.0.0.1', remotePort: 41234 };

describe('show errors', () => {
  test('dumpText escapes bytes and cuts lines after LF and every 70 bytes, continuation marked with +', () => {
    assert.equal(dumpText(Buffer.from('GET / HTTP/1.1\r\nHost: t\r\n\r\n')), '  00000  GET / HTTP/1.1\\r\\n\n  00016  Host: t\\r\\n\n  00025  \\r\\n\n');
    const long = dumpText(Buffer.from(`X: ${'a'.repeat(80)}\t\x01\\\n`));
    assert.equal(long.split('\n')[1], `  00070+ ${'a'.repeat(13)}\\t\\x01\\\\\\n`);
  });

  test('the last invalid request per frontend and response per backend, HAProxy\'s layout, filters', () => {
    const { fe, be, runtimes } = setup();
    const request = Buffer.from('POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n');
    captureRequestError(fe, be, client, 7, Buffer.from('GET /old HTTP/1.1\r\n'), 'first one');
    captureRequestError(fe, be, client, 9, request, 'both Content-Length and Transfer-Encoding');
    captureResponseError(fe, be, be.servers[0], client, 9, Buffer.from('HTTP/1.1 2x0 OK\r\n\r\n'), 'bad status');
    const out = encodeShowErrors(runtimes, [], new Date(2026, 10, 25, 23, 22, 3, 713));
    const lines = out.split('\n');
    assert.match(lines[0]!, /^Total events captured on \[25\/Nov\/2026:23:22:03\.713\] : \d+$/);
    assert.equal(lines[1], '');
    assert.match(lines[2]!, /^\[\d\d\/\w{3}\/\d{4}:[\d:.]+\] frontend fe \(#1\): invalid request$/);
    assert.match(lines[3]!, /^ {2}backend be \(#2\), server <NONE> \(#-1\), event #\d+, src 127\.0\.0\.1:41234$/);
    assert.match(lines[4]!, /^ {2}buffer starts at 0 \(including 0 out\), \d+ free, len 66, wraps at 16384, error at position -1$/);
    assert.equal(lines[5], '  reason: both Content-Length and Transfer-Encoding');
    assert.equal(lines[7], '  00000  POST / HTTP/1.1\\r\\n');
    assert.ok(!out.includes('/old'), 'only the last request is kept');
    assert.match(out, /\] backend be \(#2\): invalid response\n {2}frontend fe \(#1\), server s1 \(#1\), event #\d+, src 127\.0\.0\.1:41234\n/);
    assert.ok(!encodeShowErrors(runtimes, ['response'], new Date()).includes('invalid request'));
    assert.ok(!encodeShowErrors(runtimes, ['fe', 'response'], new Date()).includes('invalid'));
    assert.ok(encodeShowErrors(runtimes, ['be'], new Date()).includes('invalid response'));
    assert.equal(encodeShowErrors(runtimes, ['nope'], new Date()), 'No such proxy.\n');
    const cmd = proxyOpsCommands({ runtimes: () => runtimes }).find((c) => c.words.join(' ') === 'show errors')!;
    assert.equal(cmd.level, 'operator');
    assert.match(cmd.run(['request']) as string, /invalid request/);
  });

  test('bounded: bytes capped at the buffer size, one snapshot per proxy and direction', () => {
    const counters = new TrafficCounters();
    const big = Buffer.alloc(100_000, 0x41);
    const s = captureError(counters, { direction: 'request', proxy: 'fe', peer: undefined, server: undefined, serverId: undefined, src: '1.2.3.4:5', sessionId: 1, reason: 'too big', data: big }, 16384);
    assert.equal(s.bytes.length, 16384);
    assert.equal(s.length, 100_000);
    big[0] = 0x42;
    assert.equal(lastError(counters, 'request')!.bytes[0], 0x41, 'a copy, not a view of the session buffer');
    assert.equal(lastError(counters, 'response'), undefined);
  });
});
