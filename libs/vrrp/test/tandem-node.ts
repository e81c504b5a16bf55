/**
 * One Tandem VRRP instance as a process, for the interop test: `ip netns exec <ns> node tandem-node.js <conf>`.
 * Reads a keepalived-format config (first vrrp_instance), runs it with the real ports, prints one JSON line per
 * state change / error, and on SIGTERM stops (priority-0 advert, VIPs removed) and prints its receive counters.
 */
import { networkInterfaces } from 'node:os';
import { SystemClock } from '@tandem/core';
import { loadKeepalivedConfig } from '@tandem/config';
import { ArpingGarp, InstanceRunner, IpCommandVipManager, RawVrrpSocket, runnerSettingsFromKeepalived } from '@tandem/vrrp';

const out = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: tandem-node <keepalived.conf>');
  const parsed = loadKeepalivedConfig(path);
  const inst = parsed.config?.instances[0];
  if (!inst) throw new Error(`no vrrp_instance: ${JSON.stringify(parsed.diagnostics)}`);
  // libuv lists an interface only once it is RUNNING (carrier up): a fresh veth may need a moment.
  let addr = networkInterfaces()[inst.interface]?.find((a) => a.family === 'IPv4');
  for (let i = 0; !addr && i < 60; i++) {
    await new Promise((r) => setTimeout(r, 50));
    addr = networkInterfaces()[inst.interface]?.find((a) => a.family === 'IPv4');
  }
  if (!addr) throw new Error(`no IPv4 address on ${inst.interface}`);
  const prefixLength = Number(addr.cidr?.split('/')[1] ?? 24);
  const settings = runnerSettingsFromKeepalived(inst, inst.unicastSrcIp ?? addr.address);
  const vipPort = new IpCommandVipManager();
  await vipPort.removeLeftovers(settings.vips);
  const transport = new RawVrrpSocket({
    interface: inst.interface,
    address: addr.address,
    prefixLength,
    ...(inst.unicastPeers.length > 0 ? { unicastPeers: inst.unicastPeers.map((p) => p.address) } : {}),
    ...(inst.unicastSrcIp !== undefined ? { unicastSrcIp: inst.unicastSrcIp } : {}),
    expect: {
      version: settings.config.version,
      vrid: settings.config.vrid,
      ...(settings.auth ? { authType: settings.auth.type, authData: settings.auth.data, advertIntervalSec: settings.config.advertIntervalCs / 100 } : {}),
    },
  });
  const runner = new InstanceRunner({ name: inst.name, ...settings, transport, vipPort, garp: new ArpingGarp(), clock: new SystemClock() });
  runner.onEvent((e) => {
    if (e.type === 'state') out({ event: 'state', from: e.from, to: e.to });
    if (e.type === 'error') out({ event: 'error', action: e.action, error: e.error });
  });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await runner.stop();
    out({ event: 'stopped', counters: transport.counters() });
    await transport.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  runner.start();
  out({ event: 'started', address: addr.address, state: runner.state });
}

main().catch((error: unknown) => {
  out({ event: 'fatal', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
