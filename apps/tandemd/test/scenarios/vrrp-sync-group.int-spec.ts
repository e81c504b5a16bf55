// Scenario: keepalived's `vrrp_sync_group` at runtime. Two real tandemd processes (A priority 110, B 100), each with
// two VRRPv3 instances (advert_int 0.1) in one sync group G1: VI_1 on eth0 (198.18.6.0/24) and VI_2 on eth1
// (198.18.7.0/24). Each link is a bridge in a switch namespace, so taking A's eth1 down leaves B's links up.
//   1. A owns both VIPs; its group notify script ran with `GROUP G1 MASTER`.
//   2. A's eth1 goes down: VI_2 faults, the group drags VI_1 (whose link is fine) into FAULT too, so B takes BOTH
//      VIPs; A's notify ran with `GROUP G1 FAULT`, B's with `GROUP G1 MASTER`.
//   3. eth1 back up: the group leaves FAULT together and A (preempt) takes both VIPs back.
// Needs root and `ip netns` (skipped with the reason otherwise); namespaces deleted, daemons stopped by PID in `finally`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteNamespaces, hasAddress, netnsUnavailable, pollUntil, REPO_ROOT, spawnTandemdInNetns, stopLogged, TempDir, trySh, type LoggedProcess } from '@tandem/testing';

const TAG = `tsg${process.pid % 10000}`;
const NS = { sw: `${TAG}-sw`, a: `${TAG}-a`, b: `${TAG}-b` } as const;
const NET = [
  { dev: 'eth0', prefix: '198.18.6', vip: '198.18.6.100', vrid: 61 },
  { dev: 'eth1', prefix: '198.18.7', vip: '198.18.7.100', vrid: 62 },
] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const unavailable = netnsUnavailable;

function createLab(): void {
  const sh = (args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const ns of Object.values(NS)) sh(['netns', 'add', ns]);
  NET.forEach((net, k) => {
    sh(['-n', NS.sw, 'link', 'add', `br${k}`, 'type', 'bridge']);
    sh(['-n', NS.sw, 'link', 'set', `br${k}`, 'up']);
    for (const [host, n] of [['a', 1], ['b', 2]] as const) {
      // Created inside the switch namespace, the peer moved into the node's: the host's interfaces are never touched.
      sh(['-n', NS.sw, 'link', 'add', `${host}${k}`, 'type', 'veth', 'peer', 'name', net.dev, 'netns', NS[host]]);
      sh(['-n', NS.sw, 'link', 'set', `${host}${k}`, 'master', `br${k}`, 'up']);
      sh(['-n', NS[host], 'addr', 'add', `${net.prefix}.${n}/24`, 'dev', net.dev]);
      sh(['-n', NS[host], 'link', 'set', net.dev, 'up']);
    }
  });
  for (const host of ['a', 'b'] as const) sh(['-n', NS[host], 'link', 'set', 'lo', 'up']);
}

function destroyLab(): void {
  deleteNamespaces(Object.values(NS));
}

const hasVip = (ns: string, k: 0 | 1): boolean => hasAddress(ns, NET[k].dev, NET[k].vip);
const vips = (ns: string): string => `${hasVip(ns, 0) ? 'VIP1' : '-'} ${hasVip(ns, 1) ? 'VIP2' : '-'}`;

const waitUntil = pollUntil;

interface Node extends LoggedProcess {
  notified: () => string[];
}

