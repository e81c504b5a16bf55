import type { BalancedServer, BalancingAlgorithm, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from '../balancing.types.js';
import { candidates } from '../rotation.js';

/**
 * `balance random[(<draws>)]`: draw `draws` servers at random (weighted), keep the one with the fewest active
 * connections (power of two choices with the default 2 draws).
 */
class RandomSelector implements Selector {
  private readonly servers: BalancedServer[];
  private readonly totalWeight: number;
  private readonly active = new Map<number, number>();

  constructor(servers: readonly BalancedServer[], options: SelectorOptions, private readonly draws: number, private readonly random: () => number) {
    this.servers = candidates(servers, options);
    this.totalWeight = this.servers.reduce((sum, s) => sum + s.weight, 0);
    for (const s of this.servers) this.active.set(s.id, options.activeConnections?.get(s.id) ?? 0);
  }

  select(_request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    const eligible = this.servers.filter(isEligible);
    if (eligible.length === 0) return undefined;
    const total = eligible === this.servers ? this.totalWeight : eligible.reduce((sum, s) => sum + s.weight, 0);
    let best: BalancedServer | undefined;
    for (let d = 0; d < this.draws; d++) {
      let point = this.random() * total;
      let pick = eligible[eligible.length - 1]!;
      for (const s of eligible) {
        point -= s.weight;
        if (point < 0) {
          pick = s;
          break;
        }
      }
      if (!best || (this.active.get(pick.id) ?? 0) < (this.active.get(best.id) ?? 0)) best = pick;
    }
    return best;
  }

  connectionStarted(server: BalancedServer): void {
    this.active.set(server.id, (this.active.get(server.id) ?? 0) + 1);
  }

  connectionEnded(server: BalancedServer): void {
    this.active.set(server.id, Math.max(0, (this.active.get(server.id) ?? 0) - 1));
  }
}

export const randomDraws: BalancingAlgorithm = {
  name: 'random',
  build(servers, options) {
    const draws = Number(options.config.args[0] ?? 2);
    return new RandomSelector(servers, options, Number.isInteger(draws) && draws > 0 ? draws : 2, options.random ?? Math.random);
  },
};
