import type { BalancedServer, EligibilityFilter, Selector, SelectionRequest, SelectorOptions } from './balancing.types.js';
import { ConsistentRing } from './consistent-ring.js';
import { mix32, sdbm } from './hash.js';
import { roundRobin } from './algorithms/roundrobin.js';
import { candidates } from './rotation.js';

/** What a hash-based algorithm hashes from a request; undefined when the request has no such key. */
export type KeyExtractor = (request: SelectionRequest) => string | undefined;

/**
 * The machinery every hash-based algorithm shares (source, uri, url_param, hdr): hash the key with sdbm, then
 * `hash-type map-based` (hash modulo total weight over a weighted map) or `consistent` (the ring). A request
 * without the key goes round robin, as HAProxy does.
 */
export class HashSelector implements Selector {
  private readonly map: BalancedServer[] = [];
  private readonly ring?: ConsistentRing;
  private readonly fallback: Selector;

  constructor(servers: readonly BalancedServer[], options: SelectorOptions, private readonly key: KeyExtractor) {
    const pool = candidates(servers, options).sort((a, b) => a.id - b.id);
    if (options.config.hashType === 'consistent') this.ring = new ConsistentRing(pool);
    else for (const s of pool) for (let i = 0; i < s.weight; i++) this.map.push(s);
    this.fallback = roundRobin.build(servers, options);
  }

  select(request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined {
    const key = this.key(request);
    if (key === undefined) return this.fallback.select(request, isEligible);
    const hash = mix32(sdbm(key));
    if (this.ring) return this.ring.lookup(hash, isEligible);
    const n = this.map.length;
    for (let k = 0; k < n; k++) {
      const server = this.map[(hash + k) % n]!;
      if (isEligible(server)) return server;
    }
    return undefined;
  }

  connectionStarted(): void {}

  connectionEnded(): void {}
}
