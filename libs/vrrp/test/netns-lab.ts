/**
 * A two-namespace lab for VRRP integration tests: A <-veth-> B, addresses in 198.18.0.0/15 (RFC 2544), no route
 * out. Nothing touches the host's interfaces: the veth pair is created inside A with its peer moved into B.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export function sh(file: string, args: readonly string[]): string {
  return execFileSync(file, [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function trySh(file: string, args: readonly string[]): { ok: boolean; out: string } {
  const r = spawnSync(file, [...args], { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
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
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['-n', ns, 'link', 'set', dev, 'address', mac]);
      sh('ip', ['-n', ns, 'addr', 'add', addr, 'dev', dev]);
      sh('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return { a, b, dev, destroy };
}

/** True when `address` is configured on `dev` in namespace `ns`. */
export function hasAddress(ns: string, dev: string, address: string): boolean {
  const r = trySh('ip', ['-n', ns, '-4', '-o', 'addr', 'show', 'dev', dev]);
  return r.ok && r.out.split('\n').some((l) => l.includes(` ${address}/`));
}

/**
 * Why the lab cannot run here, or undefined when it can: root, `ip netns`, keepalived. `npm test` (scripts/test.sh)
 * installs keepalived through apt-get, so in CI (root) this runs; elsewhere the skip message says what is missing.
 */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  if (!trySh('ip', ['netns', 'list']).ok) return '`ip netns` does not work here';
  if (!trySh('keepalived', ['--version']).ok) return 'keepalived is not installed (npm test installs it with apt-get)';
  return undefined;
}

export interface BridgeLab extends PairLab {
  /** The client namespace (198.18.3.3/24). */
  readonly c: string;
  readonly macs: { readonly a: string; readonly b: string; readonly c: string };
}

/**
 * Three namespaces on one bridge: `<prefix>-a` (198.18.3.1), `<prefix>-b` (198.18.3.2) and a client `<prefix>-c`
 * (198.18.3.3), each with `eth0`, joined by `br0` in `<prefix>-s`. Used to watch GARPs move the client's
 * neighbour entry. Nothing touches the host: every veth is created inside `-s` and its peer moved away.
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
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['-n', ns, 'link', 'set', dev, 'address', mac]);
      sh('ip', ['-n', ns, 'addr', 'add', addr, 'dev', dev]);
      sh('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return { a, b, c, dev, macs, destroy };
}

/** The link-layer address of `address` in `ns`'s neighbour table, or undefined (`ip -n <ns> neigh`). */
export function neighbourMac(ns: string, dev: string, address: string): string | undefined {
  const r = trySh('ip', ['-n', ns, 'neigh', 'show', address, 'dev', dev]);
  return r.ok ? /lladdr ([0-9a-f:]{17})/.exec(r.out)?.[1] : undefined;
}
