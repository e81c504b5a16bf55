/**
 * VipPort through iproute2: `ip addr add|del <vip>/<prefix> dev <if> [label <l>]` (IPv6: `ip -6 addr add … nodad`),
 * run with execFile (no shell).
 * Adding a present address ("File exists") and deleting an absent one ("Cannot assign requested address" / "Address not found") are
 * not errors, so `removeLeftovers` at start and a repeated add are safe. Netlink directly is a later step.
 */
import { execFile } from 'node:child_process';
import type { VipPort, VirtualIp } from '../vrrp-transport.types.js';

export type CommandRunner = (file: string, args: readonly string[]) => Promise<{ code: number; stderr: string }>;

export const execFileRunner: CommandRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: 5000 }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stderr: String(stderr || (error && code !== 0 ? error.message : '')) });
    });
  });

function vipArgs(op: 'add' | 'del', vip: VirtualIp): string[] {
  const v6 = vip.address.includes(':');
  const args = [...(v6 ? ['-6'] : []), 'addr', op, `${vip.address}/${vip.prefixLength}`, 'dev', vip.dev];
  if (op === 'add' && vip.label && !v6) args.push('label', vip.label); // labels are IPv4-only in Linux
  // IPv6: no Duplicate Address Detection (the address would stay tentative, unusable, for ~1 s; keepalived sets
  // IFA_F_NODAD too): the VRRP election already decided who owns it.
  if (op === 'add' && v6) args.push('nodad');
  return args;
}

export class IpCommandVipManager implements VipPort {
  constructor(private readonly run: CommandRunner = execFileRunner, private readonly ipBinary = 'ip') {}

  async add(vips: readonly VirtualIp[]): Promise<void> {
    for (const vip of vips) {
      const r = await this.run(this.ipBinary, vipArgs('add', vip));
      if (r.code !== 0 && !/File exists/i.test(r.stderr)) throw new Error(`ip addr add ${vip.address} on ${vip.dev}: ${r.stderr.trim()}`);
    }
  }

  async remove(vips: readonly VirtualIp[]): Promise<void> {
    const failures: string[] = [];
    for (const vip of vips) {
      const r = await this.run(this.ipBinary, vipArgs('del', vip));
      if (r.code !== 0 && !/Cannot assign requested address|Address not found/i.test(r.stderr)) failures.push(`${vip.address}: ${r.stderr.trim()}`);
    }
    if (failures.length) throw new Error(`ip addr del: ${failures.join('; ')}`);
  }

  /** Removes addresses a previous run may have left behind (a crash while Master). */
  removeLeftovers(vips: readonly VirtualIp[]): Promise<void> {
    return this.remove(vips);
  }
}
