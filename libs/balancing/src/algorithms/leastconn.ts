import type { BalancedServer, BalancingAlgorithm, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { candidates } from '../rotation.js';

/**
 * `balance leastconn`: the server with the fewest active connections relative to its weight (connections/weight,
 * as HAProxy's lb_fwlc orders them); ties go round robin, so equal servers share new connections in turn.
 */
class LeastConnectionsSelector implements Selector {
  private readonly servers: BalancedServer[];
  private readonly active = new Map<number, number>();
  private lastPick = -1;

  constructor(servers: readonly BalancedServer[], options: SelectorOptions) {
    this.servers = candidates(servers, options);
    for (const s of this.servers) this.active.set(s.id, options.activeConnections?.get(s.id) ?? 0);
  }

  select(_request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    let best = -1;
    let bestLoad = Infinity;
    const n = this.servers.length;
    // Start after the last pick so ties rotate.
    for (let k = 1; k <= n; k++) {
      const i = (this.lastPick + k + n) % n;
      const server = this.servers[i]!;
      if (!isEligible(server)) continue;
      const load = (this.active.get(server.id) ?? 0) / server.weight;
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
      }
    }
    if (best < 0) return undefined;
    this.lastPick = best;
    return this.servers[best];
  }

  connectionStarted(server: BalancedServer): void {
    this.active.set(server.id, (this.active.get(server.id) ?? 0) + 1);
  }

  connectionEnded(server: BalancedServer): void {
    this.active.set(server.id, Math.max(0, (this.active.get(server.id) ?? 0) - 1));
  }
}

export const leastConnections: BalancingAlgorithm = {
  name: 'leastconn',
  build: (servers, options) => new LeastConnectionsSelector(servers, options),
};
