import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VrrpScriptConfig } from '@tandem/config';
import { NotifyQueue } from './notify-scripts.js';
import { nextScriptState, TrackScript } from './track-script.js';
import { formatShowVrrp } from './vrrp-commands.js';

test('rise/fall: fall failures in a row fail an OK script, rise successes in a row recover it', () => {
  let s = { ok: true, streak: 0 };
  s = nextScriptState(s, false, 2, 2);
  assert.deepEqual(s, { ok: true, streak: 1 });
  s = nextScriptState(s, true, 2, 2); // a success resets the streak
  assert.deepEqual(s, { ok: true, streak: 0 });
  s = nextScriptState(nextScriptState(s, false, 2, 2), false, 2, 2);
  assert.equal(s.ok, false);
  s = nextScriptState(s, true, 2, 2);
  assert.equal(s.ok, false);
  s = nextScriptState(s, true, 2, 2);
  assert.equal(s.ok, true);
});

test('a track script reports changes; init_fail starts it failed', async () => {
  const config = { name: 'chk', script: 'x', intervalMs: 5, timeoutMs: 5, weight: -20, weightReverse: false, rise: 1, fall: 1, initFail: true } as unknown as VrrpScriptConfig;
  const results = [true, false];
  const ts = new TrackScript(config, async () => results.shift() ?? false);
  assert.equal(ts.ok, false);
  const seen: boolean[] = [];
  ts.onChange((ok) => seen.push(ok));
  ts.start();
  await new Promise((r) => setTimeout(r, 40));
  ts.stop();
  assert.deepEqual(seen, [true, false]);
});

test('notify: the state script first, then `notify INSTANCE <name> <STATE> <priority>`, in order', async () => {
  const calls: string[] = [];
  const q = new NotifyQueue('VI_1', { notifyMaster: '/m.sh', notifyBackup: '/b.sh', notify: '/n.sh' }, () => undefined, async (c, a) => {
    calls.push([c, ...a].join(' '));
    return 0;
  });
  q.notify('BACKUP', 100);
  q.notify('MASTER', 110);
  q.notify('FAULT', 110);
  await q.idle();
  assert.deepEqual(calls, ['/b.sh', '/n.sh INSTANCE VI_1 BACKUP 100', '/m.sh', '/n.sh INSTANCE VI_1 MASTER 110', '/n.sh INSTANCE VI_1 FAULT 110']);
});

test('notify for a vrrp_sync_group: the state script, then `notify GROUP <name> <STATE>` (no priority)', async () => {
  const calls: string[] = [];
  const q = new NotifyQueue('G1', { notifyFault: '/f.sh', notify: '/n.sh' }, () => undefined, async (c, a) => {
    calls.push([c, ...a].join(' '));
    return 0;
  }, 'GROUP');
  q.notify('MASTER', 110);
  q.notify('FAULT', 0);
  await q.idle();
  assert.deepEqual(calls, ['/n.sh GROUP G1 MASTER', '/f.sh', '/n.sh GROUP G1 FAULT']);
});

test('show vrrp lists state, both priorities, master, VIPs and receive counters', () => {
  const text = formatShowVrrp([
    {
      name: 'VI_1', interface: 'eth0', vrid: 51, state: 'BACKUP', basePriority: 100, effectivePriority: 80, fault: false,
      masterIp: '198.18.4.1', vips: ['198.18.4.100/24'], trackers: [{ name: 'chk_haproxy', kind: 'script', weight: -20, ok: false }],
      counters: { ok: 12, 'drop:auth': 1 },
    },
  ]);
  for (const re of [/State: BACKUP/, /Priority: 100/, /Effective priority: 80/, /Master IP: 198\.18\.4\.1/, /Virtual IP: 198\.18\.4\.100\/24/, /chk_haproxy weight -20 FAILED/, /Received: drop:auth=1 ok=12/]) {
    assert.match(text, re);
  }
});
