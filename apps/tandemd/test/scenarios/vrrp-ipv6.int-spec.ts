// Scenario: VRRPv3 over IPv6 (RFC 5798 §5.1.2) between tandemd and Debian's keepalived 2.2.7, advert_int 0.1, on a
// bridge with a client (namespaces only: fd00:198:18::/64 and link-local, no route out).
//   1. tandemd (110) alone becomes MASTER: VIP fd00:198:18::100/64 on its eth0 (nodad), adverts from its link-local
//      to ff02::12 with hop limit 255.
//   2. keepalived (100) joins and stays BACKUP for 2 s (it accepts tandemd's IPv6 adverts: hop limit, checksum over
//      the IPv6 pseudo-header, VIP list); tandemd counts only accepted adverts (the hop limit is read with recvmsg).
//   3. The client's neighbour entry for the VIP points at tandemd; tandemd stops → keepalived owns the VIP and its NA
//      moves the entry; tandemd restarts → it preempts, its unsolicited NA moves the entry back, keepalived steps down.
// Needs root, `ip netns` and keepalived: skipped with the reason otherwise. Namespaces deleted, processes stopped by PID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { deleteNamespaces, hasAddress, keepalivedArgs, labUnavailable, pollUntil, REPO_ROOT, spawnLogged, spawnTandemdInNetns, stopLogged, TempDir, trySh, type LoggedProcess } from '@tandem/testing';

const TAG = `tv6${process.pid % 10000}`;
const NS = { sw: `${TAG}-sw`, a: `${TAG}-a`, b: `${TAG}-b`, c: `${TAG}-c` } as const;
const ADDR = { a: 'fd00:198:18::1', b: 'fd00:198:18::2', c: 'fd00:198:18::3' } as const;
const MAC = { a: '02:00:c6:12:06:01', b: '02:00:c6:12:06:02', c: '02:00:c6:12:06:03' } as const;
const VIP = 'fd00:198:18::100';
const DEV = 'eth0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const unavailable = labUnavailable;

function createLab(): void {
  const sh = (args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const ns of Object.values(NS)) sh(['netns', 'add', ns]);
  sh(['-n', NS.sw, 'link', 'add', 'br0', 'type', 'bridge']);
  sh(['-n', NS.sw, 'link', 'set', 'br0', 'up']);
  for (const host of ['a', 'b', 'c'] as const) {
    const ns = NS[host];
    // Created inside the switch namespace, the peer moved into the node's: the host's interfaces are never touched.
    sh(['-n', NS.sw, 'link', 'add', `p-${host}`, 'type', 'veth', 'peer', 'name', DEV, 'netns', ns]);
    sh(['-n', NS.sw, 'link', 'set', `p-${host}`, 'master', 'br0', 'up']);
    // No DAD in the lab: the link-local address is usable as soon as the link is up.
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0', `net.ipv6.conf.${DEV}.disable_ipv6=0`, `net.ipv6.conf.${DEV}.accept_dad=0`]);
    sh(['-n', ns, 'link', 'set', 'lo', 'up']);
    sh(['-n', ns, 'link', 'set', DEV, 'address', MAC[host]]);
    sh(['-n', ns, '-6', 'addr', 'add', `${ADDR[host]}/64`, 'dev', DEV, 'nodad']);
    sh(['-n', ns, 'link', 'set', DEV, 'up']);
  }
}

function destroyLab(): void {
  deleteNamespaces([NS.a, NS.b, NS.c, NS.sw]);
}

const hasVip = (ns: string): boolean => hasAddress(ns, DEV, VIP, 6);
const clientNeighbour = (): string | undefined => /lladdr ([0-9a-f:]{17})/.exec(trySh('ip', ['-n', NS.c, '-6', 'neigh', 'show', VIP, 'dev', DEV]).out)?.[1];
/** One UDP datagram from the client to the VIP: the client resolves it (neighbour entry). */
function clientTouchesVip(): void {
  const udp = `require('node:dgram').createSocket('udp6').send('x', 9, '${VIP}', (e) => setTimeout(() => process.exit(e ? 1 : 0), 200))`;
  trySh('ip', ['netns', 'exec', NS.c, process.execPath, '-e', udp]);
}

const waitUntil = pollUntil;

type Proc = LoggedProcess;
const stop = stopLogged;

const instance = (priority: number, state: string): string =>
  `vrrp_instance VI_6 {\n    state ${state}\n    interface ${DEV}\n    virtual_router_id 66\n    priority ${priority}\n    advert_int 0.1\n` +
  `    virtual_ipaddress {\n        ${VIP}/64\n    }\n}\n`;

const reason = unavailable();

