import type { BalancedServer, EligibilityFilter } from './balancing.types.js';
import { mix32, sdbm } from './hash.js';

/** Points per unit of weight on the ring (HAProxy places weight-proportional points per server, too). */
export const POINTS_PER_WEIGHT = 40;

/**
 * A consistent-hash ring: each server owns weight x POINTS_PER_WEIGHT points, placed by hashing its id and the
 * point's index, so a server's points do not depend on which other servers exist. Removing one server moves
 * only the keys it owned; adding it back restores them exactly.
 */
export class ConsistentRing {
  private readonly points: Array<{ hash: number; server: BalancedServer }> = [];

  constructor(servers: readonly BalancedServer[]) {
    for (const server of servers) {
      for (let i = 0; i < server.weight * POINTS_PER_WEIGHT; i++) {
        this.points.push({ hash: mix32(sdbm(`${server.id}-${i}`)), server });
      }
    }
    this.points.sort((a, b) => a.hash - b.hash || a.server.id - b.server.id);
  }

  /** The first eligible server clockwise from the key's hash. */
  lookup(keyHash: number, isEligible: EligibilityFilter): BalancedServer | undefined {
    const n = this.points.length;
    if (n === 0) return undefined;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]!.hash < keyHash) lo = mid + 1;
      else hi = mid;
    }
    const tried = new Set<number>();
    for (let k = 0; k < n; k++) {
      const server = this.points[(lo + k) % n]!.server;
      if (tried.has(server.id)) continue;
      tried.add(server.id);
      if (isEligible(server)) return server;
    }
    return undefined;
  }
}
