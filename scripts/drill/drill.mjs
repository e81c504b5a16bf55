#!/usr/bin/env node
// Failover drills for a tandemd pair in the namespace lab (lab.sh). Run it through run.sh, as root.
//
//   drill.mjs [--vrrp 2|3|both] [--only <drill>[,<drill>]] [--keep]
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
const P = 'dr';
const VIP = '198.18.0.100';
const LB = { lb1: '198.18.0.11', lb2: '198.18.0.12' };
const BACKENDS = [['be1', '198.18.0.21'], ['be2', '198.18.0.22'], ['be3', '198.18.0.23']];

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const versions = opt('--vrrp', 'both') === 'both' ? [2, 3] : [Number(opt('--vrrp'))];
const only = opt('--only', '')?.split(',').filter(Boolean) ?? [];
const keep = args.includes('--keep');

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
function keepalivedConfig(node, version) {
  const master = node === 'lb1';
  return `global_defs {
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
}
`;
}

function startNode(node, dir, version) {
  const hap = join(dir, `${node}.cfg`);
  const ka = join(dir, `${node}-v${version}.conf`);
  writeFileSync(hap, haproxyConfig());
  writeFileSync(ka, keepalivedConfig(node, version));
  return startIn(node, process.execPath, [TANDEMD, '-f', hap, '-k', ka, '--state-db', join(dir, `${node}.db`)], { TANDEM_RUN_DIR: join(dir, node) });
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

const DRILLS = {
  'daemon SIGKILL': {
    fault: (ctx) => stop(ctx.lb1, 'SIGKILL'),
    repair: (ctx) => { ctx.lb1 = startNode('lb1', ctx.dir, ctx.version); },
  },
  'daemon SIGTERM': {
    fault: (ctx) => stop(ctx.lb1, 'SIGTERM'),
    repair: (ctx) => { ctx.lb1 = startNode('lb1', ctx.dir, ctx.version); },
  },
  'link down': {
    fault: () => sh('ip', ['-n', ns('lb1'), 'link', 'set', 'eth0', 'down']),
    repair: () => sh('ip', ['-n', ns('lb1'), 'link', 'set', 'eth0', 'up']),
  },
};

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
    for (const version of versions) {
      const ctx = { dir, version };
      ctx.lb1 = startNode('lb1', dir, version);
      await sleep(300);
      ctx.lb2 = startNode('lb2', dir, version);
      for (const [name, drill] of Object.entries(DRILLS)) {
        if (only.length && !only.includes(name)) continue;
        const row = await runDrill(name, drill, ctx);
        rows.push(row);
        console.log(JSON.stringify(row));
      }
      stop(ctx.lb1);
      stop(ctx.lb2);
      await Promise.all([exited(ctx.lb1, 5_000), exited(ctx.lb2, 5_000)]);
    }
  } finally {
    for (const child of started) stop(child);
    await Promise.all(started.map((c) => exited(c, 3_000)));
    for (const child of started) stop(child, 'SIGKILL');
    if (!keep) execFileSync('bash', [lab, 'down', P], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\n| drill | VRRP | fault → VIP on lb2 | longest client outage | failed requests | GARPs seen | failback (VIP back on lb1) | failback errors |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.drill} | ${r.vrrp} | ${r.moved} | ${r.outage} | ${r.failed} | ${r.garps} | ${r.failback} | ${r.failbackErrors} |`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
