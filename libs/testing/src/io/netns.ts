/**
 * Network-namespace labs for VRRP tests (libs/vrrp integration specs and tandemd's vrrp scenarios): shell helpers,
 * pair and bridge labs in 198.18.0.0/15 (RFC 2544, no route out), address and neighbour probes, and processes run
 * inside a namespace and stopped by PID. Nothing touches the host's interfaces: every veth is created inside a lab
 * namespace with its peer moved into another.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { TANDEMD_MAIN } from './tandemd-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function sh(file: string, args: readonly string[]): string {
  return execFileSync(file, [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function trySh(file: string, args: readonly string[]): { ok: boolean; out: string } {
  const r = spawnSync(file, [...args], { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Why namespaces cannot be created here (not root, `ip netns` broken), or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  if (!trySh('ip', ['netns', 'list']).ok) return '`ip netns` does not work here';
  return undefined;
}

/**
 * Why a keepalived interop lab cannot run here, or undefined when it can: root, `ip netns`, keepalived. `npm test`
 * (scripts/test.sh) installs keepalived through apt-get, so in CI (root) this runs; elsewhere the skip message says
 * what is missing.
 */
export function labUnavailable(): string | undefined {
  return netnsUnavailable() ?? (trySh('keepalived', ['--version']).ok ? undefined : 'keepalived is not installed (npm test installs it with apt-get)');
}

/** True when `address` is configured on `dev` in namespace `ns` (`ip -n <ns> -4|-6 -o addr show dev <dev>`). */
export function hasAddress(ns: string, dev: string, address: string, family: 4 | 6 = 4): boolean {
  const r = trySh('ip', ['-n', ns, `-${family}`, '-o', 'addr', 'show', 'dev', dev]);
  return r.ok && r.out.split('\n').some((l) => l.includes(` ${address}/`));
}

/** The link-layer address of `address` in `ns`'s neighbour table, or undefined (`ip -n <ns> neigh`). */
export function neighbourMac(ns: string, dev: string, address: string): string | undefined {
  const r = trySh('ip', ['-n', ns, 'neigh', 'show', address, 'dev', dev]);
  return r.ok ? /lladdr ([0-9a-f:]{17})/.exec(r.out)?.[1] : undefined;
}

export interface PairLab {
  readonly a: string;
  readonly b: string;
  readonly dev: string;
  destroy(): void;
}

