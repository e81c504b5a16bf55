import type { BalancedServer } from './balancing.types.js';

/**
 * `hash-balance-factor <f>` (consistent hashing with bounded loads): a server may hold at most its weighted share
 * of f% of the backend's load, counting the request being placed. HAProxy's arithmetic, in integers:
 *
 *   totalSlots = ceil((served + 1) × f / 100)
 *   slots(s)   = weight(s) × floor(totalSlots / totalWeight) + ceil(weight(s) × (totalSlots mod totalWeight) / totalWeight)
 *   eligible   = served(s) < max(1, slots(s))
 *
 * A key whose server is over its bound moves clockwise to the next server under it, so hot keys spill over
 * instead of overloading one server. Factor 0 turns the rule off.
 */
export class LoadBound {
  private readonly served = new Map<number, number>();
  private total = 0;

  constructor(
    private readonly factorPercent: number,
    private readonly totalWeight: number,
    initial?: ReadonlyMap<number, number>,
  ) {
    for (const [id, n] of initial ?? []) {
      this.served.set(id, n);
      this.total += n;
    }
  }

  slots(server: BalancedServer): number {
    const totalSlots = Math.ceil(((this.total + 1) * this.factorPercent) / 100);
    const perWeight = Math.floor(totalSlots / this.totalWeight);
    const remainder = totalSlots % this.totalWeight;
    const slots = server.weight * perWeight + Math.ceil((server.weight * remainder) / this.totalWeight);
    return Math.max(1, slots);
  }

  hasRoom(server: BalancedServer): boolean {
    return (this.served.get(server.id) ?? 0) < this.slots(server);
  }

  started(server: BalancedServer): void {
    this.served.set(server.id, (this.served.get(server.id) ?? 0) + 1);
    this.total++;
  }

  ended(server: BalancedServer): void {
    const n = this.served.get(server.id) ?? 0;
    if (n === 0) return;
    this.served.set(server.id, n - 1);
    this.total--;
  }
}
