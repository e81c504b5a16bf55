import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendRuntime } from '../backend/backend-runtime.js';
import { backend, server } from '../../test/support.js';
import { proxyAdminCommands } from './proxy-commands.js';
import { applyOverridePlan, decodeWeightOverride, planOverrides, type RuntimeChange, type RuntimeOverride } from './runtime-overrides.js';

function generation(s2Weight = 1, s1Disabled = false) {
  const be = new BackendRuntime(backend('be', [server('s1', 8001, { disabled: s1Disabled }), server('s2', 8002, { weight: s2Weight })]));
  return { be, runtimes: { frontends: [], backends: [be] } };
}
const o = (server: string, kind: RuntimeOverride['kind'], value: string, backendName = 'be'): RuntimeOverride => ({ backend: backendName, server, kind, value });

describe('precedence of stored overrides over a new config generation', () => {
  test('state and weight overrides of servers that still exist win over the config', () => {
    const { be, runtimes } = generation();
    const plan = planOverrides(runtimes, [o('s1', 'state', 'drain'), o('s2', 'weight', '3 (initial 1)')]);
    assert.equal(plan.drop.length, 0);
    applyOverridePlan(plan);
    assert.equal(be.server('s1')!.state, 'drain');
    assert.equal(be.server('s2')!.weight, 3);
  });

  test('an override of a removed server or backend is dropped, with the reason', () => {
    const { runtimes } = generation();
    const plan = planOverrides(runtimes, [o('gone', 'state', 'maint'), o('s1', 'state', 'drain', 'old_be')]);
    assert.deepEqual(plan.apply, []);
    assert.deepEqual(plan.drop.map((d) => d.reason), ["server 'be/gone' is no longer in the configuration", "backend 'old_be' is no longer in the configuration"]);
  });

  test('decision: a config change of the weight drops the weight override (the config wins); the same config weight keeps it', () => {
    const changed = generation(2);
    const plan = planOverrides(changed.runtimes, [o('s2', 'weight', '3 (initial 1)')]);
    assert.deepEqual(plan.apply, []);
    assert.match(plan.drop[0]!.reason, /changed the weight from 1 to 2; the configuration wins/);
    applyOverridePlan(plan);
    assert.equal(changed.be.server('s2')!.weight, 2);
    // A bare weight (no initial recorded) applies whatever the config says.
    assert.equal(planOverrides(changed.runtimes, [o('s2', 'weight', '7')]).apply.length, 1);
  });

  test('a drained server keeps its stored weight; garbled values are dropped, never applied', () => {
    const { be, runtimes } = generation();
    applyOverridePlan(planOverrides(runtimes, [o('s2', 'state', 'maint'), o('s2', 'weight', '5 (initial 1)')]));
    assert.equal(be.server('s2')!.state, 'maint');
    assert.equal(be.server('s2')!.weight, 5);
    assert.equal(planOverrides(runtimes, [o('s1', 'state', 'up'), o('s1', 'weight', '300'), o('s1', 'addr' as RuntimeOverride['kind'], '1.2.3.4')]).drop.length, 3);
    assert.equal(decodeWeightOverride('x'), undefined);
  });

  test("`ready` is stored only for a server the config marks disabled, and then wins over 'disabled'", () => {
    const { be, runtimes } = generation(1, true);
    assert.equal(be.server('s1')!.state, 'maint');
    applyOverridePlan(planOverrides(runtimes, [o('s1', 'state', 'ready')]));
    assert.equal(be.server('s1')!.state, 'up');
  });
});

describe('admin commands store the change before applying it', () => {
  test('the store sees the change first; ready and a weight back to the config remove the override', async () => {
    const { be, runtimes } = generation();
    const stored: string[] = [];
    const commands = proxyAdminCommands(
      { runtimes: () => runtimes },
      {
        commit: async (change: RuntimeChange, context, apply) => {
          if (stored.length === 0) assert.equal(be.server(change.server)!.state, 'up', 'not applied before it is stored');
          stored.push(`${change.server} ${change.kind}=${change.value} by ${context?.origin}`);
          apply();
        },
      },
    );
    const setServer = commands.find((c) => c.words.join(' ') === 'set server')!;
    const ctx = { level: 'admin', origin: 'unix@/a.sock' } as const;
    assert.equal(await setServer.run(['be/s1', 'state', 'drain'], ctx), '');
    assert.equal(be.server('s1')!.state, 'drain');
    await setServer.run(['be/s1', 'state', 'ready'], ctx);
    await setServer.run(['be/s2', 'weight', '4'], ctx);
    await setServer.run(['be/s2', 'weight', '100%'], ctx);
    assert.deepEqual(stored, ['s1 state=drain by unix@/a.sock', 's1 state=null by unix@/a.sock', 's2 weight=4 (initial 1) by unix@/a.sock', 's2 weight=null by unix@/a.sock']);
  });

  test('when the store fails, nothing changes and the answer says so', async () => {
    const { be, runtimes } = generation();
    const commands = proxyAdminCommands({ runtimes: () => runtimes }, { commit: () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')) });
    for (const [words, args] of [
      ['set server', ['be/s1', 'state', 'maint']],
      ['set weight', ['be/s1', '0']],
      ['disable server', ['be/s1']],
    ] as const) {
      const command = commands.find((c) => c.words.join(' ') === words)!;
      await assert.rejects(async () => command.run(args), { message: 'Runtime change not applied: cannot store it (SQLITE_FULL: database or disk is full).' });
    }
    assert.equal(be.server('s1')!.state, 'up');
    assert.equal(be.server('s1')!.weight, 1);
  });
});
