import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NULL_LOGGER, SystemClock } from '@tandem/core';
import { BackendRuntime } from '../backend/backend-runtime.js';
import { TrafficCounters } from '../counters.js';
import type { FrontendRuntime } from '../runtime.types.js';
import { backend, frontend, server } from '../../test/support.js';
import { proxyAdminCommands, type ProxyAdminCommand } from './proxy-commands.js';
import { isIpLiteral, proxyOpsCommands } from './ops-commands.js';
import type { ProxyRuntimes } from './proxy-view.js';
import { applyOverridePlan, planOverrides, type RuntimeChange } from './runtime-overrides.js';

function setup() {
  const be = new BackendRuntime(backend('be', [server('s1', 8001), server('s2', 8002)]));
  const fe = { config: frontend('fe', 'be', [], { maxconn: 100 }), backend: be, counters: new TrafficCounters(), maxHead: 15360, connectionMode: 'keep-alive', clock: new SystemClock(), logger: NULL_LOGGER, sessions: { add() {}, delete() {} }, draining: () => false } as FrontendRuntime;
  const runtimes: ProxyRuntimes = { frontends: [fe], backends: [be] };
  let global = 4096;
  const stored: RuntimeChange[] = [];
  const options = {
    commit: async (change: RuntimeChange, _c: unknown, apply: () => void) => {
      stored.push(change);
      apply();
    },
    globalMaxconn: { get: () => global, set: (n: number) => void (global = n) },
    now: () => new Date(2026, 10, 25, 23, 22, 3, 71),
  };
  const commands = [...proxyAdminCommands({ runtimes: () => runtimes }, options), ...proxyOpsCommands({ runtimes: () => runtimes }, options)];
  const run = async (line: string, level: 'user' | 'operator' | 'admin' = 'admin'): Promise<string> => {
    const words = line.split(' ');
    const cmd = commands.filter((c) => c.words.every((w, i) => words[i] === w)).sort((a, b) => b.words.length - a.words.length)[0] as ProxyAdminCommand;
    try {
      return await cmd.run(words.slice(cmd.words.length), { level, origin: 'test' });
    } catch (error) {
      return `${(error as Error).message}\n`;
    }
  };
  return { be, fe, commands, run, stored, global: () => global };
}

describe('ops admin commands', () => {
  test("levels are HAProxy's", () => {
    const levels = Object.fromEntries(proxyOpsCommands({ runtimes: () => ({ frontends: [], backends: [] }) }).map((c) => [c.words.join(' '), c.level]));
    assert.deepEqual(levels, {
      'show backend': 'user', 'show errors': 'operator', 'clear counters': 'operator',
      'set maxconn server': 'admin', 'set maxconn frontend': 'admin', 'set maxconn global': 'admin',
    });
  });

  test('show backend and show errors answer HAProxy\'s layouts', async () => {
    const { run } = setup();
    assert.equal(await run('show backend'), '# name\nbe\n');
    assert.equal(await run('show errors'), 'Total events captured on [25/Nov/2026:23:22:03.071] : 0\n');
  });

  test('clear counters all resets cumulative counters (admin only); current connections stay', async () => {
    const { run, fe, be } = setup();
    fe.counters.connections = 7;
    fe.counters.current = 2;
    be.servers[0]!.counters.bytesOut = 99;
    assert.equal(await run('clear counters all', 'operator'), 'Permission denied\n');
    assert.equal(fe.counters.connections, 7);
    assert.equal(await run('clear counters'), '');
    assert.equal(fe.counters.connections, 7);
    assert.equal(await run('clear counters all'), '');
    assert.deepEqual([fe.counters.connections, fe.counters.current, be.servers[0]!.counters.bytesOut], [0, 2, 0]);
  });

  test('set maxconn server is stored as an override; frontend and global apply at once', async () => {
    const { run, be, fe, stored, global } = setup();
    assert.equal(await run('set maxconn server be/s1 10'), '');
    assert.equal(be.servers[0]!.config.maxconn, 10);
    assert.deepEqual(stored.at(-1), { backend: 'be', server: 's1', kind: 'maxconn', value: '10 (initial 0)' });
    assert.equal(await run('set maxconn server be/s1 x'), 'Integer value expected.\n');
    assert.equal(await run('set maxconn frontend fe 5'), '');
    assert.equal(fe.config.maxconn, 5);
    assert.equal(await run('set maxconn frontend nope 5'), 'No such frontend.\n');
    assert.equal(await run('set maxconn global 2000'), '');
    assert.equal(global(), 2000);
  });

  test('set server addr answers what changed, stores the override, and re-applies it on a new generation', async () => {
    const { run, be, stored } = setup();
    assert.equal(await run('set server be/s2 addr 127.0.0.2 port 9002'), "IP changed from '127.0.0.1' to '127.0.0.2', port changed from '8002' to '9002' by 'stats socket command'\n");
    assert.deepEqual([be.servers[1]!.config.endpoint.host, be.servers[1]!.config.endpoint.port], ['127.0.0.2', 9002]);
    assert.deepEqual(stored.at(-1), { backend: 'be', server: 's2', kind: 'addr', value: '127.0.0.2:9002 (initial 127.0.0.1:8002)' });
    assert.equal(await run('set server be/s2 addr nope'), "Invalid addr 'nope'.\n");
    // A reload: a fresh generation from the same config gets the address back from the stored override.
    const next = new BackendRuntime(backend('be', [server('s1', 8001), server('s2', 8002)]));
    const plan = planOverrides({ backends: [next] }, [{ backend: 'be', server: 's2', kind: 'addr', value: stored.at(-1)!.value! }, { backend: 'be', server: 's1', kind: 'maxconn', value: '10 (initial 0)' }]);
    assert.equal(plan.drop.length, 0);
    applyOverridePlan(plan);
    assert.equal(next.servers[1]!.config.endpoint.port, 9002);
    assert.equal(next.servers[0]!.config.maxconn, 10);
    // The config moved the server: the config wins.
    const moved = new BackendRuntime(backend('be', [server('s2', 8100)]));
    assert.match(planOverrides({ backends: [moved] }, [{ backend: 'be', server: 's2', kind: 'addr', value: stored.at(-1)!.value! }]).drop[0]!.reason, /configuration wins/);
  });
});

test('isIpLiteral accepts IPv4 and IPv6 literals only', () => {
  for (const ok of ['127.0.0.1', '::1', '2001:db8::2', 'fe80::1:2:3:4', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8']) assert.ok(isIpLiteral(ok), ok);
  for (const bad of ['256.0.0.1', 'localhost', '1::2::3', '1:2:3:4:5:6:7:8:9', '', '10.0.0']) assert.ok(!isIpLiteral(bad), bad);
});