function startNode(dir: TempDir, host: 'a' | 'b'): Node {
  const priority = host === 'a' ? 110 : 100;
  const notifyLog = join(dir.path, `notify-${host}.log`);
  const script = dir.file(`notify-${host}.sh`, `echo "$*" >> ${notifyLog}\n`);
  const instance = (k: 0 | 1): string =>
    `vrrp_instance VI_${k + 1} {\n    state BACKUP\n    interface ${NET[k].dev}\n    virtual_router_id ${NET[k].vrid}\n    priority ${priority}\n` +
    `    advert_int 0.1\n    virtual_ipaddress {\n        ${NET[k].vip}/24\n    }\n}\n`;
  const conf = `global_defs {\n    router_id ${host}\n    vrrp_version 3\n}\nvrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n` +
    `    notify "/bin/sh ${script}"\n}\n${instance(0)}${instance(1)}`;
  const keepalived = dir.file(`${host}-keepalived.conf`, conf);
  const haproxy = dir.file(`${host}.cfg`, 'global\n    maxconn 100\n');
  const node = spawnTandemdInNetns(NS[host], { haproxy, keepalived, socket: join(dir.path, `${host}.sock`), stateDb: join(dir.path, `${host}.db`) }, REPO_ROOT);
  const notified = (): string[] => (existsSync(notifyLog) ? readFileSync(notifyLog, 'utf8').split('\n').filter(Boolean) : []);
  return { ...node, notified };
}

const stopNode = stopLogged;

const reason = unavailable();

test('vrrp-sync-group: link down on one member moves both VIPs; the group notify runs with GROUP G1 <STATE>', { skip: reason ? `vrrp-sync-group skipped: ${reason}` : false, timeout: 60_000 }, async (t) => {
  const dir = new TempDir();
  let a: Node | undefined;
  let b: Node | undefined;
  destroyLab();
  createLab();
  try {
    a = startNode(dir, 'a');
    b = startNode(dir, 'b');
    const [na, nb] = [a, b];
    const both = (): string => `A: ${vips(NS.a)}  B: ${vips(NS.b)}\nA:\n${na.log()}\nB:\n${nb.log()}`;
    await waitUntil(() => hasVip(NS.a, 0) && hasVip(NS.a, 1) && !hasVip(NS.b, 0) && !hasVip(NS.b, 1), 15_000, () => `A owns both VIPs\n${both()}`);
    await waitUntil(() => na.notified().includes('GROUP G1 MASTER'), 3_000, () => `A's group notify MASTER (${na.notified().join('; ')})`);
    await waitUntil(() => nb.notified().includes('GROUP G1 BACKUP'), 3_000, () => `B's group notify BACKUP (${nb.notified().join('; ')})`);

    // 2. A's eth1 down: VI_2 faults, the group takes VI_1 (eth0 still up) with it; B takes both VIPs.
    execFileSync('ip', ['-n', NS.a, 'link', 'set', 'eth1', 'down']);
    const took = await waitUntil(() => hasVip(NS.b, 0) && hasVip(NS.b, 1) && !hasVip(NS.a, 0) && !hasVip(NS.a, 1), 5_000, () => `B owns both VIPs after A's eth1 went down\n${both()}`);
    t.diagnostic(`link down on A's eth1: B owned both VIPs after ${took} ms`);
    assert.ok(trySh('ip', ['-n', NS.a, '-o', 'link', 'show', 'eth0']).out.includes('state UP'), "A's eth0 stayed up");
    await waitUntil(() => na.notified().includes('GROUP G1 FAULT'), 3_000, () => `A's group notify FAULT (${na.notified().join('; ')})`);
    await waitUntil(() => nb.notified().includes('GROUP G1 MASTER'), 3_000, () => `B's group notify MASTER (${nb.notified().join('; ')})`);
    assert.match(na.log(), /VRRP_Group\(G1\) Syncing instances to FAULT state/);
    // Stays there: A's VI_1 must not come back alone while VI_2 is down.
    await sleep(1_000);
    assert.equal(vips(NS.a), '- -', both());

    // 3. Link back: the group leaves FAULT together, A preempts both.
    execFileSync('ip', ['-n', NS.a, 'link', 'set', 'eth1', 'up']);
    const back = await waitUntil(() => hasVip(NS.a, 0) && hasVip(NS.a, 1) && !hasVip(NS.b, 0) && !hasVip(NS.b, 1), 10_000, () => `A takes both VIPs back\n${both()}`);
    t.diagnostic(`link up: A owned both VIPs again after ${back} ms`);
    assert.equal(nb.notified().at(-1), 'GROUP G1 BACKUP', nb.notified().join('; '));
  } finally {
    await stopNode(a);
    await stopNode(b);
    destroyLab();
    dir.cleanup();
  }
});
