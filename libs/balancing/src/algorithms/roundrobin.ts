import type { BalancedServer, BalancingAlgorithm, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { candidates } from '../rotation.js';

/**
 * `balance roundrobin`: smooth weighted round robin. Each pick adds every eligible server's weight to its running
 * score, takes the highest (ties: declaration order) and subtracts the eligible total from it. Picks interleave
 * by weight instead of bursting (weights 1,1,2 give s3 s1 s2 s3, repeating), like HAProxy's lb_fwrr.
 * A server that is not eligible for this request (full, already tried) is skipped without gaining score.
 */
class SmoothRoundRobinSelector implements Selector {
  private readonly servers: BalancedServer[];
  private readonly score: number[];

  constructor(servers: readonly BalancedServer[], options: SelectorOptions) {
    this.servers = candidates(servers, options);
    this.score = this.servers.map(() => 0);
  }

  select(_request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    let total = 0;
    let best = -1;
    for (let i = 0; i < this.servers.length; i++) {
      const server = this.servers[i]!;
      if (!isEligible(server)) continue;
      this.score[i]! += server.weight;
      total += server.weight;
      if (best < 0 || this.score[i]! > this.score[best]!) best = i;
    }
    if (best < 0) return undefined;
    this.score[best]! -= total;
    return this.servers[best];
  }

  connectionStarted(): void {}

  connectionEnded(): void {}
}

export const roundRobin: BalancingAlgorithm = {
  name: 'roundrobin',
  build: (servers, options) => new SmoothRoundRobinSelector(servers, options),
};
