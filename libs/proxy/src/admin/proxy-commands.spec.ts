import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NULL_LOGGER, SystemClock } from '@tandem/core';
import { BackendRuntime } from '../backend/backend-runtime.js';
import { TrafficCounters } from '../counters.js';
import type { FrontendRuntime } from '../runtime.types.js';
import { backend, frontend, server } from '../../test/support.js';
import { proxyAdminCommands, type ProxyAdminCommand } from './proxy-commands.js';
import type { ProxyRuntimes } from './proxy-view.js';

function setup() {
  const be = new BackendRuntime(backend('be', [server('s1', 8001), server('s2', 8002, { check: { enabled: true, inter: 2000, rise: 2, fall: 3 } })]));
  const hash = new BackendRuntime(backend('by_src', [server('h1', 8003)], { balance: { algorithm: 'source', args: [], hashType: 'map-based' }, source: { file: 'test.cfg', line: 30 } }));
  const feConfig = frontend('fe', 'be', [], { maxconn: 100, source: { file: 'test.cfg', line: 1 } });
  const fe = { config: feConfig, backend: be, counters: new TrafficCounters(), maxHead: 15360, connectionMode: 'keep-alive', clock: new SystemClock(), logger: NULL_LOGGER, sessions: { add() {}, delete() {} }, draining: () => false } as FrontendRuntime;
  // backend() puts every section at line 1 of test.cfg: give 'be' line 10 so ids follow declaration order.
  Object.defineProperty(be, 'config', { value: { ...be.config, source: { file: 'test.cfg', line: 10 } } });
  const runtimes: ProxyRuntimes = { frontends: [fe], backends: [be, hash] };
  const commands = proxyAdminCommands({ runtimes: () => runtimes });
  const run = (line: string): string => {
    const words = line.split(' ');
    const cmd = commands.filter((c) => c.words.every((w, i) => words[i] === w)).sort((a, b) => b.words.length - a.words.length)[0] as ProxyAdminCommand;
    try {
      return cmd.run(words.slice(cmd.words.length)) as string;
    } catch (error) {
      return `${(error as Error).message}\n`;
    }
  };
  return { be, fe, commands, run };
}

describe('proxy admin commands', () => {
  test('levels are HAProxy\'s: reads for user, changes for admin', () => {
    const levels = Object.fromEntries(setup().commands.map((c) => [c.words.join(' '), c.level]));
    assert.deepEqual(levels, {
      'show stat': 'user', 'show servers state': 'user', 'get weight': 'user', 'set weight': 'admin',
      'set server': 'admin', 'enable server': 'admin', 'disable server': 'admin',
    });
  });

  test('show stat: FRONTEND, servers then BACKEND, with states', () => {
    const { run } = setup();
    const lines = run('show stat').trimEnd().split('\n');
    assert.ok(lines[0]!.startsWith('# pxname,svname,'));
    const rows = lines.slice(1).map((l) => l.split(','));
    assert.deepEqual(rows.map((r) => `${r[0]}/${r[1]}/${r[17]}/${r[32]}/${r[27]}`), [
      'fe/FRONTEND/OPEN/0/1',
      'be/s1/no check/2/2',
      'be/s2/UP/2/2',
      'be/BACKEND/UP/1/2',
      'by_src/h1/no check/2/3',
      'by_src/BACKEND/UP/1/3',
    ]);
    assert.equal(rows[0]![6], '100', 'slim is the frontend maxconn');
    assert.equal(rows[1]![73], '127.0.0.1:8001');
    // Filter: backend 'be', servers only (type 4), all server ids.
    assert.deepEqual(run('show stat be 4 -1').trimEnd().split('\n').slice(1).map((l) => l.split(',')[1]), ['s1', 's2']);
  });

  test('set server state drain / maint / ready, enable and disable', () => {
    const { be, run } = setup();
    const s1 = be.server('s1')!;
    assert.equal(run('set server be/s1 state drain'), '');
    assert.equal(s1.state, 'drain');
    assert.equal(s1.inRotation, false);
    const s1Row = () => run('show stat').split('\n').find((l) => l.startsWith('be,s1,'))!.split(',');
    assert.equal(s1Row()[17], 'DRAIN');
    assert.equal(s1Row()[18], '0', 'the effective weight of a drained server is 0');
    assert.equal(run('set server be/s1 state ready'), '');
    assert.equal(s1.state, 'up');
    assert.equal(run('disable server be/s1'), '');
    assert.equal(s1Row()[17], 'MAINT');
    assert.equal(run('enable server be/s1'), '');
    assert.equal(s1.state, 'up');
    assert.equal(run('set server be/s1 state up'), "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n");
    assert.match(run('set server be/s1 frobnicate'), /^'set server <srv>' only supports /);
  });

  test('weights: absolute, relative, limits, static algorithms; get weight', () => {
    const { be, run } = setup();
    assert.equal(run('get weight be/s1'), '1 (initial 1)\n');
    assert.equal(run('set server be/s1 weight 0'), '');
    assert.equal(run('get weight be/s1'), '0 (initial 1)\n');
    assert.equal(be.server('s1')!.inRotation, false);
    assert.equal(run('set server be/s1 weight 300%'), '');
    assert.equal(run('get weight be/s1'), '3 (initial 1)\n');
    assert.equal(run('set weight be/s1 100%'), '');
    assert.equal(run('get weight be/s1'), '1 (initial 1)\n');
    assert.equal(run('set server be/s1 weight 257'), 'Absolute weight can only be between 0 and 256 inclusive.\n');
    assert.equal(run('set server be/s1 weight -5%'), 'Relative weight must be positive.\n');
    assert.equal(run('set server be/s1 weight 5x'), 'Trailing garbage in weight string\n');
    assert.equal(run('set server be/s1 weight'), 'Require <weight> or <weight%>.\n');
    assert.equal(run('set server by_src/h1 weight 5'), "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n");
    assert.equal(run('set server by_src/h1 weight 0%'), '');
  });

  test('HAProxy\'s refusals for unknown backends and servers', () => {
    const { run } = setup();
    assert.equal(run('set server nope/s1 state drain'), 'No such backend.\n');
    assert.equal(run('set server be/nope state drain'), 'No such server.\n');
    assert.equal(run('get weight be'), "Require 'backend/server'.\n");
    assert.equal(run('disable server nope/x'), 'No such backend.\n');
    assert.equal(run('show servers state nope'), "Can't find backend.\n");
  });

  test('show servers state: version 1, the header, one line per server', () => {
    const { run } = setup();
    assert.equal(run('set server be/s1 state drain'), '');
    const lines = run('show servers state be').trimEnd().split('\n');
    assert.equal(lines[0], '1');
    assert.equal(lines[1], '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port');
    assert.equal(lines[2], '2 be 1 s1 127.0.0.1 2 8 1 1 0 0 0 0 0 0 0 0 - 8001 - 0 0 - - 0');
    assert.equal(lines[3], '2 be 2 s2 127.0.0.1 2 0 1 1 0 0 0 4 6 0 0 0 - 8002 - 0 0 - - 0');
    assert.equal(lines.length, 4);
    assert.equal(run('show servers state').trimEnd().split('\n').length, 5);
  });
});
