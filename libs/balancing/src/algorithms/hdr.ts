import type { BalancingAlgorithm } from '../balancing.types.js';
import { HashSelector } from '../hash-selector.js';

/**
 * `balance hdr(<name>) [use_domain_only]`: the header's value is hashed; with `use_domain_only`, only the domain
 * (the last two labels, without a port) of a Host-like value. Without the header, round robin.
 */
export const headerHash: BalancingAlgorithm = {
  name: 'hdr',
  build(servers, options) {
    const [name = '', ...rest] = options.config.args;
    const domainOnly = rest.includes('use_domain_only');
    return new HashSelector(servers, options, (request) => {
      const value = request.header?.(name);
      if (value === undefined) return undefined;
      if (!domainOnly) return value;
      const host = value.replace(/:\d+$/, '').toLowerCase();
      return host.split('.').slice(-2).join('.');
    });
  },
};
