#!/usr/bin/env node
// Failover drills for a tandemd pair in the namespace lab (lab.sh). Run it through run.sh, as root.
//
//   drill.mjs [--vrrp 2|3|both] [--stack tandem|incumbent|both] [--only <drill>[,<drill>]] [--prefix dr] [--keep]
//   drill.mjs --load [--vrrp 2|3] [--seconds 60] [--prefix dr]
//
// --load (issue item 6, timing under load): VRRPv3 at advert_int 0.1 by default; the client runs
// `wrk -t2 -c200 -d<seconds>s` against the VIP on the master (lb1) while the backup (lb2) is watched: its state and
// receive counters through `show vrrp` every 200 ms, and every advert arriving on its eth0 (tcpdump timestamps).
// Prints adverts received, the longest gap between adverts at the backup, the transitions (expected 0) and wrk's
// summary.
//
// --stack incumbent runs the same drills on the pair Tandem replaces: HAProxy 2.6 + keepalived 2.2.7 from Debian,
// with the seed's keepalived block (a track script on the HAProxy process, weight -20), so both rows come from one
// run on one machine.
//
// Per drill: the lab's client probes the VIP every 20 ms (new connection each time, 200 ms bound); a fault hits the
// master (lb1); we time how long until the VIP is on lb2, the longest client-visible outage, the failed requests,
// the gratuitous ARPs seen on the bridge, then repair the fault and count the errors during failback.
// Every wait is bounded; every process we start is ended by its PID; the lab is removed at the end.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const TANDEMD = join(ROOT, 'apps', 'tandemd', 'dist', 'src', 'main.js');
const TANDEMCTL = join(ROOT, 'apps', 'tandemctl', 'dist', 'src', 'main.js');
let P = 'dr';
const VIP = '198.18.0.100';
const LB = { lb1: '198.18.0.11', lb2: '198.18.0.12' };
const BACKENDS = [['be1', '198.18.0.21'], ['be2', '198.18.0.22'], ['be3', '198.18.0.23']];

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const versions = opt('--vrrp', args.includes('--load') ? '3' : 'both') === 'both' ? [2, 3] : [Number(opt('--vrrp', '3'))];
const only = opt('--only', '')?.split(',').filter(Boolean) ?? [];
const keep = args.includes('--keep');
const loadMode = args.includes('--load');
const loadSeconds = Number(opt('--seconds', '60'));
const stacks = opt('--stack', 'tandem') === 'both' ? ['tandem', 'incumbent'] : [opt('--stack', 'tandem')];
P = opt('--prefix', P);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ns = (host) => `${P}-${host}`;
const sh = (cmd, cmdArgs) => execFileSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const started = [];

function startIn(host, command, commandArgs, env = {}) {
  // `ip netns exec` execs the command in place, so the PID we hold is the program's own.
  const child = spawn('ip', ['netns', 'exec', ns(host), command, ...commandArgs], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  started.push(child);
  return child;
}

function stop(child, signal = 'SIGTERM') {
  if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
}

const exited = (child, ms) => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
  const t = setTimeout(() => resolve(false), ms);
  child.once('exit', () => { clearTimeout(t); resolve(true); });
});

const hasVip = (host) => sh('ip', ['-n', ns(host), '-4', '-o', 'addr', 'show', 'dev', 'eth0']).includes(` ${VIP}/`);

async function waitFor(condition, timeoutMs, stepMs = 5) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (condition()) return Date.now();
    await sleep(stepMs);
  }
  return undefined;
}

function haproxyConfig() {
  return `global
    maxconn 2000
defaults
    mode http
    timeout connect 500ms
    timeout client 5s
    timeout server 5s
    option redispatch
    retries 2
frontend www
    bind ${VIP}:80
    default_backend web
backend web
    option httpchk GET /healthz
    http-check expect status 200
${BACKENDS.map(([name, ip]) => `    server ${name} ${ip}:8080 check inter 200 fall 2 rise 2`).join('\n')}
`;
}

