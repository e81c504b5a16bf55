import { TandemError } from '@tandem/core';
import type { BalancedServer, BalancingAlgorithm, Selector, SelectorOptions } from './balancing.types.js';
import { firstAvailable } from './algorithms/first.js';
import { leastConnections } from './algorithms/leastconn.js';
import { roundRobin } from './algorithms/roundrobin.js';
import { headerHash } from './algorithms/hdr.js';
import { randomDraws } from './algorithms/random.js';
import { sourceHash } from './algorithms/source.js';
import { uriHash } from './algorithms/uri.js';
import { urlParamHash } from './algorithms/url-param.js';
import { staticRoundRobin } from './algorithms/static-rr.js';
import { expressionHash } from './algorithms/hash-expr.js';

/** Every algorithm, by the name written after `balance`. Adding one is a new file and one line here. */
const ALGORITHMS: ReadonlyMap<string, BalancingAlgorithm> = new Map([roundRobin, staticRoundRobin, leastConnections, firstAvailable, sourceHash, uriHash, urlParamHash, headerHash, randomDraws, expressionHash].map((a) => [a.name, a]));

export function algorithmFor(name: string): BalancingAlgorithm | undefined {
  return ALGORITHMS.get(name);
}

export function knownAlgorithms(): string[] {
  return [...ALGORITHMS.keys()];
}

/** Builds a new selector (never mutates an old one: the owner swaps it in, ARCHITECTURE rule 6). */
export function createSelector(servers: readonly BalancedServer[], options: SelectorOptions): Selector {
  const algorithm = ALGORITHMS.get(options.config.algorithm);
  if (!algorithm) {
    throw new TandemError('E_BALANCE_UNKNOWN', 'balancing', `balancing algorithm '${options.config.algorithm}' is not implemented (known: ${knownAlgorithms().join(', ')})`);
  }
  return algorithm.build(servers, options);
}
