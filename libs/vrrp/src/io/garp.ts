/**
 * GarpPort through iputils `arping -U -c 1 -I <if> <vip>` (unsolicited ARP, sender = target = the VIP). The
 * byte-exact AF_PACKET sender built from wire/arp.codec.ts is a later step; this fallback needs no addon.
 *
 * iputils arping prints its `ARPING …` banner, sends at once, then waits about a second for replies that an
 * unsolicited ARP never gets. `announce` therefore resolves when the frame is out (first output line, or 100 ms
 * at the latest), not when arping exits, so the runner's next advert is not held up; a failing arping rejects.
 */
import { spawn } from 'node:child_process';
import type { GarpPort, VirtualIp } from '../vrrp-transport.types.js';

export class ArpingGarp implements GarpPort {
  constructor(private readonly arpingBinary = 'arping', private readonly sentAfterMs = 100) {}

  announce(vip: VirtualIp): Promise<void> {
    return new Promise((resolve, reject) => {
      let stderr = '';
      const child = spawn(this.arpingBinary, ['-U', '-c', '1', '-I', vip.dev, vip.address], { stdio: ['ignore', 'pipe', 'pipe'] });
      const timer = setTimeout(resolve, this.sentAfterMs);
      child.stdout.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdout.resume();
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // iputils arping exits 1 when no reply came back, which is normal for an unsolicited ARP.
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0 || code === 1) resolve();
        else reject(new Error(`arping ${vip.address} on ${vip.dev}: exit ${code} ${stderr.trim()}`));
      });
    });
  }
}
