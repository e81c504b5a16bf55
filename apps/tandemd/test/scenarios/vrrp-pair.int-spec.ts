// Scenario: two real tandemd processes, each in its own network namespace on one veth pair, run seed 13's
// keepalived.conf (-k) with addresses rewritten to 198.18.4.0/24 (RFC 2544, no route out): MASTER 110 / BACKUP 100.
//   1. the VIP ends up on the master only;
//   2. SIGTERM on the master (priority-0 advert; the VIP is removed once the backup is heard) → the backup owns the
//      VIP within ~1.5 s;
//   3. the master restarts → it preempts back (VIP on the master again, gone from the backup).
// A second scenario puts both nodes and a client on a bridge (198.18.5.0/24) and probes the VIP every 20 ms:
// `vrrp handover` and a SIGTERM of the master are make-before-break, so neither loses a single request.
// `show vrrp` is read from the master CLI socket (unix sockets are not namespaced). Needs root and `ip netns`:
// skipped with the reason otherwise. The namespaces are deleted and both daemons stopped by PID in `finally`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { deleteNamespaces, hasAddress, netnsUnavailable, pollUntil, REPO_ROOT, spawnTandemdInNetns, stopLogged, TempDir, trySh, type LoggedProcess } from '@tandem/testing';

// The seed's keepalived block, as copied into the repo's fixtures (CI has no ../shared).
const SEED = join(REPO_ROOT, 'apps', 'tandemd', 'test', 'fixtures', 'seeds', '13-keepalived-master.conf');
const VIP = '198.18.4.100';
const DEV = 'vrrp0';
const NS = { a: `tvp${process.pid % 10000}-a`, b: `tvp${process.pid % 10000}-b` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function unavailable(): string | undefined {
  return netnsUnavailable() ?? (trySh('ip', ['-V']).ok ? undefined : 'iproute2 (`ip`) is missing');
}

function createLab(): void {
  const sh = (args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  sh(['netns', 'add', NS.a]);
  sh(['netns', 'add', NS.b]);
  // Created inside A, peer moved into B: the host's interfaces are never touched.
  sh(['-n', NS.a, 'link', 'add', DEV, 'type', 'veth', 'peer', 'name', DEV, 'netns', NS.b]);
  for (const [ns, addr] of [[NS.a, '198.18.4.1/24'], [NS.b, '198.18.4.2/24']] as const) {
    sh(['-n', ns, 'link', 'set', 'lo', 'up']);
    sh(['-n', ns, 'addr', 'add', addr, 'dev', DEV]);
    sh(['-n', ns, 'link', 'set', DEV, 'up']);
  }
}

function destroyLab(): void {
  deleteNamespaces([NS.a, NS.b]);
}

const hasVip = (ns: string): boolean => hasAddress(ns, DEV, VIP);

const waitUntil = pollUntil;

/** Seed 13 with its address and interface rewritten; the BACKUP node differs by `state` and `priority`, as the seed says. */
function seedConfig(role: 'MASTER' | 'BACKUP'): string {
  let text = readFileSync(SEED, 'utf8').replace(/10\.10\.10\.1\/24/g, `${VIP}/24`).replace(/interface eth0/g, `interface ${DEV}`);
  if (role === 'BACKUP') text = text.replace(/state MASTER/, 'state BACKUP').replace(/priority 110/, 'priority 100');
  return text;
}

interface Node extends LoggedProcess {
  readonly socket: string;
}

function startNode(dir: TempDir, name: string, ns: string, role: 'MASTER' | 'BACKUP'): Node {
  const haproxy = dir.file(`${name}.cfg`, 'global\n    maxconn 100\n');
  const keepalived = dir.file(`${name}-keepalived.conf`, seedConfig(role));
  const socket = join(dir.path, `${name}.sock`);
  return { ...spawnTandemdInNetns(ns, { haproxy, keepalived, socket, stateDb: join(dir.path, `${name}.db`) }, REPO_ROOT), socket };
}

const stopNode = stopLogged;

function adminCommand(socket: string, command: string): Promise<string> {
  return sendControlCommand({ kind: 'unix', path: socket }, command, 5_000);
}

const reason = unavailable();

test('vrrp-pair: seed 13 as MASTER 110 / BACKUP 100: failover on SIGTERM within ~1.5 s, preempt back on restart', { skip: reason ? `vrrp-pair skipped: ${reason}` : false, timeout: 60_000 }, async (t) => {
  const dir = new TempDir();
  let master: Node | undefined;
  let backup: Node | undefined;
  destroyLab(); // leftovers of an interrupted run with the same pid suffix
  createLab();
  try {
    master = startNode(dir, 'master', NS.a, 'MASTER');
    backup = startNode(dir, 'backup', NS.b, 'BACKUP');
    const m = master;
    const b = backup;
    await waitUntil(() => hasVip(NS.a) && !hasVip(NS.b) && /Entering BACKUP STATE/.test(b.log()), 10_000, () => `VIP on the master only\nmaster:\n${m.log()}\nbackup:\n${b.log()}`);

    const show = await adminCommand(master.socket, 'show vrrp');
    assert.match(show, /VRRP Instance: VI_1/);
    assert.match(show, /State: MASTER/);
    assert.match(show, /Priority: 110/);
    assert.match(show, new RegExp(`Virtual IP: ${VIP.replace(/\./g, '\\.')}/24`));
    // The backup learns the master's address from the next advert (advert_int 1 s): poll for it, bounded.
    let showBackup = '';
    for (let i = 0; i < 30 && !/Master IP: 198\.18\.4\.1/.test(showBackup); i++) {
      showBackup = await adminCommand(backup.socket, 'show vrrp');
      if (!/Master IP: 198\.18\.4\.1/.test(showBackup)) await sleep(100);
    }
    assert.match(showBackup, /State: BACKUP/);
    assert.match(showBackup, /Master IP: 198\.18\.4\.1/);
    assert.match(showBackup, /Received: .*ok=\d+/);

    // 2. SIGTERM: priority-0 advert, VIP removed, exit 0; the backup takes over after Skew_Time.
    const t0 = Date.now();
    process.kill(master.child.pid!, 'SIGTERM');
    const took = await waitUntil(() => hasVip(NS.b), 3_000, () => `the backup takes the VIP\nbackup:\n${b.log()}`);
    assert.ok(took < 1_500, `failover took ${took} ms`);
    t.diagnostic(`failover: the backup owned the VIP ${took} ms after SIGTERM`);
    assert.equal(await master.exited, 0, master.log());
    assert.equal(hasVip(NS.a), false, 'the stopped master removed its VIP');
    assert.ok(Date.now() - t0 < 5_000);

    // 3. Restart: the master (higher priority, preempt) takes the VIP back.
    master = startNode(dir, 'master2', NS.a, 'MASTER');
    const m2 = master;
    await waitUntil(() => hasVip(NS.a) && !hasVip(NS.b), 10_000, () => `the restarted master preempts\nmaster:\n${m2.log()}\nbackup:\n${b.log()}`);
  } finally {
    await stopNode(master);
    await stopNode(backup);
    destroyLab();
    dir.cleanup();
  }
});

// ---- make-before-break: a client probing the VIP every 20 ms through both nodes' proxies.
const HB = { sw: `thb${process.pid % 10000}-sw`, a: `thb${process.pid % 10000}-a`, b: `thb${process.pid % 10000}-b`, c: `thb${process.pid % 10000}-c` };
const HB_VIP = '198.18.5.100';
const HB_ADDR = { a: '198.18.5.1', b: '198.18.5.2', c: '198.18.5.3' } as const;
const PROBE = join(REPO_ROOT, 'scripts', 'drill', 'probe.mjs');

function createBridgeLab(): void {
  const sh = (args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  sh(['netns', 'add', HB.sw]);
  sh(['-n', HB.sw, 'link', 'add', 'br0', 'type', 'bridge']);
  sh(['-n', HB.sw, 'link', 'set', 'br0', 'up']);
  for (const host of ['a', 'b', 'c'] as const) {
    const ns = HB[host];
    sh(['netns', 'add', ns]);
    // Created inside the switch namespace, the peer moved into the host's: the host's interfaces are never touched.
    sh(['-n', HB.sw, 'link', 'add', `p-${host}`, 'type', 'veth', 'peer', 'name', DEV, 'netns', ns]);
    sh(['-n', HB.sw, 'link', 'set', `p-${host}`, 'master', 'br0', 'up']);
    sh(['-n', ns, 'link', 'set', 'lo', 'up']);
    sh(['-n', ns, 'addr', 'add', `${HB_ADDR[host]}/24`, 'dev', DEV]);
    sh(['-n', ns, 'link', 'set', DEV, 'up']);
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_nonlocal_bind=1', 'net.ipv4.conf.all.arp_accept=1']);
  }
}

function destroyBridgeLab(): void {
  deleteNamespaces([HB.a, HB.b, HB.c, HB.sw]);
}

const hbHasVip = (ns: string): boolean => hasAddress(ns, DEV, HB_VIP);

function startHbNode(dir: TempDir, name: 'a' | 'b'): Node {
  const master = name === 'a';
  const haproxy = dir.file(`hb-${name}.cfg`, `global\n    maxconn 200\ndefaults\n    mode http\n    timeout connect 500ms\n    timeout client 5s\n    timeout server 5s\nfrontend www\n    bind ${HB_VIP}:80\n    default_backend web\nbackend web\n    server c ${HB_ADDR.c}:8080\n`);
  const keepalived = dir.file(`hb-${name}-keepalived.conf`, `vrrp_instance VI_1 {\n    state ${master ? 'MASTER' : 'BACKUP'}\n    interface ${DEV}\n    virtual_router_id 52\n    priority ${master ? 110 : 100}\n    advert_int 1\n    authentication {\n        auth_type PASS\n        auth_pass hb\n    }\n    virtual_ipaddress {\n        ${HB_VIP}/24\n    }\n}\n`);
  const socket = join(dir.path, `hb-${name}.sock`);
  return { ...spawnTandemdInNetns(HB[name], { haproxy, keepalived, socket, stateDb: join(dir.path, `hb-${name}.db`) }, REPO_ROOT), socket };
}

interface Probe {
  readonly t: number;
  readonly ok: boolean;
}

test('vrrp-pair: make-before-break: `vrrp handover` and SIGTERM of the master lose no request (probe every 20 ms)', { skip: reason ? `vrrp-pair skipped: ${reason}` : false, timeout: 90_000 }, async (t) => {
  const dir = new TempDir();
  let a: Node | undefined;
  let b: Node | undefined;
  const others: ChildProcess[] = [];
  destroyBridgeLab();
  createBridgeLab();
  try {
    const backend = spawn('ip', ['netns', 'exec', HB.c, process.execPath, '-e', `require('node:http').createServer((q, r) => r.end('ok')).listen(8080, '${HB_ADDR.c}')`], { stdio: 'ignore' });
    others.push(backend);
    // b starts once a is MASTER: two nodes that both become Master at start leave the client's ARP entry on
    // whichever GARPed last (the winner does not re-GARP), which is not what this scenario measures.
    a = startHbNode(dir, 'a');
    const na = a;
    await waitUntil(() => hbHasVip(HB.a), 15_000, () => `a becomes MASTER\n${na.log()}`);
    b = startHbNode(dir, 'b');
    const nb = b;
    const logs = () => `a:\n${na.log()}\nb:\n${nb.log()}`;
    await waitUntil(() => hbHasVip(HB.a) && !hbHasVip(HB.b) && /Entering BACKUP STATE/.test(nb.log()), 15_000, () => `VIP on a only\n${logs()}`);
    await sleep(1500);

    const prober = spawn('ip', ['netns', 'exec', HB.c, process.execPath, PROBE, HB_VIP, '80', '40000', '20', '200'], { stdio: ['ignore', 'pipe', 'ignore'] });
    others.push(prober);
    let probeOut = '';
    prober.stdout!.on('data', (c: Buffer) => (probeOut += c.toString()));
    const proberExited = new Promise<void>((r) => prober.on('exit', () => r()));
    const probes = (): Probe[] => probeOut.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Probe);
    const failedIn = (from: number, to: number) => {
      const w = probes().filter((p) => p.t >= from && p.t < to);
      return { failed: w.filter((p) => !p.ok).length, total: w.length };
    };
    await sleep(1000);
    assert.ok(probes().length > 20 && probes().every((p) => p.ok), `the VIP answers before the drill\n${probeOut.slice(0, 300)}\n${logs()}`);

    // 1. Planned switchover.
    const t1 = Date.now();
    const answer = await adminCommand(na.socket, 'vrrp handover');
    assert.match(answer, /VI_1: handed over to 198\.18\.5\.2 in \d+ ms/, `${answer}\n${logs()}`);
    assert.equal(hbHasVip(HB.a), false, 'a released the VIP');
    assert.equal(hbHasVip(HB.b), true, 'b holds the VIP');
    assert.match(await adminCommand(na.socket, 'show vrrp'), /State: BACKUP[\s\S]*Effective priority: 1 \(handed over/);
    await sleep(4500); // longer than b's Master_Down_Interval: a (held at priority 1) does not preempt back
    assert.equal(hbHasVip(HB.b) && !hbHasVip(HB.a), true, 'a stays BACKUP while held');
    const handover = failedIn(t1, Date.now());

    // 2. Cancel: a (110) preempts b (100) after its Master_Down_Interval.
    const t2 = Date.now();
    assert.match(await adminCommand(na.socket, 'vrrp handover cancel'), /VI_1: handover cancelled; effective priority 110/);
    await waitUntil(() => hbHasVip(HB.a) && !hbHasVip(HB.b), 10_000, () => `a preempts back after cancel\n${logs()}`);
    await sleep(1500);
    const failback = failedIn(t2, Date.now());

    // 3. SIGTERM of the master: priority 0, the VIP kept until b is heard, then released; the proxy stops after.
    const t3 = Date.now();
    process.kill(na.child.pid!, 'SIGTERM');
    await waitUntil(() => hbHasVip(HB.b), 5_000, () => `b takes the VIP after SIGTERM\n${logs()}`);
    assert.equal(await na.exited, 0, na.log());
    assert.equal(hbHasVip(HB.a), false, 'the stopped master removed its VIP');
    await sleep(1000);
    const sigterm = failedIn(t3, Date.now());

    prober.kill('SIGTERM');
    await Promise.race([proberExited, sleep(2000)]);
    t.diagnostic(`failed/total: handover ${handover.failed}/${handover.total}, failback ${failback.failed}/${failback.total}, SIGTERM ${sigterm.failed}/${sigterm.total}`);
    assert.equal(handover.failed, 0, `planned switchover lost requests\n${logs()}`);
    assert.ok(handover.total > 100);
    assert.equal(sigterm.failed, 0, `SIGTERM lost requests\n${logs()}`);
    assert.ok(sigterm.total > 30);
  } finally {
    await stopNode(a);
    await stopNode(b);
    for (const c of others) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    destroyBridgeLab();
    dir.cleanup();
  }
});
