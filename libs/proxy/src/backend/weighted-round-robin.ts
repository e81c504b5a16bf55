import type { BalancedServer, EligibilityFilter, Selector, SelectionRequest } from '@tandem/balancing';

/**
 * Fallback selector: smooth weighted round robin (nginx's algorithm), used only when @tandem/balancing exposes no
 * registry. Deterministic: weights 1,1,2 give s3 s1 s2 s3 (then repeat), i.e. exact proportions over sum(weights).
 */
export class SmoothWeightedRoundRobin implements Selector {
  private readonly current: number[];
  private readonly active: BalancedServer[];

  constructor(servers: readonly BalancedServer[]) {
    const primaries = servers.filter((s) => !s.backup && s.weight > 0);
    const backups = servers.filter((s) => s.backup && s.weight > 0);
    this.active = primaries.length > 0 ? primaries : backups.slice(0, 1);
    this.current = this.active.map(() => 0);
  }

  select(_request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    let total = 0;
    let best = -1;
    for (let i = 0; i < this.active.length; i++) {
      const s = this.active[i]!;
      if (!isEligible(s)) continue;
      this.current[i]! += s.weight;
      total += s.weight;
      if (best < 0 || this.current[i]! > this.current[best]!) best = i;
    }
    if (best < 0) return undefined;
    this.current[best]! -= total;
    return this.active[best];
  }

  connectionStarted(): void {}
  connectionEnded(): void {}
}