// Seed 13's shape: MASTER 110 / BACKUP 100, PASS auth on v2, a VIP on eth0.
function keepalivedConfig(node, version, trackScript) {
  const master = node === 'lb1';
  const track = trackScript
    ? `vrrp_script chk_haproxy {\n    script "${trackScript}"\n    interval 2\n    weight -20\n}\n`
    : '';
  return `${track}global_defs {
    router_id ${node}
    vrrp_version ${version}
}
vrrp_instance VI_1 {
    state ${master ? 'MASTER' : 'BACKUP'}
    interface eth0
    virtual_router_id 51
    priority ${master ? 110 : 100}
    advert_int ${version === 2 ? 1 : 0.1}
${version === 2 ? '    authentication {\n        auth_type PASS\n        auth_pass drill123\n    }\n' : ''}    virtual_ipaddress {
        ${VIP}/24
    }
${trackScript ? '    track_script {\n        chk_haproxy\n    }\n' : ''}}
`;
}

/** A node of the chosen stack: { proxy, vrrp } processes (one tandemd is both). */
function startNode(node, dir, version, stack) {
  const hap = join(dir, `${node}.cfg`);
  const ka = join(dir, `${node}-${stack}-v${version}.conf`);
  writeFileSync(hap, haproxyConfig());
  if (stack === 'tandem') {
    writeFileSync(ka, keepalivedConfig(node, version));
    const tandemd = startIn(node, process.execPath, [TANDEMD, '-f', hap, '-k', ka, '--state-db', join(dir, `${node}.db`)], { TANDEM_RUN_DIR: join(dir, node) });
    return { proxy: tandemd, vrrp: tandemd };
  }
  // The seed's check is `killall -0 haproxy`; in one lab both nodes share a PID namespace, so the check looks at
  // this node's own HAProxy through its pidfile instead.
  const pidfile = join(dir, `${node}-haproxy.pid`);
  const check = join(dir, `${node}-chk-haproxy.sh`);
  writeFileSync(check, `#!/bin/sh\nkill -0 "$(cat ${pidfile})" 2>/dev/null\n`, { mode: 0o755 });
  writeFileSync(ka, keepalivedConfig(node, version, check));
  // HAProxy in the foreground (-db) writes no pidfile; `ip netns exec` keeps the PID, so the drill writes it.
  const haproxy = startIn(node, 'haproxy', ['-db', '-f', hap]);
  writeFileSync(pidfile, `${haproxy.pid}\n`);
  const keepalived = startIn(node, 'keepalived', ['-n', '-l', '-D', '-P', '-f', ka, '-p', join(dir, `${node}-ka.pid`), '-r', join(dir, `${node}-vrrp.pid`)]);
  return { proxy: haproxy, vrrp: keepalived };
}

