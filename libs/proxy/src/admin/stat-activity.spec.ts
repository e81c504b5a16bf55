import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NULL_LOGGER, SystemClock } from '@tandem/core';
import { BackendRuntime } from '../backend/backend-runtime.js';
import { TrafficCounters } from '../counters.js';
import type { FrontendRuntime } from '../runtime.types.js';
import { checkStatusCode } from '../stat-extras.js';
import { backend, frontend, server } from '../../test/support.js';
import { encodeStatCsv, STAT_FIELDS } from './stat-csv.js';
import { statRows } from './stat-rows.js';
import { encodeStatTyped } from './stat-typed.js';

describe('show stat: rates, lbtot, lastsess, checks, queue, averages', () => {
  test('fills the columns HAProxy operators read', async () => {
    // The rates use 1 s windows on the wall clock: start right after a window boundary so the few events below
    // and their reading fall in one window (a boundary in between weighs the older events down).
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const be = new BackendRuntime(backend('be', [server('s1', 8001, { check: { enabled: true, inter: 2000, rise: 2, fall: 3 } }), server('s2', 8002)]));
    const fe = { config: frontend('fe', 'be', []), backend: be, counters: new TrafficCounters(), maxHead: 15360, connectionMode: 'keep-alive', clock: new SystemClock(), logger: NULL_LOGGER, sessions: { add() {}, delete() {} }, draining: () => false } as FrontendRuntime;
    fe.counters.connections += 3;
    fe.counters.requests += 5;
    be.counters.requests += 5;
    const s1 = be.servers[0]!;
    s1.counters.requests += 4;
    s1.counters.times.observe(0, 2, 10, 20);
    s1.counters.check.status = 'L7OK';
    s1.counters.check.code = 200;
    s1.counters.check.durationMs = 3;
    s1.counters.check.desc = 'Layer7 check passed';
    s1.counters.check.downs = 1;
    s1.setState('down');
    s1.setState('up');
    be.queue.add({ resume() {}, expire() {} }, undefined);
    const rows = statRows({ frontends: [fe], backends: [be] });
    const [f, r1, r2, b] = rows as Record<string, string | number>[];
    assert.deepEqual([f!.rate, f!.rate_max, f!.req_rate, f!.req_rate_max, f!.conn_rate], [3, 3, 5, 5, 3]);
    assert.deepEqual([r1!.rate, r1!.lbtot, r1!.lastsess, r1!.lastchg, r1!.qcur], [4, 4, 0, 0, 0]);
    assert.deepEqual([r1!.check_status, r1!.check_code, r1!.check_duration, r1!.chkfail, r1!.chkdown, r1!.downtime, r1!.last_chk], ['L7OK', 200, 3, 0, 1, 0, 'Layer7 check passed']);
    assert.deepEqual([r1!.qtime, r1!.ctime, r1!.rtime, r1!.ttime], [0, 2, 10, 20]);
    assert.deepEqual([r2!.lastsess, r2!.check_status, r2!.chkfail], [-1, undefined, undefined], 'unchecked server: no check columns');
    assert.deepEqual([b!.qcur, b!.qmax, b!.rate, b!.lbtot], [1, 1, 5, 4]);
    be.queue.clear();
    const csv = encodeStatCsv(rows).split('\n')[2]!.split(',');
    assert.equal(csv[STAT_FIELDS.indexOf('check_status')], 'L7OK');
    assert.match(encodeStatTyped(rows), /^S\.2\.1\.36\.check_status\.1:SOP:str:L7OK$/m);
  });

  test('check_status codes from the health lib\'s reasons', () => {
    assert.deepEqual(
      [['Layer4 check passed', true], ['Layer4 connection problem', false], ['Layer4 timeout', false], ['Layer7 check passed', true], ['Layer7 wrong status', false], ['Layer7 timeout', false], ['Layer7 invalid response', false], ['Layer6 invalid response', false]].map(([r, ok]) => checkStatusCode(r as string, ok as boolean)),
      ['L4OK', 'L4CON', 'L4TOUT', 'L7OK', 'L7STS', 'L7TOUT', 'L7RSP', 'L6RSP'],
    );
  });
});
