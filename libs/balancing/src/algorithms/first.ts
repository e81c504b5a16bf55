import type { BalancedServer, BalancingAlgorithm, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { candidates } from '../rotation.js';

/**
 * `balance first`: the first server by id that has a free slot. Servers fill in id order up to their maxconn
 * (the proxy's eligibility filter says when one is full), so the others can be powered down.
 */
class FirstAvailableSelector implements Selector {
  private readonly servers: BalancedServer[];

  constructor(servers: readonly BalancedServer[], options: SelectorOptions) {
    this.servers = candidates(servers, options).sort((a, b) => a.id - b.id);
  }

  select(_request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    return this.servers.find(isEligible);
  }

  connectionStarted(): void {}

  connectionEnded(): void {}
}

export const firstAvailable: BalancingAlgorithm = {
  name: 'first',
  build: (servers, options) => new FirstAvailableSelector(servers, options),
};