test('vrrp-ipv6: tandemd and keepalived 2.2.7 elect over IPv6 (VRRPv3, ff02::12, hop limit 255) and hand the VIP over both ways with NAs', { skip: reason ? `vrrp-ipv6 skipped: ${reason}` : false, timeout: 90_000 }, async (t) => {
  const dir = new TempDir();
  let tandem: Proc | undefined;
  let keepalived: Proc | undefined;
  const socket = join(dir.path, 'td.sock');
  const haproxy = dir.file('td.cfg', 'global\n    maxconn 100\n');
  const tdConf = dir.file('td-keepalived.conf', `global_defs {\n    router_id td\n    vrrp_version 3\n}\n${instance(110, 'BACKUP')}`);
  const kaConf = dir.file('ka-keepalived.conf', `global_defs {\n    router_id ka\n    vrrp_version 3\n}\n${instance(100, 'BACKUP')}`);
  const startTandem = (): Proc => spawnTandemdInNetns(NS.b, { haproxy, keepalived: tdConf, socket, stateDb: join(dir.path, 'td.db') }, REPO_ROOT);
  const startKeepalived = (): Proc => spawnLogged('ip', keepalivedArgs(NS.a, kaConf, join(dir.path, 'ka.pid'), join(dir.path, 'ka-vrrp.pid')), REPO_ROOT);
  destroyLab();
  createLab();
  try {
    // 1. tandemd alone: MASTER.
    tandem = startTandem();
    const td = tandem;
    await waitUntil(() => hasVip(NS.b), 15_000, () => `tandemd owns the VIP\n${td.log()}`);

    // 2. keepalived joins and stays BACKUP: it accepts tandemd's IPv6 adverts.
    keepalived = startKeepalived();
    const ka = keepalived;
    await waitUntil(() => /\(VI_6\) Entering BACKUP STATE/.test(ka.log()), 10_000, () => `keepalived BACKUP\n${ka.log()}`);
    await sleep(2_000);
    assert.doesNotMatch(ka.log(), /\(VI_6\) Entering MASTER STATE/, ka.log());
    assert.equal(hasVip(NS.a), false, 'keepalived did not add the VIP');
    assert.equal(hasVip(NS.b), true, td.log());

    // 3a. The client resolves the VIP to tandemd.
    clientTouchesVip();
    await waitUntil(() => clientNeighbour() === MAC.b, 3_000, () => `client neighbour entry -> tandemd (${clientNeighbour()})`);

    // 3b. tandemd stops: keepalived takes over, its NA moves the client's entry.
    await stop(tandem);
    assert.equal(await td.exited, 0, td.log());
    assert.match(td.log(), /Entering MASTER STATE/);
    const took = await waitUntil(() => hasVip(NS.a) && clientNeighbour() === MAC.a, 5_000, () => `keepalived owns the VIP, client -> keepalived (${clientNeighbour()})\n${ka.log()}`);
    t.diagnostic(`tandemd stopped: keepalived owned the VIP and the client's entry moved within ${took} ms`);
    assert.equal(hasVip(NS.b), false, 'tandemd removed its VIP');

    // 3c. tandemd restarts: it accepts keepalived's adverts (BACKUP first), then preempts (110 > 100); its NA moves
    // the client back and keepalived steps down.
    tandem = startTandem();
    const td2 = tandem;
    const back = await waitUntil(() => hasVip(NS.b) && !hasVip(NS.a) && clientNeighbour() === MAC.b, 15_000, () => `tandemd preempts, client -> tandemd (${clientNeighbour()})\n${td2.log()}\n${ka.log()}`);
    t.diagnostic(`tandemd restarted: VIP and client entry back within ${back} ms of the start`);
    // keepalived logs its step-down (it stopped owning the VIP above); its output may lag a little.
    await waitUntil(() => /\(VI_6\) Entering MASTER STATE[\s\S]*\(VI_6\) Entering BACKUP STATE/.test(ka.log()), 3_000, () => `keepalived steps down\n${ka.log()}`);
    t.diagnostic(td2.log().split('\n').filter((l) => /VI_6|VRRP/.test(l)).join('\n'));
    const show = await sendControlCommand({ kind: 'unix', path: socket }, 'show vrrp', 5_000);
    t.diagnostic(show.split('\n').filter((l) => /Received|State/.test(l)).join(' | '));
    const received = /Received: (.*)/.exec(show)?.[1] ?? '';
    assert.match(received, /\bok=\d+/, show);
    assert.doesNotMatch(received, /drop:|malformed:|foreign:/, `tandemd rejected some of keepalived's IPv6 adverts: ${received}`);
  } finally {
    await stop(tandem);
    await stop(keepalived);
    destroyLab();
    dir.cleanup();
  }
});