/** Creates namespaces `<prefix>-a` and `<prefix>-b`, each with `eth0` (198.18.3.1/24 and 198.18.3.2/24). */
export function createPairLab(prefix: string): PairLab {
  const a = `${prefix}-a`;
  const b = `${prefix}-b`;
  const dev = 'eth0';
  const destroy = (): void => {
    for (const ns of [a, b]) trySh('ip', ['netns', 'del', ns]);
  };
  try {
    sh('ip', ['netns', 'add', a]);
    sh('ip', ['netns', 'add', b]);
    sh('ip', ['-n', a, 'link', 'add', dev, 'type', 'veth', 'peer', 'name', dev, 'netns', b]);
    for (const [ns, addr, mac] of [[a, '198.18.3.1/24', '02:00:c6:12:03:01'], [b, '198.18.3.2/24', '02:00:c6:12:03:02']] as const) {
      upWithAddress(ns, dev, addr, mac);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return { a, b, dev, destroy };
}

/** lo up, `dev` with its MAC and IPv4 address, `dev` up. */
function upWithAddress(ns: string, dev: string, addr: string, mac: string): void {
  sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  sh('ip', ['-n', ns, 'link', 'set', dev, 'address', mac]);
  sh('ip', ['-n', ns, 'addr', 'add', addr, 'dev', dev]);
  sh('ip', ['-n', ns, 'link', 'set', dev, 'up']);
}

export interface BridgeLab extends PairLab {
  /** The client namespace (198.18.3.3/24). */
  readonly c: string;
  readonly macs: { readonly a: string; readonly b: string; readonly c: string };
}

/**
 * Three namespaces on one bridge: `<prefix>-a` (198.18.3.1), `<prefix>-b` (198.18.3.2) and a client `<prefix>-c`
 * (198.18.3.3), each with `eth0`, joined by `br0` in `<prefix>-s`. Used to watch GARPs move the client's
 * neighbour entry.
 */
export function createBridgeLab(prefix: string): BridgeLab {
  const [a, b, c, s] = ['a', 'b', 'c', 's'].map((x) => `${prefix}-${x}`) as [string, string, string, string];
  const dev = 'eth0';
  const macs = { a: '02:00:c6:12:03:01', b: '02:00:c6:12:03:02', c: '02:00:c6:12:03:03' };
  const destroy = (): void => {
    for (const ns of [a, b, c, s]) trySh('ip', ['netns', 'del', ns]);
  };
  try {
    for (const ns of [a, b, c, s]) sh('ip', ['netns', 'add', ns]);
    sh('ip', ['-n', s, 'link', 'add', 'br0', 'type', 'bridge']);
    sh('ip', ['-n', s, 'link', 'set', 'br0', 'up']);
    for (const [ns, port, addr, mac] of [[a, 'pa', '198.18.3.1/24', macs.a], [b, 'pb', '198.18.3.2/24', macs.b], [c, 'pc', '198.18.3.3/24', macs.c]] as const) {
      sh('ip', ['-n', s, 'link', 'add', port, 'type', 'veth', 'peer', 'name', dev, 'netns', ns]);
      sh('ip', ['-n', s, 'link', 'set', port, 'master', 'br0']);
      sh('ip', ['-n', s, 'link', 'set', port, 'up']);
      upWithAddress(ns, dev, addr, mac);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return { a, b, c, dev, macs, destroy };
}

/** Deletes the namespaces, ignoring those that do not exist. */
export function deleteNamespaces(names: readonly string[]): void {
  for (const ns of names) trySh('ip', ['netns', 'del', ns]);
}

/**
 * Polls `cond` every 20 ms; resolves with the milliseconds it took, or rejects after `ms` naming `what` (a string or
 * a function, called only on failure, that can include logs).
 */
export async function pollUntil(cond: () => boolean, ms: number, what?: string | (() => string)): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (cond()) return Date.now() - start;
    await sleep(20);
  }
  throw new Error(what === undefined ? `condition not met within ${ms} ms` : `${typeof what === 'string' ? what : what()}: not within ${ms} ms`);
}

/** A child's output as lines, and a wait for a line matching `re` (from line `from` on). */
export interface WatchedOutput {
  readonly lines: string[];
  waitFor(re: RegExp, ms: number, from?: number): Promise<number>;
}

/** Collects a child's stdout and stderr as lines; `waitFor` polls every `pollMs`. */
export function watchLines(child: ChildProcess, pollMs = 20): WatchedOutput {
  const lines: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    lines,
    async waitFor(re, ms, from = 0) {
      const start = Date.now();
      while (Date.now() - start < ms) {
        if (lines.slice(from).some((l) => re.test(l))) return Date.now() - start;
        await sleep(pollMs);
      }
      throw new Error(`timed out after ${ms} ms waiting for ${re}; output:\n${lines.join('\n')}`);
    },
  };
}

/** SIGTERM by PID, then SIGKILL if the child has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  await Promise.race([exited, sleep(graceMs)]);
  if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
}

/** A spawned process with its whole output kept as one string. */
export interface LoggedProcess {
  readonly child: ChildProcess;
  log(): string;
  readonly exited: Promise<number | null>;
}

export function spawnLogged(file: string, args: readonly string[], cwd?: string): LoggedProcess {
  const child = spawn(file, [...args], { ...(cwd !== undefined ? { cwd } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, log: () => out, exited };
}

/** SIGTERM by PID, then SIGKILL if it has not exited within 5 s. */
export async function stopLogged(p: LoggedProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null || p.child.pid === undefined) return;
  process.kill(p.child.pid, 'SIGTERM');
  const done = await Promise.race([p.exited.then(() => true), sleep(5000).then(() => false)]);
  if (!done && p.child.exitCode === null) process.kill(p.child.pid, 'SIGKILL');
}

/** tandemd run inside `ns` (`ip netns exec`) with a haproxy config, a keepalived config, a CLI socket and a state db. */
export function spawnTandemdInNetns(ns: string, files: { haproxy: string; keepalived: string; socket: string; stateDb: string }, cwd: string): LoggedProcess {
  return spawnLogged('ip', ['netns', 'exec', ns, process.execPath, TANDEMD_MAIN, '-f', files.haproxy, '-k', files.keepalived, '-S', files.socket, '--state-db', files.stateDb], cwd);
}

/** `ip` arguments that run keepalived in the foreground inside `ns` with the given config and pid files. */
export function keepalivedArgs(ns: string, conf: string, pidFile: string, vrrpPidFile: string): string[] {
  return ['netns', 'exec', ns, 'keepalived', '-n', '-l', '-D', '-P', '-f', conf, '-p', pidFile, '-r', vrrpPidFile];
}
