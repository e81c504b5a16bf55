/**
 * GarpPort through iputils `arping -U -c 1 -I <if> <vip>` (unsolicited ARP, sender = target = the VIP). The
 * byte-exact AF_PACKET sender built from wire/arp.codec.ts is a later step; this fallback needs no addon.
 */
import { execFileRunner, type CommandRunner } from './vip-manager.js';
import type { GarpPort, VirtualIp } from '../vrrp-transport.types.js';

export class ArpingGarp implements GarpPort {
  constructor(private readonly run: CommandRunner = execFileRunner, private readonly arpingBinary = 'arping') {}

  async announce(vip: VirtualIp): Promise<void> {
    const r = await this.run(this.arpingBinary, ['-U', '-c', '1', '-I', vip.dev, vip.address]);
    // iputils arping exits 1 when no reply came back, which is normal for an unsolicited ARP.
    if (r.code !== 0 && r.code !== 1) throw new Error(`arping ${vip.address} on ${vip.dev}: exit ${r.code} ${r.stderr.trim()}`);
  }
}
