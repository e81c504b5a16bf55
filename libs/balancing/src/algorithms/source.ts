import type { BalancingAlgorithm } from '../balancing.types.js';
import { HashSelector } from '../hash-selector.js';

/**
 * `balance source`: the client's IP address is hashed, so one client keeps reaching the same server.
 * `hash-type map-based` (the default) reshuffles most clients when the server set changes; `hash-type consistent`
 * moves only the clients of the server that changed.
 */
export const sourceHash: BalancingAlgorithm = {
  name: 'source',
  build: (servers, options) => new HashSelector(servers, options, (request) => request.clientAddress),
};
