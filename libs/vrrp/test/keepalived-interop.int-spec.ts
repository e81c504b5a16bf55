/**
 * Interop with real keepalived 2.2.7 (VRRPv2, PASS auth, advert_int 1): keepalived (priority 100, BACKUP) in
 * namespace A, a Tandem instance runner (priority 110) as its own process in namespace B, one veth between them.
 *   1. Tandem starts alone and becomes MASTER; the VIP appears on B's eth0.
 *   2. keepalived starts and stays BACKUP (Tandem's adverts are accepted); the VIP stays absent in A.
 *   3. Tandem stops (priority-0 advert): keepalived becomes MASTER after Skew_Time (~0.61 s), well within 1.5 s.
 * Then the other role, with VRRPv2 + PASS and with VRRPv3 at advert_int 0.1: keepalived (110, MASTER) first, Tandem
 * (100) joins, receives keepalived's adverts, stays BACKUP, and takes over when keepalived stops. And on a bridge with
 * a client: after a failover the client's neighbour entry for the VIP moves to the new Master's MAC (GARP).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBridgeLab, createPairLab, hasAddress, labUnavailable, neighbourMac, pollUntil as waitUntil, sh, stopChild, watchLines, type BridgeLab, type PairLab } from '@tandem/testing';

const VIP = '198.18.3.100';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function instanceConf(routerId: string, priority: number, version: 2 | 3 = 2, state: 'MASTER' | 'BACKUP' = 'BACKUP'): string {
  const auth = version === 2 ? '  authentication {\n    auth_type PASS\n    auth_pass tandem1\n  }\n' : '';
  return `global_defs {
  router_id ${routerId}
  vrrp_version ${version}
}
vrrp_instance VI_1 {
  state ${state}
  interface eth0
  virtual_router_id 51
  priority ${priority}
  advert_int ${version === 2 ? 1 : 0.1}
${auth}  virtual_ipaddress {
    ${VIP}/24 dev eth0
  }
}
`;
}

const watch = (child: ChildProcess) => watchLines(child, 25);

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
    const tookOverMs = await waitUntil(() => hasAddress(lab!.a, lab!.dev, VIP), 5000).then(() => Date.now() - stoppedAt);
    t.diagnostic(`keepalived owned the VIP ${tookOverMs} ms after Tandem was told to stop`);
    // Skew_Time (0.61 s) plus Tandem's own stop; anything under Master_Down_Interval (3.6 s) shows keepalived
    // honoured the priority-0 advert. The bound leaves room for a loaded CI machine (1.55 s was seen under load).
    assert.ok(tookOverMs < 3000, `takeover took ${tookOverMs} ms`);
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

const TANDEM_NODE = fileURLToPath(new URL('./tandem-node.js', import.meta.url));

function startTandem(ns: string, conf: string): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, TANDEM_NODE, conf], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function startKeepalived(ns: string, conf: string, dir: string): ChildProcess {
  return spawn(
    'ip',
    ['netns', 'exec', ns, 'keepalived', '-n', '-l', '-D', '-P', '-f', conf, '-p', join(dir, `ka-${ns}.pid`), '-r', join(dir, `ka-vrrp-${ns}.pid`)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function stoppedCounters(lines: readonly string[]): Record<string, number> {
  const stopped = lines.find((l) => l.includes('"event":"stopped"'));
  assert.ok(stopped, lines.join('\n'));
  return (JSON.parse(stopped) as { counters: Record<string, number> }).counters;
}

for (const version of [2, 3] as const) {
  const label = version === 2 ? 'VRRPv2 + PASS, advert_int 1' : 'VRRPv3, advert_int 0.1';
  test(`Tandem as BACKUP (prio 100) under keepalived MASTER (prio 110), ${label}: stays Backup, takes over when keepalived stops`, { timeout: 60_000 }, async (t) => {
    const why = labUnavailable();
    if (why) {
      t.skip(`needs root and ip netns: ${why}`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'tandem-vrrp-interop-'));
    let lab: PairLab | undefined;
    let tandem: ChildProcess | undefined;
    let keepalived: ChildProcess | undefined;
    const intervalMs = version === 2 ? 1000 : 100;
    try {
      lab = createPairLab(`tvb${version}${process.pid}`);
      const kaConf = join(dir, 'keepalived-a.conf');
      const tdConf = join(dir, 'tandem-b.conf');
      writeFileSync(kaConf, instanceConf('keepalived_a', 110, version, 'MASTER'));
      writeFileSync(tdConf, instanceConf('tandem_b', 100, version));

      // 1. keepalived alone: MASTER, VIP in A.
      keepalived = startKeepalived(lab.a, kaConf, dir);
      const ka = watch(keepalived);
      await ka.waitFor(/\(VI_1\) Entering MASTER STATE/, 10_000);
      await waitUntil(() => hasAddress(lab!.a, lab!.dev, VIP), 3000);
      const kaMasterAt = ka.lines.length; // keepalived starts in BACKUP (init) even with `state MASTER`

      // 2. Tandem joins: BACKUP, and it stays Backup for many Master_Down_Intervals (it accepts keepalived's adverts).
      tandem = startTandem(lab.b, tdConf);
      const td = watch(tandem);
      await td.waitFor(/"to":"BACKUP"/, 8000);
      await sleep(version === 2 ? 6000 : 2000);
      assert.ok(!td.lines.some((l) => l.includes('"to":"MASTER"')), `Tandem became MASTER:\n${td.lines.join('\n')}`);
      assert.ok(!ka.lines.slice(kaMasterAt).some((l) => /\(VI_1\) Entering BACKUP STATE/.test(l)), `keepalived stepped down:\n${ka.lines.join('\n')}`);
      assert.equal(hasAddress(lab.b, lab.dev, VIP), false, 'no VIP on B while keepalived is Master');
      assert.equal(hasAddress(lab.a, lab.dev, VIP), true, 'VIP stays on A');

      // 3. keepalived stops (priority-0 advert): Tandem takes over after Skew_Time.
      const stoppedAt = Date.now();
      await stopChild(keepalived);
      // keepalived needs ~1 s to shut down (priority-0 advert, then its VIPs go); Tandem then waits Skew_Time
      // (v2: 0.61 s; v3: 61 ms), far less than Master_Down_Interval (3.6 s / 0.36 s).
      await waitUntil(() => !hasAddress(lab!.a, lab!.dev, VIP), 5000);
      const releasedAt = Date.now();
      await waitUntil(() => hasAddress(lab!.b, lab!.dev, VIP), 5000);
      const tookOverMs = Date.now() - stoppedAt;
      const afterRelease = Date.now() - releasedAt;
      t.diagnostic(`Tandem owned the VIP ${tookOverMs} ms after keepalived was told to stop, ${afterRelease} ms after keepalived's VIP went`);
      assert.ok(afterRelease <= (version === 2 ? 1000 : 600), `takeover took ${afterRelease} ms after keepalived released the VIP`);
      assert.ok(tookOverMs <= 2500, `takeover took ${tookOverMs} ms`);
      await td.waitFor(/"to":"MASTER"/, 1000);
      assert.equal(hasAddress(lab.a, lab.dev, VIP), false, 'keepalived removed its VIP');
      await stopChild(tandem);
      const counters = stoppedCounters(td.lines);
      t.diagnostic(`Tandem receive counters: ${JSON.stringify(counters)}`);
      // keepalived's adverts were accepted (≈ one per interval while Backup) and none were rejected.
      assert.ok((counters.ok ?? 0) >= Math.floor((version === 2 ? 6000 : 2000) / intervalMs / 2), JSON.stringify(counters));
      assert.deepEqual(Object.keys(counters).filter((k) => k !== 'ok' && k !== 'own'), [], 'no rejected packets');
    } finally {
      await stopChild(tandem);
      await stopChild(keepalived);
      lab?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('after a failover the client\'s neighbour entry for the VIP moves to the new Master\'s MAC (GARP), both ways', { timeout: 60_000 }, async (t) => {
  const why = labUnavailable();
  if (why) {
    t.skip(`needs root and ip netns: ${why}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tandem-vrrp-garp-'));
  let lab: BridgeLab | undefined;
  let tandem: ChildProcess | undefined;
  let keepalived: ChildProcess | undefined;
  try {
    lab = createBridgeLab(`tvg${process.pid}`);
    const kaConf = join(dir, 'keepalived-a.conf');
    const tdConf = join(dir, 'tandem-b.conf');
    writeFileSync(kaConf, instanceConf('keepalived_a', 110, 3, 'MASTER'));
    writeFileSync(tdConf, instanceConf('tandem_b', 100, 3));
    keepalived = startKeepalived(lab.a, kaConf, dir);
    const ka = watch(keepalived);
    await ka.waitFor(/\(VI_1\) Entering MASTER STATE/, 10_000);
    await waitUntil(() => hasAddress(lab!.a, lab!.dev, VIP), 3000);
    tandem = startTandem(lab.b, tdConf);
    const td = watch(tandem);
    await td.waitFor(/"to":"BACKUP"/, 8000);

    // The client learns the VIP → keepalived's MAC.
    const udp = `require('node:dgram').createSocket('udp4').send('x', 9, '${VIP}', (e, n) => setTimeout(() => process.exit(e ? 1 : 0), 200))`;
    sh('ip', ['netns', 'exec', lab.c, process.execPath, '-e', udp]);
    await waitUntil(() => neighbourMac(lab!.c, lab!.dev, VIP) === lab!.macs.a, 2000);

    // keepalived stops: Tandem takes over and its GARPs move the client's entry to B's MAC, with no traffic from
    // the client.
    const stoppedAt = Date.now();
    await stopChild(keepalived);
    const movedMs = await waitUntil(() => neighbourMac(lab!.c, lab!.dev, VIP) === lab!.macs.b, 3000).then(() => Date.now() - stoppedAt);
    t.diagnostic(`client's neighbour entry for ${VIP} moved to Tandem's MAC ${movedMs} ms after keepalived was told to stop`);
    assert.ok(hasAddress(lab.b, lab.dev, VIP));

    // And back: keepalived returns with priority 110 and preempts; its GARPs move the entry back to A's MAC.
    keepalived = startKeepalived(lab.a, kaConf, dir);
    const ka2 = watch(keepalived);
    await ka2.waitFor(/\(VI_1\) Entering MASTER STATE/, 10_000);
    await td.waitFor(/"from":"MASTER","to":"BACKUP"/, 3000);
    await waitUntil(() => neighbourMac(lab!.c, lab!.dev, VIP) === lab!.macs.a, 3000);
    await waitUntil(() => !hasAddress(lab!.b, lab!.dev, VIP), 1000);
  } finally {
    await stopChild(tandem);
    await stopChild(keepalived);
    lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
