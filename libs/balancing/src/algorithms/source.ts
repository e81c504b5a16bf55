import type { BalancedServer, BalancingAlgorithm, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { ConsistentRing } from '../consistent-ring.js';
import { mix32, sdbm } from '../hash.js';
import { candidates } from '../rotation.js';

/**
 * `balance source`: the client's IP address is hashed, so one client keeps reaching the same server.
 * `hash-type map-based` (the default): hash modulo the total weight over a weighted map; any change of the server
 * set reshuffles most clients. `hash-type consistent`: a ring, so a change moves only the clients of the server
 * that changed.
 */
class SourceHashSelector implements Selector {
  private readonly map: BalancedServer[] = [];
  private readonly ring?: ConsistentRing;

  constructor(servers: readonly BalancedServer[], options: SelectorOptions) {
    const pool = candidates(servers, options).sort((a, b) => a.id - b.id);
    if (options.config.hashType === 'consistent') this.ring = new ConsistentRing(pool);
    else for (const s of pool) for (let i = 0; i < s.weight; i++) this.map.push(s);
  }

  select(request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    const key = mix32(sdbm(request.clientAddress ?? ''));
    if (this.ring) return this.ring.lookup(key, isEligible);
    const n = this.map.length;
    for (let k = 0; k < n; k++) {
      const server = this.map[(key + k) % n]!;
      if (isEligible(server)) return server;
    }
    return undefined;
  }

  connectionStarted(): void {}

  connectionEnded(): void {}
}

export const sourceHash: BalancingAlgorithm = {
  name: 'source',
  build: (servers, options) => new SourceHashSelector(servers, options),
};
