import type { BalancingAlgorithm } from '../balancing.types.js';
import { HashSelector } from '../hash-selector.js';

/** `balance url_param <name>`: the value of that query-string parameter is hashed; without it, round robin. */
export const urlParamHash: BalancingAlgorithm = {
  name: 'url_param',
  build(servers, options) {
    const name = options.config.args[0] ?? '';
    return new HashSelector(servers, options, (request) => {
      for (const pair of (request.query ?? '').split('&')) {
        const eq = pair.indexOf('=');
        if ((eq < 0 ? pair : pair.slice(0, eq)) === name && name !== '') return eq < 0 ? '' : pair.slice(eq + 1);
      }
      return undefined;
    });
  },
};
