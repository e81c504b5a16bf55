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
      `  Effective priority: ${i.effectivePriority}${i.handedOver ? ' (handed over: held until vrrp handover cancel)' : ''}`,
      `  Master IP: ${i.masterIp || '-'}`,
      `  Virtual IP: ${i.vips.join(' ') || '-'}`,
    );
    for (const t of i.trackers) out.push(`  Tracked ${t.kind}: ${t.name} weight ${t.weight} ${t.ok ? 'OK' : 'FAILED'}`);
    const counters = Object.entries(i.counters).sort(([a], [b]) => a.localeCompare(b));
    out.push(`  Received: ${counters.length ? counters.map(([k, v]) => `${k}=${v}`).join(' ') : 'none'}`, '');
  }
  return `${out.join('\n')}\n`;
}

export interface VrrpCommandSource {
  show(): Promise<readonly InstanceView[]>;
  handover(instance: string | undefined, cancel: boolean): Promise<string>;
}

/** Registers `show vrrp` and `vrrp handover` (ARCHITECTURE rule 15: the subsystem owns its commands). */
export function registerVrrpCommands(registry: CommandRegistry, source: VrrpCommandSource | undefined): void {
  const notConfigured = 'VRRP is not configured (start tandemd with -k <keepalived.conf>).\n';
  registry.register({
    words: ['vrrp', 'handover'],
    usage:
      'vrrp handover [cancel] [<instance>]     : planned switchover: a MASTER hands its VIPs over make-before-break and stays BACKUP at priority 1 until cancel or restart',
    level: 'admin',
    mutates: true,
    run: async (args) => {
      if (!source) return notConfigured;
      const cancel = args[0] === 'cancel';
      const rest = cancel ? args.slice(1) : args;
      if (rest.length > 1) return 'Usage: vrrp handover [cancel] [<instance>]\n';
      return source.handover(rest[0], cancel);
    },
  });
  registry.register({
    words: ['show', 'vrrp'],
    usage: 'show vrrp                               : VRRP instances: state, priorities, master, VIPs, receive counters',
    level: 'user',
    run: async () => (source ? formatShowVrrp(await source.show()) : notConfigured),
  });
}
