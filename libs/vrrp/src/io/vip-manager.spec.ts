import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IpCommandVipManager } from './vip-manager.js';
import { AddressAnnouncer, isIpv6 } from './ndisc.js';
import type { GarpPort, VirtualIp } from '../vrrp-transport.types.js';

test('ip commands: IPv4 with label; IPv6 with -6 and nodad (no label); "exists" / "not found" are not errors', async () => {
  const calls: string[] = [];
  const m = new IpCommandVipManager(async (file, args) => {
    calls.push([file, ...args].join(' '));
    return { code: 2, stderr: args.includes('add') ? 'RTNETLINK answers: File exists' : 'RTNETLINK answers: Cannot assign requested address' };
  });
  const vips: VirtualIp[] = [
    { address: '198.18.3.100', prefixLength: 24, dev: 'eth0', label: 'eth0:1' },
    { address: 'fd00:198:18::100', prefixLength: 64, dev: 'eth0', label: 'eth0:1' },
  ];
  await m.add(vips);
  await m.remove(vips);
  assert.deepEqual(calls, [
    'ip addr add 198.18.3.100/24 dev eth0 label eth0:1',
    'ip -6 addr add fd00:198:18::100/64 dev eth0 nodad',
    'ip addr del 198.18.3.100/24 dev eth0',
    'ip -6 addr del fd00:198:18::100/64 dev eth0',
  ]);
});

test('AddressAnnouncer: gratuitous ARP for IPv4 VIPs, unsolicited NA for IPv6 ones', async () => {
  const seen: string[] = [];
  const port = (kind: string): GarpPort => ({ announce: async (v) => void seen.push(`${kind} ${v.address}`) });
  const a = new AddressAnnouncer(port('garp'), port('na'));
  await a.announce({ address: '198.18.3.100', prefixLength: 24, dev: 'eth0' });
  await a.announce({ address: 'fd00:198:18::100', prefixLength: 64, dev: 'eth0' });
  assert.deepEqual(seen, ['garp 198.18.3.100', 'na fd00:198:18::100']);
  assert.equal(isIpv6('fe80::1'), true);
  assert.equal(isIpv6('198.18.0.1'), false);
});
