/**
 * LinkMonitorPort by polling sysfs (`/sys/class/net/<if>/operstate` and `carrier`), every 50 ms by default.
 * `ip netns exec` mounts the namespace's own /sys, so this sees the interfaces of the namespace we run in.
 * Up = operstate `up` (or `unknown`, which loopback/dummy/tun report) and carrier 1. Reading `carrier` of an
 * administratively down interface fails with EINVAL: that is down. A missing interface is down.
 */
import { readFileSync } from 'node:fs';
import type { LinkMonitorPort } from '../vrrp-transport.types.js';

/** Reads one sysfs attribute; throws when it cannot be read. */
export type SysfsReader = (path: string) => string;

const readSysfs: SysfsReader = (path) => readFileSync(path, 'utf8');

/** Pure over the reader: the link state as keepalived sees it (IFF_UP and IFF_RUNNING). */
export function linkIsUp(ifname: string, read: SysfsReader = readSysfs): boolean {
  if (!/^[^/\0]{1,15}$/.test(ifname) || ifname === '.' || ifname === '..') return false;
  try {
    const oper = read(`/sys/class/net/${ifname}/operstate`).trim();
    if (oper !== 'up' && oper !== 'unknown') return false;
    return read(`/sys/class/net/${ifname}/carrier`).trim() === '1';
  } catch {
    return false;
  }
}

export class SysfsLinkMonitor implements LinkMonitorPort {
  private readonly watched = new Map<string, { up: boolean; listeners: Set<(up: boolean) => void> }>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly pollMs = 50, private readonly read: SysfsReader = readSysfs) {}

  isUp(ifname: string): boolean {
    return linkIsUp(ifname, this.read);
  }

  watch(ifname: string, listener: (up: boolean) => void): () => void {
    let w = this.watched.get(ifname);
    if (!w) this.watched.set(ifname, (w = { up: this.isUp(ifname), listeners: new Set() }));
    w.listeners.add(listener);
    this.timer ??= setInterval(() => this.poll(), this.pollMs);
    this.timer.unref?.();
    return () => {
      w.listeners.delete(listener);
      if (w.listeners.size === 0) this.watched.delete(ifname);
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** One polling round (public for specs). */
  poll(): void {
    for (const [name, w] of this.watched) {
      const up = this.isUp(name);
      if (up === w.up) continue;
      w.up = up;
      for (const l of [...w.listeners]) l(up);
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }
}
