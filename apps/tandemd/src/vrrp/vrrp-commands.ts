import type { CommandRegistry } from '@tandem/control';
import type { InstanceView } from './vrrp-messages.types.js';

/** Text of `show vrrp`: one block per instance, keepalived-like field names. Pure. */
export function formatShowVrrp(instances: readonly InstanceView[]): string {
  if (instances.length === 0) return 'No VRRP instance.\n';
  const out: string[] = [];
  for (const i of instances) {
    out.push(
      `VRRP Instance: ${i.name}`,
      `  Interface: ${i.interface}`,
      `  Virtual Router ID: ${i.vrid}`,
      `  State: ${i.state}${i.fault ? ' (fault)' : ''}`,
      `  Priority: ${i.basePriority}`,
      `  Effective priority: ${i.effectivePriority}`,
      `  Master IP: ${i.masterIp || '-'}`,
      `  Virtual IP: ${i.vips.join(' ') || '-'}`,
    );
    for (const t of i.trackers) out.push(`  Tracked ${t.kind}: ${t.name} weight ${t.weight} ${t.ok ? 'OK' : 'FAILED'}`);
    const counters = Object.entries(i.counters).sort(([a], [b]) => a.localeCompare(b));
    out.push(`  Received: ${counters.length ? counters.map(([k, v]) => `${k}=${v}`).join(' ') : 'none'}`, '');
  }
  return `${out.join('\n')}\n`;
}

/** Registers `show vrrp` (ARCHITECTURE rule 15: the subsystem owns its command). */
export function registerVrrpCommands(registry: CommandRegistry, source: { show(): Promise<readonly InstanceView[]> } | undefined): void {
  registry.register({
    words: ['show', 'vrrp'],
    usage: 'show vrrp                               : VRRP instances: state, priorities, master, VIPs, receive counters',
    level: 'user',
    run: async () => (source ? formatShowVrrp(await source.show()) : 'VRRP is not configured (start tandemd with -k <keepalived.conf>).\n'),
  });
}
