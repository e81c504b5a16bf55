import type { BalancedServer, BalancingAlgorithm, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { candidates } from '../rotation.js';

/**
 * `balance static-rr`: servers in turn by weight, from a fixed map of sum(weights) slots spread like HAProxy's
 * lb_map (the smooth weighted order, computed once). Unlike roundrobin, an ineligible server does not change the
 * order: the walk just moves to the next slot.
 */
class StaticRoundRobinSelector implements Selector {
  private readonly map: BalancedServer[] = [];
  private position = 0;

  constructor(servers: readonly BalancedServer[], options: SelectorOptions) {
    const pool = candidates(servers, options);
    const score = pool.map(() => 0);
    const total = pool.reduce((sum, s) => sum + s.weight, 0);
    for (let slot = 0; slot < total; slot++) {
      let best = 0;
      for (let i = 0; i < pool.length; i++) {
        score[i]! += pool[i]!.weight;
        if (score[i]! > score[best]!) best = i;
      }
      score[best]! -= total;
      this.map.push(pool[best]!);
    }
  }

  select(_request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    for (let tries = 0; tries < this.map.length; tries++) {
      const server = this.map[this.position]!;
      this.position = (this.position + 1) % this.map.length;
      if (isEligible(server)) return server;
    }
    return undefined;
  }

  connectionStarted(): void {}

  connectionEnded(): void {}
}

export const staticRoundRobin: BalancingAlgorithm = {
  name: 'static-rr',
  build: (servers, options) => new StaticRoundRobinSelector(servers, options),
};
