import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NULL_LOGGER, SystemClock } from '@tandem/core';
import { BackendRuntime } from '../backend/backend-runtime.js';
import { TrafficCounters } from '../counters.js';
import type { FrontendRuntime, Session } from '../runtime.types.js';
import type { ProxySocket } from '../io/socket.types.js';
import type { SessionView } from '../session-view.js';
import { backend, frontend, server } from '../../test/support.js';
import { humanTime, sessionCommands } from './session-commands.js';

function setup() {
  const be = new BackendRuntime(backend('be', [server('s1', 8001)]));
  Object.defineProperty(be, 'config', { value: { ...be.config, source: { file: 'test.cfg', line: 10 } } });
  const fe = { config: frontend('fe', 'be', [], { source: { file: 'test.cfg', line: 1 } }), backend: be, counters: new TrafficCounters(), maxHead: 15360, connectionMode: 'keep-alive', clock: new SystemClock(), logger: NULL_LOGGER, sessions: { add() {}, delete() {} }, draining: () => false } as FrontendRuntime;
  const socket = (addr: string, port: number) => ({ remoteAddress: addr, remotePort: port, remoteFamily: 'IPv4', localAddress: '127.0.0.1', localPort: 8080, destroyed: false, bytesRead: 10, bytesWritten: 20 }) as unknown as ProxySocket;
  const sessions = new Set<Session & { describe(): SessionView; aborted: boolean }>();
  const add = (id: number, startedAt: number, withServer: boolean) => {
    const s = {
      aborted: false,
      abort() { this.aborted = true; sessions.delete(s); },
      drain() {},
      describe: (): SessionView => ({ id, startedAt, client: socket('127.0.0.1', 40000 + id), frontend: fe, backend: be, server: withServer ? be.servers[0] : undefined, serverSocket: withServer ? socket('127.0.0.1', 8001) : undefined, queued: false, requests: 2, retries: 0, request: { method: 'GET', uri: '/slow' } }),
    };
    sessions.add(s);
    return s;
  };
  const now = 1_000_000;
  const commands = sessionCommands({ runtimes: () => ({ frontends: [fe], backends: [be] }), liveSessions: () => sessions }, { now: () => now });
  const run = (name: string, args: string[]) => {
    try {
      return commands.find((c) => c.words.join(' ') === name)!.run(args) as string;
    } catch (error) {
      return `${(error as Error).message}\n`;
    }
  };
  return { add, run, commands, now, sessions };
}

describe('show sess / shutdown session', () => {
  test('one line per session in HAProxy 2.6\'s field order', () => {
    const { add, run, now } = setup();
    add(0x1b, now - 65_000, true);
    add(0x1a, now - 3_000, false);
    const lines = run('show sess', []).trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^0x1a: proto=tcpv4 src=127\.0\.0\.1:40026 fe=fe be=be srv=<none> ts=00 epoch=0x0 age=3s calls=2 rate=0 cpu=0 lat=0 rq\[f=0h,i=0,an=00h,rx=,wx=,ax=\] rp\[f=0h,i=0,an=00h,rx=,wx=,ax=\] s0=\[8,0h,fd=-1,ex=\] s1=\[0,0h,fd=-1,ex=\] exp=<NEVER>$/);
    assert.match(lines[1]!, /^0x1b: proto=tcpv4 src=127\.0\.0\.1:40027 fe=fe be=be srv=s1 .* age=1m5s .* s1=\[8,0h,fd=-1,ex=\] exp=<NEVER>$/);
  });

  test('show sess <id> dumps one session; unknown ids; shutdown session is admin and aborts it', () => {
    const { add, run, commands, now, sessions } = setup();
    const s = add(0x2c, now - 1000, true);
    const detail = run('show sess', ['0x2c']);
    assert.match(detail, /^0x2c: \[.+\] id=44 proto=tcpv4 source=127\.0\.0\.1:40044\n/);
    assert.match(detail, /\n {2}frontend=fe \(id=1 mode=http\), listener=\? \(id=0\) addr=127\.0\.0\.1:8080\n/);
    assert.match(detail, /\n {2}server=s1 \(id=1\) addr=127\.0\.0\.1:8001\n/);
    assert.match(detail, /\n {2}txn=0x2c flags=0x0 meth=GET status=-1 uri=\/slow\n/);
    assert.equal(run('show sess', ['0x99']), 'Session not found.\n');
    assert.deepEqual(Object.fromEntries(commands.map((c) => [c.words.join(' '), c.level])), { 'show sess': 'user', 'shutdown session': 'admin' });
    assert.equal(run('shutdown session', ['0x99']), "No such session (use 'show sess').\n");
    assert.equal(run('shutdown session', ['0x2c']), '');
    assert.ok(s.aborted);
    assert.equal(sessions.size, 0);
    assert.equal(run('show sess', []), '');
  });

  test('humanTime is HAProxy\'s human_time', () => {
    assert.deepEqual([humanTime(8_000), humanTime(367_000), humanTime(4 * 3600_000 + 300_000), humanTime(2 * 86400_000 + 3 * 3600_000)], ['8s', '6m7s', '4h5m', '2d3h']);
  });
});
