import type { BalancingAlgorithm } from '../balancing.types.js';
import { HashSelector } from '../hash-selector.js';

/**
 * `balance hash <expr>` (HAProxy 2.6): the value of a sample expression, evaluated per request by the proxy (which
 * owns sample evaluation), is hashed like `uri` or `hdr()` keys, with the backend's `hash-type` (map-based or
 * consistent, `hash-balance-factor` included). When the expression yields nothing, round robin, as HAProxy does.
 */
export const expressionHash: BalancingAlgorithm = {
  name: 'hash',
  build: (servers, options) => new HashSelector(servers, options, (request) => request.hashSample?.()),
};
