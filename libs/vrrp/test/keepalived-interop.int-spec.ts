/**
 * Interop with real keepalived 2.2.7 (VRRPv2, PASS auth, advert_int 1): keepalived (priority 100, BACKUP) in
 * namespace A, a Tandem instance runner (priority 110) as its own process in namespace B, one veth between them.
 *   1. Tandem starts alone and becomes MASTER; the VIP appears on B's eth0.
 *   2. keepalived starts and stays BACKUP (Tandem's adverts are accepted); the VIP stays absent in A.
 *   3. Tandem stops (priority-0 advert): keepalived becomes MASTER after Skew_Time (~0.61 s), well within 1.5 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPairLab, hasAddress, labUnavailable, type PairLab } from './netns-lab.js';

const VIP = '198.18.3.100';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function instanceConf(routerId: string, priority: number): string {
  return `global_defs {
  router_id ${routerId}
  vrrp_version 2
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority ${priority}
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass tandem1
  }
  virtual_ipaddress {
    ${VIP}/24 dev eth0
  }
}
`;
}

/** Collects a child's output lines and lets the test wait for one. */
function watch(child: ChildProcess): { lines: string[]; waitFor(re: RegExp, ms: number): Promise<number> } {
  const lines: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    lines,
    async waitFor(re, ms) {
      const start = Date.now();
      while (Date.now() - start < ms) {
        if (lines.some((l) => re.test(l))) return Date.now() - start;
        await sleep(25);
      }
      throw new Error(`timed out after ${ms} ms waiting for ${re}; output:\n${lines.join('\n')}`);
    },
  };
}

async function waitUntil(cond: () => boolean, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (cond()) return Date.now() - start;
    await sleep(20);
  }
  throw new Error(`condition not met within ${ms} ms`);
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  await Promise.race([exited, sleep(3000)]);
  if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
}

test('keepalived 2.2.7 (prio 100) and Tandem (prio 110) interoperate over VRRPv2 with PASS auth', { timeout: 60_000 }, async (t) => {
  const why = labUnavailable();
  if (why) {
    t.skip(`needs root and ip netns: ${why}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tandem-vrrp-interop-'));
  let lab: PairLab | undefined;
  let tandem: ChildProcess | undefined;
  let keepalived: ChildProcess | undefined;
  try {
    lab = createPairLab(`tvi${process.pid}`);
    const kaConf = join(dir, 'keepalived-a.conf');
    const tdConf = join(dir, 'tandem-b.conf');
    writeFileSync(kaConf, instanceConf('keepalived_a', 100));
    writeFileSync(tdConf, instanceConf('tandem_b', 110));

    // 1. Tandem alone in B: Backup, then Master after Master_Down_Interval (3 s + 0.57 s).
    const script = fileURLToPath(new URL('./tandem-node.js', import.meta.url));
    tandem = spawn('ip', ['netns', 'exec', lab.b, process.execPath, script, tdConf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const td = watch(tandem);
    await td.waitFor(/"to":"MASTER"/, 8000);
    await waitUntil(() => hasAddress(lab!.b, lab!.dev, VIP), 2000);
    assert.ok(!td.lines.some((l) => l.includes('"event":"error"')), td.lines.join('\n'));

    // 2. keepalived in A hears priority 110 and stays BACKUP for longer than its Master_Down_Interval (3.61 s).
    keepalived = spawn(
      'ip',
      ['netns', 'exec', lab.a, 'keepalived', '-n', '-l', '-D', '-P', '-f', kaConf, '-p', join(dir, 'ka.pid'), '-r', join(dir, 'ka-vrrp.pid')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const ka = watch(keepalived);
    await ka.waitFor(/\(VI_1\) Entering BACKUP STATE/, 8000);
    await sleep(5000);
    assert.ok(!ka.lines.some((l) => /Entering MASTER STATE/.test(l)), `keepalived became MASTER:\n${ka.lines.join('\n')}`);
    assert.equal(hasAddress(lab.a, lab.dev, VIP), false, 'VIP must be absent in A while Tandem is Master');
    assert.equal(hasAddress(lab.b, lab.dev, VIP), true, 'VIP must stay on B');

    // 3. Tandem stops: priority-0 advert, keepalived takes over after Skew_Time.
    const stoppedAt = Date.now();
    await stopChild(tandem);
    const tookOverMs = await waitUntil(() => hasAddress(lab!.a, lab!.dev, VIP), 3000).then(() => Date.now() - stoppedAt);
    t.diagnostic(`keepalived owned the VIP ${tookOverMs} ms after Tandem was told to stop`);
    assert.ok(tookOverMs <= 1500, `takeover took ${tookOverMs} ms`);
    await ka.waitFor(/\(VI_1\) Entering MASTER STATE/, 1000);
    assert.equal(hasAddress(lab.b, lab.dev, VIP), false, 'Tandem removed its VIP on stop');
    const stopped = td.lines.find((l) => l.includes('"event":"stopped"'));
    assert.ok(stopped, td.lines.join('\n'));
    const counters = (JSON.parse(stopped) as { counters: Record<string, number> }).counters;
    t.diagnostic(`Tandem receive counters: ${JSON.stringify(counters)}`);
    // A Backup keepalived is silent, so Tandem has nothing to accept; it must not have rejected anything either.
    assert.deepEqual(Object.keys(counters).filter((k) => k !== 'ok' && k !== 'own'), [], 'no rejected packets');
  } finally {
    await stopChild(tandem);
    await stopChild(keepalived);
    lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
