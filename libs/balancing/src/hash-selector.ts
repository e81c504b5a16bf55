import type { BalancedServer, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from './balancing.types.js';
import { ConsistentRing } from './consistent-ring.js';
import { mix32, sdbm } from './hash.js';
import { roundRobin } from './algorithms/roundrobin.js';
import { candidates } from './rotation.js';
import { LoadBound } from './bounded-load.js';

/** What a hash-based algorithm hashes from a request; undefined when the request has no such key. */
export type KeyExtractor = (request: SelectionRequest) => string | undefined;

/**
 * The machinery every hash-based algorithm shares (source, uri, url_param, hdr, hash): hash the key with sdbm, then
 * `hash-type map-based` (hash modulo total weight over a weighted map) or `consistent` (the ring). A request
 * without the key goes round robin, as HAProxy does. With `hash-balance-factor` (consistent only, as in HAProxy)
 * a server over its bounded load is skipped for the next one on the ring.
 */
export class HashSelector implements Selector {
  private readonly map: BalancedServer[] = [];
  private readonly ring?: ConsistentRing;
  private readonly fallback: Selector;
  private readonly bound?: LoadBound;

  constructor(servers: readonly BalancedServer[], options: SelectorOptions, private readonly key: KeyExtractor) {
    const pool = candidates(servers, options).sort((a, b) => a.id - b.id);
    if (options.config.hashType === 'consistent') {
      this.ring = new ConsistentRing(pool);
      const factor = options.config.hashBalanceFactor ?? 0;
      const totalWeight = pool.reduce((sum, s) => sum + s.weight, 0);
      if (factor > 0 && totalWeight > 0) this.bound = new LoadBound(factor, totalWeight, options.activeConnections);
    }
    else for (const s of pool) for (let i = 0; i < s.weight; i++) this.map.push(s);
    this.fallback = roundRobin.build(servers, options);
  }

  select(request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    const key = this.key(request);
    if (key === undefined) return this.fallback.select(request, isEligible);
    const hash = mix32(sdbm(key));
    if (this.ring) {
      const bound = this.bound;
      if (!bound) return this.ring.lookup(hash, isEligible);
      // Bounded load first; if every eligible server is at its bound (only with stale counts), ignore the bound.
      return this.ring.lookup(hash, (s) => isEligible(s) && bound.hasRoom(s)) ?? this.ring.lookup(hash, isEligible);
    }
    const n = this.map.length;
    for (let k = 0; k < n; k++) {
      const server = this.map[(hash + k) % n]!;
      if (isEligible(server)) return server;
    }
    return undefined;
  }

  connectionStarted(server: BalancedServer): void {
    this.bound?.started(server);
  }

  connectionEnded(server: BalancedServer): void {
    this.bound?.ended(server);
  }
}
