/**
 * Unicast interop with real keepalived 2.2.7 (`unicast_src_ip` + `unicast_peer { … }`), VRRPv2 + PASS at advert_int
 * 1 and VRRPv3 at advert_int 0.1, on the pair lab (A 198.18.3.1 keepalived, B 198.18.3.2 Tandem):
 *   1. Tandem (110) alone becomes MASTER; keepalived (100) joins and stays BACKUP: it accepts Tandem's unicast adverts.
 *   2. Tandem stops (priority 0, unicast): keepalived takes over at once (Skew_Time, not Master_Down_Interval).
 *   3. Tandem restarts, hears keepalived's unicast adverts (counted `ok`, nothing rejected), preempts (110 > 100);
 *      keepalived steps down to BACKUP and the VIP moves back to B.
 *   4. (v3) Tandem whose unicast_peer does not list keepalived counts keepalived's adverts as `foreign:unicast-peer`,
 *      drops them, and so becomes MASTER beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPairLab, hasAddress, labUnavailable, pollUntil as waitUntil, stopChild, watchLines, type PairLab } from '@tandem/testing';

const VIP = '198.18.3.100';
const A = '198.18.3.1';
const B = '198.18.3.2';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TANDEM_NODE = fileURLToPath(new URL('./tandem-node.js', import.meta.url));

function unicastConf(routerId: string, priority: number, version: 2 | 3, src: string, peers: readonly string[]): string {
  const auth = version === 2 ? '  authentication {\n    auth_type PASS\n    auth_pass tandem1\n  }\n' : '';
  return `global_defs {
  router_id ${routerId}
  vrrp_version ${version}
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 52
  priority ${priority}
  advert_int ${version === 2 ? 1 : 0.1}
${auth}  unicast_src_ip ${src}
  unicast_peer {
${peers.map((p) => `    ${p}\n`).join('')}  }
  virtual_ipaddress {
    ${VIP}/24 dev eth0
  }
}
`;
}

const watch = (child: ChildProcess) => watchLines(child);

const startTandem = (ns: string, conf: string): ChildProcess =>
  spawn('ip', ['netns', 'exec', ns, process.execPath, TANDEM_NODE, conf], { stdio: ['ignore', 'pipe', 'pipe'] });

function stoppedCounters(lines: readonly string[]): Record<string, number> {
  const stopped = lines.find((l) => l.includes('"event":"stopped"'));
  assert.ok(stopped, lines.join('\n'));
  return (JSON.parse(stopped) as { counters: Record<string, number> }).counters;
}

for (const version of [2, 3] as const) {
  const label = version === 2 ? 'VRRPv2 + PASS, advert_int 1' : 'VRRPv3, advert_int 0.1';
  test(`unicast_peer interop with keepalived, ${label}: elect, release, preempt, both ways`, { timeout: 90_000 }, async (t) => {
    const why = labUnavailable();
    if (why) {
      t.skip(`needs root and ip netns: ${why}`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'tandem-vrrp-unicast-'));
    let lab: PairLab | undefined;
    let tandem: ChildProcess | undefined;
    let keepalived: ChildProcess | undefined;
    const downMs = version === 2 ? 3600 : 400;
    try {
      lab = createPairLab(`tvu${version}${process.pid}`);
      const kaConf = join(dir, 'keepalived-a.conf');
      const tdConf = join(dir, 'tandem-b.conf');
      writeFileSync(kaConf, unicastConf('keepalived_a', 100, version, A, [B]));
      writeFileSync(tdConf, unicastConf('tandem_b', 110, version, B, [A]));

      // 1. Tandem alone: MASTER; keepalived joins and stays BACKUP for several Master_Down_Intervals.
      tandem = startTandem(lab.b, tdConf);
      let td = watch(tandem);
      await td.waitFor(/"to":"MASTER"/, 8000);
      await waitUntil(() => hasAddress(lab!.b, lab!.dev, VIP), 2000);
      keepalived = spawn('ip', ['netns', 'exec', lab.a, 'keepalived', '-n', '-l', '-D', '-P', '-f', kaConf, '-p', join(dir, 'ka.pid'), '-r', join(dir, 'ka-vrrp.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
      const ka = watch(keepalived);
      await ka.waitFor(/\(VI_1\) Entering BACKUP STATE/, 8000);
      await sleep(downMs * 2);
      assert.ok(!ka.lines.some((l) => /Entering MASTER STATE/.test(l)), `keepalived became MASTER (did not accept Tandem's unicast adverts):\n${ka.lines.join('\n')}`);
      assert.equal(hasAddress(lab.a, lab.dev, VIP), false);

      // 2. Tandem stops: its unicast priority-0 advert makes keepalived take over after Skew_Time.
      const stoppedAt = Date.now();
      await stopChild(tandem);
      await waitUntil(() => hasAddress(lab!.a, lab!.dev, VIP), 5000);
      const tookOver = Date.now() - stoppedAt;
      t.diagnostic(`keepalived owned the VIP ${tookOver} ms after Tandem was told to stop`);
      assert.ok(tookOver < downMs + 1500, `takeover took ${tookOver} ms`);
      const first = stoppedCounters(td.lines);
      assert.deepEqual(Object.keys(first).filter((k) => k !== 'ok' && k !== 'own'), [], `rejected packets: ${JSON.stringify(first)}`);

      // 3. Tandem restarts: it hears keepalived's unicast adverts and preempts; keepalived steps down.
      const kaMark = ka.lines.length;
      tandem = startTandem(lab.b, tdConf);
      td = watch(tandem);
      await td.waitFor(/"to":"MASTER"/, downMs + 5000);
      await ka.waitFor(/\(VI_1\) Entering BACKUP STATE/, 5000, kaMark);
      await waitUntil(() => hasAddress(lab!.b, lab!.dev, VIP) && !hasAddress(lab!.a, lab!.dev, VIP), 3000);
      await sleep(downMs);
      await stopChild(tandem);
      const second = stoppedCounters(td.lines);
      t.diagnostic(`Tandem receive counters (second run): ${JSON.stringify(second)}`);
      assert.ok((second['ok'] ?? 0) > 0, `Tandem accepted none of keepalived's unicast adverts: ${JSON.stringify(second)}`);
      assert.deepEqual(Object.keys(second).filter((k) => k !== 'ok' && k !== 'own'), [], `rejected packets: ${JSON.stringify(second)}`);
      await waitUntil(() => hasAddress(lab!.a, lab!.dev, VIP), 5000);

      if (version === 3) {
        // 4. A peer list without keepalived: its adverts are counted and dropped, so Tandem (100 here) goes MASTER too.
        const strangerConf = join(dir, 'tandem-b-stranger.conf');
        writeFileSync(strangerConf, unicastConf('tandem_b', 90, version, B, ['198.18.3.9']));
        tandem = startTandem(lab.b, strangerConf);
        td = watch(tandem);
        await td.waitFor(/"to":"MASTER"/, downMs + 5000);
        await stopChild(tandem);
        const third = stoppedCounters(td.lines);
        t.diagnostic(`Tandem receive counters (peer list without keepalived): ${JSON.stringify(third)}`);
        assert.ok((third['foreign:unicast-peer'] ?? 0) > 0, JSON.stringify(third));
        assert.equal(third['ok'] ?? 0, 0, JSON.stringify(third));
      }
    } finally {
      await stopChild(tandem);
      await stopChild(keepalived);
      lab?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