/** The VRRP process tandemd forks (so "proxy killed" can spare it and "daemon SIGKILL" can include it). */
function childrenOf(pid) {
  try {
    return sh('ps', ['--ppid', String(pid), '-o', 'pid=']).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

function killNode(n, signal, parts) {
  // Remember tandemd's VRRP process: if it outlives its parent, the restart must end it first (by its PID).
  if (n.vrrp === n.proxy) n.forked = childrenOf(n.proxy.pid);
  for (const part of parts) {
    const child = n[part];
    // The VRRP speaker's own children first (tandemd's VRRP process; keepalived's VRRP child, which would otherwise
    // send a priority-0 advert when its parent dies and turn "box loss" into a clean stop).
    if (part === 'vrrp') for (const pid of childrenOf(child.pid)) process.kill(pid, signal);
    if (part !== 'vrrp' || n.vrrp !== n.proxy) stop(child, signal);
  }
}

function startGarpCapture() {
  // Gratuitous ARPs for the VIP, seen on the lab's bridge.
  const child = spawn('ip', ['netns', 'exec', ns('sw'), 'tcpdump', '-l', '-n', '-i', 'br0', 'arp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  child.garps = 0;
  const vip = VIP.replaceAll('.', '\\.');
  const garp = new RegExp(`who-has ${vip} (\\([^)]*\\) )?tell ${vip}\\b|Reply ${vip} is-at`);
  let rest = '';
  child.stdout.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    // tcpdump prints `Request who-has VIP (ff:ff:ff:ff:ff:ff) tell VIP` for a gratuitous request.
    for (const l of lines) if (garp.test(l)) child.garps++;
  });
  started.push(child);
  return child;
}

function parseProbes(output) {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

/** The longest stretch without a successful probe, from the first failure after `from` until the next success. */
function longestOutage(probes, from, to) {
  let longest = 0;
  let failingSince;
  for (const p of probes) {
    if (p.t < from || p.t > to) continue;
    if (!p.ok && failingSince === undefined) failingSince = p.t;
    if (p.ok && failingSince !== undefined) {
      longest = Math.max(longest, p.t - failingSince);
      failingSince = undefined;
    }
  }
  if (failingSince !== undefined) longest = Math.max(longest, to - failingSince);
  return longest;
}

async function restartNode(ctx) {
  for (const child of new Set([ctx.lb1.proxy, ctx.lb1.vrrp])) {
    stop(child, 'SIGTERM');
    await exited(child, 5_000);
  }
  for (const pid of ctx.lb1.forked ?? []) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  ctx.lb1 = startNode('lb1', ctx.dir, ctx.version, ctx.stack);
}

const DRILLS = {
  // tandemd: its main process (the data plane) dies; incumbent: HAProxy dies, keepalived's track script notices.
  'proxy killed': {
    fault: (ctx) => killNode(ctx.lb1, 'SIGKILL', ['proxy']),
    repair: restartNode,
  },
  // tandemd: SIGTERM; incumbent: keepalived and HAProxy stopped (systemctl stop).
  'clean stop': {
    fault: (ctx) => (ctx.stack === 'tandem' ? stop(ctx.lb1.proxy, 'SIGTERM') : killNode(ctx.lb1, 'SIGTERM', ['vrrp', 'proxy'])),
    repair: restartNode,
  },
  // Every process of the node killed at once: the backup learns only from the missing adverts.
  'daemon SIGKILL': {
    fault: (ctx) => killNode(ctx.lb1, 'SIGKILL', ['vrrp', 'proxy']),
    repair: restartNode,
  },
  // tandemd only: `tandemctl vrrp handover` on lb1's master CLI socket (unix sockets are not namespaced). keepalived
  // has no handover command; its usual planned switchover is stopping keepalived on the master = 'clean stop'.
  // Failback: `vrrp handover cancel`, after which lb1 (110) preempts lb2 (100) after its Master_Down_Interval.
  'planned switchover': {
    tandemOnly: 'n/a (clean stop)',
    fault: (ctx) => ctl(ctx, 'lb1', ['vrrp', 'handover']),
    repair: (ctx) => ctl(ctx, 'lb1', ['vrrp', 'handover', 'cancel']),
  },
  'link down': {
    fault: () => sh('ip', ['-n', ns('lb1'), 'link', 'set', 'eth0', 'down']),
    repair: () => sh('ip', ['-n', ns('lb1'), 'link', 'set', 'eth0', 'up']),
  },
};

/** `tandemctl -S <node's master socket> <words>` from the host side; resolves with its output (also kept on ctx). */
function ctl(ctx, node, words) {
  const child = spawn(process.execPath, [TANDEMCTL, '-S', join(ctx.dir, node, 'master.sock'), ...words], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.once('exit', () => {
    (ctx.ctlLog ??= []).push(`tandemctl ${words.join(' ')}: ${out.trim()}`);
    resolve(out);
  }));
}

async function runDrill(name, drill, ctx) {
  // Steady state: lb1 holds the VIP, lb2 is up, the VIP answers.
  if (!(await waitFor(() => hasVip('lb1') && !hasVip('lb2'), 15_000, 20))) throw new Error(`${name}: lb1 never held the VIP alone`);
  await sleep(1500);
  const garps = startGarpCapture();
  await sleep(300);
  const probeMs = 22_000;
  const prober = startIn('client', process.execPath, [join(HERE, 'probe.mjs'), VIP, '80', String(probeMs)]);
  await sleep(1000);
  const garpsBefore = garps.garps;
  const tFault = Date.now();
  drill.fault(ctx);
  const tMoved = await waitFor(() => hasVip('lb2'), 15_000);
  if (!tMoved) console.error(`${name}: the VIP never moved; lb1's VRRP speaker said:\n${ctx.lb1.vrrp.output.slice(-3000)}\nlb2's:\n${ctx.lb2.vrrp.output.slice(-3000)}`);
  await sleep(4000);
  const garpsAfterFault = garps.garps - garpsBefore;
  const tRepair = Date.now();
  await drill.repair(ctx);
  const tBack = await waitFor(() => hasVip('lb1') && !hasVip('lb2'), 15_000, 10);
  await sleep(3000);
  stop(prober);
  await exited(prober, 2_000);
  stop(garps);
  const probes = parseProbes(prober.output);
  const faultWindow = probes.filter((p) => p.t >= tFault && p.t < tRepair);
  const failbackWindow = probes.filter((p) => p.t >= tRepair);
  return {
    stack: ctx.stack === 'tandem' ? 'tandemd' : 'HAProxy + keepalived',
    drill: name,
    vrrp: ctx.version === 2 ? 'v2, 1 s' : 'v3, 0.1 s',
    moved: tMoved ? `${tMoved - tFault} ms` : 'never (15 s)',
    outage: `${longestOutage(probes, tFault, tRepair)} ms`,
    failed: `${faultWindow.filter((p) => !p.ok).length}/${faultWindow.length}`,
    garps: String(garpsAfterFault),
    failback: tBack ? `${tBack - tRepair} ms` : 'never (15 s)',
    failbackErrors: `${failbackWindow.filter((p) => !p.ok).length}/${failbackWindow.length}`,
  };
}

/** `show vrrp` on a node: state and the receive counters of VI_1. */
async function showVrrp(ctx, node) {
  const out = await ctl(ctx, node, ['show', 'vrrp']);
  ctx.ctlLog = [];
  const state = /State: (\w+)/.exec(out)?.[1] ?? '?';
  const ok = Number(/\bok=(\d+)/.exec(out)?.[1] ?? 0);
  const rejected = [...out.matchAll(/\b([a-z-]+:[a-z-]+)=(\d+)/g)].map((m) => `${m[1]}=${m[2]}`);
  return { state, ok, rejected };
}

/** Timing under load: see the header. */
async function runLoad(ctx) {
  if (!(await waitFor(() => hasVip('lb1') && !hasVip('lb2'), 15_000, 20))) throw new Error('load: lb1 never held the VIP alone');
  await sleep(1500);
  // Every advert that reaches the backup's interface, with the kernel's receive timestamp.
  const capture = spawn('ip', ['netns', 'exec', ns('lb2'), 'tcpdump', '-l', '-n', '-tt', '-i', 'eth0', 'ip proto 112'], { stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(capture);
  const stamps = [];
  let rest = '';
  capture.stdout.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const l of lines) if (l.includes(`${LB.lb1} > 224.0.0.18`)) stamps.push(Number(l.split(' ')[0]) * 1000);
  });
  await sleep(500);
  const before = await showVrrp(ctx, 'lb2');
  const states = { lb1: [(await showVrrp(ctx, 'lb1')).state], lb2: [before.state] };
  let vipMoves = 0;
  let vipOnLb1 = true;
  const t0 = Date.now();
  const wrk = startIn('client', 'wrk', ['-t2', '-c200', `-d${loadSeconds}s`, `http://${VIP}/`]);
  let polling = true;
  const poller = (async () => {
    let last;
    while (polling) {
      for (const node of ['lb1', 'lb2']) {
        const s = await showVrrp(ctx, node);
        if (states[node].at(-1) !== s.state) states[node].push(s.state);
        if (node === 'lb2') last = s;
      }
      const on1 = hasVip('lb1') && !hasVip('lb2');
      if (on1 !== vipOnLb1) (vipMoves++, (vipOnLb1 = on1));
      await sleep(200);
    }
    return last;
  })();
  await exited(wrk, (loadSeconds + 15) * 1000);
  const elapsed = Date.now() - t0;
  polling = false;
  await poller;
  const after = await showVrrp(ctx, 'lb2');
  stop(capture);
  const inWindow = stamps.filter((t) => t >= t0 && t <= t0 + elapsed);
  let maxGap = 0;
  for (let i = 1; i < inWindow.length; i++) maxGap = Math.max(maxGap, inWindow[i] - inWindow[i - 1]);
  const transitions = states.lb1.length - 1 + states.lb2.length - 1;
  const summary = wrk.output.split('\n').filter((l) => /Requests\/sec|requests in|Socket errors|Non-2xx/.test(l)).map((l) => l.trim());
  return {
    vrrp: ctx.version === 2 ? 'v2, 1 s' : 'v3, 0.1 s',
    seconds: Math.round(elapsed / 1000),
    advertsReceived: after.ok - before.ok,
    advertsOnWire: inWindow.length,
    expected: Math.round(elapsed / (ctx.version === 2 ? 1000 : 100)),
    maxGapMs: Math.round(maxGap),
    transitions,
    states: `lb1 ${states.lb1.join('>')}, lb2 ${states.lb2.join('>')}`,
    vipMoves,
    rejected: after.rejected.join(' ') || 'none',
    wrk: summary.join('; '),
  };
}

async function main() {
  if (process.getuid?.() !== 0) {
    console.error('drill.mjs: needs root (network namespaces)');
    process.exit(2);
  }
  const lab = join(HERE, 'lab.sh');
  execFileSync('bash', [lab, 'down', P], { stdio: 'ignore' });
  execFileSync('bash', [lab, 'up', P], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'tandem-drill-'));
  const rows = [];
  try {
    for (const [name, ip] of BACKENDS) startIn(name, process.execPath, [join(HERE, 'backend.mjs'), ip, '8080', name]);
    for (const stack of stacks) for (const version of versions) {
      const ctx = { dir, version, stack };
      ctx.lb1 = startNode('lb1', dir, version, stack);
      await sleep(300);
      ctx.lb2 = startNode('lb2', dir, version, stack);
      if (loadMode) {
        const r = await runLoad(ctx);
        console.log(JSON.stringify(r));
        console.log(`\nload: ${r.seconds} s of wrk -t2 -c200 against the VIP (VRRP ${r.vrrp}): adverts received by the backup ${r.advertsReceived} (on its wire ${r.advertsOnWire}, expected ~${r.expected}), longest gap ${r.maxGapMs} ms, transitions ${r.transitions} (${r.states}), VIP moves ${r.vipMoves}, rejected ${r.rejected}\nwrk: ${r.wrk}`);
        const all = [...new Set([ctx.lb1.proxy, ctx.lb1.vrrp, ctx.lb2.proxy, ctx.lb2.vrrp])];
        for (const child of all) stop(child);
        await Promise.all(all.map((c) => exited(c, 5_000)));
        continue;
      }
      for (const [name, drill] of Object.entries(DRILLS)) {
        if (only.length && !only.includes(name)) continue;
        if (drill.tandemOnly && stack !== 'tandem') {
          const na = drill.tandemOnly;
          rows.push({ stack: 'HAProxy + keepalived', drill: name, vrrp: version === 2 ? 'v2, 1 s' : 'v3, 0.1 s', moved: na, outage: na, failed: na, garps: na, failback: na, failbackErrors: na });
          continue;
        }
        const row = await runDrill(name, drill, ctx);
        if (ctx.ctlLog?.length) console.error(ctx.ctlLog.splice(0).join('\n'));
        rows.push(row);
        console.log(JSON.stringify(row));
      }
      const all = [...new Set([ctx.lb1.proxy, ctx.lb1.vrrp, ctx.lb2.proxy, ctx.lb2.vrrp])];
      for (const child of all) stop(child);
      await Promise.all(all.map((c) => exited(c, 5_000)));
    }
  } finally {
    for (const child of started) stop(child);
    await Promise.all(started.map((c) => exited(c, 3_000)));
    for (const child of started) stop(child, 'SIGKILL');
    if (!keep) execFileSync('bash', [lab, 'down', P], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
  if (loadMode) return;
  console.log('\n| stack | drill | VRRP | fault → VIP on lb2 | longest client outage | failed requests | GARPs seen | failback (VIP back on lb1) | failback errors |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.stack} | ${r.drill} | ${r.vrrp} | ${r.moved} | ${r.outage} | ${r.failed} | ${r.garps} | ${r.failback} | ${r.failbackErrors} |`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
