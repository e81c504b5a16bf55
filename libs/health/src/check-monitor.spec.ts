import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@tandem/core';
import { CheckMonitor } from './check-monitor.js';
import type { CheckResult } from './health.types.js';

/** Lets queued promise callbacks (the check's result) run before the next clock step. */
const settle = () => new Promise((r) => setImmediate(r));

test('checks run at inter while stable, fastinter while transitioning, downinter while down; transitions at exact times', async () => {
  const clock = new ManualClock();
  const events: string[] = [];
  let healthy = true;
  const checksAt: number[] = [];
  const monitor = new CheckMonitor(
    clock,
    { inter: 1000, fastinter: 200, downinter: 5000, rise: 2, fall: 2 },
    async (): Promise<CheckResult> => {
      checksAt.push(clock.now());
      return { ok: healthy, reason: healthy ? 'Layer4 check passed' : 'Layer4 connection problem', durationMs: 0 };
    },
    (transition) => events.push(`${transition}@${clock.now()}`),
  );
  monitor.start(0);
  const step = async (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      await settle();
    }
  };
  await settle();
  clock.advance(0);
  await settle();
  // t=0: first check passes; counter rise(2) -> top(3): fully up, next at inter.
  await step(2000);
  assert.deepEqual(checksAt, [0, 1000, 2000]);
  healthy = false;
  // t=3000 fails (going down: fastinter), t=3200 fails -> DOWN; next at downinter.
  await step(1200);
  assert.deepEqual(events, ['down@3200']);
  assert.deepEqual(checksAt.slice(3), [3000, 3200]);
  healthy = true;
  // Down: next check at 3200+5000 = 8200 passes (going up: fastinter), 8400 passes -> UP.
  await step(5300);
  assert.deepEqual(events, ['down@3200', 'up@8400']);
  assert.equal(monitor.up, true);
  monitor.stop();
  const count = checksAt.length;
  await step(3000);
  assert.equal(checksAt.length, count, 'no check after stop');
});
