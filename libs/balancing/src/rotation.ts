import type { BalancedServer, SelectorOptions } from './balancing.types.js';

/**
 * HAProxy's backup rule, shared by every algorithm: while any active (non-backup) server is in rotation only the
 * actives are candidates; otherwise the first backup (lowest id), or every backup with `option allbackups`.
 * "In rotation" means the set the selector was built from (UP, weight > 0). Per-request eligibility (maxconn,
 * already tried) never brings backups in: HAProxy uses them only when no active server is UP.
 */
export function candidates(servers: readonly BalancedServer[], options: Pick<SelectorOptions, 'allBackups'>): BalancedServer[] {
  const usable = servers.filter((s) => s.weight > 0);
  const active = usable.filter((s) => !s.backup);
  if (active.length > 0) return active;
  const backups = usable.filter((s) => s.backup).sort((a, b) => a.id - b.id);
  return options.allBackups ? backups : backups.slice(0, 1);
}
